"""Read the dates a plan writes in normalised text: 西暦 and 和暦 dates, year-months, 年度, and
「…から…まで」 periods, reporting impossible dates instead of raising."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

from plancheck.api import resources
from plancheck.api.vocabulary import era_pattern

# What can be wrong with a date as written (DateMention.problem).
INVALID_MONTH = "invalid-month"  # 13月
INVALID_DAY = "invalid-day"  # 2月30日
ERA_YEAR_ZERO = "era-year-zero"  # 令和0年 (元年 is year 1)
BEFORE_ERA = "before-era"  # 令和元年4月30日: the era had not begun
AFTER_ERA = "after-era"  # 平成32年: past the era's end, within a plan's horizon (PC304)
FAR_AFTER_ERA = "far-after-era"  # 平成40年: further past the end than any plan reaches
IMPOSSIBLE = frozenset({INVALID_MONTH, INVALID_DAY, ERA_YEAR_ZERO, BEFORE_ERA, FAR_AFTER_ERA})


@dataclass(frozen=True)
class Era:
    """A Japanese era (元号) with its first and last day; ``last`` is None for the current era."""

    name: str
    first: date
    last: date | None

    def gregorian(self, era_year: int) -> int:
        return self.first.year + era_year - 1

    def year_word(self, gregorian_year: int) -> str:
        """「令和2」 for 2020, 「令和元」 for 2019: the era name and year as written before 年."""
        era_year = gregorian_year - self.first.year + 1
        return f"{self.name}{'元' if era_year == 1 else era_year}"

    def contains(self, day: date) -> bool:
        return self.first <= day and (self.last is None or day <= self.last)


@lru_cache(maxsize=1)
def eras() -> tuple[Era, ...]:
    """The era table of rules/eras.yaml, oldest first."""
    table = resources.load_checked_yaml("eras.yaml", "eras.schema.json")["eras"]
    return tuple(
        Era(
            name=row["name"],
            first=date.fromisoformat(row["first"]),
            last=date.fromisoformat(row["last"]) if row["last"] else None,
        )
        for row in table
    )


def plan_horizon_years() -> int:
    """How many years past its era's end a plan date may reach before it is impossible."""
    return int(resources.load_checked_yaml("eras.yaml", "eras.schema.json")["plan_horizon_years"])


def era_of(day: date) -> Era | None:
    """The era ``day`` falls in, or None before the oldest era in the table."""
    return next((era for era in eras() if era.contains(day)), None)


def fiscal_year_of(day: date) -> int:
    """The fiscal year (年度, April to March) of ``day``, named by the year it starts in."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True)
class DateMention:
    """One date as written (「平成31年3月31日」「2024年3月」「令和元年」「2021年度」) and where it is.

    ``start``/``end`` are character offsets in the text read (``text == source[start:end]``);
    ``year`` is the Gregorian year (for 年度, the year the fiscal year starts in); ``problem`` is
    one of the module's problem constants, or None.
    """

    text: str
    start: int
    end: int
    year: int
    month: int | None = None
    day: int | None = None
    fiscal: bool = False
    era: Era | None = None
    era_year: int | None = None

    @cached_property
    def problem(self) -> str | None:
        """What is wrong with the date (one of the module's constants), or None."""
        return _problem(self)

    @property
    def first_day(self) -> date | None:
        """The first day the mention covers (1 April for 年度), None for an impossible date."""
        covered = _covered(self.year, self.month, self.day, self.fiscal)
        return covered[0] if covered else None

    @property
    def last_day(self) -> date | None:
        """The last day the mention covers (31 March for 年度, month end for 「3月末」)."""
        covered = _covered(self.year, self.month, self.day, self.fiscal)
        return covered[1] if covered else None

    def rewritten(self) -> str | None:
        """A mention outside its era, in the era it falls in (「平成32年3月31日」 → 「令和2年3月31日」).

        A mention before its era is placed by its last day (「令和元年4月」 → 「平成31年4月」), any
        other by its first day; None for an impossible date or one before the oldest era.
        """
        day = self.last_day if self.problem == BEFORE_ERA else self.first_day
        era = era_of(day) if day else None
        if day is None or era is None:
            return None
        return era.year_word(day.year) + "年" + self.text.split("年", 1)[1]


def _covered(
    year: int, month: int | None, day: int | None, fiscal: bool
) -> tuple[date, date] | None:
    if not 1 <= year <= 9998:
        return None
    if fiscal:
        return date(year, 4, 1), date(year + 1, 3, 31)
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if not 1 <= month <= 12:
        return None
    days = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, 1), date(year, month, days)
    if not 1 <= day <= days:
        return None
    return date(year, month, day), date(year, month, day)


@lru_cache(maxsize=1)
def _date_pattern() -> re.Pattern[str]:
    return re.compile(
        rf"(?:(?P<era>{era_pattern()})[ ]*(?P<era_year>元|\d{{1,3}})|(?<![\d.,])(?P<year>[12]\d{{3}}))[ ]*年"
        r"(?:[ ]*(?P<fiscal>度)"
        r"|[ ]*(?P<month>\d{1,2})[ ]*月(?:[ ]*(?P<day>\d{1,2})[ ]*日|[ ]*末日?)?)?"
    )


