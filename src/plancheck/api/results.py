"""What a check produces besides the rule API: where a finding sits in a Word or PDF document, and
the result for one file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plancheck.api.messages import message

if TYPE_CHECKING:
    from plancheck.api.rule import Finding


@dataclass(frozen=True)
class Place:
    """Where a line of a Word or PDF document comes from, for findings a user can find there.

    ``paragraph`` is the 1-based paragraph number (a table row counts as one paragraph),
    ``table``/``row`` the 1-based table and row of a table cell's line, ``page`` the PDF page.
    """

    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None

    def describe(self, lang: str) -> str:
        """「段落 12」「表2 行3」「3ページ」 (or English): what the text output shows."""
        parts = []
        if self.page is not None:
            parts.append(message("place_page", lang, page=self.page))
        if self.table is not None and self.row is not None:
            parts.append(message("place_row", lang, table=self.table, row=self.row))
        elif self.paragraph is not None:
            parts.append(message("place_paragraph", lang, paragraph=self.paragraph))
        return " ".join(parts)


@dataclass
class FileResult:
    """The outcome for one file: its findings, or the reason it could not be read."""

    path: str
    profile: str | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    #: the original text of each line that has a finding (for reports that show the source)
    source_lines: dict[int, str] = field(default_factory=dict)
    #: the codes of the rules that raised on this file (each also gave an internal-error
    #: finding): a check that did not run is not a pass, whatever filters the findings
    failed_rules: list[str] = field(default_factory=list)
