"""The default output: ``path:line:col: CODE [severity] message``, one finding a line."""

from __future__ import annotations

from collections.abc import Sequence

from plancheck.hookspecs import hookimpl
from plancheck.lint import FileResult
from plancheck.report import Report, sorted_findings


def render(results: Sequence[FileResult], report: Report) -> str:
    lines = [
        f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}"
        for f in sorted_findings(results)
    ]
    return "".join(line + "\n" for line in lines)


@hookimpl
def plancheck_formats() -> dict:
    return {"text": render}
