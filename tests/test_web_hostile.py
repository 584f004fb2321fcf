"""``plancheck serve`` against hostile clients: other sites' pages (DNS rebinding, cross-site
POSTs), malformed and slow requests, floods of uploads. No assertion depends on how fast a test
runs: deadlines are shortened, and every wait ends on an event with a generous timeout."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import warnings
from unittest import mock

import pytest
import uvicorn
from starlette.datastructures import Headers

import plancheck.web
from plancheck.api.errors import InputError
from plancheck.cli import main
from plancheck.engine.linter import Linter
from plancheck.web import DeadlineProtocol, create_app, server_options
from plancheck.web import app as web_app
from plancheck.web import upload as web_upload

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette 1.x warns about httpx (see test_web.py)
    from starlette.testclient import TestClient

LOCAL = "http://127.0.0.1:8000"
WAIT = 30  # seconds: only a broken server ever waits this long
PLAN = (
    b"1 \xe5\x9c\xb0\xe5\x9f\x9f\xe5\x86\x8d\xe7\x94\x9f\xe8\xa8\x88\xe7\x94\xbb\n"  # 地域再生計画
)


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return create_app()


@pytest.fixture
def client(app):
    return TestClient(app, base_url=LOCAL)


def post_text(client, headers=None, data: bytes = PLAN):
    return client.post(
        "/api/check", content=data, headers={"content-type": "text/plain", **(headers or {})}
    )


def assert_refused(response, status: int, words: str) -> None:
    """A refusal is JSON in Japanese, closes the connection and keeps the security headers."""
    assert response.status_code == status
    assert words in response.json()["error"]
    assert response.headers["connection"] == "close"
    assert "default-src 'self'" in response.headers["content-security-policy"]


# --- plain ASGI, for what a test client cannot send ----------------------------------------


def asgi_scope(headers: list[tuple[bytes, bytes]], method: str = "POST", path: str = "/api/check"):
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def asgi_call(app, scope, receive) -> tuple[int, Headers, bytes]:
    sent = []

    async def send(message):
        sent.append(message)

    await asyncio.wait_for(app(scope, receive, send), WAIT)
    body = b"".join(message.get("body", b"") for message in sent[1:])
    return sent[0]["status"], Headers(raw=sent[0]["headers"]), body


def chunks_receiver(chunks: list[bytes]):
    """A receive() that hands out ``chunks`` and counts how many were read."""
    state = {"read": 0}

    async def receive():
        if state["read"] == len(chunks):
            return {"type": "http.disconnect"}
        state["read"] += 1
        more = state["read"] < len(chunks)
        return {"type": "http.request", "body": chunks[state["read"] - 1], "more_body": more}

    return receive, state


HOST = (b"host", b"127.0.0.1:8000")
TEXT = (b"content-type", b"text/plain")


# --- Host: only this server's own names (DNS rebinding) -------------------------------------


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:8000", "localhost:8000", "LocalHost:8000", "[::1]:8000", "[0:0::1]:8000"],
)
def test_own_host_names_are_served(app, host):
    client = TestClient(app, base_url=LOCAL)
    assert client.get("/", headers={"host": host}).status_code == 200
    assert post_text(client, {"host": host}).status_code == 200


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:8000",  # a rebinding attacker's name that resolves to 127.0.0.1
        "evil.example",
        "localhost.evil.example:8000",
        "127.0.0.1.nip.io:8000",
        "localhost:9999",  # another port than the one the request came in on
        "127.0.0.1",  # port 80, not ours
        "testserver",
        "",
        "localhost:8000:1",
        "[::1:8000",
        "::1:8000",
        "localhost:+800",
        "localhost:",
    ],
)
def test_other_host_names_are_refused(client, host):
    assert_refused(client.get("/", headers={"host": host}), 421, "このアドレスでは使えません")
    assert_refused(post_text(client, {"host": host}), 421, "http://127.0.0.1:8000/")


def test_host_is_checked_before_the_body_is_read(app):
    receive, state = chunks_receiver([PLAN] * 3)
    for headers in ([TEXT], [(b"host", b"evil.example:8000"), TEXT], [HOST, HOST, TEXT]):
        status, sent, _ = asyncio.run(asgi_call(app, asgi_scope(headers), receive))
        assert (status, sent["connection"], state["read"]) == (421, "close", 0)


def test_host_given_by_host_option_is_served(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = create_app(address="192.168.10.5", server_names=["plans.example"])
    for host, status in [
        ("192.168.10.5:8000", 200),
        ("plans.example:8000", 200),
        ("localhost:8000", 200),
        ("192.168.10.6:8000", 421),
        ("evil.example:8000", 421),
    ]:
        assert (
            TestClient(app, base_url=LOCAL).get("/", headers={"host": host}).status_code == status
        )


def test_any_address_serves_ip_addresses_and_this_computers_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    client = TestClient(create_app(address="0.0.0.0"), base_url=LOCAL)
    for name in ("0.0.0.0", "192.168.10.9", "[fd00::9]", socket.gethostname()):
        assert client.get("/", headers={"host": f"{name}:8000"}).status_code == 200
    assert client.get("/", headers={"host": "evil.example:8000"}).status_code == 421


def test_serve_answers_for_the_host_option(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app, **options))
    assert main(["serve", "--host", "192.168.10.5", "--port", "8123"]) == 0
    client = TestClient(started["app"], base_url="http://192.168.10.5:8123")
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"host": "localhost:8123"}).status_code == 200
    assert client.get("/", headers={"host": "evil.example:8123"}).status_code == 421


# --- Origin: no uploads from other sites' pages ---------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "null"},  # a sandboxed frame or a file:// page
        {"origin": "http://localhost:8000"},  # another origin, even on this machine
        {"origin": "http://127.0.0.1:9000"},
        {"origin": "https://127.0.0.1:8000"},
        {"origin": "http://127.0.0.1:8000.evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": "http://127.0.0.1:8000", "sec-fetch-site": "cross-site"},
    ],
)
def test_posts_from_another_origin_are_403(client, headers):
    assert_refused(post_text(client, headers), 403, "ほかのサイトのページからの送信")
    files = {"file": ("plan.txt", PLAN)}
    response = client.post("/api/document", files=files, headers=headers)
    assert_refused(response, 403, "plancheck のページ")


@pytest.mark.parametrize(
    "headers",
    [
        {},  # curl, scripts, the test client
        {"origin": "http://127.0.0.1:8000", "sec-fetch-site": "same-origin"},  # the page itself
        {"origin": "HTTP://127.0.0.1:8000"},
        {"sec-fetch-site": "none"},
    ],
)
def test_posts_from_the_page_itself_or_without_origin_are_served(client, headers):
    assert post_text(client, headers).status_code == 200


def test_reading_from_another_origin_is_left_to_the_browser(client):
    # a GET changes nothing, and without CORS headers the other page cannot read the answer
    response = client.get("/api/rules", headers={"origin": "http://evil.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["cross-origin-resource-policy"] == "same-origin"


def test_cross_site_post_is_refused_before_the_body_is_read(app):
    receive, state = chunks_receiver([PLAN] * 3)
    scope = asgi_scope([HOST, TEXT, (b"origin", b"http://evil.example")])
    status, _, _ = asyncio.run(asgi_call(app, scope, receive))
    assert (status, state["read"]) == (403, 0)


# --- malformed multipart ---------------------------------------------------------------------

HEAD = b'--b\r\ncontent-disposition: form-data; name="file"; filename="plan.txt"\r\n\r\n'
MULTIPART = HEAD + PLAN + b"\r\n--b--\r\n"


def post_multipart(client, body: bytes, boundary: bytes = b"b"):
    content_type = b"multipart/form-data; boundary=" + boundary
    return client.post("/api/check", content=body, headers={"content-type": content_type.decode()})


@pytest.mark.parametrize("length", [257, 300, 5000])
def test_overlong_boundary_is_400(client, length):
    boundary = b"a" * length
    body = b"--" + boundary + HEAD[3:] + PLAN + b"\r\n--" + boundary + b"--\r\n"
    assert_refused(
        post_multipart(client, body, boundary), 400, "multipart の形式が正しくありません"
    )


@pytest.mark.parametrize(
    "body",
    [
        b"not multipart at all",
        b"--b\r\n\x00\x01: x\r\n\r\n",
        b"--b\r\ncontent-disposition form-data\r\n\r\nx\r\n--b--\r\n",
        b"--b\r\n" + b"x-long: " + b"a" * 10_000 + b"\r\n\r\n",
        b"--b\r\n" + b"".join(b"x-%d: a\r\n" % n for n in range(100)) + b"\r\n",
        b"--bX",
    ],
    ids=["garbage", "bad-header-name", "no-colon", "long-header", "many-headers", "bad-boundary"],
)
def test_malformed_multipart_is_400(client, body):
    assert_refused(post_multipart(client, body), 400, "multipart の形式が正しくありません")


def test_a_multipart_body_cut_anywhere_is_400_never_500(client):
    end = MULTIPART.index(b"--b--") + len(b"--b--")
    for cut in range(len(MULTIPART) + 1):
        response = post_multipart(client, MULTIPART[:cut])
        expected = 200 if cut >= end else 400
        assert (cut, response.status_code) == (cut, expected)
        assert response.headers["content-type"] == "application/json"


# --- a Word/PDF file past the document limits ---------------------------------------------


def test_document_past_the_limits_is_413(client, monkeypatch):
    # as the readers refuse a zip bomb or a 1,000-page PDF
    def too_large(self, data, path, settings=None):
        raise InputError("too_large", path, "max_pdf_pages = 500")

    monkeypatch.setattr(Linter, "read", too_large)
    for path in ("/api/check", "/api/document"):
        response = client.post(path, files={"file": ("huge.pdf", b"%PDF-1.7")})
        assert response.status_code == 413
        assert "huge.pdf" in response.json()["error"]
        assert "max_pdf_pages = 500" in response.json()["error"]


def test_openapi_describes_the_refusals(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/check", "/api/document"):
        responses = spec["paths"][path]["post"]["responses"]
        assert {"400", "403", "408", "413", "415", "421", "422", "503"} <= set(responses)
        assert "Word/PDF" in responses["413"]["description"]
        assert "Retry-After" in responses["503"]["headers"]
    assert "421" in spec["paths"]["/api/rules"]["get"]["responses"]


# --- slow bodies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "first"),
    [(b"text/plain", PLAN), (b"multipart/form-data; boundary=b", HEAD)],
    ids=["text", "multipart"],
)
def test_a_body_that_stops_coming_is_408(app, monkeypatch, content_type, first):
    monkeypatch.setattr(web_upload, "BODY_IDLE_SECONDS", 0.05)
    chunks = [first]

    async def receive():
        if chunks:
            return {"type": "http.request", "body": chunks.pop(), "more_body": True}
        await asyncio.Event().wait()  # the client sends nothing more and keeps the connection

    scope = asgi_scope([HOST, (b"content-type", content_type)])
    status, headers, body = asyncio.run(asgi_call(app, scope, receive))
    assert (status, headers["connection"]) == (408, "close")
    assert "時間がかかりすぎた" in body.decode()


def test_a_body_that_trickles_forever_is_408(app, monkeypatch):
    monkeypatch.setattr(web_upload, "BODY_SECONDS", 0.2)

    async def receive():  # one byte at a time, never idle long, never done
        await asyncio.sleep(0.001)
        return {"type": "http.request", "body": b"x", "more_body": True}

    status, _, _ = asyncio.run(asgi_call(app, asgi_scope([HOST, TEXT]), receive))
    assert status == 408


# --- checks off the event loop, a bounded number of uploads ---------------------------------


class SlowCheck:
    """Replaces the check: each one waits until released, counting how many run at once."""

    def __init__(self, monkeypatch) -> None:
        self.started = threading.Semaphore(0)
        self.release = threading.Event()
        self.running = 0
        self.most = 0
        self.finished = 0
        self._lock = threading.Lock()
        check = web_app.Checker.check

        def slow(checker, upload, *rest):
            with self._lock:
                self.running += 1
                self.most = max(self.most, self.running)
            self.started.release()
            try:
                assert self.release.wait(WAIT), "the test never released the check"
                return check(checker, upload, *rest)
            finally:
                with self._lock:
                    self.running -= 1
                    self.finished += 1

        monkeypatch.setattr(web_app.Checker, "check", slow)


def in_thread(work):
    result = {}
    thread = threading.Thread(target=lambda: result.update(value=work()), daemon=True)
    thread.start()
    return thread, result


def test_the_page_answers_while_a_check_runs(app, monkeypatch):
    slow = SlowCheck(monkeypatch)
    with TestClient(app, base_url=LOCAL) as client:  # one event loop for every request
        thread, result = in_thread(lambda: post_text(client))
        assert slow.started.acquire(timeout=WAIT)
        assert client.get("/").status_code == 200  # the event loop is free
        assert client.get("/api/rules").status_code == 200
        assert slow.finished == 0  # ... while the check is still running in its thread
        slow.release.set()
        thread.join(WAIT)
    assert result["value"].status_code == 200


def test_uploads_past_the_bound_are_503_before_their_body_is_read(app, monkeypatch):
    slow = SlowCheck(monkeypatch)

    async def flood():
        first = [
            asyncio.create_task(
                asgi_call(app, asgi_scope([HOST, TEXT]), chunks_receiver([PLAN])[0])
            )
            for _ in range(web_app.UPLOADS)
        ]
        for _ in range(WAIT * 100):  # until every upload holds its slot
            if app.state.slots.used == web_app.UPLOADS:
                break
            await asyncio.sleep(0.01)
        assert app.state.slots.used == web_app.UPLOADS
        receive, state = chunks_receiver([PLAN])
        refused = await asgi_call(app, asgi_scope([HOST, TEXT]), receive)
        slow.release.set()
        return refused, state["read"], await asyncio.gather(*first)

    (status, headers, body), read, answered = asyncio.run(flood())
    assert (status, headers["retry-after"], headers["connection"], read) == (503, "5", "close", 0)
    assert "しばらくしてから" in body.decode()
    assert [answer[0] for answer in answered] == [200] * web_app.UPLOADS
    assert slow.most == web_app.CHECKS == 1  # one check at a time
    assert app.state.slots.used == 0
    assert (
        asyncio.run(asgi_call(app, asgi_scope([HOST, TEXT]), chunks_receiver([PLAN])[0]))[0] == 200
    )


# --- the server: uvicorn's settings and the deadlines it lacks ------------------------------


def test_serve_gives_uvicorn_timeouts_and_limits(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app, **options))
    assert main(["serve", "--port", "8123"]) == 0
    app = started.pop("app")
    assert started == server_options("127.0.0.1", 8123)
    assert started["http"] is DeadlineProtocol
    assert started["timeout_keep_alive"] == 5
    assert started["timeout_graceful_shutdown"] == 5
    assert started["limit_concurrency"] == 32
    assert started["h11_max_incomplete_event_size"] == 16 * 1024
    assert started["proxy_headers"] is False  # X-Forwarded-Proto cannot change the origin
    assert started["server_header"] is False
    assert started["ws"] == "none"
    config = uvicorn.Config(app, **started)
    config.load()  # uvicorn takes every option
    assert config.http_protocol_class is DeadlineProtocol and config.ws_protocol_class is None
    assert (plancheck.web.HEADER_SECONDS, plancheck.web.SEND_SECONDS) == (10.0, 30.0)
    assert (web_upload.BODY_SECONDS, web_upload.BODY_IDLE_SECONDS) == (60.0, 10.0)


@pytest.fixture
def live_server(tmp_path, monkeypatch):
    """``plancheck serve``'s uvicorn settings on a free port, a header deadline of 0.2 s."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(plancheck.web, "HEADER_SECONDS", 0.2)
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), **server_options("127.0.0.1", port)))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(WAIT)
    listening.close()


