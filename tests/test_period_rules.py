"""PC301–PC306 on the fixture plans (one per generation), on defects injected into copies of them
and of the real plans, and pinned on the real corpus."""

from datetime import date

import pytest

from plancheck.checks.period import plan_periods
from plancheck.model.profiles import build_profiles, builtin_definitions
from plancheck.parsing.normalize import normalize
from plancheck.parsing.parser import parse_lines
from plancheck.reading.source import read_source

from conftest import REAL_PLANS, codes, corpus_file, fixture_text, lint

PERIOD_RULES = ["PC301", "PC302", "PC303", "PC304", "PC305", "PC306"]

# midorino-2021.txt writes the same period in ⑧ and in 5-3-2 ウ: edit one of them by its context
PROJECT_2021 = "⑧ 事業実施期間\n\n2022年4月1日から2025年3月31日まで"
PLAN_2021 = "6 計画期間\n\n地域再生計画の認定の日から2025年3月31日まで"


def line_no(text: str, fragment: str, occurrence: int = 1) -> int:
    """The line number of the ``occurrence``-th line containing ``fragment``."""
    hits = [n for n, line in enumerate(text.split("\n"), 1) if fragment in line]
    return hits[occurrence - 1]


def edit(name: str, old: str, new: str) -> str:
    text = fixture_text(name)
    assert text.count(old) == 1, old
    return text.replace(old, new)


def parse(text: str):
    return parse_lines(normalize(read_source(text.encode("utf-8"), "p.txt").lines), "p.txt")


# --- clean plans ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["midorino-2016.txt", "midorino-2021.txt"])
def test_clean_fixture_has_no_period_finding(name):
    assert codes(lint(fixture_text(name), select=["PC3"])) == []


def test_clean_2017_fixture_only_gets_era_notes():
    # The 2017 fixture, like the real Sapporo plan, was written before May 2019 and runs into
    # 令和 in 平成 years (平成32年度, 平成33年3月31日): valid when written, hence info, not error.
    text = fixture_text("midorino-2017.txt")
    assert codes(lint(text, select=["PC301", "PC302", "PC303", "PC305", "PC306"])) == []
    findings = lint(text, select=["PC304"])
    assert {f.severity for f in findings} == {"info"}
    assert codes(findings) == [("PC304", n) for n in (33, 78, 105, 125, 129, 139)]


def test_rules_do_not_apply_to_other_documents():
    text = corpus_file("tokku-keihin-evaluation-2020.txt").read_text(encoding="utf-8")
    assert codes(lint(text, select=PERIOD_RULES)) == []


# --- the real corpus (accepted plans) ---------------------------------------------------------

CORPUS_FINDINGS = {
    # ⑧ 「認定の日から平成31年3月31日（3ヶ年度）」: an approval start, so the duration is not checked
    "plan-chiba-medtech-2016.txt": [],
    # written in 2017, ⑧ (line 133) and 6 (line 151) end 平成32年3月31日 = 令和2年3月31日: valid
    # then, worth an info note now; no error-level finding
    "plan-sapporo-medical-2017.txt": [("PC304", 133), ("PC304", 151)],
    # ⑧ 2021年4月1日–2024年3月31日 within 6 「認定の日から2024年3月31日まで」; the blank
    # 「年 月 日から 年 月 日まで」 under 5-3-2 ウ is not a period (PC501's business)
    "plan-yokohama-healthcare-2021.txt": [],
    "plan-yokohama-global-2023.txt": [],
}


@pytest.mark.parametrize("name", REAL_PLANS)
def test_real_plans_are_pinned(name):
    text = corpus_file(name).read_text(encoding="utf-8")
    assert codes(lint(text, select=PERIOD_RULES)) == CORPUS_FINDINGS[name]


def test_sapporo_note_names_the_reiwa_date():
    text = corpus_file("plan-sapporo-medical-2017.txt").read_text(encoding="utf-8")
    finding = lint(text, select=["PC304"])[0]
    assert (finding.column, finding.end_column) == (
        13,
        23,
    )  # 「平成32年3月31日」 after 「…認定の日から」
    assert "令和2年3月31日" in finding.message and "2020" in finding.message


