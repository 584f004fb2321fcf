"""Read KPI tables of every format generation into rows of decimal values, wherever they appear."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from plancheck.api.vocabulary import kpi_number, placeholder_pattern
from plancheck.parsing.ast import Item, Label, Plan, Row, Section, Table

# Cells that say "no value": hyphens of every width (already folded to "-"), underscores, the long
# vowel mark OCR reads for a dash.
EMPTY_MARKERS = frozenset({"-", "_", "ー", "‐", "―"})
# A number with thousands commas and decimals, then a unit (人, 千円, 億円, %, 人/年, km …); a
# unit never starts with a point or comma (「2.OO」 is an OCR slip, not 2 with unit 「.OO」).
_NUMBER = re.compile(r"([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)((?:[^\d.,][^\d]{0,7})?)")
# No KPI needs more: 1兆 (10^12) with two decimals is 15 digits. Sums of such values stay exact in
# Decimal's default 28-digit context.
MAX_DIGITS = 18
# 「平成29年3月末」: a dated snapshot column; a digit run is tried from its first digit only
_SNAPSHOT = re.compile(r"(?<!\d)\d+年\d+月(末)?$")


@cache
def _placeholder() -> re.Pattern[str]:
    """Built on first use: the marks come from rules/vocabulary.yaml."""
    return re.compile(placeholder_pattern())


@dataclass(frozen=True)
class Column:
    """One value column of a KPI table, classified from its header cell."""

    #: "baseline" (事業開始前, 現状値), "increment" (…年度増加分), "total" (累計),
    #: "target" (目標値), "snapshot" (…年3月末), "other" (a label column such as 基本目標)
    kind: str
    header: str


@dataclass(frozen=True)
class Value:
    """A cell as written and, when it holds one, its number (Decimal, unit stripped)."""

    text: str
    number: Decimal | None
    unit: str
    column: int = 1  # original 1-based column of the cell
    #: written as a number, but with more digits than any KPI can have (not read as one)
    implausible: bool = False

    @property
    def is_empty(self) -> bool:
        """The cell says "no value" (「-」) or was left blank."""
        return self.text in EMPTY_MARKERS or not self.text

    @property
    def is_blank(self) -> bool:
        """Nothing at all in the cell (kept only where the row has every cell of its header)."""
        return not self.text

    @property
    def is_placeholder(self) -> bool:
        """A template blank such as 「〇〇」 left in the cell."""
        return _placeholder().fullmatch(self.text) is not None

    @property
    def places(self) -> int:
        """Decimal places as printed (「15.00」 → 2): the precision to compare at."""
        exponent = self.number.as_tuple().exponent if self.number is not None else 0
        return max(-exponent, 0) if isinstance(exponent, int) else 0  # str: NaN or infinity


@dataclass(frozen=True)
class KpiRow:
    """A data row: the KPI's display name, its row (for its span) and its value cells.

    ``title`` is the KPI as the plan names it (the 2021 definition row, or the row label of older
    tables); None for a 2021 data row whose KPI has no definition row.
    """

    name: str
    title: str | None
    row: Row
    values: tuple[Value, ...]

    @property
    def is_unused(self) -> bool:
        """An unused slot of the 2021 grid: 「KPI4 -」 with every value 「-」."""
        unnamed = self.title is None or self.title in EMPTY_MARKERS or not self.title
        return unnamed and all(value.is_empty for value in self.values)

    def cells_of(self, columns: tuple[Column, ...], kind: str) -> list[tuple[Column, Value]]:
        """The (column, value) pairs of one kind (「increment」…), in column order."""
        return [(c, v) for c, v in zip(columns, self.values, strict=False) if c.kind == kind]


@dataclass(frozen=True)
class KpiTable:
    """A KPI table and where it stands (「4-2」, 「5-2 ⑤」, 「7-2」)."""

    table: Table
    where: str
    columns: tuple[Column, ...]
    rows: tuple[KpiRow, ...]


def parse_value(cell: str, column: int = 1) -> Value:
    """A cell's value; a number with more than :data:`MAX_DIGITS` digits is kept as text and
    marked implausible (PC202 reports it), so that no sum is computed from it."""
    text = cell.replace(" ", "")
    match = _NUMBER.fullmatch(text)
    if not match or any(ch.isdigit() for ch in match[2]):
        return Value(text, None, "", column)
    digits = sum(ch.isdigit() for ch in match[1])
    if digits > MAX_DIGITS:
        return Value(text, None, match[2], column, implausible=True)
    return Value(text, Decimal(match[1].replace(",", "")), match[2], column)


def classify(header: str) -> str | None:
    text = header.replace(" ", "")
    if "累計" in text:
        return "total"
    if "増加分" in text:
        return "increment"
    if "事業開始前" in text or "現時点" in text or "現状値" in text:
        return "baseline"
    if "目標値" in text:
        return "target"
    if _SNAPSHOT.search(text):
        return "snapshot"
    return None


def kpi_index(cell: str) -> int | None:
    """「KPI1」「KPI①」「KPI(1)」 → 1."""
    return kpi_number(cell)


def read_kpi_tables(plan: Plan) -> list[KpiTable]:
    """Every table of the plan that has a KPI header row, in document order (read once a plan)."""
    return plan.derived(_read_all)


def _read_all(plan: Plan) -> list[KpiTable]:
    tables = []
    for table, where in _tables_with_location(plan):
        kpi = _read(table, where)
        if kpi is not None:
            tables.append(kpi)
    return tables


def _read(table: Table, where: str) -> KpiTable | None:
    names: dict[int, str] = {}
    header_at = None
    for index, row in enumerate(table.rows):
        if row.is_kpi_definition:
            number = kpi_index(row.cells[0])
            if number is not None:
                names[number] = next((c for c in row.cells[1:] if c), "")
            continue
        kinds = [classify(cell) for cell in row.cells[1:]]
        if sum(kind is not None for kind in kinds) >= 2:
            header_at = index
            break
    if header_at is None:
        return None
    header = table.rows[header_at]
    columns = tuple(Column(classify(c) or "other", c) for c in header.cells[1:] if c)
    rows = []
    for row in table.rows[header_at + 1 :]:
        if row.is_kpi_definition or not any(row.cells):
            continue
        label = row.cells[0]
        number = kpi_index(label)
        title = names.get(number) if number is not None else label
        name = f"KPI{number}「{title}」" if number is not None and title else label
        # OCR leaves stray empty cells, so blanks are dropped, unless the row has exactly the
        # header's cells: then a blank is a value left out (a target not yet filled in)
        aligned = len(row.cells) == len(header.cells) and all(header.cells[1:])
        values = tuple(
            parse_value(cell, column)
            for cell, column in zip(row.cells[1:], row.columns[1:], strict=True)
            if cell or aligned
        )
        rows.append(KpiRow(name, title, row, values))
    return KpiTable(table, where, columns, tuple(rows))


def _tables_with_location(plan: Plan) -> Iterator[tuple[Table, str]]:
    def walk(nodes: list, where: str) -> Iterator[tuple[Table, str]]:
        for node in nodes:
            if isinstance(node, Table):
                yield node, where
            elif isinstance(node, Section):
                yield from walk(node.children, node.number)
            elif isinstance(node, Item):
                yield from walk(node.children, f"{where} {node.number}".strip())
            elif isinstance(node, Label):
                yield from walk(node.children, where)

    yield from walk(plan.preamble + plan.sections, "")
