"""The default output: ``path:line:col: CODE [severity] message``, one finding a line; a Word or
PDF finding ends with its place (「5-2 ⑧ 事業実施期間」の「2021年4月1日から…」, 3ページ).
A finding ``--fix`` would correct shows ``[*]`` after its code, as in ruff.

On a terminal (``report.color``) the path is bold and the severity coloured, as ruff and gcc do.
"""

from __future__ import annotations

from collections.abc import Sequence

from plancheck.api.hookspecs import hookimpl
from plancheck.api.results import FileResult
from plancheck.output import Report, fixable, sorted_findings

BOLD = "\x1b[1m"
RESET = "\x1b[0m"
SEVERITY_COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[33m", "info": "\x1b[36m"}


def render(results: Sequence[FileResult], report: Report) -> str:
    lines = []
    for f in sorted_findings(results):
        path, severity = f.path, f.severity
        if report.color:
            path = f"{BOLD}{path}{RESET}"
            severity = f"{SEVERITY_COLORS.get(severity, '')}{severity}{RESET}"
        where = f.place.describe(report.lang) if f.place is not None else ""
        place = f" ({where})" if where else ""
        mark = " [*]" if fixable(f, report.unsafe_fixes) else ""  # ruff's mark: --fix fixes it
        lines.append(f"{path}:{f.line}:{f.column}: {f.code}{mark} [{severity}] {f.message}{place}")
    return "".join(line + "\n" for line in lines)


@hookimpl
def plancheck_formats() -> dict:
    return {"text": render}
