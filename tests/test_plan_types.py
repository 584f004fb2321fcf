"""The plan types beyond the corpus (plan-format.md §8): 企業版ふるさと納税 (A2007) plans with and without
① 事業主体 and with section 4 divided or not, plans with two measure blocks (5-2-1 / 5-2-2), joint
filings, the 2015 and 2025 formats. Each clean fixture gets no finding; each injected defect is
found by the rule that finds it in a one-block plan, at its line, with the block named."""

import pytest
from docx_helper import build_docx

from plancheck.parsing.normalize import normalize
from plancheck.parsing.parser import parse_lines

from conftest import codes, fixture_text, lint, lint_bytes

CLEAN = [
    "sakuradai-kigyo-2022.txt",  # A2007 only, section 4 undivided, no 事業主体, 現状値/目標値 table
    "hibari-kigyo-2019.txt",  # A2007 only, 4-1/4-2, ① 事業主体, 和暦
    "aoba-multi-2023.txt",  # 5-2-1 A3007 + 5-2-2 A2007
    "minato-joint-2021.txt",  # joint filing of three bodies
    "nagisa-2015.txt",  # 4-1 地域の現状 / 4-2 地域の課題 / 4-3 目標
    "haruka-2025.txt",  # 第2世代交付金: 【自立性】【地域の多様な主体の参画】 only
]


def edited(name: str, old: str, new: str, occurrence: int = 1) -> str:
    text = fixture_text(name)
    assert text.count(old) >= occurrence, old
    head, *rest = text.split(old)
    parts = [head]
    for index, part in enumerate(rest, 1):
        parts.append(new if index == occurrence else old)
        parts.append(part)
    return "".join(parts)


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    hits = [n for n, line in enumerate(text.split("\n"), 1) if fragment in line]
    return hits[occurrence - 1]


@pytest.mark.parametrize("name", CLEAN)
def test_clean_plans_of_every_type_get_no_finding(name):
    assert lint(fixture_text(name)) == []


# --- 企業版ふるさと納税 (A2007) -------------------------------------------------------------------


def test_a2007_block_does_not_need_the_items_of_a_grant_block():
    # no ⑦ 交付対象事業に要する経費, no ⑧ ⑨, no 先導性 statements, no 4-1/4-2: none is reported
    text = fixture_text("sakuradai-kigyo-2022.txt")
    assert "【自立性】" not in text and "4-1" not in text
    assert lint(text, select=["PC1", "PC4"]) == []


def test_missing_a2007_item_is_reported_by_title():
    text = edited(
        "sakuradai-kigyo-2022.txt",
        "④ 寄附の金額の目安\n\n348,688千円（2022年度～2026年度累計）\n\n",
        "",
    )
    (finding,) = lint(text, select=["PC101"])
    assert finding.line == line_of(text, "⑤ 事業の評価の方法")
    assert finding.message == "5-2 に「寄附の金額の目安」の項目がありません"


def test_a2007_project_period_is_compared_with_the_plan_period():
    text = edited(
        "sakuradai-kigyo-2022.txt",
        "2022年4月1日から2027年3月31日まで",
        "2022年4月1日から2028年3月31日まで",
    )
    (finding,) = lint(text, select=["PC301"])
    assert finding.line == line_of(text, "2022年4月1日から2028年3月31日まで")
    assert finding.message.startswith(
        "5-2 ⑥ 事業実施期間の終わり（2028年3月31日）が 6 計画期間の終わり"
    )


def test_a2007_project_period_without_dates_is_reported():
    text = edited("sakuradai-kigyo-2022.txt", "2022年4月1日から2027年3月31日まで", "検討中")
    (finding,) = lint(text, select=["PC305"])
    assert finding.line == line_of(text, "⑥ 事業実施期間")
    assert "5-2 ⑥ 事業実施期間から" in finding.message


@pytest.mark.parametrize("blank", ["", "〇〇"])
def test_a2007_kpi_without_a_target_is_found(blank):
    text = edited("sakuradai-kigyo-2022.txt", "1,020\t1,200\t", f"1,020\t{blank}\t")
    findings = lint(text, select=["PC2", "PC5"])
    row = line_of(text, "イ 転入者数")
    assert ("PC205", row) in codes(findings)
    target = next(f for f in findings if f.code == "PC205")
    assert (
        target.message == "イ 転入者数(人/年) に数値目標がありません（目標値(2026年度) が空欄です）"
    )
    if blank:  # the template blank is also reported as such
        assert ("PC501", row) in codes(findings)


def test_a2007_target_that_is_not_a_number_is_pc202():
    text = edited("sakuradai-kigyo-2022.txt", "1,020\t1,200\t", "1,020\t約1,200\t")
    assert codes(lint(text, select=["PC2"])) == [("PC202", line_of(text, "イ 転入者数"))]


