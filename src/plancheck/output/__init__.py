"""Output formats: callables ``(results, report) -> str`` (``bytes`` for a binary format such as
xlsx) registered through the format hook."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plancheck.api.rule import SEVERITIES

if TYPE_CHECKING:
    from plancheck.api.results import FileResult
    from plancheck.api.rule import Finding, Rule


@dataclass(frozen=True)
class Report:
    """What a formatter may know besides the results: language, the loaded rules, colour."""

    lang: str = "ja"
    rules: Sequence[Rule] = field(default_factory=tuple)
    color: bool = False  # the text format colours its output only on a terminal
    #: the level that fails the run (--fail-on); formats with a pass/fail notion (JUnit) follow it
    fail_on: str = "error"
    #: --unsafe-fixes: the text format marks the findings with an unsafe fix as fixable too
    unsafe_fixes: bool = False

    def rule(self, code: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.code == code), None)


#: text (written as UTF-8) or, for a binary format, bytes written as they are
Formatter = Callable[["Sequence[FileResult]", Report], "str | bytes"]


def sorted_findings(results: Sequence[FileResult]) -> list[Finding]:
    """All findings of a batch, sorted by path, then line, column and code."""
    return sorted(finding for result in results for finding in result.findings)


def sorted_results(results: Sequence[FileResult]) -> list[FileResult]:
    """The batch's files in path order (stable), the order of their findings in every format."""
    return sorted(results, key=lambda result: result.path)


def fixable(finding: Finding, unsafe: bool = False) -> bool:
    """Whether ``plancheck check --fix`` (with ``--unsafe-fixes`` when ``unsafe``) would apply
    the finding's fix: a safe fix, or an unsafe one with ``unsafe``; never in a PDF (a finding
    with a page), which plancheck does not write."""
    fix = finding.fix
    if fix is None or (finding.place is not None and finding.place.page is not None):
        return False
    return fix.is_safe or unsafe


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity, every severity present: {"error": n, ...}."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return counts


def html_page_head(lang: str, title: str, style: str) -> list[str]:
    """The lines that open a self-contained HTML page up to its ``<h1>`` (the findings report and
    the comparison share them); ``title`` must already be escaped."""
    from plancheck.api.version import __version__

    return [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="plancheck {__version__}">',
        f"<title>{title}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
    ]


def output_language(lang: str) -> str:
    """The language an output is written in: ``lang`` when the catalogue has it, else Japanese."""
    from plancheck.api.messages import LANGUAGES

    return lang if lang in LANGUAGES else "ja"
