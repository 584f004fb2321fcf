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
