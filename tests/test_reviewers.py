"""What reviewers use on a batch: the CSV and Excel reports in their language, excluding files in
the configuration, --stdin-filename, and -j sharing a batch with this process."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from docx_helper import build_docx
from openpyxl import load_workbook

from plancheck.api.results import FileResult, Place
from plancheck.api.rule import Finding
from plancheck.cli import main
from plancheck.engine import batch, config
from plancheck.engine.config import Settings, SettingsResolver
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.output import Report
from plancheck.output.csv import BOM

from conftest import FIXTURES, fixture_text

HOST = PluginHost(load_entry_points=False)
DRAFT = FIXTURES.parents[2] / "examples" / "midorino-draft.txt"
PLACE = Place(page=3, table=2, row=4, heading="5-2 ⑧ 事業実施期間", quote="KPI2")
WORD_FINDING = Finding(
    "計画.docx", 7, 1, "PC302", 7, 5, "invalid-date", "error", "存在しない日付", place=PLACE
)


def render(name: str, results: list[FileResult], lang: str) -> str | bytes:
    return HOST.formats[name](results, Report(lang=lang, rules=tuple(HOST.rules)))


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix(BOM))))


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


# --- csv: headers and severities in the user's language, places as columns --------------------


def test_csv_headers_and_severities_follow_the_language():
    results = [FileResult("計画.docx", "chiiki-saisei-2021", [WORD_FINDING])]
    japanese = csv_rows(render("csv", results, "ja"))
    english = csv_rows(render("csv", results, "en"))
    assert japanese[0][:3] == ["ファイル", "行", "桁"] and "重大度" in japanese[0]
    assert english[0][:10] == [  # the names scripts read stay as they were
        *("path", "line", "column", "end_line", "end_column"),
        *("code", "rule", "severity", "message", "profile"),
    ]
    assert japanese[1][japanese[0].index("重大度")] == "エラー"
    assert english[1][english[0].index("severity")] == "error"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_csv_places_are_described_and_sortable(lang):
    rows = csv_rows(render("csv", [FileResult("計画.docx", None, [WORD_FINDING])], lang))
    header = dict(zip(rows[0][-5:], rows[1][-5:], strict=True))
    assert list(header.values()) == [PLACE.describe(lang), "3", "2", "4", ""]
    assert PLACE.describe(lang) in rows[1]


def test_csv_of_the_command_line_is_in_japanese_by_default(capsys):
    _, out, _ = run(capsys, "check", "--format", "csv", DRAFT)
    rows = csv_rows(out)
    assert rows[0][0] == "ファイル" and {row[7] for row in rows[1:]} == {"エラー", "警告"}
    _, out, _ = run(capsys, "check", "--format", "csv", "--lang", "en", DRAFT)
    assert csv_rows(out)[0][0] == "path"


# --- xlsx -----------------------------------------------------------------------------------------


def make_folder(folder: Path) -> dict[str, Path]:
    folder.mkdir(exist_ok=True)
    plans = {
        "clean": folder / "a-clean.txt",
        "draft": folder / "b-draft.txt",
        "scan": folder / "c-scan.doc",
    }
    plans["clean"].write_text(fixture_text("midorino-2021.txt"), encoding="utf-8")
    plans["draft"].write_text(DRAFT.read_text(encoding="utf-8"), encoding="utf-8")
    plans["scan"].write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    return plans


@pytest.mark.parametrize(
    ("lang", "sheets", "summary_header", "finding_header"),
    [
        (
            "ja",
            ["ファイル別の集計", "指摘一覧"],
            ["ファイル", "様式", "エラー", "警告", "情報", "最も重い指摘"],
            ["ファイル", "行", "桁", "文書内の位置", "ページ", "表", "表の行", "段落"]
            + ["コード", "ルール名", "重大度", "内容", "該当行の原文"],
        ),
        (
            "en",
            ["Summary", "Findings"],
            ["path", "profile", "errors", "warnings", "infos", "worst finding"],
            ["path", "line", "column", "place", "page", "table", "row", "paragraph"]
            + ["code", "rule", "severity", "message", "source line"],
        ),
    ],
)
def test_xlsx_workbook(tmp_path, capsys, lang, sheets, summary_header, finding_header):
    plans = make_folder(tmp_path / "plans")
    target = tmp_path / "report.xlsx"
    code, out, err = run(
        capsys, "check", "--format", "xlsx", "--lang", lang, "-o", target, tmp_path / "plans"
    )
    assert code == 2 and out == ""  # the .doc cannot be read
    book = load_workbook(target)
    assert book.sheetnames == sheets
    summary, findings = book[sheets[0]], book[sheets[1]]
    for sheet, header in ((summary, summary_header), (findings, finding_header)):
        assert [cell.value for cell in sheet[1]] == header
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
        assert all(sheet.column_dimensions[letter].width >= 6 for letter in "ABCDEF")
    rows = list(summary.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [str(plans[name]) for name in ("clean", "draft", "scan")]
    assert rows[0][1:5] == ("chiiki-saisei-2021", 0, 0, 0)
    assert rows[1][2:5] == (1, 1, 0)  # the draft: PC101 (error), PC104 (warning)
    assert rows[1][5].startswith(("エラー PC101", "error PC101"))
    assert rows[2][2] is None and "c-scan.doc" in rows[2][5]
    # the path column as wide as the longest path, up to the widest a column is made
    assert summary.column_dimensions["A"].width == min(len(str(plans["draft"])) + 2, 60)
    assert findings.column_dimensions["B"].width == 6  # line numbers: narrow
    found = list(findings.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[8]) for row in found] == [(str(plans["draft"]), "PC101")] + [
        (str(plans["draft"]), "PC104")
    ]
    lines = plans["draft"].read_text(encoding="utf-8").splitlines()
    assert [row[-1] for row in found] == [lines[row[1] - 1] for row in found]
    assert found[0][10] == ("エラー" if lang == "ja" else "error")


def test_xlsx_places_formulas_and_control_characters(tmp_path):
    odd = Finding("=HYPERLINK(1)", 2, 1, "PC999", 2, 2, "odd", "warning", "@SUM(A1)")
    results = [
        FileResult("計画.docx", "chiiki-saisei-2021", [WORD_FINDING], source_lines={7: "a\x0cb"}),
        FileResult("=HYPERLINK(1)", None, [odd]),
    ]
    target = tmp_path / "r.xlsx"
    data = render("xlsx", results, "ja")
    assert isinstance(data, bytes)
    target.write_bytes(data)
    findings = load_workbook(target)["指摘一覧"]
    rows = list(findings.iter_rows(min_row=2))
    assert rows[0][0].value == "=HYPERLINK(1)" and rows[0][0].data_type == "s"  # not a formula
    assert rows[0][11].value == "@SUM(A1)"
    word = [cell.value for cell in rows[1]]
    assert word[3:8] == [PLACE.describe("ja"), 3, 2, 4, None]
    assert word[-1] == "a\ufffdb"  # a form feed cannot be in a workbook


def test_xlsx_is_refused_on_a_terminal(capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run(capsys, "check", "--format", "xlsx", DRAFT)
    assert code == 2 and out == ""
    assert "-o" in err and "バイナリ" in err and "Traceback" not in err


def test_xlsx_is_written_to_a_pipe_as_it_is(capsysbinary):
    assert main(["check", "--format", "xlsx", str(DRAFT)]) == 1
    data = capsysbinary.readouterr().out
    assert data.startswith(b"PK")  # a zip: the workbook's bytes, unchanged
    assert load_workbook(io.BytesIO(data)).sheetnames == ["ファイル別の集計", "指摘一覧"]


def test_check_starts_without_openpyxl():
    script = (
        "import sys; from plancheck.cli import main; "
        f"main(['check', '-q', '--exit-zero', {str(DRAFT)!r}]); "
        "print('openpyxl' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


# --- exclude / extend-exclude ---------------------------------------------------------------------


def write_config(path: Path, text: str) -> None:
    """A configuration file, read afresh (the run caches what it read)."""
    path.write_text(text, encoding="utf-8")
    config.read_config_file.cache_clear()
    config.find_config.cache_clear()


def checked_paths(capsys, *args) -> list[str]:
    code, out, err = run(capsys, "check", "--format", "json", "--exit-zero", *args)
    assert code in (0, 2), err
    return sorted({Path(finding["path"]).name for finding in json.loads(out)})


def exclusion_tree(root: Path) -> None:
    (root / "下書き").mkdir(parents=True)
    (root / "archive" / "2019").mkdir(parents=True)
    (root / "archive" / "2020").mkdir(parents=True)
    for path in (
        root / "a.txt",
        root / "b_old.txt",
        root / "下書き" / "c.txt",
        root / "archive" / "2019" / "d.txt",
        root / "archive" / "2020" / "e.txt",
    ):
        path.write_text(DRAFT.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "~$a.docx").write_bytes(b"\x05lock file of Word")


def test_exclude_and_extend_exclude_from_the_configuration(tmp_path, capsys, monkeypatch):
    exclusion_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    # by default only Word's lock file is left out (it cannot be read: exit 2 otherwise)
    assert checked_paths(capsys, ".") == ["a.txt", "b_old.txt", "c.txt", "d.txt", "e.txt"]
    write_config(
        tmp_path / "plancheck.yaml", 'extend-exclude: ["下書き", "*_old.txt", "archive/2019"]\n'
    )
    assert checked_paths(capsys, ".") == ["a.txt", "e.txt"]
    assert checked_paths(capsys, "archive") == ["e.txt"]  # relative to the configuration file
    # a file named on the command line is checked all the same (as in ruff)
    assert checked_paths(capsys, "b_old.txt", "下書き") == ["b_old.txt", "c.txt"]
    # exclude replaces the defaults: the lock file is found, and cannot be read
    write_config(tmp_path / "plancheck.yaml", 'exclude: ["archive/*"]\n')
    code, out, err = run(capsys, "check", "--format", "json", ".")
    assert code == 2 and "~$a.docx" in err
    assert {Path(f["path"]).name for f in json.loads(out)} == {"a.txt", "b_old.txt", "c.txt"}


def test_exclude_shown_in_the_settings_and_checked_by_the_schema(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.txt").write_text("x\n", encoding="utf-8")
    write_config(tmp_path / "plancheck.yaml", 'extend-exclude: ["old"]\n')
    _, out, _ = run(capsys, "check", "--show-settings", "plan.txt")
    assert 'extend-exclude = ["old"]' in out and '"~$*"' in out
    write_config(tmp_path / "plancheck.yaml", "exclude: old\n")
    code, _, err = run(capsys, "check", "plan.txt")
    assert code == 2 and "exclude" in err and "Traceback" not in err


def test_excluded_matches_names_and_paths_from_the_configuration(tmp_path):
    settings = Settings(extend_exclude=("*.bak.txt", "old/*.txt"), root=tmp_path)
    assert settings.excluded(tmp_path / "x" / "plan.bak.txt")
    assert settings.excluded(tmp_path / "old" / "a.txt")
    assert not settings.excluded(tmp_path / "x" / "old" / "a.txt")  # not from the root
    assert not settings.excluded(tmp_path / "plan.txt")
    assert settings.excluded(tmp_path / ".git")  # the defaults
    assert not Settings(exclude=()).excluded(tmp_path / ".git")


# --- --stdin-filename -------------------------------------------------------------------------------


def stdin_of(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_filename_names_the_plan_and_finds_its_configuration(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    write_config(
        tmp_path / "sub" / "plancheck.yaml", 'per-file-ignores: {"draft-*.txt": ["PC104"]}\n'
    )
    stdin_of(monkeypatch, DRAFT.read_bytes())
    code, out, _ = run(
        capsys, "check", "--format", "json", "--stdin-filename", "sub/draft-1.txt", "-"
    )
    findings = json.loads(out)
    assert code == 1
    assert [(f["path"], f["code"]) for f in findings] == [("sub/draft-1.txt", "PC101")]
    stdin_of(monkeypatch, DRAFT.read_bytes())
    _, out, _ = run(capsys, "check", "--show-settings", "--stdin-filename", "sub/d.txt", "-")
    assert "sub/plancheck.yaml" in out


def test_stdin_filename_gives_the_file_type(capsys, monkeypatch):
    stdin_of(monkeypatch, build_docx(DRAFT.read_text(encoding="utf-8")).data)
    code, out, err = run(capsys, "check", "--format", "json", "--stdin-filename", "計画.docx", "-")
    assert code == 1, err
    findings = json.loads(out)
    assert {f["path"] for f in findings} == {"計画.docx"}
    assert all("paragraph" in f for f in findings)  # read as Word, with paragraph numbers


def test_stdin_filename_needs_standard_input(capsys):
    code, out, err = run(capsys, "check", "--stdin-filename", "a.txt", DRAFT)
    assert code == 2 and out == "" and "--stdin-filename" in err and "Traceback" not in err


# --- -j: this process takes part, forked workers reuse its linter ------------------------------


def plan_batch(folder: Path, count: int) -> list[str]:
    texts = [DRAFT.read_text(encoding="utf-8"), fixture_text("midorino-2017.txt")]
    for index in range(count):
        (folder / f"plan-{index:03}.txt").write_text(texts[index % 2], encoding="utf-8")
    return list(batch.plan_files([str(folder)]))


def test_the_parent_process_checks_part_of_a_parallel_batch(tmp_path, monkeypatch):
    paths = plan_batch(tmp_path, 24)
    linter = Linter(host=HOST, resolver=SettingsResolver({}))
    here: list[str] = []
    original = batch.check_one

    def recorded(linter, path, stdin_name=None):
        here.append(path)  # in a worker, this list is the worker's copy
        return original(linter, path, stdin_name)

    monkeypatch.setattr(batch, "check_one", recorded)
    advanced: list[tuple[int, bool]] = []
    progress = lambda n: advanced.append((n, threading.current_thread() is threading.main_thread()))  # noqa: E731
    results = batch.run(linter, paths, 2, {}, None, progress)
    assert [result.path for result in results] == paths
    serial = [linter.check_file(Path(path)) for path in paths]
    assert [r.findings for r in results] == [r.findings for r in serial]
    assert 0 < len(set(here)) < len(paths)  # this process took chunks; a worker the others
    assert sum(n for n, _ in advanced) == len(paths)
    assert {main_thread for _, main_thread in advanced} == {True, False}


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="only forked workers inherit"
)
def test_forked_workers_do_not_load_the_plugins_again(tmp_path, monkeypatch):
    paths = plan_batch(tmp_path, 24)
    linter = Linter(host=HOST, resolver=SettingsResolver({}))

    def no_second_host(*args, **kwargs):
        os._exit(3)  # a worker that loads the plugins again dies: the pool breaks

    monkeypatch.setattr(batch, "PluginHost", no_second_host)
    results = batch.run(linter, paths, 3, {}, None)
    assert [result.path for result in results] == paths


# --- the web API's download ---------------------------------------------------------------------


def test_web_api_sends_the_workbook(tmp_path, monkeypatch):
    import warnings

    from plancheck.web import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette's note about httpx
        from starlette.testclient import TestClient

    monkeypatch.chdir(tmp_path)
    client = TestClient(create_app(), base_url="http://127.0.0.1:8000")
    response = client.post(
        "/api/check?format=xlsx&lang=en",
        files={"file": ("draft.txt", DRAFT.read_bytes(), "text/plain")},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "draft.plancheck.xlsx" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert [row[8] for row in book["Findings"].iter_rows(min_row=2, values_only=True)] == [
        "PC101",
        "PC104",
    ]
