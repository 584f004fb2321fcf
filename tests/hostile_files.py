"""Hostile Word and PDF files, generated small on disk and huge when inflated (never held whole):
the catalogue the document-limit tests and ``benchmarks/bench.py --pathological`` share."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

MB = 1_000_000
MiB = 1 << 20

# --- generators: compressed bytes of huge documents, made without holding them -------------


def repeated_deflate(head: bytes, chunk: bytes, count: int, tail: bytes, wbits: int = -15):
    """Deflate ``head + chunk * count + tail`` (raw for a ZIP, zlib-wrapped for a PDF) without
    making it: after a full flush the compressor starts afresh, so every copy of ``chunk``
    compresses to the same bytes. Returns (compressed, crc32, size)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    if block != compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH):
        raise AssertionError("this zlib does not restart after a full flush")
    end = compressor.compress(tail) + compressor.flush()
    crc, adler = zlib.crc32(head), zlib.adler32(head)
    for _ in range(count):
        crc, adler = zlib.crc32(chunk, crc), zlib.adler32(chunk, adler)
    crc, adler = zlib.crc32(tail, crc), zlib.adler32(tail, adler)
    if wbits > 0:  # the zlib trailer: the compressor saw the chunk twice, the data has count
        end = end[:-4] + struct.pack(">I", adler)
    return start + block * count + end, crc, len(head) + len(chunk) * count + len(tail)


def zip_archive(members) -> bytes:
    """A ZIP written by hand: (name, method, compressed, crc32, declared size) per member, so
    that the declared size can be anything."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, method, data, crc, size in members:
        name = name.encode()
        offset = out.tell()
        fields = (20, 0, method, 0, 0x21, crc, len(data), size, len(name))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + name + data)
        central.write(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset) + name
        )
    directory = central.getvalue()
    start = out.tell()
    out.write(directory)
    count = len(members)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


def deflated(name: str, data: bytes):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return (
        name,
        zipfile.ZIP_DEFLATED,
        compressor.compress(data) + compressor.flush(),
        zlib.crc32(data),
        len(data),
    )


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{main}"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="{part}" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
PARAGRAPH = "<w:p><w:r><w:t>地域再生計画の本文です。</w:t></w:r></w:p>".encode()


def docx_of(
    paragraphs: int,
    chunk: bytes = PARAGRAPH * 16_000,
    declared: int | None = None,
    part: str = "word/document.xml",
) -> bytes:
    """A Word file whose body is ``chunk`` (whole paragraphs) ``paragraphs`` times over, as the
    main part ``part``; ``declared``: the size its ZIP entry claims instead of the true one."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode()
    body, crc, size = repeated_deflate(head, chunk, paragraphs, b"</w:body></w:document>")
    return zip_archive(
        [
            deflated("[Content_Types].xml", CONTENT_TYPES.format(part=part, main=MAIN).encode()),
            deflated("_rels/.rels", RELS.format(part=part).encode()),
            (part, zipfile.ZIP_DEFLATED, body, crc, size if declared is None else declared),
        ]
    )


def docx_bomb(megabytes: int, declared: int | None = None) -> bytes:
    """document.xml of ``megabytes`` MB of repeated paragraphs (a 1 MB chunk repeated)."""
    return docx_of(megabytes, PARAGRAPH * (MB // len(PARAGRAPH)), declared)


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF written by hand: objects 1..n, object 1 the catalog, with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    size = len(objects) + 1
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def stream(data: bytes, attributes: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), attributes, data)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
RESOURCES = b"/Font << /F1 5 0 R >>"


def pdf_page(content: bytes, attributes: bytes = b"", extra=(), resources=RESOURCES) -> bytes:
    """One A4 page: object 4 is its content stream, 5 a font, then ``extra`` objects."""
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << %s >> >>" % resources,
            stream(content, attributes),
            FONT,
            *extra,
        ]
    )


def flate_bomb_pdf(spaces: int = 500 * MB) -> bytes:
    """A page whose content stream is a line of text and ``spaces`` spaces, Flate-compressed
    (zlib.compress(b' ' * 500_000_000) in effect, made a megabyte at a time)."""
    content, _, _ = repeated_deflate(
        b"BT /F1 12 Tf 72 720 Td (Plan) Tj ET\n", b" " * MB, spaces // MB, b"\n", wbits=15
    )
    return pdf_page(content, b"/Filter /FlateDecode ")


def many_pages_pdf(count: int = 5_000, declared: int | None = None) -> bytes:
    """``count`` small pages of text; ``declared``: the page count the page tree claims."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", FONT]
    kids = []
    for number in range(1, count + 1):
        kids.append(b"%d 0 R" % (len(objects) + 1))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (len(objects) + 2)
        )
        objects.append(stream(b"BT /F1 12 Tf 72 720 Td (Page %d of the plan) Tj ET" % number))
    pages = count if declared is None else declared
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    return pdf_file(objects)


def form_reuse_pdf(characters: int = 1_000, uses: int = 2_000) -> bytes:
    """A Form XObject of ``characters`` characters that the page draws ``uses`` times."""
    form = stream(
        b"BT /F1 1 Tf (" + b"A" * characters + b") Tj ET",
        b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << %s >> " % RESOURCES,
    )
    return pdf_page(
        b"/X1 Do\n" * uses, extra=[form], resources=RESOURCES + b" /XObject << /X1 6 0 R >>"
    )


def saved_states_pdf(megabytes: int = 16) -> bytes:
    """Graphics states saved (q) and never restored: 16 MB of them, Flate-compressed."""
    content, _, _ = repeated_deflate(b"", b"q\n" * (MB // 2), megabytes, b"", wbits=15)
    return pdf_page(content, b"/Filter /FlateDecode ")


HOSTILE = {  # name: (generator, the limit it must hit)
    "bomb.docx": (lambda: docx_bomb(400), "max_docx_member_bytes"),
    "lying-sizes.docx": (lambda: docx_bomb(300, declared=5_000), "max_docx_ratio"),
    "flate-bomb.pdf": (flate_bomb_pdf, "max_pdf_stream_bytes"),
    "5000-pages.pdf": (many_pages_pdf, "max_pdf_pages"),
    "5000-pages-count-lies.pdf": (lambda: many_pages_pdf(declared=1), "max_pdf_pages"),
    "form-reuse.pdf": (form_reuse_pdf, "max_pdf_page_objects"),
    "saved-states.pdf": (saved_states_pdf, "max_pdf_page_bytes"),
    "nested-states.pdf": (lambda: pdf_page(b"q " * 40_000), "max_pdf_page_objects"),
}
