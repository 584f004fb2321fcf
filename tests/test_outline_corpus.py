"""The four real plans parse to the right outline, every node at its original line.

Expected lines were read off the files in ../shared/corpus by hand (cat -n); the Sapporo plan is
Markdown-converted, the 2021 Yokohama plan OCR-damaged, so these pin the normaliser too.
"""

import pytest

from plancheck.engine.linter import Linter
from plancheck.parsing.ast import Label, Table
from plancheck.reading.source import read_source

from conftest import corpus_file

FULL_SKELETON = (
    "1",
    "2",
    "3",
    "4",
    "4-1",
    "4-2",
    "5",
    "5-1",
    "5-2",
    "5-3",
    "5-3-1",
    "5-3-2",
    "6",
    "7",
    "7-1",
    "7-2",
    "7-3",
)
ITEMS = tuple("①②③④⑤⑥⑦⑧⑨")

EXPECTED = {
    "plan-chiba-medtech-2016.txt": {
        "profile": "chiiki-saisei-2016",
        "sections": [5, 9, 13, 17, 32, 34, 38, 95, 97, 101, 119, 123, 125, 129, 134],
        "items": [40, 44, 46, 52, 72, 77, 81, 87, 91],
        "labels": [
            ("数値目標", 27),
            ("自立性", 54),
            ("官民協働", 58),
            ("政策間連携", 62),
            ("地域間連携", 68),
        ],
        "tables": [(29, 2), (74, 2), (131, 2)],
    },
    "plan-sapporo-medical-2017.txt": {
        "profile": "chiiki-saisei-2017",
        "sections": [5, 9, 13, 17, 19, 41, 58, 60, 64, 139, 141, 145, 149, 153, 155, 167, 176],
        "items": [68, 72, 76, 86, 100, 109, 125, 131, 135],
        "labels": [
            ("数値目標", 51),
            ("自立性", 88),
            ("官民協働", 92),
            ("政策間連携", 96),
            ("数値目標", 102),
            ("検証方法", 111),
            ("外部組織の参画者", 117),
            ("検証結果の公表の方法", 121),
            ("検証方法", 157),
            ("外部組織の参画者", 161),
            ("数値目標", 169),
        ],
        "tables": [(53, 4), (104, 4), (171, 4)],
    },
    "plan-yokohama-healthcare-2021.txt": {
        "profile": "chiiki-saisei-2021",
        "sections": [3, 7, 11, 15, 17, 23, 50, 52, 56, 165, 167, 169, 199, 203, 205, 207, 211],
        # ① and ② share line 59's neighbour: 「- 2 に同じ。 **② 事業の名称**」 is ①'s body + ②
        "items": [58, 59, 62, 78, 136, 137, 155, 157, 161],
        # line 39 is the OCR-damaged 【 数 但 白 保 】 caption of the KPI table
        "labels": [
            ("概要", 25),
            ("数値目標", 37),
            ("数値目標", 39),
            ("自立性", 80),
            ("A", 88),
            ("B", 92),
            ("C", 96),
            ("D", 100),
            ("官民協働", 104),
            ("地域間連携", 108),
            ("政策間連携", 112),
            ("デジタル社会の形成への寄与", 116),
            ("検証時期", 139),
            ("検証方法", 143),
            ("外部組織の参画者", 147),
            ("検証結果の公表の方法", 151),
        ],
        "tables": [(40, 9)],
    },
    "plan-yokohama-global-2023.txt": {
        "profile": "chiiki-saisei-2021",
        "sections": [5, 9, 13, 17, 19, 55, 103, 105, 109, 276, 278, 282, 314, 318, 320, 324, 330],
        # the ①② at lines 137/153 are an enumeration inside ③, not items
        "items": [113, 117, 121, 192, 240, 244, 262, 268, 272],
        "labels": [
            ("課題1:更なる外国人材の呼び込み", 21),
            ("課題2:海外と市内企業との更なる連携強化", 31),
            ("課題3:横浜の都市としての国際的認知度の向上", 39),
            ("課題4:グローバルに活躍する人材の育成", 47),
            ("概要", 57),
            ("数値目標", 91),
            (
                "取組1:海外スタートアップと市内企業による脱炭素・グリーン分野を中心とする"
                "オープンイノベーション創出",
                125,
            ),
            (
                "取組2:世界のイノベーションの結節点となる国際コンベンションの開催と"
                "国際プロモーションの強化",
                133,
            ),
            ("取組3:上記コンベンション開催に併せた、グローバルに活躍する次世代の人材育成", 183),
            ("自立性", 194),
            ("官民協働", 200),
            ("地域間連携", 206),
            ("政策間連携", 210),
            ("デジタル社会の形成への寄与", 214),
            ("検証時期", 246),
            ("検証方法", 250),
            ("外部組織の参画者", 254),
            ("検証結果の公表の方法", 258),
        ],
        "tables": [(93, 9)],
    },
}


