"""``--format csv``: one row per finding for reviewers working in Excel (UTF-8 with a BOM).

Every row also carries its file's error/warning/info counts, so sorting by a count groups files;
a clean file still gets a row (zero counts) and an unreadable one a row with the reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from plancheck.api.hookspecs import hookimpl
from plancheck.api.results import FileResult
from plancheck.output import Report, severity_counts, sorted_results

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
# Excel runs a cell starting with these as a formula; plan text quoted in a message must not.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    if isinstance(value, str) and len(value) > 1 and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def file_rows(result: FileResult) -> list[list[object]]:
    if result.error:
        return [[result.path, "", "", "", "", "", "", "", result.error, "", "", "", ""]]
    counts = severity_counts(result.findings)
    totals = [counts["error"], counts["warning"], counts["info"]]
    if not result.findings:
        return [[result.path, "", "", "", "", "", "", "", "", result.profile or "", *totals]]
    return [
        [
            finding.path,
            finding.line,
            finding.column,
            finding.end_line,
            finding.end_column,
            finding.code,
            finding.rule,
            finding.severity,
            finding.message,
            finding.profile or "",
            *totals,
        ]
        for finding in sorted(result.findings)
    ]


def render(results: Sequence[FileResult], report: Report) -> str:
    out = io.StringIO()
    # "\n": the CLI writes through a text stream, which already turns it into CRLF on Windows
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FINDING_COLUMNS + COUNT_COLUMNS)
    for result in sorted_results(results):
        writer.writerows([cell(value) for value in row] for row in file_rows(result))
    return BOM + out.getvalue()


@hookimpl
def plancheck_formats() -> dict:
    return {"csv": render}
