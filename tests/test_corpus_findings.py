"""Every finding plancheck reports on the real filings, pinned with the reason it is right.

The four plans were accepted by the Cabinet Office, so an error-level finding on them would have
to be a real defect; none is. If a rule change adds or removes a finding here, decide whether the
plan really has (or lacks) that defect before updating the list.
"""

import pytest

from conftest import corpus_file, fixture_text, lint, lint_bytes

EXPECTED = {
    "plan-chiba-medtech-2016.txt": [
        # ⑤ is headed 「重要事業評価指標（K P I）及び目標年月」: the official term is
        # 重要業績評価指標 (plan-format.md §4 names this very slip). A wording warning, not an error.
        ("PC503", 72, "warning"),
    ],
    "plan-sapporo-medical-2017.txt": [
        # ⑧ 「地域再生計画認定の日から平成32年3月31日（3カ年間）」: 平成 ended on 2019-04-30, so
        # 平成32年 is 令和2年 (2020). Valid when the plan was written, worth a note today (info).
        ("PC304", 133, "info"),
        # 6 計画期間 repeats the same end date.
        ("PC304", 151, "info"),
    ],
    # Both Yokohama plans are clean: their 「年 月 日から 年 月 日まで」 blanks sit in 5-3-2 parts
    # marked 「(1)該当なし。」, their references (「2 に同じ」, the OCR-damaged 「$4-2 \mathcal{O}$
    # 【数値目標】に同じ」) resolve, their KPI sums hold, ⑧ lies within 6.
    "plan-yokohama-healthcare-2021.txt": [],
    "plan-yokohama-global-2023.txt": [],
    # Not a 地域再生計画 but a 国際戦略総合特別区域 評価書: one PC001 at its title, nothing else.
    "tokku-keihin-evaluation-2020.txt": [("PC001", 3, "error")],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_on_the_real_filings(name):
    text = corpus_file(name).read_text(encoding="utf-8")
    findings = [(f.code, f.line, f.severity) for f in lint(text, path=name)]
    assert findings == EXPECTED[name]


@pytest.mark.parametrize("name", ["midorino-2016.txt", "midorino-2017.txt", "midorino-2021.txt"])
def test_fixture_plans_get_no_error_or_warning(name):
    findings = lint(fixture_text(name))
    assert [f for f in findings if f.severity != "info"] == []
    # the 2017 plan, written before May 2019, says 平成32年度 and 平成33年3月31日
    assert {f.code for f in findings} <= {"PC304"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp932"])
@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_same_findings_in_every_encoding_and_line_ending(name, encoding, newline):
    text = corpus_file(name).read_text(encoding="utf-8")
    data = text.replace("\n", newline).encode(encoding, errors="replace")
    findings = lint_bytes(data, name)
    assert [(f.code, f.line, f.severity) for f in findings] == EXPECTED[name]
