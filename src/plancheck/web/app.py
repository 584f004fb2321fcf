"""The ``plancheck serve`` app: the page, ``POST /api/check``, ``POST /api/document``, ``GET /api/rules``.

Every check runs in memory on this machine; nothing is kept once the response is sent.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from importlib import resources as package_files
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plancheck.config import SettingsResolver
from plancheck.layout import layout
from plancheck.lint import FileResult, Linter
from plancheck.messages import message
from plancheck.outline import outline
from plancheck.plugins import PluginHost
from plancheck.profiles import Profile
from plancheck.report import Report
from plancheck.source import InputError, Source
from plancheck.web import openapi
from plancheck.web.upload import Upload, UploadError, read_upload

DEFAULT_MAX_UPLOAD_MB = 20
SUFFIXES = (".txt", ".md", ".docx", ".pdf")
MEDIA_TYPES = {
    "json": "application/json",
    "sarif": "application/sarif+json",
    "junit": "application/xml",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
EXTENSIONS = {"json": "json", "sarif": "sarif", "junit": "xml", "csv": "csv", "html": "html"}
ASSETS = {"app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8"}
# Plan text reaches the page only as text; the policy also stops anything from leaving the machine.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        b"form-action 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
HTTP_ERRORS = {404: "ページが見つかりません。", 405: "この方法（{method}）では使えません。"}


class Checker:
    """The linter behind the API: one plugin host, the settings of the folder the server runs in.

    The rules run one request at a time (a page on one machine needs no more).
    """

    def __init__(self, host: PluginHost, overrides: Mapping[str, Any]) -> None:
        self.linter = Linter(host=host, resolver=SettingsResolver(overrides))
        # as for standard input on the command line; a broken configuration stops `serve` at once
        self.settings = self.linter.settings_for(None)
        self.report = Report(lang=self.settings.lang, rules=host.rules)
        self._lock = threading.Lock()

    def check(self, upload: Upload) -> FileResult:
        """The findings, exactly as ``plancheck check`` gives them (raises InputError)."""
        with self._lock:
            return self.linter.check_source(self._read(upload), self.settings)

    def document(self, upload: Upload) -> dict[str, Any]:
        """What the page shows: the lines, the findings and the expected headings found or not."""
        with self._lock:
            source = self._read(upload)
            result = self.linter.check_source(source, self.settings)
            plan, detection = self.linter.parse(source, self.settings)
        profile = detection.profile
        return {
            "path": result.path,
            "profile": result.profile,
            "profile_description": profile.description.get("ja") if profile else None,
            "encoding": source.encoding,
            "lines": list(source.lines),
            "findings": [finding.as_dict() for finding in result.findings],
            "headings": headings(
                outline(plan, detection),
                profile,
                layout(plan, profile).required if profile else frozenset(),
            ),
        }

    def _read(self, upload: Upload) -> Source:
        return self.linter.read(upload.data, upload.name)


def headings(
    tree: Mapping[str, Any], profile: Profile | None, required: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """The profile's sections and, under the measures section, each measure block with its kind's
    items, each with the line it is on or None when missing; without a profile, the sections the
    outline has."""
    sections: dict[str, dict[str, Any]] = {}
    for node in _sections(tree["children"]):
        sections.setdefault(node["number"], node)
    if profile is None:
        return [
            _heading("section", number, node["title"], False, node["line"])
            for number, node in sections.items()
        ]
    measures = tree["roles"].get("measures")
    entries = []
    for heading in profile.sections:
        found = sections.get(heading.number)
        entries.append(
            _heading(
                "section",
                heading.number,
                heading.title,
                heading.number in required,
                found and found["line"],
            )
        )
        if heading.number != measures:
            continue
        for block in tree["blocks"]:
            if block["number"] != measures:
                entries.append(
                    _heading("section", block["number"], block["label"], False, block["line"])
                )
            entries += [
                _heading(
                    "item", item["number"] or "", item["title"], item["required"], item["line"]
                )
                for item in block["items"]
            ]
    return entries


def _sections(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The sections of the outline in document order."""
    for node in nodes:
        if node["kind"] == "section":
            yield node
        yield from _sections(node["children"])


