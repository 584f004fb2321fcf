"""Places a person can find in Word and PDF (the heading, a quote, the table row, the page) in
every output format, and PDF tables read across a page break as in the .docx they came from."""

from __future__ import annotations

import json
import re
import warnings
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from docx_helper import build_docx
from pdf_helper import PAGE_BREAK, Grid, build_pdf

from plancheck.api import resources
from plancheck.api.results import Place
from plancheck.cli import main
from plancheck.engine.config import Settings
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.output import Report, github, html, junit, sarif
from plancheck.reading import pdf
from plancheck.reading.pdf import read_pdf

from conftest import FIXTURES, fixture_text

HOST = PluginHost(load_entry_points=False)
PERIOD = "2022年4月1日から2025年3月31日まで"
WRONG_PERIOD = "2022年4月1日から2025年2月30日まで"  # PC302 under 5-2 ⑧
WRONG_TOTAL = (
    "KPI②\t0.00\t15.00\t20.00\t25.00\t-\t-\t60.00",
    "KPI②\t0.00\t15.00\t20.00\t25.00\t-\t-\t61.00",
)


def linter(**settings) -> Linter:
    return Linter(Settings(**settings), HOST)


def defective_plan() -> str:
    before, item, after = fixture_text("midorino-2021.txt").partition("⑧ 事業実施期間")
    return (before + item + after.replace(PERIOD, WRONG_PERIOD, 1)).replace(*WRONG_TOTAL)


@pytest.fixture(scope="module")
def word_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("word") / "plan.docx"
    path.write_bytes(build_docx(defective_plan()).data)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- Place.describe ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "ja", "en"),
    [
        (
            Place(paragraph=143, heading="5-2 ⑧ 事業実施期間", quote="2021年4月1日から…"),
            "「5-2 ⑧ 事業実施期間」の「2021年4月1日から…」",
            'under "5-2 ⑧ 事業実施期間", "2021年4月1日から…"',
        ),
        (
            Place(paragraph=40, table=2, row=3, quote="KPI2"),
            "表2 の 3 行目 「KPI2」",
            'table 2 row 3 "KPI2"',
        ),
        (
            Place(page=3, table=1, row=2, heading="4-2 目指す将来像", quote="23,500千円"),
            "3ページ 「4-2 目指す将来像」の表1 の 2 行目 「23,500千円」",
            'page 3 under "4-2 目指す将来像", table 1 row 2 "23,500千円"',
        ),
        (Place(page=2, heading="7 評価"), "2ページ 「7 評価」", 'page 2 under "7 評価"'),
        (Place(paragraph=12), "段落 12", "paragraph 12"),  # a reader's place, nothing to quote
    ],
)
def test_describe_names_the_heading_the_quote_the_row_and_the_page(place, ja, en):
    assert place.describe("ja") == ja
    assert place.describe("en") == en


# --- Word: headings and quotes from the plan, in every format -----------------------------------


def test_word_findings_name_their_heading_and_quote(word_file):
    findings = linter().check_file(word_file).findings
    period = [f for f in findings if f.code == "PC302"]
    assert period and {f.place.heading for f in period} == {"5-2 ⑧ 事業実施期間"}
    assert {f.place.quote for f in period} == {"2022年4月1日から2025年2月30…"}
    assert all(f.place.table is None for f in period)
    (total,) = [f for f in findings if f.code == "PC201"]
    assert total.place.heading == "4-2 地方創生として目指す将来像"
    assert (total.place.table, total.place.row, total.place.quote) == (1, 7, "61.00")


