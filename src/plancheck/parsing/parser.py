"""Parse normalised lines with the Lark grammar (grammars/plan.lark) into the plan AST."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, cast

from lark import Lark, Token, Transformer
from lark.lexer import Lexer

from plancheck.api import resources
from plancheck.api.vocabulary import CIRCLED, circled_value, kpi_number
from plancheck.parsing.ast import (
    Block,
    Enumeration,
    Item,
    Label,
    Paragraph,
    Plan,
    Row,
    Section,
    Span,
    Table,
)
from plancheck.parsing.directives import directives
from plancheck.parsing.normalize import Line, normalize
from plancheck.reading.source import Source

_SECTION = re.compile(r"(\d{1,2}(?:-\d{1,2}){0,2})(?![\d.,:;~)%/-])([ \t]*)(.*)")
# A section number with a slip that reads as a digit or a dash (「4-l」「4-I」 for 4-1 after the
# widths are folded, 「4ー1」「4一1」 with a long-vowel mark or 一): read as the number it stands for
# only when a space and a title follow, and kept on the section (PC101 says what it was taken for).
_SLIPPED_SECTION = re.compile(r"(\d{1,2}(?:[-ー一][\dlI|]{1,2}){1,2})(?![\d.,:;~)%/-])([ \t]+)(.*)")
_SLIPS = str.maketrans({"l": "1", "I": "1", "|": "1", "ー": "-", "一": "-"})
_ITEM = re.compile(rf"([{CIRCLED}])[ \t]*(.*)")
_LABEL = re.compile(r"(【[^】]{1,60}】)[ \t]*(.*)")
_ENUM = re.compile(
    r"(\(\d{1,2}\)|\([ア-ン]\)|[ア-ン](?=[ \t])|・|\d{1,2}\.(?=[ \t])|[●◆■◇□○〇◎※])[ \t]*(.*)"
)
# What may follow a section number in a sentence but never in a heading: particles, units,
# punctuation (「2 に同じ。」「7-1 に掲げる…」「10校」「4か所」).
_NOT_A_TITLE_START = set(
    "にのをとはがでへやもから、。,.)]年月日度件人社円万億%ヶカか箇個回校者歳つ名点倍"
)
# Particles longer than one character: 「3 まで」 is a sentence, 「5-2-2 まち・ひと・しごと…」 a title.
_NOT_A_TITLE_PREFIX = ("まで",)
# Counters of municipalities glued to a number open a sentence (「2市1町（…）は」「3県」), never a
# section title: the formats' titles start with words like 地域再生計画, 地方創生, 計画期間.
_GLUED_COUNTER = set("市町村区郡県都府道")


def _is_heading_title(separator: str, title: str) -> bool:
    """Whether the text after a number is a section title rather than the rest of a sentence."""
    if not title or title[0] in _NOT_A_TITLE_START or title.startswith(_NOT_A_TITLE_PREFIX):
        return False
    if not separator and title[0] in _GLUED_COUNTER:
        return False
    # 「3県市が一体となって推進している。」: a number glued to a sentence that ends in 。
    return not (not separator and title.endswith("。"))


def _slipped_section(text: str) -> re.Match[str] | None:
    """A heading whose number has a slip (「4-l 地方創生の…」), or None."""
    match = _SLIPPED_SECTION.match(text)
    if match is None or match[1].translate(_SLIPS) == match[1]:
        return None
    return match if _is_heading_title(match[2], match[3]) else None


def _item_number(match: re.Match[str]) -> int:
    return circled_value(match[1]) or 0  # the pattern only matches circled numbers


def _is_item(match: re.Match[str], last_item: int) -> bool:
    """A circled number opens an item when it advances the sequence, or when it is set apart
    from a short title like a heading (「⑦ 交付対象事業に要する経費」 after ⑧ is a misplaced item;
    「①国際コンベンションの開催」 inside ③ is an enumeration)."""
    if _item_number(match) > last_item:
        return True
    separated = match.end(1) < len(match.string) and match.string[match.end(1)] in " \t"
    title = match[2]
    return separated and 0 < len(title) <= 40 and "。" not in title


class LineLexer(Lexer):
    """Turn each normalised line into the tokens the grammar expects, with original positions."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, lines: list[Line]) -> Iterator[Token]:  # type: ignore[override]
        last_item = 0  # circled numbers that do not advance the item sequence are enumerations
        after_row = False  # a blank line matters only where it ends a table
        for line in lines:
            text = line.text
            if not text.strip():
                if after_row:
                    yield _token("_BLANK", "", line, 0, 0)
                after_row = False
                continue
            after_row = "\t" in text
            if after_row:
                yield _row_token(line)
                continue
            if (match := _slipped_section(text)) or (
                (match := _SECTION.match(text)) and _is_heading_title(match[2], match[3])
            ):
                last_item = 0
                yield _line_token("SECTION", match, line)
            elif (match := _ITEM.match(text)) and _is_item(match, last_item):
                last_item = max(last_item, _item_number(match))
                yield _line_token("ITEM", match, line)
            elif match := _LABEL.match(text):
                yield _line_token("LABEL", match, line)
            elif (match := _ENUM.match(text)) or (match := _ITEM.match(text)):
                yield _line_token("ENUMERATION", match, line)
            else:
                yield _token("TEXT", text, line, 0, len(text))


def _token(kind: str, value: str, line: Line, start: int, end: int) -> Token:
    return Token(
        kind,
        value,
        line=line.number,
        column=line.column(start),
        end_line=line.number,
        end_column=line.column(max(end - 1, start)) + (1 if end > start else 0),
    )


