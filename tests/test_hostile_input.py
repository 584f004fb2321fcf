"""Hostile input never gives a silent wrong answer, a traceback or the wrong exit code (issue 12,
points 1 and 6): numbers Decimal cannot handle, a rule that raises, an unexpected exception, a
stray control character."""

import io
import os
import subprocess
import sys

import pytest

from plancheck import Rule, Settings, hookimpl
from plancheck.api.errors import InputError
from plancheck.cli import main
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.reading.source import read_stream

from conftest import FIXTURES, codes, fixture_text, lint

KPI_ROW = "KPI①\t0.00\t800.00\t1,200.00\t1,500.00\t-\t-\t3,500.00"


def kpi_plan(row: str) -> str:
    text = fixture_text("midorino-2021.txt")
    assert KPI_ROW in text
    return text.replace(KPI_ROW, row)


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if fragment in line)


@pytest.mark.parametrize(
    "cell",
    [
        "1" * 30,  # 30 significant digits: Decimal could not quantize the sum
        "123,456,789,012,345,678,901,234,567,890.00",
        "0." + "0" * 40 + "1",
    ],
)
def test_a_number_with_too_many_digits_is_pc202_not_a_skipped_pc201(cell):
    text = kpi_plan(f"KPI①\t0.00\t800.00\t{cell}\t1,500.00\t-\t-\t3,500.00")
    findings = lint(text, select=["PC0", "PC2"])
    assert codes(findings) == [("PC202", line_of(text, cell))]
    assert "桁数が多すぎます（18 桁まで）" in findings[0].message
    assert len(findings[0].message) < 200  # the user's value is quoted, not echoed whole


def test_an_exponent_is_not_a_number():
    text = kpi_plan("KPI①\t0.00\t800.00\t1e400\t1,500.00\t-\t-\t3,500.00")
    findings = lint(text, select=["PC0", "PC2"])
    assert [(f.code, "数値ではありません" in f.message) for f in findings] == [("PC202", True)]


def test_a_total_of_many_digits_still_gets_its_sum_checked_when_plausible():
    # 18 digits each: the sum is exact, the mismatch is found, nothing raises
    big = "999,999,999,999,999,999"
    text = kpi_plan(f"KPI①\t0\t{big}\t{big}\t0\t-\t-\t1")
    assert [f.code for f in lint(text, select=["PC0", "PC201"])] == ["PC201"]


class Crashing(Rule):
    """A plugin rule that raises (テスト用).

    Failing example::

        x

    Passing example::

        y
    """

    code = "ZZ101"
    name = "crashing"
    messages = {"default": {"ja": "x", "en": "x"}}

    def check(self, plan, context):
        raise ZeroDivisionError("division by zero in a plugin")


class CrashingPlugin:
    @hookimpl
    def plancheck_rules(self):
        return [Crashing]


def test_a_rule_that_raises_is_an_internal_error_finding():
    host = PluginHost(load_entry_points=False, extra_plugins=(CrashingPlugin(),))
    text = fixture_text("midorino-2021.txt")
    result = Linter(Settings(), host).check_bytes(text.encode(), "p.txt")
    assert [(f.code, f.line, f.severity) for f in result.findings] == [("PC000", 1, "error")]
    assert (
        "ZZ101" in result.findings[0].message and "ZeroDivisionError" in result.findings[0].message
    )


def test_an_internal_error_ends_the_check_with_exit_2(monkeypatch, capsys):
    # a clean plan with a failing rule: exit 2, never 0 (a pass) nor 1 (ordinary findings)
    original = PluginHost.__init__

    def with_crashing(self, **options):
        original(self, **options, extra_plugins=(CrashingPlugin(),))

    monkeypatch.setattr(PluginHost, "__init__", with_crashing)
    code = main(["check", str(FIXTURES / "midorino-2021.txt")])
    out = capsys.readouterr().out
    assert code == 2 and "PC000" in out


def test_a_silenced_internal_error_still_ends_with_exit_2(monkeypatch, capsys, tmp_path):
    # ignoring PC000 hides the finding, not the fact that a check did not run
    original = PluginHost.__init__

    def with_crashing(self, **options):
        original(self, **options, extra_plugins=(CrashingPlugin(),))

    monkeypatch.setattr(PluginHost, "__init__", with_crashing)
    plan = tmp_path / "plan.txt"
    text = fixture_text("midorino-2021.txt")
    plan.write_text("<!-- plancheck: disable-file=PC000 -->\n" + text, encoding="utf-8")
    result = Linter(Settings(), PluginHost()).check_file(plan)
    assert result.findings == [] and result.failed_rules == ["ZZ101"]
    assert main(["check", "--ignore", "PC000", str(FIXTURES / "midorino-2021.txt")]) == 2