def test_text_files_keep_their_line_numbers_only(capsys, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(defective_plan(), encoding="utf-8")
    findings = json.loads(run(capsys, "check", "--format", "json", str(path))[1])
    assert findings and not any({"heading", "quote", "paragraph"} & set(f) for f in findings)
    out = run(capsys, "check", "--select", "PC201", str(path))[1]
    assert out.splitlines()[0].endswith("一致しません（4-2 の表）")


def test_json_carries_heading_and_quote_and_fits_its_schema(capsys, word_file):
    code, out, _ = run(capsys, "check", "--format", "json", str(word_file))
    findings = json.loads(out)
    jsonschema.validate(findings, resources.load_schema("findings.schema.json"))
    total = next(f for f in findings if f["code"] == "PC201")
    assert total["heading"] == "4-2 地方創生として目指す将来像" and total["quote"] == "61.00"
    assert (total["table"], total["row"]) == (1, 7)


def test_text_output_in_both_languages(capsys, word_file):
    out = run(capsys, "check", "--select", "PC302", str(word_file))[1]
    assert "(「5-2 ⑧ 事業実施期間」の「2022年4月1日から2025年2月30…」)" in out
    out = run(capsys, "check", "--lang", "en", "--select", "PC302", str(word_file))[1]
    assert '(under "5-2 ⑧ 事業実施期間", "2022年4月1日から2025年2月30…")' in out


def test_sarif_puts_the_place_in_the_location_message_and_properties(word_file):
    log = sarif.build_log([linter().check_file(word_file)], Report())
    results = log["runs"][0]["results"]
    total = next(r for r in results if r["ruleId"] == "PC201")
    assert total["locations"][0]["message"]["text"] == (
        "「4-2 地方創生として目指す将来像」の表1 の 7 行目 「61.00」"
    )
    assert total["properties"]["place"] == {
        "paragraph": total["locations"][0]["physicalLocation"]["region"]["startLine"],
        "table": 1,
        "row": 7,
        "heading": "4-2 地方創生として目指す将来像",
        "quote": "61.00",
    }
    text_log = sarif.build_log([linter().check_bytes(defective_plan().encode(), "p.txt")], Report())
    assert not any("properties" in r for r in text_log["runs"][0]["results"])


def test_html_has_place_columns_for_word_files_only(word_file):
    word = linter().check_file(word_file)
    text = linter().check_bytes(defective_plan().encode(), "plan.txt")
    page = html.render([word, text], Report())
    word_part, text_part = page.split("<h2>plan.txt</h2>")
    for label in ("ページ", "表", "行目", "段落", "見出し", "該当箇所"):
        assert f"<th>{label}</th>" in word_part and f"<th>{label}</th>" not in text_part
    assert '<td data-place="heading">5-2 ⑧ 事業実施期間</td>' in word_part
    assert '<td data-place="quote">2022年4月1日から2025年2月30…</td>' in word_part
    assert '<td data-place="row" class="num">7</td>' in word_part
    english = html.render([word], Report(lang="en"))
    assert "<th>Heading</th>" in english and "<th>Text</th>" in english


def test_github_and_junit_name_the_place(word_file):
    result = linter().check_file(word_file)
    annotations = github.render([result], Report())
    assert "(「4-2 地方創生として目指す将来像」の表1 の 7 行目 「61.00」)" in annotations
    suites = ET.fromstring(junit.render([result], Report(lang="en")))
    texts = [element.text or "" for element in suites.iter("failure")]
    assert any('(under "5-2 ⑧ 事業実施期間", "2022年4月1日から2025年2月30…")' in t for t in texts)


def test_quotes_are_cut_and_made_one_line(tmp_path):
    long_line = "　" + "あ" * 30 + "\u200b" + "い" * 30
    text = defective_plan().replace("特になし。", long_line + "2019年2月30日")
    result = linter(select=["PC302"]).check_bytes(build_docx(text).data, "plan.docx")
    quotes = {f.place.quote for f in result.findings if "2019" in f.message}
    assert quotes == {"あ" * 20 + "…"}


def test_web_api_answers_with_heading_and_quote(tmp_path, monkeypatch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from plancheck.web import create_app

    monkeypatch.chdir(tmp_path)
    client = TestClient(create_app(), base_url="http://127.0.0.1:8000")
    data = build_docx(defective_plan()).data
    response = client.post(
        "/api/check", files={"file": ("plan.docx", data, "application/octet-stream")}
    )
    findings = response.json()
    findings = findings["findings"] if isinstance(findings, dict) else findings
    total = next(f for f in findings if f["code"] == "PC201")
    assert (total["heading"], total["quote"]) == ("4-2 地方創生として目指す将来像", "61.00")


# --- PDF: pages, and a table across a page break -------------------------------------------------

PDF_PLAN = FIXTURES.parent / "pdf" / "midorino-2017-defects.txt"


def blocks_of(text: str) -> list[str | Grid]:
    """The plan as paragraphs and tables, as make_pdf.py lays it out."""
    blocks: list[str | Grid] = []
    rows: list[list[str]] = []
    for line in [*text.split("\n"), ""]:
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            blocks.append(Grid(rows))
            rows = []
        if line.strip():
            blocks.append(line)
    return blocks


def broken_table_pdf(repeat_header: bool = True) -> bytes:
    """The plan with its 4-2 KPI table broken by a page: the header and the start of the first
    KPI row on page 1, where 「48,500千円」 and the wrong total 「23,500千円」 are cut; the rest
    of that row, and the other rows, on page 2, under the repeated header row."""
    blocks = blocks_of(PDF_PLAN.read_text(encoding="utf-8"))
    at = next(index for index, block in enumerate(blocks) if isinstance(block, Grid))
    table = blocks[at]
    assert isinstance(table, Grid)
    header, row, *rest = table.rows
    assert row[1] == "48,500千円" and row[5] == "23,500千円"
    top = [row[0], "48,500千", *row[2:5], "23,50"]
    bottom = ["", "円", "", "", "", "0千円"]
    blocks[at : at + 1] = [
        Grid([header, top]),
        PAGE_BREAK,
        Grid([*([header] if repeat_header else []), bottom, *rest]),
    ]
    return build_pdf(blocks, header="みどり野市 地域再生計画")


def places(findings) -> list[tuple]:
    # the CID font reads ～ back as 〜 (both are the wave dash of its character set)
    return [
        (
            f.code,
            f.place.table,
            f.place.row,
            f.place.heading,
            (f.place.quote or "").replace("〜", "～"),
        )
        for f in findings
    ]


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "no-header"])
def test_pdf_table_across_a_page_break_gives_the_docx_findings(repeat_header):
    text = PDF_PLAN.read_text(encoding="utf-8")
    expected = linter().check_bytes(build_docx(text).data, "plan.docx").findings
    assert {"PC201", "PC203"} <= {f.code for f in expected}
    result = linter().check_bytes(broken_table_pdf(repeat_header), "plan.pdf")
    assert places(result.findings) == places(expected)
    total = next(f for f in result.findings if f.code == "PC201")
    assert (total.place.page, total.place.table, total.place.row) == (1, 1, 2)
    assert [f.code for f in result.findings] == [
        f.code for f in linter().check_bytes(text.encode(), "plan.txt").findings
    ]


