"""KPI rules: 累計 equals the sum of 増加分, cells are numbers, copies agree, every KPI has a target."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, localcontext
from decimal import Context as DecimalContext

from plancheck.api.fixes import UNSAFE, Fix
from plancheck.api.hookspecs import hookimpl
from plancheck.api.rule import Context, Finding, Rule
from plancheck.checks.period import project_envelope
from plancheck.model.dates import fiscal_year, fiscal_year_of
from plancheck.model.kpi_tables import MAX_DIGITS, KpiRow, KpiTable, Value, read_kpi_tables
from plancheck.model.layout import layout
from plancheck.parsing.ast import Plan, Section, Span
from plancheck.parsing.edits import edit_at

PLAN = ("地域再生計画",)
# Room for any sum of values of at most MAX_DIGITS digits, so that quantizing never fails.
_EXACT = DecimalContext(prec=2 * MAX_DIGITS + 10)


def _cell_span(row: KpiRow, value: Value) -> Span:
    return Span(row.row.span.line, value.column, row.row.span.line, value.column + len(value.text))


def _format(number: Decimal, places: int, unit: str) -> str:
    """A computed number printed as the plan prints its numbers: commas, same decimals, unit."""
    return f"{number:,.{places}f}{unit}"


def _shown(text: str) -> str:
    """A cell as quoted in a message: never more than a readable length of the user's text."""
    return text if len(text) <= 40 else text[:40] + "…"


def _where(table: KpiTable, lang: str) -> str:
    return table.where or ("冒頭" if lang == "ja" else "the preamble")


class KpiSumMismatch(Rule):
    """KPI の累計が増加分の合計と一致しない (a KPI's 累計 is not the sum of its 増加分).

    Its documentation, in Japanese and English, is rules/docs/PC201.yaml
    (``plancheck rule PC201``).
    """

    code = "PC201"
    name = "kpi-sum-mismatch"
    severity = "error"
    document_types = PLAN
    fixable = UNSAFE

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        for table in read_kpi_tables(plan):
            for row in table.rows:
                totals = row.cells_of(table.columns, "total")
                if len(totals) != 1 or totals[0][1].number is None:
                    continue
                total = totals[0][1]
                increments = [value for _, value in row.cells_of(table.columns, "increment")]
                if any(v.number is None and not v.is_empty for v in increments):
                    continue  # a cell that is not a number is PC202's finding, not a sum to check
                computed = sum((v.number for v in increments if v.number is not None), Decimal(0))
                exponent = Decimal(1).scaleb(-total.places)
                # every value has at most MAX_DIGITS digits: their sum quantizes exactly here
                with localcontext(_EXACT):
                    rounded = computed.quantize(exponent, rounding=ROUND_HALF_UP)
                if rounded != total.number:
                    yield self.report(
                        context,
                        _cell_span(row, total),
                        fix=_total_fix(plan, row, total, increments, rounded),
                        kpi=row.name,
                        written=total.text,
                        computed=_format(computed, total.places, total.unit),
                        where=_where(table, context.lang),
                    )


def _total_fix(
    plan: Plan, row: KpiRow, total: Value, increments: list[Value], rounded: Decimal
) -> Fix | None:
    """The 累計 cell rewritten as the sum of the 増加分 (unsafe: an 増加分 may be what is wrong),
    with the decimals and unit the cell has, and thousands commas when the row writes them."""
    commas = any("," in value.text for value in (total, *increments))
    number = f"{rounded:,.{total.places}f}" if commas else f"{rounded:.{total.places}f}"
    cell = next(
        (
            c
            for c, column in zip(row.row.cells, row.row.columns, strict=False)
            if column == total.column
        ),
        None,
    )
    if cell is None:
        return None
    edit = edit_at(plan, row.row.span.line, total.column, cell, number + total.unit)
    return Fix((edit,), UNSAFE) if edit else None


class KpiTableMalformed(Rule):
    """KPI 表の行の列数が見出しと合わない、または数値であるべき欄が数値でない (a malformed KPI row).

    Its documentation, in Japanese and English, is rules/docs/PC202.yaml
    (``plancheck rule PC202``).
    """

    code = "PC202"
    name = "kpi-table-malformed"
    severity = "error"
    document_types = PLAN

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        for table in read_kpi_tables(plan):
            for row in table.rows:
                written = [value for value in row.values if not value.is_blank]
                if len(written) != len(table.columns):
                    yield self.report(
                        context,
                        row.row.span,
                        "cells",
                        kpi=row.name,
                        found=len(written),
                        expected=len(table.columns),
                    )
                    continue
                for column, value in zip(table.columns, row.values, strict=True):
                    if column.kind == "other" or value.is_placeholder:
                        continue  # a label column (基本目標1); a template blank is PC501's
                    if value.number is None and not value.is_empty:
                        yield self.report(
                            context,
                            _cell_span(row, value),
                            "implausible" if value.implausible else "number",
                            kpi=row.name,
                            column=column.header,
                            value=_shown(value.text),
                            limit=MAX_DIGITS,
                        )


