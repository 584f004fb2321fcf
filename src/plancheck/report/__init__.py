"""Output formats: callables ``(results, report) -> str`` registered through the format hook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plancheck.lint import FileResult
    from plancheck.rule import Finding, Rule


@dataclass(frozen=True)
class Report:
    """What a formatter may know besides the results: language, the loaded rules, colour."""

    lang: str = "ja"
    rules: Sequence[Rule] = field(default_factory=tuple)
    color: bool = False  # the text format colours its output only on a terminal

    def rule(self, code: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.code == code), None)


Formatter = Callable[["Sequence[FileResult]", Report], str]


def sorted_findings(results: Sequence[FileResult]) -> list[Finding]:
    """All findings of a batch, sorted by path, then line, column and code."""
    return sorted(finding for result in results for finding in result.findings)