def edited_real(name: str, line: int, old: str, new: str) -> str:
    lines = corpus_file(name).read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


@pytest.mark.parametrize(
    "name, line, old, new, code",
    [
        # ⑧ made to end a year after 6 計画期間
        ("plan-yokohama-global-2023.txt", 270, "2026 年", "2027 年", "PC301"),
        # 2024年3月32日; 平成42年 (2030, eleven years after 平成 ended)
        ("plan-yokohama-healthcare-2021.txt", 159, "31 日", "32 日", "PC302"),
        ("plan-sapporo-medical-2017.txt", 151, "平成32年", "平成42年", "PC302"),
        # ⑧ made to start (2025) after it ends (2024)
        ("plan-yokohama-healthcare-2021.txt", 159, "2021年", "2025年", "PC303"),
        # 6 計画期間 left with only 「地域再生計画認定の日から」
        ("plan-chiba-medtech-2016.txt", 121, "平成 31 年 3 月 31 日", "", "PC305"),
        # 2023年4月1日–2026年3月31日 is three fiscal years, not five
        ("plan-yokohama-global-2023.txt", 270, "まで", "まで（5カ年間）", "PC306"),
    ],
)
def test_defect_injected_into_a_real_plan(name, line, old, new, code):
    text = edited_real(name, line, old, new)
    expected = line - 2 if code == "PC305" else line  # PC305 points at the heading
    assert codes(lint(text, select=[code])) == [(code, expected)]


# --- helpers for the KPI rules ----------------------------------------------------------------


PROFILES = build_profiles(builtin_definitions())


def project_period(plan, profile="chiiki-saisei-2021"):
    """The first block's 事業実施期間: its first period and span, as the rules read it."""
    return plan_periods(plan, PROFILES[profile]).projects[0].first()


def plan_period(plan, profile="chiiki-saisei-2021"):
    place = plan_periods(plan, PROFILES[profile]).plan
    return place.first() if place else (None, None)


def test_project_and_plan_period_in_every_generation():
    period, span = project_period(parse(fixture_text("midorino-2016.txt")), "chiiki-saisei-2016")
    assert period.start_is_approval and period.end == date(2019, 3, 31)
    assert (span.line, span.column) == (87, 1)
    period, span = project_period(parse(fixture_text("midorino-2021.txt")))
    assert (period.start, period.end) == (date(2022, 4, 1), date(2025, 3, 31))
    assert (span.line, span.column, span.end_column) == (145, 1, 24)
    period, span = plan_period(parse(fixture_text("midorino-2017.txt")), "chiiki-saisei-2017")
    assert period.start is None and period.end == date(2021, 3, 31) and span.line == 129


def test_period_helpers_without_a_readable_period_or_section():
    text = edit("midorino-2021.txt", PROJECT_2021, "⑧ 事業実施期間\n\n未定")
    period, span = project_period(parse(text))
    assert period is None and span.line == line_no(text, "⑧ 事業実施期間")  # the item itself
    assert plan_period(parse("地域再生計画\n1 地域再生計画の名称\n")) == (None, None)


def test_period_broken_over_two_lines_is_read_and_located():
    text = edit(
        "midorino-2021.txt",
        PLAN_2021,
        "6 計画期間\n\n地域再生計画の認定の日から\n2025年3月31日まで",
    )
    period, span = plan_period(parse(text))
    assert period.start_is_approval and period.end == date(2025, 3, 31)
    start = line_no(text, "地域再生計画の認定の日から")
    assert (span.line, span.end_line) == (start, start + 1)


# --- PC301 period-outside-plan ----------------------------------------------------------------


def test_project_ending_after_the_plan():
    text = edit("midorino-2021.txt", PROJECT_2021, PROJECT_2021.replace("2025年", "2026年"))
    findings = lint(text, select=["PC301"])
    assert codes(findings) == [("PC301", line_no(text, "2022年4月1日から2026年3月31日まで"))]
    assert findings[0].message == (
        "5-2 ⑧ 事業実施期間の終わり（2026年3月31日）が 6 計画期間の終わり（2025年3月31日）より後です。"
        "事業実施期間を計画期間内に収めてください"
    )


