"""Rules of the 総合特区評価書: its 別紙 are there, and its numbers agree (TK101, TK201–TK204)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from plancheck import Context, Finding, Plan, Rule, Span

from plancheck_tokku.figures import (
    Figure,
    Quoted,
    QuotedIndicator,
    TargetTable,
    agree,
    assessment_quotes,
    format_sum,
    percent_range,
    read_quoted,
    read_target_tables,
    report_year,
    round_half_up,
    rounds_to,
)

DOCUMENT_TYPE = "総合特区評価書"
_WHAT = {
    "target": ("当該年度目標値", "this year's target"),
    "actual": ("当該年度実績値", "this year's result"),
    "progress": ("進捗度", "progress"),
    "contribution": ("寄与度", "contribution"),
    "total": ("累計目標", "cumulative target"),
}


def _computed(actual: Figure, target: Figure) -> str:
    return f"{round_half_up(100 * actual.value / target.value, 1)}%"


def _tables_by_key(plan: Plan) -> dict[tuple[str, int], TargetTable]:
    return {table.key: table for table in read_target_tables(plan)}


class MissingAnnex(Rule):
    """別紙（数値目標ごとの評価表など）がない (an annex, or the 別紙1 table of a 数値目標, is missing).

    Why: the 評価書 gives its figures twice, in the text of 3 and in 別紙1 (one table per 数値目標),
    and refers 4 and 6 to 別紙2 and 別紙3; the profile lists the annexes (``settings.annexes``). A
    数値目標 of the text without its table, or a table without its place in the text, cannot be
    checked against each other.

    Source: 総合特別区域評価書の様式（内閣府地方創生推進事務局）; tokku-keihin-evaluation-2020.txt.

    Failing example (数値目標(1)-② has no table in 別紙1)::

        数値目標(1)-②:特区関連事業の就業者の増加数
        5年間(平成29~令和3年度)累計:1,500人
        【当該年度目標値100人、当該年度実績値-18人、進捗度-、寄与度33%】

    Passing example::

        数値目標(1)-②:特区関連事業の就業者の増加数
        …
        ■ 目標に向けた取組の進捗に関する評価
        評価指標(1)	数値目標(1) 特区関連事業の就業者の増加数 1,500人(累計)	目標値	200人	…
    """

    code = "TK101"
    name = "missing-annex"
    severity = "error"
    document_types = (DOCUMENT_TYPE,)
    messages = {
        "annex": {
            "ja": "{annex}「{title}」がありません（本文{section}で参照しています）",
            "en": "{annex} 「{title}」 is missing (section {section} refers to it)",
        },
        "no_table": {
            "ja": "{label} の表が別紙1にありません",
            "en": "{label} has no table in 別紙1",
        },
        "no_text": {
            "ja": "別紙1の{label}の表（{ordinal}つ目）が本文3に記載されていません",
            "en": "The table of {label} in 別紙1 (number {ordinal}) is not presented in section 3",
        },
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        settings = context.profile.settings if context.profile else {}
        headings = [
            re.sub(r"\s+", "", line.text.strip().lstrip("■"))
            for line in plan.lines
            if line.text.strip().startswith("■")
        ]
        for annex in settings.get("annexes", ()):
            title = re.sub(r"\s+", "", str(annex.get("title", "")))
            if title and not any(heading.startswith(title) for heading in headings):
                section = plan.section(str(annex.get("section", "")))
                span = section.span if section else Span(plan.lines[-1].number if plan.lines else 1)
                yield self.report(
                    context,
                    span,
                    "annex",
                    annex=annex.get("number", ""),
                    title=annex.get("title", ""),
                    section=annex.get("section", "?"),
                )
        tables = _tables_by_key(plan)
        quoted = [target for indicator in read_quoted(plan) for target in indicator.targets]
        if not tables or not quoted:
            return  # a missing 別紙1 is reported once above, not once per 数値目標
        for target in quoted:
            if target.key not in tables:
                yield self.report(context, target.span, "no_table", label=target.label)
        keys = {target.key for target in quoted}
        for table in tables.values():
            if table.key not in keys:
                yield self.report(
                    context, table.table.span, "no_text", label=table.label, ordinal=table.ordinal
                )


class ProgressMismatch(Rule):
    """別紙1の進捗度が 実績値÷目標値 と合わない (a 進捗度 is not 実績値 ÷ 目標値).

    Why: 進捗度 is the year's 実績値 divided by its 目標値, as a whole percent rounded half up (every
    other cell of the report is). Amounts written in 億円 or 万人 are themselves rounded, so a 進捗度
    that some unrounded amounts could give is accepted (「119億円 ÷ 115億円」 may be 104%). A
    negative 実績値 is written 「-」.

    Source: 総合特別区域評価書の様式（別紙1 進捗度(%)）; tokku-keihin-evaluation-2020.txt.

    Failing example (116 ÷ 87 = 133.3%)::

                        当初(平成29年度)	平成30年度	令和元年度
        評価指標(1)	数値目標(1) 特区関連事業による投資額 475億円(累計)	目標値	115億円	81億円	87億円
                        実績値	119億円	141億円	116億円
                寄与度(※): 100(%)	進捗度(%)	104%	174%	138%

    Passing example::

                寄与度(※): 100(%)	進捗度(%)	104%	174%	133%
    """

    code = "TK201"
    name = "progress-mismatch"
    severity = "error"
    document_types = (DOCUMENT_TYPE,)
    messages = {
        "default": {
            "ja": "{label}の{year}の進捗度 {reported} が、実績値 {actual} ÷ 目標値 {target} = "
            "{computed} と一致しません（小数点以下四捨五入）",
            "en": "{label}, {year}: progress {reported} does not match result {actual} ÷ "
            "target {target} = {computed} (rounded half up)",
        },
        "dash": {
            "ja": "{label}の{year}の進捗度が「-」ですが、実績値 {actual} ÷ 目標値 {target} = "
            "{computed} です",
            "en": "{label}, {year}: progress is 「-」 but result {actual} ÷ target {target} = "
            "{computed}",
        },
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        for table in read_target_tables(plan):
            for index, cell in enumerate(table.rows.get("progress", [])):
                target_cell, actual_cell = table.cell("target", index), table.cell("actual", index)
                if not cell.text or target_cell is None or actual_cell is None:
                    continue
                target, actual = target_cell.figure(), actual_cell.figure()
                if target is None or actual is None or target.value <= 0:
                    continue
                values = {
                    "label": table.label,
                    "year": table.year_name(index),
                    "actual": actual.text,
                    "target": target.text,
                    "computed": _computed(actual, target),
                }
                if cell.is_dash:
                    if actual.value >= 0:
                        yield self.report(context, cell.span, "dash", **values)
                    continue
                reported, bounds = cell.figure(), percent_range(actual, target)
                if reported is not None and bounds is not None and not rounds_to(reported, *bounds):
                    yield self.report(context, cell.span, reported=reported.text, **values)


class CumulativeTargetMismatch(Rule):
    """累計の目標値が各年度の目標値の合計と合わない (the 累計 target is not the sum of the yearly targets).

    Why: the 数値目標 is stated as a total over the plan's years (「475億円(累計)」) and broken down
    by year in the same table; the two must add up, or the progress toward the total cannot be
    judged. Amounts in 億円 or 万人 are compared within their rounding.

    Source: 総合特別区域評価書の様式（別紙1）; tokku-keihin-evaluation-2020.txt.

    Failing example (200 + 500 + 200 + 100 + 110 = 1,110人)::

        評価指標(1)	数値目標(1) 特区関連事業の就業者の増加数 1,500人(累計)	目標値	200人	500人	200人	100人	110人

    Passing example::

        評価指標(1)	数値目標(1) 特区関連事業の就業者の増加数 1,110人(累計)	目標値	200人	500人	200人	100人	110人
    """

    code = "TK202"
    name = "cumulative-target-mismatch"
    severity = "error"
    document_types = (DOCUMENT_TYPE,)
    messages = {
        "default": {
            "ja": "{label}の累計目標 {total} が、各年度の目標値の合計 {sum}（{parts}）と一致しません",
            "en": "{label}: the cumulative target {total} is not the sum of the yearly targets, "
            "{sum} ({parts})",
        }
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        for table in read_target_tables(plan):
            cells = [cell for cell in table.rows.get("target", []) if cell.text]
            targets = [figure for cell in cells if (figure := cell.figure()) is not None]
            if table.total is None or len(targets) < 2:
                continue
            total = sum((figure.value for figure in targets), Decimal(0))
            margin = sum((figure.margin for figure in targets), table.total.margin)
            if abs(total - table.total.value) > margin:
                yield self.report(
                    context,
                    table.total.span,
                    label=table.label,
                    total=table.total.text,
                    sum=format_sum(targets),
                    parts=" + ".join(figure.text for figure in targets),
                )


class QuotedFigureMismatch(Rule):
    """本文に引用した数値が別紙1の表と合わない (a figure quoted in the text disagrees with its table).

    Why: section 3 quotes each 数値目標's 累計 target and, for the year evaluated, its 目標値,
    実績値, 進捗度 and 寄与度 (【当該年度目標値…、当該年度実績値…、進捗度…、寄与度…】); the table's
    自己評価 quotes the year's 目標値 and 実績値 again. Readers take the text at its word, so it must
    say what the table says. Rounded amounts (「24.5万人」 for 245,000人) agree within their rounding.

    Source: 総合特別区域評価書の様式（本文3、別紙1）; tokku-keihin-evaluation-2020.txt.

    Failing example (the table says 41件)::

        進捗状況に係る自己評価	・令和2年度の国際共同治験の件数は、目標値60件に対し、実績値は42件と目標を下回っている。

    Passing example::

        進捗状況に係る自己評価	・令和2年度の国際共同治験の件数は、目標値60件に対し、実績値は41件と目標を下回っている。
    """

    code = "TK203"
    name = "quoted-figure-mismatch"
    severity = "error"
    document_types = (DOCUMENT_TYPE,)
    messages = {
        "text": {
            "ja": "本文3の{label}の{what_ja} {quoted} が、別紙1の表（{line}行目）の {table} と一致しません",
            "en": "Section 3 quotes {what_en} {quoted} for {label}, but its table in 別紙1 "
            "(line {line}) says {table}",
        },
        "assessment": {
            "ja": "{label}の自己評価にある{year}の{what_ja} {quoted} が、同じ表の {table} と一致しません",
            "en": "The self-assessment of {label} gives {quoted} as the {what_en} of {year}, but "
            "its table says {table}",
        },
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        tables = _tables_by_key(plan)
        year, year_name = report_year(plan)
        for indicator in read_quoted(plan):
            for target in indicator.targets:
                table = tables.get(target.key)
                if table is None:
                    continue  # TK101
                index = table.year_index(year)
                for quoted in target.figures.values():
                    written = _table_figure(table, quoted.kind, index)
                    if written is not None and not _same(quoted, written):
                        yield self._finding(context, "text", target.label, quoted, written)
                for quoted in assessment_quotes(plan, table, year_name):
                    written = _table_figure(table, quoted.kind, index)
                    if written is not None and not _same(quoted, written):
                        yield self._finding(
                            context, "assessment", target.label, quoted, written, year_name
                        )

    def _finding(
        self,
        context: Context,
        variant: str,
        label: str,
        quoted: Quoted,
        written: Quoted,
        year: str = "",
    ) -> Finding:
        what_ja, what_en = _WHAT[quoted.kind]
        if variant == "assessment":  # 「令和2年度の目標値」: the year is named in the message
            what_ja = what_ja.removeprefix("当該年度")
            what_en = what_en.removeprefix("this year's ")
        return self.report(
            context,
            quoted.span,
            variant,
            label=label,
            what_ja=what_ja,
            what_en=what_en,
            quoted=quoted.text,
            table=written.text,
            line=written.span.line,
            year=year,
        )


def _table_figure(table: TargetTable, kind: str, index: int | None) -> Quoted | None:
    """What the table says for a kind of figure the text quotes (the year's column for 目標値,
    実績値 and 進捗度)."""
    if kind in ("total", "contribution"):
        figure = table.total if kind == "total" else table.contribution
        return Quoted.of(kind, figure.text, figure.span) if figure else None
    cell = table.cell(kind, index) if index is not None else None
    return Quoted.of(kind, cell.text, cell.span) if cell else None


def _same(quoted: Quoted, written: Quoted) -> bool:
    if quoted.is_dash or written.is_dash:
        return quoted.is_dash and written.is_dash
    first, second = quoted.figure(), written.figure()
    if first is None or second is None:
        return True  # not a number on one side: nothing to compare
    return agree(first, second)


class IndicatorProgressMismatch(Rule):
    """評価指標の進捗度が数値目標の進捗度と寄与度から求まる値と合わない (an indicator's 進捗度 does not follow
    from its 数値目標).

    Why: an 評価指標 with several 数値目標 reports the sum of their 進捗度 weighted by their 寄与度
    (one 数値目標: its 進捗度); a 数値目標 whose 進捗度 is 「-」 (a negative 実績値) counts as 0, as the
    report counts it. The 寄与度 quoted in the text are used, else the table's, else equal weights.
    A warning: the form does not spell the method out; the report's own figures follow it.

    Source: 総合特別区域評価書の様式（本文3 評価指標、別紙1 寄与度）; tokku-keihin-evaluation-2020.txt.

    Failing example ((145 + 0 + 81) × 33% = 75%)::

        評価指標(1):特区事業の実施によるライフイノベーション分野における経済効果【進捗度80%】
        数値目標(1)-①:特区関連事業による投資額
        【当該年度目標値93億円、当該年度実績値135億円、進捗度145%、寄与度33%】
        数値目標(1)-②:特区関連事業の就業者の増加数
        【当該年度目標値100人、当該年度実績値-18人、進捗度-、寄与度33%】
        数値目標(1)-③:特区関連事業の研修等の受入数
        【当該年度目標値52,000人、当該年度実績値41,942人、進捗度81%、寄与度33%】

    Passing example::

        評価指標(1):特区事業の実施によるライフイノベーション分野における経済効果【進捗度75%】
    """

    code = "TK204"
    name = "indicator-progress-mismatch"
    severity = "warning"
    document_types = (DOCUMENT_TYPE,)
    messages = {
        "default": {
            "ja": "評価指標({number})の進捗度 {reported} が、数値目標の進捗度を寄与度で加重平均した "
            "{computed} と一致しません（{parts}）",
            "en": "Indicator ({number}): progress {reported} does not match its targets' progress "
            "weighted by their contribution, {computed} ({parts})",
        }
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        tables = _tables_by_key(plan)
        year, _ = report_year(plan)
        for indicator in read_quoted(plan):
            reported = indicator.progress.figure() if indicator.progress else None
            weighted = _weighted_progress(indicator, tables, year)
            if indicator.progress is None or reported is None or weighted is None:
                continue
            computed, parts = weighted
            # each 進捗度 is itself a whole percent, so the weighted mean is known to ±0.5
            if abs(reported.value - computed) >= 1:
                yield self.report(
                    context,
                    indicator.progress.span,
                    number=indicator.number,
                    reported=reported.text,
                    computed=f"{round_half_up(computed, 1)}%",
                    parts=parts,
                )


def _weighted_progress(
    indicator: QuotedIndicator, tables: dict[tuple[str, int], TargetTable], year: int | None
) -> tuple[Decimal, str] | None:
    """The 寄与度-weighted mean of the 数値目標's 進捗度 and how it was made, or None if a 進捗度
    is missing."""
    progress: list[Decimal] = []
    weights: list[Decimal | None] = []
    for target in indicator.targets:
        table = tables.get(target.key)
        quoted = target.figures.get("progress")
        if quoted is None and table is not None:
            quoted = _table_figure(table, "progress", table.year_index(year))
        if quoted is None:
            return None
        figure = quoted.figure()
        progress.append(figure.value if figure is not None else Decimal(0))  # 「-」 counts as 0
        weight = target.figures.get("contribution")
        weight_figure = weight.figure() if weight else table.contribution if table else None
        weights.append(weight_figure.value if weight_figure is not None else None)
    if not progress:
        return None
    given = [weight for weight in weights if weight is not None]
    used = given if len(given) == len(progress) and sum(given) else [Decimal(1)] * len(progress)
    computed = sum((p * w for p, w in zip(progress, used, strict=True)), Decimal(0)) / sum(used)
    parts = " + ".join(f"{p}% × {w}" for p, w in zip(progress, used, strict=True))
    return computed, f"({parts}) ÷ {sum(used)}"
