"""The ``plancheck serve`` app: the page, ``POST /api/check``, ``POST /api/document``, ``POST /api/fix``,
``POST /api/compare`` (two versions of a plan, as ``plancheck diff`` compares them),
``GET /api/rules``, ``GET /api/profiles`` and ``GET /api/messages`` (the page's texts, in Japanese or
English).

Every check runs in memory on this machine; nothing is kept once the response is sent. The app
answers only requests for its own addresses (DNS rebinding) and takes uploads only from its own
page (cross-site requests); a few uploads at a time, checked one by one off the event loop.
"""

from __future__ import annotations

import dataclasses
import html
import ipaddress
import json
import re
import socket
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from importlib import resources as package_files
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote

import anyio.to_thread
from anyio import CapacityLimiter
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plancheck.api.errors import InputError
from plancheck.api.messages import LANGUAGES, message, template, tool_messages
from plancheck.api.results import FileResult
from plancheck.engine import fixer
from plancheck.engine.comparison import compare_files
from plancheck.engine.config import Settings, SettingsResolver
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.model.layout import layout
from plancheck.model.outline import outline
from plancheck.model.profiles import Profile
from plancheck.output import Report, comparison_docx, comparison_html
from plancheck.reading.file_types import READABLE_SUFFIXES, UNREADABLE_SUFFIXES
from plancheck.reading.source import Source
from plancheck.web import openapi
from plancheck.web.upload import Upload, UploadError, read_upload, read_uploads

