"""Installed with pip, the plugin is found through its entry point (tox -e plugins runs these)."""

from importlib import metadata

import pytest
from plancheck.cli import main
from plancheck.engine.plugin_host import PluginHost

try:
    VERSION = metadata.version("plancheck-mycity")
except metadata.PackageNotFoundError:
    pytestmark = pytest.mark.skip("plancheck-mycity is not installed (tox -e plugins installs it)")

PLAN_WITH_SLIPS = """地域再生計画
1 地域再生計画の名称
みどりの市子育て世帯の移住・定住促進計画
2 地域再生計画の作成主体の名称
架空県みどり野市
3 地域再生計画の区域
架空県みどり野市の全域
"""


def test_plugin_host_finds_the_entry_point(monkeypatch):
    monkeypatch.delenv("PLANCHECK_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    host = PluginHost()
    assert [name for name, _ in host.manager.list_name_plugin() if name == "mycity"] == ["mycity"]
    assert {"MC101", "MC201", "MC301"} <= {rule.code for rule in host.rules}
    assert host.load() == []  # rules.yaml is valid and the codes clash with nobody's


def test_plancheck_plugins_lists_name_version_and_rules(monkeypatch, capsys):
    monkeypatch.delenv("PLANCHECK_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    assert main(["plugins"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"mycity\t{VERSION}\tplugin\tMC101, MC201, MC301" in lines


def test_disable_plugin_and_autoload_switch(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("PLANCHECK_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN_WITH_SLIPS, encoding="utf-8")
    main(["check", "--select", "MC", "--no-progress", str(plan)])
    assert "MC301" in capsys.readouterr().out
    main(["--disable-plugin", "mycity", "check", "--select", "MC", "--no-progress", str(plan)])
    assert "MC301" not in capsys.readouterr().out
    monkeypatch.setenv("PLANCHECK_DISABLE_PLUGIN_AUTOLOAD", "1")
    main(["check", "--select", "MC", "--no-progress", str(plan)])
    assert "MC301" not in capsys.readouterr().out
