"""Mistakes in use get one clear Japanese message and exit 2, never a silent run or Python's text:
unknown rule codes (options, configuration, suppression comments), unknown options, broken files
and ports; the summary counts unreadable files and what a baseline hid; suppression comments at
the end of a line and as Word comments."""

from __future__ import annotations

import io
import json
import socket
import zipfile

import docx
import pytest
import uvicorn
from docx_helper import build_docx

from plancheck import hookimpl
from plancheck.api.rule import Rule
from plancheck.cli import main
from plancheck.engine import selectors
from plancheck.engine.config import Settings
from plancheck.engine.linter import ConfigError, Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.parsing.directives import directives

from conftest import FIXTURES, codes, fixture_text, lint, lint_bytes

DRAFT = FIXTURES.parents[2] / "examples" / "midorino-draft.txt"  # PC101 at 47, PC104 at 143
PLAN = FIXTURES / "midorino-2021.txt"  # clean


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys, *argv) -> str:
    """The one line argparse's replacement prints (it exits 2 like argparse)."""
    with pytest.raises(SystemExit) as caught:
        main([str(a) for a in argv])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("plancheck: ")
    assert "usage:" not in err and "error:" not in err  # argparse's English is replaced
    return err


def assert_no_python(text: str) -> None:
    for internal in ("Traceback", "Error:", "Errno", "lxml", "<unicode string>"):
        assert internal not in text, text


# --- unknown codes and prefixes: an error naming them, never an empty run ---------------------


def test_unknown_code_in_select_names_it_and_the_nearest_real_code(capsys):
    code, out, err = run(capsys, "check", "--select", "PC530", PLAN)
    assert code == 2 and out == ""
    assert err == (
        "plancheck: --select: ルールコード「PC530」に当たるルールはありません。"
        "もしかして PC503 ですか？\n"
    )
    code, _, err = run(capsys, "check", "--lang", "en", "--select", "PC1,PC530", PLAN)
    assert code == 2 and "no rule has the code 'PC530'; did you mean PC503?" in err


@pytest.mark.parametrize(
    "option, value, named, nearest",
    [
        ("--ignore", "PX", "PX", "PC"),
        ("--extend-select", "pc501", "pc501", "PC501"),
        ("--severity", "PC1=error", "PC1", "PC101"),  # --severity takes whole codes
        ("--select", "XYZ", "XYZ", "`plancheck rules`"),  # nothing near: the list
    ],
)
def test_unknown_selectors_in_every_option(capsys, option, value, named, nearest):
    code, out, err = run(capsys, "check", option, value, PLAN)
    assert code == 2 and out == ""
    assert f"{option}: ルールコード「{named}」" in err and nearest in err


def test_real_codes_prefixes_and_all_are_accepted(capsys):
    code, _, err = run(capsys, "check", "--select", "ALL", "--ignore", "PC5,PC101", PLAN)
    assert code == 0, err
    assert run(capsys, "check", "--severity", "PC104=error", PLAN)[0] == 0


def test_unknown_code_in_the_configuration_file_names_the_file(tmp_path, capsys):
    config = tmp_path / "plancheck.yaml"
    config.write_text("select: [PC9]\n", encoding="utf-8")
    plan = tmp_path / "plan.txt"
    plan.write_bytes(PLAN.read_bytes())
    code, out, err = run(capsys, "check", plan)
    assert code == 2 and out == ""
    assert err.startswith(
        f"plancheck: {config}: select: ルールコード「PC9」に当たるルールはありません"
    )
    config = tmp_path / "sub" / "plancheck.yaml"  # configurations are read once per run
    config.parent.mkdir()
    config.write_text("per-file-ignores:\n  '*.txt': [PC7]\n", encoding="utf-8")
    plan = config.with_name("plan.txt")
    plan.write_bytes(PLAN.read_bytes())
    code, _, err = run(capsys, "check", plan)
    assert code == 2 and f"{config}: per-file-ignores: ルールコード「PC7」" in err


