"""Plugins: third-party rules and profiles load through the same hooks as the built-ins."""

from types import SimpleNamespace

from plancheck import Rule, Settings, hookimpl
from plancheck.cli import main
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost

from conftest import fixture_text


class RequiresVerificationTiming(Rule):
    """⑥ に【検証時期】がない (a municipal rule: ⑥ must state when results are verified).

    Failing example::

        ⑥ 評価の方法、時期及び体制
        【検証方法】…

    Passing example::

        ⑥ 評価の方法、時期及び体制
        【検証時期】毎年度7月
    """

    code = "MC101"
    name = "verification-timing"
    severity = "warning"
    document_types = ("地域再生計画",)
    messages = {"default": {"ja": "⑥に【検証時期】がありません", "en": "⑥ lacks 【検証時期】"}}

    def check(self, plan, context):
        section = plan.section("5-2")
        item = section.item("⑥") if section else None
        if item is not None and item.label("検証時期") is None:
            yield self.report(context, item.span)


class CityPlugin:
    @hookimpl
    def plancheck_rules(self):
        return [RequiresVerificationTiming]


def host_with(*plugins):
    return PluginHost(load_entry_points=False, extra_plugins=plugins)


def test_plugin_rule_runs_beside_the_builtins():
    host = host_with(CityPlugin())
    assert "MC101" in [rule.code for rule in host.rules]
    text = fixture_text("midorino-2017.txt")  # the 2017 ⑥ has no 【検証時期】
    # (PC304 notes the fixture's 平成32年度/平成33年, written before the era changed)
    findings = Linter(Settings(ignore=["PC304"]), host).check_bytes(text.encode(), "p.txt").findings
    assert [(f.code, f.line) for f in findings] == [("MC101", 83)]
    assert (
        Linter(Settings(ignore=["MC", "PC304"]), host).check_bytes(text.encode(), "p.txt").findings
        == []
    )


def test_plugin_rule_is_limited_to_its_document_type():
    text = "令和2年度 国際戦略総合特別区域評価書\n1 国際戦略総合特別区域の名称\n"
    findings = (
        Linter(Settings(), host_with(CityPlugin())).check_bytes(text.encode(), "r.txt").findings
    )
    assert [f.code for f in findings] == ["PC001"]


class ReportPlugin:
    """Teaches plancheck another document type, as the 総合特区 plugin will."""

    @hookimpl
    def plancheck_profiles(self):
        return [
            {
                "name": "tokku-evaluation",
                "description": {"ja": "総合特区評価書", "en": "special-zone evaluation report"},
                "document_type": "総合特区評価書",
                "detection": {"identify": {"minimum": 1, "patterns": ["総合特別区域評価書"]}},
                "sections": [
                    {"number": "1", "title": "国際戦略総合特別区域の名称"},
                    {"number": "2", "title": "総合特区計画の状況"},
                ],
            }
        ]


def test_plugin_profile_replaces_pc001_and_brings_its_own_skeleton():
    text = "令和2年度 国際戦略総合特別区域評価書\n1 国際戦略総合特別区域の名称\n京浜\n"
    result = Linter(Settings(), host_with(ReportPlugin())).check_bytes(text.encode(), "r.txt")
    assert result.profile == "tokku-evaluation"
    assert [(f.code, f.line) for f in result.findings] == [("PC101", 3)]


def test_invalid_plugin_profile_is_reported_and_skipped():
    class Broken:
        @hookimpl
        def plancheck_profiles(self):
            return [
                {"name": "x", "description": {"ja": "x", "en": "x"}, "sections": [{"number": 1}]}
            ]

    host = host_with(Broken())
    assert "x" not in host.profiles
    assert {"chiiki-saisei-2017", "chiiki-saisei-2021"} <= set(host.profiles)
    assert any("sections/0" in problem for _, problem in host.problems)