def closed_by_server(port: int, first: bytes, trickle: bytes = b"") -> bytes:
    """Sends ``first``, then ``trickle`` every 50 ms; what came back once the server closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as client:
        client.sendall(first)
        client.settimeout(0.05)
        received = b""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                data = client.recv(65536)
            except TimeoutError:
                if trickle:
                    try:
                        client.sendall(trickle)
                    except OSError:  # closed while sending
                        return received
                continue
            except ConnectionResetError:
                return received
            if not data:
                return received
            received += data
    raise AssertionError(f"the server kept the connection open for {WAIT} s")


def test_server_answers_a_prompt_client(live_server):
    with socket.create_connection(("127.0.0.1", live_server), timeout=WAIT) as client:
        client.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{live_server}\r\n\r\n".encode())
        answer = client.recv(65536)
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b"\r\nserver:" not in answer.lower()  # no server name to help an attacker


@pytest.mark.parametrize(
    ("first", "trickle"),
    [
        (b"", b""),  # connects and sends nothing
        (b"GET / HTTP/1.1\r\n", b""),  # half the headers, then nothing
        (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"X-a: b\r\n"),  # headers that never end
    ],
    ids=["silent", "half-headers", "endless-headers"],
)
def test_server_drops_slow_headers(live_server, first, trickle):
    assert closed_by_server(live_server, first, trickle) == b""


def test_server_drops_the_rest_of_a_body_nobody_reads(live_server):
    request = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{live_server}\r\nContent-Length: 1000000\r\n\r\n"
    answer = closed_by_server(live_server, request.encode(), b"x")
    assert answer.startswith(b"HTTP/1.1 200 ")


def test_server_refusals_close_the_connection(live_server):
    request = f"GET / HTTP/1.1\r\nHost: evil.example:{live_server}\r\n\r\n"
    answer = closed_by_server(live_server, request.encode())
    assert answer.startswith(b"HTTP/1.1 421 ")
    assert b"\r\nserver:" not in answer.lower()


@pytest.mark.parametrize("resumes", [False, True], ids=["stalled", "reading-again"])
def test_a_client_that_stops_reading_is_cut_off(monkeypatch, resumes):
    from uvicorn.server import ServerState

    monkeypatch.setattr(plancheck.web, "SEND_SECONDS", 0.01)
    config = uvicorn.Config(create_app(), **server_options("127.0.0.1", 8000))
    config.load()

    async def run() -> bool:
        transport = mock.Mock(spec=asyncio.Transport)
        transport.get_extra_info.return_value = None
        transport.is_closing.return_value = False
        protocol = DeadlineProtocol(config, ServerState(), {}, _loop=asyncio.get_running_loop())
        protocol.connection_made(transport)
        protocol.pause_writing()  # the client's window is full: it reads nothing more
        if resumes:
            protocol.resume_writing()  # it read again: the deadline is cancelled at once
        # wait for the cut, or 50 times the deadline when it was cancelled
        for _ in range(10 if resumes else WAIT * 100):
            if transport.abort.called:
                break
            await asyncio.sleep(0.05)
        protocol.connection_lost(None)
        return transport.abort.called

    assert asyncio.run(run()) is not resumes