def date_mentions(text: str) -> list[DateMention]:
    """Every date written in ``text``, in order, each with its offsets and problem (if any)."""
    if "年" not in text:  # every form this reader knows has one; most lines have none
        return []
    by_name = {era.name: era for era in eras()}
    mentions = []
    for match in _date_pattern().finditer(text):
        era = by_name.get(match["era"] or "")
        era_year = None
        if era is not None:
            era_year = 1 if match["era_year"] == "元" else int(match["era_year"])
            year = era.gregorian(era_year)
        else:
            year = int(match["year"])
        mention = DateMention(
            text=match.group(0),
            start=match.start(),
            end=match.end(),
            year=year,
            month=int(match["month"]) if match["month"] else None,
            day=int(match["day"]) if match["day"] else None,
            fiscal=bool(match["fiscal"]),
            era=era,
            era_year=era_year,
        )
        mentions.append(mention)
    return mentions


def _problem(mention: DateMention) -> str | None:
    if mention.era_year == 0:
        return ERA_YEAR_ZERO
    if mention.month is not None and not 1 <= mention.month <= 12:
        return INVALID_MONTH
    first, last = mention.first_day, mention.last_day
    if first is None or last is None:
        return INVALID_DAY
    era = mention.era
    if era is None:
        return None
    if last < era.first:
        return BEFORE_ERA
    if era.last is not None and first > era.last:
        return AFTER_ERA if years_after_era(mention) <= plan_horizon_years() else FAR_AFTER_ERA
    return None


def years_after_era(mention: DateMention) -> int:
    """How many calendar years after its era's last year the mention lies (0 for 平成31年5月)."""
    if mention.era is None or mention.era.last is None:
        return 0
    return max(mention.year - mention.era.last.year, 0)


def fiscal_year(text: str) -> int | None:
    """The first 年度 in ``text`` as the Gregorian year it starts in (「平成29年度」 → 2017)."""
    mention = next((m for m in date_mentions(text) if m.fiscal), None)
    if mention is None or mention.problem == ERA_YEAR_ZERO:
        return None
    return mention.year


@dataclass(frozen=True)
class Period:
    """A period written as 「start から end (まで)」.

    ``start`` is None when the start is the plan's approval date (「…認定の日から」,
    ``start_is_approval``: an unknown day at or before any explicit start) or is not written or
    not a real date; ``end`` is None when the end is not a real date. ``stated_years`` comes from
    duration words right after the end (「(3カ年間)」「3ヶ年度」「3か年」). ``text`` is the words read
    and ``offset`` where they start in the string given to :func:`read_period`.
    """

    start: date | None
    end: date | None
    start_is_approval: bool
    stated_years: int | None
    text: str = ""
    offset: int = 0
    start_text: str = ""
    end_text: str = ""
    duration_text: str = ""

    @property
    def is_reversed(self) -> bool:
        return self.start is not None and self.end is not None and self.end < self.start

    def fiscal_years(self) -> int | None:
        """How many fiscal years (April–March) the period touches, counting both ends."""
        if self.start is None or self.end is None:
            return None
        return fiscal_year_of(self.end) - fiscal_year_of(self.start) + 1


_APPROVAL = re.compile(r"(?:地域再生)?(?:計画)?の?認定(?:を受けた|の)?日")
_SEPARATOR = re.compile(r"\s*(?:から|~|〜|～)\s*")
_UNTIL = re.compile(r"\s*まで")
# possessive runs of spaces: a long run after a period is read once, never split every way
_DURATION = re.compile(
    r"\s*+[(（]?\s*+(\d{1,2})\s*+(?:[カヶケかヵ箇]\s*+年(?:間|度)?|年間)\s*+[)）]?"
)


def find_periods(text: str) -> list[Period]:
    """Every period in ``text``, in order: 「A から B (まで)」, or 「B まで」 with no start written."""
    mentions = date_mentions(text)
    at = {mention.start: mention for mention in mentions}
    # an anchor is where a period may start: the approval words, or a date
    anchors = sorted(
        [(m.start(), m.group(0), None) for m in _APPROVAL.finditer(text)]
        + [(m.start, m.text, m) for m in mentions],
        key=lambda anchor: anchor[0],
    )
    periods: list[Period] = []
    taken = 0
    for start, words, first in anchors:
        if start < taken:
            continue
        separator = _SEPARATOR.match(text, start + len(words))
        last = at.get(separator.end()) if separator else None
        if last is not None:
            period = _period(text, start, words, first, last)
        elif first is not None and _UNTIL.match(text, first.end):
            period = _period(text, start, "", None, first)
        else:
            continue
        periods.append(period)
        taken = period.offset + len(period.text)
    return periods


def read_period(text: str) -> Period | None:
    """The first period written in ``text`` (see :func:`find_periods`), or None."""
    periods = find_periods(text)
    return periods[0] if periods else None


def _period(
    text: str, offset: int, start_words: str, first: DateMention | None, last: DateMention
) -> Period:
    """The period from ``start_words`` (a date ``first``, the approval words, or nothing) to
    ``last``, with the まで and duration words that follow."""
    stop = last.end
    until = _UNTIL.match(text, stop)
    if until:
        stop = until.end()
    duration = _DURATION.match(text, stop)
    if duration:
        stop = duration.end()
    return Period(
        start=first.first_day if first else None,
        end=last.last_day,
        start_is_approval=bool(start_words) and first is None,
        stated_years=int(duration.group(1)) if duration else None,
        text=text[offset:stop].rstrip(),
        offset=offset,
        start_text=start_words,
        end_text=last.text,
        duration_text=duration.group(0).strip(" \t\n(（)）") if duration else "",
    )
