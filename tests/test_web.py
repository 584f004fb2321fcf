"""``plancheck serve``: the API gives exactly the CLI's findings and refuses bad input with 4xx."""

from __future__ import annotations

import asyncio
import io
import json
import re
import subprocess
import sys
import tempfile
import warnings
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import uvicorn
from starlette import formparsers

from plancheck.cli import main
from plancheck.web import create_app

from conftest import FIXTURES, REAL_PLANS, XSS, corpus_file, fixture_text, web_defect_plan

with warnings.catch_warnings():
    # Starlette 1.x asks for its httpx2 fork and warns about httpx, which every version accepts.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


LOCAL = "http://127.0.0.1:8000"  # the app answers only for its own addresses, not "testserver"


@pytest.fixture
def client(tmp_path, monkeypatch):
    """The app as ``plancheck serve`` starts it, run from an empty folder (no configuration)."""
    monkeypatch.chdir(tmp_path)
    return TestClient(create_app(), base_url=LOCAL)


def cli(capsys, *argv: str) -> str:
    main(list(argv))
    return capsys.readouterr().out


def upload(client, name: str, data: bytes, path: str = "/api/check"):
    return client.post(path, files={"file": (name, data, "application/octet-stream")})


def plan_bytes(name: str) -> bytes:
    if name == "defects.txt":
        return web_defect_plan().encode("utf-8")
    if name.startswith("midorino-"):
        return fixture_text(name).encode("utf-8")
    return corpus_file(name).read_bytes()


PLANS = ["midorino-2016.txt", "midorino-2017.txt", "midorino-2021.txt", "defects.txt", *REAL_PLANS]


@pytest.mark.parametrize("name", PLANS)
def test_api_returns_exactly_the_cli_json(client, capsys, tmp_path, name):
    data = plan_bytes(name)
    (tmp_path / name).write_bytes(data)
    expected = cli(capsys, "check", "--format", "json", name)
    response = upload(client, name, data)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.text == expected


@pytest.mark.parametrize("name", ["defects.txt", REAL_PLANS[0]])
def test_text_body_is_checked_as_standard_input(client, capsys, monkeypatch, name):
    data = plan_bytes(name)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    expected = cli(capsys, "check", "--format", "json", "-")
    response = client.post(
        "/api/check", content=data, headers={"content-type": "text/plain; charset=utf-8"}
    )
    assert (response.status_code, response.text) == (200, expected)
    assert {finding["path"] for finding in response.json()} == {"-"}


def test_defects_are_found_on_their_lines(client):
    findings = upload(client, "defects.txt", web_defect_plan().encode()).json()
    assert [(f["code"], f["line"]) for f in findings] == [
        ("PC201", 41),
        ("PC101", 49),
        ("PC503", 113),
    ]
    assert "累計 61.00 が増加分の合計 60.00" in findings[0]["message"]


@pytest.mark.parametrize("name", ["csv", "html"])
def test_downloads_are_the_cli_reports(client, capsys, tmp_path, name):
    (tmp_path / "defects.txt").write_text(web_defect_plan(), encoding="utf-8")
    expected = cli(capsys, "check", "--format", name, "defects.txt")
    response = client.post(
        f"/api/check?format={name}",
        files={"file": ("defects.txt", web_defect_plan().encode(), "text/plain")},
    )
    assert response.status_code == 200
    assert response.text == expected
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "defects.plancheck." + name in response.headers["content-disposition"]


def test_unknown_output_format_is_400(client):
    response = upload(client, "plan.txt", b"x", "/api/check?format=pdf")
    assert response.status_code == 400
    assert "pdf" in response.json()["error"]


def test_fix_reads_the_upload_once(client, monkeypatch):
    # refusing what /api/check refuses and fixing share one reading of the uploaded bytes (the
    # corrected bytes of each round are read again, as --fix does)
    from plancheck.engine.linter import Linter

    read = []
    original = Linter.read

    def counted(self, data, path, settings=None):
        read.append(data)
        return original(self, data, path, settings)

    monkeypatch.setattr(Linter, "read", counted)
    data = web_defect_plan().encode()
    upload(client, "defects.txt", data, "/api/fix").raise_for_status()
    assert read.count(data) == 1