def test_invalid_rule_code_is_skipped_and_reported():
    class Bad(RequiresVerificationTiming):
        code = "pc-one"

    class Plugin:
        @hookimpl
        def plancheck_rules(self):
            return [Bad]

    host = host_with(Plugin())
    assert "pc-one" not in [rule.code for rule in host.rules]
    assert any("pc-one" in problem for _, problem in host.problems)


def test_failing_rule_is_an_internal_error_finding_not_a_silent_gap():
    class Crashing(RequiresVerificationTiming):
        code = "MC999"

        def check(self, plan, context):
            raise RuntimeError("boom")
            yield  # pragma: no cover

    class Plugin:
        @hookimpl
        def plancheck_rules(self):
            return [Crashing]

    text = fixture_text("midorino-2021.txt").replace("6 計画期間", "計画期間")
    findings = Linter(Settings(), host_with(Plugin())).check_bytes(text.encode(), "p.txt").findings
    assert [(f.code, f.line, f.severity) for f in findings][:1] == [("PC000", 1, "error")]
    assert [f.code for f in findings][1:] == ["PC101"]  # the other rules still ran
    assert "MC999" in findings[0].message and "RuntimeError: boom" in findings[0].message


def test_broken_entry_point_is_reported_and_skipped(monkeypatch, capsys):
    def load():
        raise ImportError("No module named 'plancheck_missing'")

    broken = SimpleNamespace(name="missing", load=load, dist=None)
    monkeypatch.setattr(
        "plancheck.engine.plugin_host.metadata.entry_points", lambda group: [broken]
    )
    code = main(["rules"])
    captured = capsys.readouterr()
    assert code == 0 and "PC101" in captured.out
    assert "プラグイン「missing」を読み込めないため無視します" in captured.err


class FakeWordReader:
    """A reader plugin for a made-up .fake type: each 'paragraph' is a line with its place."""

    @hookimpl
    def plancheck_read(self, path, data):
        if not path.endswith(".fake"):
            return None
        from plancheck.api.results import Place
        from plancheck.reading.source import Source

        lines = tuple(data.decode("utf-8").split("\n"))
        places = tuple(
            Place(paragraph=n, table=1, row=n - 40) if "\t" in line else Place(paragraph=n)
            for n, line in enumerate(lines, start=1)
        )
        return Source(path, "fake", lines, places)


def test_reader_plugin_and_places_in_reports():
    from plancheck.output import Report
    from plancheck.output.json import render as as_json
    from plancheck.output.plain import render as as_text

    host = host_with(FakeWordReader())
    text = (
        fixture_text("midorino-2021.txt")
        .replace("\t60.00", "\t61.00")
        .replace("6 計画期間", "計画期間")
    )
    result = Linter(Settings(select=["PC101", "PC201"]), host).check_bytes(
        text.encode(), "plan.fake"
    )
    lines = as_text([result], Report()).splitlines()
    assert lines[0].endswith(
        "（4-2 の表） (「4-2 地方創生として目指す将来像」の表1 の 1 行目 「61.00」)"
    )
    assert ":41:" in lines[0]
    assert lines[1].endswith("の節がありません (「7 目標の達成状況に係る評価に関する事項」)")
    assert '"paragraph": 41' in as_json([result], Report()) and '"row": 1' in as_json(
        [result], Report()
    )
    plain = Linter(Settings(select=["PC201"]), host).check_bytes(text.encode(), "plan.txt")
    assert plain.findings[0].place is None


