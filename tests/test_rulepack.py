"""Rule packs: YAML rules become rule classes, and the pack docs/plugins.md builds works as written."""

import importlib
import re
import sys
from types import SimpleNamespace

import pytest
import yaml

from plancheck import hookimpl
from plancheck.checks.rulepack import (
    RulePackError,
    profiles_from_yaml,
    rules_from_data,
    rules_from_yaml,
)
from plancheck.engine.plugin_host import PluginHost
from plancheck.testing import PlancheckLint, assert_documented, codes, load_cases

from conftest import ROOT, fixture_text

LINT = PlancheckLint()
DOCS = ROOT / "docs" / "plugins.md"
# The tutorial's files: fenced blocks whose first line names the file (「# plancheck-hanamizuki/…」).
_TUTORIAL_FILE = re.compile(r"```\w+\n# (plancheck-hanamizuki/\S+)\n(.*?)```", re.DOTALL)


def pack(*rules, **top):
    """A rule pack mapping: the given rules, each completed with the keys every rule needs."""
    common = {
        "severity": "warning",
        "summary": {"ja": "説明", "en": "summary"},
        "examples": {"fail": "x", "pass": "y"},
    }
    return {**top, "rules": [{**common, **rule} for rule in rules]}


class Plugin:
    """Hands rule classes to a plugin host the way a plugin module does."""

    def __init__(self, rules):
        self.rules = rules

    @hookimpl
    def plancheck_rules(self):
        return self.rules


def findings(text, data, **settings):
    """The pack's findings only (the test packs use the prefix XY)."""
    return LINT(text, Plugin(rules_from_data(data)), **{"select": ["XY"], **settings})


# --- the tutorial of docs/plugins.md, written out exactly as it is there ------------------------