def test_document_parses_the_plan_once(client, monkeypatch):
    # the page's document (findings and outline) reads one parse of the plan, not two
    from plancheck.engine.linter import Linter

    calls = []
    original = Linter.parse

    def counted(self, source, settings=None):
        calls.append(source.path)
        return original(self, source, settings)

    monkeypatch.setattr(Linter, "parse", counted)
    upload(client, "defects.txt", web_defect_plan().encode(), "/api/document").raise_for_status()
    assert calls == ["defects.txt"]


def test_document_has_the_lines_findings_and_the_headings_found_or_missing(client):
    document = upload(client, "defects.txt", web_defect_plan().encode(), "/api/document").json()
    jsonschema.validate(document, openapi_schema(client, "Document"))
    assert document["path"] == "defects.txt"
    assert document["profile"] == "chiiki-saisei-2021"
    assert document["lines"] == web_defect_plan().split("\n")[:-1]
    assert [f["code"] for f in document["findings"]] == ["PC201", "PC101", "PC503"]
    headings = {(h["kind"], h["number"]): h["line"] for h in document["headings"]}
    assert headings[("section", "5-1")] is None
    assert headings[("section", "5-2")] == 49
    assert headings[("item", "⑤")] == 113
    required = [h for h in document["headings"] if h["required"] and h["number"] != "5-1"]
    assert all(h["line"] for h in required)
    # 4-3 is one way to divide section 4, not required when the plan divides it into 4-1 / 4-2
    assert [h["required"] for h in document["headings"] if h["number"] in ("4-2", "4-3")] == [
        True,
        False,
    ]


def test_document_without_a_profile_lists_the_sections_found(client):
    text = "報告書\n\n1 概要\n\n本文。\n\n2 結果\n"
    document = upload(client, "memo.txt", text.encode(), "/api/document").json()
    assert document["profile"] is None
    assert [f["code"] for f in document["findings"]] == ["PC001"]
    assert [(h["number"], h["line"], h["required"]) for h in document["headings"]] == [
        ("1", 3, False),
        ("2", 7, False),
    ]


def test_rules_are_those_of_plancheck_rules(client, capsys):
    listed = [line.split("\t") for line in cli(capsys, "rules").splitlines()]
    rules = client.get("/api/rules").json()
    assert [[r["code"], r["name"], r["severity"], r["summary"]] for r in rules] == listed


def openapi_schema(client, name: str) -> dict:
    components = client.get("/openapi.json").json()["components"]
    return {"$ref": f"#/components/schemas/{name}", "components": components}


def test_openapi_description_is_valid_and_describes_the_answers(client):
    validator = pytest.importorskip("openapi_spec_validator")
    spec = client.get("/openapi.json").json()
    validator.validate(spec)
    assert set(spec["paths"]) == {
        "/api/check",
        "/api/document",
        "/api/rules",
        "/api/profiles",
        "/api/messages",
        "/api/fix",
        "/api/compare",
    }
    findings = upload(client, "defects.txt", web_defect_plan().encode()).json()
    jsonschema.validate(findings, openapi_schema(client, "Findings"))
    for rule in client.get("/api/rules?lang=en").json():
        jsonschema.validate(rule, openapi_schema(client, "Rule"))
    for profile in client.get("/api/profiles").json():
        jsonschema.validate(profile, openapi_schema(client, "Profile"))
    jsonschema.validate(client.get("/api/messages").json(), openapi_schema(client, "Messages"))


# --- plan text is data, never markup -------------------------------------------------------


def test_markup_in_a_plan_is_json_data(client):
    document = upload(client, "defects.txt", web_defect_plan().encode(), "/api/document")
    assert document.headers["content-type"] == "application/json"
    assert XSS in document.json()["lines"][18]


