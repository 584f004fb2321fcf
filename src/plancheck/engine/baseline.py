"""Baseline files for reviewers: record today's findings; the filter stage later drops them.

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

from plancheck.api.errors import InputError
from plancheck.reading.source import read_file

if TYPE_CHECKING:
    from plancheck.api.results import FileResult
    from plancheck.api.rule import Finding

VERSION = 1
#: a baseline of a thousand plans with their findings is a few MB
MAX_BASELINE_BYTES = 100 * 1024 * 1024


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a plancheck baseline."""


def fingerprint(code: str, line: int, lines: Sequence[str]) -> str:
    around = lines[max(line - 2, 0) : line + 1]
    text = "\n".join("".join(part.split()) for part in around)
    return hashlib.sha256(f"{code}\0{text}".encode()).hexdigest()[:20]


#: what identifies a finding across runs: its file, its code and the text around it
BaselineKey = tuple[str, str, str]


def baseline_key(finding: Finding) -> BaselineKey:
    return (Path(finding.path).as_posix(), finding.code, finding.fingerprint)


def write(results: Sequence[FileResult], path: Path) -> int:
    """Record every finding of the batch; returns how many."""
    entries = sorted(baseline_key(f) for result in results for f in result.findings)
    data = {
        "version": VERSION,
        "findings": [{"path": p, "code": c, "fingerprint": h} for p, c, h in entries],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(entries)


def load(path: Path) -> Counter[BaselineKey]:
    try:
        data = json.loads(read_file(path, MAX_BASELINE_BYTES).decode("utf-8"))
        if data.get("version") != VERSION:
            version = repr(data.get("version"))[:40]
            raise BaselineError(f"{path}: not a plancheck baseline (version {version})")
        return Counter((e["path"], e["code"], e["fingerprint"]) for e in data["findings"])
    except InputError as error:
        problem = {"not_regular": "not a regular file"}.get(
            error.message_key, f"over {error.detail}"
        )
        raise BaselineError(f"{path}: {problem}") from error
    except RecursionError as error:  # arrays nested a thousand deep
        raise BaselineError(f"{path}: nested too deeply to be a baseline") from error
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        detail = str(error)
        detail = detail if len(detail) <= 200 else detail[:200] + "…"
        raise BaselineError(f"{path}: {type(error).__name__}: {detail}") from error
