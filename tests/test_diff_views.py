"""``plancheck diff``'s views: the HTML page and the Word 新旧対照表, rendered from comparisons of
the agreed shape (``Comparison.as_dict()``)."""

from __future__ import annotations

import copy
import io
import re

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT

from plancheck.api.messages import tool_messages
from plancheck.output import comparison_docx, comparison_html

from conftest import XSS

OLD_TEXT = "みどり野市の農産物を首都圏へ出荷する。"
NEW_TEXT = "みどり野市の農産物と加工品を首都圏と関西圏へ出荷する。"


def comparison() -> dict:
    """Two versions of a plan: a reworded ③, an extended period, an added 5-2-2 block, a renamed
    KPI with new values and a finding the new version brought."""
    return {
        "old": {"path": "plan-2023.txt", "profile": "chiiki-saisei-2017"},
        "new": {"path": "plan-2024.txt", "profile": "chiiki-saisei-2017"},
        "changed": True,
        "plan": [
            {
                "field": "plan_period",
                "old": "令和5年4月1日から令和8年3月31日まで",
                "new": "令和5年4月1日から令和10年3月31日まで",
            },
        ],
        "sections": {"added": [], "removed": []},
        "blocks": [
            {
                "code": "A2007",
                "number": "5-2-1",
                "title": "地方創生推進交付金",
                "status": "changed",
                "items": [
                    {
                        "role": "content",
                        "number": "③",
                        "title": "事業の内容",
                        "status": "reworded",
                        "old": OLD_TEXT,
                        "new": NEW_TEXT,
                    },
                ],
                "project_period": {
                    "old": "令和5年4月1日から令和8年3月31日まで",
                    "new": "令和5年4月1日から令和10年3月31日まで",
                },
                "cost": None,
                "donation_estimate": None,
            },
            {
                "code": "A2008",
                "number": "5-2-2",
                "title": "地域再生支援利子補給金",
                "status": "added",
                "items": [],
                "project_period": None,
                "cost": None,
                "donation_estimate": None,
            },
        ],
        "kpis": [
            {
                "name": "観光入込客数",
                "old_name": "観光客数",
                "status": "changed",
                "values": [{"column": "2025年度増加分", "old": "100", "new": "150"}],
            },
        ],
        "other_measures": {"added": [], "removed": []},
        "own_projects": {"added": [], "removed": []},
        "parts": [
            {
                "heading": "5-2-1 ③ 事業の内容",
                "kind": "item",
                "status": "changed",
                "old": OLD_TEXT,
                "new": NEW_TEXT,
                "words": [
                    ["=", "みどり野市の農産物"],
                    ["+", "と加工品"],
                    ["=", "を首都圏"],
                    ["+", "と関西圏"],
                    ["=", "へ出荷する。"],
                ],
            },
            {
                "heading": "5-2-1 ⑥ 事業実施期間",
                "kind": "period",
                "status": "changed",
                "old": "令和5年4月1日から令和8年3月31日まで",
                "new": "令和5年4月1日から令和10年3月31日まで",
                "words": [
                    ["=", "令和5年4月1日から令和"],
                    ["-", "8"],
                    ["+", "10"],
                    ["=", "年3月31日まで"],
                ],
            },
            {
                "heading": "5-2-2 地域再生支援利子補給金",
                "kind": "section",
                "status": "added",
                "old": None,
                "new": "5-2-2 地域再生支援利子補給金\n利子を補給する。",
                "words": [],
            },
            {
                "heading": "KPI 観光入込客数",
                "kind": "kpi",
                "status": "changed",
                "old": "観光客数 100",
                "new": "観光入込客数 150",
                "words": [
                    ["=", "観光"],
                    ["+", "入込"],
                    ["=", "客数 1"],
                    ["-", "0"],
                    ["+", "5"],
                    ["=", "0"],
                ],
            },
            {
                "heading": "5-3 その他の事業",
                "kind": "measure",
                "status": "removed",
                "old": "空き家を改修する。",
                "new": None,
                "words": [],
            },
        ],
        "new_findings": [
            {
                "path": "plan-2024.txt",
                "line": 12,
                "column": 3,
                "end_line": 12,
                "end_column": 8,
                "code": "PC201",
                "rule": "plan-period",
                "severity": "error",
                "message": "計画期間が事業実施期間を含んでいません。",
            },
        ],
    }


def unchanged() -> dict:
    return {
        "old": {"path": "a.txt", "profile": None},
        "new": {"path": "b.txt", "profile": None},
        "changed": False,
        "plan": [],
        "sections": {"added": [], "removed": []},
        "blocks": [],
        "kpis": [],
        "other_measures": {"added": [], "removed": []},
        "own_projects": {"added": [], "removed": []},
        "parts": [],
        "new_findings": [],
    }