def test_a_configuration_in_a_subfolder_is_checked_before_the_batch(tmp_path, capsys):
    # files in worker processes: the mistake is found before any is checked, not in a worker
    for index in range(8):
        (tmp_path / f"plan{index}.txt").write_bytes(PLAN.read_bytes())
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "plan.txt").write_bytes(PLAN.read_bytes())
    (sub / ".plancheck.yaml").write_text("ignore: [PC53]\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "-j", "2", tmp_path)
    assert code == 2 and out == "" and "「PC53」" in err and err.count("\n") == 1


class PluginRule(Rule):
    """プラグインの規則 (a plugin's rule).

    Failing example::

        x

    Passing example::

        x
    """

    code = "MC101"
    name = "plugin-rule"
    needs_profile = False
    messages = {"default": {"ja": "（なし）", "en": "(none)"}}

    def check(self, plan, context):
        return iter(())


class Plugin:
    @hookimpl
    def plancheck_rules(self):
        return [PluginRule]


def test_known_codes_are_the_loaded_rules_plugins_included():
    with pytest.raises(ConfigError) as caught:
        Linter(Settings(select=["MC"]), PluginHost(load_entry_points=False))
    assert caught.value.values["code"] == "MC"
    host = PluginHost(load_entry_points=False, extra_plugins=[Plugin()])
    assert Linter(Settings(select=["MC", "PC1"], severity={"MC101": "info"}), host)


def test_nearest_by_edit_distance():
    codes_ = {"PC501", "PC502", "PC503", "PC101"}
    assert selectors.nearest_code("PC530", codes_) == ["PC503"]  # two letters swapped
    assert selectors.nearest_code("PX", codes_) == ["PC"]  # a prefix for a prefix
    assert selectors.nearest_code("pc502", codes_) == ["PC502"]
    assert selectors.nearest_code("QQQQQQ", codes_) == selectors.nearest_code("QQ", codes_) == []
    assert selectors.nearest("--selectt", ["--select", "--ignore"]) == ["--select"]


# --- suppression comments naming no rule's code ----------------------------------------------


def test_suppression_comment_with_an_unknown_code_is_an_error_on_its_line(tmp_path, capsys):
    text = fixture_text("midorino-2021.txt").replace(
        "2に同じ。", "〇〇に同じ。 <!-- plancheck: disable=PC530 -->"
    )
    line = text.split("\n").index("〇〇に同じ。 <!-- plancheck: disable=PC530 -->") + 1
    plan = tmp_path / "plan.txt"
    plan.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "check", "--select", "PC501", plan)
    assert code == 2
    assert f"{plan}:{line}:" in out and "PC005" in out
    assert "「PC530」に当たるルールはありません。もしかして PC503 ですか？" in out
    # whatever the selection and format: the finding is there, and the run exits 2
    code, out, _ = run(capsys, "check", "--ignore", "PC005", "--format", "json", plan)
    findings = json.loads(out)
    assert code == 2
    assert [(f["code"], f["line"]) for f in findings if f["code"] == "PC005"] == [("PC005", line)]


def test_all_and_prefixes_in_comments_are_fine(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    text = "<!-- plancheck: disable-file=PC5, all -->\n" + PLAN.read_text(encoding="utf-8")
    plan.write_text(text, encoding="utf-8")
    assert run(capsys, "check", plan)[0] == 0


# --- end-of-line suppression -------------------------------------------------------------------


def test_a_comment_at_the_end_of_a_line_silences_that_line():
    text = (
        fixture_text("midorino-2021.txt")
        .replace("2に同じ。", "〇〇に同じ。 <!-- plancheck: disable=PC501 -->")
        .replace("特になし。", "●●")
    )
    lines = text.split("\n")
    findings = lint(text, select=["PC501", "PC002"])
    assert codes(findings) == [("PC501", lines.index("●●") + 1)]  # the next line still counts
    (directive,) = directives(lines)
    assert directive.same_line and directive.silenced_line == directive.span.line


def test_a_comment_alone_on_its_line_still_silences_the_next():
    lines = ["<!-- plancheck: disable=PC501 --> <!-- plancheck: disable=PC503 -->", "〇〇"]
    assert [d.silenced_line for d in directives(lines)] == [2, 2]
    assert [d.silenced_line for d in directives(["〇〇 <!-- plancheck: disable=all -->"])] == [1]


def word_with_comment(text: str, anchored_in: str, comment: str | None) -> bytes:
    """The plan as a .docx, with a Word comment on the paragraph holding ``anchored_in``."""
    document = docx.Document(io.BytesIO(build_docx(text).data))
    if comment is not None:
        (paragraph,) = [p for p in document.paragraphs if anchored_in in p.text]
        document.add_comment(paragraph.runs, text=comment, author="審査担当")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_comment_on_a_paragraph_silences_it():
    text = fixture_text("midorino-2021.txt").replace("2に同じ。", "〇〇に同じ。")
    plain = word_with_comment(text, "〇〇に同じ。", None)
    ((code, line),) = codes(lint_bytes(plain, "plan.docx", select=["PC501"]))
    assert code == "PC501"
    commented = word_with_comment(text, "〇〇に同じ。", "plancheck: disable=PC501")
    assert lint_bytes(commented, "plan.docx", select=["PC501", "PC002"]) == []
    # a comment that is not a suppression is an ordinary remark; an unused one is PC002 there
    remark = word_with_comment(text, "〇〇に同じ。", "ここは後で直す")
    assert codes(lint_bytes(remark, "plan.docx", select=["PC501"])) == [("PC501", line)]
    unused = word_with_comment(text, "〇〇に同じ。", "plancheck: disable=PC503")
    findings = lint_bytes(unused, "plan.docx", select=["PC501", "PC503", "PC002"])
    assert sorted(codes(findings)) == [("PC002", line), ("PC501", line)]
    assert {f.place.paragraph for f in findings} == {line}


# --- files that cannot be used -----------------------------------------------------------------


def test_a_spreadsheet_renamed_docx_is_one_japanese_message(tmp_path, capsys):
    fake = tmp_path / "計画.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    fake.write_bytes(buffer.getvalue())
    code, out, err = run(capsys, "check", fake)
    assert code == 2 and out == ""
    assert f"{fake}: Word 文書（.docx）ではありません" in err and ".xlsx" in err
    assert_no_python(err)


@pytest.mark.parametrize(
    "name, content, place",
    [
        ("plancheck.yaml", "select: [PC1\nignore: x: y\n", ":2:7: "),
        ("plancheck.yaml", "select:\n  - PC1\n bad\n", ":3:2: "),
        ("pyproject.toml", "[tool.plancheck]\nselect = [PC1]\n", ":2:11: "),
    ],
)
def test_a_broken_configuration_says_file_line_and_column(tmp_path, capsys, name, content, place):
    config = tmp_path / name
    config.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "check", "--config", config, PLAN)
    assert code == 2 and out == ""
    assert err.startswith(f"plancheck: {config}{place}設定ファイルを読み込めません")
    assert err.count("\n") == 1
    assert_no_python(err)