def _line_token(kind: str, match: re.Match[str], line: Line) -> Token:
    """One token for a heading, label or enumeration line; its ``value`` is the match that
    classified the line (group 1: the number or marker, last group: the title or text)."""
    token = _token(kind, line.text, line, match.start(1), len(line.text))
    token.value = match
    return token


def _row_token(line: Line) -> Token:
    """One token for a tab-separated row; its ``value`` is the Line, which the transformer splits
    into cells with their original columns (the text of the token is the line's text)."""
    cells = line.text.split("\t")
    is_definition = kpi_number(cells[0]) is not None and "単位" in (c.strip() for c in cells)
    token = _token("KPI_ROW" if is_definition else "ROW", line.text, line, 0, len(line.text))
    token.value = line
    return token


def _cells(line: Line) -> tuple[list[str], list[int]]:
    """The cells of a row and the original 1-based column where each starts."""
    cells, columns, start = [], [], 0
    for cell in line.text.split("\t"):
        cells.append(cell.strip())
        columns.append(line.column(start))
        start += len(cell) + 1
    return cells, columns


def _span(tokens: list[Token]) -> Span:
    """From the first token's start to the last token's end (every rule has a token)."""
    first, last = tokens[0], tokens[-1]
    # lark types positions as optional; _token always sets them
    assert first.line is not None and first.column is not None
    assert last.end_line is not None and last.end_column is not None
    return Span(first.line, first.column, last.end_line, last.end_column)


class _ToAst(Transformer):
    """Build dataclasses while parsing (an inline LALR transformer: no parse tree in between).

    Spans come from the tokens, which carry original lines and columns. Sections are nested by
    number afterwards, in :func:`parse_lines`.
    """

    def paragraph(self, children: list[Token]) -> Paragraph:
        return Paragraph(_span(children), str(children[0]))

    def enumeration(self, children: list[Token]) -> Enumeration:
        _, marker, text = self._heading(children)
        return Enumeration(_span(children), marker, text)

    def row(self, children: list[Token]) -> Row:
        return Row(_span(children), *_cells(children[0].value))

    def kpi_definition(self, children: list[Token]) -> Row:
        return Row(_span(children), *_cells(children[0].value), is_kpi_definition=True)

    def table(self, children: list[Row]) -> Table:
        first, last = children[0].span, children[-1].span
        return Table(Span(first.line, first.column, last.end_line, last.end_column), children)

    def _heading(self, children: list[Token]) -> tuple[Span, str, str]:
        match = children[0].value
        return _span(children), match[1], match[match.lastindex]

    item_heading = label_heading = _heading

    def section_heading(self, children: list[Token]) -> tuple[Span, str, str, str]:
        span, written, title = self._heading(children)
        return span, written.translate(_SLIPS), title, written

    def label(self, children: list[Any]) -> Label:
        span, bracketed, text = children[0]
        return Label(span, bracketed[1:-1], text, children[1:])

    def item(self, children: list[Any]) -> Item:
        span, number, title = children[0]
        return Item(span, number, title, children[1:])

    def section(self, children: list[Any]) -> Section:
        span, number, title, written = children[0]
        return Section(span, number, title, children[1:], "" if written == number else written)

    def start(self, children: list[Any]) -> list[Any]:
        return children


def build_parser(**options: Any) -> Lark:
    """A new Lark parser for the plan grammar (tests pass ``strict=True``).

    Positions: every token carries its original line and columns, and the transformer builds
    each node's span from its tokens. Lark's ``propagate_positions`` would compute the same spans
    a second time, for parse-tree nodes that are never built here, and doubles the parse time.
    """
    return Lark(
        resources.read_text("grammars", "plan.lark"),
        parser="lalr",
        lexer=LineLexer,
        maybe_placeholders=False,
        **options,
    )


@lru_cache(maxsize=1)
def _lark() -> Lark:
    # the transformer runs inside the LALR parser: no intermediate parse tree is built; the
    # analysed grammar is cached on disk (Lark checks the grammar's hash) to start faster
    folder = resources.cache_dir()
    cache = str(folder / "plan-grammar.lark-cache") if folder else False
    return build_parser(transformer=_ToAst(), cache=cache)


def parse_source(source: Source) -> Plan:
    """The plan of a Source: its lines normalised and parsed, with its suppression comments."""
    plan = parse_lines(normalize(source.lines), source.path)
    plan.suppressions = directives(source.lines)
    plan.source_lines = tuple(source.lines)
    return plan


def parse_lines(lines: list[Line], path: str = "<text>") -> Plan:
    """Parse normalised lines into a :class:`Plan`. Never fails: any text has an outline."""
    # the inline transformer's start rule returns the top-level nodes, not a Tree
    nodes = cast(list[Section | Block | Label | Item], _lark().parse(lines))
    plan = Plan(path=path, lines=lines)
    sections: list[Section] = []
    for node in nodes:
        if isinstance(node, Section):
            sections.append(node)
        else:
            plan.preamble.append(node)
    first = plan.preamble[0] if plan.preamble else None
    if isinstance(first, Paragraph):
        plan.title = first
        del plan.preamble[0]
    plan.sections = _nest(sections)
    return plan


def _nest(sections: list[Section]) -> list[Section]:
    """Put each section under the latest section whose number is its prefix (5-3-1 under 5-3)."""
    roots: list[Section] = []
    latest: dict[str, Section] = {}
    for section in sections:
        parts = section.number.split("-")
        parent = None
        for depth in range(len(parts) - 1, 0, -1):
            parent = latest.get("-".join(parts[:depth]))
            if parent is not None:
                break
        (parent.children if parent is not None else roots).append(section)
        latest[section.number] = section
    return roots
