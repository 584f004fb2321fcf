"""KPI tables: the reader for every generation, and PC201, PC202, PC203, PC205."""

from decimal import Decimal

import pytest

from plancheck.model.kpi_tables import classify, kpi_index, parse_value

from conftest import REAL_PLANS, codes, corpus_file, fixture_text, lint

FIXTURES = ("midorino-2016.txt", "midorino-2017.txt", "midorino-2021.txt")
KPI_RULES = ["PC201", "PC202", "PC203", "PC204", "PC205"]


def line_no(text: str, fragment: str, occurrence: int = 1) -> int:
    """The line number of the ``occurrence``-th line containing ``fragment``."""
    hits = [n for n, line in enumerate(text.split("\n"), 1) if fragment in line]
    return hits[occurrence - 1]


@pytest.mark.parametrize(
    "cell, number, unit",
    [
        ("123,152人", Decimal("123152"), "人"),
        ("2. 00", Decimal("2.00"), ""),
        ("10,000.00", Decimal("10000.00"), ""),
        ("130億円", Decimal("130"), "億円"),
        ("30 人/年", Decimal("30"), "人/年"),
        ("-", None, ""),
        ("約10件", None, ""),
        ("2.OO", None, ""),
    ],
)
def test_parse_value(cell, number, unit):
    value = parse_value(cell)
    assert (value.number, value.unit if number is not None else "") == (number, unit)


def test_value_precision_and_empty_markers():
    assert parse_value("15.00").places == 2 and parse_value("6,000人").places == 0
    assert all(parse_value(c).is_empty for c in ("-", "_", "ー"))


@pytest.mark.parametrize(
    "header, kind",
    [
        ("事業開始前 (現時点)", "baseline"),
        ("平成 29 年度 増加分 (1 年目)", "increment"),
        ("2021年度 増加分 (1年目)", "increment"),
        ("KPI 増加分の 累計", "total"),
        ("平成29年 3月末", "snapshot"),
        ("単位", None),
    ],
)
def test_classify_headers(header, kind):
    assert classify(header) == kind


@pytest.mark.parametrize(
    "cell, index", [("KPI1", 1), ("KPI③", 3), ("KPI(4)", 4), ("KP I 2", 2), ("人口", None)]
)
def test_kpi_index(cell, index):
    assert kpi_index(cell) == index


@pytest.mark.parametrize("name", FIXTURES)
def test_clean_fixtures_have_no_kpi_finding(name):
    assert lint(fixture_text(name), select=KPI_RULES) == []


@pytest.mark.parametrize("name", REAL_PLANS)
def test_real_plans_have_no_kpi_finding(name):
    # every real plan's 累計 equals the sum of its 増加分 and its copies agree (checked by hand:
    # Sapporo 2,000×3 = 6,000人, 2,162×3 = 6,486千円, 43+43+44 = 130億円; Yokohama 2021
    # 2+3+10 = 15, 1+2+3 = 6, 6+6+6 = 18; Yokohama 2023 0+5+95 = 100, 3×10,000 = 30,000, 0+10+10 = 20)
    text = corpus_file(name).read_text(encoding="utf-8")
    assert lint(text, select=KPI_RULES) == []


def test_sum_mismatch_2017_in_every_copy():
    text = fixture_text("midorino-2017.txt").replace("\t22,500千円", "\t22,600千円")
    findings = lint(text, select=["PC201"])
    assert codes(findings) == [
        ("PC201", line_no(text, "地場農産物加工品の販売額\t", n)) for n in (1, 2, 3)
    ]
    assert findings[0].message == (
        "地場農産物加工品の販売額 の累計 22,600千円 が増加分の合計 22,500千円 と一致しません（4-2 の表）"
    )
    assert findings[1].message.endswith("（5-2 ⑤ の表）")
    assert findings[0].column == text.split("\n")[33].index("22,600") + 1


def test_sum_mismatch_2021_names_the_kpi_and_keeps_two_decimals():
    text = fixture_text("midorino-2021.txt").replace("\t60.00", "\t61.00")
    (finding,) = lint(text, select=["PC201"])
    assert finding.line == line_no(text, "KPI②\t0.00")
    assert finding.message.startswith(
        "KPI2「移住相談を経て転入した子育て世帯数」 の累計 61.00 が増加分の合計 60.00"
    )


def test_sum_is_compared_at_the_printed_precision():
    text = fixture_text("midorino-2021.txt").replace(
        "KPI②\t0.00\t15.00\t20.00\t25.00", "KPI②\t0.00\t15.4\t20.3\t24.9"
    )
    # 15.4 + 20.3 + 24.9 = 60.6
    assert codes(lint(text.replace("\t60.00", "\t60.60"), select=["PC201"])) == []
    # printed without decimals, 60.6 rounds to the written 61
    assert codes(lint(text.replace("\t60.00", "\t61"), select=["PC201"])) == []
    (finding,) = lint(text.replace("\t60.00", "\t60"), select=["PC201"])
    assert "の累計 60 が増加分の合計 61 と一致しません" in finding.message


def test_sum_mismatch_english():
    text = fixture_text("midorino-2021.txt").replace("\t60.00", "\t61.00")
    (finding,) = lint(text, select=["PC201"], lang="en")
    assert "the total 61.00 does not equal the sum of the increments 60.00" in finding.message


