"""The date reader: 西暦 and 和暦 dates, era boundaries, 年度, year-months and periods."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plancheck.api import resources
from plancheck.model import dates
from plancheck.model.dates import (
    AFTER_ERA,
    BEFORE_ERA,
    ERA_YEAR_ZERO,
    FAR_AFTER_ERA,
    INVALID_DAY,
    INVALID_MONTH,
    date_mentions,
    find_periods,
    fiscal_year,
    read_period,
)


def only(text: str) -> dates.DateMention:
    (mention,) = date_mentions(text)
    return mention


def test_era_table_is_ordered_and_contiguous():
    eras = dates.eras()
    assert [era.name for era in eras] == ["大正", "昭和", "平成", "令和"]
    for earlier, later in pairwise(eras):
        assert earlier.last is not None and earlier.last + timedelta(days=1) == later.first
    assert eras[-1].last is None  # 令和 is the current era


def test_era_table_schema_rejects_an_unquoted_or_missing_day():
    table = resources.load_yaml("eras.yaml")
    assert resources.schema_error(table, "eras.schema.json") is None
    broken = {**table, "eras": [{"name": "令和", "first": date(2019, 5, 1), "last": None}]}
    assert "eras/0/first" in resources.schema_error(broken, "eras.schema.json")
    assert resources.schema_error({"eras": []}, "eras.schema.json") is not None


@pytest.mark.parametrize(
    "text, day",
    [
        ("大正元年7月30日", date(1912, 7, 30)),
        ("大正15年12月24日", date(1926, 12, 24)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和6年2月29日", date(2024, 2, 29)),
        ("2024年3月31日", date(2024, 3, 31)),
        ("2024年2月29日", date(2024, 2, 29)),
    ],
)
def test_valid_dates_in_every_era(text, day):
    mention = only(text)
    assert (mention.first_day, mention.last_day, mention.problem) == (day, day, None)
    assert mention.text == text


def test_gannen_is_year_one():
    assert only("令和元年").era_year == 1
    assert only("令和元年").year == only("令和1年").year == 2019
    assert only("平成元年").year == 1989


@pytest.mark.parametrize(
    "text, problem",
    [
        ("令和5年2月30日", INVALID_DAY),
        ("2023年2月29日", INVALID_DAY),
        ("2024年4月31日", INVALID_DAY),
        ("2024年4月0日", INVALID_DAY),
        ("2024年13月", INVALID_MONTH),
        ("令和6年0月1日", INVALID_MONTH),
        ("令和0年", ERA_YEAR_ZERO),
        ("令和0年度", ERA_YEAR_ZERO),
        ("令和元年4月30日", BEFORE_ERA),
        ("令和元年4月", BEFORE_ERA),
        ("平成元年1月7日", BEFORE_ERA),
        ("大正元年7月29日", BEFORE_ERA),
        ("平成31年5月1日", AFTER_ERA),
        ("昭和64年1月8日", AFTER_ERA),
        ("平成32年3月31日", AFTER_ERA),
        ("平成32年度", AFTER_ERA),
        ("平成36年", AFTER_ERA),  # 2024: five years past 2019, the longest a plan reaches
        ("平成37年", FAR_AFTER_ERA),
        ("平成40年", FAR_AFTER_ERA),
    ],
)
def test_problems_are_reported_not_raised(text, problem):
    assert only(text).problem == problem


@pytest.mark.parametrize(
    "text",
    [
        "平成31年4月30日",
        "平成31年4月",
        "平成31年",
        "平成31年度",
        "令和元年度",
        "平成元年1月",
        "令和元年",
    ],
)
def test_mentions_that_touch_their_era_are_valid(text):
    # 平成31年度 starts in 平成 and 令和元年度 ends in 令和: both are the usual way to write FY2019
    assert only(text).problem is None


def test_years_after_era_and_rewriting():
    mention = only("平成40年3月31日")
    assert dates.years_after_era(mention) == 9
    assert mention.rewritten() == "令和10年3月31日"
    assert only("平成32年3月31日").rewritten() == "令和2年3月31日"
    assert only("平成31年5月1日").rewritten() == "令和元年5月1日"
    assert only("平成32年度").rewritten() == "令和2年度"
    assert only("令和元年4月30日").rewritten() == "平成31年4月30日"
    assert only("令和元年4月").rewritten() == "平成31年4月"
    assert only("2023年2月29日").rewritten() is None
    assert only("大正元年7月29日").rewritten() is None  # before the oldest era in the table


def test_year_month_covers_the_month():
    end = only("平成31年3月末")
    assert (end.first_day, end.last_day, end.day) == (date(2019, 3, 1), date(2019, 3, 31), None)
    assert (only("2024年2月").first_day, only("2024年2月").last_day) == (
        date(2024, 2, 1),
        date(2024, 2, 29),
    )


def test_fiscal_year_runs_april_to_march():
    mention = only("2021年度")
    assert mention.fiscal and (mention.first_day, mention.last_day) == (
        date(2021, 4, 1),
        date(2022, 3, 31),
    )
    assert dates.fiscal_year_of(date(2022, 3, 31)) == 2021
    assert dates.fiscal_year_of(date(2022, 4, 1)) == 2022


@pytest.mark.parametrize(
    "text, year",
    [
        ("2021年度", 2021),
        ("平成29年度", 2017),
        ("平成29年度 増加分(1年目)", 2017),
        ("2023年度増加分", 2023),
        ("令和元年度", 2019),
        ("平成28年3月末 平成29年度", 2017),  # the first 年度, not the first date
        ("事業開始前(現時点)", None),
        ("令和0年度", None),
    ],
)
def test_fiscal_year(text, year):
    assert fiscal_year(text) == year


def test_offsets_point_at_the_words():
    text = "KPIは平成29年3月末と2024年3月31日に測る"
    mentions = date_mentions(text)
    assert [text[m.start : m.end] for m in mentions] == ["平成29年3月末", "2024年3月31日"]


@pytest.mark.parametrize(
    "text", ["3年間", "(1年目)", "10年", "1年間の実地研修", "年 月 日", "123456年", "平成年度", ""]
)
def test_counts_and_blanks_are_not_dates(text):
    assert date_mentions(text) == []


def test_approval_start_with_duration():
    period = read_period("地域再生計画認定の日から平成31年3月31日(3ヶ年度)")
    assert period is not None
    assert (period.start, period.end, period.start_is_approval) == (None, date(2019, 3, 31), True)
    assert (period.stated_years, period.duration_text) == (3, "3ヶ年度")
    assert (period.start_text, period.end_text) == ("地域再生計画認定の日", "平成31年3月31日")
    assert period.fiscal_years() is None


def test_explicit_period_closed_by_made():
    text = "2021年4月1日 から 2024年3月31日 まで"
    period = read_period(text)
    assert period is not None
    assert (period.start, period.end) == (date(2021, 4, 1), date(2024, 3, 31))
    assert not period.start_is_approval and period.stated_years is None
    assert period.text == text and period.offset == 0
    assert period.fiscal_years() == 3


def test_approval_start_variant_wording():
    period = read_period("地域再生計画の認定の日から 2024年3月31日 まで")
    assert period is not None and period.start_is_approval
    assert period.start_text == "地域再生計画の認定の日" and period.end == date(2024, 3, 31)


def test_fiscal_year_range_without_made():
    text = "事業期間:平成28年度~平成30年度"
    period = read_period(text)
    assert period is not None
    assert (period.start, period.end) == (date(2016, 4, 1), date(2019, 3, 31))
    assert text[period.offset :] == period.text == "平成28年度~平成30年度"
    assert period.fiscal_years() == 3


def test_year_month_end():
    period = read_period("平成29年4月から平成31年3月末まで")
    assert period is not None and (period.start, period.end) == (
        date(2017, 4, 1),
        date(2019, 3, 31),
    )


@pytest.mark.parametrize(
    "words, years",
    [
        ("(3カ年間)", 3),
        ("(3ヶ年度)", 3),
        ("3か年", 3),
        ("(5年間)", 5),
        ("（2ヵ年）", 2),
        ("", None),
    ],
)
def test_stated_durations(words, years):
    period = read_period(f"2022年4月1日から2025年3月31日まで{words}")
    assert period is not None and period.stated_years == years


def test_end_alone_is_a_period_with_no_start():
    period = read_period("平成31年3月31日まで")
    assert period is not None
    assert (period.start, period.end, period.start_is_approval) == (None, date(2019, 3, 31), False)


@pytest.mark.parametrize(
    "text",
    [
        "平成27年度から実施してきた",
        "年 月 日から 年 月 日まで",
        "地域再生計画認定の日から3年間",
        "から まで",
        "",
    ],
)
def test_no_period(text):
    assert read_period(text) is None


def test_reversed_and_impossible_periods():
    period = read_period("2025年4月1日から2022年3月31日まで")
    assert period is not None and period.is_reversed
    broken = read_period("2022年4月1日から2025年2月30日まで")
    assert broken is not None and broken.end is None and not broken.is_reversed


def test_every_period_in_a_text_and_across_lines():
    text = "平成28年度~平成30年度\n地域再生計画認定の日から\n平成31年3月31日"
    first, second = find_periods(text)
    assert first.text == "平成28年度~平成30年度"
    assert second.start_is_approval and second.end == date(2019, 3, 31)
    assert text[second.offset : second.offset + len(second.text)] == second.text


DATE_ALPHABET = st.sampled_from(
    [
        "平成",
        "令和",
        "昭和",
        "大正",
        "元",
        "年",
        "月",
        "日",
        "度",
        "末",
        "から",
        "まで",
        "~",
        "(",
        ")",
    ]
    + ["ヶ", "カ", "間", "認定の日", " ", "\n"]
    + list("0123456789")
)


@given(st.lists(DATE_ALPHABET, max_size=60).map("".join))
def test_reader_never_raises_and_offsets_hold(text):
    for mention in date_mentions(text):
        assert text[mention.start : mention.end] == mention.text
        if mention.problem in (INVALID_DAY, INVALID_MONTH):
            assert mention.first_day is None
        elif mention.problem != ERA_YEAR_ZERO:
            assert mention.first_day is not None
        mention.rewritten()
    for period in find_periods(text):
        assert text[period.offset : period.offset + len(period.text)] == period.text
        period.fiscal_years()
    fiscal_year(text)
