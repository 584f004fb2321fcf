"""Shared test helpers: where the fixture plans and the real corpus live, and a linting shortcut."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from plancheck.engine.config import Settings
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "plans"
SHARED = Path(os.environ.get("PLANCHECK_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"

REAL_PLANS = (
    "plan-chiba-medtech-2016.txt",
    "plan-sapporo-medical-2017.txt",
    "plan-yokohama-healthcare-2021.txt",
    "plan-yokohama-global-2023.txt",
)


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"real corpus not available at {CORPUS} (set PLANCHECK_SHARED)")
    return path


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


_HOST = PluginHost(load_entry_points=False)


def lint(text: str, path: str = "plan.txt", **settings) -> list:
    """Findings for ``text`` with the built-in plugins only (installed plugins stay out)."""
    return lint_bytes(text.encode("utf-8"), path, **settings)


def lint_bytes(data: bytes, path: str = "plan.txt", **settings) -> list:
    """Findings for a file's bytes (any encoding), built-in plugins only."""
    return Linter(Settings(**settings), _HOST).check_bytes(data, path).findings


def codes(findings) -> list[tuple[str, int]]:
    return [(finding.code, finding.line) for finding in findings]


# The page and API tests share one defective plan (tests/test_web.py, tests/test_web_browser.py).
XSS = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 1">'


def web_defect_plan() -> str:
    """The 2021 fixture with a wrong 累計 (PC201, line 41), no 5-1 (PC101, line 49), a
    non-official term (PC503, line 113) and markup on line 19 that must show as text."""
    text = fixture_text("midorino-2021.txt")
    for old, new in (
        (
            "KPI②\t0.00\t15.00\t20.00\t25.00\t-\t-\t60.00",
            "KPI②\t0.00\t15.00\t20.00\t25.00\t-\t-\t61.00",
        ),
        ("5-1 全体の概要\n\n", ""),
        ("重要業績評価指標", "重要事業評価指標"),
        ("・みどり野市の人口は", f"・{XSS}みどり野市の人口は"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    return text


# Hypothesis: a modest budget in CI, a longer one locally with HYPOTHESIS_PROFILE=long.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
