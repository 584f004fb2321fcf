"""plancheck check --fix / --unsafe-fixes / --diff and plancheck.engine.fixer: the file stays the
author's (encoding, line endings, every byte outside the edits), fixes loop to a fixed point and
never add a finding, and the outputs carry the fixes; test-only rules bring the fixes."""

import codecs
import io
import json
import sys
from collections import Counter

import docx
import jsonschema
import pytest
from docx_helper import build_docx
from hypothesis import given
from hypothesis import strategies as st
from pdf_helper import build_pdf

from plancheck import Rule, hookimpl
from plancheck.api import resources
from plancheck.api.fixes import Edit, Fix
from plancheck.cli import main
from plancheck.engine import fixer
from plancheck.engine.config import Settings
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.testing import PlancheckLint, assert_no_internal_error, load_cases

from conftest import CORPUS, FIXTURES, REAL_PLANS, SHARED, corpus_file


def _word_rule(code, word, new=None, applicability="safe", old=None, severity="error"):
    """A rule flagging ``word`` on every line; with ``new`` its fix replaces it (an ``old`` other
    than the word makes the fix stale)."""

    class WordRule(Rule):
        __doc__ = f"「{word}」がある (test rule {code})."
        name = f"word-{code.lower()}"
        needs_profile = False
        messages = {"default": {"ja": f"「{word}」があります", "en": f"「{word}」 found"}}

        def check(self, plan, context):
            for line in plan.lines:
                start = line.text.find(word)
                while start >= 0:
                    span = plan.find_span(line.number, word)
                    span = type(span)(
                        span.line,
                        line.column(start),
                        span.line,
                        line.column(start + len(word) - 1) + 1,
                    )
                    fix = None
                    if new is not None:
                        edit = Edit(
                            span.line,
                            span.column,
                            span.end_line,
                            span.end_column,
                            old or word,
                            new,
                        )
                        fix = Fix((edit,), applicability)
                    yield self.report(context, span, fix=fix)
                    start = line.text.find(word, start + len(word))

    WordRule.code = code
    WordRule.severity = severity
    WordRule.fixable = applicability if new is not None else None
    WordRule.__name__ = f"Rule{code}"
    return WordRule


RULES = [
    _word_rule("TX901", "誤字", "正字"),  # a safe fix
    _word_rule("TX902", "仮案", "本案", "unsafe"),  # an unsafe one
    _word_rule("TX903", "悪化", "禁句"),  # a fix that makes TX904 appear
    _word_rule("TX904", "禁句"),  # no fix
    _word_rule("TX905", "古字", "新字", old="別字"),  # a fix whose old text is not in the file
    _word_rule("TX906", "吉野", "𠮷野"),  # not in Shift_JIS
    _word_rule("TX907", "誤字", "誤り"),  # the same span as TX901's fix
    _word_rule("TX908", "注意", severity="warning"),  # a warning, no fix
]


class FixPlugin:
    @hookimpl
    def plancheck_rules(self):
        return RULES


PLUGIN = FixPlugin()
ORIGINAL_INIT = PluginHost.__init__


@pytest.fixture(autouse=True)
def with_fix_rules(monkeypatch):
    """Every PluginHost of the command line gets the test rules (and no installed plugin)."""
    original = PluginHost.__init__

    def init(self, **options):
        options["load_entry_points"] = False
        given = tuple(options.get("extra_plugins", ()))
        options["extra_plugins"] = given if PLUGIN in given else (*given, PLUGIN)
        original(self, **options)

    monkeypatch.setattr(PluginHost, "__init__", init)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


TEXT = "第一行\n誤字のある行\n\n仮案と誤字\n末尾の行"


