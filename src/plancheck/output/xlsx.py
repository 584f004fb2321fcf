"""``--format xlsx``: an Excel workbook for reviewers, a summary sheet (a row per file) and a
findings sheet (a row per finding, with the plan's line); headers frozen, filters on.

openpyxl is imported inside the formatter: ``plancheck check`` starts without it.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from plancheck.api.hookspecs import hookimpl
from plancheck.api.messages import message
from plancheck.api.results import FileResult
from plancheck.api.rule import SEVERITIES, Finding, severity_rank
from plancheck.output import Report, output_language, severity_counts, sorted_results
from plancheck.output.csv import PLACE_COLUMNS, headers, place_values, severity_label

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SUMMARY_COLUMNS = ("path", "profile", "errors", "warnings", "infos", "worst")
FINDINGS_COLUMNS = (
    "path",
    "line",
    "column",
    *PLACE_COLUMNS,
    "code",
    "rule",
    "severity",
    "message",
    "source",
)
#: the widest a column is made (in Excel's character widths); longer text wraps
MAX_WIDTH = 60
MIN_WIDTH = 6
#: Excel's limit on the characters in one cell
MAX_CELL_CHARS = 32767
# characters XML 1.0 (and so a workbook) cannot hold: control characters but tab and newlines
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value: object) -> object:
    """A value a cell can hold: no control characters, within Excel's length for a cell."""
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("\ufffd", value)
    return value if len(value) <= MAX_CELL_CHARS else value[: MAX_CELL_CHARS - 1] + "…"


def display_width(value: object) -> int:
    """Columns the value takes in Excel: a full-width (Japanese) character counts two."""
    shown = str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in shown)


def worst(findings: Sequence[Finding], lang: str) -> str:
    """The most severe finding (the first such in the file): 「PC101 12:1 …」."""
    if not findings:
        return ""
    top = min(sorted(findings), key=lambda finding: -_rank(finding.severity))
    return f"{severity_label(top.severity, lang)} {top.code} {top.line}:{top.column} {top.message}"


def _rank(severity: str) -> int:
    return severity_rank(severity) if severity in SEVERITIES else 0


def summary_rows(results: Sequence[FileResult], lang: str) -> list[list[object]]:
    rows: list[list[object]] = []
    for result in results:
        if result.error:
            reason = message("report_unreadable_because", lang, reason=result.error)
            rows.append([result.path, "", "", "", "", reason])
            continue
        counts = severity_counts(result.findings)
        rows.append(
            [
                result.path,
                result.profile or "",
                *(counts[severity] for severity in SEVERITIES),
                worst(result.findings, lang),
            ]
        )
    return rows


def finding_rows(results: Sequence[FileResult], lang: str) -> list[list[object]]:
    rows: list[list[object]] = []
    for result in results:
        for finding in sorted(result.findings):
            rows.append(
                [
                    finding.path,
                    finding.line,
                    finding.column,
                    *place_values(finding, lang),
                    finding.code,
                    finding.rule,
                    severity_label(finding.severity, lang),
                    finding.message,
                    result.source_lines.get(finding.line, ""),
                ]
            )
    return rows


def fill(sheet: Worksheet, header: list[str], rows: list[list[object]]) -> None:
    """Header and rows; the header bold and frozen, a filter over all, widths by content."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append(header)
    for row in rows:
        sheet.append([text(value) for value in row])
    for cells in sheet.iter_rows(min_row=2):
        for data in cells:
            if data.data_type == "f":  # text from a plan that looks like a formula stays text
                data.data_type = "s"
    for data in sheet[1]:
        data.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, name in enumerate(header, start=1):
        column = [name, *(row[index - 1] for row in rows)]
        widest = max(display_width(value) for value in column)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
        if widest > MAX_WIDTH:
            for data in sheet[letter][1:]:
                data.alignment = wrap


def render(results: Sequence[FileResult], report: Report) -> bytes:
    from openpyxl import Workbook

    lang = output_language(report.lang)
    ordered = sorted_results(results)
    book = Workbook()
    summary: Any = book.active
    summary.title = message("sheet_summary", lang)
    fill(summary, headers(SUMMARY_COLUMNS, lang), summary_rows(ordered, lang))
    findings = book.create_sheet(message("sheet_findings", lang))
    fill(findings, headers(FINDINGS_COLUMNS, lang), finding_rows(ordered, lang))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@hookimpl
def plancheck_formats() -> dict:
    return {"xlsx": render}
