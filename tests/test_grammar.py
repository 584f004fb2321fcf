"""The Lark grammar: conflict-free LALR, total over any text, and the line lexer's decisions."""

import pytest

from plancheck.parsing.ast import Enumeration, Paragraph
from plancheck.parsing.normalize import normalize
from plancheck.parsing.parser import build_parser, parse_lines


def parse(text: str):
    return parse_lines(normalize(text.split("\n")))


def test_grammar_builds_in_strict_mode():
    # strict=True turns any shift/reduce conflict into an error, so a grammar edit that makes the
    # grammar ambiguous fails here.
    parser = build_parser(strict=True)
    assert parser.options.parser == "lalr"


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "\t", "】【", "⑳", "7-1", "1\t2\n\n3\t4", "【", "(1)", "①\n①\n①", "5-3-1-9 x"],
)
def test_any_text_parses(text):
    parse(text)


@pytest.mark.parametrize(
    "line",
    [
        "2 に同じ。",
        "2に同じ。",
        "7-1 に掲げる評価の手法により行う。",
        "4-2 に掲げる目標について、5-2 の⑥の【検証時期】に",
        "5-2の③及び5-3のとおり。",
        "3県市が一体となって推進している。",
        "10校のインターナショナルスクール",
        "2021年4月1日から2024年3月31日まで",
        "15~64歳の人口",
        "2市1町（架空県みなと市、みさき市及びしおさい町）",
        "3県の連携により",
    ],
)
def test_sentences_starting_with_a_number_are_not_sections(line):
    plan = parse(f"地域再生計画\n1 地域再生計画の名称\n{line}")
    assert [s.number for s in plan.iter_sections()] == ["1"]


@pytest.mark.parametrize(
    "line, number, title",
    [
        (
            "5-3-1 地域再生基本方針に基づく支援措置 該当なし。",
            "5-3-1",
            "地域再生基本方針に基づく支援措置 該当なし。",
        ),
        ("6 計画期間", "6", "計画期間"),
        ("6計画期間", "6", "計画期間"),
        ("４－２ 地方創生として目指す将来像", "4-2", "地方創生として目指す将来像"),
    ],
)
def test_headings(line, number, title):
    (section,) = parse(line).sections
    assert (section.number, section.title) == (number, title)


def test_circled_numbers_that_do_not_advance_are_body_enumerations():
    plan = parse("5-2 事業\n① 事業主体\n③ 事業の内容\n①国際コンベンション\n②強化\n④ 理由")
    section = plan.section("5-2")
    assert [item.number for item in section.items()] == ["①", "③", "④"]
    third = section.item("③")
    assert [(type(c), c.marker) for c in third.children] == [(Enumeration, "①"), (Enumeration, "②")]


def test_labels_collect_blocks_until_the_next_label():
    plan = parse("④ 理由\n【自立性】\n一文目。\n\n二文目。\n【官民協働】該当なし")
    (item,) = plan.preamble
    assert [label.label for label in item.labels()] == ["自立性", "官民協働"]
    assert item.label("自立性").body_text() == "一文目。\n二文目。"
    assert item.label("官民協働").body_text() == "該当なし"


def test_tables_are_runs_of_tab_rows():
    plan = parse("【数値目標】\n\tA\tB\nKPI1\t1\t2\n\n次の表\nx\ty")
    (label,) = plan.preamble
    first, paragraph, second = label.children
    assert [row.cells for row in first.rows] == [["", "A", "B"], ["KPI1", "1", "2"]]
    assert isinstance(paragraph, Paragraph) and second.rows[0].cells == ["x", "y"]


def test_document_title_is_the_first_paragraph():
    plan = parse("\n\n地域再生計画\n\n1 地域再生計画の名称")
    assert plan.title.text == "地域再生計画" and plan.title.span.line == 3


def test_find_span_maps_normalised_words_to_original_columns():
    lines = normalize(["前文", "**⑤ 重要事業評価指標（ＫＰＩ）**"])
    plan = parse_lines(lines)
    span = plan.find_span(2, "重要事業評価指標")
    assert (span.line, span.column, span.end_column) == (2, 5, 13)
    assert plan.find_span(2, "存在しない語").column == 1
