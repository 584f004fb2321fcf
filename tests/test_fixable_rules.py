"""The fixes of the built-in rules: each fix removes its finding, adds none, and edits only the
original characters it names (full-width text keeps its width)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from plancheck.api.fixes import SAFE, UNSAFE, Edit
from plancheck.api.hookspecs import hookimpl
from plancheck.api.rule_docs import rule_docs
from plancheck.checks.rulepack import rules_from_data
from plancheck.cli import main
from plancheck.engine.config import Settings
from plancheck.engine.fixer import fix_source
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost

from conftest import _HOST, corpus_file, fixture_text, lint, lint_bytes


def apply_edits(text: str, edits: tuple[Edit, ...]) -> str:
    """``text`` with ``edits`` applied (one-line edits, checked against their ``old``)."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        assert edit.line == edit.end_line
        line = lines[edit.line - 1]
        assert line[edit.column - 1 : edit.end_column - 1] == edit.old, edit
        lines[edit.line - 1] = line[: edit.column - 1] + edit.new + line[edit.end_column - 1 :]
    return "\n".join(lines)


@dataclass(frozen=True)
class Case:
    code: str
    fixture: str
    replace: tuple[tuple[str, str], ...]
    applicability: str
    fixed: str  # the text the fix writes, found in the fixed plan


CASES = {
    "PC503-term": Case(
        "PC503",
        "midorino-2021.txt",
        (("重要業績評価指標", "重要事業評価指標"),),
        SAFE,
        "指標（重要業績評価指標（KPI））",
    ),
    "PC304-era-year": Case(
        "PC304",
        "hibari-kigyo-2019.txt",
        (("令和2年4月1日から令和7年", "平成32年4月1日から令和7年"),),
        SAFE,
        "令和2年4月1日から令和7年",
    ),
    "PC304-era-year-full-width": Case(
        "PC304",
        "hibari-kigyo-2019.txt",
        (("令和2年4月1日から令和7年", "平成３２年４月１日から令和7年"),),
        SAFE,
        "令和２年４月１日から令和7年",
    ),
    "PC505-yen": Case(
        "PC505",
        "midorino-2021.txt",
        (("総事業費 90,000千円", "総事業費 90,000,000円"),),
        SAFE,
        "総事業費 90,000千円",
    ),
    "PC505-oku-yen": Case(
        "PC505",
        "midorino-2021.txt",
        (("総事業費 90,000千円", "総事業費 0.9億円"),),
        SAFE,
        "総事業費 90,000千円",
    ),
    "PC505-in-parts": Case(
        "PC505",
        "midorino-2021.txt",
        (("総事業費 90,000千円", "総事業費 1億2千万円"),),
        SAFE,
        "総事業費 120,000千円",
    ),
    "PC505-full-width": Case(
        "PC505",
        "midorino-2021.txt",
        (("総事業費 90,000千円", "総事業費 ９０，０００，０００円"),),
        SAFE,
        "総事業費 ９０，０００千円",
    ),
    "PC505-donation": Case(
        "PC505",
        "sakuradai-kigyo-2022.txt",
        (("348,688千円（", "348,688,000円（"),),
        SAFE,
        "348,688千円（",
    ),
    "PC505-donation-in-parts": Case(
        "PC505",
        "hibari-kigyo-2019.txt",
        (("120,000千円（令和2年度", "1億2千万円（令和2年度"),),
        SAFE,
        "\n120,000千円（令和2年度",
    ),
    "PC401-misspelt-statement": Case(
        "PC401", "midorino-2021.txt", (("【自立性】", "【自律性】"),), SAFE, "\n【自立性】\n"
    ),
    "PC403-misspelt-label": Case(
        "PC403",
        "midorino-2021.txt",
        (("【検証方法】\n", "【検証の方法】\n"),),
        SAFE,
        "\n【検証方法】\n",
    ),
    "PC101-slipped-number": Case(
        "PC101",
        "midorino-2021.txt",
        (("4-1 地方創生の実現", "4-l 地方創生の実現"),),
        SAFE,
        "\n4-1 地方創生の実現",
    ),
    "PC201-total": Case(
        "PC201",
        "midorino-2021.txt",
        (("1,500.00\t-\t-\t3,500.00", "1,500.00\t-\t-\t3,400.00"),),
        UNSAFE,
        "1,500.00\t-\t-\t3,500.00",
    ),
    "PC306-stated-length": Case(
        "PC306", "haruka-2025.txt", (("（3か年度）", "（5か年度）"),), UNSAFE, "（3か年度）"
    ),
    "PC502-renamed-label": Case(
        "PC502",
        "midorino-2021.txt",
        (("【検証方法】\n", "【効果検証の方法】\n"),),
        UNSAFE,
        "5-2の⑥の【効果検証の方法】及び",
    ),
}


