"""PC001 and PC101–PC104 on the fixture plans (one per generation) and on the real corpus."""

import pytest

from conftest import REAL_PLANS, codes, corpus_file, fixture_text, lint

FIXTURES = ("midorino-2016.txt", "midorino-2017.txt", "midorino-2021.txt")


def drop_section(text: str, heading: str) -> str:
    """Remove a section's heading and body up to the next heading line."""
    lines = text.split("\n")
    start = lines.index(heading)
    end = start + 1
    while end < len(lines) and not (lines[end][:1].isdigit() and " " in lines[end][:7]):
        end += 1
    return "\n".join(lines[:start] + lines[end:])


def line_of(text: str, line: str) -> int:
    return text.split("\n").index(line) + 1


@pytest.mark.parametrize("name", FIXTURES)
def test_clean_fixture_has_no_structure_finding(name):
    assert codes(lint(fixture_text(name), select=["PC0", "PC1"])) == []


@pytest.mark.parametrize("name", REAL_PLANS)
def test_accepted_real_plans_get_no_structure_finding(name):
    text = corpus_file(name).read_text(encoding="utf-8")
    assert codes(lint(text, select=["PC0", "PC1"])) == []


def test_evaluation_report_gets_exactly_one_pc001():
    text = corpus_file("tokku-keihin-evaluation-2020.txt").read_text(encoding="utf-8")
    assert codes(lint(text)) == [("PC001", 3)]  # line 3 is the report's title


@pytest.mark.parametrize("name", FIXTURES)
def test_missing_section_is_reported_where_it_belongs(name):
    text = drop_section(fixture_text(name), "6 計画期間")
    findings = lint(text, select=["PC101"])
    assert codes(findings) == [("PC101", line_of(text, "7 目標の達成状況に係る評価に関する事項"))]
    assert "6 計画期間" in findings[0].message


def test_missing_item_is_reported():
    text = fixture_text("midorino-2017.txt").replace("⑨ その他必要な事項", "その他必要な事項")
    findings = lint(text, select=["PC101"])
    assert codes(findings) == [("PC101", line_of(text, "5-2 第5章の特別の措置を適用して行う事業"))]
    assert findings[0].message == "5-2 に「その他必要な事項」の項目がありません"


def test_2016_profile_does_not_require_4_1():
    text = fixture_text("midorino-2016.txt")
    assert "4-1" not in text
    assert lint(text, select=["PC101"]) == []


def test_sections_out_of_order():
    text = fixture_text("midorino-2021.txt")
    six = text[text.index("6 計画期間") : text.index("7 目標の達成状況")]
    moved = text.replace(six, "").replace(
        "5 地域再生を図るために行う事業", six + "5 地域再生を図るために行う事業"
    )
    findings = lint(moved, select=["PC102"])
    assert codes(findings) == [("PC102", line_of(moved, "6 計画期間"))]
    assert (
        findings[0].message
        == "「6」の位置が様式の順序と異なります（「5-3-2」の後に置いてください）"
    )


def test_items_out_of_order():
    text = fixture_text("midorino-2017.txt")
    seventh, eighth = "⑦ 交付対象事業に要する経費", "⑧ 事業実施期間"
    swapped = text.replace(seventh, "@7").replace(eighth, seventh).replace("@7", eighth)
    # either of a swapped pair can be "the one to move"; plancheck keeps the later one in place
    (finding,) = lint(swapped, select=["PC102"])
    assert (finding.code, finding.line) == ("PC102", line_of(swapped, "⑧ 事業実施期間"))
    assert "「5-2 ⑧」の位置が様式の順序と異なります（「5-2 ⑦」の後に" in finding.message


def test_duplicate_section():
    text = fixture_text("midorino-2017.txt").replace("5-3 その他の事業", "5-2 その他の事業")
    findings = lint(text, select=["PC103"])
    assert codes(findings) == [("PC103", line_of(text, "5-2 その他の事業"))]
    assert str(line_of(text, "5-2 第5章の特別の措置を適用して行う事業")) in findings[0].message


@pytest.mark.parametrize("name", FIXTURES)
def test_empty_section(name):
    text = fixture_text(name)
    body = text[text.index("3 地域再生計画の区域") : text.index("4 地域再生計画の目標")]
    emptied = text.replace(body, "3 地域再生計画の区域\n\n")
    findings = lint(emptied, select=["PC104"])
    assert codes(findings) == [("PC104", line_of(emptied, "3 地域再生計画の区域"))]
    assert findings[0].severity == "warning"


def test_heading_with_inline_content_is_not_empty():
    text = fixture_text("midorino-2021.txt").replace(
        "5-3-1 地域再生基本方針に基づく支援措置\n\n該当なし。",
        "5-3-1 地域再生基本方針に基づく支援措置 該当なし。",
    )
    assert "支援措置 該当なし。" in text
    assert lint(text, select=["PC104"]) == []


def test_english_messages():
    text = drop_section(fixture_text("midorino-2017.txt"), "6 計画期間")
    (finding,) = lint(text, select=["PC101"], lang="en")
    assert finding.message == "Section '6 計画期間' is missing"


def test_profile_override_applies_another_skeleton():
    text = fixture_text("midorino-2016.txt")
    missing = [f.message for f in lint(text, select=["PC101"], profile="chiiki-saisei-2017")]
    assert missing == [
        "「4-1 地方創生の実現における構造的な課題」の節がありません",
        "「4-2 地方創生として目指す将来像」の節がありません",
    ]


def test_not_a_plan_suppresses_other_rules():
    assert codes(lint("議事録\n\n1 開会\n2 議事")) == [("PC001", 1)]


def test_longest_increasing_run_matches_brute_force():
    import itertools
    import random

    from plancheck.checks.structure import _longest_increasing

    rng = random.Random(7)
    for _ in range(200):
        values = [rng.randrange(8) for _ in range(rng.randrange(9))]
        chosen = sorted(_longest_increasing(values))
        picked = [values[i] for i in chosen]
        assert all(a < b for a, b in itertools.pairwise(picked))
        best = max(
            (
                len(c)
                for r in range(len(values) + 1)
                for c in itertools.combinations(values, r)
                if all(a < b for a, b in itertools.pairwise(c))
            ),
            default=0,
        )
        assert len(chosen) == best