def plan_file(tmp_path, text=TEXT, name="plan.txt", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- --fix writes, and a second --fix changes nothing -----------------------------------------


def test_fix_writes_the_safe_fixes_and_a_second_fix_changes_nothing(capsys, tmp_path):
    path = plan_file(tmp_path)
    code, out, err = run(capsys, "check", "--fix", "--select", "TX901,TX902", str(path))
    assert path.read_text(encoding="utf-8") == TEXT.replace("誤字", "正字")
    assert code == 1 and "TX902 [error]" in out  # the unsafe fix is left, and its finding
    assert "2 件を修正しました" in err
    fixed = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    code, out, err = run(capsys, "check", "--fix", "--select", "TX901,TX902", str(path))
    assert path.read_bytes() == fixed and path.stat().st_mtime_ns == mtime  # never rewritten
    assert "0 件を修正しました" in err


def test_fix_exits_by_the_findings_that_remain(capsys, tmp_path):
    path = plan_file(tmp_path, "誤字と禁句\n")
    code, out, _ = run(capsys, "check", "--fix", "--select", "TX901,TX904", str(path))
    assert code == 1  # TX904 remains
    assert path.read_text(encoding="utf-8") == "正字と禁句\n"
    assert out == f"{path}:1:4: TX904 [error] 「禁句」があります\n"
    path.write_text("誤字だけ\n", encoding="utf-8")
    assert run(capsys, "check", "--fix", "--select", "TX901", str(path))[0] == 0
    path.write_text("誤字だけ\n", encoding="utf-8")
    assert run(capsys, "check", "--select", "TX901", str(path))[0] == 1  # without --fix: 1


# --- the bytes outside the edits --------------------------------------------------------------

ENDINGS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}
ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le-bom": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "shift_jis": lambda text: text.encode("cp932"),
}


def _lines(ending):
    lines = ["計画の本文", "誤字のある行 誤字", "", "　全角の空白と誤字", "末尾の行"]
    if ending == "mixed":  # every line keeps its own ending
        return "計画の本文\r\n誤字のある行 誤字\n\r誤字\r\n　全角の空白と誤字\n末尾の行"
    return ENDINGS[ending].join(lines) + ENDINGS[ending]


@pytest.mark.parametrize("ending", [*ENDINGS, "mixed"])
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_bytes_outside_the_edits_are_unchanged(capsys, tmp_path, encoding, ending):
    text = _lines(ending)
    path = tmp_path / "plan.txt"
    path.write_bytes(ENCODINGS[encoding](text))
    code, _, err = run(capsys, "check", "--fix", "--select", "TX901", str(path))
    assert code == 0, err
    assert path.read_bytes() == ENCODINGS[encoding](text.replace("誤字", "正字"))


def test_a_shift_jis_character_with_two_codes_keeps_its_own(capsys, tmp_path):
    # 0xFA40 and 0xEEEF are both 「ⅰ」; Python writes 0xEEEF, so re-encoding the whole file
    # would change the author's byte: only the edited bytes may change
    data = b"\xfa\x40 " + "誤字の行\r\n".encode("cp932")
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    run(capsys, "check", "--fix", "--select", "TX901", str(path))
    assert path.read_bytes() == b"\xfa\x40 " + "正字の行\r\n".encode("cp932")


def test_a_fix_the_encoding_cannot_write_is_skipped_and_said(capsys, tmp_path):
    path = plan_file(tmp_path, "吉野の誤字\n", encoding="cp932")
    code, out, err = run(capsys, "check", "--fix", "--select", "TX901,TX906", str(path))
    assert path.read_bytes() == "吉野の正字\n".encode("cp932")
    assert code == 1 and "TX906 [error]" in out and "[*]" not in out
    assert f"{path}:1:1: TX906 の修正を適用しませんでした" in err and "文字コード" in err
    utf8 = plan_file(tmp_path, "吉野\n", name="utf8.txt")
    run(capsys, "check", "--fix", "--select", "TX906", str(utf8))
    assert utf8.read_text(encoding="utf-8") == "𠮷野\n"


# --- fixes that must not be applied -----------------------------------------------------------


def test_a_fix_that_adds_a_finding_is_reverted_and_reported(capsys, tmp_path):
    path = plan_file(tmp_path, "悪化した誤字\n")
    code, out, err = run(capsys, "check", "--fix", "--select", "TX901,TX903,TX904", str(path))
    assert path.read_text(encoding="utf-8") == "悪化した正字\n"  # TX901's fix alone is kept
    assert "TX904" not in out and "TX903 [error]" in out
    assert "TX903 の修正を適用しませんでした: 直すと新しい指摘が生じる" in err
    assert code == 1


def test_a_stale_fix_is_skipped_and_reported(capsys, tmp_path):
    path = plan_file(tmp_path, "古字\n")
    code, _, err = run(capsys, "check", "--fix", "--lang", "en", "--select", "TX905", str(path))
    assert path.read_text(encoding="utf-8") == "古字\n"
    assert "TX905: fix not applied: the text there is not what was checked" in err
    assert code == 1


