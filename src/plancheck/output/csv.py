"""``--format csv``: one row per finding for reviewers working in Excel (UTF-8 with a BOM).

Every row also carries its file's error/warning/info counts, so sorting by a count groups files;
a clean file still gets a row (zero counts) and an unreadable one a row with the reason. Headers
and severities follow ``--lang`` (the English headers are the names scripts read: they stay);
a Word or PDF finding's place is described, and its page, table, row and paragraph are columns
of their own so that Excel sorts by them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from plancheck.api.hookspecs import hookimpl
from plancheck.api.messages import message
from plancheck.api.results import FileResult
from plancheck.api.rule import SEVERITIES, Finding
from plancheck.output import Report, output_language, severity_counts, sorted_results

BOM = "\ufeff"  # without it Excel reads UTF-8 as the system code page and garbles the Japanese
FINDING_COLUMNS = (
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "code",
    "rule",
    "severity",
    "message",
    "profile",
)
COUNT_COLUMNS = ("errors", "warnings", "infos")
#: the parts of a Place that are numbers a reviewer sorts by
PLACE_NUMBERS = ("page", "table", "row", "paragraph")
PLACE_COLUMNS = ("place", *PLACE_NUMBERS)
COLUMNS = FINDING_COLUMNS + COUNT_COLUMNS + PLACE_COLUMNS
# Excel runs a cell starting with these as a formula; plan text quoted in a message must not.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def headers(columns: Sequence[str], lang: str) -> list[str]:
    """The column names in ``lang`` (the catalogue's ``column_<name>``)."""
    return [message(f"column_{name}", lang) for name in columns]


def severity_label(severity: str, lang: str) -> str:
    """エラー/警告/情報 in Japanese, error/warning/info in English; a plugin's own level as is."""
    return message(f"severity_{severity}", lang) if severity in SEVERITIES else severity


def place_values(finding: Finding, lang: str) -> list[object]:
    """The place described (「5-2 ⑧ …」の「…」), then its page, table, row and paragraph."""
    place = finding.place
    if place is None:
        return ["", *([""] * len(PLACE_NUMBERS))]
    numbers = [getattr(place, name) for name in PLACE_NUMBERS]
    return [place.describe(lang), *("" if value is None else value for value in numbers)]


def cell(value: object) -> object:
    if isinstance(value, str) and len(value) > 1 and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def file_rows(result: FileResult, lang: str = "en") -> list[list[object]]:
    blank_place = [""] * len(PLACE_COLUMNS)
    if result.error:
        return [[result.path, *[""] * 7, result.error, "", "", "", "", *blank_place]]
    counts = severity_counts(result.findings)
    totals = [counts["error"], counts["warning"], counts["info"]]
    if not result.findings:
        return [[result.path, *[""] * 8, result.profile or "", *totals, *blank_place]]
    return [
        [
            finding.path,
            finding.line,
            finding.column,
            finding.end_line,
            finding.end_column,
            finding.code,
            finding.rule,
            severity_label(finding.severity, lang),
            finding.message,
            finding.profile or "",
            *totals,
            *place_values(finding, lang),
        ]
        for finding in sorted(result.findings)
    ]


def render(results: Sequence[FileResult], report: Report) -> str:
    lang = output_language(report.lang)
    out = io.StringIO()
    # "\n": the CLI writes through a text stream, which already turns it into CRLF on Windows
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers(COLUMNS, lang))
    for result in sorted_results(results):
        writer.writerows([cell(value) for value in row] for row in file_rows(result, lang))
    return BOM + out.getvalue()


@hookimpl
def plancheck_formats() -> dict:
    return {"csv": render}