def _defective(case: Case) -> str:
    text = fixture_text(case.fixture)
    for old, new in case.replace:
        assert old in text, old
        text = text.replace(old, new)
    return text


def _counted(findings: list) -> Counter:
    return Counter((finding.code, finding.line) for finding in findings)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fix_removes_the_finding_and_adds_none(name: str) -> None:
    case = CASES[name]
    text = _defective(case)
    before = lint(text)
    fixable = [f for f in before if f.code == case.code and f.fix is not None]
    assert fixable, [f.message for f in before if f.code == case.code]
    assert {f.fix.applicability for f in fixable} == {case.applicability}
    edits = tuple(edit for finding in fixable for edit in finding.fix.edits)
    fixed = apply_edits(text, edits)
    assert case.fixed in fixed
    after = lint(fixed)
    assert not [f for f in after if f.code == case.code]
    assert _counted(after) <= _counted(before) - _counted(fixable)
    # a second round has nothing left to fix
    assert not [f for f in after if f.fix is not None]


def test_full_width_edit_names_the_original_characters_only() -> None:
    text = _defective(CASES["PC304-era-year-full-width"])
    (finding,) = [f for f in lint(text) if f.code == "PC304"]
    (edit,) = finding.fix.edits
    assert (edit.old, edit.new) == ("平成３２", "令和２")
    line = text.split("\n")[edit.line - 1]
    assert line[edit.column - 1 : edit.end_column - 1] == "平成３２"


@pytest.mark.parametrize(
    ("code", "replace"),
    [
        # 90,000.5千円: a new precision, not the same figure in the format's unit
        ("PC505", ("総事業費 90,000千円", "総事業費 90,000,500円")),
        # 「2千万1億円」 does not read as one number: no figure to convert
        ("PC505", ("総事業費 90,000千円", "総事業費 2千万1億円")),
        # 【検証時期】 and 【検証方法】 are both near 【検証】: which one is meant is unknown
        ("PC502", ("5-2の⑥の【検証方法】及び", "5-2の⑥の【検証】及び")),
        # a label cut by an HTML comment: its original characters are not one stretch
        ("PC403", ("【検証方法】\n", "【検証の<!-- x -->方法】\n")),
    ],
)
def test_no_fix_when_the_correction_is_not_certain(code: str, replace: tuple[str, str]) -> None:
    text = fixture_text("midorino-2021.txt")
    assert replace[0] in text
    findings = [f for f in lint(text.replace(*replace)) if f.code == code]
    assert findings
    assert all(f.fix is None for f in findings)


def test_terms_of_a_plugin_rule_pack_carry_the_fix() -> None:
    pack = {
        "rules": [
            {
                "code": "XT001",
                "name": "local-term",
                "severity": "warning",
                "kind": "terms",
                "summary": {"ja": "用語", "en": "term"},
                "examples": {"fail": "みどり野町役所", "pass": "みどり野町役場"},
                "terms": [{"wrong": "町役所", "official": "町役場"}],
            }
        ]
    }
    (rule_class,) = rules_from_data(pack)
    assert rule_class.fixable == SAFE

    class Plugin:
        @hookimpl
        def plancheck_rules(self):
            return [rule_class]

    host = PluginHost(load_entry_points=False, extra_plugins=(Plugin(),))
    text = fixture_text("midorino-2021.txt").replace("みどり野市子育て", "みどり野町役所子育て", 1)

    result = Linter(Settings(select=("XT001",)), host).check_bytes(text.encode(), "plan.txt")
    (finding,) = result.findings
    assert finding.fix is not None and finding.fix.is_safe
    (edit,) = finding.fix.edits
    assert (edit.old, edit.new) == ("町役所", "町役場")


