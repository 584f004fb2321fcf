"""Every rule documents itself: summary, examples, bilingual messages, a stable code."""

import re

import pytest

from plancheck.api.rule import SEVERITIES
from plancheck.api.rule_docs import rule_docs
from plancheck.engine.plugin_host import PluginHost

RULES = PluginHost(load_entry_points=False).rules
INTERFACE_CODES = {  # interface.md: these codes, names and severities never change
    "PC001": ("not-a-plan", "error"),
    "PC101": ("missing-section", "error"),
    "PC102": ("section-order", "error"),
    "PC103": ("duplicate-section", "error"),
    "PC104": ("empty-section", "warning"),
    "PC201": ("kpi-sum-mismatch", "error"),
    "PC202": ("kpi-table-malformed", "error"),
    "PC203": ("kpi-table-mismatch", "error"),
    "PC204": ("kpi-year-outside-period", "error"),
    "PC205": ("kpi-missing", "error"),
    "PC301": ("period-outside-plan", "error"),
    "PC302": ("invalid-date", "error"),
    "PC303": ("period-reversed", "error"),
    "PC304": ("era-year-after-change", "info"),
    "PC305": ("period-missing", "error"),
    "PC401": ("missing-statement", "error"),
    "PC402": ("empty-statement", "error"),
    "PC501": ("unfilled-placeholder", "warning"),
    "PC502": ("dangling-reference", "error"),
    "PC503": ("terminology", "warning"),
    "PC504": ("unknown-support-code", "warning"),
    "PC505": ("cost-format", "warning"),
}


def test_interface_codes_are_all_there_unchanged():
    by_code = {rule.code: (rule.name, rule.severity) for rule in RULES}
    assert {code: by_code.get(code) for code in INTERFACE_CODES} == INTERFACE_CODES


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_documentation(rule):
    assert re.fullmatch(r"[A-Z]{2,}\d+", rule.code) and re.fullmatch(r"[a-z0-9-]+", rule.name)
    assert rule.severity in SEVERITIES
    entry = rule_docs(rule.code)
    assert entry is not None, f"rules/docs/{rule.code}.yaml is missing"
    assert rule.summary("ja") == entry["summary"]["ja"] != entry["summary"]["en"]
    assert rule.summary("en") == entry["summary"]["en"]
    japanese, english = rule.documentation("ja"), rule.documentation("en")
    assert japanese.startswith(entry["summary"]["ja"] + "\n")
    headings = ("【なぜ問題になるか】", "【誤りの例】", "【正しい例】")
    assert all(heading in japanese for heading in headings)
    assert english.startswith(entry["summary"]["en"] + "\n")
    assert "Why it matters:" in english and "Failing example" in english
    assert "Passing example" in english and "【誤りの例】" not in english
    for variant, templates in rule.messages.items():
        assert set(templates) >= {"ja", "en"}, f"{rule.code} {variant}"
        assert all(text.strip() for text in templates.values())


def test_names_are_unique():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
