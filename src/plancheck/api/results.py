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
    The engine adds, per finding, ``heading`` (the section or item heading the line sits under,
    as written: 「5-2 ⑧ 事業実施期間」) and ``quote`` (the start of the paragraph, or the text of
    the table cell at the finding, cut with 「…」): Word shows no paragraph numbers, these a
    person can search for.
    """

    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    heading: str | None = None
    quote: str | None = None

    def describe(self, lang: str) -> str:
        """「5-2 ⑧ 事業実施期間」の「2021年4月1日から…」, 表2 の 3 行目 「KPI2」, 3ページ (or English):
        what the outputs show; the paragraph number only where there is nothing to quote."""
        parts = []
        if self.page is not None:
            parts.append(message("place_page", lang, page=self.page))
        if self.table is not None and self.row is not None:
            key = "place_row_quote" if self.quote else "place_row"
            what = message(key, lang, table=self.table, row=self.row, quote=self.quote)
        elif self.quote:
            what = message("place_quote", lang, quote=self.quote)
        elif self.paragraph is not None and self.heading is None:
            what = message("place_paragraph", lang, paragraph=self.paragraph)
        else:
            what = ""
        if self.heading:
            key = "place_heading_then" if what else "place_heading"
            what = message(key, lang, heading=self.heading, what=what)
        if what:
            parts.append(what)
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
    #: the codes suppression comments name that no loaded rule has (each also an
    #: unknown-suppression-code finding on its line): a mistake in use, as an unknown code in
    #: --select is, so ``plancheck check`` exits 2 whatever filters the findings
    unknown_codes: list[str] = field(default_factory=list)
