"""Suppression comments, baselines, and batch runs (-j, --statistics, --output, progress)."""

import json
import sys

from plancheck.cli import main

from conftest import FIXTURES, codes, fixture_text, lint

DRAFT = FIXTURES.parents[2] / "examples" / "midorino-draft.txt"  # PC101 at 47, PC104 at 143


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def with_line_before(text: str, target: str, inserted: str) -> str:
    return text.replace(target, inserted + "\n" + target, 1)


# --- suppression comments ---------------------------------------------------------------------


def test_disable_silences_the_next_line_only():
    text = (
        fixture_text("midorino-2021.txt")
        .replace("2に同じ。", "〇〇に同じ。")
        .replace("特になし。", "●●")
    )
    assert [c for c, _ in codes(lint(text, select=["PC501"]))] == ["PC501", "PC501"]
    text = with_line_before(text, "〇〇に同じ。", "<!-- plancheck: disable=PC501 -->")
    findings = lint(text, select=["PC501", "PC002"])
    assert [(f.code, text.split("\n")[f.line - 1]) for f in findings] == [("PC501", "●●")]


def test_disable_file_and_prefixes():
    text = fixture_text("midorino-2016.txt").replace("重要業績評価指標", "重要事業評価指標")
    assert codes(lint(text, select=["PC503"]))
    silenced = "<!-- plancheck: disable-file=PC5 -->\n" + text
    assert lint(silenced, select=["PC5", "PC002"]) == []


def test_unused_suppression_is_reported_as_info():
    text = with_line_before(
        fixture_text("midorino-2021.txt"), "6 計画期間", "<!-- plancheck: disable=PC101 -->"
    )
    (finding,) = lint(text, select=["PC"])
    line = text.split("\n").index("<!-- plancheck: disable=PC101 -->") + 1
    assert (finding.code, finding.line, finding.severity) == ("PC002", line, "info")
    assert "PC101" in finding.message


def test_comment_does_not_change_the_outline():
    text = with_line_before(
        fixture_text("midorino-2017.txt"), "6 計画期間", "<!-- plancheck: disable=PC3 -->"
    )
    assert lint(text, select=["PC1"]) == []  # the comment line is blank to the parser


# --- baselines --------------------------------------------------------------------------------


def test_baseline_hides_known_findings_and_shows_new_ones(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_bytes(DRAFT.read_bytes())
    baseline = tmp_path / "baseline.json"
    code, out, _ = run(capsys, "check", "--write-baseline", baseline, plan)
    assert code == 1 and len(out.splitlines()) == 2
    assert [e["code"] for e in json.loads(baseline.read_text())["findings"]] == ["PC101", "PC104"]

    assert run(capsys, "check", "--baseline", baseline, plan)[:2] == (0, "")

    # lines added above move every finding; the baseline still matches them by their text
    text = "地域再生計画\n\n（修正版）\n" + plan.read_text(encoding="utf-8").split("\n", 1)[1]
    text = text.replace("2に同じ。", "〇〇に同じ。")
    plan.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "check", "--baseline", baseline, plan)
    assert code == 0 and [line.split()[1] for line in out.splitlines()] == ["PC501"]


def test_bad_baseline_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "b.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    code, _, err = run(capsys, "check", "--baseline", bad, DRAFT)
    assert code == 2 and "ベースラインを読み込めません" in err


# --- batches ----------------------------------------------------------------------------------


def make_batch(folder, count):
    texts = [DRAFT.read_text(encoding="utf-8"), fixture_text("midorino-2017.txt"), "議事録\n"]
    for index in range(count):
        (folder / f"plan-{index:03}.txt").write_text(texts[index % 3], encoding="utf-8")


def test_parallel_output_is_identical(tmp_path, capsys):
    make_batch(tmp_path, 24)
    serial = run(capsys, "check", "-j", "1", "--format", "json", tmp_path)
    parallel = run(capsys, "check", "-j", "2", "--format", "json", tmp_path)
    assert serial[:2] == parallel[:2]
    assert len(json.loads(serial[1])) == 8 * 2 + 8 * 6 + 8  # draft 2, 2017 fixture 6 infos, PC001


def test_statistics(tmp_path, capsys):
    make_batch(tmp_path, 6)
    _, out, _ = run(capsys, "check", "--statistics", tmp_path)
    assert out.splitlines() == [
        "    12\tPC304\tera-year-after-change",
        "     2\tPC001\tnot-a-plan",
        "     2\tPC101\tmissing-section",
        "     2\tPC104\tempty-section",
    ]


def test_output_file_and_no_progress_in_pipes(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    make_batch(tmp_path / "in", 9)
    target = tmp_path / "out.json"
    code, out, err = run(capsys, "check", "--format", "json", "--output", target, tmp_path / "in")
    assert out == "" and code == 1
    assert len(json.loads(target.read_text(encoding="utf-8"))) > 0
    assert "\x1b[" not in err  # no progress bar or colour when not on a terminal


def test_empty_folder_is_an_input_error(tmp_path, capsys):
    code, _, err = run(capsys, "check", tmp_path)
    assert code == 2 and "チェックできるファイル" in err


def test_progress_bar_only_on_a_terminal_for_text_batches(tmp_path, capsys, monkeypatch):
    many, few = tmp_path / "many", tmp_path / "few"
    many.mkdir()
    few.mkdir()
    make_batch(many, 8)
    make_batch(few, 3)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # capsys's stderr, seen as a terminal
    assert "\x1b[" in run(capsys, "check", "-j", "1", many)[2]  # rich drew (then removed) a bar
    for quiet in (["--no-progress"], ["--format", "json"], ["--quiet"]):
        assert "\x1b[" not in run(capsys, "check", "-j", "1", *quiet, many)[2]
    assert "\x1b[" not in run(capsys, "check", "-j", "1", few)[2]  # too few files for a bar