def test_a2007_without_a_kpi_table_is_told_where_it_belongs():
    text = fixture_text("sakuradai-kigyo-2022.txt")
    text = "\n".join(line for line in text.split("\n") if "\t" not in line)
    (finding,) = lint(text, select=["PC205"])
    assert finding.line == line_of(text, "【数値目標】")
    assert "4 の【数値目標】" in finding.message


@pytest.mark.parametrize(
    "figure, message",
    [
        ("348,688,000円", "「348,688,000円」が千円単位ではありません。「348,688千円」"),
        ("3.5億円", "「3.5億円」が千円単位ではありません。「350,000千円」"),
    ],
)
def test_donation_estimate_must_be_in_thousand_yen(figure, message):
    text = edited("sakuradai-kigyo-2022.txt", "348,688千円（", f"{figure}（")
    (finding,) = lint(text, select=["PC505"])
    assert finding.line == line_of(text, figure)
    assert message in finding.message


def test_donation_estimate_without_an_amount():
    text = edited("sakuradai-kigyo-2022.txt", "348,688千円（2022年度～2026年度累計）", "調整中")
    (finding,) = lint(text, select=["PC505"])
    assert finding.line == line_of(text, "④ 寄附の金額の目安")
    assert finding.message.startswith("5-2 ④ 寄附の金額の目安に金額がありません")


def test_donation_years_outside_the_project_period():
    text = edited(
        "sakuradai-kigyo-2022.txt", "（2022年度～2026年度累計）", "（2022年度～2027年度累計）"
    )
    (finding,) = lint(text, select=["PC505"])
    assert finding.line == line_of(text, "2027年度累計")
    assert "2022年度~2027年度" in finding.message and "5-2 ⑥ 事業実施期間" in finding.message


def test_a2007_with_4_2_but_no_4_1_is_missing_4_1():
    text = fixture_text("hibari-kigyo-2019.txt")
    start = text.index("4-1 ")
    text = text[:start] + text[text.index("4-2 ") :]
    (finding,) = lint(text, select=["PC101"])
    assert finding.line == line_of(text, "4-2 地方創生の実現に向けて見据える目標")
    assert "4-1" in finding.message


def test_a2007_items_are_matched_by_title_whatever_their_number():
    # hibari numbers 寄附の金額の目安 ⑤ (after ① 事業主体), sakuradai ④: both are checked
    text = edited(
        "hibari-kigyo-2019.txt", "（令和2年度～令和6年度累計）", "（令和2年度～令和7年度累計）"
    )
    (finding,) = lint(text, select=["PC505"])
    assert finding.line == line_of(text, "令和7年度累計")
    assert finding.message.startswith(
        "5-2 ⑤ 寄附の金額の目安の年度（令和2年度~令和7年度）が 5-2 ⑦ 事業実施期間"
    )


# --- several measures: 5-2-1 / 5-2-2 -----------------------------------------------------------


def test_the_second_block_is_parsed_as_its_own_section():
    plan = parse_lines(normalize(fixture_text("aoba-multi-2023.txt").split("\n")))
    five_two = plan.section("5-2")
    assert [s.number for s in five_two.subsections()] == ["5-2-1", "5-2-2"]
    assert [item.number for item in plan.section("5-2-2").items()] == list("①②③④⑤⑥⑦")


def test_defect_in_the_second_block_is_found_at_its_line_and_names_the_block():
    text = edited(
        "aoba-multi-2023.txt",
        "2023年4月1日から2026年3月31日まで",
        "2023年4月1日から2027年3月31日まで",
        2,
    )
    (finding,) = lint(text, select=["PC301"])
    assert finding.line == line_of(text, "2023年4月1日から2027年3月31日まで")
    assert finding.message.startswith("5-2-2 ⑦ 事業実施期間の終わり（2027年3月31日）")


def test_missing_item_of_the_second_block_names_the_block():
    text = edited(
        "aoba-multi-2023.txt", "⑤ 寄附の金額の目安\n\n30,000千円（2023年度～2025年度累計）\n\n", ""
    )
    (finding,) = lint(text, select=["PC101"])
    assert finding.message == "5-2-2 に「寄附の金額の目安」の項目がありません"
    assert finding.line == line_of(text, "⑥ 事業の評価の方法")


def test_each_block_is_checked_against_its_own_kind():
    # the A3007 block still needs its statements and its 総事業費; the A2007 block does not
    text = edited("aoba-multi-2023.txt", "【自立性】", "【持続性】")  # not a slip of 自立性
    text = text.replace("総事業費 75,000千円", "総事業費 7.5億円")
    assert [(f.code, f.message[:8]) for f in lint(text, select=["PC401", "PC505"])] == [
        ("PC401", "5-2-1 ④ "),
        ("PC505", "総事業費「7.5"),
    ]


