"""Output formats. Each is a callable ``(results, lang) -> str`` registered through the format hook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plancheck.lint import FileResult

Formatter = Callable[["Sequence[FileResult]", str], str]


def sorted_findings(results: Sequence[FileResult]) -> list:
    """All findings of a batch, sorted by path, then line, column and code."""
    return sorted(finding for result in results for finding in result.findings)
