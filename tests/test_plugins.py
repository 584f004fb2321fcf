"""Plugins: third-party rules and profiles load through the same hooks as the built-ins."""

import logging
from types import SimpleNamespace

from plancheck import Rule, Settings, hookimpl
from plancheck.cli import main
from plancheck.lint import Linter
from plancheck.plugins import PluginHost

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


def test_failing_rule_is_logged_and_skipped(caplog):
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
    with caplog.at_level(logging.WARNING, logger="plancheck"):
        findings = (
            Linter(Settings(), host_with(Plugin())).check_bytes(text.encode(), "p.txt").findings
        )
    assert [f.code for f in findings] == ["PC101"]
    assert "MC999" in caplog.text and "boom" in caplog.text


def test_broken_entry_point_is_reported_and_skipped(monkeypatch, capsys):
    def load():
        raise ImportError("No module named 'plancheck_missing'")

    broken = SimpleNamespace(name="missing", load=load, dist=None)
    monkeypatch.setattr("plancheck.plugins.metadata.entry_points", lambda group: [broken])
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
        from plancheck.source import Place, Source

        lines = tuple(data.decode("utf-8").split("\n"))
        places = tuple(
            Place(paragraph=n, table=1, row=n - 40) if "\t" in line else Place(paragraph=n)
            for n, line in enumerate(lines, start=1)
        )
        return Source(path, "fake", lines, places)


def test_reader_plugin_and_places_in_reports():
    from plancheck.report import Report
    from plancheck.report.json import render as as_json
    from plancheck.report.text import render as as_text

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
    assert lines[0].endswith("（4-2 の表） (表1 行1)") and ":41:" in lines[0]
    assert lines[1].endswith("の節がありません (段落 177)")
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
    monkeypatch.setattr("plancheck.plugins.metadata.entry_points", lambda group: [entry])
    assert "MC101" in [rule.code for rule in PluginHost().rules]
    assert "MC101" not in [rule.code for rule in PluginHost(disabled=("mycity",)).rules]
    monkeypatch.setenv("PLANCHECK_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert "MC101" not in [rule.code for rule in PluginHost().rules]
    assert calls == ["loaded"]  # neither the disabled nor the switched-off host imported it
    monkeypatch.delenv("PLANCHECK_DISABLE_PLUGIN_AUTOLOAD")
    assert main(["--disable-plugin", "plancheck.checks.text", "rules"]) == 0
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