def test_overlapping_fixes_apply_one_and_leave_the_other(capsys, tmp_path):
    path = plan_file(tmp_path, "誤字\n")
    run(capsys, "check", "--fix", "--select", "TX901,TX907", str(path))
    assert path.read_text(encoding="utf-8") in ("正字\n", "誤り\n")


def test_fixes_loop_until_none_is_left():
    # the first round's fix makes a second finding fixable: 「誤誤字字」 → 「誤正字字」 → …
    host = PluginHost(load_entry_points=False, extra_plugins=(PLUGIN,))
    linter = Linter(Settings(select=("TX901",)), host)
    outcome = fixer.fix_source("誤字誤字\n".encode(), "p.txt", linter, unsafe=False)
    assert outcome.data == "正字正字\n".encode() and outcome.applied == 2
    assert outcome.after.findings == [] and outcome.skipped == []
    assert [f.code for f in outcome.before.findings] == ["TX901", "TX901"]


def test_added_ignores_fingerprints_that_moved_with_the_edit():
    def finding(code, line, fingerprint, message="m"):
        from plancheck.api.rule import Finding

        return Finding("p", line, 1, code, line, 2, "r", "error", message, None, fingerprint)

    fixed = finding("TX901", 2, "a")
    neighbour_before = finding("TX908", 3, "b")
    neighbour_after = finding("TX908", 3, "c")  # its fingerprint hashes the edited line
    assert fixer.added([fixed, neighbour_before], [neighbour_after], [fixed]) == []
    new = finding("TX904", 2, "d")
    assert fixer.added([fixed, neighbour_before], [neighbour_after, new], [fixed]) == [new]
    again = finding("TX901", 2, "e", "other")  # the fixed finding may not come back as itself
    assert fixer.added([fixed], [again], [fixed]) == [again]


# --- --diff -----------------------------------------------------------------------------------


def test_diff_prints_a_unified_diff_writes_nothing_and_exits_1(capsys, tmp_path):
    path = plan_file(tmp_path)
    before = path.read_bytes()
    code, out, err = run(capsys, "check", "--diff", "--select", "TX901,TX902", str(path))
    assert code == 1 and path.read_bytes() == before
    assert out.splitlines() == [
        f"--- {path}",
        f"+++ {path}",
        "@@ -1,5 +1,5 @@",
        " 第一行",
        "-誤字のある行",
        "+正字のある行",
        " ",
        "-仮案と誤字",
        "+仮案と正字",
        " 末尾の行",
    ]
    assert "1 ファイルで 2 件を修正できます" in err
    code, out, _ = run(capsys, "check", "--diff", "--unsafe-fixes", "--select", "TX9", str(path))
    assert "+本案と正字" in out and code == 1


def test_diff_exits_0_with_nothing_to_fix_and_2_on_errors(capsys, tmp_path):
    path = plan_file(tmp_path, "禁句\n")
    assert run(capsys, "check", "--diff", "--select", "TX904", str(path))[:2] == (0, "")
    code, _, err = run(capsys, "check", "--diff", "--select", "TX9", str(tmp_path / "no.txt"))
    assert code == 2 and "ファイルが見つかりません" in err and "Traceback" not in err


def test_fix_and_diff_together_only_show(capsys, tmp_path):
    path = plan_file(tmp_path)
    code, out, _ = run(capsys, "check", "--fix", "--diff", "--select", "TX901", str(path))
    assert code == 1 and out.startswith("---") and path.read_text(encoding="utf-8") == TEXT


def test_unified_diff_reads_any_line_ending():
    assert (
        fixer.unified_diff("p", "a\r\nb\r\n", "a\nc\n")
        == "--- p\n+++ p\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
    )
    assert fixer.unified_diff("p", "same\n", "same\r\n") == ""


# --- --unsafe-fixes, [*] and the summary ------------------------------------------------------


def test_unsafe_fixes_need_the_flag(capsys, tmp_path):
    path = plan_file(tmp_path, "仮案\n")
    run(capsys, "check", "--fix", "--select", "TX902", str(path))
    assert path.read_text(encoding="utf-8") == "仮案\n"
    run(capsys, "check", "--unsafe-fixes", "--select", "TX902", str(path))
    assert path.read_text(encoding="utf-8") == "仮案\n"  # --unsafe-fixes alone writes nothing
    run(capsys, "check", "--fix", "--unsafe-fixes", "--select", "TX902", str(path))
    assert path.read_text(encoding="utf-8") == "本案\n"