def test_a_configuration_not_in_utf8(tmp_path, capsys):
    config = tmp_path / "plancheck.yaml"
    config.write_bytes("lang: 日本語\n".encode("cp932"))
    code, _, err = run(capsys, "check", "--config", config, PLAN)
    assert code == 2 and "UTF-8 で保存し直してください" in err
    assert_no_python(err)


def test_a_missing_baseline_file(tmp_path, capsys):
    missing = tmp_path / "baseline.json"
    code, out, err = run(capsys, "check", "--baseline", missing, PLAN)
    assert code == 2 and out == ""
    assert err == (
        f"plancheck: {missing}: ベースラインを読み込めません（ファイルがありません）。"
        f"先に --write-baseline {missing} で作ってください\n"
    )
    not_json = tmp_path / "other.json"
    not_json.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "check", "--baseline", not_json, PLAN)
    assert code == 2 and "plancheck のベースラインの形式ではありません" in err
    assert_no_python(err)


# --- the command line itself -------------------------------------------------------------------


def test_an_unknown_option_suggests_the_nearest(capsys):
    err = usage_error(capsys, "check", "--selectt", "PC1", PLAN)
    assert "オプション「--selectt」はありません。もしかして --select ですか？" in err
    assert "plancheck check --help" in err
    err = usage_error(capsys, "check", "--lang", "en", "--ignroe=PC1", PLAN)
    assert "no option '--ignroe'; did you mean --ignore?" in err
    # another command's option is no option of this one
    assert "「--port」はありません" in usage_error(capsys, "check", "--port", "1", PLAN)


def test_other_command_line_mistakes_are_japanese(capsys):
    assert "コマンド「chek」はありません" in usage_error(capsys, "chek", PLAN)
    assert "もしかして check ですか？" in usage_error(capsys, "chek", PLAN)
    assert "PATH を指定してください" in usage_error(capsys, "check")
    assert "-j/--jobs には値を指定してください" in usage_error(capsys, "check", "-j")
    assert "--fail-on に「fatal」は指定できません" in usage_error(
        capsys, "check", "--fail-on", "fatal", PLAN
    )
    assert "--port の値「abc」が正しくありません" in usage_error(capsys, "serve", "--port", "abc")
    assert "余分な引数があります: extra" in usage_error(capsys, "rules", "extra")


def test_serve_on_a_port_in_use_is_one_message(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append(options))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(capsys, "serve", "--port", port)
    assert code == 2 and started == [] and out == ""
    assert err == (
        f"plancheck: ポート {port} はほかのプログラムが使っています。"
        f"--port で別の番号（例: --port {port + 1}）を指定するか、そのプログラムを終了してください\n"
    )
    assert "ブラウザ" not in err


# --- the summary ------------------------------------------------------------------------------


def test_the_summary_counts_the_files_that_could_not_be_read(tmp_path, capsys):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    good = tmp_path / "plan.txt"
    good.write_bytes(PLAN.read_bytes())
    code, _, err = run(capsys, "check", good, DRAFT, binary)
    assert code == 2
    assert err.splitlines()[-1] == (
        "2 ファイル、2 件の指摘（エラー 1、警告 1、情報 0）。3 ファイル中 1 ファイルを読み込めませんでした"
    )
    _, _, err = run(capsys, "check", "--lang", "en", good, binary)
    assert err.splitlines()[-1].endswith("; 1 of 2 file(s) could not be read")
    _, _, err = run(capsys, "check", good)
    assert "読み込めませんでした" not in err


def test_the_summary_says_how_many_findings_the_baseline_hid(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_bytes(DRAFT.read_bytes())
    baseline = tmp_path / "baseline.json"
    assert run(capsys, "check", "--write-baseline", baseline, plan)[0] == 1
    code, out, err = run(capsys, "check", "--baseline", baseline, plan)
    assert (code, out) == (0, "")
    assert err.splitlines()[-1] == (
        "1 ファイル、0 件の指摘（エラー 0、警告 0、情報 0）。ベースラインにある 2 件は表示していません"
    )
    _, _, err = run(capsys, "check", plan)
    assert "ベースライン" not in err
