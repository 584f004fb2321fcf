"""Normalising: each repair the real filings need, with the original line and column kept."""

import pytest

from plancheck.model.dates import date_mentions
from plancheck.parsing.normalize import normalize, normalize_line


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


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2 0 2 7 年 3 月 3 1 日", "2027年3月31日"),
        ("2 0 2 2 年度", "2022年度"),
        ("2 0 2 2年度", "2022年度"),
        ("令和 7 年 3 月 3 1 日", "令和7年3月31日"),
        ("1 2 月", "12月"),
    ],
)
def test_ocr_spaced_date_digits_are_joined(raw, expected):
    assert one(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1 2 3", "1 2 3"),  # separate numbers, no date word
        ("KPI 1 2", "KPI1 2"),
        ("1 月", "1月"),  # a single digit: the unit rule alone
        ("件数\t1 2 3\t年", "件数\t1 2 3\t年"),  # table cells: a tab is no OCR space
        ("12 3 年", "12 3年"),  # not single digits
        ("1 2 3 4 5 年", "1 2 3 4 5年"),  # longer than any year
        ("事業実施期間 2 0 2 3 年", "事業実施期間 2023年"),  # the label keeps its separator
    ],
)
def test_digits_that_are_not_a_spaced_date_stay_apart(raw, expected):
    assert one(raw) == expected


def test_long_run_of_spaced_digits_without_a_date_word_is_left_alone():
    raw = "1 " * 50_000
    assert one(raw) == raw.rstrip()


def test_joined_date_digits_keep_their_original_columns():
    (line,) = normalize_line("2 0 2 7 年 3 月 3 1 日", 5)
    assert line.text == "2027年3月31日"
    assert line.text[7:9] == "31"
    assert line.column(7) == 15  # the 3 of 「3 1 日」 is the 15th character of the original
    assert line.column(8) == 17
    assert line.column(9) == 19  # 日
    assert line.column(3) == 7  # the 7 of 2027


def test_spaced_period_is_read_as_dates_after_normalising():
    raw = "事業実施期間 2 0 2 3 年 4 月 1 日から 2 0 2 7 年 3 月 3 1 日まで"
    (line,) = normalize([raw])
    assert line.text == "事業実施期間 2023年4月1日から2027年3月31日まで"
    assert [mention.text for mention in date_mentions(line.text)] == [
        "2023年4月1日",
        "2027年3月31日",
    ]
    # the 2 of 2027 is the digit after 「から 」 in the original line (1-based columns)
    assert line.column(line.text.index("2027")) == raw.index("から 2") + 3 + 1