def test_code_of_one_block_is_compared_with_its_own_label():
    text = edited("aoba-multi-2023.txt", "イに関する事業【A3007】", "イに関する事業【A2007】")
    (finding,) = lint(text, select=["PC504"])
    assert (
        "5-2-1 ⑦ 交付対象事業に要する経費の支援措置の番号【A2007】が 5-2-1 の【A3007】"
        in finding.message
    )


# --- 5-3-1 B-codes, joint filings, 2015, 2025 --------------------------------------------------


def test_b_codes_are_read_and_checked_like_a_codes():
    text = edited("sakuradai-kigyo-2022.txt", "【B0908】", "【B0999】")
    (finding,) = lint(text, select=["PC504"])
    assert finding.severity == "warning" and "【B0999】は登録されていません" in finding.message


def test_joint_filing_names_several_bodies():
    text = fixture_text("minato-joint-2021.txt")
    assert "及びみなと市並びに架空県はるか郡なぎさ町" in text
    assert lint(text) == []


def test_2015_plan_needs_its_own_4_1_and_4_2():
    text = fixture_text("nagisa-2015.txt")
    text = text[: text.index("4-2 地域の課題")] + text[text.index("4-3 目標") :]
    findings = lint(text, select=["PC101"])
    assert [f.message for f in findings] == ["「4-2 地域の課題」の節がありません"]


def test_2025_plan_needs_the_diverse_participants_statement():
    text = edited("haruka-2025.txt", "【地域の多様な主体の参画】", "【多様な主体】")
    (finding,) = lint(text, select=["PC401"])
    assert finding.message == "5-2 ④ に【地域の多様な主体の参画】の記載がありません"


def test_spaced_digits_in_dates_are_read():
    text = edited(
        "sakuradai-kigyo-2022.txt",
        "2022年4月1日から2027年3月31日まで",
        "2 0 2 2 年 4 月 1 日から 2 0 2 8 年 3 月 3 1 日まで",
    )
    (finding,) = lint(text, select=["PC301"])
    assert "（2028年3月31日）" in finding.message


# --- a block whose measure is not known --------------------------------------------------------


def test_block_without_code_or_name_is_said_unchecked():
    text = edited(
        "sakuradai-kigyo-2022.txt",
        "まち・ひと・しごと創生寄附活用事業に関連する寄附を行った法人に対する特例（内閣府）：【A2007】",
        "本市の特例",
    )
    text = text.replace("④ 寄附の金額の目安", "④ 寄附の見込み").replace(
        "⑤ 事業の評価の方法（PDCAサイクル）", "⑤ 検証"
    )
    findings = lint(text, select=["PC1"])
    assert codes(findings) == [("PC105", line_of(text, "5-2 第5章"))]
    assert "チェックしていません" in findings[0].message


def test_block_of_a_measure_without_an_item_list_is_said_unchecked():
    text = edited("sakuradai-kigyo-2022.txt", "（内閣府）：【A2007】", "（内閣府）：【A3005】")
    text = text.replace(
        "まち・ひと・しごと創生寄附活用事業に関連する寄附を行った法人に対する特例", "本社機能の強化"
    )
    text = text.replace("④ 寄附の金額の目安", "④ 寄附の見込み").replace(
        "⑤ 事業の評価の方法（PDCAサイクル）", "⑤ 検証"
    )
    findings = lint(text, select=["PC105"])
    assert codes(findings) == [("PC105", line_of(text, "【A3005】"))]
    assert "【A3005】の項目の様式が登録されていません" in findings[0].message


def test_block_without_code_is_recognised_by_its_item_titles():
    text = edited(
        "sakuradai-kigyo-2022.txt",
        "まち・ひと・しごと創生寄附活用事業に関連する寄附を行った法人に対する特例（内閣府）：【A2007】",
        "本市の特例",
    )
    assert lint(text, select=["PC1"]) == []
    text = text.replace("2022年4月1日から2027年3月31日まで", "検討中")
    assert codes(lint(text, select=["PC305"])) == [("PC305", line_of(text, "⑥ 事業実施期間"))]


def test_a_word_draft_with_two_blocks_gives_the_same_findings_as_its_text():
    text = edited(
        "aoba-multi-2023.txt",
        "2023年4月1日から2026年3月31日まで",
        "2023年4月1日から2027年3月31日まで",
        2,
    )
    document = build_docx(text)  # headings and items numbered by Word, tables as Word tables
    from_word = lint_bytes(document.data, "aoba.docx")
    from_text = lint(text)
    assert [f.message for f in from_word] == [f.message for f in from_text]
    (finding,) = from_word
    assert finding.line == document.paragraph_of_line[line_of(text, "2027年3月31日まで")]
    assert finding.place.paragraph == finding.line
