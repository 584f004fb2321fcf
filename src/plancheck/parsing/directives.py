"""Suppression comments in a plan's original lines: ``<!-- plancheck: disable=PC501 -->`` alone on
a line for the next line, or at the end of a line of text for that line (ruff's ``# noqa`` habit);
``<!-- plancheck: disable-file=PC503 -->`` for the whole file (invisible when Markdown renders).
The engine's filter stage applies them; PC002 reports those that silence nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from plancheck.parsing.ast import Span

if TYPE_CHECKING:
    from plancheck.api.rule import Finding

# The head of a suppression comment, up to its codes. The codes run to the first ``>``, which must
# close the comment (``-->``). Matching that tail with a regex (``([^>]*?)\s*-->``) costs cubic time
# on a long comment full of spaces and quadratic time on many unclosed heads; ``directives`` finds
# the ``>`` with str.find instead, once for all the heads before it: one pass over the line.
_HEAD = re.compile(r"<!--\s*+plancheck:\s*+(disable-file|disable)\s*+=\s*+")


@dataclass(frozen=True)
class Directive:
    """One suppression comment: which codes (prefixes, or ``all``) it silences, and where."""

    span: Span
    whole_file: bool
    codes: tuple[str, ...]
    #: True when the comment shares its line with text (at its end, as a Word comment on a
    #: paragraph is read): it silences that line instead of the next one
    same_line: bool = False

    @property
    def silenced_line(self) -> int | None:
        """The line the comment silences; None for the whole file."""
        if self.whole_file:
            return None
        return self.span.line if self.same_line else self.span.line + 1


def _comments(line: str) -> Iterator[tuple[int, int, str, str]]:
    """``(start, end, kind, codes text)`` of each suppression comment in one line, left to right.

    The same comments as ``<!--\\s*plancheck:\\s*(disable-file|disable)\\s*=\\s*([^>]*?)\\s*-->``
    finds, in linear time: after a head, the codes run to the first ``>``, and the comment is one
    only if that ``>`` ends a ``-->``; a head that fails that way is followed by the next one.
    """
    position = 0
    close = -1  # the first ">" at or after the last head's end (heads come in order)
    while head := _HEAD.search(line, position):
        codes_start = head.end()
        if close < codes_start:
            close = line.find(">", codes_start)
            if close < 0:
                return  # no later head can be closed either
        if close - 2 >= codes_start and line.startswith("--", close - 2):
            yield head.start(), close + 1, head[1], line[codes_start : close - 2].rstrip()
            position = close + 1
        else:
            position = head.start() + 1


def directives(lines: Sequence[str]) -> list[Directive]:
    """Every suppression comment in the original lines."""
    found = []
    for number, line in enumerate(lines, start=1):
        if "plancheck" not in line:
            continue
        comments = list(_comments(line))
        outside, position = [], 0  # the line's text around its suppression comments
        for start, end, _, _ in comments:
            outside.append(line[position:start])
            position = end
        same_line = bool("".join(outside).strip() or line[position:].strip())
        for start, end, kind, text in comments:
            codes = tuple(c.strip() for c in text.replace(" ", ",").split(",") if c.strip())
            span = Span(number, start + 1, number, end + 1)
            found.append(Directive(span, kind == "disable-file", codes, same_line))
    return found


def apply(
    findings: Sequence[Finding], comments: Sequence[Directive]
) -> tuple[list[Finding], list[set[str]]]:
    """The findings no comment silences, and for each comment the codes it silenced.

    Comments are indexed by the line they silence (``None``: the whole file), then by each code
    they name, so a finding looks up the prefixes of its own code instead of asking every
    comment; and each group of comments records a finding's code once. Thousands of silenced
    findings under thousands of comments stay linear.
    """
    used: list[set[str]] = [set() for _ in comments]
    index: dict[int | None, dict[str, list[int]]] = {}
    for number, directive in enumerate(comments):
        at_line = index.setdefault(directive.silenced_line, {})
        for code in dict.fromkeys(directive.codes):
            at_line.setdefault(code, []).append(number)
    whole_file = index.get(None)
    recorded: set[tuple[int | None, str, str]] = set()  # (line, comment code, finding code)
    kept = []
    for finding in findings:
        silenced = False
        for line, by_code in ((finding.line, index.get(finding.line)), (None, whole_file)):
            if not by_code:
                continue
            for code in _prefixes(finding.code):
                silencing = by_code.get(code)
                if silencing is None:
                    continue
                silenced = True
                if (line, code, finding.code) not in recorded:
                    recorded.add((line, code, finding.code))
                    for number in silencing:
                        used[number].add(finding.code)
        if not silenced:
            kept.append(finding)
    return kept, used


@lru_cache(maxsize=256)
def _prefixes(code: str) -> tuple[str, ...]:
    """What a comment may name to silence ``code``: ``all`` or a prefix (``PC5``, ``PC501``)."""
    return ("all", *(code[:end] for end in range(1, len(code) + 1)))