def test_project_ending_after_the_plan_in_wareki():
    text = edit("midorino-2017.txt", "平成33年3月31日（3カ年間）", "平成34年3月31日（4カ年間）")
    findings = lint(text, select=["PC301"])
    assert codes(findings) == [("PC301", 105)]
    assert "平成34年3月31日" in findings[0].message and "平成33年3月31日" in findings[0].message


def test_project_starting_before_an_explicit_plan_start():
    text = edit("midorino-2021.txt", PLAN_2021, "6 計画期間\n\n2022年10月1日から2025年3月31日まで")
    findings = lint(text, select=["PC301"])
    assert codes(findings) == [("PC301", line_no(text, "2022年4月1日から2025年3月31日まで"))]
    assert "始まり（2022年4月1日）" in findings[0].message
    assert "始まり（2022年10月1日）" in findings[0].message


def test_approval_start_is_never_too_early():
    # ⑧ starts at approval, 6 at an explicit date: approval is at or before it, so no conclusion
    text = edit(
        "midorino-2021.txt",
        PROJECT_2021,
        "⑧ 事業実施期間\n\n地域再生計画の認定の日から2025年3月31日まで",
    )
    text = text.replace(PLAN_2021, "6 計画期間\n\n2022年4月1日から2025年3月31日まで")
    assert lint(text, select=["PC301"]) == []


def test_project_ending_before_the_plan_starts():
    text = edit(
        "midorino-2021.txt",
        PROJECT_2021,
        "⑧ 事業実施期間\n\n地域再生計画の認定の日から2022年3月31日まで",
    )
    text = text.replace(PLAN_2021, "6 計画期間\n\n2022年4月1日から2025年3月31日まで")
    findings = lint(text, select=["PC301"])
    assert codes(findings) == [("PC301", line_no(text, "認定の日から2022年3月31日まで"))]
    assert (
        "終わり（2022年3月31日）が 6 計画期間の始まり（2022年4月1日）より前" in findings[0].message
    )


def test_reversed_period_is_left_to_pc303():
    text = edit(
        "midorino-2021.txt", PROJECT_2021, "⑧ 事業実施期間\n\n2026年4月1日から2022年3月31日まで"
    )
    assert codes(lint(text, select=["PC301", "PC303"])) == [
        ("PC303", line_no(text, "2026年4月1日から"))
    ]


# --- PC302 invalid-date -----------------------------------------------------------------------


def test_february_30th():
    text = edit(
        "midorino-2021.txt", PROJECT_2021, PROJECT_2021.replace("2025年3月31日", "2025年2月30日")
    )
    findings = lint(text, select=["PC302"])
    line = line_no(text, "2025年2月30日")
    assert codes(findings) == [("PC302", line)]
    assert (findings[0].column, findings[0].end_column) == (12, 22)  # after 「…4月1日から」
    assert (
        findings[0].message
        == "「2025年2月30日」は存在しない日付です（2月は28日までです）。日付を確認してください"
    )


def test_reiwa_zero_anywhere_in_the_plan():
    text = edit("midorino-2021.txt", "毎年度8月", "令和0年度から毎年度8月")
    findings = lint(text, select=["PC302"])
    assert codes(findings) == [("PC302", line_no(text, "令和0年度"))]
    assert "令和元年" in findings[0].message


def test_heisei_40_is_impossible_for_a_plan():
    text = edit("midorino-2017.txt", "平成33年3月31日（3カ年間）", "平成40年3月31日（3カ年間）")
    findings = lint(text, select=["PC302", "PC304"])
    assert codes(findings) == [
        ("PC304", 33),
        ("PC304", 78),
        ("PC302", 105),
        ("PC304", 125),
        ("PC304", 129),
        ("PC304", 139),
    ]
    error = findings[2]
    assert error.severity == "error"
    assert "9年後" in error.message and "令和10年3月31日" in error.message


def test_reiwa_before_it_began():
    text = edit("midorino-2021.txt", "毎年度8月", "令和元年4月1日から毎年度8月")
    findings = lint(text, select=["PC302"])
    assert codes(findings) == [("PC302", line_no(text, "令和元年4月1日"))]
    assert "2019年5月1日より前" in findings[0].message


