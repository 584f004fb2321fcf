"""Write small PDFs for the reader tests without a PDF library: Japanese paragraphs and ruled
tables on A4 pages, laid out as Word prints a plan (a CID font named, not embedded)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from plancheck.reading.pdf import _STARTS_BLOCK

WIDTH, HEIGHT = 595.28, 841.89
MARGIN = 56.7
TEXT_SIZE = 9.0
CELL_SIZE = 7.0
LEADING = 1.5  # line height in font sizes
PAGE_BREAK = "\f"  # a block that ends the page


@dataclass
class Grid:
    """A ruled table: its rows of cells; ``widths`` of the columns (equal when left out)."""

    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)


def build_pdf(blocks: list[str | Grid], *, header: str = "") -> bytes:
    """A PDF of ``blocks`` in order: a string is a paragraph (wrapped at the page width), a Grid
    a table, PAGE_BREAK a page break; a page full of text goes on to the next one. ``header`` is
    a running header drawn on every page."""
    pages: list[list[str]] = [[]]
    top = MARGIN

    def room(height: float) -> None:
        nonlocal top
        if top + height > HEIGHT - MARGIN and top > MARGIN:
            pages.append([])
            top = MARGIN

    for block in blocks:
        if block == PAGE_BREAK:
            pages.append([])
            top = MARGIN
        elif isinstance(block, Grid):
            heights = [_row_height(row, _widths(block)) for row in block.rows]
            room(sum(heights))
            pages[-1].append(_grid(block, top, heights))
            top += sum(heights) + TEXT_SIZE
        else:
            for text in _wrap(block, int((WIDTH - 2 * MARGIN) // TEXT_SIZE)):
                room(TEXT_SIZE * LEADING)
                pages[-1].append(_text(MARGIN, top + TEXT_SIZE, TEXT_SIZE, text))
                top += TEXT_SIZE * LEADING
    if header:
        for page in pages:
            page.append(_text(MARGIN, MARGIN / 2, 7, header))
    return _document(["\n".join(page) for page in pages])


def _wrap(text: str, width: int) -> list[str]:
    """Full lines of ``width`` characters; a break is moved where the reader would take the next
    line for a new block (or the line for a sentence's end), as Word's kinsoku moves it."""
    lines = []
    while len(text) > width:
        cut = width
        while cut > 1 and (
            _STARTS_BLOCK.match(text[cut:]) or text[cut - 1] in "。：:" or text[cut] == " "
        ):
            cut -= 1
        lines.append(text[:cut])
        text = text[cut:]
    return [*lines, text]


def _widths(grid: Grid) -> list[float]:
    columns = max(len(row) for row in grid.rows)
    return grid.widths or [(WIDTH - 2 * MARGIN) / columns] * columns


def _cell_lines(text: str, width: float) -> list[str]:
    per_line = max(1, int((width - 4) // CELL_SIZE))
    return [text[i : i + per_line] for i in range(0, len(text), per_line)] or [""]


def _row_height(row: list[str], widths: list[float]) -> float:
    most = max(len(_cell_lines(cell, width)) for cell, width in zip(row, widths, strict=False))
    return most * CELL_SIZE * LEADING + 4


def _grid(grid: Grid, top: float, heights: list[float]) -> str:
    widths = _widths(grid)
    right = MARGIN + sum(widths)
    drawn = ["0.5 w"]
    y = top
    for row, height in zip(grid.rows, heights, strict=True):
        drawn.append(_rule(MARGIN, y, right, y))
        x = MARGIN
        for cell, width in zip(row, widths, strict=False):
            drawn.append(_rule(x, y, x, y + height))
            for number, text in enumerate(_cell_lines(cell, width)):
                baseline = y + 2 + CELL_SIZE * (1 + number * LEADING)
                drawn.append(_text(x + 2, baseline, CELL_SIZE, text))
            x += width
        drawn.append(_rule(right, y, right, y + height))
        y += height
    drawn.append(_rule(MARGIN, y, right, y))
    return "\n".join(drawn)


def _rule(x0: float, top0: float, x1: float, top1: float) -> str:
    return f"{x0:.2f} {HEIGHT - top0:.2f} m {x1:.2f} {HEIGHT - top1:.2f} l S"


def _text(x: float, baseline: float, size: float, text: str) -> str:
    if not text:
        return ""
    code = text.encode("utf-16-be").hex()
    return f"BT /F1 {size} Tf {x:.2f} {HEIGHT - baseline:.2f} Td <{code}> Tj ET"


def _document(contents: list[str]) -> bytes:
    """The PDF file: catalog, page tree, the font, and a page with its content per entry."""
    count = len(contents)
    kids = " ".join(f"{5 + 2 * index} 0 R" for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiKakuGo-W5 /Encoding /UniJIS-UCS2-H"
        b" /DescendantFonts [4 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiKakuGo-W5 /DW 1000"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >>"
        b" /FontDescriptor << /Type /FontDescriptor /FontName /HeiseiKakuGo-W5 /Flags 4"
        b" /FontBBox [-92 -250 1010 922] /ItalicAngle 0 /Ascent 752 /Descent -221"
        b" /CapHeight 737 /StemV 114 >> >>",
    ]
    for index, content in enumerate(contents):
        stream = zlib.compress(content.encode("ascii"))
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}]"
            f" /Resources << /Font << /F1 3 0 R >> >> /Contents {6 + 2 * index} 0 R >>".encode()
        )
        objects.append(
            f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
            + stream
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    start = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    )
    return bytes(out)
