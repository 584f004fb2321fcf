"""Suppression comments in a plan: ``<!-- plancheck: disable=PC501 -->`` for the next line,
``<!-- plancheck: disable-file=PC503 -->`` for the whole file (invisible when Markdown renders)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from plancheck.ast import Plan, Span
from plancheck.hookspecs import hookimpl
from plancheck.rule import Context, Finding, Rule

_DIRECTIVE = re.compile(r"<!--\s*plancheck:\s*(disable-file|disable)\s*=\s*([^>]*?)\s*-->")


@dataclass
class Directive:
    """One suppression comment: which codes (prefixes, or ``all``) it silences, and where."""

    span: Span
    whole_file: bool
    codes: tuple[str, ...]
    used: set[str] = field(default_factory=set)

    def silences(self, finding: Finding) -> bool:
        if not self.whole_file and finding.line != self.span.line + 1:
            return False
        return any(code == "all" or finding.code.startswith(code) for code in self.codes)


def directives(lines: Sequence[str]) -> list[Directive]:
    """Every suppression comment in the original lines."""
    found = []
    for number, line in enumerate(lines, start=1):
        if "plancheck" not in line:
            continue
        for match in _DIRECTIVE.finditer(line):
            codes = tuple(c.strip() for c in match[2].replace(" ", ",").split(",") if c.strip())
            span = Span(number, match.start() + 1, number, match.end() + 1)
            found.append(Directive(span, match[1] == "disable-file", codes))
    return found


def apply(findings: list[Finding], comments: list[Directive]) -> list[Finding]:
    """The findings no comment silences; each comment records the codes it silenced."""
    kept = []
    for finding in findings:
        silencing = [d for d in comments if d.silences(finding)]
        for directive in silencing:
            directive.used.add(finding.code)
        if not silencing:
            kept.append(finding)
    return kept


class UnusedSuppression(Rule):
    """使われていない抑制コメント (a suppression comment that silences nothing).

    Why: a ``<!-- plancheck: disable=… -->`` comment left behind after the problem was fixed hides
    the next occurrence of that problem. This rule is reported by the linter itself after every
    other rule has run (it needs their findings), so its ``check`` finds nothing on its own.

    Failing example (line 2 has no template blank)::

        <!-- plancheck: disable=PC501 -->
        みどり野市の全域

    Passing example::

        <!-- plancheck: disable=PC501 -->
        ウ 事業実施期間 年 月 日から 年 月 日まで
    """

    code = "PC002"
    name = "unused-suppression"
    severity = "info"
    needs_profile = False
    messages = {
        "default": {
            "ja": "抑制コメント（{codes}）は何も抑制していません。不要なら削除してください",
            "en": "The suppression comment ({codes}) silences nothing; remove it if it is no longer needed",
        }
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        return iter(())

    def unused(self, comments: list[Directive], context: Context) -> Iterator[Finding]:
        for directive in comments:
            if not directive.used:
                yield self.report(context, directive.span, codes=",".join(directive.codes))


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    return [UnusedSuppression]
