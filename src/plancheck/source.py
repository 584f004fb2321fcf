"""Bytes to text: detect the encoding of a plan file and split it into its original lines."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from plancheck.hookspecs import hookimpl

# Line breaks as an editor counts them: CRLF, CR or LF (not the Unicode separators that
# str.splitlines also honours, which editors do not number).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Control characters that never occur in a text document (tab, LF, CR and form feed do).
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


class InputError(Exception):
    """A file that cannot be read as a plan; ``message_key`` selects the user message."""

    def __init__(self, message_key: str, path: str, detail: str = "") -> None:
        super().__init__(f"{path}: {message_key} {detail}".strip())
        self.message_key = message_key
        self.path = path
        self.detail = detail


@dataclass(frozen=True)
class Source:
    """A decoded plan: its path as the user gave it, its encoding and its original lines."""

    path: str
    encoding: str
    lines: tuple[str, ...]


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return ``(text, encoding)``; UTF-8/16 by BOM, else UTF-8, else Shift_JIS (cp932)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data:
            raise InputError("binary", path)
        candidates = ["utf-8", "cp932"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _BINARY_CONTROL.search(text):
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
