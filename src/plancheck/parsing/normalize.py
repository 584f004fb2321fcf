"""Clean text line by line (widths, Markdown, HTML, OCR spacing) while keeping a map to the original."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from plancheck.api import resources
from plancheck.api.vocabulary import CIRCLED, after_era_pattern


@dataclass(frozen=True)
class Line:
    """One normalised line: its text, its 1-based original line number and original columns.

    ``columns[i]`` is the 0-based column in the original line of ``text[i]``; ``None`` means
    the text is the original line unchanged (the common case, kept cheap).
    """

    text: str
    number: int
    columns: tuple[int, ...] | None = None

    def column(self, index: int) -> int:
        """The 1-based original column of character ``index`` of the normalised text."""
        if self.columns is None:
            return index + 1
        if not self.columns:
            return 1
        return self.columns[min(max(index, 0), len(self.columns) - 1)] + 1


def _width_table() -> dict[int, int | str]:
    table: dict[int, int | str] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "  # ideographic space
    for dash in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0x2500, 0xFE63):
        table[dash] = "-"
    return table


_WIDTH = _width_table()


def fold_widths(text: str) -> str:
    """``text`` with the widths folded as normalising does (「３２」 → 「32」, 「ー」 dashes → 「-」)."""
    return text.translate(_WIDTH)


_NEEDS_WIDTH = re.compile("[" + "".join(re.escape(chr(c)) for c in _WIDTH) + "]")
# A character some repair in _clean acts on (or a Markdown line start): without one, a line is
# already clean. Keep in step with _clean when a repair is added.
_NEEDS_REPAIR = re.compile(
    "[<&$*_【K \t" + "".join(re.escape(chr(c)) for c in _WIDTH) + "]|^[#>+-]"
)


class _Tracked:
    """A string with the original column of each character, edited by regex substitution.

    The columns are materialised only when a substitution first changes the text; until then
    they are ``offset, offset + 1, …`` (most lines need no repair).
    """

    __slots__ = ("text", "cols", "offset")

    def __init__(self, text: str, offset: int) -> None:
        self.text = text
        self.offset = offset
        self.cols: list[int] | None = None

    def sub(
        self,
        pattern: re.Pattern[str] | _BeforeLastCloser,
        repl: str | Callable[[re.Match[str]], str],
    ) -> None:
        """Replace each match; the new characters take the columns of the text they replace,
        in order (the last one repeated)."""

        def replace(match: re.Match[str], old: list[int]) -> tuple[str, list[int]]:
            start, end = match.span()
            new = repl if isinstance(repl, str) else repl(match)
            replaced = old[start:end] or [
                old[start] if start < len(old) else (old[-1] + 1 if old else self.offset)
            ]
            return new, [replaced[min(i, len(replaced) - 1)] for i in range(len(new))]

        self._edit(pattern, replace)

    def drop_spaces(self, pattern: re.Pattern[str]) -> None:
        """Delete the spaces inside each match of ``pattern``; other characters keep their column."""

        def drop(match: re.Match[str], old: list[int]) -> tuple[str, list[int]]:
            kept = [i for i in range(*match.span()) if self.text[i] != " "]
            return "".join(self.text[i] for i in kept), [old[i] for i in kept]

        self._edit(pattern, drop)

    def _edit(
        self,
        pattern: re.Pattern[str] | _BeforeLastCloser,
        edit: Callable[[re.Match[str], list[int]], tuple[str, list[int]]],
    ) -> None:
        """Rewrite each match with ``edit(match, columns) -> (text, its columns)``."""
        if not pattern.search(self.text):
            return
        old = self.columns()
        parts: list[str] = []
        cols: list[int] = []
        last = 0
        for match in pattern.finditer(self.text):
            start, end = match.span()
            parts.append(self.text[last:start])
            cols.extend(old[last:start])
            new, new_cols = edit(match, old)
            parts.append(new)
            cols.extend(new_cols)
            last = end
        parts.append(self.text[last:])
        cols.extend(old[last:])
        self.text = "".join(parts)
        self.cols = cols

    def columns(self) -> list[int]:
        if self.cols is None:
            return list(range(self.offset, self.offset + len(self.text)))
        return self.cols


class _BeforeLastCloser:
    """A lazy ``opener.*?closer`` pattern, searched only up to the last ``closer`` of each stretch
    of text without a line feed (``.`` never crosses one).

    A scan from an opener with no closer after it runs to the end of the stretch and fails, and
    the regex engine repeats it from every later opener: quadratic on a line of ``<!--``. Up to
    the last closer every scan stops at the first closer after its opener, so the scans never
    overlap and the matches are the same.
    """

    def __init__(self, pattern: re.Pattern[str], closer: str) -> None:
        self.pattern = pattern
        self.closer = closer

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        start = 0
        while start <= len(text):
            stop = text.find("\n", start)
            stop = len(text) if stop < 0 else stop
            last = text.rfind(self.closer, start, stop)
            if last >= 0:
                yield from self.pattern.finditer(text, start, last + len(self.closer))
            start = stop + 1

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)


# also plancheck's own suppression comments
_HTML_COMMENT = _BeforeLastCloser(re.compile(r"<!--.*?-->"), "-->")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_HTML_ENTITY = re.compile(r"&(?:[a-z]{2,6}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
# 「$ … \… $」: the text between two dollars, with a backslash, trimmed (the group). Written as
# ``\$\s*([^$]*?\\[^$]*?)\s*\$`` it is quadratic in the text between the dollars (every lazy step
# rescans the spaces before the closing dollar); here every run is possessive and a run of spaces
# joins the group only when something other than the closing dollar follows it: one pass from each
# dollar to the next.
_LATEX_MATH = re.compile(r"\$\s*+([^$\\]*+\\(?:[^$\s]++|\s++(?!\$))*+)\s*+\$")
_LATEX_NO = re.compile(r"\\mathcal\s*\{\s*O\s*\}")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\s*\{([^{}]*)\}")
# A bold heading glued to the end of a body line by a converter: 「2 に同じ。 **② 事業の名称**」.
_GLUED_HEADING = re.compile(
    rf"(?<=\S)[ \t]+(?=\*\*(?:[{CIRCLED}]|【|\d{{1,2}}(?:-\d{{1,2}}){{0,2}}[ ]))"
)
_MARKDOWN_LEAD = re.compile(r"^[ ]*(?:#{1,6}(?:[ ]+|$)|[-*+][ ]+(?=\S)|>[ ]?)")
_BOLD = re.compile(r"\*\*|__(?=\S)|(?<=\S)__")
_LABEL = re.compile(r"【([^】\n]{0,60})】")
_SPACED_KPI = re.compile(rf"K[ ]*P[ ]*I(?:[ ]+(?=[\d({CIRCLED}]))?")
_SPACED_DECIMAL = re.compile(r"(?<=\d)[ ]*\.[ ]+(?=\d)|(?<=\d)[ ]+\.(?=\d)")
_SPACED_THOUSANDS = re.compile(r"(?<=\d),[ ]+(?=\d{3})")
# OCR letter-spacing inside a date: 「2 0 2 7 年」「3 1 日」. Only a run of two to four single digits
# joined by single spaces and followed (after at most one space) by 年, 月 or 日 (年度 too), so
# 「1 2 3」 and 「KPI 1 2」 stay apart. The run must start at its first digit (the lookbehinds) and
# the possessive ``{1,3}+`` never backtracks: one pass over the line, even a long 「1 1 1 …」 with
# no date word. A space between a particle (hiragana) and the run is OCR damage too:
# 「1日から 2 0 2 7 年」 reads 「1日から2027年」. Applied with _Tracked.drop_spaces.
_SPACED_DATE_DIGITS = re.compile(
    r"(?:(?<=[ぁ-ゖ])[ ])?(?<!\d)(?<!\d[ ])\d(?:[ ]\d){1,3}+(?=[ ]?[年月日])"
)
_DIGIT_SPACE_DIGIT = re.compile(r"\d \d")
_SPACE_BEFORE_UNIT = re.compile(
    r"(?<=\d)[ ]+(?=年|月|日|度|件|人|社|円|千円|万|億|%|ヶ|カ|か|箇|個|回|校|者|条|項|号)"
)


# after an era name of rules/eras.yaml: 「令和 6年」
@cache
def _space_after_counter() -> re.Pattern[str]:
    """Built on first use: the era names come from rules/eras.yaml, read when a plan is."""
    return re.compile(rf"(?:(?<=[年月第約])|{after_era_pattern()})[ ]+(?=\d)")


_MARKDOWN_STARTS = frozenset(" #-*+>")
_LEADING_SPACE = re.compile(r"^[ ]+")
# Only from the first of a run: tried from every space, ``[ \t]+$`` is quadratic in a long run of
# spaces inside a line that ends in a space.
_TRAILING_SPACE = re.compile(r"(?<![ \t])[ \t]+$")


@lru_cache(maxsize=1)
def _ocr_corrections() -> tuple[tuple[str, str], ...]:
    table = resources.load_checked_yaml("text.yaml", "text.schema.json").get("ocr_corrections", {})
    return tuple(table.items())


def _fix_label(match: re.Match[str]) -> str:
    inner = match.group(1).replace(" ", "")
    label = f"【{inner}】"
    for wrong, right in _ocr_corrections():
        if label == wrong:
            return right
    return label


def _fix_latex(match: re.Match[str]) -> str:
    inner = _LATEX_NO.sub("の", match.group(1))
    return _LATEX_COMMAND.sub(r"\1", inner).replace(" ", "")


def _clean(tracked: _Tracked) -> None:
    """Apply every textual repair to one piece of a line, in a fixed order.

    Each repair is tried only when the line has the character it needs (most lines need none:
    this keeps normalising linear and cheap).
    """
    text = tracked.text
    if "<" in text:
        tracked.sub(_HTML_COMMENT, "")
        tracked.sub(_HTML_TAG, "")
    if "&" in text:
        tracked.sub(_HTML_ENTITY, lambda m: html.unescape(m.group(0)))
    if "$" in text:
        tracked.sub(_LATEX_MATH, _fix_latex)
    if tracked.text[:1] in _MARKDOWN_STARTS:
        tracked.sub(_MARKDOWN_LEAD, "")
        tracked.sub(_MARKDOWN_LEAD, "")  # nested list markers: 「 - ・ 法第5条…」
    if "*" in text or "_" in text:
        tracked.sub(_BOLD, "")
    if "【" in text:
        tracked.sub(_LABEL, _fix_label)
    if "K" in text:
        tracked.sub(_SPACED_KPI, "KPI")
    if " " in tracked.text:
        tracked.sub(_SPACED_DECIMAL, ".")
        tracked.sub(_SPACED_THOUSANDS, ",")
        if _DIGIT_SPACE_DIGIT.search(tracked.text):  # cheap test first: most lines have none
            tracked.drop_spaces(_SPACED_DATE_DIGITS)
        tracked.sub(_SPACE_BEFORE_UNIT, "")
        tracked.sub(_space_after_counter(), "")
        tracked.sub(_LEADING_SPACE, "")
    if tracked.text[-1:] in (" ", "\t"):
        tracked.sub(_TRAILING_SPACE, "")


def normalize_line(raw: str, number: int) -> list[Line]:
    """Normalise one original line into one or more logical lines (a glued heading splits off)."""
    if not raw.strip():
        return [Line("", number)]
    if not _NEEDS_REPAIR.search(raw):
        return [Line(raw, number)]  # most lines: nothing any repair below would touch
    text = raw.translate(_WIDTH) if _NEEDS_WIDTH.search(raw) else raw
    pieces = [(0, len(text))]
    glued = _GLUED_HEADING.search(text)
    if glued:
        pieces = [(0, glued.start()), (glued.end(), len(text))]
    lines = []
    for start, end in pieces:
        tracked = _Tracked(text[start:end], start)
        _clean(tracked)
        if tracked.cols is None and start == 0:  # only the widths may differ: columns unchanged
            lines.append(Line(tracked.text, number))
        else:
            lines.append(Line(tracked.text, number, tuple(tracked.columns())))
    return lines


def normalize(raw_lines: Iterable[str]) -> list[Line]:
    """Normalise a whole document; every output line knows its original line number."""
    out: list[Line] = []
    for number, raw in enumerate(raw_lines, start=1):
        out.extend(normalize_line(raw, number))
    return out