def test_disable_plugin_and_autoload_switch(monkeypatch, capsys):
    calls = []

    def load():
        calls.append("loaded")
        return CityPlugin()

    entry = SimpleNamespace(name="mycity", load=load, dist=None)
    monkeypatch.setattr("plancheck.engine.plugin_host.metadata.entry_points", lambda group: [entry])
    assert "MC101" in [rule.code for rule in PluginHost().rules]
    assert "MC101" not in [rule.code for rule in PluginHost(disabled=("mycity",)).rules]
    monkeypatch.setenv("PLANCHECK_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert "MC101" not in [rule.code for rule in PluginHost().rules]
    assert calls == ["loaded"]  # neither the disabled nor the switched-off host imported it
    monkeypatch.delenv("PLANCHECK_DISABLE_PLUGIN_AUTOLOAD")
    assert main(["--disable-plugin", "plancheck.checks.wording", "rules"]) == 0
    out = capsys.readouterr().out
    assert "PC501" not in out and "MC101" in out and "PC101" in out


def test_plugin_whose_hook_raises_is_skipped_and_pc_codes_are_reserved():
    class Raising:
        @hookimpl
        def plancheck_rules(self):
            raise RuntimeError("broken rule pack")

        @hookimpl
        def plancheck_profiles(self):
            raise ValueError("broken profile file")

    class Squatter(RequiresVerificationTiming):
        code = "PC999"

    class Squatting:
        @hookimpl
        def plancheck_rules(self):
            return [Squatter]

    host = host_with(Raising(), Squatting(), CityPlugin())
    codes = [rule.code for rule in host.rules]
    assert "MC101" in codes and "PC101" in codes and "PC999" not in codes
    assert "chiiki-saisei-2021" in host.profiles
    problems = " ".join(problem for _, problem in host.load())
    assert "broken rule pack" in problems and "broken profile file" in problems
    assert "reserved" in problems


# --- the format as data: a measure kind or a profile added with YAML alone ---------------------

FICTIONAL_KIND = """\
# a fictional special measure of みどり野市, as a plugin would ship it
name: midorino-tokurei
description: {ja: みどり野架空特例, en: Midorino fictional measure}
codes: [A9901]
labels: [みどり野架空特例]
items:
  - {title: 事業の名称}
  - {title: 事業の内容}
  - {title: 架空の効果の見込み}
  - {title: 事業実施期間, role: project_period}
"""

A2007_LABEL = (
    "まち・ひと・しごと創生寄附活用事業に関連する寄附を行った法人に対する特例（内閣府）：【A2007】"
)


def fictional_measure_plan() -> str:
    """The A2007 fixture whose block applies the fictional measure and ends after the plan."""
    text = fixture_text("sakuradai-kigyo-2022.txt")
    text = text.replace(A2007_LABEL, "みどり野架空特例（内閣府）：【A9901】")
    return text.replace("2022年4月1日から2027年3月31日まで", "2022年4月1日から2028年3月31日まで")


def test_plugin_adds_a_measure_kind_with_yaml_alone(tmp_path):
    from plancheck.checks.rulepack import measure_kinds_from_yaml

    folder = tmp_path / "measures"
    folder.mkdir()
    (folder / "midorino-tokurei.yaml").write_text(FICTIONAL_KIND, encoding="utf-8")

    class MeasurePlugin:
        @hookimpl
        def plancheck_measure_kinds(self):
            return measure_kinds_from_yaml(folder)

    text = fictional_measure_plan()
    lines = text.split("\n")
    period = next(n for n, line in enumerate(lines, 1) if "2028年3月31日まで" in line)
    without = Linter(Settings(), host_with()).check_bytes(text.encode(), "p.txt").findings
    # unknown to plancheck: the block is said unchecked, the code unregistered
    assert [f.code for f in without] == ["PC105", "PC504"]
    host = host_with(MeasurePlugin())
    findings = Linter(Settings(), host).check_bytes(text.encode(), "p.txt").findings
    # known through the plugin: checked against its own items and with its own project period
    assert [(f.code, f.line) for f in findings] == [
        ("PC101", next(n for n, line in enumerate(lines, 1) if line.startswith("⑥ 事業実施期間"))),
        ("PC301", period),
    ]
    assert findings[0].message == "5-2 に「架空の効果の見込み」の項目がありません"
    assert findings[1].message.startswith("5-2 ⑥ 事業実施期間の終わり（2028年3月31日）")


def test_invalid_measure_kind_is_reported_and_skipped():
    class Broken:
        @hookimpl
        def plancheck_measure_kinds(self):
            return [
                {"name": "x", "description": {"ja": "x", "en": "x"}, "items": [{"role": "cost"}]}
            ]

    host = host_with(Broken())
    assert "x" not in {kind.name for kind in host.measure_kinds}
    assert any("items/0" in problem for _, problem in host.load())


FICTIONAL_PROFILE = """\
# みどり野市's own reading of the 2021 format: it also asks for 【市民参加】 in the statements
name: midorino-2021
extends: chiiki-saisei-2021
description: {ja: みどり野市の様式, en: Midorino's format}
statement_sets:
  leading:
    required: [自立性, 市民参加]
"""


def test_plugin_adds_a_profile_with_yaml_alone(tmp_path):
    from plancheck.checks.rulepack import profiles_from_yaml

    path = tmp_path / "profile.yaml"
    path.write_text(FICTIONAL_PROFILE, encoding="utf-8")

    class ProfilePlugin:
        @hookimpl
        def plancheck_profiles(self):
            return profiles_from_yaml(path)

    text = fixture_text("midorino-2021.txt")
    host = host_with(ProfilePlugin())
    result = Linter(Settings(profile="midorino-2021"), host).check_bytes(text.encode(), "p.txt")
    fourth = next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith("④"))
    assert [(f.code, f.line, f.message) for f in result.findings] == [
        ("PC401", fourth, "5-2 ④ に【市民参加】の記載がありません")
    ]


