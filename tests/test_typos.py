"""Typos are reported where they are, with the word they were probably meant to be: a misspelt
label, statement, section title or section number is read as the intended one (issue 14)."""

import pytest

from plancheck.cli import main
from plancheck.model.profiles import inline_content, misspelling, misspelt_prefix

from conftest import corpus_file, fixture_text, lint

PLAN_2021 = "midorino-2021.txt"
ITEM_5 = (
    "⑤ 事業の実施状況に関する客観的な指標（重要業績評価指標（KPI））\n\n4-2の【数値目標】に同じ。\n"
)
WRONG_TERM_5 = "⑤ 事業の実施状況に関する客観的な指標（重要事業評価指標（KPI））"


def with_typo(old: str, new: str, name: str = PLAN_2021) -> str:
    text = fixture_text(name)
    assert text.count(old) == 1, old
    return text.replace(old, new)


def found(text: str, **settings) -> list[tuple[str, int, int, str]]:
    return [(f.code, f.line, f.column, f.message) for f in lint(text, **settings)]


CASES = {
    "statement": (
        ("【自立性】", "【自律性】"),
        ("PC401", 73, 1, "【自律性】は【自立性】の誤りではありませんか"),
        "【自律性】: did you mean 【自立性】?",
    ),
    "evaluation-label": (
        ("【検証時期】\n", "【検証次期】\n"),
        ("PC403", 121, 1, "【検証次期】は【検証時期】の誤りではありませんか"),
        "【検証次期】: did you mean 【検証時期】?",
    ),
    "targets-label": (
        ("【数値目標】\n", "【数値日標】\n"),
        ("PC403", 33, 1, "【数値日標】は【数値目標】の誤りではありませんか"),
        "【数値日標】: did you mean 【数値目標】?",
    ),
    "section-title": (
        ("4-2 地方創生として目指す将来像", "4-2 地方創生として目指す将来象"),
        (
            "PC101",
            25,
            1,
            "「地方創生として目指す将来象」は「地方創生として目指す将来像」の誤りではありませんか"
            "（4-2 の節として読みました）",
        ),
        "「地方創生として目指す将来象」: did you mean 「地方創生として目指す将来像」? "
        "(read as section 4-2)",
    ),
    "section-number": (
        ("4-1 地方創生", "4-l 地方創生"),
        (
            "PC101",
            17,
            1,
            "「4-l」は「4-1」の誤りではありませんか"
            "（「4-1 地方創生の実現における構造的な課題」の節として読みました）",
        ),
        "「4-l」: did you mean 4-1? (read as section '4-1 地方創生の実現における構造的な課題')",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_typo_is_one_finding_where_it_is(name):
    (old, new), expected, _ = CASES[name]
    assert found(with_typo(old, new)) == [expected]


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_typo_in_english(name):
    (old, new), expected, english = CASES[name]
    code, line, column, _ = expected
    assert found(with_typo(old, new), lang="en") == [(code, line, column, english)]


def test_the_dangling_reference_to_a_misspelt_label_is_not_reported_again():
    text = with_typo("【検証時期】\n", "【検証次期】\n")
    assert [code for code, *_ in found(text)] == ["PC403"]  # not PC502 at line 185 too


@pytest.mark.parametrize(
    "written", ["４－ｌ 地方創生", "4-I 地方創生", "4ー1 地方創生", "4一1 地方創生"]
)
def test_number_slips_are_read_as_the_number(written):
    findings = found(with_typo("4-1 地方創生", written))
    assert [(code, line) for code, line, *_ in findings] == [("PC101", 17)]
    assert "「4-1」の誤りではありませんか" in findings[0][3]


def test_a_number_with_a_letter_in_a_sentence_is_not_a_heading():
    # no title after the number: body text, not a section 4-1
    text = with_typo("4-1 地方創生の実現における構造的な課題", "4-lの課題")
    assert ("PC101", 17) not in [(code, line) for code, line, *_ in found(text)]
    assert any("「4-1 " in message for code, _, _, message in found(text) if code == "PC101")


def test_a_misspelt_title_of_the_2015_format():
    text = with_typo("4-1 地域の現状", "4-1 地域の現況", "nagisa-2015.txt")
    assert found(text) == [
        (
            "PC101",
            17,
            1,
            "「地域の現況」は「地域の現状」の誤りではありませんか（4-1 の節として読みました）",
        )
    ]


def test_a_wrong_term_in_an_item_heading_is_still_that_item():
    # PC503 reports the term; the item is ⑤, it is not missing, and its content is not lost
    text = with_typo(ITEM_5, WRONG_TERM_5 + " 4-2の【数値目標】に同じ。\n")
    assert [(code, line, column) for code, line, column, _ in found(text)] == [("PC503", 115, 21)]
    short = with_typo(ITEM_5, "⑤ 重要事業評価指標（KPI）\n\n4-2の【数値目標】に同じ。\n")
    assert [(code, line, column) for code, line, column, _ in found(short)] == [("PC503", 115, 3)]


def test_a_wrong_term_does_not_hide_an_empty_item():
    text = with_typo(ITEM_5, WRONG_TERM_5 + "\n")
    assert [(code, line) for code, line, *_ in found(text)] == [("PC104", 115), ("PC503", 115)]


def test_the_chiba_plan_keeps_only_its_terminology_finding():
    # its ⑤ is headed 「重要事業評価指標（K P I）及び目標年月」 (line 72)
    text = corpus_file("plan-chiba-medtech-2016.txt").read_text(encoding="utf-8")
    assert [(code, line) for code, line, *_ in found(text)] == [("PC503", 72)]


def test_cli_reports_the_typo_in_english(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_text(with_typo("【自立性】", "【自律性】"), encoding="utf-8")
    assert main(["check", "--lang", "en", str(plan)]) == 1
    out = capsys.readouterr().out
    assert "73:1" in out and "PC401" in out and "【自律性】: did you mean 【自立性】?" in out
    assert "lacks the statement" not in out


@pytest.mark.parametrize(
    ("written", "official", "near"),
    [
        ("自律性", "自立性", True),  # one character off, and a known confusion
        ("検証次期", "検証時期", True),
        ("検証方法", "検証時期", False),  # two of four characters: another label
        ("地域間連携", "政策間連携", False),
        ("概況", "概要", False),  # too short to be one character off
        ("自立性", "自立性", False),  # the name itself is no miss
    ],
)
def test_what_counts_as_a_near_miss(written, official, near):
    assert misspelling(written, official) is near


def test_a_heading_line_ends_where_the_misspelt_title_would():
    assert misspelt_prefix("計画期聞地域再生計画の認定の日から", "計画期間") == 4
    assert inline_content("計画期聞", ["計画期間"]) == ""
    assert inline_content("計画期聞 認定の日から", ["計画期間"]) == "認定の日から"
