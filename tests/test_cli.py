"""The command line: output formats, exit codes 0/1/2, stdin, directories, errors without tracebacks."""

import json
import subprocess
import sys

import jsonschema
import pytest

from plancheck import __version__
from plancheck.api import resources
from plancheck.cli import main

from conftest import CORPUS, FIXTURES, corpus_file

DRAFT = FIXTURES.parents[2] / "examples" / "midorino-draft.txt"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_plan_exits_0(capsys):
    code, out, err = run(capsys, "check", str(FIXTURES / "midorino-2021.txt"))
    assert (code, out) == (0, "")
    assert "0 件の指摘" in err


def test_findings_exit_1_with_path_line_col_code(capsys):
    code, out, _ = run(capsys, "check", str(DRAFT))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{DRAFT}:47:1: PC101 [error] ")


def test_exit_zero_and_fail_on(capsys):
    assert run(capsys, "check", "--exit-zero", str(DRAFT))[0] == 0
    # only a warning left once PC101 is ignored: not a failure at the default level …
    assert run(capsys, "check", "--ignore", "PC101", str(DRAFT))[0] == 0
    # … but one with --fail-on warning
    assert run(capsys, "check", "--ignore", "PC101", "--fail-on", "warning", str(DRAFT))[0] == 1


def test_severity_override(capsys):
    _, out, _ = run(capsys, "check", "--severity", "PC104=error", "--select", "PC104", str(DRAFT))
    assert "PC104 [error]" in out


def test_bad_severity_is_a_usage_error(capsys):
    code, out, err = run(capsys, "check", "--severity", "PC104=fatal", str(DRAFT))
    assert code == 2 and out == ""
    assert "PC104=fatal" in err and "Traceback" not in err


def test_json_output_matches_its_schema(capsys):
    code, out, _ = run(capsys, "check", "--format", "json", str(DRAFT))
    findings = json.loads(out)
    jsonschema.validate(findings, resources.load_schema("findings.schema.json"))
    assert code == 1
    assert [(f["code"], f["line"]) for f in findings] == [("PC101", 47), ("PC104", 143)]
    assert findings[0]["profile"] == "chiiki-saisei-2021"


def test_english_messages_and_summary(capsys):
    _, out, err = run(capsys, "check", "--lang", "en", str(DRAFT))
    assert "Section '5-1 全体の概要' is missing" in out
    assert "2 finding(s)" in err


def test_directory_is_checked_recursively_and_sorted(capsys, tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.md").write_text("議事録\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("メモ\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00")
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert [line.split(":")[0] for line in out.splitlines()] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "z.md"),
    ]
    assert code == 1


def test_unreadable_file_is_exit_2_but_the_batch_goes_on(capsys, tmp_path):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    code, out, err = run(capsys, "check", str(binary), str(DRAFT), str(tmp_path / "missing.txt"))
    assert code == 2
    assert "PC101" in out  # the good file was still checked
    assert "バイナリファイル" in err and "見つかりません" in err
    assert "Traceback" not in err


def test_unknown_profile_and_format_are_usage_errors(capsys):
    code, _, err = run(capsys, "check", "--profile", "nope", str(DRAFT))
    assert code == 2 and "chiiki-saisei-2021" in err
    code, _, err = run(capsys, "check", "--format", "yaml", str(DRAFT))
    assert code == 2 and "text" in err


def test_stdin_and_cp932_through_a_real_process():
    data = DRAFT.read_text(encoding="utf-8").replace("\n", "\r\n").encode("cp932")
    proc = subprocess.run(
        [sys.executable, "-m", "plancheck", "check", "-"], input=data, capture_output=True
    )
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines()[0].startswith("-:47:1: PC101")


