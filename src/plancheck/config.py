"""Run settings: which rules are on, their severities, the profile, the language, the fail level."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from plancheck.rule import SEVERITIES, severity_rank


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one run. Rule codes are matched by prefix (``PC1`` means PC1xx)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    fail_on: str = "error"
    profile: str | None = None
    lang: str = "ja"

    def __post_init__(self) -> None:
        for name in ("select", "ignore", "extend_select"):  # accept any iterable of codes
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def enabled(self, code: str) -> bool:
        """The most specific matching prefix wins, as in ruff: ``--select PC --ignore PC5``."""
        selected = _longest_prefix(code, self.select + self.extend_select) if self.select else 0
        ignored = _longest_prefix(code, self.ignore)
        return selected >= 0 and (ignored < 0 or selected > ignored)

    def severity_of(self, code: str, default: str) -> str:
        return self.severity.get(code, default)

    def fails(self, severity: str) -> bool:
        return severity_rank(severity) >= severity_rank(self.fail_on)


def _longest_prefix(code: str, prefixes: tuple[str, ...]) -> int:
    """Length of the longest prefix of ``code`` in ``prefixes`` ("ALL" matches all), else -1."""
    lengths = [0 if p == "ALL" else len(p) for p in prefixes if p == "ALL" or code.startswith(p)]
    return max(lengths, default=-1)


def parse_severity_overrides(values: list[str]) -> dict[str, str]:
    """``["PC104=error"]`` → ``{"PC104": "error"}``; ValueError names the bad entry."""
    overrides = {}
    for value in values:
        code, _, level = value.partition("=")
        if not code or level not in SEVERITIES:
            raise ValueError(value)
        overrides[code.strip()] = level
    return overrides