def test_the_page_never_parses_text_as_html():
    script = (resources.files("plancheck.web") / "static" / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser"):
        assert sink not in script
    assert "textContent" in script


def test_the_page_runs_no_inline_or_foreign_script(client):
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/static/app.js" defer>']
    assert "http://" not in page.text and "https://" not in page.text


def test_html_report_escapes_the_plan(client):
    report = client.post(
        "/api/check?format=html", files={"file": ("a<b>.txt", web_defect_plan().encode())}
    ).text
    assert "<script>window.pwned" not in report and "<b>" not in report


# --- bad input -----------------------------------------------------------------------------


def test_oversize_upload_is_413(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    client = TestClient(create_app(max_upload_bytes=1000), base_url=LOCAL)
    response = upload(client, "plan.txt", b"x" * 2000)
    assert response.status_code == 413
    assert "MB までです" in response.json()["error"]
    pasted = client.post("/api/check", content=b"x" * 2000, headers={"content-type": "text/plain"})
    assert pasted.status_code == 413


def asgi_post(app, headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> tuple[int, int]:
    """POST ``chunks`` straight to the ASGI app; returns (status, how many chunks it read)."""
    read = 0

    async def receive():
        nonlocal read
        if read == len(chunks):
            return {"type": "http.disconnect"}
        read += 1
        return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}

    sent = []

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/check",
        "raw_path": b"/api/check",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], read


def test_oversize_is_refused_by_content_length_before_the_body_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = create_app(max_upload_bytes=1000)
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"100000")]
    assert asgi_post(app, headers, [b"x" * 1000] * 100) == (413, 0)


def test_oversize_stream_is_refused_as_soon_as_it_passes_the_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = create_app(max_upload_bytes=1000)
    boundary = b"plancheck"
    head = b'--plancheck\r\ncontent-disposition: form-data; name="file"; filename="p.txt"\r\n\r\n'
    chunks = [head] + [b"x" * 100] * 1000  # no content-length: chunked transfer
    headers = [(b"content-type", b"multipart/form-data; boundary=" + boundary)]
    status, read = asgi_post(app, headers, chunks)
    assert status == 413
    assert read <= 11  # about 1000 bytes, not the 100 kB sent


def test_upload_stays_in_memory(client, monkeypatch):
    def no_temporary_files(*args, **kwargs):
        raise AssertionError("an upload must not be written to a temporary file")

    for name in ("SpooledTemporaryFile", "TemporaryFile", "NamedTemporaryFile", "mkstemp"):
        monkeypatch.setattr(tempfile, name, no_temporary_files)
    monkeypatch.setattr(formparsers, "SpooledTemporaryFile", no_temporary_files)
    large = (
        fixture_text("midorino-2021.txt") + "あ" * 400_000 + "\n"
    )  # 1.2 MB, past Starlette's spool
    response = upload(client, "large.txt", large.encode())
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("plan.xlsx", b"PK\x03\x04 spreadsheet", None),
        ("plan", b"1 name\n", None),
        (None, b'{"text": "plan"}', "application/json"),
        (None, b"plan", "application/x-www-form-urlencoded"),
        ("plan.txt", b"\x00\x01binary\x00", None),
    ],
    ids=["xlsx", "no-suffix", "json-body", "form-body", "binary-txt"],
)
def test_unknown_type_is_415(client, name, data, content_type):
    if name is None:
        response = client.post("/api/check", content=data, headers={"content-type": content_type})
    else:
        response = upload(client, name, data)
    assert response.status_code == 415
    assert "対応していません" in response.json()["error"] or "バイナリ" in response.json()["error"]


def test_undecodable_text_is_422(client):
    undecodable = b"\x81\x20\xff\xfe abc"
    for response in (
        upload(client, "plan.txt", undecodable),
        client.post("/api/check", content=undecodable, headers={"content-type": "text/plain"}),
    ):
        assert response.status_code == 422
        assert "文字コード" in response.json()["error"]


def test_multipart_without_a_file_is_400(client):
    response = client.post(
        "/api/check", files={"other": ("plan.txt", b"x")}, data={"file": "not a file"}
    )
    assert response.status_code == 400
    assert "file 欄" in response.json()["error"]


