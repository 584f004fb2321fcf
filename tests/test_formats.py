"""Output formats on real results: sarif, junit, github, csv, html, and the coloured text format."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from plancheck import __version__
from plancheck.api.results import FileResult
from plancheck.api.rule import Finding
from plancheck.cli import main
from plancheck.engine.config import Settings
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.output import Report, sorted_findings
from plancheck.output.csv import BOM
from plancheck.output.github import escape_data, escape_property
from plancheck.output.sarif import artifact_uri

from conftest import FIXTURES, REAL_PLANS, SHARED, corpus_file, fixture_text

HOST = PluginHost(load_entry_points=False)
FORMATS = ("sarif", "junit", "github", "csv", "html")
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
DRAFT = FIXTURES.parents[2] / "examples" / "midorino-draft.txt"

KPI_HEADING = "⑤ 事業の実施状況に関する客観的な指標（重要業績評価指標（KPI））"
# One defect of each severity, and a plan line carrying markup that must stay text in HTML.
DEFECTS = (
    (KPI_HEADING, KPI_HEADING.replace("業績", "事業") + "<script>alert(1)</script>"),  # PC503
    ("2022年4月1日から2025年3月31日まで", "2022年4月1日から2025年2月30日まで"),  # PC302 x2
    ("⑨ その他必要な事項\n\n特になし。", "⑨ その他必要な事項\n\n平成32年3月31日まで"),  # PC304
)


def injected(name: str) -> str:
    text = fixture_text(name)
    for old, new in DEFECTS:
        assert old in text
        text = text.replace(old, new)
    return text


def lint_batch(lang: str = "ja") -> list[FileResult]:
    """A clean plan, a plan with injected defects and an unreadable file, deliberately unsorted."""
    linter = Linter(Settings(lang=lang), HOST)
    return [
        linter.check_bytes(injected("midorino-2021.txt").encode("utf-8"), "plans/defects.txt"),
        linter.check_bytes(b"\x00\x01\x02binary", "plans/scan.txt"),
        linter.check_bytes(fixture_text("midorino-2016.txt").encode("utf-8"), "plans/clean.txt"),
    ]


@pytest.fixture(scope="module")
def batch() -> list[FileResult]:
    return lint_batch()


@pytest.fixture(scope="module")
def corpus_batch() -> list[FileResult]:
    linter = Linter(Settings(), HOST)
    names = (*REAL_PLANS, "tokku-keihin-evaluation-2020.txt")
    results = [linter.check_file(corpus_file(name)) for name in names]
    # the batch is only a useful test if it holds every severity (PC001, PC503, PC304 today)
    assert {f.severity for result in results for f in result.findings} == {
        "error",
        "warning",
        "info",
    }
    return results


def render(name: str, results: list[FileResult], lang: str = "ja") -> str:
    return HOST.formats[name](results, Report(lang=lang, rules=tuple(HOST.rules)))


def by_path(results: list[FileResult]) -> dict[str, FileResult]:
    return {result.path: result for result in results}


def test_the_batch_has_what_the_tests_rely_on(batch):
    results = by_path(batch)
    assert [(f.code, f.line, f.severity) for f in results["plans/defects.txt"].findings] == [
        ("PC503", 115, "warning"),
        ("PC302", 145, "error"),
        ("PC304", 149, "info"),
        ("PC302", 171, "error"),
    ]
    assert results["plans/clean.txt"].findings == []
    assert "バイナリファイル" in results["plans/scan.txt"].error


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_is_registered_and_deterministic(name, batch):
    first = render(name, batch)
    assert render(name, list(reversed(batch))) == first
    assert render(name, lint_batch()) == first


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_renders_an_empty_batch(name):
    assert isinstance(render(name, []), str)


# --- sarif ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> Draft7Validator:
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"SARIF schema not available at {SARIF_SCHEMA} (set PLANCHECK_SHARED)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    # The registry holds only this schema: a remote $ref would fail here instead of downloading.
    registry = Registry().with_resource(
        schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7)
    )
    return Draft7Validator(schema, registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER)


def assert_valid_sarif(validator: Draft7Validator, log: dict) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []


def sarif_results(log: dict) -> list[tuple]:
    return [
        (
            unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]),
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["ruleId"],
            r["level"],
            r["message"]["text"],
        )
        for r in log["runs"][0]["results"]
    ]


LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def expected_sarif_results(results: list[FileResult], uri=lambda path: path) -> list[tuple]:
    return [
        (uri(f.path), f.line, f.column, f.code, LEVELS[f.severity], f.message)
        for f in sorted_findings(results)
    ]


@pytest.mark.parametrize("files", ["all", "clean", "none"])
def test_sarif_matches_the_official_schema(files, batch, sarif_validator):
    chosen = {"all": batch, "clean": [by_path(batch)["plans/clean.txt"]], "none": []}[files]
    assert_valid_sarif(sarif_validator, json.loads(render("sarif", chosen)))


def test_sarif_carries_the_findings(batch):
    log = json.loads(render("sarif", batch))
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    assert sarif_results(log) == expected_sarif_results(batch)
    levels = {r["ruleId"]: r["level"] for r in log["runs"][0]["results"]}
    assert levels == {"PC302": "error", "PC503": "warning", "PC304": "note"}


def test_sarif_driver_describes_every_loaded_rule(batch):
    driver = json.loads(render("sarif", batch))["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("plancheck", __version__)
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in HOST.rules]
    pc503 = next(rule for rule in driver["rules"] if rule["id"] == "PC503")
    assert pc503["name"] == "terminology"
    assert pc503["shortDescription"]["text"] == HOST.rule("PC503").summary()
    assert pc503["fullDescription"]["text"] == HOST.rule("PC503").documentation()
    assert pc503["help"]["text"] == HOST.rule("PC503").documentation()
    assert pc503["defaultConfiguration"] == {"level": "warning"}
    assert next(r for r in driver["rules"] if r["id"] == "PC304")["defaultConfiguration"] == {
        "level": "note"
    }
    for result in json.loads(render("sarif", batch))["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_region_and_source_line(batch):
    log = json.loads(render("sarif", batch))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["region"] == {
        "startLine": 115,
        "startColumn": 21,
        "endLine": 115,
        "endColumn": 29,
    }
    assert location["contextRegion"]["snippet"]["text"].endswith("<script>alert(1)</script>")


def test_sarif_unreadable_file_is_a_failed_invocation(batch):
    log = json.loads(render("sarif", batch))
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["message"]["text"] == by_path(batch)["plans/scan.txt"].error
    uri = notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "plans/scan.txt"

    clean = json.loads(render("sarif", [by_path(batch)["plans/clean.txt"]]))
    assert clean["runs"][0]["invocations"] == [
        {"executionSuccessful": True, "toolExecutionNotifications": []}
    ]
    assert clean["runs"][0]["results"] == []


def test_sarif_on_the_real_plans(corpus_batch, sarif_validator):
    log = json.loads(render("sarif", corpus_batch))
    assert_valid_sarif(sarif_validator, log)

    def as_uri(path):
        return unquote(artifact_uri(path))

    assert sarif_results(log) == expected_sarif_results(corpus_batch, as_uri)
    assert all(r[0].startswith("file:///") for r in sarif_results(log))  # absolute paths


def test_sarif_uri_keeps_a_relative_path_relative():
    assert artifact_uri("plans/みどり野 計画.txt") == (
        "plans/%E3%81%BF%E3%81%A9%E3%82%8A%E9%87%8E%20%E8%A8%88%E7%94%BB.txt"
    )
    assert artifact_uri("-") == "-"
    assert artifact_uri("/srv/plans/a.txt") == "file:///srv/plans/a.txt"


# --- junit ----------------------------------------------------------------------------------------


def test_junit_one_suite_per_file_one_case_per_finding(batch):
    root = ET.fromstring(render("junit", batch).encode("utf-8"))
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert list(suites) == ["plans/clean.txt", "plans/defects.txt", "plans/scan.txt"]

    defects = by_path(batch)["plans/defects.txt"]
    errors = [f for f in defects.findings if f.severity == "error"]
    suite = suites["plans/defects.txt"]
    # every finding is a case; only those at the fail level (error by default) fail
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == (
        str(len(defects.findings)),
        str(len(errors)),
        "0",
    )
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == [
        f"{f.code} {f.line}:{f.column}" for f in sorted(defects.findings)
    ]
    assert {case.get("classname") for case in cases} == {"plans/defects.txt"}
    for case, finding in zip(cases, sorted(defects.findings), strict=True):
        failure, output = case.find("failure"), case.find("system-out")
        if finding.severity == "error":
            assert failure.get("message") == finding.message
            assert failure.get("type") == finding.severity
            detail = failure.text
        else:
            assert failure is None  # below --fail-on: passes, with the finding as its output
            detail = output.text
        assert detail.startswith(f"plans/defects.txt:{finding.line}:{finding.column}: ")
    assert "<script>alert(1)</script>" in "".join(case.findtext("*") for case in cases)
    assert suite.find("properties/property").attrib == {
        "name": "profile",
        "value": "chiiki-saisei-2021",
    }


def test_junit_follows_fail_on(batch):
    strict = ET.fromstring(HOST.formats["junit"](batch, Report(fail_on="info")).encode("utf-8"))
    total = sum(len(result.findings) for result in batch)
    assert strict.get("failures") == str(total)


def test_junit_clean_file_passes_and_unreadable_file_errors(batch):
    root = ET.fromstring(render("junit", batch).encode("utf-8"))
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    clean = suites["plans/clean.txt"]
    assert (clean.get("tests"), clean.get("failures"), clean.get("errors")) == ("1", "0", "0")
    (case,) = clean.findall("testcase")
    assert list(case) == []  # a test case without a child element passed

    unreadable = suites["plans/scan.txt"]
    assert (unreadable.get("tests"), unreadable.get("errors")) == ("1", "1")
    error = unreadable.find("testcase/error")
    assert error.get("message") == by_path(batch)["plans/scan.txt"].error
    errors = sum(f.severity == "error" for result in batch for f in result.findings)
    assert (root.get("failures"), root.get("errors")) == (str(errors), "1")


def test_junit_on_the_real_plans(corpus_batch):
    root = ET.fromstring(render("junit", corpus_batch).encode("utf-8"))
    failing = [
        (suite.get("name"), case.get("name"), case.find("failure").get("type"))
        for suite in root.findall("testsuite")
        for case in suite.findall("testcase")
        if case.find("failure") is not None
    ]
    expected = [
        (f.path, f"{f.code} {f.line}:{f.column}", f.severity)
        for f in sorted_findings(corpus_batch)
        if f.severity == "error"
    ]
    assert failing == expected  # the 評価書's PC001 only: the accepted plans pass
    without_errors = [
        r.path for r in corpus_batch if all(f.severity != "error" for f in r.findings)
    ]
    passing = [s.get("name") for s in root.findall("testsuite") if s.get("failures") == "0"]
    assert passing == sorted(without_errors)


def test_junit_survives_control_characters_in_a_message():
    finding = Finding("a.txt", 1, 1, "PC999", 1, 2, "odd", "error", "bell\x07 and form feed\x0c")
    root = ET.fromstring(render("junit", [FileResult("a.txt", None, [finding])]).encode("utf-8"))
    assert (
        root.find("testsuite/testcase/failure").get("message") == "bell\ufffd and form feed\ufffd"
    )


# --- github ---------------------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text: str) -> str:
    for escaped, raw in (("%3A", ":"), ("%2C", ","), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def parse_commands(out: str) -> list[tuple[str, dict[str, str], str]]:
    commands = []
    for line in out.splitlines():
        match = COMMAND.match(line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match.group(2).split(","))
        commands.append(
            (
                match.group(1),
                {k: unescape(v) for k, v in properties.items()},
                unescape(match.group(3)),
            )
        )
    return commands


def test_github_one_command_per_finding(batch):
    commands = parse_commands(render("github", batch))
    unreadable = by_path(batch)["plans/scan.txt"]
    assert commands[0] == (
        "error",
        {"file": "plans/scan.txt", "title": "plancheck"},
        unreadable.error,
    )
    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    assert commands[1:] == [
        (
            kinds[f.severity],
            {
                "file": f.path,
                "line": str(f.line),
                "col": str(f.column),
                "endLine": str(f.end_line),
                "endColumn": str(f.end_column),
                "title": f"{f.code} {f.rule}",
            },
            f.message,
        )
        for f in sorted_findings(batch)
    ]


def test_github_escapes_data_and_properties():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a,b: 100%") == "a%2Cb%3A 100%25"
    finding = Finding(
        "dir,x/a:b.txt", 3, 1, "PC999", 3, 4, "odd", "warning", "line one\nline two 5%"
    )
    out = render("github", [FileResult("dir,x/a:b.txt", None, [finding])])
    assert out == (
        "::warning file=dir%2Cx/a%3Ab.txt,line=3,col=1,endLine=3,endColumn=4,"
        "title=PC999 odd::line one%0Aline two 5%25\n"
    )
    ((_, properties, text),) = parse_commands(out)
    assert (properties["file"], text) == ("dir,x/a:b.txt", "line one\nline two 5%")


def test_github_on_the_real_plans(corpus_batch):
    commands = parse_commands(render("github", corpus_batch))
    assert [
        (props["file"], int(props["line"]), props["title"].split()[0]) for _, props, _ in commands
    ] == [(f.path, f.line, f.code) for f in sorted_findings(corpus_batch)]


# --- csv ------------------------------------------------------------------------------------------

HEADER = [
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "code",
    "rule",
    "severity",
    "message",
    "profile",
    "errors",
    "warnings",
    "infos",
    "place",
    "page",
    "table",
    "row",
    "paragraph",
]


def read_csv(out: str, tmp_path) -> list[dict[str, str]]:
    """Read the output as Excel would: the bytes of a file, decoded with the BOM."""
    path = tmp_path / "report.csv"
    path.write_bytes(out.encode("utf-8"))
    assert path.read_bytes().startswith(BOM.encode("utf-8"))
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def test_csv_rows_with_per_file_counts(batch, tmp_path):
    rows = read_csv(render("csv", batch, "en"), tmp_path)
    assert [row["path"] for row in rows] == ["plans/clean.txt"] + ["plans/defects.txt"] * 4 + [
        "plans/scan.txt"
    ]
    clean = rows[0]
    assert clean["code"] == clean["message"] == ""
    assert (clean["profile"], clean["errors"], clean["warnings"], clean["infos"]) == (
        "chiiki-saisei-2016",
        "0",
        "0",
        "0",
    )
    defects = sorted(by_path(batch)["plans/defects.txt"].findings)
    for row, finding in zip(rows[1:5], defects, strict=True):
        assert row == {
            "path": finding.path,
            "line": str(finding.line),
            "column": str(finding.column),
            "end_line": str(finding.end_line),
            "end_column": str(finding.end_column),
            "code": finding.code,
            "rule": finding.rule,
            "severity": finding.severity,
            "message": finding.message,
            "profile": "chiiki-saisei-2021",
            "errors": "2",
            "warnings": "1",
            "infos": "1",
            **dict.fromkeys(("place", "page", "table", "row", "paragraph"), ""),
        }
    unreadable = rows[5]
    assert unreadable["message"] == by_path(batch)["plans/scan.txt"].error
    assert unreadable["code"] == unreadable["errors"] == ""  # not checked: no counts at all


def test_csv_on_the_real_plans(corpus_batch, tmp_path):
    rows = read_csv(render("csv", corpus_batch, "en"), tmp_path)
    found = [(row["path"], int(row["line"]), row["code"]) for row in rows if row["code"]]
    assert found == [(f.path, f.line, f.code) for f in sorted_findings(corpus_batch)]
    assert len(rows) == len(found) + sum(1 for r in corpus_batch if not r.findings)


def test_csv_cells_that_excel_would_run_as_formulas_are_quoted_as_text(tmp_path):
    finding = Finding("=HYPERLINK(1)", 1, 1, "PC999", 1, 2, "odd", "error", "@SUM(A1)")
    rows = read_csv(render("csv", [FileResult("=HYPERLINK(1)", None, [finding])], "en"), tmp_path)
    assert (rows[0]["path"], rows[0]["message"]) == ("'=HYPERLINK(1)", "'@SUM(A1)")
    rows = read_csv(render("csv", [FileResult("-", "chiiki-saisei-2021")], "en"), tmp_path)
    assert rows[0]["path"] == "-"  # standard input stays as it is


# --- html -----------------------------------------------------------------------------------------


class Page(HTMLParser):
    """Collects the start tags, the text, and every table's rows of cell texts."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: dict[str | None, list[list[str]]] = {}
        self.text: list[str] = []
        self._table: list[list[str]] = []
        self._cell: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "table":
            self._table = self.tables.setdefault(attributes.get("id") or f"t{len(self.tables)}", [])
        elif tag == "tr":
            self._table.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._table[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def attributes(self, tag: str, name: str) -> list[str | None]:
        return [attrs.get(name) for t, attrs in self.tags if t == tag and name in attrs]


def test_html_summary_table_links_every_file(batch):
    page = Page(render("html", batch))
    header, *rows = page.tables["summary"]
    assert header == ["ファイル", "様式", "エラー", "警告", "情報", "計"]
    assert rows == [
        ["plans/clean.txt", "chiiki-saisei-2016", "0", "0", "0", "0"],
        ["plans/defects.txt", "chiiki-saisei-2021", "2", "1", "1", "4"],
        ["plans/scan.txt", "読み込めません", "-", "-", "-", "-"],
    ]
    links = [href for href in page.attributes("a", "href") if href != "#summary"]
    assert links == ["#file-1", "#file-2", "#file-3"]
    assert page.attributes("section", "id") == ["file-1", "file-2", "file-3"]
    sortable = [
        attrs["data-type"] for tag, attrs in page.tags if tag == "th" and "data-type" in attrs
    ]
    assert sortable == ["text", "text", "number", "number", "number", "number"]


def test_html_findings_with_source_lines(batch):
    page = Page(render("html", batch))
    findings_table = next(rows for key, rows in page.tables.items() if key != "summary")
    header, *rows = findings_table
    assert header == ["位置", "重大度", "コード", "内容"]
    defects = sorted(by_path(batch)["plans/defects.txt"].findings)
    assert [row[:3] for row in rows] == [
        [
            f"{f.line}:{f.column}",
            {"error": "エラー", "warning": "警告", "info": "情報"}[f.severity],
            f"{f.code}{f.rule}",
        ]
        for f in defects
    ]
    assert rows[0][3].startswith(defects[0].message)
    assert rows[0][3].endswith(
        f"115 | {KPI_HEADING.replace('業績', '事業')}<script>alert(1)</script>"
    )
    text = "".join(page.text)
    assert "指摘はありません。" in text  # the clean file
    assert by_path(batch)["plans/scan.txt"].error in text


def test_html_escapes_plan_text_and_marks_the_finding():
    out = render("html", lint_batch())
    assert "<script>alert" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<mark>重要事業評価指標</mark>" in out
    page = Page(out)
    assert [t for t, _ in page.tags].count("script") == 1  # only the page's own sorting script
    finding = Finding(
        '<img src=x onerror="alert(1)">', 1, 1, "PC999", 1, 2, "<b>", "error", "a & <i>b</i>"
    )
    out = render("html", [FileResult(finding.path, None, [finding], None, {1: "<iframe>"})])
    page = Page(out)
    assert {tag for tag, _ in page.tags}.isdisjoint({"img", "b", "i", "iframe"})
    assert "a & <i>b</i>" in "".join(page.text)


def test_html_is_self_contained(batch):
    out = render("html", batch)
    page = Page(out)
    for tag, attrs in page.tags:
        for name in ("src", "href", "action"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*(https?:)?//", value), (tag, name, value)
    assert {tag for tag, _ in page.tags}.isdisjoint({"link", "img", "iframe", "object"})
    assert "url(" not in out and "@import" not in out


def test_html_english_labels(tmp_path):
    page = Page(render("html", lint_batch("en"), lang="en"))
    assert ("html", {"lang": "en"}) in page.tags
    assert page.tables["summary"][0] == ["File", "Profile", "Errors", "Warnings", "Info", "Total"]
    assert "Could not be read" in page.tables["summary"][3]
    assert "ファイル" not in "".join(page.text)


def test_html_on_the_real_plans(corpus_batch):
    page = Page(render("html", corpus_batch))
    _, *rows = page.tables["summary"]
    expected = sorted(corpus_batch, key=lambda r: r.path)
    assert [row[0] for row in rows] == [r.path for r in expected]
    assert [int(row[5]) for row in rows] == [len(r.findings) for r in expected]
    finding_rows = [
        row for key, table in page.tables.items() if key != "summary" for row in table[1:]
    ]
    assert [row[0] for row in finding_rows] == [
        f"{f.line}:{f.column}" for f in sorted_findings(corpus_batch)
    ]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_html_sorting_script_is_valid_javascript(batch, tmp_path):
    script = re.search(r"<script>(.*)</script>", render("html", batch), re.S).group(1)
    path = tmp_path / "sort.js"
    path.write_text(script, encoding="utf-8")
    proc = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


# --- text colour ----------------------------------------------------------------------------------


def test_text_is_coloured_only_when_asked(batch):
    plain = HOST.formats["text"](batch, Report(rules=tuple(HOST.rules)))
    assert "\x1b" not in plain
    coloured = HOST.formats["text"](batch, Report(rules=tuple(HOST.rules), color=True))
    assert re.sub("\x1b\\[[0-9;]*m", "", coloured) == plain
    first = coloured.splitlines()[0]
    assert first.startswith(
        "\x1b[1mplans/defects.txt\x1b[0m:115:21: PC503 [*] [\x1b[33mwarning\x1b[0m]"
    )
    assert "[\x1b[1;31merror\x1b[0m]" in coloured and "[\x1b[36minfo\x1b[0m]" in coloured


# --- through the command line ---------------------------------------------------------------------

PARSERS = {
    "sarif": lambda out: len(json.loads(out)["runs"][0]["results"]),
    "junit": lambda out: sum(  # one case per finding; a clean file's case is "no findings"
        case.get("name") != "no findings"
        for case in ET.fromstring(out.encode("utf-8")).iter("testcase")
    ),
    "github": lambda out: len(parse_commands(out)),
    "csv": lambda out: sum(  # the code column (headers follow --lang)
        1 for row in list(csv.reader(io.StringIO(out.removeprefix(BOM))))[1:] if row[5]
    ),
    "html": lambda out: sum(len(t) - 1 for k, t in Page(out).tables.items() if k != "summary"),
}


@pytest.mark.parametrize("name", FORMATS)
def test_cli_format(name, capsys):
    code = main(["check", "--format", name, str(FIXTURES / "midorino-2021.txt"), str(DRAFT)])
    out, err = capsys.readouterr()
    assert code == 1  # the draft's PC101 error
    assert PARSERS[name](out) == 2  # PC101 and PC104 in the draft, nothing in the clean plan
    assert "\x1b" not in out and "Traceback" not in err


def test_cli_text_is_not_coloured_when_not_a_terminal(capsys):
    main(["check", str(DRAFT)])
    assert "\x1b" not in capsys.readouterr().out
