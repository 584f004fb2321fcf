"""``--format github``: GitHub Actions workflow commands, shown as annotations on the changed files.

Escaping follows the runner's rules: ``%``, CR and LF in the message; also ``:`` and ``,`` in
properties, which the runner would otherwise read as separators.
"""

from __future__ import annotations

from collections.abc import Sequence

from plancheck.api.hookspecs import hookimpl
from plancheck.api.results import FileResult
from plancheck.api.rule import Finding
from plancheck.output import Report, sorted_findings, sorted_results

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, object], text: str) -> str:
    listed = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {listed}::{escape_data(text)}"


def with_place(finding: Finding, lang: str) -> str:
    """The message, and for Word or PDF the place (the annotation's line is no line in Word)."""
    where = finding.place.describe(lang) if finding.place is not None else ""
    return f"{finding.message} ({where})" if where else finding.message


def render(results: Sequence[FileResult], report: Report) -> str:
    lines = [
        command(
            "error",
            {"file": result.path, "title": "plancheck"},
            result.error,
        )
        for result in sorted_results(results)
        if result.error
    ]
    lines.extend(
        command(
            COMMANDS.get(finding.severity, "warning"),
            {
                "file": finding.path,
                "line": finding.line,
                "col": finding.column,
                "endLine": finding.end_line,
                "endColumn": finding.end_column,
                "title": f"{finding.code} {finding.rule}",
            },
            with_place(finding, report.lang),
        )
        for finding in sorted_findings(results)
    )
    return "".join(line + "\n" for line in lines)


@hookimpl
def plancheck_formats() -> dict:
    return {"github": render}
