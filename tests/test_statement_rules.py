"""PC401/PC402: the 先導性 statements of ④ are present and say something."""

import pytest

from conftest import REAL_PLANS, codes, corpus_file, fixture_text, lint

FIXTURES = ("midorino-2016.txt", "midorino-2017.txt", "midorino-2021.txt")
RULES = ["PC401", "PC402"]


def line_of(text: str, line: str) -> int:
    return text.split("\n").index(line) + 1


def body_after(text: str, label: str) -> str:
    """The paragraph right after ``label`` (the fixtures write one paragraph per statement)."""
    lines = text.split("\n")
    return lines[lines.index(label) + 2]


@pytest.mark.parametrize("name", FIXTURES)
def test_clean_fixtures(name):
    assert lint(fixture_text(name), select=RULES) == []


@pytest.mark.parametrize("name", REAL_PLANS)
def test_real_plans(name):
    # All four real plans state 自立性 and 官民協働; Sapporo omits 地域間連携 but has 政策間連携
    # (two of three, valid for 横展開タイプ); the 2021/2023 Yokohama 【デジタル社会の形成への寄与】
    # says 「該当なし。」 (2021), which that statement may.
    text = corpus_file(name).read_text(encoding="utf-8")
    assert lint(text, select=RULES) == []


@pytest.mark.parametrize("name", FIXTURES)
def test_missing_public_private_collaboration(name):
    text = fixture_text(name)
    text = text.replace("【官民協働】\n\n" + body_after(text, "【官民協働】") + "\n", "")
    findings = lint(text, select=["PC401"])
    assert codes(findings) == [("PC401", line_of(text, "④ 事業が先導的であると認められる理由"))]
    assert findings[0].message == "5-2 ④ に【官民協働】の記載がありません"


def test_two_of_three_for_yokoten_type():
    # the 2017 fixture has 官民協働 and 政策間連携 (no 地域間連携): removing 政策間連携 leaves one
    text = fixture_text("midorino-2017.txt")
    text = text.replace("【政策間連携】", "【参考】")
    findings = lint(text, select=["PC401"])
    assert [f.message for f in findings] == [
        "5-2 ④ には 【官民協働】【地域間連携】【政策間連携】 のうち 2 つ以上の記載が必要ですが、1 つしかありません"
    ]


def test_2021_requires_the_digital_statement():
    text = fixture_text("midorino-2021.txt").replace(
        "【デジタル社会の形成への寄与】", "【デジタル】"
    )
    (finding,) = lint(text, select=["PC401"], lang="en")
    assert finding.message == "5-2 ④ lacks the statement 【デジタル社会の形成への寄与】"


def test_2017_profile_does_not_require_the_digital_statement():
    text = fixture_text("midorino-2017.txt")
    assert "デジタル社会" not in text
    assert lint(text, select=["PC401"]) == []  # detected as 2017: no digital statement asked
    # the same ④ checked against the 2021 profile lacks it
    (finding,) = lint(text, select=["PC401"], profile="chiiki-saisei-2021")
    assert "【デジタル社会の形成への寄与】" in finding.message


def test_statement_that_only_says_not_applicable():
    text = fixture_text("midorino-2017.txt")
    text = text.replace(body_after(text, "【自立性】"), "該当なし。")
    findings = lint(text, select=["PC402"])
    assert codes(findings) == [("PC402", line_of(text, "【自立性】"))]
    assert (
        findings[0].message
        == "【自立性】が「該当なし。」だけです。先導性の内容を具体的に記載してください"
    )


def test_empty_statement():
    text = fixture_text("midorino-2016.txt")
    text = text.replace("\n" + body_after(text, "【官民協働】") + "\n", "\n")
    findings = lint(text, select=["PC402"])
    assert codes(findings) == [("PC402", line_of(text, "【官民協働】"))]
    assert findings[0].message == "【官民協働】に記載がありません"


def test_digital_statement_may_be_not_applicable():
    text = fixture_text("midorino-2021.txt")
    lines = text.split("\n")
    start = lines.index("【デジタル社会の形成への寄与】")
    end = lines.index("⑤ 事業の実施状況に関する客観的な指標（重要業績評価指標（KPI））")
    lines[start + 1 : end] = ["", "該当なし。", ""]
    assert lint("\n".join(lines), select=RULES) == []


def test_empty_statement_does_not_count_towards_two_of_three():
    text = fixture_text("midorino-2017.txt")
    text = text.replace(body_after(text, "【政策間連携】"), "特になし")
    assert sorted(f.code for f in lint(text, select=RULES)) == ["PC401", "PC402"]
