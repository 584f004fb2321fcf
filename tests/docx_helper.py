"""Build Word (.docx) files from plan text for the reader tests, as an author would in Word.

Each non-blank line becomes a paragraph; section headings (1, 4-1, 5-3-1) and 5-2 items (①–⑨)
get their number from Word's automatic numbering instead of typed digits; runs of tab-separated
lines become real Word tables, where an empty cell after a filled one is merged into it (a KPI's
name spanning its row, a title spanning the table).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from plancheck.api.vocabulary import CIRCLED
from plancheck.parsing.normalize import normalize
from plancheck.parsing.parser import parse_lines

# A number as typed, after the "#" a converter left where Word had a heading style.
_TYPED_SECTION = re.compile(
    r"(?:#{1,6} +)?([0-9０-９]{1,2}(?:[-－][0-9０-９]{1,2}){0,2})[ 　]+(\S.*)"
)
_TYPED_ITEM = re.compile(rf"(?:#{{1,6}} +)?([{CIRCLED}])[ 　]*(\S.*)")

# Section headings: 1 / 4-1 / 5-3-1, a space after the number. Items: ① with Word's default tab
# after it (the reader shows both separators as a space).
_SECTION_LEVELS = (
    ("decimal", "%1", "space"),
    ("decimal", "%1-%2", "space"),
    ("decimal", "%1-%2-%3", "space"),
)
_ITEM_LEVELS = (("decimalEnclosedCircle", "%1", None),)


@dataclass
class WordDocument:
    """The bytes of a built .docx and where each non-blank text line went (its paragraph)."""

    data: bytes
    paragraph_of_line: dict[int, int] = field(default_factory=dict)


def build_docx(text: str, *, numbered: bool = True, merge_empty: bool = True) -> WordDocument:
    """A .docx holding ``text``: see the module docstring. ``numbered=False`` keeps the typed
    numbers; ``merge_empty=False`` keeps every tab-separated cell a cell of its own."""
    lines = text.split("\n")
    numbers = _numbered_lines(lines) if numbered else {}
    document = docx.Document()
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)  # the template's empty first paragraph
    numbering = document.part.numbering_part.element
    lists = {
        "section": _ListWriter(numbering, _SECTION_LEVELS),
        "item": _ListWriter(numbering, _ITEM_LEVELS),
    }
    result = WordDocument(b"")
    paragraph_count = 0
    table: list[tuple[int, list[str]]] = []

    def flush_table() -> None:
        if table:
            _add_table(document, [cells for _, cells in table], merge_empty)
            table.clear()

    for number, line in enumerate(lines, start=1):
        if "\t" in line:
            table.append((number, line.split("\t")))
            paragraph_count += 1
            result.paragraph_of_line[number] = paragraph_count
            continue
        flush_table()
        if not line.strip():
            continue
        paragraph_count += 1
        result.paragraph_of_line[number] = paragraph_count
        if number in numbers:
            kind, parts, title = numbers[number]
            paragraph = document.add_paragraph(title)
            lists[kind].number(paragraph, parts)
        else:
            document.add_paragraph(line)
    flush_table()
    buffer = io.BytesIO()
    document.save(buffer)
    result.data = buffer.getvalue()
    return result


def _numbered_lines(lines: list[str]) -> dict[int, tuple[str, tuple[int, ...], str]]:
    """Lines the parser reads as headings or items whose number can be Word's: the line starts
    with the number as typed (not 「- 5-2」 or 「**②」), then its title."""
    plan = parse_lines(normalize(lines))
    numbered = {}
    for section in plan.iter_sections():
        line = section.span.line
        match = _TYPED_SECTION.fullmatch(lines[line - 1])
        if match and unicodedata.normalize("NFKC", match[1]) == section.number:
            parts = tuple(int(part) for part in section.number.split("-"))
            numbered[line] = ("section", parts, match[2])
        for item in section.items():
            line = item.span.line
            match = _TYPED_ITEM.fullmatch(lines[line - 1])
            if match and match[1] == item.number:
                numbered[line] = ("item", (CIRCLED.index(item.number) + 1,), match[2])
    return numbered


class _ListWriter:
    """One Word list definition; numbers paragraphs, restarting the list where the typed number
    is not the one Word would count to (a missing section: Word's "set numbering value")."""

    def __init__(self, numbering, levels: tuple[tuple[str, str, str | None], ...]) -> None:
        self.numbering = numbering
        self.abstract_id = 1 + max(
            (
                int(a.get(qn("w:abstractNumId")))
                for a in numbering.iterchildren(qn("w:abstractNum"))
            ),
            default=-1,
        )
        xml = "".join(
            f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>'
            + (f'<w:suff w:val="{suffix}"/>' if suffix else "")
            + "</w:lvl>"
            for n, (fmt, text, suffix) in enumerate(levels)
        )
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{self.abstract_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{xml}</w:abstractNum>'
        )
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)  # the schema wants every abstractNum before nums
        else:
            numbering.append(abstract)
        self.num_id: int | None = None
        self.starts: dict[int, int] = {}
        self.counters: dict[int, int] = {}

    def number(self, paragraph, parts: tuple[int, ...]) -> None:
        level = len(parts) - 1
        if self.num_id is None:
            self._new_list(())
        if self._next(level) != parts:
            self._new_list(parts)
        self.counters[level] = self.counters.get(level, self.starts.get(level, 1) - 1) + 1
        for deeper in [n for n in self.counters if n > level]:
            del self.counters[deeper]
        properties = paragraph._p.get_or_add_pPr()
        num = properties.get_or_add_numPr()
        num.get_or_add_ilvl().val = level
        num.get_or_add_numId().val = self.num_id

    def _next(self, level: int) -> tuple[int, ...]:
        counters = dict(self.counters)
        counters[level] = counters.get(level, self.starts.get(level, 1) - 1) + 1
        return tuple(counters.get(n, self.starts.get(n, 1)) for n in range(level + 1))

    def _new_list(self, starts: tuple[int, ...]) -> None:
        self.num_id = 1 + max(
            (int(n.get(qn("w:numId"))) for n in self.numbering.iterchildren(qn("w:num"))),
            default=0,
        )
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{n}"><w:startOverride w:val="{value}"/></w:lvlOverride>'
            for n, value in enumerate(starts)
        )
        self.numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{self.num_id}">'
                f'<w:abstractNumId w:val="{self.abstract_id}"/>{overrides}</w:num>'
            )
        )
        self.starts = dict(enumerate(starts))
        self.counters = {}


def _add_table(document, rows: list[list[str]], merge_empty: bool) -> None:
    width = max(len(cells) for cells in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for row_index, cells in enumerate(rows):
        for start, end, text in _spans(cells, width, merge_empty):
            cell = table.cell(row_index, start)
            if end > start:
                cell = cell.merge(table.cell(row_index, end))
            cell.text = text


def _spans(cells: list[str], width: int, merge_empty: bool) -> list[tuple[int, int, str]]:
    """(first column, last column, text) of each Word cell of a row; a short row's last cell
    spans to the table's width."""
    spans: list[list] = []
    for column, text in enumerate(cells):
        if merge_empty and not text.strip() and spans and spans[-1][2].strip():
            spans[-1][1] = column
        else:
            spans.append([column, column, text])
    spans[-1][1] = width - 1
    return [(start, end, text) for start, end, text in spans]