def test_the_views_labels_are_in_the_catalogue():
    keys = {f"comparison_{key}" for key in comparison_html.LABEL_KEYS}
    keys |= set(comparison_html.FIELD_KEYS.values())
    keys |= {
        f"role_{role}" for role in (*comparison_html.BLOCK_VALUES, *comparison_html.NAME_LISTS)
    }
    assert keys - set(tool_messages()) == set()


# --- HTML ---------------------------------------------------------------------------------------


def test_html_is_one_page_that_needs_nothing_from_elsewhere():
    page = comparison_html.render(comparison(), "ja")
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page
    assert not re.search(r"""(src|href)\s*=|https?://|@import|url\(""", page)


def test_html_shows_each_part_side_by_side_new_left_old_right():
    page = comparison_html.render(comparison(), "ja")
    head = re.search(r'<table class="parts">\s*<thead><tr><th>(.*?)</th><th>(.*?)</th>', page)
    assert head.groups() == ("変更後", "変更前")
    new_cells = re.findall(r'<td class="new">(.*?)</td>', page, re.S)
    old_cells = re.findall(r'<td class="old">(.*?)</td>', page, re.S)
    assert len(new_cells) == len(old_cells) == 5
    assert new_cells[0] == (
        "みどり野市の農産物<ins>と加工品</ins>を首都圏<ins>と関西圏</ins>へ出荷する。"
    )
    assert old_cells[0] == "みどり野市の農産物を首都圏へ出荷する。"
    assert new_cells[1] == "令和5年4月1日から令和<ins>10</ins>年3月31日まで"
    assert old_cells[1] == "令和5年4月1日から令和<del>8</del>年3月31日まで"
    # an added part has nothing on the old side, a removed one nothing on the new side
    assert (
        old_cells[2] == ""
        and "<ins>5-2-2 地域再生支援利子補給金\n利子を補給する。</ins>" in new_cells[2]
    )
    assert new_cells[4] == "" and old_cells[4] == "<del>空き家を改修する。</del>"
    headings = re.findall(r'<tr class="heading"[^>]*><th colspan="2">(.*?)</th>', page)
    assert [re.sub(r"<[^>]+>[^<]*</span>", "", h) for h in headings] == [
        part["heading"] for part in comparison()["parts"]
    ]


def test_html_summary_lists_plan_fields_blocks_kpis_and_new_findings():
    page = comparison_html.render(comparison(), "ja")
    summary = page[page.index('<section id="summary">') : page.index('<section id="parts">')]
    assert "計画期間" in summary and "令和10年3月31日" in summary
    assert "5-2-2 地域再生支援利子補給金" in summary and "[A2008]" in summary
    assert "③ 事業の内容" in summary and "文言の変更" in summary
    assert "観光入込客数（旧: 観光客数）" in summary and "100 → 150" in summary
    assert "PC201" in summary and "計画期間が事業実施期間を含んでいません。" in summary
    assert "12:3" in summary


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        ("ja", ["変更の比較", "変更の概要", "変更箇所（5 件）", "変更後", "変更前"], ["After"]),
        (
            "en",
            [
                "Comparison of two plans",
                "Summary of the changes",
                "Changed parts (5)",
                "After",
                "Before",
                "Plan period",
                "(formerly 観光客数)",
            ],
            ["変更後", "変更の概要"],
        ),
    ],
)
def test_html_headings_follow_the_language(lang, expected, absent):
    page = comparison_html.render(comparison(), lang)
    assert f'<html lang="{lang}">' in page
    for text in expected:
        assert text in page
    for text in absent:
        assert text not in page


def test_html_escapes_every_text_from_the_plans():
    data = comparison()
    data["parts"][0]["heading"] = XSS
    data["parts"][0]["words"][1] = ["+", XSS]
    data["kpis"][0]["name"] = XSS
    data["new_findings"][0]["message"] = XSS
    data["new"]["path"] = XSS
    page = comparison_html.render(data, "ja")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page
    assert "<ins>&lt;script&gt;" in page


def test_html_says_when_nothing_changed():
    page = comparison_html.render(unchanged(), "ja")
    assert "変更はありません。" in page and '<table class="parts">' not in page
    assert "No changes." in comparison_html.render(unchanged(), "en")


# --- Word 新旧対照表 ----------------------------------------------------------------------------


def open_docx(data: dict, lang: str = "ja"):
    content = comparison_docx.render(data, lang)
    assert isinstance(content, bytes)
    return Document(io.BytesIO(content))


