"""PDF reader (pdfplumber): text in reading order page by page, ruled tables as rows, running
headers, footers and page numbers dropped, a table continued on the next page read as one table
(its repeated header row dropped, a row broken by the page put back together). A PDF without
text gives a Source with no lines (PC003 reports it)."""

from __future__ import annotations

import functools
import io
import logging
import re
import threading
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from plancheck.api.errors import InputError
from plancheck.api.hookspecs import hookimpl
from plancheck.api.results import Place
from plancheck.reading.file_types import claims
from plancheck.reading.limits import DocumentLimits, current_limits
from plancheck.reading.source import Source

_MAGIC = b"%PDF-"
#: Source.encoding of a PDF whose pages hold no text at all: the Source has no lines (a text
#: file always has at least one), which is what PC003 recognises.
NO_TEXT = "pdf-no-text"

# The top and bottom tenth of a page, where running headers, footers and page numbers sit.
_MARGIN = 0.1
_EDGE_LINES = 2  # how many lines at each end of a page may be a header or footer
# 「3」「- 3 -」「3/12」「p. 3」「3ページ」「(3)」 alone on a line (after NFKC: full width is ASCII).
_PAGE_NUMBER = re.compile(
    r"[-‐–—―ー~〜\s]*[(\[]?(?:p\.?\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*(?:ページ|頁))?[)\]]?"
    r"[-‐–—―ー~〜\s]*",
    re.IGNORECASE,
)
# A line that opens a heading, item, label or list entry never continues the line before it.
_STARTS_BLOCK = re.compile(
    r"\s*(?:\d{1,2}(?:[-－]\d{1,2}){0,2}[ 　]|[０-９]{1,2}(?:[-－][０-９]{1,2}){0,2}[ 　]"
    r"|[①-⑳【・●○〇◆■□◇※]|[(（][0-9０-９ア-ン]{1,2}[)）]|[ア-ン][ 　]|KPI)"
)
_CJK = r"\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"
# pdfplumber puts a space where glyphs stand apart, as justified Japanese lines do.
_SPACE_IN_JAPANESE = re.compile(rf"(?<=[{_CJK}、。])[ ]+(?=[{_CJK}、。])")


@hookimpl
def plancheck_read(path: str, data: bytes) -> Source | None:
    """Read a PDF; refuse an encrypted or damaged one with a message that says what to do."""
    if not claims(path, data, "pdf", (_MAGIC,)):
        return None
    if _MAGIC not in data[:1024]:  # the header may follow a few bytes of junk, not more
        raise InputError("pdf_corrupt", path, "no %PDF- header")
    return read_pdf(data, path)


@dataclass(slots=True)
class _Line:
    """A text line or a table row of one page, with where it lies on the page."""

    text: str
    page: int
    top: float
    bottom: float
    right: float
    size: float
    table: int | None = None
    row: int | None = None


def read_pdf(data: bytes, path: str) -> Source:
    """The text of a PDF as lines with their page (raises InputError for a broken file, and
    InputError("too_large") for one past the limits of ``current_limits()``)."""
    limits = current_limits()
    usage = _Usage(limits)
    reading = _USAGE.set(usage)
    try:
        import pdfplumber

        _bound_decoders()
        pdf = pdfplumber.open(io.BytesIO(data))
        _count_pages(pdf.doc, usage)  # before pdf.pages (closing pdf too) makes every page
        with pdf:
            pages: list[tuple[float, list[_Line]]] = []
            tables = 0
            for number, page in enumerate(pdf.pages, start=1):
                _lay_out(page, usage)
                lines, tables = _page_lines(page, number, tables)
                pages.append((page.height, lines))
                page.close()  # drop the page's objects: memory holds one page at a time
    except Exception as error:  # pdfminer fails on damaged files with many exception types
        if not usage.exceeded:  # else too_large below, however the exception was wrapped
            if _is_encryption_error(error):
                raise InputError("encrypted", path) from error
            raise InputError("pdf_corrupt", path, f"{type(error).__name__}: {error}") from error
    finally:
        _USAGE.reset(reading)
    if usage.exceeded:  # raised here, the message does not keep what was inflated alive
        raise InputError("too_large", path, limits.describe(usage.exceeded))
    if not pages:
        raise InputError("pdf_corrupt", path, "no pages")
    lines = _join_wrapped(_join_continued_tables(_without_page_furniture(pages)))
    if not lines:
        return Source(path=path, encoding=NO_TEXT, lines=())
    return Source(
        path=path,
        encoding="pdf",
        lines=tuple(line.text for line in lines),
        places=tuple(Place(page=line.page, table=line.table, row=line.row) for line in lines),
    )


