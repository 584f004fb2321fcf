"""Baselines for reviewers: record today's findings, later report only the new ones.

A finding is keyed by file, rule code and a hash of the text around it (its line and the lines
either side, spaces ignored), not by line number, so edits elsewhere in the plan keep it matched.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plancheck.lint import FileResult
    from plancheck.rule import Finding

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a plancheck baseline."""


def fingerprint(code: str, line: int, lines: Sequence[str]) -> str:
    around = lines[max(line - 2, 0) : line + 1]
    text = "\n".join("".join(part.split()) for part in around)
    return hashlib.sha256(f"{code}\0{text}".encode()).hexdigest()[:20]


def _key(finding: Finding) -> tuple[str, str, str]:
    return (Path(finding.path).as_posix(), finding.code, finding.fingerprint)


def write(results: Sequence[FileResult], path: Path) -> int:
    """Record every finding of the batch; returns how many."""
    entries = sorted(_key(f) for result in results for f in result.findings)
    data = {
        "version": VERSION,
        "findings": [{"path": p, "code": c, "fingerprint": h} for p, c, h in entries],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(entries)


def load(path: Path) -> Counter[tuple[str, str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            raise BaselineError(
                f"{path}: not a plancheck baseline (version {data.get('version')!r})"
            )
        return Counter((e["path"], e["code"], e["fingerprint"]) for e in data["findings"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BaselineError(f"{path}: {error}") from error


def new_findings(results: Sequence[FileResult], known: Counter[tuple[str, str, str]]) -> None:
    """Drop from ``results`` every finding the baseline knows (each entry matches once)."""
    remaining = Counter(known)
    for result in results:
        kept = []
        for finding in result.findings:
            key = _key(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                kept.append(finding)
        result.findings = kept