def test_row_with_a_missing_cell():
    text = fixture_text("midorino-2017.txt").replace("1,240人\t350人\t450人", "1,240人\t350人", 1)
    findings = lint(text, select=["PC202"])
    assert codes(findings) == [("PC202", line_no(text, "農業体験プログラムの参加者数\t"))]
    assert findings[0].message == (
        "KPI 表の「農業体験プログラムの参加者数」の行は値が 4 個ありますが、見出しは 5 列です（空欄は「-」と記載してください）"
    )


def test_cell_that_is_not_a_number():
    text = fixture_text("midorino-2016.txt").replace("\t6件", "\t約6件", 1)
    (finding,) = lint(text, select=["PC202"])
    assert finding.line == line_no(text, "約6件")
    assert "「約6件」が数値ではありません" in finding.message


def test_copies_disagree():
    text = fixture_text("midorino-2017.txt")
    lines = text.split("\n")
    fifth_copy = line_no(text, "農業体験プログラムの参加者数\t", 2)
    lines[fifth_copy - 1] = (
        lines[fifth_copy - 1].replace("450人", "500人").replace("1,400人", "1,450人")
    )
    text = "\n".join(lines)
    findings = lint(text, select=["PC203"])
    assert codes(findings) == [("PC203", fifth_copy)]
    first = line_no(text, "農業体験プログラムの参加者数\t", 1)
    assert "5-2 ⑤ の KPI 表の「農業体験プログラムの参加者数」" in findings[0].message
    assert f"4-2 の表（{first} 行目）の 450人 と一致しません" in findings[0].message


def test_copy_missing_a_row():
    text = fixture_text("midorino-2016.txt")
    lines = text.split("\n")
    last = line_no(text, "里山体験プログラムの利用者数\t", 3)
    del lines[last - 1]
    findings = lint("\n".join(lines), select=["PC203"])
    assert [f.code for f in findings] == ["PC203"]
    assert "7-2 の KPI 表に「里山体験プログラムの利用者数」の行がありません" in findings[0].message


def test_no_kpi_table_at_all():
    text = fixture_text("midorino-2021.txt")
    lines = [line for line in text.split("\n") if "\t" not in line]
    text = "\n".join(lines)
    (finding,) = lint(text, select=["PC205"])
    assert finding.line == line_no(text, "【数値目標】")


def test_kpi_without_a_numeric_target():
    text = fixture_text("midorino-2021.txt")
    row = next(line for line in text.split("\n") if line.startswith("KPI③\t72.00"))
    text = text.replace(row, "KPI③\t-\t-\t-\t-\t-\t-\t-")
    (finding,) = lint(text, select=["PC205"])
    assert finding.line == line_no(text, "KPI③\t-")
    assert (
        finding.message
        == "KPI3「地域子育て支援拠点の利用者満足度」 に数値目標がありません（KPI増加分の累計 が空欄です）"
    )


def test_unused_kpi_slot_is_not_a_missing_target():
    text = fixture_text("midorino-2021.txt")
    assert "KPI④\t-\t-" in text
    assert lint(text, select=["PC205"]) == []


def test_ocr_damaged_2021_grid_is_read():
    # 「KP I 3」「2. 00」, a stray empty cell in the KPI4 row and 「_」 for empty: still clean
    text = corpus_file("plan-yokohama-healthcare-2021.txt").read_text(encoding="utf-8")
    damaged = text.replace("15. 00", "16. 00")
    (finding,) = lint(damaged, select=["PC201"])
    assert finding.line == 45 and "16.00" in finding.message and "15.00" in finding.message


def test_increment_after_the_project_period_2021():
    text = fixture_text("midorino-2021.txt").replace(
        "2022年4月1日から2025年3月31日まで", "2022年4月1日から2024年3月31日まで"
    )
    findings = lint(text, select=["PC204"])
    # the 2024年度 column: KPI1–3 have values there, KPI4 is 「-」
    assert codes(findings) == [("PC204", line_no(text, f"KPI{n}\t", 2)) for n in "①②③"]
    assert findings[0].message == (
        "KPI1「子育て支援アプリの登録世帯数」 の 2024年度の増加分 1,500.00 が"
        "事業実施期間（2022年4月1日から2024年3月31日まで）の外です"
    )


def test_increment_before_an_explicit_start():
    text = fixture_text("midorino-2021.txt").replace(
        "2022年4月1日から2025年3月31日まで", "2023年4月1日から2025年3月31日まで"
    )
    lines = [line_no(text, f"KPI{n}\t", 2) for n in "①②③"]
    assert [f.line for f in lint(text, select=["PC204"])] == lines


def test_approval_start_only_bounds_the_end_2017():
    text = fixture_text("midorino-2017.txt")
    assert lint(text, select=["PC204"]) == []  # 認定の日から平成33年3月31日: H30–H32 fit
    shortened = text.replace(
        "認定の日から平成33年3月31日（3カ年間）", "認定の日から平成32年3月31日（2カ年間）"
    )
    findings = lint(shortened, select=["PC204"], lang="en")
    # 平成32年度 (fiscal 2020) now lies after ⑧'s end; one finding per KPI row of the first table
    first_table = [
        line_no(shortened, row + "\t")
        for row in ("地場農産物加工品の販売額", "農業体験プログラムの参加者数", "市内の農業産出額")
    ]
    assert [f.line for f in findings] == first_table
    assert "fiscal 2020 lies outside the project period" in findings[0].message