def test_unknown_path_and_method_get_json_errors(client):
    assert client.get("/nothing").json() == {"error": "ページが見つかりません。"}
    response = client.get("/api/check")
    assert response.status_code == 405 and "GET" in response.json()["error"]


def assert_same_as_cli(response, capsys, tmp_path, name: str, data: bytes) -> None:
    """The API's answer for an uploaded Word/PDF file is the CLI's, its refusal the CLI's error."""
    if response.status_code == 415:
        pytest.skip(f"no reader accepts {Path(name).suffix} yet")
    (tmp_path / name).write_bytes(data)
    code = main(["check", "--format", "json", name])
    out, err = capsys.readouterr()
    if response.status_code == 422:  # a corrupt, protected or scanned file
        assert code == 2 and response.json()["error"] in err
    else:
        assert (response.status_code, response.text) == (200, out)


def test_word_upload_gives_the_cli_findings(client, capsys, tmp_path):
    docx_helper = pytest.importorskip("docx_helper", reason="python-docx is not installed")
    data = docx_helper.build_docx(web_defect_plan()).data
    response = upload(client, "defects.docx", data)
    assert_same_as_cli(response, capsys, tmp_path, "defects.docx", data)
    assert {"PC201", "PC101"} <= {finding["code"] for finding in response.json()}


@pytest.mark.parametrize("path", sorted(FIXTURES.parent.rglob("*.pdf")), ids=lambda p: p.name)
def test_pdf_upload_gives_the_cli_findings(client, capsys, tmp_path, path):
    data = path.read_bytes()
    assert_same_as_cli(upload(client, path.name, data), capsys, tmp_path, path.name, data)


# --- the page and the command --------------------------------------------------------------


def test_page_and_assets_are_served_from_the_package(client):
    page = client.get("/")
    assert page.status_code == 200 and 'lang="ja"' in page.text
    assert f'content="{20 * 1024 * 1024}"' in page.text
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/style.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/index.html").status_code == 404


def test_serve_command_starts_uvicorn_on_localhost(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app, **options))
    assert main(["serve", "--port", "8123", "--max-upload-mb", "1.5"]) == 0
    assert (started["host"], started["port"]) == ("127.0.0.1", 8123)
    page = TestClient(started["app"], base_url="http://127.0.0.1:8123").get("/")
    assert f'content="{int(1.5 * 1024 * 1024)}"' in page.text
    assert "http://127.0.0.1:8123/" in capsys.readouterr().err


def test_serve_refuses_a_limit_that_is_not_positive(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["serve", "--max-upload-mb", "0"])
    assert caught.value.code == 2
    assert "0 より大きい数" in capsys.readouterr().err


