"""Bytes to text: detect the encoding of a plan file and split it into its original lines."""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from plancheck.api.errors import InputError
from plancheck.api.hookspecs import hookimpl
from plancheck.api.results import Place

# Line breaks as an editor counts them: CRLF, CR or LF (not the Unicode separators that
# str.splitlines also honours, which editors do not number).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Control characters that never occur in a text document (tab, LF, CR and form feed do).
# Signatures of files that are never text: PNG, GIF, JPEG, ZIP (.xlsx, .pptx …), gzip, OLE (.doc, .xls).
_BINARY_MAGIC = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\xd0\xcf\x11\xe0",
)
#: control characters that text never needs (tab, line breaks, form feed and ESC aside)
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _looks_binary(text: str) -> bool:
    """Many control characters (or a text made mostly of them) mean a binary file; a few stray
    ones in a plan are findings on their lines (PC004), not a reason to refuse the whole plan."""
    allowed = min(max(8, len(text) // 1000), len(text) // 10)
    count = 0
    for _ in CONTROL.finditer(text):
        count += 1
        if count > allowed:
            return True
    return False


@dataclass(frozen=True)
class Source:
    """A decoded plan: its path as the user gave it, its encoding and its original lines.

    Readers of Word or PDF files give each line its ``places`` entry (same length as ``lines``);
    plain text has none: its line numbers are the place.
    """

    path: str
    encoding: str
    lines: tuple[str, ...]
    places: tuple[Place, ...] = ()


#: the largest plan file read (a real plan is about 16 KiB, a long Word or PDF one a few MB)
MAX_FILE_BYTES = 100 * 1024 * 1024


def read_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file: a device (/dev/zero), a FIFO or a socket is refused before
    it is opened, and no more than ``limit`` bytes are ever read (raises InputError; OSError for
    a missing or unreadable file)."""
    status = os.stat(path)
    if not stat.S_ISREG(status.st_mode):
        raise InputError("not_regular", str(path))
    if status.st_size > limit:
        raise InputError("file_too_large", str(path), _megabytes(limit))
    with open(path, "rb") as file:
        return read_stream(file, str(path), limit)


def read_stream(stream: BinaryIO, path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """At most ``limit`` bytes of a stream (standard input); more is refused (InputError)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError("file_too_large", path, _megabytes(limit))
    return data


def _megabytes(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} MB"


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return ``(text, encoding)``; UTF-8/16 by BOM, else UTF-8, else Shift_JIS (cp932)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data or data.startswith(_BINARY_MAGIC):
            raise InputError("binary", path)  # an image, an archive, UTF-16 without its BOM …
        candidates = ["utf-8", "cp932"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise InputError("binary", path)
        return text, encoding
    raise InputError("undecodable", path, "/".join(candidates))


def read_source(data: bytes, path: str) -> Source:
    """Decode ``data`` and split it into lines, numbered from 1 as the user's editor shows them."""
    text, encoding = decode(data, path)
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()  # a final line break does not open another line
    return Source(path=path, encoding=encoding, lines=tuple(lines))


@hookimpl(trylast=True)
def plancheck_read(path: str, data: bytes) -> Source:
    """The built-in reader: plain text and Markdown in any supported encoding."""
    return read_source(data, path)