def test_a_profile_written_before_statement_sets_still_loads():
    older = {
        "name": "older",
        "extends": "chiiki-saisei-2017",
        "description": {"ja": "x", "en": "x"},
        "priority": 50,
        "statements": {"item": "④", "required": ["自立性", "市民参加"]},
    }

    class OlderPlugin:
        @hookimpl
        def plancheck_profiles(self):
            return [older]

    host = host_with(OlderPlugin())
    assert host.load() == []
    assert host.profiles["older"].statement_sets["leading"]["required"] == ["自立性", "市民参加"]


class TooManyFindings(Rule):
    """指摘が多すぎる (a rule that reads the other rules' findings: after_checks)."""

    code = "MC900"
    name = "too-many-findings"
    severity = "info"
    after_checks = True
    messages = {"default": {"ja": "指摘が {count} 件あります", "en": "{count} findings"}}

    def check(self, plan, context):
        yield self.report(context, plan.sections[0].span, count=len(context.findings))


def test_an_after_checks_rule_sees_every_other_rules_findings_before_the_filters():
    class Plugin:
        @hookimpl
        def plancheck_rules(self):
            return [RequiresVerificationTiming, TooManyFindings]

    text = fixture_text("midorino-2017.txt")
    # a comment silencing MC101 still leaves it in what MC900 reads: the filters come after
    text = text.replace("⑥ 評価の方法", "<!-- plancheck: disable=MC101 -->\n⑥ 評価の方法", 1)
    linter = Linter(Settings(ignore=["PC304"]), host_with(Plugin()))
    findings = linter.check_bytes(text.encode(), "p.txt").findings
    assert [(f.code, f.message) for f in findings] == [("MC900", "指摘が 1 件あります")]


def test_a_statements_item_whose_set_is_defined_nowhere_is_reported_at_load():
    """Nothing would check such statements (PC401/PC402 would have no labels to ask for): the
    plugin host says so instead of passing them silently."""

    class KindPlugin:
        @hookimpl
        def plancheck_measure_kinds(self):
            return [
                {
                    "name": "city-grant",
                    "description": {"ja": "市の補助金", "en": "a city grant"},
                    "codes": ["C9001"],
                    "items": [
                        {"title": "事業の名称"},
                        {"title": "先導性", "role": "statements", "statement_set": "city"},
                    ],
                }
            ]

    problems = host_with(KindPlugin()).load()
    assert any("city-grant" in text and "'city'" in text for _, text in problems)
    assert host_with().load() == []