def test_pdf_table_rows_are_joined_and_numbered_as_one_table():
    source = read_pdf(broken_table_pdf(), "plan.pdf")
    rows = [
        (p.page, p.table, p.row, line)
        for line, p in zip(source.lines, source.places, strict=True)
        if p.table
    ]
    assert [row[:3] for row in rows[:4]] == [(1, 1, 1), (1, 1, 2), (2, 1, 3), (2, 1, 4)]
    assert rows[1][3].split("\t")[1:] == [
        "48,500千円",
        "6,000千円",
        "7,500千円",
        "9,000千円",
        "23,500千円",
    ]
    assert {row[1] for row in rows} == {1, 2, 3}  # the 5-2 and 7-2 tables keep their numbers
    assert sum("事業開始前" in row[3] for row in rows) == 3  # one header row a table


def test_a_table_opening_a_page_after_another_text_is_its_own_table():
    # 「4-2」 page 1 ends with a paragraph, not a table: page 2's table is a table of its own
    blocks = [
        "4-2 地方創生として目指す将来像",
        Grid([["KPI", "1年目"], ["a", "1"]]),
        "本文です。",
        PAGE_BREAK,
    ]
    blocks.append(Grid([["KPI", "1年目"], ["", "2"]]))
    source = read_pdf(build_pdf(blocks), "plan.pdf")
    assert [(p.table, p.row) for p in source.places if p.table] == [(1, 1), (1, 2), (2, 1), (2, 2)]


@pytest.mark.parametrize(
    ("parts", "joined"),
    [
        (["10,000.", "00"], "10,000.00"),
        (["23,50", "0千円"], "23,500千円"),
        (["plan", "check"], "plan check"),
    ],
)
def test_numbers_broken_in_a_cell_are_joined_without_a_space(parts, joined):
    assert pdf._unwrap(parts) == joined


def test_pdf_findings_carry_the_page_in_every_format(capsys, tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(broken_table_pdf())
    out = run(capsys, "check", "--select", "PC201", str(path))[1]
    assert re.search(
        r":\d+:\d+: PC201 .*\(1ページ 「4-2 地方創生として目指す将来像」の表1 の 2 行目 「23,500千円」\)",
        out,
    )
    (finding,) = json.loads(
        run(capsys, "check", "--select", "PC201", "--format", "json", str(path))[1]
    )
    assert (finding["page"], finding["table"], finding["row"]) == (1, 1, 2)