def test_check_does_not_load_the_web_stack():
    code = (
        "import json, sys\n"
        "from plancheck.cli import main\n"
        f"main(['check', '-q', {str(FIXTURES / 'midorino-2021.txt')!r}])\n"
        "web = ('starlette', 'uvicorn', 'python_multipart', 'plancheck.web')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(web))))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == []


def test_document_lists_each_measure_block_with_its_own_items(client):
    text = fixture_text("aoba-multi-2023.txt")
    document = upload(client, "aoba.txt", text.encode(), "/api/document").json()
    jsonschema.validate(document, openapi_schema(client, "Document"))
    assert document["findings"] == []
    headings = [(h["kind"], h["number"], h["title"], h["line"]) for h in document["headings"]]
    blocks = [h for h in headings if h[1] in ("5-2-1", "5-2-2")]
    assert [(kind, number, line) for kind, number, _, line in blocks] == [
        ("section", "5-2-1", 53),
        ("section", "5-2-2", 151),
    ]
    second = headings[headings.index(blocks[1]) + 1 :]
    assert ("item", "⑤", "寄附の金額の目安", 177) in second
    assert ("item", "", "その他必要な事項", None) in second  # optional in an A2007 block


# --- the page's language, formats by name, PC001 and .doc (issue 14) ----------------------


def test_messages_are_the_catalogues_web_texts_in_the_asked_language(client):
    ja = client.get("/api/messages").json()
    en = client.get("/api/messages?lang=en").json()
    assert (ja["lang"], en["lang"]) == ("ja", "en")
    assert set(ja["messages"]) == set(en["messages"])
    assert all(name.startswith("web_") for name in en["messages"])
    assert ja["messages"]["web_check_text"] == "貼り付けた本文をチェック"
    assert en["messages"]["web_check_text"] == "Check the pasted text"
    # placeholders are left for the page to fill
    assert "{name}" in en["messages"]["web_checking"]
    assert client.get("/api/messages?lang=fr").json()["lang"] == "ja"


def test_the_page_carries_its_texts_in_the_servers_language(client, tmp_path):
    page = client.get("/").text
    assert '<html lang="ja">' in page and "{{" not in page and "__" not in page
    assert (
        '<button id="check-text" type="button" data-text="web_check_text">貼り付けた本文をチェック'
        in page
    )
    assert "&quot;web_checking&quot;" in page  # every web_ text for the script, in a meta tag
    english = TestClient(create_app(overrides={"lang": "en"}), base_url=LOCAL).get("/").text
    assert '<html lang="en">' in english and ">Check the pasted text</button>" in english


def test_errors_follow_the_lang_of_the_request(client):
    response = upload(client, "plan.xlsx", b"PK\x03\x04", "/api/document?lang=en")
    assert response.status_code == 415
    assert response.json()["error"].startswith("The type of “plan.xlsx” is not supported")
    assert "対応していません" in upload(client, "plan.xlsx", b"PK\x03\x04").json()["error"]


def test_findings_follow_the_lang_of_the_request(client):
    data = web_defect_plan().encode()
    english = upload(client, "defects.txt", data, "/api/document?lang=en").json()
    assert english["findings"][0]["code"] == "PC201"
    assert (
        "the total 61.00 does not equal the sum of the increments 60.00"
        in (english["findings"][0]["message"])
    )
    assert english["profile_title"] == "2021 format and later"
    japanese = upload(client, "defects.txt", data, "/api/document").json()
    assert japanese["profile_title"] == "2021年度以降の様式"


def test_profiles_are_listed_by_their_human_names(client):
    ja = {p["name"]: p["title"] for p in client.get("/api/profiles").json()}
    en = {p["name"]: p["title"] for p in client.get("/api/profiles?lang=en").json()}
    assert ja["chiiki-saisei-2021"] == "2021年度以降の様式"
    assert en["chiiki-saisei-2021"] == "2021 format and later"
    assert ja["chiiki-saisei-2017"] == "2017〜2020年度の様式"
    assert len(set(ja.values())) == len(ja)  # a title is never inherited through extends


def test_a_profile_without_a_title_is_shown_by_its_name():
    from plancheck.model.profiles import build_profiles, builtin_definitions

    plugin = {
        "name": "my-format",
        "extends": "chiiki-saisei-2021",
        "description": {"ja": "独自の様式", "en": "my format"},
    }
    profiles = build_profiles([*builtin_definitions(), plugin])
    assert profiles["my-format"].title == {}
    assert profiles["my-format"].title_in("en") == "my-format"
    assert profiles["chiiki-saisei-2021"].title_in("en") == "2021 format and later"


def test_rules_summaries_follow_lang_and_default_to_plancheck_rules(client, capsys):
    listed = [line.split("\t")[3] for line in cli(capsys, "rules", "--lang", "en").splitlines()]
    assert [r["summary"] for r in client.get("/api/rules?lang=en").json()] == listed


def test_pc001_on_the_page_offers_the_profile_choice_not_a_command_line_option(client):
    text = "報告書\n\n1 概要\n\n本文。\n\n2 結果\n"
    for lang in ("ja", "en"):
        document = upload(client, "memo.txt", text.encode(), f"/api/document?lang={lang}").json()
        (finding,) = document["findings"]
        assert finding["code"] == "PC001"
        assert "--" not in finding["message"] and "profile" not in finding["message"]
    assert (
        "一覧から様式を選んでください"
        in upload(client, "memo.txt", text.encode(), "/api/document").json()["findings"][0][
            "message"
        ]
    )
    # the CLI's JSON stays the CLI's
    assert "--profile" in upload(client, "memo.txt", text.encode()).json()[0]["message"]


def test_a_chosen_profile_replaces_detection(client):
    text = fixture_text("midorino-2021.txt").encode()
    detected = upload(client, "plan.txt", text, "/api/document").json()
    chosen = upload(client, "plan.txt", text, "/api/document?profile=chiiki-saisei-2017").json()
    assert (detected["profile"], chosen["profile"]) == ("chiiki-saisei-2021", "chiiki-saisei-2017")
    assert chosen["profile_title"] == "2017〜2020年度の様式"
    report = upload(client, "plan.txt", text, "/api/check?profile=chiiki-saisei-2017").json()
    assert {finding["profile"] for finding in report} <= {"chiiki-saisei-2017"}
    memo = "報告書\n\n1 概要\n".encode()
    forced = upload(client, "memo.txt", memo, "/api/document?profile=chiiki-saisei-2021").json()
    assert "PC001" not in [finding["code"] for finding in forced["findings"]]


def test_an_unknown_profile_is_400_in_the_pages_language(client):
    response = upload(client, "plan.txt", b"x", "/api/document?profile=nope&lang=en")
    assert response.status_code == 400
    assert response.json()["error"] == "There is no format “nope”. Choose one from the list."
    response = upload(client, "plan.txt", b"x", "/api/check?profile=nope")
    assert (response.status_code, response.json()["error"]) == (
        400,
        "様式「nope」はありません。一覧から選んでください。",
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_doc_upload_gets_the_clis_advice(client, capsys, tmp_path, lang):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\0" * 64
    (tmp_path / "old.doc").write_bytes(data)
    assert main(["check", "--lang", lang, "old.doc"]) == 2
    advice = capsys.readouterr().err
    response = upload(client, "old.doc", data, f"/api/document?lang={lang}")
    assert response.status_code == 415
    assert response.json()["error"] in advice
    assert ".docx" in response.json()["error"]


def test_word_and_pdf_places_are_given_per_finding(client):
    document = upload(client, "defects.txt", web_defect_plan().encode(), "/api/document").json()
    assert document["places"] == ["", "", ""]  # a text file has only lines


# --- POST /api/fix: the corrections of `plancheck check --fix`, as a diff or the corrected file ---

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sjis_defects() -> bytes:
    """The defect plan as a Windows author saves it: Shift_JIS (cp932) with CRLF line breaks."""
    return web_defect_plan().replace("\n", "\r\n").encode("cp932")


def test_fix_gives_the_cli_diff_and_what_was_not_fixed(client, capsys, tmp_path):
    data = sjis_defects()
    (tmp_path / "defects.txt").write_bytes(data)
    expected = cli(capsys, "check", "--diff", "defects.txt")
    answer = upload(client, "defects.txt", data, "/api/fix").json()
    jsonschema.validate(answer, openapi_schema(client, "FixResult"))
    assert answer["diff"] == expected
    assert "+" in answer["diff"] and "重要業績評価指標" in answer["diff"]
    assert (answer["applied"], answer["changed"], answer["refused"]) == (1, True, None)
    assert answer["skipped"] == []  # the unsafe PC201 fix is left out, as --fix leaves it
    assert answer["findings_left"] == 2


def test_fix_applies_the_unsafe_fixes_when_asked(client, capsys, tmp_path):
    data = web_defect_plan().encode()
    (tmp_path / "defects.txt").write_bytes(data)
    expected = cli(capsys, "check", "--diff", "--unsafe-fixes", "defects.txt")
    answer = upload(client, "defects.txt", data, "/api/fix?unsafe=true").json()
    assert answer["diff"] == expected and answer["applied"] == 2


def test_fix_download_is_the_corrected_file_in_its_own_encoding(client, tmp_path):
    data = sjis_defects()
    response = upload(client, "計画.txt", data, "/api/fix?download=true")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert "filename*=UTF-8''%E8%A8%88%E7%94%BB.txt" in response.headers["content-disposition"]
    corrected = web_defect_plan().replace("重要事業評価指標", "重要業績評価指標")
    assert corrected != web_defect_plan()
    assert response.content == corrected.replace("\n", "\r\n").encode("cp932")


def test_fix_download_of_pasted_text_is_a_text_file(client):
    response = client.post(
        "/api/fix?download=1",
        content=web_defect_plan().encode(),
        headers={"content-type": "text/plain; charset=utf-8"},
    )
    assert response.status_code == 200
    assert 'filename="plan.txt"' in response.headers["content-disposition"]
    assert "重要業績評価指標" in response.content.decode("utf-8")


def test_fix_download_of_a_word_file_is_the_corrected_docx(client):
    docx_helper = pytest.importorskip("docx_helper", reason="python-docx is not installed")
    from plancheck.reading.word import read_docx

    data = docx_helper.build_docx(web_defect_plan()).data
    answer = upload(client, "defects.docx", data, "/api/fix").json()
    assert answer["applied"] == 1 and "+⑤" in answer["diff"]
    response = upload(client, "defects.docx", data, "/api/fix?download=true")
    assert response.status_code == 200 and response.headers["content-type"] == DOCX_TYPE
    assert 'filename="defects.docx"' in response.headers["content-disposition"]
    lines = read_docx(response.content, "defects.docx").lines
    before = read_docx(data, "defects.docx").lines
    assert list(lines) == [line.replace("重要事業評価指標", "重要業績評価指標") for line in before]
    assert lines != before


def test_fix_of_a_pdf_is_refused_in_the_pages_language(client):
    path = FIXTURES.parent / "pdf" / "midorino-2017-defects.pdf"
    answer = upload(client, path.name, path.read_bytes(), "/api/fix").json()
    assert answer["changed"] is False and answer["applied"] == 0 and answer["diff"] == ""
    assert "PDF には書き込まない" in answer["refused"]
    assert answer["skipped"] and all(
        item["reason"] == answer["refused"] for item in answer["skipped"]
    )
    english = upload(client, path.name, path.read_bytes(), "/api/fix?lang=en").json()
    assert "never writes a PDF" in english["refused"]
    response = upload(client, path.name, path.read_bytes(), "/api/fix?download=true")
    assert response.status_code == 422 and "PDF には書き込まない" in response.json()["error"]


def test_fix_refuses_what_check_refuses(client):
    for name, data, status in (
        ("plan.txt", b"\x81\x20\xff\xfe abc", 422),
        ("plan.txt", b"\x89PNG\r\n\x00\x00", 415),
        ("plan.png", b"x", 415),
    ):
        for path in ("/api/check", "/api/fix", "/api/fix?download=true"):
            response = upload(client, name, data, path)
            assert response.status_code == status, (name, path)
        assert response.json() == upload(client, name, data).json()
    assert client.get("/api/fix").status_code == 405


def test_document_marks_the_findings_a_fix_can_correct(client):
    document = upload(client, "defects.txt", web_defect_plan().encode(), "/api/document").json()
    fixes = {finding["code"]: finding["fix"] for finding in document["findings"]}
    assert fixes["PC101"] is None
    assert fixes["PC503"]["applicability"] == "safe"
    assert fixes["PC201"]["applicability"] == "unsafe"


# --- POST /api/compare: two versions of a plan, as plancheck diff compares them ------------------


def revised_plan() -> str:
    """midorino-2017 with a reworded ③ and a longer project period."""
    text = fixture_text("midorino-2017.txt")
    for old, new in (
        ("首都圏の百貨店での", "首都圏の百貨店及び駅ビルでの"),
        ("平成33年3月31日（3カ年間）", "平成35年3月31日（5カ年間）"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    return text


def compare(client, old: bytes, new: bytes, query: str = "", names=("old.txt", "new.txt")):
    files = {"old": (names[0], old, "text/plain"), "new": (names[1], new, "text/plain")}
    return client.post(f"/api/compare{query}", files=files)


def test_compare_answers_the_comparison_with_the_changed_parts(client):
    old = fixture_text("midorino-2017.txt").encode("utf-8")
    response = compare(client, old, revised_plan().encode("utf-8"))
    assert response.status_code == 200
    answer = response.json()
    jsonschema.validate(answer, openapi_schema(client, "Comparison"))
    assert answer["changed"] is True
    assert answer["old"]["path"] == "old.txt" and answer["new"]["path"] == "new.txt"
    inserted = {text for part in answer["parts"] for op, text in part["words"] if op == "+"}
    assert "及び駅ビル" in inserted
    assert any("事業実施期間" in part["heading"] for part in answer["parts"])


def test_compare_of_a_word_file_with_its_text(client):
    docx_helper = pytest.importorskip("docx_helper", reason="python-docx is not installed")
    old = docx_helper.build_docx(fixture_text("midorino-2017.txt")).data
    response = compare(client, old, revised_plan().encode("utf-8"), names=("old.docx", "new.txt"))
    assert response.status_code == 200
    assert response.json()["changed"] is True


def test_compare_downloads_the_html_page_and_the_word_table(client):
    from docx import Document

    old = fixture_text("midorino-2017.txt").encode("utf-8")
    new = revised_plan().encode("utf-8")
    page = compare(client, old, new, "?format=html&lang=en", ("old.txt", "みどり野.txt"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "attachment" in page.headers["content-disposition"]
    assert "%E3%81%BF" in page.headers["content-disposition"]  # the new version's own name
    assert "<ins>及び駅ビル</ins>" in page.text and "Comparison of two plans" in page.text
    table = compare(client, old, new, "?format=docx")
    assert table.status_code == 200 and table.headers["content-type"] == DOCX_TYPE
    assert table.headers["content-disposition"].endswith(".diff.docx")
    rows = Document(io.BytesIO(table.content)).tables[0].rows
    assert [cell.text for cell in rows[0].cells] == ["変更後", "変更前"]
    assert len(rows) == 1 + len(compare(client, old, new).json()["parts"])


def test_compare_of_the_same_plan_has_no_changes(client):
    old = fixture_text("midorino-2017.txt").encode("utf-8")
    answer = compare(client, old, old).json()
    assert answer["changed"] is False and answer["parts"] == [] and answer["new_findings"] == []


@pytest.mark.parametrize(
    ("files", "headers", "status", "words"),
    [
        ({"old": ("a.txt", b"x")}, None, 400, "new 欄"),
        ({"old": ("a.txt", b"x"), "new": ("b.exe", b"x")}, None, 415, "b.exe"),
        (None, {"content-type": "text/plain"}, 415, "old 欄"),
    ],
)
def test_compare_refuses_what_it_cannot_compare(client, files, headers, status, words):
    if files is None:
        response = client.post("/api/compare", content=b"x", headers=headers)
    else:
        response = client.post("/api/compare", files=files)
    assert response.status_code == status
    assert words in response.json()["error"]


def test_compare_refuses_an_unknown_format_and_follows_lang(client):
    old = fixture_text("midorino-2017.txt").encode("utf-8")
    response = compare(client, old, old, "?format=xlsx&lang=en")
    assert response.status_code == 400 and "json, html, docx" in response.json()["error"]
    missing = client.post("/api/compare?lang=en", files={"new": ("b.txt", b"x")})
    assert missing.status_code == 400 and "The old field holds no file" in missing.json()["error"]


def test_compare_takes_each_file_up_to_the_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    client = TestClient(create_app(max_upload_bytes=1000), base_url=LOCAL)
    small = compare(client, b"x" * 900, b"y" * 900)
    assert small.status_code == 200  # two files of 900 bytes: each within the limit
    large = compare(client, b"x" * 100, b"y" * 1200)
    assert large.status_code == 413
