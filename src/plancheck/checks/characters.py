"""The characters of a plan's text: none at all, from a PDF without a text layer (PC003), and
stray control characters (PC004)."""

from __future__ import annotations

from collections.abc import Iterator

from plancheck.api.hookspecs import hookimpl
from plancheck.api.rule import Context, Finding, Rule
from plancheck.parsing.ast import Plan, Span, full_text
from plancheck.reading.source import CONTROL


class ControlCharacter(Rule):
    """制御文字が含まれている (an invisible control character in the text).

    Its documentation, in Japanese and English, is rules/docs/PC004.yaml
    (``plancheck rule PC004``).
    """

    code = "PC004"
    name = "control-character"
    severity = "warning"
    needs_profile = False

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        if not CONTROL.search(plan.derived(full_text)):
            return  # the common case: one search of the whole text, not one per line
        for line in plan.lines:
            for match in CONTROL.finditer(line.text):
                column = line.column(match.start())
                span = Span(line.number, column, line.number, column + 1)
                yield self.report(context, span, codepoint=ord(match[0]))


class NoTextLayer(Rule):
    """PDF に文字情報（テキスト層）がない (the PDF has no text layer: a scan or a picture).

    Its documentation, in Japanese and English, is rules/docs/PC003.yaml
    (``plancheck rule PC003``).

    How it knows: for a PDF whose pages hold no text (a stamped page number aside) the PDF
    reader returns a Source with no lines (encoding ``pdf-no-text``); every text file has at
    least one line, so a plan without lines can only come from such a PDF (or from a reader
    plugin that means the same).
    """

    code = "PC003"
    name = "no-text-layer"
    severity = "error"
    needs_profile = False

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        if not plan.lines:
            yield self.report(context, Span(1))


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    return [NoTextLayer, ControlCharacter]
