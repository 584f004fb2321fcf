"""End to end in a real browser: Debian's chromium, driven by Playwright, on a live ``plancheck serve``.

Never downloads a browser (no ``playwright install``): it skips, saying why, where /usr/bin/chromium
or the playwright package is missing. The screenshot is kept under the test's tmp folder and, when
PLANCHECK_ARTIFACTS names a folder, there too.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import openpyxl
import pytest
import uvicorn

from plancheck.web import create_app

from conftest import XSS, fixture_text, web_defect_plan

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    pytest.skip(
        f"Debian's chromium is not at {CHROMIUM} (apt-get install chromium): no browser to drive",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright Python package is not installed"
)
expect = sync_api.expect


@pytest.fixture
def server(tmp_path, monkeypatch):
    """``plancheck serve`` on a free port of 127.0.0.1, in a thread; yields its address."""
    monkeypatch.chdir(tmp_path)
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    listening.close()


@pytest.fixture
def browser(server):
    """Chromium; every page it opens may reach the server and nothing else (the page must work
    offline)."""
    elsewhere: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        browser.elsewhere = elsewhere
        yield browser
        browser.close()
    assert elsewhere == []


def open_page(browser, server: str, locale: str = "ja-JP"):
    """The page in a new browser context whose language is ``locale`` (nothing stored yet)."""
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, locale=locale, accept_downloads=True
    )

    def local_only(route):
        if route.request.url.startswith((server, "data:", "blob:")):
            route.continue_()
        else:
            browser.elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    page = context.new_page()
    page.goto(server + "/")
    return page


@pytest.fixture
def page(browser, server):
    """The page in a Japanese browser."""
    return open_page(browser, server)


def save_screenshot(page, tmp_path: Path, name: str) -> Path:
    shot = tmp_path / name
    page.screenshot(path=str(shot))
    artifacts = os.environ.get("PLANCHECK_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(artifacts) / name)
    return shot


def test_upload_shows_the_findings_on_their_lines(page, tmp_path):
    plan = tmp_path / "midorino-2021-defects.txt"
    plan.write_text(web_defect_plan(), encoding="utf-8")
    page.set_input_files("#file", str(plan))

    findings = page.locator("#findings .finding")
    expect(findings).to_have_count(3)
    expect(page.locator("#findings h2")).to_have_text(["エラー（2）", "警告（1）"])
    expect(page.locator("#filters")).to_have_text(
        re.compile(r"エラー \(2\)\s*警告 \(1\)\s*情報 \(0\)")
    )
    expect(page.locator("#summary")).to_contain_text("不足している節・項目 1")
    # each finding is highlighted on its line, the exact words marked
    expect(page.locator("#L41")).to_have_class(re.compile(r"\berror\b"))
    expect(page.locator("#L41 mark.error")).to_have_text("61.00")
    expect(page.locator("#L113 mark.warning")).to_have_text("重要事業評価指標")
    expect(page.locator("#L41 .note")).to_contain_text("累計 61.00 が増加分の合計 60.00")
    # the outline shows the missing section
    expect(page.locator("#outline .missing")).to_contain_text(["5-1 全体の概要"])

    # markup in the plan is shown as text and never runs
    expect(page.locator("#L19 .text")).to_contain_text(XSS)
    assert page.locator("#document script, #document img").count() == 0
    assert page.evaluate("window.pwned") is None

    # a click on a finding scrolls the document to its line and marks it
    far = page.locator(".finding", has_text="PC503")
    far.click()
    expect(page.locator("#L113")).to_have_class(re.compile(r"\bcurrent\b"))
    expect(page.locator("#L113")).to_be_in_viewport()
    page.locator(".finding", has_text="PC201").click()
    expect(page.locator("#L41")).to_have_class(re.compile(r"\bcurrent\b"))
    expect(page.locator("#L41")).to_be_in_viewport()
    expect(page.locator("#L113")).not_to_be_in_viewport()
    page.wait_for_timeout(1300)  # let the flash end so the screenshot shows the resting colours
    assert save_screenshot(page, tmp_path, "plancheck-serve.png").stat().st_size > 10_000

    # filter by severity
    page.locator("#filters input[value=error]").uncheck()
    expect(findings).to_have_count(1)
    expect(page.locator("#L41")).not_to_have_class(re.compile(r"\berror\b"))
    page.locator("#filters input[value=error]").check()
    expect(findings).to_have_count(3)

    # the CSV download is the CLI's CSV
    with page.expect_download() as download:
        page.locator("#download-csv").click()
    assert download.value.suggested_filename == "midorino-2021-defects.plancheck.csv"
    csv = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert csv.splitlines()[1].startswith("midorino-2021-defects.txt,41,")

    # the Excel download is the CLI's workbook, with the findings of this plan
    with page.expect_download() as download:
        page.locator("#download-xlsx").click()
    assert download.value.suggested_filename == "midorino-2021-defects.plancheck.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(workbook.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1]) for row in rows][:1] == [("midorino-2021-defects.txt", 41)]


def test_pasted_text_and_refused_files(page, tmp_path):
    page.locator("#text").fill(fixture_text("midorino-2021.txt"))
    page.locator("#check-text").click()
    expect(page.locator("#summary")).to_contain_text("貼り付けた本文")
    expect(page.locator("#findings")).to_contain_text("指摘はありません。")

    sheet = tmp_path / "plan.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not a plan")
    page.set_input_files("#file", str(sheet))
    expect(page.locator("#message")).to_be_visible()
    expect(page.locator("#message")).to_contain_text("「plan.xlsx」の形式には対応していません")

    undecodable = tmp_path / "plan.txt"
    undecodable.write_bytes(b"\x81\x20\xff\xfe abc")
    page.set_input_files("#file", str(undecodable))
    expect(page.locator("#message")).to_contain_text("文字コードを判別できません")


def test_english_switch_labels_findings_and_severity_filter(page, server, tmp_path):
    plan = tmp_path / "defects.txt"
    plan.write_text(web_defect_plan(), encoding="utf-8")
    page.set_input_files("#file", str(plan))
    expect(page.locator("#findings .finding")).to_have_count(3)
    expect(page.locator("#languages button[data-lang=ja]")).to_have_attribute(
        "aria-pressed", "true"
    )

    page.locator("#languages button[data-lang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#check-text")).to_have_text("Check the pasted text")
    expect(page.locator("#filters")).to_have_text(
        re.compile(r"Show:\s*Errors \(2\)\s*Warnings \(1\)\s*Info \(0\)")
    )
    # the plan is checked again: the findings' messages come from the server in English
    expect(page.locator("#findings h2")).to_have_text(["Errors (2)", "Warnings (1)"])
    first = page.locator(".finding", has_text="PC201")
    expect(first).to_contain_text("the total 61.00 does not equal the sum of the increments 60.00")
    expect(first.locator(".where")).to_have_text("line 41")
    summaries = {
        r["code"]: r["summary"] for r in page.request.get(f"{server}/api/rules?lang=en").json()
    }
    expect(first.locator(".rule")).to_have_text(summaries["PC201"])
    expect(page.locator("#summary")).to_contain_text("(format: 2021 format and later)")
    expect(page.locator("#profile option:checked")).to_have_text("detect from the content")
    expect(page.locator("#outline h2")).to_have_text("Sections and items of the format")

    # errors come in English too
    sheet = tmp_path / "plan.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not a plan")
    page.set_input_files("#file", str(sheet))
    expect(page.locator("#message")).to_contain_text("The type of “plan.xlsx” is not supported")

    # a box still ticked never asks to choose a severity: there are none of it to show
    page.set_input_files("#file", str(plan))
    expect(page.locator("#findings .finding")).to_have_count(3)
    page.locator("#filters input[value=error]").uncheck()
    page.locator("#filters input[value=warning]").uncheck()
    expect(page.locator("#findings .finding")).to_have_count(0)
    expect(page.locator("#findings .empty")).to_have_text("No findings of the chosen severities.")
    page.locator("#filters input[value=info]").uncheck()
    expect(page.locator("#findings .empty")).to_have_text("Choose a severity to show.")
    page.locator("#filters input[value=warning]").check()
    expect(page.locator("#findings .finding")).to_have_count(1)
    expect(page.locator("#findings .empty")).to_have_count(0)

    # the choice is remembered
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#check-text")).to_have_text("Check the pasted text")


def test_the_browsers_language_is_the_default(browser, server):
    english = open_page(browser, server, "en-US")
    expect(english.locator("#check-text")).to_have_text("Check the pasted text")
    other = open_page(browser, server, "fr-FR")
    expect(other.locator("html")).to_have_attribute("lang", "ja")
    expect(other.locator("#check-text")).to_have_text("貼り付けた本文をチェック")


def test_a_plan_matching_no_format_offers_the_choice_of_format(page):
    page.locator("#text").fill("地域再生計画\n\n1 地域再生計画の名称\n\n本文。\n")
    page.locator("#check-text").click()
    finding = page.locator(".finding", has_text="PC001")
    expect(finding).to_contain_text("下の一覧から様式を選んでください")
    expect(page.locator("#findings")).not_to_contain_text("--profile")
    expect(page.locator("#summary")).to_contain_text("様式を判定できません")
    choice = page.locator("#findings .choose-profile select")
    expect(choice.locator("option", has_text="2021年度以降の様式")).to_have_count(1)
    choice.select_option(label="2021年度以降の様式")
    expect(page.locator("#summary")).to_contain_text("様式: 2021年度以降の様式")
    expect(page.locator(".finding", has_text="PC001")).to_have_count(0)
    expect(page.locator("#profile")).to_have_value("chiiki-saisei-2021")
    # the toolbar's list chooses again; back to detection finds no format
    page.locator("#profile").select_option(label="自動判定")
    expect(page.locator(".finding", has_text="PC001")).to_have_count(1)


def test_fixable_findings_are_fixed_shown_as_a_diff_and_downloaded(page, tmp_path):
    # a Windows author's file: Shift_JIS with CRLF line breaks, which the download keeps
    plan = tmp_path / "計画.txt"
    plan.write_bytes(web_defect_plan().replace("\n", "\r\n").encode("cp932"))
    page.set_input_files("#file", str(plan))
    findings = page.locator("#findings .finding")
    expect(findings).to_have_count(3)
    expect(page.locator(".finding", has_text="PC503").locator(".fixable")).to_have_text("修正可")
    expect(page.locator(".finding", has_text="PC201").locator(".fixable")).to_have_text(
        "修正可（要確認）"
    )
    expect(page.locator(".finding", has_text="PC101").locator(".fixable")).to_have_count(0)
    expect(page.locator("#fix-count")).to_have_text("自動で直せる指摘: 2 件")
    expect(page.locator("#fix-result")).to_be_hidden()

    page.locator("#fix-preview").click()
    expect(page.locator("#fix-summary")).to_have_text(
        "1 件を修正します。修正後に残る指摘は 2 件です。"
    )
    expect(page.locator("#fix-diff .del")).to_have_text([re.compile("重要事業評価指標")])
    expect(page.locator("#fix-diff .add")).to_have_text([re.compile("重要業績評価指標")])
    with page.expect_download() as download:
        page.locator("#fix-download").click()
    assert download.value.suggested_filename == "計画.txt"
    corrected = web_defect_plan().replace("重要事業評価指標", "重要業績評価指標")
    assert Path(download.value.path()).read_bytes() == corrected.replace("\n", "\r\n").encode(
        "cp932"
    )

    assert save_screenshot(page, tmp_path, "plancheck-fix.png").stat().st_size > 10_000

    # the fixes that need review too: the diff grows to both
    page.locator("#fix-unsafe").check()
    expect(page.locator("#fix-diff .add")).to_have_count(2)
    expect(page.locator("#fix-summary")).to_contain_text("2 件を修正します")

    # in English, the fixes are worked out again in the page's language
    page.locator("#languages button[data-lang=en]").click()
    expect(page.locator("#fix-preview")).to_have_text("Preview fixes")
    expect(page.locator(".finding", has_text="PC503").locator(".fixable")).to_have_text("fixable")
    expect(page.locator("#fix-summary")).to_have_text(
        "2 fix(es) will be applied; 1 finding(s) will remain."
    )
    expect(page.locator("#fix-download")).to_have_text("Download the corrected file")
    page.locator("#fix-close").click()
    expect(page.locator("#fix-result")).to_be_hidden()


def test_a_word_plan_is_downloaded_corrected_and_a_pdf_never(page, tmp_path):
    docx_helper = pytest.importorskip("docx_helper", reason="python-docx is not installed")
    from plancheck.reading.word import read_docx

    plan = tmp_path / "plan.docx"
    plan.write_bytes(docx_helper.build_docx(web_defect_plan()).data)
    page.set_input_files("#file", str(plan))
    expect(page.locator(".finding", has_text="PC503").locator(".fixable")).to_have_count(1)
    page.locator("#fix-preview").click()
    expect(page.locator("#fix-diff .add")).to_have_text([re.compile("重要業績評価指標")])
    with page.expect_download() as download:
        page.locator("#fix-download").click()
    assert download.value.suggested_filename == "plan.docx"
    lines = read_docx(Path(download.value.path()).read_bytes(), "plan.docx").lines
    assert any("重要業績評価指標" in line for line in lines)
    assert not any("重要事業評価指標" in line for line in lines)

    pdf = Path(__file__).parent / "fixtures" / "pdf" / "midorino-2017-defects.pdf"
    page.set_input_files("#file", str(pdf))
    expect(page.locator("#fix-result")).to_be_hidden()  # another plan: the fixes are gone
    page.locator("#fix-preview").click()
    expect(page.locator("#fix-refused")).to_contain_text("PDF には書き込まない")
    expect(page.locator("#fix-download")).to_be_hidden()
    expect(page.locator("#fix-diff")).to_be_empty()


def test_two_versions_are_compared_side_by_side_and_downloaded(page, tmp_path):
    from docx import Document

    old_text = fixture_text("midorino-2017.txt")
    new_text = old_text.replace("首都圏の百貨店での", "首都圏の百貨店及び駅ビルでの", 1)
    assert new_text != old_text
    # a file name is shown as text, never as markup
    old, new = tmp_path / '<img src=x onerror="window.pwned = 1">.txt', tmp_path / "new.txt"
    old.write_text(old_text, encoding="utf-8")
    new.write_text(new_text, encoding="utf-8")

    page.locator("#tabs button[data-view=compare]").click()
    expect(page.locator("#input")).to_be_hidden()
    page.locator("#compare-run").click()
    expect(page.locator("#message")).to_have_text("変更前と変更後のファイルを両方選んでください。")
    page.set_input_files("#compare-old", str(old))
    page.set_input_files("#compare-new", str(new))
    expect(page.locator("#compare-new-name")).to_have_text("new.txt")
    expect(page.locator("#compare-old-name")).to_have_text(old.name)
    page.locator("#compare-run").click()

    parts = page.locator("#compare-parts tr.part")
    expect(parts).to_have_count(1)
    expect(page.locator("#compare-parts thead th")).to_have_text(["変更後", "変更前"])
    expect(page.locator("#compare-parts tr.heading")).to_contain_text("事業の内容")
    expect(parts.locator("td.new ins")).to_have_text("及び駅ビル")
    expect(parts.locator("td.old del")).to_have_count(0)
    assert page.evaluate("window.pwned") is None
    save_screenshot(page, tmp_path, "compare.png")

    with page.expect_download() as download:
        page.locator("#compare-docx").click()
    assert download.value.suggested_filename == "new.diff.docx"
    rows = Document(io.BytesIO(Path(download.value.path()).read_bytes())).tables[0].rows
    assert [cell.text for cell in rows[0].cells] == ["変更後", "変更前"]
    assert len(rows) == 2 and "事業の内容" in rows[1].cells[0].text
    with page.expect_download() as download:
        page.locator("#compare-html").click()
    assert download.value.suggested_filename == "new.diff.html"
    assert "<ins>及び駅ビル</ins>" in Path(download.value.path()).read_text(encoding="utf-8")

    page.locator("#languages button[data-lang=en]").click()
    expect(page.locator("#compare-parts thead th")).to_have_text(["After", "Before"])
    expect(page.locator("#tabs button[data-view=compare]")).to_have_text("Compare versions")
    page.locator("#tabs button[data-view=check]").click()
    expect(page.locator("#input")).to_be_visible()
    expect(page.locator("#compare")).to_be_hidden()