def test_binary_stdin_gives_one_clear_error_and_exit_2():
    proc = subprocess.run(
        [sys.executable, "-m", "plancheck", "check", "-"],
        input=bytes(range(256)),
        capture_output=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.decode().count("\n") == 2  # the error line and the summary line
    assert "Traceback" not in proc.stderr.decode()


def test_usage_error_exit_2():
    proc = subprocess.run([sys.executable, "-m", "plancheck", "check"], capture_output=True)
    assert proc.returncode == 2


def test_parse_outline_text(capsys):
    code, out, _ = run(capsys, "parse", str(FIXTURES / "midorino-2017.txt"))
    assert code == 0
    assert "   44    5-2 第5章の特別の措置を適用して行う事業" in out.splitlines()
    assert "   64        【自立性】" in out.splitlines()


def test_parse_outline_json_matches_schema(capsys):
    path = corpus_file("plan-yokohama-healthcare-2021.txt")
    code, out, _ = run(capsys, "parse", "--format", "json", str(path))
    data = json.loads(out)
    jsonschema.validate(data, resources.load_schema("outline.schema.json"))
    assert data["profile"] == "chiiki-saisei-2021"
    five = next(node for node in data["children"] if node.get("number") == "5")
    five_two = next(node for node in five["children"] if node.get("number") == "5-2")
    fourth = next(node for node in five_two["children"] if node.get("number") == "④")
    assert {"kind": "label", "label": "自立性", "line": 80, "children": []} in fourth["children"]


def test_parse_missing_file_is_exit_2(capsys):
    code, _, err = run(capsys, "parse", "no-such-plan.txt")
    assert code == 2 and "no-such-plan.txt" in err


def test_rules_rule_plugins_version(capsys):
    _, out, _ = run(capsys, "rules")
    assert out.splitlines()[0].startswith("PC000\tinternal-error\terror\t")
    assert out.splitlines()[1].startswith("PC001\tnot-a-plan\terror\t")
    code, out, _ = run(capsys, "rule", "pc101")
    assert code == 0 and "【誤りの例】" in out and "【正しい例】" in out
    assert run(capsys, "rule", "PC999")[0] == 2
    _, out, _ = run(capsys, "plugins")
    assert "plancheck.checks.structure" in out and "PC101" in out
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and __version__ in capsys.readouterr().out


def test_corpus_is_checked_as_a_directory(capsys):
    if not CORPUS.exists():
        pytest.skip(f"real corpus not available at {CORPUS}")
    code, out, _ = run(capsys, "check", "--format", "json", str(CORPUS))
    errors = [
        (f["path"].rsplit("/", 1)[-1], f["code"])
        for f in json.loads(out)
        if f["severity"] == "error"
    ]
    # the accepted plans get no error; the evaluation report is not a plan (every finding on the
    # real plans is pinned, with its reason, in test_corpus_findings.py)
    assert errors == [("tokku-keihin-evaluation-2020.txt", "PC001")]
    assert code == 1


def test_public_api_check_text_and_check_path(tmp_path):
    from plancheck import Settings, check_path, check_text

    text = DRAFT.read_text(encoding="utf-8")
    assert [(f.code, f.line) for f in check_text(text, settings=Settings(lang="en"))] == [
        ("PC101", 47),
        ("PC104", 143),
    ]
    saved = tmp_path / "draft.txt"
    saved.write_bytes(text.encode("cp932"))
    result = check_path(saved)
    assert result.profile == "chiiki-saisei-2021" and len(result.findings) == 2
    assert check_path(tmp_path / "missing.txt").error.endswith("ファイルが見つかりません")


@pytest.mark.parametrize("command", [["rules"], ["check", "--format", "json", "-"]])
def test_closed_pipe_is_not_a_traceback(command):
    # `plancheck rules | head -1`: the reader is gone before plancheck writes (its start-up takes
    # far longer than closing the pipe here), so every write meets a closed pipe
    proc = subprocess.Popen(
        [sys.executable, "-m", "plancheck", *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()
    _, err = proc.communicate(DRAFT.read_bytes())
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_unwritable_output_and_bad_jobs_are_usage_errors(capsys, tmp_path):
    missing = tmp_path / "no-such-folder" / "out.json"
    code, _, err = run(capsys, "check", "--output", str(missing), str(DRAFT))
    assert code == 2 and "ファイルに書き込めません" in err and "Traceback" not in err
    code, _, err = run(capsys, "check", "--write-baseline", str(missing), str(DRAFT))
    assert code == 2 and str(missing) in err
    with pytest.raises(SystemExit) as exit_:
        main(["check", "-j", "0", str(DRAFT)])
    assert exit_.value.code == 2 and "1 以上の整数" in capsys.readouterr().err


def test_parse_shows_the_profile_why_and_each_measure_block(capsys):
    code, out, _ = run(capsys, "parse", str(FIXTURES / "aoba-multi-2023.txt"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("様式: chiiki-saisei-2021（")
    assert (
        lines[1].startswith("  根拠（") and "目印「【デジタル社会の形成への寄与】」 +3" in lines[1]
    )
    assert "役割: 計画期間 = 6, KPI の目標 = 4-2, 特別の措置 = 5-2" in out
    assert (
        "   53  措置 5-2-1: 地方創生推進交付金（推進タイプ・第2世代交付金）（支援措置の番号から判定） 【A3007】"
        in lines
    )
    assert "  143    ⑧ 事業実施期間 ← 事業実施期間" in lines
    assert any(
        line.startswith("  151  措置 5-2-2: まち・ひと・しごと創生寄附活用事業") for line in lines
    )
    assert "  177    ⑤ 寄附の金額の目安 ← 寄附の金額の目安" in lines
    assert "         （なし） その他必要な事項" in lines  # optional in an A2007 block


def test_parse_json_carries_detection_roles_and_blocks(capsys):
    code, out, _ = run(
        capsys, "parse", "--format", "json", str(FIXTURES / "sakuradai-kigyo-2022.txt")
    )
    data = json.loads(out)
    jsonschema.validate(data, resources.load_schema("outline.schema.json"))
    assert data["roles"]["kpi_targets"] == "4"  # section 4 undivided
    (block,) = data["blocks"]
    assert (block["number"], block["kind"], block["reason"], block["codes"]) == (
        "5-2",
        "kigyo-furusato-nozei",
        "code",
        ["A2007"],
    )
    roles = {
        item["role"]: (item["number"], item["line"]) for item in block["items"] if item["role"]
    }
    assert roles["donation_estimate"] == ("④", 121) and roles["project_period"] == ("⑥", 129)
    best = data["detection"]["candidates"][0]
    assert best["profile"] == data["profile"] and best["score"] == sum(
        e["points"] for e in best["evidence"]
    )


def test_parse_in_english_and_with_a_chosen_profile(capsys):
    path = str(FIXTURES / "midorino-2017.txt")
    _, out, _ = run(capsys, "parse", "--lang", "en", "--profile", "chiiki-saisei-2021", path)
    assert out.startswith("Profile: chiiki-saisei-2021 (")
    assert "  why: chosen with --profile" in out.splitlines()
    assert "Measure 5-2: Regional revitalization promotion grant" in out