@pytest.mark.parametrize(
    ("name", "code", "fixed"),
    [
        ("plan-chiba-medtech-2016.txt", "PC503", {72: "⑤ 重要業績評価指標（K P I）及び目標年月"}),
        (
            "plan-sapporo-medical-2017.txt",
            "PC304",
            {
                133: "地域再生計画認定の日から令和2年3月31日（3カ年間）",
                151: "地域再生計画認定の日から令和2年3月31日",
            },
        ),
    ],
)
def test_real_plans_carry_exactly_their_safe_fixes(
    name: str, code: str, fixed: dict[int, str]
) -> None:
    data = corpus_file(name).read_bytes()
    with_fix = [f for f in lint_bytes(data, name) if f.fix is not None]
    assert [(f.code, f.line) for f in with_fix] == [(code, line) for line in fixed]
    assert all(f.fix.is_safe for f in with_fix)
    lines = data.decode("utf-8").split("\n")
    written = apply_edits(data.decode("utf-8"), tuple(e for f in with_fix for e in f.fix.edits))
    changed = {
        number: new
        for number, (old, new) in enumerate(zip(lines, written.split("\n"), strict=True), 1)
        if old != new
    }
    assert changed == fixed


def test_real_plans_other_than_those_have_no_fix() -> None:
    for name in ("plan-yokohama-healthcare-2021.txt", "plan-yokohama-global-2023.txt"):
        findings = lint_bytes(corpus_file(name).read_bytes(), name)
        assert [f for f in findings if f.fix is not None] == []


FIXABLE = {
    "PC101": SAFE,
    "PC201": UNSAFE,
    "PC304": SAFE,
    "PC306": UNSAFE,
    "PC401": SAFE,
    "PC403": SAFE,
    "PC502": UNSAFE,
    "PC503": SAFE,
    "PC505": SAFE,
}


def test_fixable_rules_say_so_in_their_class_and_documentation() -> None:
    rules = {rule.code: rule for rule in PluginHost(load_entry_points=False).rules}
    assert {code: rule.fixable for code, rule in rules.items() if rule.fixable} == FIXABLE
    for code, applicability in FIXABLE.items():
        entry = rule_docs(code)
        assert entry is not None and "fix" in entry, code
        expected = {"ja": "安全な修正", "en": "Safe fix"}
        if applicability == UNSAFE:
            expected = {"ja": "安全でない修正", "en": "Unsafe fix"}
        for lang, start in expected.items():
            assert entry["fix"][lang].startswith(start), (code, lang)
    assert not [code for code in rules if code not in FIXABLE and "fix" in (rule_docs(code) or {})]


@pytest.mark.parametrize(("lang", "heading"), [("ja", "【修正（--fix）】"), ("en", "Fix:")])
def test_rule_command_shows_the_fix(capsys, lang: str, heading: str) -> None:
    assert main(["rule", "PC503", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert heading + "\n" in out
    assert ("「重要事業評価指標」→「重要業績評価指標」" if lang == "ja" else "Safe fix") in out


def test_fixes_through_the_fixer_keep_encoding_line_endings_and_widths() -> None:
    text = fixture_text("midorino-2021.txt")
    text = text.replace("総事業費 90,000千円", "総事業費 ９０，０００，０００円")
    text = text.replace("重要業績評価指標", "重要事業評価指標")
    data = text.replace("\n", "\r\n").encode("cp932")
    linter = Linter(Settings(), _HOST)
    outcome = fix_source(data, "plan.txt", linter, unsafe=False)
    assert outcome.data is not None and outcome.applied == 3
    expected = fixture_text("midorino-2021.txt").replace(
        "総事業費 90,000千円", "総事業費 ９０，０００千円"
    )
    assert outcome.data == expected.replace("\n", "\r\n").encode("cp932")
    again = fix_source(outcome.data, "plan.txt", linter, unsafe=False)
    assert again.data is None and again.applied == 0
