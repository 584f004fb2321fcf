"""The corrections a finding may carry: edits to the file as the user gave it, and whether
applying them is safe (the meaning stays) or unsafe (a judgement the author should review)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SAFE = "safe"
UNSAFE = "unsafe"
APPLICABILITIES = (SAFE, UNSAFE)


@dataclass(frozen=True)
class Edit:
    """Replace ``old``, which stands from (line, column) up to (end_line, end_column) exclusive in
    the original lines (1-based, the same places as a finding's), with ``new``.

    ``old`` is the text the rule read there; a fix whose ``old`` is not what the file holds (the
    normaliser changed the characters, the file changed since) is not applied.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    old: str
    new: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "old": self.old,
            "new": self.new,
        }


@dataclass(frozen=True)
class Fix:
    """A correction: its edits (applied together or not at all) and their applicability."""

    edits: tuple[Edit, ...]
    applicability: str = SAFE

    def __post_init__(self) -> None:
        if self.applicability not in APPLICABILITIES:
            raise ValueError(
                f"applicability must be one of {APPLICABILITIES}: {self.applicability!r}"
            )

    @property
    def is_safe(self) -> bool:
        return self.applicability == SAFE

    def as_dict(self) -> dict[str, Any]:
        return {
            "applicability": self.applicability,
            "edits": [edit.as_dict() for edit in self.edits],
        }