def _is_encryption_error(error: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError

    seen: list[Any] = [error, *error.args, error.__cause__]
    return any(isinstance(item, PDFEncryptionError) for item in seen)


# --- bounded reading: pages, decoded stream bytes, and what one page may draw ----------------


class _TooLarge(Exception):
    """A PDF goes past the limit ``name`` (a DocumentLimits field)."""


@dataclass
class _Usage:
    """What the read of one PDF has used so far, against ``limits``; ``exceeded`` names the
    first limit it went past (kept even when pdfminer swallows the exception)."""

    limits: DocumentLimits
    stream_bytes: int = 0  # decoded by every stream so far (max_pdf_stream_bytes)
    page_bytes: int = 0  # of content executed on this page (max_pdf_page_bytes)
    page_objects: int = 0  # drawn on this page (max_pdf_page_objects)
    objects: int = 0  # drawn on every page so far (max_pdf_objects)
    exceeded: str | None = None

    def exceed(self, name: str) -> None:
        self.exceeded = self.exceeded or name
        raise _TooLarge(name)

    def decoded(self, size: int) -> None:
        self.stream_bytes += size
        if self.stream_bytes > self.limits.max_pdf_stream_bytes:
            self.exceed("max_pdf_stream_bytes")

    def room(self, size: int) -> None:
        """Refuse working memory of ``size`` bytes that the stream budget has no room for."""
        if size > self.limits.max_pdf_stream_bytes - self.stream_bytes:
            self.exceed("max_pdf_stream_bytes")

    def executed(self, size: int) -> None:
        self.page_bytes += size
        if self.page_bytes > self.limits.max_pdf_page_bytes:
            self.exceed("max_pdf_page_bytes")

    def drawn(self) -> None:
        self.page_objects += 1
        self.objects += 1
        if self.page_objects > self.limits.max_pdf_page_objects:
            self.exceed("max_pdf_page_objects")
        if self.objects > self.limits.max_pdf_objects:
            self.exceed("max_pdf_objects")

    def held(self, items: int) -> None:
        """Refuse a page that makes pdfminer hold more saved states or waiting operands than
        max_pdf_page_objects (legitimate pages nest a few dozen at most)."""
        if items >= self.limits.max_pdf_page_objects:
            self.exceed("max_pdf_page_objects")


# The read in progress in this thread (or task): the bounded decoders below charge it, and do
# exactly what pdfminer does when no read is in progress.
_USAGE: ContextVar[_Usage | None] = ContextVar("plancheck_pdf_usage", default=None)
_STEP = 1 << 20  # bytes inflated at a time


def _count_pages(document: Any, usage: _Usage) -> None:
    """Refuse more than max_pdf_pages pages: the count the page tree declares, then the pages
    counted one by one (the count can lie), before any page is read; a damaged page tree is
    left for pdfplumber to report."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    try:
        tree = resolve1(document.catalog.get("Pages"))
        declared = tree.get("Count") if isinstance(tree, dict) else None
        if isinstance(declared, int) and declared > usage.limits.max_pdf_pages:
            usage.exceed("max_pdf_pages")
        for count, _ in enumerate(PDFPage.create_pages(document), start=1):
            if count > usage.limits.max_pdf_pages:
                usage.exceed("max_pdf_pages")
    except _TooLarge:
        raise
    except Exception:  # not swallowed: a damaged page tree is reported by pdfplumber next, and
        return  # each page read stays bounded by the per-page and stream limits


def _lay_out(page: Any, usage: _Usage) -> None:
    """Lay the page out as pdfplumber's Page.layout does, through a device that counts what is
    drawn and an interpreter that counts the content it executes (Form XObjects each time they
    are used), the states it saves and the operands it holds; pdfplumber uses this layout."""
    from pdfplumber.utils.exceptions import PdfminerException

    usage.page_bytes = usage.page_objects = 0
    device_class, interpreter_class = _bounded_layout_classes()
    device = device_class(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    device.usage = usage
    interpreter = interpreter_class(page.pdf.rsrcmgr, device)
    try:
        interpreter.process_page(page.page_obj)
    except _TooLarge:
        raise
    except Exception as error:
        raise PdfminerException(error) from error
    page._layout = device.get_result()  # the cache Page.layout reads


@functools.cache
def _bounded_layout_classes() -> tuple[type, type]:
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.pdftypes import stream_value
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class Device(PDFPageAggregatorWithMarkedContent):
        usage: _Usage

        def render_char(self, *args: Any, **kwargs: Any) -> Any:
            self.usage.drawn()
            return super().render_char(*args, **kwargs)

        def render_image(self, *args: Any, **kwargs: Any) -> None:
            self.usage.drawn()
            super().render_image(*args, **kwargs)

        def paint_path(self, *args: Any, **kwargs: Any) -> None:
            self.usage.drawn()
            super().paint_path(*args, **kwargs)

    class Interpreter(PDFPageInterpreter):
        device: Device

        def execute(self, streams: Any) -> None:
            for stream in streams:
                try:
                    size = len(stream_value(stream).get_data())
                except _TooLarge:
                    raise
                except Exception:  # pdfminer meets the same error and deals with it
                    continue
                self.device.usage.executed(size)
            super().execute(streams)

        def push(self, obj: Any) -> None:
            self.device.usage.held(len(self.argstack))
            super().push(obj)

        def do_q(self) -> None:
            self.device.usage.held(len(self.gstack))
            super().do_q()

    return Device, Interpreter


def _bound_decoders() -> None:
    """Make pdfminer's stream filters count what they decode against the read in progress:
    Flate (and pdfminer's fallback for damaged Flate data), LZW and RunLength, which can
    inflate a few bytes to gigabytes, decode a step at a time and stop at the limit; ASCII85
    and ASCIIHex are charged when done; the predictors need room for their working lists;
    CCITT fax stays encoded. Installed once, in pdfminer.pdftypes, where PDFStream.decode looks
    the filters up; outside a read they are pdfminer's own."""
    from pdfminer import pdftypes

    with _INSTALLING:
        if not getattr(pdftypes, "_plancheck_bounded", False):
            _install(pdftypes)


_INSTALLING = threading.Lock()


def _install(pdftypes: Any) -> None:
    bounded: dict[str, Any] = {
        "zlib": _BoundedZlib(),
        "decompress_corrupted": _bounded(pdftypes.decompress_corrupted, _inflate_damaged),
        "lzwdecode": _bounded(pdftypes.lzwdecode, _lzw_decode),
        "rldecode": _bounded(pdftypes.rldecode, _run_length_decode),
        "ccittfaxdecode": _bounded(pdftypes.ccittfaxdecode, _fax_kept),
        "ascii85decode": _bounded(pdftypes.ascii85decode, _charged(pdftypes.ascii85decode)),
        "asciihexdecode": _bounded(pdftypes.asciihexdecode, _charged(pdftypes.asciihexdecode)),
        "apply_png_predictor": _bounded(
            pdftypes.apply_png_predictor, _predictor(pdftypes.apply_png_predictor, 2)
        ),
        "apply_tiff_predictor": _bounded(
            pdftypes.apply_tiff_predictor, _predictor(pdftypes.apply_tiff_predictor, 1)
        ),
    }
    for name, function in bounded.items():
        setattr(pdftypes, name, function)
    pdftypes._plancheck_bounded = True


def _bounded(original: Callable[..., bytes], bounded: Callable[..., bytes]) -> Callable[..., bytes]:
    """``bounded`` (given the usage as its first argument) while a read is in progress, else
    pdfminer's ``original``."""

    @functools.wraps(original)
    def decode(*args: Any) -> bytes:
        usage = _USAGE.get()
        return original(*args) if usage is None else bounded(usage, *args)

    return decode


class _BoundedZlib:
    """The zlib module as pdfminer.pdftypes sees it: ``decompress`` inflates a step at a time
    and stops at the limit (the same result and errors as zlib.decompress otherwise)."""

    error = zlib.error

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def decompress(data: Any, *args: Any, **kwargs: Any) -> bytes:
        usage = _USAGE.get()
        if usage is None or args or kwargs:
            return zlib.decompress(data, *args, **kwargs)
        before = usage.stream_bytes
        inflater = zlib.decompressobj()
        try:
            inflated = _drain(inflater, data, usage)
            if not inflater.eof:
                raise zlib.error(
                    "Error -5 while decompressing data: incomplete or truncated stream"
                )
        except zlib.error:
            usage.stream_bytes = before  # thrown away: pdfminer inflates it again, see below
            raise
        return inflated


def _drain(inflater: Any, data: Any, usage: _Usage) -> bytes:
    """All that ``inflater`` makes of ``data``, _STEP bytes at a time, each charged to usage."""
    parts: list[bytes] = []
    pending = data
    while not inflater.eof:
        part = inflater.decompress(pending, _STEP)
        pending = inflater.unconsumed_tail
        if not part:
            break
        try:
            usage.decoded(len(part))
        except _TooLarge:
            parts.clear()  # the exception's traceback keeps this frame
            raise
        parts.append(part)
    return b"".join(parts)


def _inflate_damaged(usage: _Usage, data: bytes) -> bytes:
    """pdfminer's decompress_corrupted (inflate data whose checksum is damaged: an error in its
    last three bytes only loses the rest), charged, and without its byte-at-a-time copying."""
    inflater = zlib.decompressobj()
    body = max(0, len(data) - 3)
    inflated = _drain(inflater, data[:body], usage)  # an error here propagates, as in pdfminer
    for index in range(body, len(data)):
        try:
            part = inflater.decompress(data[index : index + 1])
        except zlib.error:
            logging.getLogger("pdfminer.pdftypes").warning(
                "Data-loss while decompressing corrupted data"
            )
            break
        usage.decoded(len(part))
        inflated += part
    return inflated


def _lzw_decode(usage: _Usage, data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    decoded = bytearray()
    for part in LZWDecoder(io.BytesIO(data)).run():
        usage.decoded(len(part))
        decoded += part
    return bytes(decoded)


def _run_length_decode(usage: _Usage, data: bytes) -> bytes:
    """pdfminer's rldecode (PDF Reference 1.4, 3.3.4) into bytes, not a list of integers."""
    decoded = bytearray()
    index = 0
    while index < len(data) and data[index] != 128:  # 128, or the end of the data: EOD
        length = data[index]
        if length < 128:
            run = data[index + 1 : index + 2 + length]
            if len(run) < length + 1:
                raise RuntimeError("generator raised StopIteration")  # as rldecode does
        else:
            run = data[index + 1 : index + 2] * (257 - length)
            if not run:
                raise StopIteration  # as rldecode does
        usage.decoded(len(run))
        decoded += run
        index += 1 + (length + 1 if length < 128 else 1)
    return bytes(decoded)


def _fax_kept(usage: _Usage, data: bytes, params: dict[str, object]) -> bytes:
    """CCITT fax data left encoded, as pdfminer leaves DCT, JBIG2 and JPX: it is image data,
    which text extraction never needs, and pdfminer's pure-Python decoder spends minutes on a
    few kilobytes that decode to large pages of pixels."""
    return data


def _charged(decode: Callable[[bytes], bytes]) -> Callable[[_Usage, bytes], bytes]:
    """A filter whose output is at most a few times its input, charged when done."""

    def charged(usage: _Usage, data: bytes) -> bytes:
        decoded = decode(data)
        usage.decoded(len(decoded))
        return decoded

    return charged


def _predictor(apply: Callable[..., bytes], columns_at: int) -> Callable[..., bytes]:
    """A PNG or TIFF predictor (output no larger than its input), refused when its working
    lists (9 bytes an item: a row of ``columns``, and the data) have no room in the budget."""

    def predict(usage: _Usage, *args: Any) -> bytes:
        columns = args[columns_at]
        usage.room(9 * ((columns if isinstance(columns, int) else 0) + len(args[-1])))
        return apply(*args)

    return predict


def _page_lines(page: Any, number: int, tables_before: int) -> tuple[list[_Line], int]:
    """A page's text lines and table rows, top to bottom, and the count of tables so far."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside_tables(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    lines = []
    for line in page.filter(outside_tables).extract_text_lines(return_chars=False):
        text = _SPACE_IN_JAPANESE.sub("", line["text"])
        size = line["bottom"] - line["top"]
        lines.append(_Line(text, number, line["top"], line["bottom"], line["x1"], size))
    for table_number, table in enumerate(tables, start=tables_before + 1):
        for row_number, (cells, box) in enumerate(_table_rows(table), start=1):
            lines.append(
                _Line(cells, number, box[1], box[3], box[2], 0.0, table_number, row_number)
            )
    return sorted(lines, key=lambda line: line.top), tables_before + len(tables)


def _table_rows(table: Any) -> Iterator[tuple[str, tuple[float, float, float, float]]]:
    """Rows as tab-joined cells: a cell spanning columns counts once, a cell under a vertically
    merged one is empty; line breaks inside a cell are undone."""
    columns = sorted({cell[0] for cell in table.cells})
    for row, texts in zip(table.rows, table.extract(), strict=True):
        cells = []
        right_edge = None
        for column, (box, text) in enumerate(zip(row.cells, texts, strict=True)):
            if box is not None:
                right_edge = box[2]
                cells.append(_unwrap((text or "").split("\n")).replace("\t", " "))
            elif right_edge is None or right_edge <= columns[column] + 1:
                cells.append("")  # covered from above (or nothing there): keep the column
        yield "\t".join(cells), row.bbox


def _without_page_furniture(pages: list[tuple[float, list[_Line]]]) -> list[_Line]:
    """Drop running headers and footers (the same line at the top or bottom of two or more
    pages, digits aside) and page numbers alone at the top or bottom of a page."""
    edges: list[tuple[_Line, tuple[str, bool]]] = []
    pages_with: defaultdict[tuple[str, bool], set[int]] = defaultdict(set)
    for height, lines in pages:
        texts = [line for line in lines if line.table is None]
        if len(texts) > 2 * _EDGE_LINES:
            texts = texts[:_EDGE_LINES] + texts[-_EDGE_LINES:]
        for line in texts:
            at_top = line.bottom <= height * _MARGIN
            if at_top or line.top >= height * (1 - _MARGIN):
                key = (re.sub(r"\d+", "#", line.text.strip()), at_top)
                edges.append((line, key))
                pages_with[key].add(line.page)
    dropped = {
        id(line) for line, key in edges if len(pages_with[key]) >= 2 or _is_page_number(line.text)
    }
    return [line for _, lines in pages for line in lines if id(line) not in dropped]


def _is_page_number(text: str) -> bool:
    text = unicodedata.normalize("NFKC", text).strip()
    return bool(text) and _PAGE_NUMBER.fullmatch(text) is not None


@dataclass(slots=True)
class _Table:
    """A table as the document numbers it, which may go on over several pages."""

    number: int
    header: str  # its first row, which Word repeats at the top of each page it goes on to
    rows: int = 0  # rows kept so far


def _join_continued_tables(lines: list[_Line]) -> list[_Line]:
    """Read a table that goes on over a page break as one table, numbered as in Word: a table
    that opens a page, right after a table with as many columns that closed the page before,
    goes on with it. Its first row is dropped when it repeats the table's first row (Word's
    "repeat header row"), and the row then opening the page is joined to the row before it when
    it has an empty first cell under a filled one: Word broke that row across the pages
    (「10,000.」 on one page, 「00」 on the next)."""
    kept: list[_Line] = []
    tables: dict[tuple[int, int], _Table] = {}  # (page, table number on the page) → table
    last: _Table | None = None  # the table of the last line kept, if that is a row
    going_on: tuple[int, int] | None = None  # a table's part that opens its page, no row kept
    count = 0
    for line in lines:
        if line.table is None:
            kept.append(line)
            last = None
            continue
        key = (line.page, line.table)
        table = tables.get(key)
        if table is None and last is not None and _goes_on(kept[-1], line):
            table = tables[key] = last
            going_on = key
        elif table is None:
            count += 1
            table = tables[key] = _Table(count, line.text)
        if key == going_on:  # the first rows of a table that goes on from the page before
            if line.row == 1 and line.text == table.header:
                continue  # the repeated header row
            going_on = None
            if _broken(kept[-1], line):
                kept[-1].text = "\t".join(
                    _unwrap([before, after])
                    for before, after in zip(
                        kept[-1].text.split("\t"), line.text.split("\t"), strict=True
                    )
                )
                continue
        table.rows += 1
        line.table, line.row = table.number, table.rows
        kept.append(line)
        last = table
    return kept


def _goes_on(previous: _Line, line: _Line) -> bool:
    """Whether the table row ``line`` opening its page goes on with the table whose row
    ``previous`` closed the page before."""
    return (
        line.row == 1
        and previous.page == line.page - 1
        and previous.text.count("\t") == line.text.count("\t")
    )


def _broken(previous: _Line, line: _Line) -> bool:
    """Whether ``line``, opening a page, is the rest of the row ``previous`` that the page
    break cut: its first cell is empty under a filled one, and it has text elsewhere."""
    before, after = previous.text.split("\t"), line.text.split("\t")
    return bool(before[0].strip()) and not after[0].strip() and any(c.strip() for c in after)


def _join_wrapped(lines: list[_Line]) -> list[_Line]:
    """Put a paragraph that the page width wrapped back on one line: a line that reaches the
    right margin continues on the next, unless it ends a sentence or the next opens a block."""
    right_margin = max((line.right for line in lines if line.table is None), default=0.0)
    joined: list[_Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.table is None
            and line.table is None
            and previous.right >= right_margin - 2 * previous.size
            and not previous.text.rstrip().endswith(("。", "：", ":"))
            and not _STARTS_BLOCK.match(line.text)
        ):
            previous.text = _unwrap([previous.text, line.text])
            previous.right = line.right
            previous.size = line.size
            continue
        joined.append(line)
    return [line for line in joined if line.text.strip() or line.table is not None]


def _unwrap(parts: list[str]) -> str:
    """Join the lines of a wrapped text: Japanese runs on, Latin words get a space between."""
    text = ""
    for part in (part.strip() for part in parts):
        if not part:
            continue
        latin = text and text[-1].isascii() and part[0].isascii()
        number = text and text[-1] in "0123456789,." and part[0].isdigit()  # 「10,000.」「00」
        text += (" " if latin and not number else "") + part
    return text
