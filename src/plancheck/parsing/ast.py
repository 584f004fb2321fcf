"""The plan as typed dataclasses: sections hold items, items hold labels, all hold blocks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from plancheck.parsing.normalize import Line

T = TypeVar("T")


@dataclass
class Span:
    """Where a node stands in the file as the user gave it (1-based lines and columns)."""

    line: int
    column: int = 1
    end_line: int = 0
    end_column: int = 0

    def __post_init__(self) -> None:
        self.end_line = self.end_line or self.line
        self.end_column = self.end_column or self.column


@dataclass
class Paragraph:
    span: Span
    text: str

    kind = "paragraph"


@dataclass
class Enumeration:
    """A line opened by an enumeration marker: (1), ア, ・, 1., or a circled number in body text."""

    span: Span
    marker: str
    text: str

    kind = "paragraph"


@dataclass
class Row:
    """A tab-separated row; ``columns`` holds the original 1-based column of each cell."""

    span: Span
    cells: list[str]
    columns: list[int] = field(default_factory=list)
    is_kpi_definition: bool = False


@dataclass
class Table:
    span: Span
    rows: list[Row]

    kind = "table"


Block = Paragraph | Enumeration | Table


@dataclass
class Label:
    """A bracket label such as 【自立性】 with the text on its line and the blocks under it."""

    span: Span
    label: str
    text: str = ""
    children: list[Block] = field(default_factory=list)

    kind = "label"

    def body_text(self) -> str:
        """Everything the label says: its own line's text and its paragraphs, joined."""
        parts = [self.text] if self.text else []
        parts.extend(_block_text(block) for block in self.children)
        return "\n".join(part for part in parts if part)


@dataclass
class Item:
    """A circled item of 5-2 such as ④ 事業が先導的であると認められる理由."""

    span: Span
    number: str
    title: str
    children: list[Block | Label] = field(default_factory=list)

    kind = "item"

    def labels(self) -> Iterator[Label]:
        return (child for child in self.children if isinstance(child, Label))

    def label(self, name: str) -> Label | None:
        return next((label for label in self.labels() if label.label == name), None)


@dataclass
class Section:
    """A numbered section (1, 4-1, 5-3-1); ``children`` holds blocks, labels, items, subsections."""

    span: Span
    number: str
    title: str
    children: list[Block | Label | Item | Section] = field(default_factory=list)

    kind = "section"

    def items(self) -> Iterator[Item]:
        return (child for child in self.children if isinstance(child, Item))

    def item(self, number: str) -> Item | None:
        return next((item for item in self.items() if item.number == number), None)

    def labels(self) -> Iterator[Label]:
        return (child for child in self.children if isinstance(child, Label))

    def subsections(self) -> Iterator[Section]:
        return (child for child in self.children if isinstance(child, Section))


@dataclass
class Plan:
    """A parsed document: its title line, what precedes the first section, and the section tree."""

    path: str
    lines: list[Line]
    title: Paragraph | None = None
    preamble: list[Block | Label | Item] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    _derived: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def iter_sections(self) -> Iterator[Section]:
        """Every section in document order, subsections after their parent."""
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(list(section.subsections())))

    def section(self, number: str) -> Section | None:
        """The first section with this number (e.g. ``"5-2"``), or None."""
        return self.derived(_sections_by_number).get(number)

    def derived(self, compute: Callable[..., T], *args: Any) -> T:
        """``compute(plan, *args)``, computed once per plan and arguments: rules that need the same
        reading of the plan (its KPI tables, its dates, its layout under a profile) share it."""
        key = (compute, *args) if args else compute
        if key not in self._derived:
            self._derived[key] = compute(self, *args)
        return self._derived[key]

    def find_span(self, line: int, needle: str, near: Span | None = None) -> Span:
        """The original span of ``needle`` (normalised text) on original line ``line``.

        Rules use it to point at the exact words they report; if the words are not on that line
        the span falls back to ``near`` (or the line's start).
        """
        for candidate in self._lines_numbered(line):
            index = candidate.text.find(needle)
            if index >= 0:
                end = index + max(len(needle), 1) - 1
                return Span(line, candidate.column(index), line, candidate.column(end) + 1)
        return near or Span(line)

    def _lines_numbered(self, number: int) -> list[Line]:
        # lines are in order and each original line gives at least one normalised line
        from bisect import bisect_left

        keys = self.derived(_line_numbers)
        start = bisect_left(keys, number)
        end = start
        while end < len(keys) and keys[end] == number:
            end += 1
        return self.lines[start:end]

    def walk(self) -> Iterator[object]:
        """Every node, depth first, in document order."""
        stack: list[object] = list(reversed(self.preamble + self.sections))  # type: ignore[operator]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(getattr(node, "children", [])))


def _line_numbers(plan: Plan) -> list[int]:
    return [line.number for line in plan.lines]


def full_text(plan: Plan) -> str:
    """The whole normalised text, for a rule's quick test before it scans line by line
    (use as ``plan.derived(full_text)``: joined once a plan)."""
    return "\n".join(line.text for line in plan.lines)


def _sections_by_number(plan: Plan) -> dict[str, Section]:
    index: dict[str, Section] = {}
    for section in plan.iter_sections():
        index.setdefault(section.number, section)
    return index


def _block_text(block: Block) -> str:
    if isinstance(block, Table):
        return "\n".join("\t".join(row.cells) for row in block.rows)
    if isinstance(block, Enumeration):
        return f"{block.marker} {block.text}".strip()
    return block.text