def _heading(
    kind: str, number: str, title: str, required: bool, line: int | None
) -> dict[str, Any]:
    return {"kind": kind, "number": number, "title": title, "required": required, "line": line}


class SecurityHeaders:
    """Adds the content security policy and friends to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def error(status: int, text: str) -> JSONResponse:
    return JSONResponse({"error": text}, status_code=status)


def _attachment(name: str, extension: str) -> str:
    """A Content-Disposition naming the download after the plan (UTF-8 names included)."""
    stem = name.rsplit(".", 1)[0] if name != "-" else "plan"
    filename = f"{stem}.plancheck.{extension}"
    return f"attachment; filename=\"plancheck.{extension}\"; filename*=UTF-8''{quote(filename)}"


def create_app(
    host: PluginHost | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024,
    overrides: Mapping[str, Any] | None = None,
) -> Starlette:
    """The web app. ``overrides``: settings as on the command line (e.g. ``{"lang": "en"}``)."""
    host = host or PluginHost()
    host.load()
    checker = Checker(host, overrides or {})
    static = package_files.files("plancheck.web") / "static"
    page = (static / "index.html").read_text(encoding="utf-8")
    page = page.replace("__MAX_UPLOAD_BYTES__", str(max_upload_bytes))
    assets = {name: (static / name).read_bytes() for name in ASSETS}

    async def index(request: Request) -> Response:
        return HTMLResponse(page)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in assets:
            raise HTTPException(404)
        return Response(assets[name], media_type=ASSETS[name])

    async def receive_upload(request: Request) -> Upload:
        return await read_upload(request, max_upload_bytes, SUFFIXES)

    async def check(request: Request) -> Response:
        name = request.query_params.get("format", "json")
        formatter = host.formats.get(name)
        if formatter is None:
            choices = ", ".join(sorted(host.formats))
            lang = checker.settings.lang
            return error(400, message("unknown_format", lang, name=name, choices=choices))
        upload = await receive_upload(request)
        result = await run_in_threadpool(checker.check, upload)
        output = formatter([result], checker.report)
        headers = {}
        if name != "json":  # reports are downloads: never shown inside this page's origin
            headers["content-disposition"] = _attachment(upload.name, EXTENSIONS.get(name, "txt"))
        media_type = MEDIA_TYPES.get(name, "text/plain; charset=utf-8")
        return Response(output, media_type=media_type, headers=headers)

    async def document(request: Request) -> Response:
        upload = await receive_upload(request)
        return JSONResponse(await run_in_threadpool(checker.document, upload))

    async def rules(request: Request) -> Response:
        return JSONResponse(
            [
                {
                    "code": rule.code,
                    "name": rule.name,
                    "severity": rule.severity,
                    "summary": rule.summary(),
                }
                for rule in host.rules
            ]
        )

    async def schema(request: Request) -> Response:
        return JSONResponse(openapi.document())

    async def upload_refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, UploadError)
        return error(exc.status, exc.text)

    async def unreadable(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InputError)
        # a binary file no reader takes is of a type we do not handle; text we cannot decode is not
        status = 415 if exc.message_key == "binary" else 422
        lang = checker.settings.lang
        return error(status, message(exc.message_key, lang, path=exc.path, detail=exc.detail))

    async def disconnected(request: Request, exc: Exception) -> Response:
        return error(400, "送信が途中で切れました。もう一度送ってください。")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        text = HTTP_ERRORS.get(exc.status_code, exc.detail).format(method=request.method)
        return error(exc.status_code, text)

    async def internal_error(request: Request, exc: Exception) -> Response:
        return error(
            500,
            "内部エラーが発生しました。plancheck を起動した画面のメッセージを確認してください。",
        )

    return Starlette(
        routes=[
            Route("/", index),
            Route("/static/{name}", asset),
            Route("/api/check", check, methods=["POST"]),
            Route("/api/document", document, methods=["POST"]),
            Route("/api/rules", rules),
            Route("/openapi.json", schema),
        ],
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={
            UploadError: upload_refused,
            InputError: unreadable,
            ClientDisconnect: disconnected,
            HTTPException: http_error,
            Exception: internal_error,
        },
    )