DEFAULT_MAX_UPLOAD_MB = 20
MEDIA_TYPES = {
    "json": "application/json",
    "sarif": "application/sarif+json",
    "junit": "application/xml",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# POST /api/compare?format=: the comparison itself, or the page and the 新旧対照表 to download
COMPARISON_FORMATS = ("json", "html", "docx")
EXTENSIONS = {
    "json": "json",
    "sarif": "sarif",
    "junit": "xml",
    "csv": "csv",
    "xlsx": "xlsx",
    "html": "html",
}
# The corrected file of POST /api/fix?download=1: a Word file as Word's type, any text file as the
# bytes it is (in its own encoding: no charset is claimed for it).
FIXED_MEDIA_TYPES = {
    "word": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text": "application/octet-stream",
}
PASTED_NAME = "plan.txt"  # the download name of a corrected pasted text
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
    # no other site may embed or open these answers; plans are never kept in a cache
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
HTTP_ERRORS = {404: "web_not_found", 405: "web_bad_method"}  # message keys
# The page's texts: the catalogue's entries named web_* (GET /api/messages, {{web_…}} in the page).
PAGE_TEXTS = "web_"
PAGE_TEXT = re.compile(r"\{\{(web_[a-z0-9_]+)\}\}")
# PC001 tells the command line's user to choose a profile with --profile; the page offers the
# choice itself, beside the finding, and says so instead.
NOT_A_PLAN = "PC001"
# InputError keys answered with 415 (a file type plancheck does not read) instead of 422.
UNSUPPORTED_TYPES = ("binary", "word_legacy")
# An upload is read, waits for its turn and is checked within one of UPLOADS slots; more at once
# are refused with 503 before their body is read, so at most UPLOADS bodies are in memory. The
# checks run one at a time (CHECKS) in a worker thread: the page and the API stay responsive.
UPLOADS = 4
CHECKS = 1
RETRY_AFTER_SECONDS = 5
# Addresses a browser may name in Host when the server listens on every address (0.0.0.0 or ::).
WILDCARD_ADDRESSES = frozenset({"0.0.0.0", "::", ""})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_PORTS = {"http": 80, "https": 443}
T = TypeVar("T")


class Checker:
    """The linter behind the API: one plugin host, the settings of the folder the server runs in.

    The rules run one request at a time (a page on one machine needs no more).
    """

    def __init__(self, host: PluginHost, overrides: Mapping[str, Any]) -> None:
        self.linter = Linter(host=host, resolver=SettingsResolver(overrides))
        # as for standard input on the command line; a broken configuration stops `serve` at once
        self.settings = self.linter.settings_for(None)
        self.report = Report(lang=self.settings.lang, rules=host.rules)
        self._lock = threading.Lock()  # the plugins' rules are not known to be thread safe

    def settings_in(self, lang: str, profile: str | None = None) -> Settings:
        """The server's settings with the messages in ``lang`` (a request's ``?lang=``) and, when
        given, the profile a request chose (``?profile=``) instead of the one detected."""
        if lang == self.settings.lang and profile is None:
            return self.settings
        return dataclasses.replace(
            self.settings, lang=lang, profile=profile or self.settings.profile
        )

    def report_in(self, lang: str) -> Report:
        """The report's settings (the rules, the language) with the messages in ``lang``."""
        if lang == self.report.lang:
            return self.report
        return dataclasses.replace(self.report, lang=lang)

    def check(self, upload: Upload, lang: str, profile: str | None = None) -> FileResult:
        """The findings, exactly as ``plancheck check`` gives them (raises InputError)."""
        settings = self.settings_in(lang, profile)
        with self._lock:
            return self.linter.check_source(self._read(upload, settings), settings)

    def document(self, upload: Upload, lang: str, profile: str | None = None) -> dict[str, Any]:
        """What the page shows: the lines, the findings and the expected headings found or not."""
        settings = self.settings_in(lang, profile)
        with self._lock:
            source = self._read(upload, settings)
            plan, detection = self.linter.parse(source, settings)
            result = self.linter.check_parsed(source, plan, detection, settings)
        chosen = detection.profile
        return {
            "path": result.path,
            "profile": result.profile,
            "profile_title": chosen.title_in(lang) if chosen else None,
            "profile_description": (
                chosen.description.get(lang) or chosen.description.get("ja") if chosen else None
            ),
            "encoding": source.encoding,
            "lines": list(source.lines),
            "findings": [page_finding(finding.as_dict(), lang) for finding in result.findings],
            "places": [
                finding.place.describe(lang) if finding.place else "" for finding in result.findings
            ],
            "headings": headings(
                outline(plan, detection),
                chosen,
                layout(plan, chosen).required if chosen else frozenset(),
            ),
        }

    def fix(self, upload: Upload, lang: str, profile: str | None, unsafe: bool) -> fixer.FixOutcome:
        """The fixes ``plancheck check --fix`` (``--unsafe-fixes`` with ``unsafe``) would make, on
        the upload in memory (raises InputError for a file /api/check refuses too)."""
        settings = self.settings_in(lang, profile)
        with self._lock:
            source = self._read(upload, settings)  # refused as /api/check refuses it
            return fixer.fix_source(
                upload.data,
                upload.name,
                self.linter,
                unsafe=unsafe,
                settings=settings,
                source=source,
            )

    def compare(
        self, old: Upload, new: Upload, lang: str, profile: str | None = None
    ) -> dict[str, Any]:
        """``plancheck diff``'s comparison of two uploads (``Comparison.as_dict()``), the new
        findings' messages in ``lang``; raises InputError for a file /api/check refuses."""
        linter = Linter(settings=self.settings_in(lang, profile), host=self.linter.host)
        with self._lock:
            return compare_files(old.data, old.name, new.data, new.name, linter).as_dict()

    def _read(self, upload: Upload, settings: Settings) -> Source:
        return self.linter.read(upload.data, upload.name, settings)


def page_finding(finding: dict[str, Any], lang: str) -> dict[str, Any]:
    """A finding as the page shows it: PC001 without the command line's advice."""
    if finding["code"] == NOT_A_PLAN:
        return {**finding, "message": message("web_not_a_plan", lang)}
    return finding


def fix_answer(upload: Upload, outcome: fixer.FixOutcome, lang: str) -> dict[str, Any]:
    """What POST /api/fix answers: the diff of the corrections, how many were applied and those
    not applied with the reason in ``lang``; ``refused`` says why a PDF is never corrected."""
    refused = None
    if fixer.file_kind(upload.name, upload.data) == "pdf" and outcome.skipped:
        refused = pdf_refusal(upload, outcome, lang)
    return {
        "path": upload.name,
        "applied": outcome.applied,
        "skipped": [
            {
                "line": finding.line,
                "column": finding.column,
                "code": finding.code,
                "reason": refused
                or message(key, lang, path=upload.name, count=len(outcome.skipped)),
            }
            for finding, key in outcome.skipped
        ],
        "diff": outcome.diff(upload.name),
        "changed": outcome.data is not None,
        "refused": refused,
        "findings_left": len(outcome.after.findings),
    }


def pdf_refusal(upload: Upload, outcome: fixer.FixOutcome, lang: str) -> str:
    return message(fixer.PDF_REFUSED, lang, path=upload.name, count=len(outcome.skipped))


def fixed_file_name(name: str) -> str:
    """A Content-Disposition for the corrected file: the plan's own name."""
    filename = PASTED_NAME if name == "-" else name
    fallback = filename  # the filename= of old browsers: plain ASCII only
    if not filename.isascii() or any(c in filename for c in '"\\;'):
        fallback = "plan." + (filename.rsplit(".", 1)[1] if "." in filename else "txt")
        fallback = fallback if fallback.isascii() else PASTED_NAME
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def page_texts(lang: str) -> dict[str, str]:
    """The page's texts in ``lang``, their ``{placeholders}`` unfilled (app.js fills them)."""
    return {
        name: template(texts, lang)
        for name, texts in tool_messages().items()
        if name.startswith(PAGE_TEXTS)
    }


def render_page(page: str, lang: str) -> str:
    """The page with its ``{{web_…}}`` texts in ``lang`` (as HTML text) and all of them for its
    script (a meta tag: the policy runs no inline script), so it shows them before any request."""
    texts = page_texts(lang)
    page = page.replace("__LANG__", lang).replace("__TEXTS__", html.escape(json.dumps(texts)))
    return PAGE_TEXT.sub(lambda match: html.escape(texts[match.group(1)]), page)


def request_lang(scope: Scope, default: str) -> str:
    """The language of a request's messages: its ``?lang=ja|en``, else the server's."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    chosen = (query.get("lang") or [default])[0]
    return chosen if chosen in LANGUAGES else default


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
                found["line"] if found else None,
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


def error(status: int, text: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """The answer to a refused request: ``{"error": text}``. The connection closes after it, so
    a client cannot keep it open by sending the rest of a body nobody reads."""
    return JSONResponse(
        {"error": text}, status_code=status, headers={"connection": "close", **(headers or {})}
    )


Name = str | ipaddress.IPv4Address | ipaddress.IPv6Address


def _name(text: str) -> Name:
    """A host name in lower case, or the IP address it writes (``[::1]`` or ``::1``)."""
    text = text.lower()
    try:
        return ipaddress.ip_address(text[1:-1] if text.startswith("[") else text)
    except ValueError:
        return text


def authority(value: str, scheme: str) -> tuple[Name, int] | None:
    """``name[:port]`` (a Host header, or an origin after its ``scheme://``) as the name and the
    port, the scheme's own when none is written; None when malformed."""
    if value.startswith("["):
        address, bracket, rest = value[1:].partition("]")
        name = _name(address)
        if not bracket or isinstance(name, str):
            return None
    else:
        text, colon, port = value.partition(":")
        name, rest = _name(text), colon + port
        if not text:
            return None
    if not rest:
        return (name, DEFAULT_PORTS[scheme]) if scheme in DEFAULT_PORTS else None
    port = rest[1:]
    if rest[0] != ":" or not (port.isascii() and port.isdigit()) or len(port) > 5:
        return None
    return name, int(port)


class ServerNames:
    """The names a browser may give in Host: localhost, any loopback address, the address the
    server listens on and the names given; listening on every address (0.0.0.0), also any IP
    address and this computer's own names (an IP address cannot be rebound, a name can)."""

    def __init__(self, address: str = "127.0.0.1", names: Collection[str] = ()) -> None:
        self.any_address = address in WILDCARD_ADDRESSES
        given = [address, *names]
        if self.any_address:
            hostname = socket.gethostname()
            given += [hostname, f"{hostname}.local", socket.getfqdn()]
        self.names: frozenset[Name] = frozenset(
            {"localhost", *(_name(name) for name in given if name)}
        )

    def __contains__(self, name: object) -> bool:
        if isinstance(name, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            return name.is_loopback or self.any_address or name in self.names
        return name in self.names


class LocalOnly:
    """Answers only requests for this server's own names and port (421 otherwise: DNS
    rebinding), and refuses with 403 a POST (or any method that is not GET, HEAD or OPTIONS)
    sent from another origin, as a page of another site would send it. A request without Origin
    or Sec-Fetch-Site (curl, scripts) is not a browser's cross-site request and is served."""

    def __init__(self, app: ASGIApp, names: ServerNames, lang: str = "ja") -> None:
        self.app = app
        self.names = names
        self.lang = lang  # the server's language, for requests without ?lang=

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        hosts = headers.getlist("host")
        own = authority(hosts[0], scope["scheme"]) if len(hosts) == 1 else None
        server = scope.get("server")
        port = server[1] if server and isinstance(server[1], int) else None
        if own is None or own[0] not in self.names or (port is not None and own[1] != port):
            shown = f"http://127.0.0.1:{port or 8000}/"
            lang = request_lang(scope, self.lang)
            response = error(421, message("web_wrong_host", lang, shown=shown))
        elif scope["method"] not in SAFE_METHODS and not _same_origin(
            headers, own, scope["scheme"]
        ):
            response = error(403, message("web_cross_site", request_lang(scope, self.lang)))
        else:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)


def _same_origin(headers: Headers, own: tuple[Name, int], scheme: str) -> bool:
    site = headers.get("sec-fetch-site")
    if site is not None and site.lower() not in ("same-origin", "none"):
        return False
    origins = headers.getlist("origin")
    if not origins:
        return True
    origin_scheme, separator, rest = origins[0].partition("://")
    return (
        len(origins) == 1
        and bool(separator)
        and origin_scheme.lower() == scheme
        and authority(rest, scheme) == own
    )


class Slots:
    """At most ``size`` uploads at once; one more is refused with 503 before its body is read.
    Used only on the event loop's thread, so a counter is enough."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.used = 0

    @contextmanager
    def taken(self) -> Iterator[None]:
        if self.used >= self.size:
            raise UploadError(503, "web_busy")
        self.used += 1
        try:
            yield
        finally:
            self.used -= 1


def _attachment(name: str, extension: str) -> str:
    """A Content-Disposition naming the download after the plan (UTF-8 names included)."""
    stem = name.rsplit(".", 1)[0] if name != "-" else "plan"
    filename = f"{stem}.plancheck.{extension}"
    return f"attachment; filename=\"plancheck.{extension}\"; filename*=UTF-8''{quote(filename)}"


def _comparison_attachment(new_name: str, extension: str) -> str:
    """A Content-Disposition naming a comparison's download after the new version."""
    stem = new_name.rsplit(".", 1)[0]
    filename = f"{stem}.diff.{extension}"
    fallback = f"plancheck-diff.{extension}"  # the filename= of old browsers: plain ASCII only
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def create_app(
    host: PluginHost | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024,
    overrides: Mapping[str, Any] | None = None,
    *,
    address: str = "127.0.0.1",
    server_names: Collection[str] = (),
) -> Starlette:
    """The web app. ``overrides``: settings as on the command line (e.g. ``{"lang": "en"}``);
    ``address``: the one it listens on; ``server_names``: more names to answer for in Host."""
    host = host or PluginHost()
    host.load()
    checker = Checker(host, overrides or {})
    slots = Slots(UPLOADS)
    workers = CapacityLimiter(CHECKS)
    static = package_files.files("plancheck.web") / "static"
    page = (static / "index.html").read_text(encoding="utf-8")
    page = render_page(page, checker.settings.lang)
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
        # .doc too: the Word reader answers it with the CLI's advice (save it as .docx)
        return await read_upload(request, max_upload_bytes, READABLE_SUFFIXES, UNREADABLE_SUFFIXES)

    async def in_worker(work: Callable[..., T], *args: Any) -> T:
        """Runs the check (and renders its answer) in a worker thread, one at a time."""
        return await anyio.to_thread.run_sync(work, *args, limiter=workers)

    def lang_of(request: Request) -> str:
        return request_lang(request.scope, checker.settings.lang)

    def profile_of(request: Request) -> str | None:
        """The profile a request chose (``?profile=``), None to detect it; 400 for an unknown one."""
        name = request.query_params.get("profile") or None
        if name is not None and name not in host.profiles:
            raise UploadError(400, "web_unknown_profile", name=name)
        return name

    def report(
        upload: Upload, formatter: Callable[..., str], lang: str, profile: str | None
    ) -> str:
        return formatter([checker.check(upload, lang, profile)], checker.report_in(lang))

    def view(upload: Upload, lang: str, profile: str | None) -> Response:
        return JSONResponse(checker.document(upload, lang, profile))

    def fixed(
        upload: Upload, lang: str, profile: str | None, unsafe: bool, download: bool
    ) -> Response:
        outcome = checker.fix(upload, lang, profile, unsafe)
        if not download:
            return JSONResponse(fix_answer(upload, outcome, lang))
        kind = fixer.file_kind(upload.name, upload.data)
        if kind not in FIXED_MEDIA_TYPES:  # a PDF is never written
            return error(422, pdf_refusal(upload, outcome, lang))
        return Response(
            outcome.data if outcome.data is not None else upload.data,
            media_type=FIXED_MEDIA_TYPES[kind],
            headers={"content-disposition": fixed_file_name(upload.name)},
        )

    async def check(request: Request) -> Response:
        name = request.query_params.get("format", "json")
        formatter = host.formats.get(name)
        lang = lang_of(request)
        if formatter is None:
            choices = ", ".join(sorted(host.formats))
            return error(400, message("unknown_format", lang, name=name, choices=choices))
        profile = profile_of(request)
        with slots.taken():
            upload = await receive_upload(request)
            output = await in_worker(report, upload, formatter, lang, profile)
        headers = {}
        if name != "json":  # reports are downloads: never shown inside this page's origin
            headers["content-disposition"] = _attachment(upload.name, EXTENSIONS.get(name, "txt"))
        media_type = MEDIA_TYPES.get(name, "text/plain; charset=utf-8")
        return Response(output, media_type=media_type, headers=headers)

    async def document(request: Request) -> Response:
        profile = profile_of(request)
        with slots.taken():
            upload = await receive_upload(request)
            return await in_worker(view, upload, lang_of(request), profile)

    async def fix(request: Request) -> Response:
        profile = profile_of(request)
        unsafe = request.query_params.get("unsafe", "") in ("1", "true")
        download = request.query_params.get("download", "") in ("1", "true")
        with slots.taken():
            upload = await receive_upload(request)
            return await in_worker(fixed, upload, lang_of(request), profile, unsafe, download)

    def compared(old: Upload, new: Upload, lang: str, profile: str | None, name: str) -> Response:
        data = checker.compare(old, new, lang, profile)
        if name == "json":
            return JSONResponse(data)
        output: str | bytes
        if name == "html":
            output = comparison_html.render(data, lang)
        else:
            output = comparison_docx.render(data, lang)
        return Response(
            output,
            media_type=MEDIA_TYPES[name],
            headers={"content-disposition": _comparison_attachment(new.name, name)},
        )

    async def compare(request: Request) -> Response:
        name = request.query_params.get("format", "json")
        lang = lang_of(request)
        if name not in COMPARISON_FORMATS:
            choices = ", ".join(COMPARISON_FORMATS)
            return error(400, message("unknown_format", lang, name=name, choices=choices))
        profile = profile_of(request)
        with slots.taken():
            uploads = await read_uploads(
                request, max_upload_bytes, READABLE_SUFFIXES, UNREADABLE_SUFFIXES
            )
            return await in_worker(compared, uploads["old"], uploads["new"], lang, profile, name)

    async def rules(request: Request) -> Response:
        lang = request.query_params.get("lang")  # without it, exactly `plancheck rules`
        return JSONResponse(
            [
                {
                    "code": rule.code,
                    "name": rule.name,
                    "severity": rule.severity,
                    "summary": rule.summary(lang_of(request)) if lang else rule.summary(),
                }
                for rule in host.rules
            ]
        )

    async def profiles(request: Request) -> Response:
        lang = lang_of(request)
        return JSONResponse(
            [
                {
                    "name": profile.name,
                    "title": profile.title_in(lang),
                    "description": template(profile.description, lang),
                }
                for profile in host.profiles.values()
            ]
        )

    async def messages(request: Request) -> Response:
        lang = lang_of(request)
        return JSONResponse({"lang": lang, "messages": page_texts(lang)})

    async def schema(request: Request) -> Response:
        return JSONResponse(openapi.document())

    async def upload_refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, UploadError)
        retry = {"retry-after": str(RETRY_AFTER_SECONDS)} if exc.status == 503 else None
        return error(exc.status, exc.text(lang_of(request)), retry)

    async def unreadable(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InputError)
        # a binary file no reader takes, or an old .doc, is of a type we do not handle; text we
        # cannot decode is not; a Word/PDF file past the document limits is too large
        status = {"too_large": 413, "file_too_large": 413}.get(exc.message_key, 422)
        if exc.message_key in UNSUPPORTED_TYPES:
            status = 415
        text = message(exc.message_key, lang_of(request), path=exc.path, detail=exc.detail)
        return error(status, text)

    async def disconnected(request: Request, exc: Exception) -> Response:
        return error(400, message("web_disconnected", lang_of(request)))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        key = HTTP_ERRORS.get(exc.status_code)
        text = message(key, lang_of(request), method=request.method) if key else exc.detail
        return error(exc.status_code, text)

    async def internal_error(request: Request, exc: Exception) -> Response:
        return error(500, message("web_internal_error", lang_of(request)))

    app = Starlette(
        routes=[
            Route("/", index),
            Route("/static/{name}", asset),
            Route("/api/check", check, methods=["POST"]),
            Route("/api/document", document, methods=["POST"]),
            Route("/api/fix", fix, methods=["POST"]),
            Route("/api/compare", compare, methods=["POST"]),
            Route("/api/rules", rules),
            Route("/api/profiles", profiles),
            Route("/api/messages", messages),
            Route("/openapi.json", schema),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                LocalOnly, names=ServerNames(address, server_names), lang=checker.settings.lang
            ),
        ],
        exception_handlers={
            UploadError: upload_refused,
            InputError: unreadable,
            ClientDisconnect: disconnected,
            HTTPException: http_error,
            Exception: internal_error,
        },
    )
    app.state.slots = slots  # how many uploads are in, for tests and debugging
    app.state.workers = workers
    app.state.lang = checker.settings.lang  # the terminal's messages of `plancheck serve`
    return app