def test_thirteenth_month():
    text = fixture_text("midorino-2016.txt").replace("平成30年3月末", "平成30年13月末", 1)
    findings = lint(text, select=["PC302"])
    assert codes(findings) == [("PC302", line_no(text, "平成30年13月末"))]


# --- PC303 period-reversed --------------------------------------------------------------------


def test_reversed_project_period():
    text = edit(
        "midorino-2021.txt", PROJECT_2021, "⑧ 事業実施期間\n\n2025年4月1日から2022年3月31日まで"
    )
    findings = lint(text, select=["PC303"])
    assert codes(findings) == [("PC303", line_no(text, "2025年4月1日から2022年3月31日まで"))]
    assert findings[0].message == (
        "期間「2025年4月1日から2022年3月31日まで」は終わり（2022年3月31日）が始まり（2025年4月1日）"
        "より前です。日付を確認してください"
    )


def test_reversed_period_in_5_3_2():
    old = "ウ 事業実施期間\n\n2022年4月1日から2025年3月31日まで"
    text = edit("midorino-2021.txt", old, "ウ 事業実施期間\n\n2025年4月1日から2022年3月31日まで")
    assert codes(lint(text, select=["PC303"])) == [("PC303", line_no(text, "2025年4月1日から"))]


def test_reversed_fiscal_years_in_2016_projects():
    text = fixture_text("midorino-2016.txt").replace(
        "事業期間：平成28年度～平成30年度", "事業期間：平成30年度～平成28年度", 1
    )
    findings = lint(text, select=["PC303"])
    assert codes(findings) == [("PC303", line_no(text, "平成30年度～平成28年度"))]
    assert (findings[0].column, findings[0].end_column) == (6, 19)


# --- PC304 era-year-after-change --------------------------------------------------------------


def test_heisei_32_gets_an_info_note():
    text = edit("midorino-2016.txt", "平成31年3月31日（3ヶ年度）", "平成32年3月31日（3ヶ年度）")
    findings = lint(text, select=["PC304"])
    assert codes(findings) == [("PC304", line_no(text, "平成32年3月31日"))]
    assert findings[0].severity == "info"
    assert findings[0].message == (
        "「平成32年3月31日」は平成の終わり（2019年4月30日）より後で、令和2年3月31日（2020年）に"
        "当たります。作成時には有効な表記ですが、「令和2年3月31日」への更新を検討してください"
    )


def test_last_day_of_heisei_is_fine_and_the_next_is_reiwa():
    text = edit("midorino-2016.txt", "平成31年3月31日（3ヶ年度）", "平成31年4月30日（3ヶ年度）")
    assert lint(text, select=["PC302", "PC304"]) == []
    text = edit("midorino-2016.txt", "平成31年3月31日（3ヶ年度）", "平成31年5月1日（3ヶ年度）")
    findings = lint(text, select=["PC302", "PC304"])
    assert codes(findings) == [("PC304", line_no(text, "平成31年5月1日"))]
    assert "令和元年5月1日" in findings[0].message


# --- PC305 period-missing ---------------------------------------------------------------------


def test_project_period_without_dates():
    text = edit("midorino-2021.txt", PROJECT_2021, "⑧ 事業実施期間\n\n認定の日から3年間")
    findings = lint(text, select=["PC305"])
    assert codes(findings) == [("PC305", line_no(text, "⑧ 事業実施期間"))]
    assert findings[0].message.startswith("5-2 ⑧ 事業実施期間から期間の日付を読み取れません")


def test_empty_plan_period():
    text = edit(
        "midorino-2017.txt",
        "6 計画期間\n\n地域再生計画認定の日から平成33年3月31日\n",
        "6 計画期間\n\n",
    )
    assert codes(lint(text, select=["PC305"])) == [("PC305", line_no(text, "6 計画期間"))]


def test_missing_section_is_not_pc305():
    text = edit("midorino-2021.txt", PROJECT_2021, "")
    assert lint(text, select=["PC305"]) == []


# --- PC306 period-duration-mismatch -----------------------------------------------------------


