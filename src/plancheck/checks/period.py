"""Period rules: dates that cannot exist, eras past their end, and 事業実施期間 against 計画期間."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from plancheck.api.fixes import SAFE, UNSAFE, Fix
from plancheck.api.hookspecs import hookimpl
from plancheck.api.rule import Context, Finding, Rule
from plancheck.model import dates
from plancheck.model.dates import DateMention, Period
from plancheck.model.layout import layout
from plancheck.model.profiles import Profile
from plancheck.parsing.ast import Enumeration, Item, Label, Paragraph, Plan, Section, Span
from plancheck.parsing.normalize import Line


@dataclass(frozen=True)
class PlacedPeriods:
    """The periods written in one place (a block's 事業実施期間 item, the plan period section, the
    own-projects section): how messages name the place, its node, and each period with its span."""

    where: str
    node: Section | Item
    periods: tuple[tuple[Period, Span], ...]

    def first(self) -> tuple[Period | None, Span]:
        """The first period and its span, or None and the node's heading (none can be read)."""
        return self.periods[0] if self.periods else (None, self.node.span)


@dataclass(frozen=True)
class PlanPeriods:
    """Every place whose periods the rules read, found through the plan's layout."""

    projects: tuple[PlacedPeriods, ...]  # one per measure block that has its 事業実施期間
    plan: PlacedPeriods | None
    own: PlacedPeriods | None

    def all(self) -> Iterator[tuple[Period, Span]]:
        for place in (*self.projects, self.plan, self.own):
            if place is not None:
                yield from place.periods


def plan_periods(plan: Plan, profile: Profile) -> PlanPeriods:
    """The periods of each block's 事業実施期間, of the plan period and of the own projects, read
    once a plan: several rules ask for them."""
    return plan.derived(_read_plan_periods, profile)


def project_envelope(plan: Plan, profile: Profile) -> Period | None:
    """From the earliest start to the latest end of the blocks' 事業実施期間 (an unknown start
    stays unknown), or None when no block has a readable period."""
    periods = [p.first()[0] for p in plan_periods(plan, profile).projects]
    known = [period for period in periods if period is not None]
    if not known:
        return None
    ends = [period.end for period in known if period.end is not None]
    starts = [period.start for period in known]
    start = None if None in starts else min(s for s in starts if s is not None)
    text = " / ".join(period.text for period in known)
    return Period(start, max(ends) if ends else None, start is None, None, text)


def _read_plan_periods(plan: Plan, profile: Profile) -> PlanPeriods:
    resolved = layout(plan, profile)
    projects = []
    for block in resolved.blocks:
        match = block.item("project_period")
        if match is not None and match.item is not None:
            node = match.item
            projects.append(PlacedPeriods(block.where(match), node, _read_periods(plan, node)))

    def section(role: str) -> PlacedPeriods | None:
        node = resolved.section(role)
        if node is None:
            return None
        heading = profile.heading(node.number)
        where = f"{node.number} {heading.title if heading else node.title}"
        return PlacedPeriods(where, node, _read_periods(plan, node))

    return PlanPeriods(tuple(projects), section("plan_period"), section("own_projects"))


def _pieces(node: Section | Item | Label) -> Iterator[tuple[int, str]]:
    """The texts of a node with their original line numbers: heading, then body, depth first."""
    yield node.span.line, node.label if isinstance(node, Label) else node.title
    if isinstance(node, Label) and node.text:
        yield node.span.line, node.text
    for child in node.children:
        if isinstance(child, (Paragraph, Enumeration)):
            yield child.span.line, child.text
        elif isinstance(child, (Section, Item, Label)):
            yield from _pieces(child)


def _read_periods(plan: Plan, node: Section | Item) -> tuple[tuple[Period, Span], ...]:
    # pieces are joined so that a period broken over two lines still reads as one
    pieces = [(line, text) for line, text in _pieces(node) if text]
    joined = "\n".join(text for _, text in pieces)
    return tuple((period, _locate(plan, pieces, period)) for period in dates.find_periods(joined))


def _locate(plan: Plan, pieces: list[tuple[int, str]], period: Period) -> Span:
    """The original span of a period's words, from its first line to its last."""
    spans = []
    offset = 0
    for line, text in pieces:
        low = max(period.offset, offset) - offset
        high = min(period.offset + len(period.text), offset + len(text)) - offset
        if low < high:
            spans.append(plan.find_span(line, text[low:high]))
        offset += len(text) + 1
    first, last = spans[0], spans[-1]
    return Span(first.line, first.column, last.end_line, last.end_column)


