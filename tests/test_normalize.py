"""Normalising: each repair the real filings need, with the original line and column kept."""

import pytest

from plancheck.normalize import normalize, normalize_line


def one(raw: str) -> str:
    (line,) = normalize_line(raw, 1)
    return line.text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("４－２　地方創生として目指す将来像", "4-2 地方創生として目指す将来像"),
        ("５－３－２ 支援措置によらない独自の取組", "5-3-2 支援措置によらない独自の取組"),
        ("ＫＰＩ１", "KPI1"),
        ("#### 4-1 地方創生の実現における構造的な課題", "4-1 地方創生の実現における構造的な課題"),
        ("**【自立性】**", "【自立性】"),
        (
            " - ・ 法第5条第4項第1号イに関する事業【A3007】",
            "・ 法第5条第4項第1号イに関する事業【A3007】",
        ),
        ("<p>該当なし。</p>", "該当なし。"),
        ("<ul><li>特になし</li></ul>", "特になし"),
        ("KPI(1)\t0.00\t2. 00\t15. 00\t", "KPI(1)\t0.00\t2.00\t15.00"),
        ("KP I 3\tヘルスケア", "KPI3\tヘルスケア"),
        ("2021年4月1日 から 2024 年 3 月 31 日 まで", "2021年4月1日 から 2024年3月31日 まで"),
        (
            "地域再生計画認定の日から平成 31 年 3 月 31 日（3 ヶ年度）",
            "地域再生計画認定の日から平成31年3月31日(3ヶ年度)",
        ),
        ("総事業費 130,800 千円", "総事業費 130,800千円"),
        ("【 数 但 白 保 】\t\t\t", "【数値目標】"),
        ("$4-2 \\mathcal{O}$ 【数値目標】に同じ。", "4-2の 【数値目標】に同じ。"),
        ("札幌市内でのバイオ産業売上高\t460 億円", "札幌市内でのバイオ産業売上高\t460億円"),
    ],
)
def test_repairs(raw, expected):
    assert one(raw) == expected


def test_unchanged_line_keeps_identity_columns():
    (line,) = normalize_line("6 計画期間", 9)
    assert line.columns is None
    assert line.number == 9 and line.column(2) == 3


def test_columns_point_into_the_original_line():
    (line,) = normalize_line("#### 【数値目標】", 4)
    assert line.text == "【数値目標】"
    assert line.column(0) == 6  # the 【 is the 6th character of the original line


def test_glued_bold_heading_splits_into_two_lines_on_the_same_original_line():
    lines = normalize_line(" - 2 に同じ。 **② 事業の名称**", 59)
    assert [line.text for line in lines] == ["2 に同じ。", "② 事業の名称"]
    assert [line.number for line in lines] == [59, 59]
    assert lines[1].column(0) == 13


def test_document_keeps_original_numbers():
    lines = normalize(["地域再生計画", "", "**1 地域再生計画の名称**"])
    assert [(line.number, line.text) for line in lines] == [
        (1, "地域再生計画"),
        (2, ""),
        (3, "1 地域再生計画の名称"),
    ]
