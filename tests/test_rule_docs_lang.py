"""The built-in rules' documentation in Japanese and English (rules/docs/<CODE>.yaml): the commands
`rules` and `rule CODE` follow --lang, examples keep their tabs, the README has the one table."""

import copy
import re
from pathlib import Path

import pytest

from plancheck import Rule
from plancheck.api import resources
from plancheck.api.messages import rule_catalogue
from plancheck.api.rule_docs import SCHEMA, rule_docs, rule_docs_catalogue
from plancheck.cli import main
from plancheck.engine.plugin_host import PluginHost
from plancheck.output import Report
from plancheck.output.sarif import build_log

ROOT = Path(__file__).resolve().parents[1]
HOST = PluginHost(load_entry_points=False)
KPI_ROW = "KPI1\t0.00\t2.00\t3.00\t10.00\t16.00"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_rule_pc201_is_japanese_by_default_with_its_examples_as_tables(capsys):
    code, out, err = run(capsys, "rule", "PC201")
    assert code == 0 and not err
    assert out.startswith(
        "PC201 kpi-sum-mismatch [error]\n\nKPI の累計が増加分の合計と一致しない\n"
    )
    assert "【なぜ問題になるか】" in out and "【出典】" in out
    assert "【誤りの例】（2 + 3 + 10 は 15 であり、16 ではない）" in out and "【正しい例】" in out
    assert "Failing example" not in out and "Why it matters" not in out
    # a pasted example is still a table: the header row starts with a tab, cells are tabs
    assert f"\n{KPI_ROW}\n" in out
    assert "\n\t事業開始前（現時点）\t2021年度増加分（1年目）" in out


def test_rule_pc201_in_english(capsys):
    code, out, _ = run(capsys, "rule", "pc201", "--lang", "en")
    assert code == 0
    assert out.startswith(
        "PC201 kpi-sum-mismatch [error]\n\na KPI's 累計 is not the sum of its 増加分\n"
    )
    assert "Why it matters:" in out and "Source:" in out
    assert "Failing example (2 + 3 + 10 is 15, not 16):" in out and "Passing example:" in out
    assert "【誤りの例】" not in out and "なぜ問題" not in out
    assert f"\n{KPI_ROW}\n" in out


def test_rules_lists_the_summaries_in_the_requested_language(capsys):
    _, japanese, _ = run(capsys, "rules")
    _, english, _ = run(capsys, "rules", "--lang", "en")
    assert "PC201\tkpi-sum-mismatch\terror\tKPI の累計が増加分の合計と一致しない\n" in japanese
    assert "PC201\tkpi-sum-mismatch\terror\ta KPI's 累計 is not the sum of its 増加分\n" in english
    assert len(japanese.splitlines()) == len(english.splitlines()) == len(HOST.rules)


def test_every_docs_file_belongs_to_a_builtin_rule():
    assert set(rule_docs_catalogue()) == {rule.code for rule in HOST.rules}


@pytest.mark.parametrize(
    "path",
    [("summary", "en"), ("what", "ja"), ("why", "en"), ("source", "ja"), ("examples", "fail")],
)
def test_the_schema_requires_every_text_in_both_languages(path):
    entry = copy.deepcopy(dict(rule_docs("PC201")))
    assert resources.schema_error(entry, SCHEMA) is None
    del entry[path[0]][path[1]]
    assert resources.schema_error(entry, SCHEMA) is not None
    note_alone = copy.deepcopy(dict(rule_docs("PC201")))
    note_alone["examples"]["fail"]["note"] = {"ja": "注"}
    assert "'en' is a required property" in resources.schema_error(note_alone, SCHEMA)


# a path as rule texts write one: rules/terms.yaml, ../shared/docs/x.md, plan-format.md
_PATH = re.compile(
    r"(?:\.\./)*[A-Za-z0-9_.<>*-]+(?:/[A-Za-z0-9_.<>*-]+)+|[A-Za-z0-9_-]+\.(?:md|yaml|json)"
)


def _referenced_files(text: str) -> list[str]:
    return [match.rstrip(".") for match in _PATH.findall(text)]


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)


def test_rule_texts_name_no_file_outside_the_repository():
    texts = [*_texts(dict(rule_catalogue()))]
    for code in rule_docs_catalogue():
        texts += [*_texts(dict(rule_docs(code)))]
        texts += [HOST.rule(code).documentation(lang) for lang in ("ja", "en")]
    missing = set()
    for text in texts:
        for reference in _referenced_files(text):
            pattern = reference.replace("<CODE>", "*")
            if reference.startswith("../") or not list(ROOT.glob(pattern)):
                missing.add(reference)
    assert not missing, f"rule texts refer to files not in the repository: {sorted(missing)}"
    assert _referenced_files("see ../shared/docs/plan-format.md §4") == [
        "../shared/docs/plan-format.md"
    ]
    assert _referenced_files("plan-format.md §8") == ["plan-format.md"]


def test_the_terms_pack_and_its_docs_agree():
    [pack] = resources.load_yaml("terms.yaml")["rules"]
    docs = rule_docs(pack["code"])
    assert pack["summary"] == docs["summary"]
    assert {kind: pack["examples"][kind] for kind in ("fail", "pass")} == {
        kind: docs["examples"][kind]["text"].rstrip("\n") for kind in ("fail", "pass")
    }


def test_the_readme_has_one_rule_table_matching_the_rules():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if re.match(r"\| [A-Z]{2,}\d+ \|", line)]
    expected = [
        f"| {rule.code} | {rule.name} | {rule.severity} | {rule.summary('ja')} | "
        f"{rule.summary('en')} |"
        for rule in HOST.rules
    ]
    assert rows == expected, "README's rule table: regenerate it from rules/docs (see this test)"


def test_sarif_rule_descriptions_follow_the_language():
    for lang in ("ja", "en"):
        log = build_log([], Report(lang=lang, rules=HOST.rules))
        [pc201] = [r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "PC201"]
        assert pc201["shortDescription"]["text"] == HOST.rule("PC201").summary(lang)
        assert pc201["fullDescription"]["text"] == HOST.rule("PC201").documentation(lang)
    assert "Failing example" in pc201["help"]["text"]


class TabbedPluginRule(Rule):
    """表の規則 (a table rule).

    Failing example::

        \t見出し
        KPI1\t1.00
    """

    code = "XY901"
    name = "tabbed"
    messages = {"default": {"ja": "表", "en": "table"}}

    def check(self, plan, context):
        return iter(())


def test_a_plugin_rule_keeps_its_docstring_in_every_language_with_its_tabs():
    for lang in ("ja", "en"):
        assert TabbedPluginRule.summary(lang) == "表の規則 (a table rule)."
        assert TabbedPluginRule.documentation(lang) == (
            "表の規則 (a table rule).\n\nFailing example::\n\n    \t見出し\n    KPI1\t1.00"
        )
