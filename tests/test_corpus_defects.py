"""Each defect class, injected by hand into a copy of a real plan, is found at the right line.

The real plans are the accepted filings in ../shared/corpus; each test edits one line (or removes
a few) the way a drafting mistake would, and checks the rule reports exactly there.
"""

import pytest

from conftest import corpus_file, lint

CHIBA = "plan-chiba-medtech-2016.txt"
SAPPORO = "plan-sapporo-medical-2017.txt"
YOKOHAMA_2021 = "plan-yokohama-healthcare-2021.txt"
YOKOHAMA_2023 = "plan-yokohama-global-2023.txt"


def edited(name: str, line: int, old: str, new: str) -> str:
    """The real plan with ``old`` replaced by ``new`` on (1-based) ``line`` only."""
    lines = corpus_file(name).read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1], f"{name}:{line} does not contain {old!r}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


def found(text: str, code: str) -> list[int]:
    return [finding.line for finding in lint(text, select=[code])]


@pytest.mark.parametrize(
    "name, line, old, new, code",
    [
        (SAPPORO, 106, "6,486 千円", "6,468 千円", "PC201"),
        (YOKOHAMA_2023, 99, "30,000.00", "31,000.00", "PC201"),
        (SAPPORO, 173, "2,162 千円\t6,486", "6,486", "PC202"),  # a value deleted
        (YOKOHAMA_2021, 46, "2. 00", "2. OO", "PC202"),  # letters O for zeros
        (CHIBA, 132, "10 件\t10 件\t10 件", "10 件\t12 件\t10 件", "PC203"),
        (
            YOKOHAMA_2023,
            100,
            "0.00\t0.00\t10.00\t10.00\t-\t-\t20.00",
            "-\t-\t-\t-\t-\t-\t-",
            "PC205",
        ),
    ],
)
def test_injected_defect_is_found_on_its_line(name, line, old, new, code):
    assert found(edited(name, line, old, new), code) == [line]


def test_section_removed_from_a_real_plan():
    # 「6 計画期間」 no longer a heading: reported where it belongs, at 7 (line 123)
    assert found(edited(CHIBA, 119, "6 計画期間", "計画期間"), "PC101") == [123]


def test_statement_emptied_in_a_real_plan():
    lines = corpus_file(SAPPORO).read_text(encoding="utf-8").split("\n")
    assert lines[91] == "**【官民協働】**"
    lines[93] = "該当なし。"  # the whole 官民協働 paragraph (line 94)
    assert found("\n".join(lines), "PC402") == [92]


def test_sections_moved_in_a_real_plan():
    lines = corpus_file(YOKOHAMA_2023).read_text(encoding="utf-8").split("\n")
    six = lines[313:317]  # 「6 計画期間」, blank, its body, blank (lines 314–317)
    assert six[0] == "6 計画期間"
    del lines[313:317]
    lines[101:101] = six  # before 「5 地域再生を図るために行う事業」 (line 103)
    assert found("\n".join(lines), "PC102") == [102]


def test_statement_removed_from_a_real_plan():
    lines = corpus_file(YOKOHAMA_2021).read_text(encoding="utf-8").split("\n")
    assert lines[103] == "【官民協働】"
    del lines[103:107]  # the label, its paragraph and the blank lines around it
    assert found("\n".join(lines), "PC401") == [78]


def test_duplicate_section_in_a_real_plan():
    # 5-3-1 renumbered 5-3 by mistake: the second 「5-3」 is reported
    assert found(
        edited(SAPPORO, 141, "5-3-1 地域再生基本方針", "5-3 地域再生基本方針"), "PC103"
    ) == [141]


def test_emptied_section_in_a_real_plan():
    lines = corpus_file(YOKOHAMA_2023).read_text(encoding="utf-8").split("\n")
    assert lines[14] == "神奈川県横浜市の全域"
    lines[14] = ""  # 3 地域再生計画の区域 left blank
    assert found("\n".join(lines), "PC104") == [13]


def test_kpi_year_after_a_shortened_project_period_in_a_real_plan():
    # ⑧ cut to two years: the 2025年度 increments (KPI①–③, line 98–100) fall outside it
    text = edited(YOKOHAMA_2023, 270, "2026 年 3 月 31 日", "2025 年 3 月 31 日")
    assert found(text, "PC204") == [98, 99, 100]
