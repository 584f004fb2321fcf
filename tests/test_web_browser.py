"""End to end in a real browser: Debian's chromium, driven by Playwright, on a live ``plancheck serve``.

Never downloads a browser (no ``playwright install``): it skips, saying why, where /usr/bin/chromium
or the playwright package is missing. The screenshot is kept under the test's tmp folder and, when
PLANCHECK_ARTIFACTS names a folder, there too.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

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
def page(server):
    """A chromium page that may reach the server and nothing else (the page must work offline)."""
    elsewhere: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1440, "height": 900}, locale="ja-JP", accept_downloads=True
        )

        def local_only(route):
            if route.request.url.startswith((server, "data:", "blob:")):
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        context.route("**/*", local_only)
        page = context.new_page()
        page.goto(server + "/")
        yield page
        browser.close()
    assert elsewhere == []


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