def test_duration_disagrees_with_dates():
    text = edit("midorino-2021.txt", PROJECT_2021, PROJECT_2021 + "(5カ年間)")
    findings = lint(text, select=["PC306"])
    assert codes(findings) == [("PC306", line_no(text, "(5カ年間)"))]
    assert findings[0].severity == "warning"
    assert findings[0].message == (
        "期間「2022年4月1日から2025年3月31日まで(5カ年間)」は3か年度ですが、「5カ年間」と記載されて"
        "います。日付か年数を修正してください"
    )


@pytest.mark.parametrize("words", ["(3カ年間)", "（3ヶ年度）", "3か年"])
def test_duration_that_agrees(words):
    text = edit("midorino-2021.txt", PROJECT_2021, PROJECT_2021 + words)
    assert lint(text, select=["PC306"]) == []


def test_duration_after_an_approval_start_is_not_checked():
    text = edit("midorino-2016.txt", "（3ヶ年度）", "（5ヶ年度）")
    assert lint(text, select=["PC306"]) == []


def test_duration_of_a_fiscal_year_range():
    text = fixture_text("midorino-2016.txt").replace(
        "事業期間：平成28年度～平成30年度", "事業期間：平成28年度～平成30年度（2ヶ年度）", 1
    )
    assert codes(lint(text, select=["PC306"])) == [("PC306", line_no(text, "（2ヶ年度）"))]


def test_length_in_years_of_a_period_not_aligned_to_april():
    # 2022-10-01 to 2025-09-30 touches four fiscal years but lasts three years: 「3カ年間」 is right
    text = edit(
        "midorino-2021.txt",
        PROJECT_2021,
        "⑧ 事業実施期間\n\n2022年10月1日から2025年9月30日まで(3カ年間)",
    )
    assert lint(text, select=["PC306"]) == []


# --- English messages -------------------------------------------------------------------------


def test_english_messages():
    text = edit(
        "midorino-2021.txt", PROJECT_2021, PROJECT_2021.replace("2025年3月31日", "2026年2月30日")
    )
    (invalid,) = lint(text, select=["PC302"], lang="en")
    assert (
        invalid.message
        == "'2026年2月30日' is not a real date (month 2 has 28 days); check the date"
    )
    text = edit("midorino-2021.txt", PROJECT_2021, PROJECT_2021.replace("2025年", "2026年"))
    (outside,) = lint(text, select=["PC301"], lang="en")
    assert outside.message == (
        "5-2 ⑧ 事業実施期間 ends (2026年3月31日) after 6 計画期間 ends (2025年3月31日); keep the "
        "project period within the plan period"
    )
    sapporo = corpus_file("plan-sapporo-medical-2017.txt").read_text(encoding="utf-8")
    note = lint(sapporo, select=["PC304"], lang="en")[0]
    assert note.message == (
        "'平成32年3月31日' is after 平成 ended (2019-04-30): it is 令和2年3月31日 (2020). It was "
        "valid when written; consider updating it to '令和2年3月31日'"
    )


def test_english_messages_of_the_other_rules():
    reversed_ = edit(
        "midorino-2021.txt", PROJECT_2021, "⑧ 事業実施期間\n\n2025年4月1日から2022年3月31日まで"
    )
    missing = edit("midorino-2021.txt", PROJECT_2021, "⑧ 事業実施期間\n\n未定")
    mismatch = edit("midorino-2021.txt", PROJECT_2021, PROJECT_2021 + "(5カ年間)")
    assert lint(reversed_, select=["PC303"], lang="en")[0].message.startswith(
        "The period '2025年4月1日から2022年3月31日まで' ends (2022年3月31日) before it starts"
    )
    assert lint(missing, select=["PC305"], lang="en")[0].message.startswith(
        "No period can be read from 5-2 ⑧ 事業実施期間"
    )
    assert "spans 3 fiscal years but says 「5カ年間」" in (
        lint(mismatch, select=["PC306"], lang="en")[0].message
    )


# --- robustness -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "から から まで",
        "2024年から",
        "平成年月日から",
        "令和999年99月99日から0年0月0日まで",
        "~~~",
        "認定の日",
    ],
)
def test_malformed_periods_give_findings_not_exceptions(body):
    text = edit("midorino-2021.txt", PROJECT_2021, f"⑧ 事業実施期間\n\n{body}")
    findings = lint(text, select=PERIOD_RULES)
    assert all(f.code.startswith("PC3") for f in findings)
