"""``plancheck diff``'s engine: read two files of any input type through the linter, compare their
plans by structure and list the findings the new version has that the old one did not."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from plancheck.api.rule import Finding
from plancheck.engine.linter import Linter
from plancheck.model.comparison import Comparison, compare


def compare_files(
    old_data: bytes, old_path: str, new_data: bytes, new_path: str, linter: Linter
) -> Comparison:
    """Compare OLD with NEW (raises InputError for a file that cannot be read as a plan)."""
    sides = []
    for data, path in ((old_data, old_path), (new_data, new_path)):
        settings = linter.settings_for(Path(path))
        source = linter.read(data, path, settings)
        plan, detection = linter.parse(source, settings)
        result = linter.check_parsed(source, plan, detection, settings)
        sides.append((plan, detection.profile, result.findings))
    (old_plan, old_profile, old_findings), (new_plan, new_profile, new_findings) = sides
    comparison = compare(old_plan, old_profile, new_plan, new_profile)
    comparison.new_findings = findings_added(old_findings, new_findings)
    return comparison


def findings_added(old: Sequence[Finding], new: Sequence[Finding]) -> list[Finding]:
    """NEW's findings that OLD lacks: matched as a baseline matches them, by code and fingerprint
    (the text around the finding, not its line), else by code and message."""
    by_text = {(finding.code, finding.fingerprint) for finding in old if finding.fingerprint}
    by_message = {(finding.code, finding.message) for finding in old}
    return [
        finding
        for finding in new
        if (finding.code, finding.fingerprint) not in by_text
        and (finding.code, finding.message) not in by_message
    ]