def test_text_marks_what_fix_would_correct_and_counts_it(capsys, tmp_path):
    path = plan_file(tmp_path, "誤字と仮案と禁句\n")
    code, out, err = run(capsys, "check", "--select", "TX901,TX902,TX904", str(path))
    assert out.splitlines() == [
        f"{path}:1:1: TX901 [*] [error] 「誤字」があります",
        f"{path}:1:4: TX902 [error] 「仮案」があります",
        f"{path}:1:7: TX904 [error] 「禁句」があります",
    ]
    assert err.strip().endswith(
        "。[*] の 1 件は --fix で修正できます（ほかに 1 件は --unsafe-fixes も付けると修正できます）"
    )
    _, out, err = run(
        capsys, "check", "--unsafe-fixes", "--lang", "en", "--select", "TX901,TX902", str(path)
    )
    assert f"{path}:1:4: TX902 [*] [error]" in out
    assert err.strip().endswith("; 2 marked [*] can be fixed with --fix")


def test_no_fixable_summary_without_fixes(capsys, tmp_path):
    path = plan_file(tmp_path, "禁句\n")
    _, out, err = run(capsys, "check", "--select", "TX904", str(path))
    assert "[*]" not in out + err and "--fix" not in err


# --- JSON and SARIF ---------------------------------------------------------------------------


def test_json_carries_the_fix(capsys, tmp_path):
    path = plan_file(tmp_path, "誤字と禁句\n")
    _, out, _ = run(capsys, "check", "--format", "json", "--select", "TX901,TX904", str(path))
    findings = json.loads(out)
    jsonschema.validate(findings, resources.load_schema("findings.schema.json"))
    assert findings[0]["fix"] == {
        "applicability": "safe",
        "edits": [
            {"line": 1, "column": 1, "end_line": 1, "end_column": 3, "old": "誤字", "new": "正字"}
        ],
    }
    assert findings[1]["fix"] is None


