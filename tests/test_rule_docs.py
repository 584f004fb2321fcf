"""Every rule documents itself: summary, examples, bilingual messages, a stable code."""

import re

import pytest

from plancheck.api.rule import SEVERITIES
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
    doc = rule.documentation()
    assert re.fullmatch(r"[A-Z]{2,}\d+", rule.code) and re.fullmatch(r"[a-z0-9-]+", rule.name)
    assert rule.severity in SEVERITIES
    assert rule.summary() and "(" in rule.summary()  # Japanese summary (English summary)
    assert "Failing example" in doc and "Passing example" in doc
    for variant, templates in rule.messages.items():
        assert set(templates) >= {"ja", "en"}, f"{rule.code} {variant}"
        assert all(text.strip() for text in templates.values())


def test_names_are_unique():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
