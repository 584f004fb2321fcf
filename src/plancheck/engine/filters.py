"""The stage after the checks: suppression comments silence findings, settings set severities,
fingerprints and places are attached; for a batch, a baseline drops the findings it knows."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

from plancheck.api.results import FileResult
from plancheck.api.rule import Finding
from plancheck.engine.baseline import BaselineKey, baseline_key, fingerprint
from plancheck.engine.config import Settings
from plancheck.parsing import directives
from plancheck.parsing.ast import Plan
from plancheck.reading.source import Source


def file_result(
    source: Source, plan: Plan, profile: str | None, findings: list[Finding], settings: Settings
) -> FileResult:
    """One file's result: the findings its suppression comments leave, with the severity the
    settings give, a fingerprint (baselines) and the Word/PDF place of their line, sorted."""
    if plan.suppressions:
        findings, _ = directives.apply(findings, plan.suppressions)
    final = []
    # a fingerprint hashes the finding's line and its neighbours: once per (code, line), not
    # once per finding (a line of thousands of blanks has thousands of PC501 findings)
    prints: dict[tuple[str, int], str] = {}
    for finding in findings:
        severity = settings.severity_of(finding.code, finding.severity)
        key = (finding.code, finding.line)
        print_ = prints.get(key)
        if print_ is None:
            print_ = prints[key] = fingerprint(finding.code, finding.line, source.lines)
        place = source.places[finding.line - 1] if finding.line <= len(source.places) else None
        final.append(
            dataclasses.replace(finding, severity=severity, fingerprint=print_, place=place)
        )
    final.sort()
    shown = {f.line: source.lines[f.line - 1] for f in final if 0 < f.line <= len(source.lines)}
    return FileResult(source.path, profile, final, None, shown)


def drop_baselined(results: Sequence[FileResult], known: Counter[BaselineKey]) -> int:
    """Drop from ``results`` every finding the baseline knows (each entry matches once); returns
    how many were dropped."""
    remaining = Counter(known)
    dropped = 0
    for result in results:
        kept = []
        for finding in result.findings:
            key = baseline_key(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
                dropped += 1
            else:
                kept.append(finding)
        result.findings = kept
    return dropped
