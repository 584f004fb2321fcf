"""The built-in rules' cases as data (tests/rules/<CODE>.yaml) and their documented examples, run
through plancheck.testing; a rule that raises fails them (PC000 is never an ordinary finding)."""

from pathlib import Path

import pytest

from plancheck import Rule, hookimpl
from plancheck.engine.plugin_host import PluginHost
from plancheck.testing import (
    INTERNAL_ERROR,
    PlancheckLint,
    RuleCase,
    assert_examples,
    documented_examples,
    load_cases,
)

RULES_DIR = Path(__file__).with_name("rules")
RULES = PluginHost(load_entry_points=False).rules
CASES = load_cases(RULES_DIR)
# a snippet is seldom detected as a plan, so the examples are read as the current format; PC001's
# are not, since a named format is never "not a plan"
EXAMPLE_PROFILE = "chiiki-saisei-2021"
# examples that cannot be linted as text: PC003's are PDF files (its YAML cases lint real PDFs);
# PC000's need a rule that raises (test_internal_error_examples)
PROSE_EXAMPLES = {"PC003"}


class RaisesOnRequest(Rule):
    """設定で例外を送出するテスト用の規則 (a test rule that raises when its settings say so).

    Failing example (with ``plugins: {crash: {raise: true}}``)::

        地域再生計画

    Passing example::

        地域再生計画
    """

    code = "XX900"
    name = "raises-on-request"
    severity = "error"
    needs_profile = False
    messages = {"default": {"ja": "（出ない）", "en": "(never given)"}}

    def check(self, plan, context):
        if context.plugin_settings.get("crash", {}).get("raise"):
            raise RuntimeError("raised on purpose by the test rule XX900")
        return iter(())


class CrashPlugin:
    @hookimpl
    def plancheck_rules(self):
        return [RaisesOnRequest]


CRASH = CrashPlugin()


def run_case(case: RuleCase, lint: PlancheckLint) -> None:
    """Run one YAML case; PC000's cases need a rule that raises, so they get the test rule."""
    case.run(lint, *((CRASH,) if case.origin.stem == INTERNAL_ERROR else ()))


@pytest.mark.parametrize("case", CASES)
def test_rule_case(case, plancheck_lint):
    run_case(case, plancheck_lint)


def test_every_builtin_rule_has_its_cases():
    files = {path.stem for path in RULES_DIR.glob("*.yaml")}
    assert files == {rule.code for rule in RULES}
    for code in sorted(files):
        cases = [param.values[0] for param in CASES if param.values[0].origin.stem == code]
        assert any(case.expect for case in cases), f"{code}.yaml: no failing case"
        assert any(not case.expect for case in cases), f"{code}.yaml: no passing case"
        assert all(code in (case.settings.get("select") or ()) for case in cases), code


@pytest.mark.parametrize(
    "rule",
    [rule for rule in RULES if rule.code not in PROSE_EXAMPLES | {INTERNAL_ERROR}],
    ids=lambda rule: rule.code,
)
def test_documented_examples(rule, plancheck_lint):
    profile = None if rule.code == "PC001" else EXAMPLE_PROFILE
    assert_examples(rule, lint=plancheck_lint, profile=profile)


def test_prose_examples_are_prose():
    # should PC003 gain literal examples, they belong in test_documented_examples
    for rule in RULES:
        if rule.code in PROSE_EXAMPLES:
            assert documented_examples(rule) == {}, rule.code


def test_internal_error_examples(plancheck_lint):
    [rule] = [rule for rule in RULES if rule.code == INTERNAL_ERROR]
    examples = documented_examples(rule)
    crashed = plancheck_lint(
        examples["fail"],
        CRASH,
        plugins={"crash": {"raise": True}},
        profile=EXAMPLE_PROFILE,
        allow_internal_error=True,
    )
    assert INTERNAL_ERROR in {finding.code for finding in crashed}
    clean = plancheck_lint(examples["pass"], CRASH, profile=EXAMPLE_PROFILE)
    assert INTERNAL_ERROR not in {finding.code for finding in clean}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_a_rule_that_raises_fails_its_cases(rule, monkeypatch):
    """Making any built-in rule raise fails the test suite: every case of its file fails."""

    def check(self, plan, context):
        raise RuntimeError(f"{self.code} raised on purpose")

    lint = PlancheckLint()
    # the class of this run's host: a rule pack makes its classes afresh for every host
    host = lint.host(*((CRASH,) if rule.code == INTERNAL_ERROR else ()))
    monkeypatch.setattr(type(host.rule(rule.code)), "check", check)
    cases = [param.values[0] for param in CASES if param.values[0].origin.stem == rule.code]
    assert cases
    for case in cases:
        with pytest.raises(AssertionError, match=INTERNAL_ERROR):
            run_case(case, lint)