class KpiTableMismatch(Rule):
    """KPI 表の写し（4-2、5-2 ⑤、7-2）が一致しない (copies of the KPI table disagree).

    Its documentation, in Japanese and English, is rules/docs/PC203.yaml
    (``plancheck rule PC203``).
    """

    code = "PC203"
    name = "kpi-table-mismatch"
    severity = "error"
    document_types = PLAN

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        tables = read_kpi_tables(plan)
        if len(tables) < 2:
            return
        first = tables[0]
        for copy in tables[1:]:
            yield from self._compare(context, first, copy)

    def _compare(self, context: Context, first: KpiTable, copy: KpiTable) -> Iterator[Finding]:
        rows = {row.name: row for row in copy.rows}
        where = _where(copy, context.lang)
        first_where = _where(first, context.lang)
        for reference in first.rows:
            row = rows.get(reference.name)
            if row is None:
                yield self.report(
                    context,
                    copy.table.span,
                    "missing",
                    where=where,
                    kpi=reference.name,
                    first_where=first_where,
                    first_line=reference.row.span.line,
                )
                continue
            columns = zip(first.columns, reference.values, row.values, strict=False)
            for column, expected, actual in columns:
                if _same(expected, actual):
                    continue
                yield self.report(
                    context,
                    _cell_span(row, actual),
                    "value",
                    where=where,
                    kpi=row.name,
                    column=column.header,
                    value=actual.text,
                    first_where=first_where,
                    first_line=reference.row.span.line,
                    first_value=expected.text,
                )
                break  # one finding a row: the first column that differs


def _same(a: Value, b: Value) -> bool:
    if a.number is not None and b.number is not None:
        return a.number == b.number and a.unit == b.unit
    return a.text == b.text or (a.is_empty and b.is_empty)


class KpiYearOutsidePeriod(Rule):
    """KPI の増加分が事業実施期間外の年度にある (a KPI increment in a fiscal year outside the project period).

    Its documentation, in Japanese and English, is rules/docs/PC204.yaml
    (``plancheck rule PC204``).
    """

    code = "PC204"
    name = "kpi-year-outside-period"
    severity = "error"
    document_types = PLAN

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        assert context.profile is not None
        period = project_envelope(plan, context.profile)
        if period is None or period.end is None:
            return
        last = fiscal_year_of(period.end)
        first = fiscal_year_of(period.start) if period.start is not None else None
        tables = read_kpi_tables(plan)
        for table in tables[:1]:  # copies are PC203's business
            years = [fiscal_year(column.header) for column in table.columns]
            for row in table.rows:
                for year, column, value in zip(years, table.columns, row.values, strict=False):
                    if column.kind != "increment" or year is None or value.number is None:
                        continue
                    if year > last or (first is not None and year < first):
                        yield self.report(
                            context,
                            _cell_span(row, value),
                            kpi=row.name,
                            year=year,
                            value=value.text,
                            period=period.text,
                        )


class KpiMissing(Rule):
    """KPI の表がない、または数値目標のない KPI がある (no KPI, or a KPI without a numeric target).

    Its documentation, in Japanese and English, is rules/docs/PC205.yaml
    (``plancheck rule PC205``).
    """

    code = "PC205"
    name = "kpi-missing"
    severity = "error"
    document_types = PLAN

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        tables = read_kpi_tables(plan)
        if not tables:
            assert context.profile is not None
            section = layout(plan, context.profile).section("kpi_targets")
            yield self.report(
                context, self._where_kpis_belong(plan, section), "none", section=_name(section)
            )
            return
        for table in tables[:1]:  # copies are PC203's business
            for row in table.rows:
                if row.is_unused:
                    continue
                targets = (
                    row.cells_of(table.columns, "total")
                    or row.cells_of(table.columns, "target")
                    or row.cells_of(table.columns, "snapshot")
                )
                # a target that is text (「約200人」) is PC202's; here: left blank, 「-」 or 〇〇
                if targets and all(v.is_empty or v.is_placeholder for _, v in targets):
                    column = targets[-1][0].header
                    yield self.report(context, row.row.span, "target", kpi=row.name, column=column)

    @staticmethod
    def _where_kpis_belong(plan: Plan, section: Section | None) -> Span:
        if section is not None:
            label = next((lab for lab in section.labels() if lab.label == "数値目標"), None)
            return label.span if label else section.span
        return plan.title.span if plan.title else Span(1)


def _name(section: Section | None) -> str:
    return f"{section.number} " if section is not None else ""


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    return [KpiSumMismatch, KpiTableMalformed, KpiTableMismatch, KpiYearOutsidePeriod, KpiMissing]
