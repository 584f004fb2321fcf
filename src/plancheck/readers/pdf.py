"""PDF reader (pdfplumber): text in reading order page by page, ruled tables as rows, running
headers, footers and page numbers dropped; and PC003, the finding for a PDF without text."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from plancheck.ast import Plan, Span
from plancheck.hookspecs import hookimpl
from plancheck.readers import claims
from plancheck.rule import Context, Finding, Rule
from plancheck.source import InputError, Place, Source

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


@dataclass
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
    """The text of a PDF as lines with their page (raises InputError for a broken file)."""
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages: list[tuple[float, list[_Line]]] = []
            tables = 0
            for number, page in enumerate(pdf.pages, start=1):
                lines, tables = _page_lines(page, number, tables)
                pages.append((page.height, lines))
    except Exception as error:  # pdfminer fails on damaged files with many exception types
        if _is_encryption_error(error):
            raise InputError("encrypted", path) from error
        raise InputError("pdf_corrupt", path, f"{type(error).__name__}: {error}") from error
    if not pages:
        raise InputError("pdf_corrupt", path, "no pages")
    lines = _join_wrapped(_without_page_furniture(pages))
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
        text += (" " if latin else "") + part
    return text


class NoTextLayer(Rule):
    """PDF に文字情報（テキスト層）がない (the PDF has no text layer: a scan or a picture).

    Why: plancheck reads the text of a PDF and does no OCR; a scanned PDF holds only pictures of
    its pages, so no rule could check it and a silent result would look like a clean plan. This
    one finding says so instead.

    How it knows: for a PDF whose pages hold no text (a stamped page number aside) the PDF
    reader returns a Source with no lines (encoding ``pdf-no-text``); every text file has at
    least one line, so a plan without lines can only come from such a PDF (or from a reader
    plugin that means the same).

    Source: plancheck's reader (the Cabinet Office publishes plans as PDFs exported from Word,
    which carry their text).

    Failing example: a PDF made by scanning the printed plan (pages are images only).

    Passing example: the same plan saved as PDF from Word (「名前を付けて保存」→ PDF), or the
    .docx itself.
    """

    code = "PC003"
    name = "no-text-layer"
    severity = "error"
    needs_profile = False
    messages = {
        "default": {
            "ja": "PDF に文字情報（テキスト層）がありません（スキャンした画像だけの PDF と思われます）。"
            "文字認識（OCR）は行わないため、Word の原稿（.docx）か、Word から保存した PDF を指定してください",
            "en": "The PDF has no text layer (it looks like a scan made only of images); "
            "plancheck does no OCR, so give the Word original (.docx) or a PDF saved from Word",
        }
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        if not plan.lines:
            yield self.report(context, Span(1))


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    return [NoTextLayer]
