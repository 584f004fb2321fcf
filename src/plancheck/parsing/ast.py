"""The plan as typed dataclasses: sections hold items, items hold labels, all hold blocks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from plancheck.parsing.normalize import Line

if TYPE_CHECKING:
    from plancheck.api.fixes import Edit
    from plancheck.parsing.directives import Directive

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

    def lines(self) -> Iterator[tuple[str, Span]]:
        yield self.text, self.span


@dataclass
class Enumeration:
    """A line opened by an enumeration marker: (1), ア, ・, 1., or a circled number in body text."""

    span: Span
    marker: str
    text: str

    kind = "paragraph"

    def lines(self) -> Iterator[tuple[str, Span]]:
        """The line with its marker (「(1) 事業の概要」)."""
        yield f"{self.marker} {self.text}".strip(), self.span


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

    def lines(self) -> Iterator[tuple[str, Span]]:
        """One line a row, its cells joined by tabs."""
        for row in self.rows:
            yield "\t".join(row.cells), row.span


Block = Paragraph | Enumeration | Table


class _Container:
    """The queries rules ask of a section, an item or a label (nodes with a heading and children):
    what is under it, and its text line by line with where each line is."""

    span: Span
    children: list[Any]

    def heading_text(self) -> str:
        """What the heading line says: a section's or item's title (a label gives its text
        after 】 instead)."""
        return str(getattr(self, "title", ""))

    def descendants(self) -> Iterator[Block | Label | Item | Section]:
        """Every node under this one (blocks, labels, items, subsections), in document order."""
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(getattr(node, "children", ())))

    def lines(self) -> Iterator[tuple[str, Span]]:
        """The node's text line by line with the span of each, in document order: the heading
        (:meth:`heading_text`), then every line under it (a table gives one a row, its cells
        joined by tabs; an enumeration keeps its marker). Every normalised line the node covers
        gives one entry, empty texts included, with the span of the line's start."""
        yield self.heading_text(), self.span
        for child in self.children:
            yield from child.lines()

    def content(self) -> str:
        """Everything the node says (:meth:`lines`), its non-empty lines joined by line feeds."""
        return "\n".join(text for text, _ in self.lines() if text)


@dataclass
class Label(_Container):
    """A bracket label such as 【自立性】 with the text on its line and the blocks under it."""

    span: Span
    label: str
    text: str = ""
    children: list[Block] = field(default_factory=list)

    kind = "label"

    def heading_text(self) -> str:
        return self.text

    def body_text(self) -> str:
        """Everything the label says: its own line's text and its paragraphs, joined."""
        return self.content()


@dataclass
class Item(_Container):
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
class Section(_Container):
    """A numbered section (1, 4-1, 5-3-1); ``children`` holds blocks, labels, items, subsections."""

    span: Span
    number: str
    title: str
    children: list[Block | Label | Item | Section] = field(default_factory=list)
    #: the number as written when a slip was read as this number (「4-l」「4ー1」 for 4-1), else ""
    written: str = ""

    kind = "section"

    def items(self) -> Iterator[Item]:
        return (child for child in self.children if isinstance(child, Item))

    def item(self, number: str) -> Item | None:
        return next((item for item in self.items() if item.number == number), None)

    def labels(self) -> Iterator[Label]:
        return (child for child in self.children if isinstance(child, Label))

    def subsections(self) -> Iterator[Section]:
        return (child for child in self.children if isinstance(child, Section))

    def find_item(self, number: str | None = None, *, title: str | None = None) -> Item | None:
        """The first item anywhere under the section (in a subsection or a label too) with this
        number (「⑥」) and/or whose title starts with ``title`` (spaces ignored), or None."""
        wanted = title.replace(" ", "") if title is not None else None
        for node in self.descendants():
            if not isinstance(node, Item) or (number is not None and node.number != number):
                continue
            if wanted is None or node.title.replace(" ", "").startswith(wanted):
                return node
        return None


@dataclass
class Plan:
    """A parsed document: its title line, what precedes the first section, and the section tree."""

    path: str
    lines: list[Line]
    title: Paragraph | None = None
    preamble: list[Block | Label | Item] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    #: the suppression comments of the original lines (the engine's filter stage applies them)
    suppressions: list[Directive] = field(default_factory=list)
    #: the original lines as read (before normalising), for fixes (:meth:`edit`); empty when the
    #: plan was parsed from normalised lines alone
    source_lines: tuple[str, ...] = ()
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

    def lines_at(self, number: int) -> list[Line]:
        """The normalised lines read from original line ``number`` (usually one; none if blank
        lines were dropped; two when a glued heading was split off)."""
        return self._lines_numbered(number)

    def _lines_numbered(self, number: int) -> list[Line]:
        # lines are in order and each original line gives at least one normalised line
        from bisect import bisect_left

        keys = self.derived(_line_numbers)
        start = bisect_left(keys, number)
        end = start
        while end < len(keys) and keys[end] == number:
            end += 1
        return self.lines[start:end]

    def edit(self, line: Line, start: int, end: int, new: str) -> Edit | None:
        """A fix's edit replacing ``line.text[start:end]`` (normalised text) with ``new`` in the
        original line, or None when the original characters there cannot be told for certain
        (see :func:`plancheck.parsing.edits.edit_on_line`)."""
        from plancheck.parsing.edits import edit_on_line

        return edit_on_line(self, line, start, end, new)

    def lines_under(self, node: Section | Item | Label | Block) -> list[Line]:
        """The normalised lines ``node`` covers (its heading and everything under it), with their
        column maps: for rules that point at words (``line.column(index)``).

        Every non-blank normalised line opens exactly one node or table row whose span starts
        where the line starts, so (original line, original column) ties a line to its node.
        """
        keys = {(span.line, span.column) for _, span in node.lines()}
        return [line for line in self.lines if (line.number, line.column(0)) in keys]

    def walk(self) -> Iterator[object]:
        """Every node, depth first, in document order."""
        stack: list[object] = [*reversed(self.sections), *reversed(self.preamble)]
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
