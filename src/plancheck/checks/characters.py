"""The characters of a plan's text: none at all, from a PDF without a text layer (PC003), and
stray control characters (PC004)."""

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

    Why: plancheck reads the text of a PDF and does no OCR; a scanned PDF holds only pictures of
    its pages, so no rule could check it and a silent result would look like a clean plan. This
    one finding says so instead.

    How it knows: for a PDF whose pages hold no text (a stamped page number aside) the PDF
    reader returns a Source with no lines (encoding ``pdf-no-text``); every text file has at
    least one line, so a plan without lines can only come from such a PDF (or from a reader
    plugin that means the same).

    Source: plancheck's reader (the Cabinet Office publishes plans as PDFs exported from Word,
    which carry their text).

    Failing example: a PDF made by scanning the printed plan (pages are images only).

    Passing example: the same plan saved as PDF from Word (「名前を付けて保存」→ PDF), or the
    .docx itself.
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
