"""Hostile text: every regular expression that sees a plan's text runs in linear time on any line,
and the work per finding does not grow with the line or with the other findings (issue 12).

No assertion depends on how fast a test runs. Each case runs in a child Python (one for the whole
module, replaced when a case overruns) and fails if it has not finished within ``TIMEOUT``
seconds: at 100 KB a linear case takes well under a second, a quadratic one minutes, a cubic one
days. A thread would not do: a regular expression holds the GIL until it gives up.

The rewritten patterns must also find exactly what the original ones found on ordinary text:
``test_same_matches_as_before`` compares them with the originals (kept here) on short strings.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plancheck.api.rule import Context, Finding
from plancheck.checks import wording
from plancheck.model import kpi_tables as kpi
from plancheck.parsing import directives as suppress
from plancheck.parsing import normalize as norm
from plancheck.parsing.ast import Plan, Span
from plancheck.parsing.normalize import Line, normalize

from conftest import fixture_text, lint

N = 100_000  # characters in a hostile line
TIMEOUT = float(os.environ.get("PLANCHECK_HOSTILE_TIMEOUT", "10"))  # seconds per case
STARTUP = 120  # seconds for the child to import plancheck

# --- hostile lines: the worst case of each pattern, 100 KB ------------------------------------

LINES: dict[str, Callable[[], str]] = {
    # suppress: the codes of a comment (cubic before: 4 KB of spaces took 50 s)
    "comment codes of spaces": lambda: "<!-- plancheck: disable=" + " " * N + "x",
    "comment codes of spaces, closed": lambda: "<!-- plancheck: disable=" + " " * N + "-->",
    "comment heads, never closed": lambda: "<!-- plancheck: disable=" * (N // 24),
    "comment heads, one > at the end": lambda: "<!-- plancheck: disable=" * (N // 24) + ">",
    # normalize
    "html comment openers": lambda: "<!--" * (N // 4),
    "html tag full of spaces": lambda: "<a" + " " * N,
    "dollar and backslashes": lambda: "$" + "\\" * N,
    "dollar and spaced backslashes": lambda: "$" + " \\" * (N // 2),
    "dollar, backslash, spaces": lambda: "$\\" + " " * N + "x",
    "dollar and latex commands": lambda: "$\\a{" + "\\a" * (N // 2),
    "spaces inside a line ending in a space": lambda: "x" + " " * N + "x ",
    "tabs and spaces before a final tab": lambda: "x" + "\t " * (N // 2) + "x\t",
    "spaced digits": lambda: "1 " * (N // 2),
    # checks/wording.py (PC501, PC505)
    "year then spaces": lambda: "年" + " " * N + "x",
    "blank date then spaces": lambda: "年 月" + " " * N + "x",
    "blank range with spaces": lambda: (
        "年 月 日" + " " * (N // 2) + "から" + " " * (N // 2) + "年 月 日"
    ),
    "a year after a digit, then spaces": lambda: "1年" + " " * N + "x",
    "digits": lambda: "1" * N,
    "digits and commas": lambda: "1,," * (N // 3),
    "cost words": lambda: "総事業費" * (N // 4),
    "amount in parts": lambda: "1,1億2千万" * (N // 8),
}


def _in_plan(line: str) -> str:
    """A real-shaped plan (2021 format) with ``line`` under ⑦ 交付対象事業に要する経費 (PC505 reads
    it) and again under ⑨ (the other rules read every line)."""
    text = fixture_text("midorino-2021.txt")
    for anchor in ("総事業費 90,000千円\n", "⑨ その他必要な事項\n"):
        assert anchor in text
        text = text.replace(anchor, f"{anchor}\n{line}\n", 1)
    return text


def _in_donation(line: str) -> str:
    """A 企業版ふるさと納税 plan with ``line`` first under ④ 寄附の金額の目安 (PC505 looks for the
    figure there)."""
    text = fixture_text("sakuradai-kigyo-2022.txt")
    anchor = "④ 寄附の金額の目安\n"
    assert anchor in text
    return text.replace(anchor, f"{anchor}\n{line}\n", 1)


def _whole_pipeline(name: str) -> None:
    line = LINES[name]()
    normalize([line])
    suppress.directives([line])
    lint(_in_plan(line))
    lint(_in_donation(line))


# --- each pattern, called as the code calls it ------------------------------------------------

_CONTEXT = Context("plan.txt", None, "ja", {})


def _cost_words(text: str) -> None:
    rule, line = wording.CostFormat(), Line(text, 1)
    plan = Plan("plan.txt", [line], source_lines=(text,))
    for total in wording._TOTAL.finditer(text):
        list(rule._check_value(plan, _CONTEXT, line, total.end(), wording._COST))


def _tracked(pattern: re.Pattern[str] | norm._BeforeLastCloser) -> Callable[[str], None]:
    return lambda text: norm._Tracked(text, 0).sub(pattern, "")


PATTERNS: dict[str, tuple[Callable[[str], object], str]] = {
    "suppress._HEAD": (lambda s: suppress.directives([s]), "comment codes of spaces"),
    "suppress._HEAD (closed)": (
        lambda s: suppress.directives([s]),
        "comment codes of spaces, closed",
    ),
    "suppress._HEAD (heads)": (lambda s: suppress.directives([s]), "comment heads, never closed"),
    "suppress._HEAD (heads, >)": (
        lambda s: suppress.directives([s]),
        "comment heads, one > at the end",
    ),
    "normalize._HTML_COMMENT": (_tracked(norm._HTML_COMMENT), "html comment openers"),
    "normalize._HTML_TAG": (_tracked(norm._HTML_TAG), "html tag full of spaces"),
    "normalize._LATEX_MATH": (_tracked(norm._LATEX_MATH), "dollar and backslashes"),
    "normalize._LATEX_MATH (spaced)": (_tracked(norm._LATEX_MATH), "dollar and spaced backslashes"),
    "normalize._LATEX_MATH (spaces)": (_tracked(norm._LATEX_MATH), "dollar, backslash, spaces"),
    "normalize._LATEX_COMMAND": (
        lambda s: norm._LATEX_COMMAND.sub(r"\1", s),
        "dollar and latex commands",
    ),
    "normalize._TRAILING_SPACE": (
        _tracked(norm._TRAILING_SPACE),
        "spaces inside a line ending in a space",
    ),
    "normalize._TRAILING_SPACE (tabs)": (
        _tracked(norm._TRAILING_SPACE),
        "tabs and spaces before a final tab",
    ),
    "normalize._SPACED_DATE_DIGITS": (
        lambda s: norm._Tracked(s, 0).drop_spaces(norm._SPACED_DATE_DIGITS),
        "spaced digits",
    ),
    "wording._MAY_HAVE_BLANK": (
        wording._MAY_HAVE_BLANK.search,
        "a year after a digit, then spaces",
    ),
    "wording._PLACEHOLDER": (lambda s: list(wording._PLACEHOLDER.finditer(s)), "year then spaces"),
    "wording._PLACEHOLDER (after a date)": (
        lambda s: list(wording._PLACEHOLDER.finditer(s)),
        "blank date then spaces",
    ),
    "wording._ONE_DATE": (
        lambda s: list(wording._ONE_DATE.finditer(s)),
        "blank range with spaces",
    ),
    "wording._FIGURE": (wording._FIGURE.search, "digits"),
    "wording._FIGURE (commas)": (wording._FIGURE.search, "digits and commas"),
    "wording._WORD (PC505, per 総事業費)": (_cost_words, "cost words"),
    "wording._COMPOUND (PC505, 1億2千万円)": (wording._COMPOUND.match, "digits and commas"),
    "wording._COMPOUND (PC505, units)": (wording._COMPOUND.match, "amount in parts"),
}


def _pattern_case(name: str) -> None:
    call, line = PATTERNS[name]
    call(LINES[line]())


# --- many findings ----------------------------------------------------------------------------

_DISABLE = "<!-- plancheck: disable=PC501 -->"


def _placeholders() -> None:
    findings = lint(_in_plan("〇〇 " * 16_000), select=["PC501"])
    assert len(findings) == 16_000 * 2  # the line is in the plan twice
    assert len({(f.line, f.fingerprint) for f in findings}) == 2


def _suppressed_by_many_comments() -> None:
    lines = [line for _ in range(16_000) for line in (_DISABLE, "〇〇 〇〇")]
    assert lint(_in_plan("\n".join(lines)), select=["PC501", "PC002"]) == []


def _suppressed_by_comments_on_one_line() -> None:
    text = _in_plan(_DISABLE * 2_000 + "\n" + "〇〇 " * 16_000)
    assert lint(text, select=["PC501", "PC002"]) == []  # 32,000 silenced findings


def _suppressed_by_file_comments() -> None:
    text = "<!-- plancheck: disable-file=PC5 -->\n" * 2_000 + _in_plan("〇〇 " * 16_000)
    assert lint(text, select=["PC501", "PC002"]) == []


def _many_per_file_ignores() -> None:
    import fnmatch

    globs = {f"drafts-{index}/*.txt": ("PC1",) for index in range(10_000)}  # none matches
    globs["plans/*.txt"] = ("PC5",)
    calls = 0
    real = fnmatch.fnmatch

    def counted(name: str, pattern: str) -> bool:
        nonlocal calls
        calls += 1
        return real(name, pattern)

    fnmatch.fnmatch = counted
    try:
        findings = lint(_in_plan("〇〇 " * 100), path="plans/draft.txt", per_file_ignores=globs)
    finally:
        fnmatch.fnmatch = real
    assert findings == []  # the one glob that matches silences the 200 PC501 findings
    assert calls <= 3 * len(globs)  # each glob against the file's names once, not once per rule


MANY: dict[str, Callable[[], None]] = {
    "16,000 placeholders on one line": _placeholders,
    "32,000 findings silenced by 16,000 comments": _suppressed_by_many_comments,
    "32,000 findings silenced by 2,000 comments on one line": _suppressed_by_comments_on_one_line,
    "32,000 findings under 2,000 disable-file comments": _suppressed_by_file_comments,
    "10,000 per-file-ignores globs": _many_per_file_ignores,
}

# Super-linear in dates.py and kpi.py before issue 12.
KNOWN: dict[str, Callable[[], None]] = {
    # dates._DURATION: ``\s*[(（]?\s*`` splits a run of spaces after a period every way
    "dates._DURATION: a period, then spaces": lambda: lint(
        _in_plan("2024年4月1日から2025年3月31日まで" + " " * N + "x")
    ),
    # kpi.classify: ``\d+年\d+月(末)?$`` searched from every digit of a KPI header cell
    "kpi.classify: digits in a KPI header": lambda: kpi.classify("1" * N),
}


def _case(kind: str, name: str) -> None:
    if kind == "pattern":
        _pattern_case(name)
    elif kind == "line":
        _whole_pipeline(name)
    elif kind == "many":
        MANY[name]()
    else:
        KNOWN[name]()


# --- the child Python --------------------------------------------------------------------------


class Worker:
    """A child Python that runs one case at a time and answers with a line of JSON; a case that
    overruns is killed with its child, and the next case starts a new one."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.replies: queue.Queue[str | None] = queue.Queue()

    def _start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=Path(__file__).resolve().parent,
        )
        self.replies = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self.replies), daemon=True).start()
        assert self._reply(STARTUP) == {"ready": True}, "the child Python did not start"

    @staticmethod
    def _read(process: subprocess.Popen[str], replies: queue.Queue[str | None]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            replies.put(line)
        replies.put(None)  # the child ended

    def _reply(self, timeout: float) -> dict[str, object] | None:
        try:
            line = self.replies.get(timeout=timeout)
        except queue.Empty:
            return None
        return json.loads(line) if line else {"error": "the child Python ended"}

    def run(self, kind: str, name: str) -> None:
        if self.process is None or self.process.poll() is not None:
            self._start()
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(json.dumps([kind, name]) + "\n")
        self.process.stdin.flush()
        reply = self._reply(TIMEOUT)
        if reply is None:
            self.stop()
            pytest.fail(f"{name}: not done within {TIMEOUT:g} s: super-linear time?")
        if "error" in reply:
            pytest.fail(f"{name}: {reply['error']}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def _serve() -> None:
    """The child's loop: a case name in, ``{"done": …}`` or ``{"error": traceback}`` out."""
    print(json.dumps({"ready": True}), flush=True)
    for request in sys.stdin:
        kind, name = json.loads(request)
        try:
            _case(kind, name)
            reply: dict[str, object] = {"done": name}
        except BaseException:  # noqa: B036 - reported to the parent, which fails the test
            reply = {"error": traceback.format_exc()}
        print(json.dumps(reply), flush=True)


@pytest.fixture(scope="module")
def worker():
    child = Worker()
    yield child
    child.stop()


# --- the tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PATTERNS))
def test_pattern_is_linear_on_its_worst_line(worker, name):
    worker.run("pattern", name)


@pytest.mark.parametrize("name", list(LINES))
def test_normalize_suppress_and_lint_are_linear_on_a_hostile_line(worker, name):
    worker.run("line", name)


@pytest.mark.parametrize("name", list(MANY))
def test_work_is_linear_in_findings(worker, name):
    worker.run("many", name)


@pytest.mark.parametrize("name", list(KNOWN))
def test_period_words_and_kpi_headers_are_linear(worker, name):
    worker.run("known", name)


# --- the rewritten patterns find what the original ones found -----------------------------------

_OLD_DIRECTIVE = re.compile(r"<!--\s*plancheck:\s*(disable-file|disable)\s*=\s*([^>]*?)\s*-->")
_OLD_HTML_COMMENT = re.compile(r"<!--.*?-->")
_OLD_LATEX_MATH = re.compile(r"\$\s*([^$]*?\\[^$]*?)\s*\$")
_OLD_TRAILING_SPACE = re.compile(r"[ \t]+$")
_ERA = "(?:令和|平成|昭和)"
_OLD_YEAR = rf"(?:(?:{_ERA}[ ]*)?(?:\d{{1,4}}|元)[ ]*|{_ERA}[ ]*)?年"
_OLD_DATE = rf"{_OLD_YEAR}[ ]*\d{{0,2}}[ ]*月(?:[ ]*\d{{0,2}}[ ]*日|(?=$|[ ~〜)\-、。]|から|まで))"
_OLD_PLACEHOLDER = re.compile(
    rf"(?P<date>{_OLD_DATE}(?:[ ]*(?:から|~|〜|-)[ ]*{_OLD_DATE})?)"
    rf"|{_ERA}[ ]+年"
    r"|[〇○◯]{2,}|●{2,}|■{2,}|□{2,}|△{2,}|[×✕]{2,}"
)
_OLD_ONE_DATE = re.compile(
    rf"(?P<era>{_ERA})?[ ]*(?P<year>\d{{1,4}}|元)?[ ]*年[ ]*(?P<month>\d{{0,2}})[ ]*月"
    r"(?:[ ]*(?P<day>\d{0,2})[ ]*(?P<has_day>日))?"
)
_OLD_MAY_HAVE_BLANK = re.compile(r"(?:^|[^\d元])[ ]*年|年[ ]*月|月[ ]*日|[〇○◯●■□△×✕]{2}")
_OLD_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?[ ]*[十百千万億]*円")

_PIECES = [
    *["<!--", "-->", "<", ">", "-", "--", "=", "plancheck:", "disable", "disable-file", "PC501"],
    *["$", "\\", "\\frac", "{", "}", "a", " ", "  ", "\t", "\u3000", "\n", ","],
    *["年", "月", "日", "元", "令和", "から", "~", "1", "12", "2024", "〇〇", "円", "万", "."],
]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=16).map("".join)


def _spans(pattern: re.Pattern[str] | norm._BeforeLastCloser, text: str) -> list[object]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@given(_TEXTS)
def test_same_matches_as_before(text):
    old = [(m.start(), m.end(), m[1], m[2].rstrip()) for m in _OLD_DIRECTIVE.finditer(text)]
    assert list(suppress._comments(text)) == old
    assert _spans(norm._HTML_COMMENT, text) == _spans(_OLD_HTML_COMMENT, text)
    assert _spans(norm._LATEX_MATH, text) == _spans(_OLD_LATEX_MATH, text)
    assert _spans(norm._TRAILING_SPACE, text) == _spans(_OLD_TRAILING_SPACE, text)
    assert _spans(wording._PLACEHOLDER, text) == _spans(_OLD_PLACEHOLDER, text)
    assert _spans(wording._ONE_DATE, text) == _spans(_OLD_ONE_DATE, text)
    may = wording._MAY_HAVE_BLANK.search(text) is not None
    assert may == (_OLD_MAY_HAVE_BLANK.search(text) is not None)
    figure, old_figure = wording._FIGURE.search(text), _OLD_FIGURE.search(text)
    assert (figure and figure.span("figure")) == (old_figure and old_figure.span())


_NAMED = st.sampled_from(["all", "PC", "PC5", "PC501", "PC1", "PC5011", "MC"])


@given(
    st.lists(
        st.tuples(st.integers(1, 6), st.booleans(), st.lists(_NAMED, max_size=3), st.booleans()),
        max_size=6,
    ),
    st.lists(st.tuples(st.sampled_from(["PC501", "PC502", "PC101", "MC101"]), st.integers(1, 7))),
)
def test_apply_silences_what_each_comment_silences(comments, findings):
    """The indexed ``apply`` keeps and records what asking every comment about every finding
    keeps and records."""

    def silences(directive: suppress.Directive, finding: Finding) -> bool:
        target = directive.span.line + (0 if directive.same_line else 1)
        if not directive.whole_file and finding.line != target:
            return False
        return any(code == "all" or finding.code.startswith(code) for code in directive.codes)

    def directives() -> list[suppress.Directive]:
        return [
            suppress.Directive(Span(line), whole, tuple(codes), same)
            for line, whole, codes, same in comments
        ]

    found = [
        Finding("p.txt", line, index, code, line, index, "rule", "warning", "message")
        for index, (code, line) in enumerate(findings)
    ]
    comments_ = directives()
    expected = []
    expected_used: list[set[str]] = [set() for _ in comments_]
    for finding in found:
        silencing = [n for n, d in enumerate(comments_) if silences(d, finding)]
        for number in silencing:
            expected_used[number].add(finding.code)
        if not silencing:
            expected.append(finding)
    kept, used = suppress.apply(found, comments_)
    assert [f.column for f in kept] == [f.column for f in expected]
    assert used == expected_used


@pytest.mark.parametrize(
    "line, found",
    [
        ("<!-- plancheck: disable=PC501 -->", [(1, 34, False, ("PC501",))]),
        ("<!--plancheck:disable-file= PC5, PC1 \t-->", [(1, 42, True, ("PC5", "PC1"))]),
        # the codes run to the first ">", which must close the comment
        (
            "<!-- plancheck: disable=PC501 <!-- plancheck: disable=PC1 -->",
            [(1, 62, False, ("PC501", "<!--", "plancheck:", "disable=PC1"))],
        ),
        ("<!-- plancheck: disable=PC501 -> x --> ", []),
        (
            "<!-- plancheck: disable=PC501 > <!-- plancheck: disable=PC1-->",
            [(33, 63, False, ("PC1",))],
        ),
    ],
)
def test_directive_codes_run_to_the_first_closing_bracket(line, found):
    directives = suppress.directives([line])
    assert [(d.span.column, d.span.end_column, d.whole_file, d.codes) for d in directives] == found


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _serve()