def test_sarif_carries_the_fixes(capsys, tmp_path):
    schema_path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not schema_path.exists():
        pytest.skip(f"SARIF schema not available at {schema_path}")
    path = plan_file(tmp_path, "誤字と仮案\n")
    _, out, _ = run(capsys, "check", "--format", "sarif", "--select", "TX901,TX902", str(path))
    log = json.loads(out)
    jsonschema.validate(log, json.loads(schema_path.read_text(encoding="utf-8")))
    safe, unsafe = log["runs"][0]["results"]
    [change] = safe["fixes"][0]["artifactChanges"]
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 3},
            "insertedContent": {"text": "正字"},
        }
    ]
    assert (
        change["artifactLocation"]["uri"]
        == safe["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    )
    assert safe["fixes"][0]["properties"] == {"applicability": "safe"}
    assert unsafe["fixes"][0]["properties"] == {"applicability": "unsafe"}


# --- standard input, PDF ----------------------------------------------------------------------


def _stdin(monkeypatch, data):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_fix_on_standard_input_writes_the_corrected_text_to_standard_output(
    capsysbinary, monkeypatch
):
    _stdin(monkeypatch, "誤字\r\n禁句\r\n".encode("cp932"))
    code = main(["check", "--fix", "--select", "TX901,TX904", "-"])
    out, err = capsysbinary.readouterr()
    assert code == 1
    assert out == "正字\r\n禁句\r\n".encode("cp932")  # in the file's own encoding
    err_text = err.decode("utf-8")
    assert "-:2:1: TX904 [error]" in err_text and "1 件を修正しました" in err_text


def test_fix_on_standard_input_with_nothing_to_fix_echoes_it(capsysbinary, monkeypatch):
    _stdin(monkeypatch, "禁句\n".encode())
    main(["check", "--fix", "--select", "TX904", "-"])
    assert capsysbinary.readouterr().out == "禁句\n".encode()


def test_a_pdf_is_never_written(capsys, tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(build_pdf(["誤字のある計画の本文です。"]))
    before = path.read_bytes()
    code, out, err = run(capsys, "check", "--fix", "--select", "TX901", str(path))
    assert code == 2 and path.read_bytes() == before
    assert f"{path}: PDF には書き込まないため、1 件の修正を適用しませんでした" in err
    assert "TX901 [error]" in out and "[*]" not in out  # never offered for a PDF
    assert run(capsys, "check", "--diff", "--select", "TX901", str(path))[0] == 2
    # without --fix a PDF is checked as ever (its findings have no [*])
    code, out, err = run(capsys, "check", "--select", "TX901", str(path))
    assert code == 1 and "[*]" not in out and "--fix" not in err


def test_fix_source_refuses_a_pdf_with_its_key():
    host = PluginHost(load_entry_points=False, extra_plugins=(PLUGIN,))
    linter = Linter(Settings(select=("TX901",)), host)
    data = build_pdf(["誤字のある計画の本文です。"])
    outcome = fixer.fix_source(data, "plan.pdf", linter, unsafe=False)
    assert outcome.data is None and outcome.applied == 0
    assert [reason for _, reason in outcome.skipped] == [fixer.PDF_REFUSED]


# --- the testing kit: fixed: ------------------------------------------------------------------


CASES = """\
defaults:
  select: [TX901, TX902]
cases:
  safe-fixed:
    fail: "誤字と仮案\\n"
    expect: [TX901:1, TX902:1]
    fixed: "正字と仮案\\n"
  unsafe-fixed:
    unsafe-fixes: true
    fail: "誤字と仮案\\n"
    expect: [TX901:1, TX902:1]
    fixed: "正字と本案\\n"
  fixed-by-replacements:
    fail: "一行目\\n誤字\\n"
    expect: [TX901:2]
    fixed: [["誤字", "正字"]]
"""


def test_the_kit_checks_a_cases_fixed_text(tmp_path):
    file = tmp_path / "cases.yaml"
    file.write_text(CASES, encoding="utf-8")
    lint = PlancheckLint()
    cases = [param.values[0] for param in load_cases(file)]
    assert [case.id for case in cases] == [
        "cases::safe-fixed",
        "cases::unsafe-fixed",
        "cases::fixed-by-replacements",
    ]
    for case in cases:
        case.run(lint, PLUGIN)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (
            'fail: "誤字と仮案\\n"\n    expect: [TX901:1, TX902:1]\n    fixed: "誤字と仮案\\n"',
            "fixed",
        ),
        (
            'fail: "誤字と仮案\\n"\n    expect: [TX901:1, TX902:1]\n    fixed: "正字と本案\\n"',
            "fixed",
        ),
    ],
    ids=["fix-not-applied", "unsafe-without-the-setting"],
)
def test_the_kit_fails_a_wrong_fixed_text(tmp_path, body, match):
    file = tmp_path / "cases.yaml"
    file.write_text(f"defaults:\n  select: [TX901, TX902]\ncases:\n  one:\n    {body}\n")
    [param] = load_cases(file)
    with pytest.raises(AssertionError, match=match):
        param.values[0].run(PlancheckLint(), PLUGIN)


def test_the_kit_fails_when_the_fixed_text_still_has_the_finding(tmp_path):
    # TX903's fix is reverted (it adds TX904), so the fixed text keeps TX903
    file = tmp_path / "cases.yaml"
    file.write_text(
        'cases:\n  one:\n    select: [TX903, TX904]\n    fail: "悪化\\n"\n'
        '    expect: [TX903:1]\n    fixed: "悪化\\n"\n',
        encoding="utf-8",
    )
    [param] = load_cases(file)
    with pytest.raises(AssertionError, match="TX903"):
        param.values[0].run(PlancheckLint(), PLUGIN)


def test_the_kit_fix_method(plancheck_lint):
    outcome = plancheck_lint.fix("誤字と仮案\n", PLUGIN, unsafe=True, select=["TX9"])
    assert outcome.data == "正字と本案\n".encode() and outcome.applied == 2
    assert plancheck_lint.fix("禁句\n", PLUGIN, select=["TX904"]).data is None


# --- real plans: mutated, and as they are ----------------------------------------------------

BUILTIN = Linter(Settings(), PluginHost(load_entry_points=False))
PLANS = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt"))]
PLANS += [
    (CORPUS / name).read_text(encoding="utf-8") for name in REAL_PLANS if (CORPUS / name).exists()
]


def _fixable_defects():
    """The plans of the fixable built-in rules' YAML cases (tests/rules/<CODE>.yaml): a clean
    plan with the case's defect put in, so that the mutated plans have fixes to make."""
    fixable = {rule.code for rule in BUILTIN.host.rules if rule.fixable}
    plans = []
    for param in load_cases(FIXTURES.parents[1] / "rules"):
        case = param.values[0]
        if case.origin.stem in fixable and case.expect and case.file and case.replace:
            if case.file.suffix == ".txt" and case.file.exists():
                text = case.file.read_text(encoding="utf-8")
                for old, new in case.replace:
                    text = text.replace(old, new)
                plans.append(text)
    return plans


DEFECTS = _fixable_defects()
MUTATIONS = ("delete", "duplicate", "swap", "cut")


@given(
    st.sampled_from(DEFECTS + PLANS),
    st.lists(
        st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10_000), st.integers(0, 10_000)),
        max_size=6,
    ),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["utf-8", "cp932"]),
    st.booleans(),
)
def test_fix_never_raises_and_never_adds_a_finding(plan, mutations, newline, encoding, unsafe):
    lines = plan.split("\n")
    for mutation, a, b in mutations:
        if not lines:
            break
        i, j = a % len(lines), b % len(lines)
        if mutation == "delete":
            del lines[i]
        elif mutation == "duplicate":
            lines.insert(i, lines[i])
        elif mutation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif mutation == "cut":
            lines[i] = lines[i][: b % (len(lines[i]) + 1)]
    text = newline.join(lines)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    outcome = fixer.fix_source(data, "p.txt", BUILTIN, unsafe=unsafe)
    if outcome.before.error is not None:
        return
    assert_no_internal_error(outcome.after.findings, "after --fix")
    before = Counter(finding.code for finding in outcome.before.findings)
    after = Counter(finding.code for finding in outcome.after.findings)
    assert not after - before, f"--fix added {after - before}"
    if outcome.data is None:
        assert outcome.applied == 0 and outcome.after.findings == outcome.before.findings
        return
    assert outcome.applied > 0
    assert BUILTIN.check_bytes(outcome.data, "p.txt").findings == outcome.after.findings
    again = fixer.fix_source(outcome.data, "p.txt", BUILTIN, unsafe=unsafe)
    assert again.data is None  # a second --fix changes nothing


