"""Readers for Word (.docx) and PDF plans: each turns a file of its type into a Source.

A reader module imports only the standard library at start-up; its parser (python-docx,
pdfplumber) is imported inside the hook, and only for a file of its type.
"""

from __future__ import annotations

import os

# The document types a built-in reader owns, by file suffix: a file with one of these suffixes
# goes to that reader even when its bytes are wrong (so the user hears "corrupt .docx", not
# "binary file"). A text file stays text whatever it starts with; a file with another suffix
# (or standard input) goes by its magic bytes.
DOCUMENT_SUFFIXES = {".docx": "word", ".doc": "word", ".pdf": "pdf"}
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
# Word 97-2003 is claimed by the Word reader only to tell the user to save the file as .docx.
UNREADABLE_SUFFIXES = (".doc",)
#: what a folder is searched for (engine.batch): every suffix a reader claims
PLAN_SUFFIXES = (*TEXT_SUFFIXES, *DOCUMENT_SUFFIXES)
#: what an upload may be (web): the suffixes plancheck can read
READABLE_SUFFIXES = tuple(s for s in PLAN_SUFFIXES if s not in UNREADABLE_SUFFIXES)


def claims(path: str, data: bytes, kind: str, magic: tuple[bytes, ...]) -> bool:
    """Whether the reader for ``kind`` should read this file: by suffix, else by magic bytes."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in DOCUMENT_SUFFIXES:
        return DOCUMENT_SUFFIXES[suffix] == kind
    return suffix not in TEXT_SUFFIXES and data.startswith(magic)
