"""The みどり野市 rule pack: its YAML cases, its documentation, and the clean fixture plans."""

from pathlib import Path

import pytest
from plancheck.testing import assert_documented, codes, load_cases

import plancheck_mycity.plugin as mycity
from plancheck_mycity.kpi import DEFAULT_MAX_KPIS, max_kpis

HERE = Path(__file__).parent
FIXTURES = HERE.parents[2] / "tests" / "fixtures" / "plans"  # the core's clean plans of みどり野市


@pytest.mark.parametrize("case", load_cases(HERE / "cases.yaml"))
def test_rule_case(case, plancheck_lint):
    case.run(plancheck_lint, mycity)


@pytest.mark.parametrize("rule", mycity.plancheck_rules(), ids=lambda rule: rule.code)
def test_rules_document_themselves(rule):
    assert_documented(rule)


@pytest.mark.parametrize("name", ["midorino-2016.txt", "midorino-2017.txt", "midorino-2021.txt"])
def test_clean_fixture_plans_get_no_city_finding(name, plancheck_lint):
    path = FIXTURES / name
    if not path.exists():
        pytest.skip(f"the core's fixture plans are not at {FIXTURES}")
    assert codes(plancheck_lint(path, mycity, select=["MC"])) == []


def test_other_documents_are_left_alone(plancheck_lint):
    report = "令和2年度 国際戦略総合特別区域評価書\n1 国際戦略総合特別区域の名称\nみどりの市\n"
    assert codes(plancheck_lint(report, mycity)) == [("PC001", 1)]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, DEFAULT_MAX_KPIS),
        ({"max_kpis": 3}, 3),
        ({"max_kpis": 0}, DEFAULT_MAX_KPIS),  # not a positive whole number: the default holds
        ({"max_kpis": "3"}, DEFAULT_MAX_KPIS),
        ({"max_kpis": True}, DEFAULT_MAX_KPIS),
    ],
)
def test_kpi_limit_setting(settings, expected):
    assert max_kpis(settings) == expected