def test_an_unexpected_exception_is_one_line_and_exit_2(monkeypatch, capsys):
    def explode(*args, **kwargs):
        raise RuntimeError("x" * 5000)

    monkeypatch.setattr("plancheck.engine.batch.run", explode)
    code = main(["check", str(FIXTURES / "midorino-2021.txt")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(
        "plancheck: 内部エラーのため中止しました（RuntimeError"
    )
    assert len(err) < 500  # the exception text is cut, never echoed whole


@pytest.mark.parametrize("char", ["\x1a", "\x07", "\x1f", "\x08"])
def test_a_single_control_character_is_a_finding_on_its_line(char):
    text = fixture_text("midorino-2021.txt").replace(
        "架空県みどり野市の全域", f"架空県みどり野市{char}の全域"
    )
    findings = lint(text)
    assert [(f.code, f.line, f.column) for f in findings] == [
        ("PC004", line_of(text, "の全域"), len("架空県みどり野市") + 1)
    ]
    assert f"U+{ord(char):04X}" in findings[0].message


def test_many_control_characters_are_a_binary_file():
    text = fixture_text("midorino-2021.txt") + "\x01\x02" * 500
    result = Linter(Settings()).check_bytes(text.encode(), "p.txt")
    assert result.error is not None and "バイナリ" in result.error


# --- configuration, baseline and special files (point 5) ----------------------------------------

ALIAS_BOMB = "\n".join(
    [f"a0: &a0 [{', '.join(['lol'] * 9)}]"]
    + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    + ["select: [*a8]", ""]
)


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("plancheck.yaml", "select: " + "[" * 500 + "]" * 500 + "\n", "nested more than 20"),
        (
            "plancheck.yaml",
            "plugins:\n" + "".join(f"{' ' * n}k{n}:\n" for n in range(1, 500)),
            "nested",
        ),
        ("plancheck.yaml", ALIAS_BOMB, "aliases"),
        ("pyproject.toml", "[tool.plancheck]\nselect = " + "[" * 500 + "]" * 500 + "\n", "nested"),
        ("plancheck.yaml", "select: [" + "PC9" * 100_000 + "]\n", "…"),
    ],
)
def test_a_hostile_configuration_is_one_short_message(tmp_path, capsys, name, content, problem):
    (tmp_path / name).write_text(content, encoding="utf-8")
    plan = tmp_path / "plan.txt"
    plan.write_text(fixture_text("midorino-2021.txt"), encoding="utf-8")
    code = main(["check", str(plan)])  # the file is found from the plan's folder
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"plancheck: {tmp_path / name}: ") and problem in err
    assert err.count("\n") == 1 and len(err) < 600


def test_a_hostile_baseline_is_one_short_message(tmp_path, capsys):
    deep = tmp_path / "baseline.json"
    deep.write_text("[" * 1000 + "]" * 1000, encoding="utf-8")
    huge_version = tmp_path / "version.json"
    huge_version.write_text('{"version": "' + "9" * 100_000 + '"}', encoding="utf-8")
    for baseline in (deep, huge_version):
        code = main(["check", "--baseline", str(baseline), str(FIXTURES / "midorino-2021.txt")])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and len(err) < 600
        assert "ベースラインを読み込めません" in err


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    # a special file must not hang the run: a regression fails on the timeout instead
    return subprocess.run(
        [sys.executable, "-m", "plancheck", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_devices_and_fifos_are_refused_without_reading_them(tmp_path):
    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    os.mkfifo(tmp_path / "baseline.fifo")
    for argv in (
        ("check", "/dev/zero"),
        ("check", str(fifo)),
        ("parse", str(fifo)),
        ("check", "--config", "/dev/zero", str(FIXTURES / "midorino-2021.txt")),
        (
            "check",
            "--baseline",
            str(tmp_path / "baseline.fifo"),
            str(FIXTURES / "midorino-2021.txt"),
        ),
    ):
        proc = run_cli(*argv)
        assert proc.returncode == 2, argv
        assert "通常のファイルではありません" in proc.stderr or "not a regular file" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_standard_input_is_read_up_to_its_limit():
    assert read_stream(io.BytesIO(b"x" * 100), "-", limit=100) == b"x" * 100
    with pytest.raises(InputError) as caught:
        read_stream(io.BytesIO(b"x" * 101), "-", limit=100)
    assert caught.value.message_key == "file_too_large"


def test_many_sections_out_of_order_are_reported_in_linear_time():
    # PC102 once compared every misplaced section with every other: 10,000 took 10 s
    misplaced = "".join(
        f"5 地域再生を図るために行う事業\n\n1 地域再生計画の名称\n\n{n}\n\n" for n in range(15_000)
    )
    text = fixture_text("midorino-2021.txt") + misplaced
    code = (
        "import sys; from plancheck import Settings; from plancheck.engine.linter import Linter; "
        "r = Linter(Settings(select=['PC102'])).check_bytes(sys.stdin.buffer.read(), 'p.txt'); "
        "print(len(r.findings))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], input=text.encode(), capture_output=True, timeout=60
    )
    assert int(proc.stdout) >= 15_000
