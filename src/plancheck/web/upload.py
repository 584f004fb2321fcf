"""Request bodies read in memory, never past a size limit nor a time limit: a multipart ``file``
field or a text body, or the ``old`` and ``new`` fields of a comparison.

Nothing is written to disk (Starlette's own form parser spools large files to temporary files).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

import anyio
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header
from starlette.requests import Request

from plancheck.api.messages import message

if TYPE_CHECKING:  # python-multipart declares its callback table for type checkers only
    from python_multipart.multipart import MultipartCallbacks

TEXT_BODY = "-"  # the path of pasted text, as for standard input on the command line
# A body must arrive within BODY_SECONDS, and never pause longer than BODY_IDLE_SECONDS (slow
# loris): 20 MB in a minute is 2.7 Mbit/s, far below any local network.
BODY_SECONDS = 60.0
BODY_IDLE_SECONDS = 10.0
# the bytes of a form's boundaries and part headers allowed beside its files' own limit
MULTIPART_FRAMING = 16 * 1024


class UploadError(Exception):
    """A request the API refuses: ``status`` is the HTTP status, ``key`` and ``values`` the user
    message in the catalogue (rendered in the request's language)."""

    def __init__(self, status: int, key: str, **values: Any) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.values = values

    def text(self, lang: str) -> str:
        return message(self.key, lang, **self.values)


@dataclass(frozen=True)
class Upload:
    """A plan received by the API: its file name (or ``-`` for pasted text) and its bytes."""

    name: str
    data: bytes


async def read_upload(
    request: Request, limit: int, suffixes: Sequence[str], explained: Sequence[str] = ()
) -> Upload:
    """The plan in ``request``; UploadError for a body over ``limit`` bytes or of another type.

    A file of a type in ``explained`` is taken although plancheck cannot read it, so that its
    reader says what to do (.doc: save it as .docx); the refusal names ``suffixes`` only."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise _too_large(limit)  # refused before a byte of the body is read
    media_type, options = parse_options_header(request.headers.get("content-type"))
    if media_type == b"text/plain":
        chunks: list[bytes] = []
        await _read_body(request, limit, chunks.append)
        return Upload(TEXT_BODY, b"".join(chunks))
    if media_type == b"multipart/form-data" and options.get(b"boundary"):
        upload = await _multipart_file(request, options[b"boundary"], limit)
        if PurePosixPath(upload.name).suffix.lower() not in (*suffixes, *explained):
            raise UploadError(
                415, "web_unsupported_file", name=upload.name, suffixes=" / ".join(suffixes)
            )
        return upload
    if not media_type:
        raise UploadError(415, "web_missing_type")
    raise UploadError(415, "web_unsupported_type", media_type=media_type.decode("latin-1"))


def _too_large(limit: int) -> UploadError:
    return UploadError(413, "web_too_large", megabytes=f"{limit / 1024 / 1024:g}")


async def _read_body(request: Request, limit: int, sink: Callable[[bytes], None]) -> None:
    """Gives ``sink`` the body's chunks as they arrive; 413 as soon as more than ``limit`` came,
    408 when the body takes longer than BODY_SECONDS or pauses longer than BODY_IDLE_SECONDS."""
    received = 0
    chunks = request.stream()
    with anyio.move_on_after(BODY_SECONDS):
        while True:
            with anyio.move_on_after(BODY_IDLE_SECONDS) as idle:
                chunk = await anext(chunks, None)
            if idle.cancelled_caught:
                break
            if chunk is None:
                return
            received += len(chunk)
            if received > limit:
                raise _too_large(limit)
            sink(chunk)
    raise UploadError(408, "web_too_slow")


def _malformed() -> UploadError:
    return UploadError(400, "web_malformed")


async def read_uploads(
    request: Request,
    limit: int,
    suffixes: Sequence[str],
    explained: Sequence[str] = (),
    fields: Sequence[str] = ("old", "new"),
) -> dict[str, Upload]:
    """The files of the multipart fields ``fields`` (each one plan, as read_upload takes it):
    UploadError for a file over ``limit`` bytes, of another type, or missing."""
    # each file may be as large as a single upload; the form's own framing comes on top
    total = limit * len(fields) + MULTIPART_FRAMING
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > total:
        raise _too_large(limit)
    media_type, options = parse_options_header(request.headers.get("content-type"))
    if media_type != b"multipart/form-data" or not options.get(b"boundary"):
        raise UploadError(415, "web_compare_needs_files")
    uploads = await _multipart_files(request, options[b"boundary"], total, fields)
    for field in fields:
        upload = uploads.get(field)
        if upload is None:
            raise UploadError(400, "web_compare_missing_file", field=field)
        if len(upload.data) > limit:
            raise _too_large(limit)
        if PurePosixPath(upload.name).suffix.lower() not in (*suffixes, *explained):
            raise UploadError(
                415, "web_unsupported_file", name=upload.name, suffixes=" / ".join(suffixes)
            )
    return {field: uploads[field] for field in fields}


async def _multipart_file(request: Request, boundary: bytes, limit: int) -> Upload:
    uploads = await _multipart_files(request, boundary, limit, ("file",))
    if "file" not in uploads:
        raise UploadError(400, "web_no_file")
    return uploads["file"]


async def _multipart_files(
    request: Request, boundary: bytes, limit: int, fields: Sequence[str]
) -> dict[str, Upload]:
    part = _FilePart(fields)
    try:
        parser = MultipartParser(boundary, part.callbacks())  # refuses a boundary of 257+ bytes
    except FormParserError as error:
        raise _malformed() from error

    def write(chunk: bytes) -> None:
        try:
            parser.write(chunk)
        except FormParserError as error:
            raise _malformed() from error

    await _read_body(request, limit, write)
    if parser.state != MultipartState.END:  # cut short: the closing boundary never came
        raise _malformed()
    return {field: Upload(name, bytes(part.contents[field])) for field, name in part.names.items()}


class _FilePart:
    """Keeps the first multipart field of each name in ``fields`` that carries a file name;
    skips the rest."""

    def __init__(self, fields: Sequence[str] = ("file",)) -> None:
        self.fields = fields
        self.names: dict[str, str] = {}  # field → the file's name
        self.contents: dict[str, bytearray] = {}
        self._current: str | None = None  # the field whose data is arriving
        self._header = bytearray()
        self._value = bytearray()
        self._disposition = b""

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._end,
        }

    def _begin(self) -> None:
        self._disposition = b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        if self._header.lower() == b"content-disposition":
            self._disposition = bytes(self._value)
        self._header.clear()
        self._value.clear()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        filename = options.get(b"filename", b"").decode("utf-8", "replace")
        # old browsers send the whole Windows path; the findings name the file only
        base = filename.replace("\\", "/").rsplit("/", 1)[-1]
        field = options.get(b"name", b"").decode("utf-8", "replace")
        if field in self.fields and base and field not in self.names:
            self.names[field] = base
            self.contents[field] = bytearray()
            self._current = field

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._current is not None:
            self.contents[self._current] += data[start:end]

    def _end(self) -> None:
        self._current = None
