"""Installed with pip, the plugin is found through its entry point and the real report gets its
findings instead of PC001 (tox -e plugins runs these)."""

import json
import os
from importlib import metadata
from pathlib import Path

import pytest
from plancheck.cli import main
from plancheck.engine.plugin_host import PluginHost

try:
    VERSION = metadata.version("plancheck-tokku")
except metadata.PackageNotFoundError:
    pytestmark = pytest.mark.skip("plancheck-tokku is not installed (tox -e plugins installs it)")

ROOT = Path(__file__).resolve().parents[3]
CORPUS = Path(os.environ.get("PLANCHECK_SHARED", ROOT.parent / "shared")) / "corpus"
FIXTURE = Path(__file__).parent / "fixtures" / "midorino-tokku-2020.txt"


@pytest.fixture(autouse=True)
def autoload(monkeypatch):
    monkeypatch.delenv("PLANCHECK_DISABLE_PLUGIN_AUTOLOAD", raising=False)


def test_plugin_host_finds_the_entry_point():
    host = PluginHost()
    assert "tokku-evaluation" in host.profiles
    assert {"TK101", "TK201", "TK202", "TK203", "TK204"} <= {rule.code for rule in host.rules}
    assert host.load() == []


def test_plancheck_plugins_lists_rules_and_profile(capsys):
    assert main(["plugins"]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = f"tokku\t{VERSION}\tplugin\tTK101, TK201, TK202, TK203, TK204, tokku-evaluation"
    assert expected in lines


def test_real_report_gets_the_plugin_findings_instead_of_pc001(capsys):
    report = CORPUS / "tokku-keihin-evaluation-2020.txt"
    if not report.exists():
        pytest.skip(f"real corpus not available at {CORPUS} (set PLANCHECK_SHARED)")
    assert main(["check", "--format", "json", "--no-progress", str(report)]) == 1
    out = capsys.readouterr().out
    found = sorted((item["code"], item["line"]) for item in json.loads(out))
    # why each is a real inconsistency: see test_tokku_rules.py::test_real_report_findings
    assert found == [
        ("TK201", 303),
        ("TK202", 315),
        ("TK203", 60),
        ("TK203", 66),
        ("TK203", 72),
        ("TK203", 363),
    ]
    assert main(["--disable-plugin", "tokku", "check", "--no-progress", str(report)]) == 1
    assert "PC001" in capsys.readouterr().out


def test_autoload_switch_leaves_the_report_unrecognised(monkeypatch, capsys):
    monkeypatch.setenv("PLANCHECK_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert main(["check", "--no-progress", str(FIXTURE)]) == 1
    assert "PC001" in capsys.readouterr().out