def _mentions(plan: Plan) -> list[tuple[DateMention, Span, Line]]:
    """Every date written anywhere in the plan, with the span of its words and the normalised
    line it is read from (read once a plan)."""
    return plan.derived(_read_mentions)


def _read_mentions(plan: Plan) -> list[tuple[DateMention, Span, Line]]:
    found = []
    for line in plan.lines:
        for mention in dates.date_mentions(line.text):
            start, end = line.column(mention.start), line.column(mention.end - 1) + 1
            found.append((mention, Span(line.number, start, line.number, end), line))
    return found


def _era_fix(plan: Plan, mention: DateMention, line: Line) -> Fix | None:
    """The mention rewritten in the era in force (「平成32年」 → 「令和2年」): a safe fix, the same
    day named in the era that was in force. Only the era and year are replaced (the month and
    day stay as written)."""
    rewritten = mention.rewritten()
    if rewritten is None:
        return None
    old_year, _, rest = mention.text.partition("年")
    new_year = rewritten[: len(rewritten) - len(rest) - 1]
    end = mention.start + len(old_year.rstrip())
    edit = plan.edit(line, mention.start, end, new_year)
    return Fix((edit,), SAFE) if edit else None


def _ja(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class PeriodOutsidePlan(Rule):
    """事業実施期間が計画期間に収まっていない (a 事業実施期間 is not within 6 計画期間).

    Its documentation, in Japanese and English, is rules/docs/PC301.yaml
    (``plancheck rule PC301``).
    """

    code = "PC301"
    name = "period-outside-plan"
    severity = "error"
    document_types = ("地域再生計画",)

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        assert context.profile is not None
        periods = plan_periods(plan, context.profile)
        whole = periods.plan.first()[0] if periods.plan else None
        if periods.plan is None or whole is None or whole.is_reversed:
            return  # PC305 / PC303 report it
        for place in periods.projects:
            project, span = place.first()
            if project is None or project.is_reversed:
                continue  # PC305 / PC303 report it; which end is wrong is unknown
            names: dict[str, Any] = {"project": place.where, "whole": periods.plan.where}
            if project.end and whole.end and project.end > whole.end:
                yield self.report(
                    context,
                    span,
                    "ends_after",
                    end=project.end_text,
                    plan_end=whole.end_text,
                    **names,
                )
            if project.start and whole.start and project.start < whole.start:
                yield self.report(
                    context,
                    span,
                    "starts_before",
                    start=project.start_text,
                    plan_start=whole.start_text,
                    **names,
                )
            elif (
                project.start is None and project.end and whole.start and project.end < whole.start
            ):
                yield self.report(
                    context,
                    span,
                    "ends_before_start",
                    end=project.end_text,
                    plan_start=whole.start_text,
                    **names,
                )


class InvalidDate(Rule):
    """存在しない日付 (an impossible date: 2月30日, 13月, 令和0年, 平成40年, 令和元年4月30日).

    Its documentation, in Japanese and English, is rules/docs/PC302.yaml
    (``plancheck rule PC302``).
    """

    code = "PC302"
    name = "invalid-date"
    severity = "error"
    document_types = ("地域再生計画",)

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        for mention, span, _ in _mentions(plan):
            if mention.problem in dates.IMPOSSIBLE:
                yield self.report(context, span, mention.problem, **_values(mention))


class PeriodReversed(Rule):
    """終わりが始まりより前の期間 (a period that ends before it starts).

    Its documentation, in Japanese and English, is rules/docs/PC303.yaml
    (``plancheck rule PC303``).
    """

    code = "PC303"
    name = "period-reversed"
    severity = "error"
    document_types = ("地域再生計画",)

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        assert context.profile is not None
        for period, span in plan_periods(plan, context.profile).all():
            if period.is_reversed:
                yield self.report(
                    context, span, text=period.text, start=period.start_text, end=period.end_text
                )


class EraYearAfterChange(Rule):
    """改元後の旧元号の年 (an era year past that era's end: 平成32年 = 令和2年).

    Its documentation, in Japanese and English, is rules/docs/PC304.yaml
    (``plancheck rule PC304``).
    """

    code = "PC304"
    name = "era-year-after-change"
    severity = "info"
    document_types = ("地域再生計画",)
    fixable = SAFE

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        for mention, span, line in _mentions(plan):
            if mention.problem == dates.AFTER_ERA:
                fix = _era_fix(plan, mention, line)
                yield self.report(context, span, fix=fix, **_values(mention))


class PeriodMissing(Rule):
    """事業実施期間・計画期間の日付が読み取れない (a 事業実施期間 or 6 has no readable period).

    Its documentation, in Japanese and English, is rules/docs/PC305.yaml
    (``plancheck rule PC305``).
    """

    code = "PC305"
    name = "period-missing"
    severity = "error"
    document_types = ("地域再生計画",)

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        assert context.profile is not None
        periods = plan_periods(plan, context.profile)
        for place in (*periods.projects, periods.plan):
            if place is not None and not place.periods:
                yield self.report(context, place.node.span, where=place.where)


class PeriodDurationMismatch(Rule):
    """期間の年数の記載が日付と合わない (「(3カ年間)」「3ヶ年度」 disagree with the dates).

    Its documentation, in Japanese and English, is rules/docs/PC306.yaml
    (``plancheck rule PC306``).
    """

    code = "PC306"
    name = "period-duration-mismatch"
    severity = "warning"
    document_types = ("地域再生計画",)
    fixable = UNSAFE

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        assert context.profile is not None
        for period, span in plan_periods(plan, context.profile).all():
            counted = period.fiscal_years()
            if period.stated_years is None or counted is None or period.is_reversed:
                continue
            if period.stated_years not in _acceptable_counts(period, counted):
                yield self.report(
                    context,
                    span,
                    fix=_duration_fix(plan, period, span, counted),
                    text=period.text,
                    counted=counted,
                    stated=period.duration_text,
                )


def _duration_fix(plan: Plan, period: Period, span: Span, counted: int) -> Fix | None:
    """The stated length made the count of fiscal years the dates touch (「(3カ年間)」 →
    「(5カ年間)」): unsafe, as the dates may be what is wrong. The duration words end the period's
    words, so they are looked for on its last line, ending where the span ends."""
    for line in plan.lines_at(span.end_line):
        ends = [i + 1 for i in range(len(line.text)) if line.column(i) + 1 == span.end_column]
        if not ends:
            continue
        at = line.text.rfind(period.duration_text, 0, ends[-1])
        digits = _DIGITS.search(period.duration_text)
        if at < 0 or digits is None:
            return None
        start, end = at + digits.start(), at + digits.end()
        edit = plan.edit(line, start, end, str(counted))
        return Fix((edit,), UNSAFE) if edit else None
    return None


_DIGITS = re.compile(r"\d+")


def _acceptable_counts(period: Period, fiscal_years: int) -> set[int]:
    """Fiscal years always; for 「3カ年間」「3か年」 (a length, not 年度) also the elapsed years."""
    if period.duration_text.endswith("年度") or period.start is None or period.end is None:
        return {fiscal_years}
    elapsed = round(((period.end - period.start).days + 1) / 365.25)
    return {fiscal_years, elapsed}


def _values(mention: DateMention) -> dict[str, Any]:
    """Message values describing a mention and its era."""
    era = mention.era
    values: dict[str, Any] = {"text": mention.text, "era": era.name if era else ""}
    if mention.month is not None and 1 <= mention.month <= 12:
        values["month"] = mention.month
        values["days"] = calendar.monthrange(mention.year, mention.month)[1]
    if era is not None:
        values["first"], values["first_ja"] = era.first.isoformat(), _ja(era.first)
        if era.last is not None:
            values["last"], values["last_ja"] = era.last.isoformat(), _ja(era.last)
    values["years"] = dates.years_after_era(mention)
    values["rewritten"] = mention.rewritten() or mention.text
    values["gregorian"] = f"FY{mention.year}" if mention.fiscal else str(mention.year)
    values["gregorian_ja"] = f"{mention.year}年度" if mention.fiscal else f"{mention.year}年"
    return values


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    return [
        PeriodOutsidePlan,
        InvalidDate,
        PeriodReversed,
        EraYearAfterChange,
        PeriodMissing,
        PeriodDurationMismatch,
    ]
