"""How far plancheck inflates a Word or PDF file before it refuses it as too large.

A .docx is a ZIP archive and a PDF is made of compressed streams: a file of a few hundred
kilobytes can inflate to gigabytes (a "zip bomb" or a "Flate bomb"), and a small PDF can hold
thousands of pages or a page with millions of characters. The readers check these limits before
inflating anything (the sizes a ZIP's central directory declares, the number of members, the
PDF's page count) and again while inflating (every inflated byte is counted, as declared sizes
can lie), so memory stays bounded whatever the file holds. A file over a limit is refused with
``InputError("too_large", path, detail)``, ``detail`` naming the limit: ``max_pdf_pages = 500``.

The defaults are far above what a 地域再生計画 needs (a long plan is 100 pages, its Word text
a few megabytes) and keep the worst case of each reader to a few hundred megabytes of memory.
A run that must read larger files sets other limits before reading::

    from plancheck.reading.limits import DocumentLimits, set_limits

    set_limits(DocumentLimits(max_pdf_pages=2_000))

The limits are one setting of the process (``set_limits``), read by every reader through
``current_limits()``; a worker process (``plancheck check -j``) must be given them again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

MiB = 1 << 20


@dataclass(frozen=True)
class DocumentLimits:
    """The limits on one Word or PDF file; each must be a positive integer. Change one with
    ``dataclasses.replace(current_limits(), max_pdf_pages=2_000)``.

    Word (.docx, a ZIP archive of XML parts and media):

    ``max_docx_members`` = 10,000 members in the archive. Word writes 10 to 50 (a few hundred
    with many pictures). The count (and the size of the central directory, at 128 bytes a
    member) is read from the archive's end record before zipfile parses the directory, which
    costs memory per member.

    ``max_docx_member_bytes`` = 64 MiB, the inflated size of any one member (a picture or an
    XML part). A photo Word stores is a few megabytes.

    ``max_docx_bytes`` = 128 MiB, the inflated size of all members together: python-docx keeps
    every part it loads (pictures included) in memory.

    ``max_docx_xml_bytes`` = 32 MiB, the inflated size of the XML parts together (names ending
    in .xml or .rels, and any part whose content type is XML). Parsing costs about 12 bytes of
    memory per byte of XML, so this bounds the reader near 400 MB; a 100-page plan's text is
    2 to 5 MB of XML.

    ``max_docx_ratio`` = 200, how many times its compressed size a member over 1 MiB may
    inflate to. Word's XML compresses 5 to 30 times, pictures hardly at all; a zip bomb
    compresses about 1,000 times. Checked on the declared sizes and again while inflating.

    PDF:

    ``max_pdf_pages`` = 500 pages, counted before any text is extracted. A plan with its
    appendices has at most about 150.

    ``max_pdf_stream_bytes`` = 128 MiB, the bytes all the streams of the file decode to
    together (page contents, fonts, object streams; pictures are never decoded), counted
    while decoding, so a Flate bomb stops at this size. pdfminer keeps decoded streams for
    the whole read; a 100-page plan decodes to 5 to 30 MB, fully embedded Japanese fonts to
    about 20 MB each.

    ``max_pdf_page_bytes`` = 2 MiB of content executed for one page: its content streams,
    and a Form XObject's each time the page draws it. pdfminer's parser and interpreter can
    hold up to 200 bytes of memory per byte of content (unclosed arrays, saved states), so this
    bounds a page near 400 MB; a page of text is tens of kilobytes.

    ``max_pdf_page_objects`` = 30,000 characters, lines, rectangles, curves and images drawn on
    one page (through Form XObjects too, however often one is reused); also the most graphics
    states saved or operands waiting at once. pdfplumber costs 2 KB (a character) to 12 KB (a
    rectangle, which table detection turns into four edges) per object, so this bounds a page
    near 400 MB; a dense page of text holds about 3,000 characters, a ruled table a few hundred
    lines.

    ``max_pdf_objects`` = 1,000,000 objects drawn on all pages together. What a page yields (its
    text lines) is kept until the whole file is read, and pdfplumber takes about 150 µs an
    object, so this bounds both the text kept and the time (a few minutes at worst); 500
    dense pages hold about a million.
    """

    max_docx_members: int = 10_000
    max_docx_member_bytes: int = 64 * MiB
    max_docx_bytes: int = 128 * MiB
    max_docx_xml_bytes: int = 32 * MiB
    max_docx_ratio: int = 200
    max_pdf_pages: int = 500
    max_pdf_stream_bytes: int = 128 * MiB
    max_pdf_page_bytes: int = 2 * MiB
    max_pdf_page_objects: int = 30_000
    max_pdf_objects: int = 1_000_000

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{field.name} must be a positive integer, not {value!r}")

    def describe(self, name: str) -> str:
        """The limit ``name`` as the too_large message shows it: ``max_docx_bytes = 128 MiB``."""
        value = getattr(self, name)
        if name.endswith("_bytes"):
            shown = f"{value // MiB} MiB" if value % MiB == 0 else f"{value:,} bytes"
        else:
            shown = f"{value:,}"
        return f"{name} = {shown}"


DEFAULT_LIMITS = DocumentLimits()

_limits = DEFAULT_LIMITS


def current_limits() -> DocumentLimits:
    """The limits the readers apply now (``DEFAULT_LIMITS`` unless ``set_limits`` changed them)."""
    return _limits


def set_limits(limits: DocumentLimits | None) -> DocumentLimits:
    """Apply ``limits`` (``None``: the defaults) to every later read; returns the previous ones."""
    global _limits
    if limits is not None and not isinstance(limits, DocumentLimits):
        raise TypeError(f"expected DocumentLimits, not {type(limits).__name__}")
    previous, _limits = _limits, limits or DEFAULT_LIMITS
    return previous


@contextmanager
def limits_applied(limits: DocumentLimits | None) -> Iterator[DocumentLimits]:
    """Apply ``limits`` inside a ``with`` block and restore the previous ones after it."""
    previous = set_limits(limits)
    try:
        yield current_limits()
    finally:
        set_limits(previous)