def cell_lines(cell) -> list[str]:
    return [paragraph.text for paragraph in cell.paragraphs]


def underlined(cell) -> list[str]:
    return [run.text for p in cell.paragraphs for run in p.runs if run.underline]


def test_docx_is_a_two_column_table_after_left_before_right():
    document = open_docx(comparison())
    assert document.paragraphs[0].text == "新旧対照表"
    (table,) = document.tables
    assert len(table.columns) == 2
    assert [cell.text for cell in table.rows[0].cells] == ["変更後", "変更前"]
    assert len(table.rows) == 1 + len(comparison()["parts"])


def test_docx_header_repeats_and_the_table_has_borders_on_a4_landscape():
    document = open_docx(comparison())
    table = document.tables[0]
    header = table.rows[0]._tr.trPr
    assert any(child.tag.endswith("}tblHeader") for child in header)
    assert table.style.name == "Table Grid"
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    widths = {cell.width for row in table.rows for cell in row.cells}
    assert len(widths) == 1 and widths.pop().mm * 2 <= 297 - 2 * 20 + 1


def test_docx_rows_start_with_the_heading_and_underline_exactly_the_changes():
    rows = open_docx(comparison()).tables[0].rows[1:]
    new, old = rows[0].cells
    assert cell_lines(new) == ["5-2-1 ③ 事業の内容", NEW_TEXT]
    assert cell_lines(old) == ["5-2-1 ③ 事業の内容", OLD_TEXT]
    assert underlined(new) == ["と加工品", "と関西圏"]
    assert underlined(old) == []
    new, old = rows[1].cells
    assert underlined(new) == ["10"] and underlined(old) == ["8"]
    assert cell_lines(old)[1] == "令和5年4月1日から令和8年3月31日まで"
    new, old = rows[3].cells
    assert cell_lines(new)[0] == "KPI 観光入込客数"
    assert underlined(new) == ["入込", "5"] and underlined(old) == ["0"]


def test_docx_leaves_the_missing_side_of_added_and_removed_parts_empty():
    rows = open_docx(comparison()).tables[0].rows[1:]
    added_new, added_old = rows[2].cells
    assert added_old.text == ""
    assert cell_lines(added_new)[0] == "5-2-2 地域再生支援利子補給金"
    assert underlined(added_new) == ["5-2-2 地域再生支援利子補給金\n利子を補給する。"]
    removed_new, removed_old = rows[4].cells
    assert removed_new.text == ""
    assert cell_lines(removed_old) == ["5-3 その他の事業", "空き家を改修する。"]
    assert underlined(removed_old) == ["空き家を改修する。"]


def test_docx_in_english_and_without_changes():
    document = open_docx(comparison(), "en")
    assert [cell.text for cell in document.tables[0].rows[0].cells] == ["After", "Before"]
    quiet = open_docx(unchanged())
    assert quiet.tables == []
    assert "変更はありません。" in [paragraph.text for paragraph in quiet.paragraphs]


def test_docx_keeps_markup_as_text():
    data = copy.deepcopy(comparison())
    data["parts"][0]["heading"] = XSS
    rows = open_docx(data).tables[0].rows
    assert cell_lines(rows[1].cells[0])[0] == XSS


# --- end to end: two plan texts through compare_files -------------------------------------------


def test_two_fixture_texts_through_compare_files_to_both_views():
    from plancheck.engine.comparison import compare_files
    from plancheck.engine.linter import Linter

    from conftest import fixture_text

    old = fixture_text("midorino-2017.txt")
    new = old.replace("首都圏の百貨店での", "首都圏の百貨店及び駅ビルでの", 1)
    new = new.replace("平成33年3月31日（3カ年間）", "平成35年3月31日（5カ年間）", 1)
    data = compare_files(
        old.encode("utf-8"), "old.txt", new.encode("utf-8"), "new.txt", Linter()
    ).as_dict()
    page = comparison_html.render(data, "ja")
    assert "<ins>及び駅ビル</ins>" in page and "<del>3</del>" in page
    rows = open_docx(data).tables[0].rows[1:]
    assert len(rows) == len(data["parts"]) >= 2
    assert any(underlined(row.cells[0]) == ["及び駅ビル"] for row in rows)
    assert any("事業実施期間" in cell_lines(row.cells[0])[0] for row in rows)


def test_html_lists_sections_whose_text_changed():
    data = comparison()
    data["sections"]["changed"] = [{"number": "3", "title": "地域再生計画の区域"}]
    page = comparison_html.render(data, "ja")
    assert "3 地域再生計画の区域" in page[: page.index('<section id="parts">')]
