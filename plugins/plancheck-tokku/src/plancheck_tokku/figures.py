"""Read the figures of a 総合特区評価書: the 別紙1 table of each 数値目標 (目標値, 実績値, 進捗度 by
fiscal year, the 累計 target, 寄与度) and what the text of section 3 quotes from them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from plancheck import Plan, Span, Table
from plancheck.model.dates import fiscal_year
from plancheck.parsing.ast import Row

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
# Japanese multipliers: a figure written with one (「475億円」「24.5万人」) is rounded to its last
# digit, while a plain count (「41,942人」「9件」) is exact.
MULTIPLIERS = {
    "千": Decimal(1000),
    "万": Decimal(10**4),
    "百万": Decimal(10**6),
    "億": Decimal(10**8),
}
DASHES = frozenset({"-", "ー", "―", "_"})

_FIGURE = re.compile(
    r"(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimals>\d+))?)\s*"
    r"(?P<multiplier>百万|千|万|億)?(?P<unit>[^\s\d(),、。]*)"
)


@dataclass(frozen=True)
class Figure:
    """A number as the report writes it: its value in base units (円, 人, %) and how exactly it is
    known (``margin``: half its last digit when it is written rounded, else 0)."""

    text: str
    value: Decimal
    unit: str
    margin: Decimal
    span: Span
    #: the number as written (「475」) and what follows it (「億円」), to show sums the same way
    written: Decimal = Decimal(0)
    suffix: str = ""


def read_figure(text: str, span: Span) -> Figure | None:
    """「475億円」 → 47,500,000,000 円 ± 0.5億; 「-18人」 → -18 人 exactly; None if no number."""
    match = _FIGURE.search(text)
    if not match:
        return None
    number = Decimal(match["number"].replace(",", ""))
    multiplier = MULTIPLIERS.get(match["multiplier"] or "", Decimal(1))
    places = len(match["decimals"] or "")
    margin = Decimal(0)
    if match["multiplier"]:
        margin = Decimal(5).scaleb(-places - 1) * multiplier
    suffix = (match["multiplier"] or "") + match["unit"]
    return Figure(
        match[0].strip(), number * multiplier, match["unit"], margin, span, number, suffix
    )


def format_sum(figures: list[Figure]) -> str:
    """The sum as the report would write it (「475億円」) when the figures share their unit."""
    suffixes = {figure.suffix for figure in figures}
    if len(suffixes) == 1:
        return f"{sum(f.written for f in figures):,}{suffixes.pop()}"
    return f"{sum(f.value for f in figures):,}{figures[0].unit}"


def agree(first: Figure, second: Figure) -> bool:
    """Whether two figures can be the same quantity: written alike (「12億円」, 「12億円」) they must
    be equal; written to different precisions (「24.5万人」, 「245,000人」), within their rounding."""
    if first.suffix == second.suffix and _decimals(first.text) == _decimals(second.text):
        return first.written == second.written
    return abs(first.value - second.value) <= first.margin + second.margin


def percent_range(numerator: Figure, denominator: Figure) -> tuple[Decimal, Decimal] | None:
    """The lowest and highest 100 × numerator ÷ denominator the written figures allow."""
    low_d, high_d = denominator.value - denominator.margin, denominator.value + denominator.margin
    if low_d <= 0:
        return None
    ends = [
        100 * n / d
        for n in (numerator.value - numerator.margin, numerator.value + numerator.margin)
        for d in (low_d, high_d)
    ]
    return min(ends), max(ends)


def rounds_to(reported: Figure, low: Decimal, high: Decimal) -> bool:
    """Whether some value in [low, high], rounded half up to the reported figure's decimals,
    gives the reported figure (「104%」 stands for anything in [103.5, 104.5))."""
    half = Decimal(5).scaleb(-_decimals(reported.text) - 1)
    return high >= reported.value - half and low < reported.value + half


def _decimals(text: str) -> int:
    match = re.search(r"\.(\d+)", text)
    return len(match[1]) if match else 0


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- 別紙1: one table per 数値目標 ------------------------------------------------------------

_TOTAL = re.compile(r"(?P<figure>[+-]?[\d,]+(?:\.\d+)?\s*(?:百万|千|万|億)?[^\s\d(]*)\s*\(累計\)")
_TARGET_LABEL = re.compile(r"数値目標\s*\((?P<number>\d+)\)(?:\s*-\s*[①-⑩])?")
_INDICATOR_LABEL = re.compile(r"評価指標\s*\((?P<number>\d+)\)")
_CONTRIBUTION = re.compile(r"寄与度.*?:\s*(?P<figure>\d+(?:\.\d+)?)\s*\(?%")
# The label cell of each value row; OCR sometimes glues the first value to it (「目標値 200人」).
_ROW_LABELS = {
    "target": re.compile(r"^目標値\s*"),
    "actual": re.compile(r"^実績値\s*"),
    "progress": re.compile(r"^進捗度\s*(?:\(%\))?\s*"),
}
_YEAR_LABEL = re.compile(r"(?:令和|平成)(?:\d+|元)年度")
_ASSESSMENT = "進捗状況に係る自己評価"


@dataclass(frozen=True)
class Cell:
    """One value cell of a 目標値/実績値/進捗度 row: its text (「-」 for none) and where it stands."""

    text: str
    span: Span

    @property
    def is_dash(self) -> bool:
        return self.text in DASHES

    def figure(self) -> Figure | None:
        return None if self.is_dash else read_figure(self.text, self.span)


@dataclass
class TargetTable:
    """The 別紙1 table of one 数値目標: values by fiscal year, in the years of the header."""

    table: Table
    number: str
    name: str
    ordinal: int = 1  # the n-th table of this 数値目標 number: (1)-① ② ③ share 「数値目標(1)」
    years: list[int] = field(default_factory=list)
    year_names: list[str] = field(default_factory=list)  # the header as written
    rows: dict[str, list[Cell]] = field(default_factory=dict)
    total: Figure | None = None
    contribution: Figure | None = None
    assessment: tuple[Row, str] | None = None  # the 自己評価 row and its text

    @property
    def key(self) -> tuple[str, int]:
        return (self.number, self.ordinal)

    @property
    def label(self) -> str:
        return (
            f"数値目標({self.number})「{self.name}」" if self.name else f"数値目標({self.number})"
        )

    def cell(self, kind: str, index: int) -> Cell | None:
        cells = self.rows.get(kind, [])
        return cells[index] if index < len(cells) and cells[index].text else None

    def year_name(self, index: int) -> str:
        return self.year_names[index] if index < len(self.year_names) else f"{index + 1}列目"

    def year_index(self, year: int | None) -> int | None:
        """The column of fiscal ``year``; without one, the last year with a 実績値."""
        if year is not None and year in self.years:
            return self.years.index(year)
        actual = [i for i, cell in enumerate(self.rows.get("actual", [])) if cell.text]
        return actual[-1] if actual else None


def report_year(plan: Plan) -> tuple[int | None, str]:
    """The fiscal year evaluated and how the title writes it (「令和2年度 国際戦略総合特別区域評価書」
    → 2020, 「令和2年度」); (None, "") for a title without one."""
    match = _YEAR_LABEL.search(plan.title.text) if plan.title is not None else None
    return (fiscal_year(match[0]), match[0]) if match else (None, "")


def read_target_tables(plan: Plan) -> list[TargetTable]:
    """Every 別紙1 table (one with 目標値 and 実績値 rows), in document order (read once a plan)."""
    return plan.derived(_read_all)


def _read_all(plan: Plan) -> list[TargetTable]:
    tables: list[TargetTable] = []
    seen: dict[str, int] = {}
    for node in plan.walk():
        if isinstance(node, Table):
            target = _read_table(plan, node)
            if target is not None:
                seen[target.number] = seen.get(target.number, 0) + 1
                target.ordinal = seen[target.number]
                tables.append(target)
    return tables


def _read_table(plan: Plan, table: Table) -> TargetTable | None:
    found: dict[str, list[Cell]] = {}
    for row in table.rows:
        for kind, label in _ROW_LABELS.items():
            cells = _value_cells(row, label)
            if cells is not None and kind not in found:
                found[kind] = cells
    if "target" not in found or "actual" not in found:
        return None
    heading = next((c for row in table.rows for c in row.cells if _TARGET_LABEL.search(c)), "")
    target = _TARGET_LABEL.search(heading)
    indicator = next(
        (m for row in table.rows for c in row.cells if (m := _INDICATOR_LABEL.search(c))), None
    )
    number = target["number"] if target else indicator["number"] if indicator else "?"
    result = TargetTable(
        table=table,
        number=number,
        name=_target_name(heading, target),
        rows=found,
    )
    for row in table.rows:
        _read_row(plan, row, result)
    return result


def _read_row(plan: Plan, row: Row, result: TargetTable) -> None:
    years = [(fiscal_year(cell), cell) for cell in row.cells if "年度" in cell]
    if not result.years and sum(year is not None for year, _ in years) >= 2:
        result.years = [year for year, _ in years if year is not None]
        result.year_names = [name for year, name in years if year is not None]
    for cell in row.cells:
        total = _TOTAL.search(cell)
        if total and result.total is None:
            result.total = read_figure(
                total["figure"], plan.find_span(row.span.line, total["figure"])
            )
        contribution = _CONTRIBUTION.search(cell)
        if contribution and result.contribution is None:
            span = plan.find_span(row.span.line, contribution["figure"])
            result.contribution = read_figure(contribution["figure"] + "%", span)
    first = next((cell for cell in row.cells if cell), "")
    if first.replace(" ", "").startswith(_ASSESSMENT) and result.assessment is None:
        text = " ".join(cell for cell in row.cells if cell and cell != first)
        result.assessment = (row, text)


def _value_cells(row: Row, label: re.Pattern[str]) -> list[Cell] | None:
    """The value cells of a row whose label cell matches ``label``; None for another row."""
    index = next((i for i, cell in enumerate(row.cells) if label.match(cell)), None)
    if index is None:
        return None
    line = row.span.line
    cells = []
    glued = label.sub("", row.cells[index], count=1).strip()
    if glued:
        column = row.columns[index] + row.cells[index].rindex(glued)
        cells.append(Cell(glued, Span(line, column, line, column + len(glued))))
    for cell, column in zip(row.cells[index + 1 :], row.columns[index + 1 :], strict=False):
        cells.append(Cell(cell, Span(line, column, line, column + max(len(cell), 1))))
    while cells and not cells[-1].text:
        cells.pop()
    return cells


def _target_name(heading: str, target: re.Match[str] | None) -> str:
    if target is None:
        return ""
    rest = heading[target.end() :]
    total = _TOTAL.search(rest)
    return re.sub(r"\s+", "", rest[: total.start()] if total else rest)


# --- section 3: what the text quotes ------------------------------------------------------------

_QUOTED_INDICATOR = re.compile(
    r"^評価指標\s*\((?P<number>\d+)\)\s*:(?P<name>.*?)(?:【(?P<progress>進捗度[^】]*)】)?$"
)
_QUOTED_TARGET = re.compile(
    r"^数値目標\s*\((?P<number>\d+)\)\s*(?:-\s*(?P<circled>[①-⑩]))?\s*:(?P<name>.*)$"
)
_QUOTED_TOTAL = re.compile(r"^\d+年間\s*\([^)]*\)\s*累計\s*:\s*(?P<figure>.+)$")
_QUOTED_VALUES = re.compile(r"^【(?P<body>[^】]*当該年度[^】]*)】$")
_QUOTED_ITEM = re.compile(r"(?P<kind>当該年度目標値|当該年度実績値|進捗度|寄与度)\s*(?P<value>.*)")
_QUOTED_KINDS = {
    "当該年度目標値": "target",
    "当該年度実績値": "actual",
    "進捗度": "progress",
    "寄与度": "contribution",
}


@dataclass(frozen=True)
class Quoted(Cell):
    """One figure the text quotes: a cell-like value and what it is (target, actual, progress,
    contribution, total)."""

    kind: str = ""

    @classmethod
    def of(cls, kind: str, text: str, span: Span) -> Quoted:
        return cls(text, span, kind)


@dataclass
class QuotedTarget:
    """A 数値目標 as section 3 presents it: 「数値目標(1)-②: name」, its 累計 and 【当該年度…】."""

    number: str
    ordinal: int
    label: str
    span: Span
    figures: dict[str, Quoted] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int]:
        return (self.number, self.ordinal)


@dataclass
class QuotedIndicator:
    """「評価指標(1): … 【進捗度75%】」 with the 数値目標 listed under it."""

    number: str
    progress: Quoted | None
    targets: list[QuotedTarget] = field(default_factory=list)


def read_quoted(plan: Plan) -> list[QuotedIndicator]:
    """The 評価指標 and 数値目標 of section 3 with the figures quoted for each (read once a plan)."""
    return plan.derived(_read_quoted)


def _read_quoted(plan: Plan) -> list[QuotedIndicator]:
    section = plan.section("3")
    if section is None:
        return []
    start = section.span.line
    end = min((s.span.line for s in plan.sections if s.span.line > start), default=None)
    indicators: list[QuotedIndicator] = []
    current: QuotedTarget | None = None
    for line in plan.lines:
        if line.number < start or (end is not None and line.number >= end):
            continue
        text = line.text.strip()
        if match := _QUOTED_INDICATOR.match(text):
            progress = None
            if match["progress"]:
                body = match["progress"][len("進捗度") :].strip()
                progress = Quoted.of(
                    "progress", body, plan.find_span(line.number, match["progress"])
                )
            indicators.append(QuotedIndicator(match["number"], progress))
            current = None
        elif (match := _QUOTED_TARGET.match(text)) and indicators:
            ordinal = CIRCLED.index(match["circled"]) + 1 if match["circled"] else 1
            label = text.split(":", 1)[0]
            current = QuotedTarget(
                match["number"], ordinal, label, plan.find_span(line.number, text)
            )
            indicators[-1].targets.append(current)
        elif current is not None and (match := _QUOTED_TOTAL.match(text)):
            figure = match["figure"].strip()
            current.figures["total"] = Quoted.of(
                "total", figure, plan.find_span(line.number, figure)
            )
        elif current is not None and (match := _QUOTED_VALUES.match(text)):
            for item in match["body"].split("、"):
                quoted = _QUOTED_ITEM.match(item.strip())
                if quoted:
                    kind = _QUOTED_KINDS[quoted["kind"]]
                    value = quoted["value"].strip()
                    span = plan.find_span(line.number, item.strip())
                    current.figures[kind] = Quoted.of(kind, value, span)
    return indicators


# --- the 自己評価 of a table: 「令和2年度の…は、目標値60件に対し、実績値は42件と…」 ----------------

_SENTENCE_FIGURE = r"(?P<figure>[+-]?\d[\d,]*(?:\.\d+)?\s*(?:百万|千|万|億)?[^\W\d_]?)"
_SENTENCE_TARGET = re.compile(r"目標値?\s*" + _SENTENCE_FIGURE)
_SENTENCE_ACTUAL = re.compile(r"実績値?は?\s*" + _SENTENCE_FIGURE)


def assessment_quotes(plan: Plan, table: TargetTable, year_label: str) -> list[Quoted]:
    """The 目標値 and 実績値 a table's 自己評価 quotes for the evaluated year: only sentences that
    name the year (「令和2年度の…」) and only figures right after 目標(値) or 実績(値は), so that
    「5ヶ年の目標である280件」 (the 累計) is not taken for the year's target."""
    if table.assessment is None or not year_label:
        return []
    row, text = table.assessment
    quotes = []
    for sentence in re.split(r"(?<=。)", text):
        if year_label not in sentence:
            continue
        for kind, pattern in (("target", _SENTENCE_TARGET), ("actual", _SENTENCE_ACTUAL)):
            match = pattern.search(sentence)
            if match:
                written = match[0]
                quotes.append(
                    Quoted.of(kind, match["figure"], plan.find_span(row.span.line, written))
                )
    return quotes