def _changed_lines(diff):
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("---", "+++"))
    ]


# the four real plans: --diff shows exactly the safe fixes of their current findings
REAL_DIFFS = {
    "plan-chiba-medtech-2016.txt": [
        "-⑤ 重要事業評価指標（K P I）及び目標年月",
        "+⑤ 重要業績評価指標（K P I）及び目標年月",
    ],
    "plan-sapporo-medical-2017.txt": [
        "-地域再生計画認定の日から平成32年3月31日（3カ年間）",
        "+地域再生計画認定の日から令和2年3月31日（3カ年間）",
        "-地域再生計画認定の日から平成32年3月31日",
        "+地域再生計画認定の日から令和2年3月31日",
    ],
    "plan-yokohama-healthcare-2021.txt": [],
    "plan-yokohama-global-2023.txt": [],
}


@pytest.mark.parametrize("name", REAL_PLANS)
def test_diff_of_the_real_plans_is_exactly_their_safe_fixes(name, capsys, monkeypatch):
    path = corpus_file(name)
    before = path.read_bytes()
    monkeypatch.setattr(PluginHost, "__init__", ORIGINAL_INIT)  # the built-in rules only
    monkeypatch.setenv("PLANCHECK_DISABLE_PLUGIN_AUTOLOAD", "1")
    code, out, err = run(capsys, "check", "--diff", str(path))
    assert _changed_lines(out) == REAL_DIFFS[name], out
    assert code == (1 if REAL_DIFFS[name] else 0), err
    assert path.read_bytes() == before


def test_the_readme_lists_exactly_the_fixable_rules():
    readme = (FIXTURES.parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- fixable-rules:", 1)[1].split("<!-- /fixable-rules -->", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    expected = [
        f"| `{rule.code}` | {rule.name} | {rule.fixable} |"
        for rule in BUILTIN.host.rules
        if rule.fixable
    ]
    assert rows == expected, "README: the table under 修正（--fix） is Rule.fixable of the rules"


def test_fix_edits_a_word_document_in_place(capsys, tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(build_docx("第一段落\n誤字のある段落\n仮案の段落", numbered=False).data)
    code, out, err = run(capsys, "check", "--diff", "--select", "TX901,TX902", str(path))
    assert code == 1 and "-誤字のある段落" in out and "+正字のある段落" in out
    code, out, err = run(capsys, "check", "--fix", "--select", "TX901,TX902", str(path))
    assert "1 件を修正しました" in err and "TX902 [error]" in out
    texts = [paragraph.text for paragraph in docx.Document(str(path)).paragraphs]
    assert texts == ["第一段落", "正字のある段落", "仮案の段落"]
