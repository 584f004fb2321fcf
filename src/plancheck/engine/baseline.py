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
    """A baseline file that cannot be read or is not a plancheck baseline; ``message_key`` names
    the user message (baseline_not_found, baseline_not_regular, baseline_unreadable,
    baseline_too_large, baseline_invalid), ``detail`` fills it."""

    def __init__(self, message_key: str, path: Path, detail: str = "") -> None:
        super().__init__(f"{path}: {message_key} {detail}".strip())
        self.message_key, self.path, self.detail = message_key, path, detail


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
    """The findings a baseline file records (raises :class:`BaselineError`)."""
    try:
        data = json.loads(read_file(path, MAX_BASELINE_BYTES).decode("utf-8"))
    except FileNotFoundError as error:
        raise BaselineError("baseline_not_found", path) from error
    except InputError as error:
        if error.message_key == "not_regular":
            raise BaselineError("baseline_not_regular", path) from error
        raise BaselineError("baseline_too_large", path, error.detail) from error
    except OSError as error:
        raise BaselineError("baseline_unreadable", path, error.strerror or str(error)) from error
    except (ValueError, RecursionError) as error:  # not UTF-8 or JSON; arrays nested 1000 deep
        raise BaselineError("baseline_invalid", path) from error
    try:
        if data.get("version") != VERSION:
            raise BaselineError("baseline_invalid", path)
        return Counter((e["path"], e["code"], e["fingerprint"]) for e in data["findings"])
    except (KeyError, TypeError, AttributeError) as error:  # JSON of another shape
        raise BaselineError("baseline_invalid", path) from error