def parse(name):
    path = corpus_file(name)
    return Linter().parse(read_source(path.read_bytes(), str(path)))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sections_at_their_lines(name):
    plan, detection = parse(name)
    expected = EXPECTED[name]
    skeleton = [
        n
        for n in FULL_SKELETON
        if expected["profile"] != "chiiki-saisei-2016" or n not in ("4-1", "4-2")
    ]
    found = sorted((s.span.line, s.number) for s in plan.iter_sections())
    assert found == list(zip(expected["sections"], skeleton, strict=True))
    assert detection.profile.name == expected["profile"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sections_nest_by_number(name):
    plan, _ = parse(name)
    assert [s.number for s in plan.sections] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [s.number for s in plan.section("5-3").subsections()] == ["5-3-1", "5-3-2"]
    assert [s.number for s in plan.section("7").subsections()] == ["7-1", "7-2", "7-3"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_items_of_5_2(name):
    plan, _ = parse(name)
    items = [(item.span.line, item.number) for item in plan.section("5-2").items()]
    assert items == list(zip(EXPECTED[name]["items"], ITEMS, strict=True))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_labels_and_tables(name):
    plan, _ = parse(name)
    labels = [(node.label, node.span.line) for node in plan.walk() if isinstance(node, Label)]
    tables = [(node.span.line, len(node.rows)) for node in plan.walk() if isinstance(node, Table)]
    assert labels == EXPECTED[name]["labels"]
    assert tables == EXPECTED[name]["tables"]


def test_statements_sit_under_item_4():
    plan, _ = parse("plan-yokohama-global-2023.txt")
    item = plan.section("5-2").item("④")
    assert item.label("自立性").span.column == 1
    assert "海外スタートアップ企業と市内企業等" in item.label("自立性").body_text()
    assert "該当なし" not in item.label("官民協働").body_text()


def test_kpi_definition_rows_are_recognised():
    plan, _ = parse("plan-yokohama-healthcare-2021.txt")
    (table,) = [node for node in plan.walk() if isinstance(node, Table)]
    assert [row.is_kpi_definition for row in table.rows[:5]] == [True, True, True, True, False]
    assert table.rows[0].cells[0] == "KPI1" and table.rows[2].cells[0] == "KPI3"  # 「KP I 3」
    assert table.rows[5].cells[:4] == ["KPI(1)", "0.00", "2.00", "3.00"]  # 「2. 00」


def test_sentences_that_look_like_headings_stay_body_text():
    plan, _ = parse("plan-yokohama-healthcare-2021.txt")
    seven_two = plan.section("7-2")
    assert [s.number for s in plan.iter_sections()].count("7-1") == 1
    assert seven_two.children  # 「4-2 に掲げる目標について…」「7-1に掲げる…」 are its body
    first = plan.section("5-2").item("①")
    assert first.children[0].text == "2 に同じ。"
