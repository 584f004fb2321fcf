"""Character rules: stray control characters in a plan's text (PC004)."""

from __future__ import annotations

from collections.abc import Iterator

from plancheck.api.hookspecs import hookimpl
from plancheck.api.rule import Context, Finding, Rule
from plancheck.parsing.ast import Plan, Span, full_text
from plancheck.reading.source import CONTROL


class ControlCharacter(Rule):
    r"""制御文字が含まれている (an invisible control character in the text).

    Why: a control character (U+0000–U+001F other than tab, line breaks, form feed and ESC) is
    invisible in Word and most editors but breaks the Cabinet Office's submission and publication
    systems and can hide text from a reader. It usually comes from pasting out of another system.
    A file with many of them is not a text file and is refused as binary; a few are reported here,
    each where it stands, and the rest of the plan is checked as usual.

    Source: JIS X 0208 / Unicode (control characters are not text); plancheck's input rules.

    Failing example (``\x1a`` stands for the invisible U+001A after 「全域」)::

        3 地域再生計画の区域
        みどり野市の全域\x1a

    Passing example::

        3 地域再生計画の区域
        みどり野市の全域
    """

    code = "PC004"
    name = "control-character"
    severity = "warning"
    needs_profile = False
    messages = {
        "default": {
            "ja": "制御文字（U+{codepoint:04X}）が含まれています。目に見えない文字のため削除してください",
            "en": "A control character (U+{codepoint:04X}) is in the text; delete it (it is invisible)",
        }
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        if not CONTROL.search(plan.derived(full_text)):
            return  # the common case: one search of the whole text, not one per line
        for line in plan.lines:
            for match in CONTROL.finditer(line.text):
                column = line.column(match.start())
                span = Span(line.number, column, line.number, column + 1)
                yield self.report(context, span, codepoint=ord(match[0]))


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    return [ControlCharacter]