@pytest.fixture(scope="module")
def tutorial(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tutorial")
    for relative, body in _TUTORIAL_FILE.findall(DOCS.read_text(encoding="utf-8")):
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {relative}\n{body}", encoding="utf-8")
    project = folder / "plancheck-hanamizuki"
    sys.path.insert(0, str(project))
    try:
        module = importlib.import_module("plancheck_hanamizuki.plugin")
    finally:
        sys.path.remove(str(project))
    yield SimpleNamespace(project=project, plugin=module)
    for name in [name for name in sys.modules if name.startswith("plancheck_hanamizuki")]:
        del sys.modules[name]


def test_tutorial_shows_every_file_of_the_pack(tutorial):
    files = {
        path.relative_to(tutorial.project).as_posix()
        for path in tutorial.project.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert files == {
        "pyproject.toml",
        "plancheck_hanamizuki/__init__.py",
        "plancheck_hanamizuki/plugin.py",
        "plancheck_hanamizuki/rules.yaml",
        "tests/cases.yaml",
        "tests/test_rules.py",
    }
    compile((tutorial.project / "tests" / "test_rules.py").read_text(), "test_rules.py", "exec")


def test_tutorial_entry_point_names_the_plugin_module(tutorial):
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    project = tomllib.loads((tutorial.project / "pyproject.toml").read_text(encoding="utf-8"))
    entry_points = project["project"]["entry-points"]["plancheck"]
    assert entry_points == {"hanamizuki": "plancheck_hanamizuki.plugin"}
    assert tutorial.plugin.__name__ == "plancheck_hanamizuki.plugin"


def test_tutorial_pack_loads_through_the_plugin_host(tutorial):
    host = PluginHost(load_entry_points=False, extra_plugins=(tutorial.plugin,))
    assert host.load() == []
    rules = [rule for rule in host.rules if rule.code.startswith("HN")]
    assert [rule.code for rule in rules] == ["HN101", "HN201", "HN301"]
    for rule in rules:
        assert_documented(rule)
    assert "Source: はなみずき町 地域再生計画作成の手引き 第5条" in rules[0].documentation()


def test_tutorial_pack_finds_what_the_docs_say(tutorial):
    plan_2021 = fixture_text("midorino-2021.txt")
    unpublished = plan_2021.replace(
        "【検証結果の公表の方法】\n\n市のホームページ等に掲載する。", ""
    )
    result = LINT(unpublished, tutorial.plugin, select=["HN"])
    assert codes(result) == [("HN101", 119)]
    assert result[0].message == "5-2 ⑥ に【検証結果の公表の方法】の記載がありません"
    misspelt = plan_2021.replace("架空県みどり野市の全域", "架空県花水木町の全域")
    assert codes(LINT(misspelt, tutorial.plugin, select=["HN"])) == [("HN201", 13)]
    # the 2016 format has no 4-1/4-2 (the core does not ask for them); the town does
    old_format = LINT(fixture_text("midorino-2016.txt"), tutorial.plugin, select=["HN"])
    assert codes(old_format) == [("HN301", 29), ("HN301", 29)]
    assert old_format[0].message == (
        "「4-1 地方創生の実現における構造的な課題」の節を設けてください（はなみずき町の手引き 第3条）"
    )
    # HN101 is limited to the 2021 format; the clean plans get nothing else
    for name in ("midorino-2017.txt", "midorino-2021.txt"):
        assert LINT(fixture_text(name), tutorial.plugin, select=["HN"]) == []


def test_tutorial_test_cases_pass(tutorial):
    cases = load_cases(tutorial.project / "tests" / "cases.yaml")
    assert [case.id for case in cases] == [
        "cases::publication-stated",
        "cases::publication-missing",
        "cases::in-english",
        "cases::injected-into-a-whole-plan",
        "cases::fixed-by-fix",
        "cases::fixed-in-a-whole-plan",
    ]
    for param in cases:
        case = param.values[0]
        if case.file is None:
            case.run(LINT, tutorial.plugin)
            continue
        with pytest.raises(pytest.skip.Exception, match="plans/plan.txt"):
            case.run(LINT, tutorial.plugin)  # the docs' sample plan is not shipped


# --- each kind --------------------------------------------------------------------------------


def test_terms_are_found_every_time_and_normalised_like_the_text():
    data = pack(
        {
            "code": "XY301",
            "name": "x-terms",
            "kind": "terms",
            # written full-width in the YAML, matched against the half-width normalised text
            "terms": [{"wrong": "ＫＰＩ指数", "official": "ＫＰＩ", "note": "指標の名称"}],
        }
    )
    found = findings("前文\nKPI指数とKPI指数\n", data, profile="chiiki-saisei-2021")
    assert [(f.code, f.line, f.column, f.end_column) for f in found] == [
        ("XY301", 2, 1, 6),
        ("XY301", 2, 7, 12),
    ]
    assert (
        found[0].message
        == "「KPI指数」は正式な用語ではありません。「KPI」と記載してください（指標の名称）"
    )
    assert (
        findings("KPI指数\n", data, lang="en", profile="chiiki-saisei-2021")[0].message
        == "「KPI指数」 is not the official term; write 「KPI」"
    )


def test_required_labels_in_an_item_or_anywhere_in_a_section():
    text = fixture_text("midorino-2021.txt")
    in_item = pack(
        {
            "code": "XY101",
            "name": "x-labels",
            "kind": "required-labels",
            "section": "５－２",  # normalised like the plan: 5-2
            "item": "⑥",
            "labels": ["【検証時期】", "検証の体制"],
        }
    )
    found = findings(text, in_item)
    assert codes(found) == [("XY101", 119)]
    assert found[0].message == "5-2 ⑥ に【検証の体制】の記載がありません"
    in_section = pack(
        {
            "code": "XY102",
            "name": "x",
            "kind": "required-labels",
            "section": "5-2",
            "labels": ["自立性"],
        }
    )
    assert findings(text, in_section) == []  # 【自立性】 is in ④, inside 5-2
    no_item = pack(
        {
            "code": "XY103",
            "name": "y",
            "kind": "required-labels",
            "section": "5-2",
            "item": "⑩",
            "labels": ["自立性"],
        }
    )
    assert findings(text, no_item) == []  # an item the plan lacks is PC101's finding


def test_required_sections_point_at_the_next_section():
    data = pack(
        {
            "code": "XY201",
            "name": "x-sections",
            "kind": "required-sections",
            "sections": [
                {"number": "5-3-3", "title": "市の独自事業"},
                {"number": "8", "title": "その他"},
            ],
        }
    )
    found = findings(fixture_text("midorino-2021.txt"), data, lang="en")
    assert [(f.line, f.message) for f in found] == [
        (173, "Section '5-3-3 市の独自事業' is missing"),  # before 6 計画期間
        (189, "Section '8 その他' is missing"),  # nothing after it: the last line
    ]


def test_profiles_and_document_types_narrow_a_rule():
    rule = {
        "code": "XY301",
        "name": "x",
        "kind": "terms",
        "terms": [{"wrong": "みどり野市", "official": "緑野市"}],
    }
    text = fixture_text("midorino-2017.txt")
    assert findings(text, pack(rule)) != []
    assert findings(text, pack({**rule, "profiles": ["chiiki-saisei-2021"]})) == []
    assert findings(text, pack(rule, document_types=["総合特区評価書"])) == []
    overridden = pack(
        {**rule, "document_types": ["地域再生計画"]}, document_types=["総合特区評価書"]
    )
    assert findings(text, overridden) != []


def test_rule_classes_carry_the_entry():
    [rule] = rules_from_data(
        pack(
            {
                "code": "XY101",
                "name": "city-name-x",
                "kind": "terms",
                "terms": [{"wrong": "a", "official": "b"}],
            }
        ),
        origin="pack.yaml",
    )
    assert (rule.__name__, rule.__module__) == ("CityNameX", "pack.yaml")
    assert (rule.code, rule.name, rule.severity, rule.document_types) == (
        "XY101",
        "city-name-x",
        "warning",
        None,
    )
    assert rule.summary() == "説明 (summary)."


# --- mistakes are reported with the file and the key -------------------------------------------


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        (
            {
                "code": "PC901",
                "name": "x",
                "kind": "terms",
                "terms": [{"wrong": "a", "official": "b"}],
            },
            "rules/0/code",
        ),
        (
            {
                "code": "PCX1",
                "name": "x",
                "kind": "terms",
                "terms": [{"wrong": "a", "official": "b"}],
            },
            "rules/0/code",
        ),
        (
            {"code": "XY1", "name": "x", "kind": "required-labels", "section": "5-2"},
            "'labels' is a required property",
        ),
        (
            {
                "code": "XY1",
                "name": "x",
                "kind": "terms",
                "terms": [{"wrong": "a", "official": "b"}],
                "labels": ["a"],
            },
            "rules/0/labels",
        ),
        (
            {
                "code": "XY1",
                "name": "Not Kebab",
                "kind": "terms",
                "terms": [{"wrong": "a", "official": "b"}],
            },
            "rules/0/name",
        ),
        (
            {
                "code": "XY1",
                "name": "x",
                "kind": "terms",
                "terms": [{"wrong": "a", "official": "b"}],
                "message": {"ja": "{label}", "en": "x"},
            },
            "rules/0/message/ja: unknown placeholder {label}",
        ),
        (
            {
                "code": "XY1",
                "name": "x",
                "kind": "terms",
                "terms": [{"wrong": "a", "official": "b"}],
                "message": {"ja": "x", "en": "{"},
            },
            "rules/0/message/en: unknown placeholder",
        ),
    ],
)
def test_invalid_packs_name_the_key(rule, problem):
    with pytest.raises(RulePackError, match=re.escape(problem)):
        rules_from_data(pack(rule), origin="pack.yaml")


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(RulePackError, match="missing.yaml"):
        rules_from_yaml(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(RulePackError, match="broken.yaml"):
        rules_from_yaml(broken)
    scalar = tmp_path / "profile.yaml"
    scalar.write_text("just text\n", encoding="utf-8")
    with pytest.raises(RulePackError, match="expected a profile or a list of profiles"):
        profiles_from_yaml(scalar)


def test_profiles_from_yaml_reads_one_or_many(tmp_path):
    one = {"name": "x", "description": {"ja": "x", "en": "x"}}
    path = tmp_path / "profiles.yaml"
    path.write_text(yaml.safe_dump(one, allow_unicode=True), encoding="utf-8")
    assert profiles_from_yaml(path) == [one]
    path.write_text(
        yaml.safe_dump([one, {**one, "name": "y"}], allow_unicode=True), encoding="utf-8"
    )
    assert [p["name"] for p in profiles_from_yaml(str(path))] == ["x", "y"]


def test_a_broken_pack_is_reported_and_skipped(tmp_path, monkeypatch):
    broken = tmp_path / "rules.yaml"
    broken.write_text(
        yaml.safe_dump(pack({"code": "PC999", "name": "x", "kind": "terms"})), encoding="utf-8"
    )

    def load():  # what importing a plugin module that reads its pack at import time does
        return Plugin(rules_from_yaml(broken))

    entry = SimpleNamespace(name="brokencity", load=load, dist=None)
    monkeypatch.setattr("plancheck.engine.plugin_host.metadata.entry_points", lambda group: [entry])
    host = PluginHost(load_entry_points=True)
    [(name, problem)] = host.load()
    assert name == "brokencity" and "RulePackError" in problem and "rules/0/code" in problem
    assert "PC101" in [rule.code for rule in host.rules]
