"""Apply fixes to a Word (.docx) file in place: the text of its runs changes, nothing else does.

A finding's line and column in a .docx are those of the lines reading/word.py makes from
paragraphs and table rows. This module walks the body the same way, keeping for each character
the w:t element (and the offset in it) it was read from, or nothing for the text Word generates
(list numbers, tabs and breaks, field results, the separators between table cells).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from plancheck.api.fixes import Edit
from plancheck.api.rule import Finding
from plancheck.reading import word
from plancheck.reading.word import _W

#: message keys (rules/messages/tool.yaml) of the fixes fix_docx leaves out
CROSSES_FORMATTING = "fix_crosses_formatting"
GENERATED_TEXT = "fix_word_generated"
TEXT_CHANGED = "fix_stale"  # as engine/fixer.py says it for text files
OVERLAPS = "fix_word_overlaps"

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# What may come before the root element of a part: a BOM, the declaration, processing
# instructions, comments, a doctype and the white space between them (kept as the file had them).
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL)


@dataclass
class _Piece:
    """Some characters of a line: ``text`` is ``t.text[offset:offset + len(text)]`` when ``t``
    (a w:t element) is set; text Word generates has no ``t``."""

    text: str
    t: Any = None
    offset: int = 0


@dataclass
class _Fields:
    """How many complex fields (w:fldChar begin … end) or simple fields the walk is inside: their
    visible text is the field's last result, which Word computes again."""

    depth: int = 0


@dataclass
class _Change:
    """Characters ``start``–``end`` of a w:t element replaced with ``new``."""

    t: Any
    start: int
    end: int
    new: str


@dataclass
class _Document:
    """The body of a .docx as pieces, line by line, in the same lines as reading/word.py."""

    root: Any
    lines: list[list[_Piece]] = field(default_factory=list)


def fix_docx(data: bytes, fixes: list[Finding]) -> tuple[bytes, list[tuple[Finding, str]]]:
    """``data`` with the fixes of ``fixes`` applied to the text of its runs, and the findings
    whose fix was not applied with the message key saying why. Only word/document.xml (the
    main document part) is written again; every other member of the package is copied as it is.
    The bytes come back unchanged when no fix applies."""
    path = fixes[0].path if fixes else "document.docx"
    source = word.read_docx(data, path)  # also refuses what the reader refuses (limits)
    import docx

    package = docx.Document(io.BytesIO(data)).part
    part = str(package.partname).lstrip("/")  # word/document.xml, as Word names it
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(part)
    document = _walk(xml, package)
    skipped: list[tuple[Finding, str]] = []
    taken: dict[int, list[tuple[int, int]]] = {}  # line → the character ranges already changed
    changes: list[_Change] = []
    for finding in fixes:
        if finding.fix is None:
            continue
        planned = _plan(finding.fix.edits, document, source.lines, taken)
        if isinstance(planned, str):
            skipped.append((finding, planned))
            continue
        for edit in finding.fix.edits:
            taken.setdefault(edit.line, []).append((edit.column - 1, edit.end_column - 1))
        changes.extend(planned)
    if not changes:
        return data, skipped
    _apply(changes)
    return _replace_member(data, part, _serialise(xml, document.root)), skipped


# --- the walk: lines of pieces, as reading/word.py reads them ---------------------------------


def _walk(xml: bytes, package: Any) -> _Document:
    """The main document part ``xml`` parsed as it is (white space kept), walked into lines;
    ``package`` (python-docx's main part) gives the numbering and styles parts."""
    numbering = word._Numbering(
        word._part_xml(package, "numbering"), word._part_xml(package, "styles")
    )
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False))
    document = _Document(root)
    body = root.find(_W + "body")
    if body is None:
        return document
    fields = _Fields()
    for block in word._blocks(body):
        if block.tag == _W + "p":
            document.lines.append(_paragraph(block, numbering, fields))
        else:
            document.lines.extend(_rows(block, numbering, fields))
    return document


def _paragraph(paragraph: Any, numbering: Any, fields: _Fields) -> list[_Piece]:
    pieces: list[_Piece] = []
    _collect(paragraph, pieces, fields)
    label = numbering.label(paragraph)  # after the text, in the reader's order of calls
    return [_Piece(label), *pieces] if label else pieces


def _collect(element: Any, pieces: list[_Piece], fields: _Fields) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag in word._HIDDEN:
            continue
        if tag == _W + "t":
            pieces.append(_Piece(child.text or "", None if fields.depth else child))
        elif tag in word._SPACING:
            pieces.append(_Piece(word._SPACING[tag]))
        elif tag == _W + "noBreakHyphen":
            pieces.append(_Piece("-"))
        elif tag == _W + "r" and word._is_hidden_run(child):
            continue
        elif tag == _W + "fldSimple":
            fields.depth += 1
            _collect(child, pieces, fields)
            fields.depth -= 1
        else:
            if tag == _W + "fldChar":
                kind = child.get(_W + "fldCharType")
                if kind == "begin":
                    fields.depth += 1
                elif kind == "end":
                    fields.depth = max(0, fields.depth - 1)
            _collect(child, pieces, fields)


def _rows(table: Any, numbering: Any, fields: _Fields) -> Iterator[list[_Piece]]:
    """Each row as reading/word.py's _table_rows reads it: cells joined by a tab."""
    for row in word._children(table, _W + "tr"):
        cells: list[list[_Piece]] = []
        for cell in word._children(row, _W + "tc"):
            properties = cell.find(_W + "tcPr")
            if properties is not None:
                legacy = properties.find(_W + "hMerge")
                if legacy is not None and legacy.get(_W + "val", "continue") == "continue":
                    continue
                merged = properties.find(_W + "vMerge")
                if merged is not None and merged.get(_W + "val", "continue") == "continue":
                    cells.append([])
                    continue
            cells.append(_cell(cell, numbering, fields))
        yield _joined(cells, "\t")


def _cell(cell: Any, numbering: Any, fields: _Fields) -> list[_Piece]:
    texts: list[list[_Piece]] = []
    for block in word._blocks(cell):
        if block.tag == _W + "p":
            texts.append(_stripped(_paragraph(block, numbering, fields)))
        else:
            texts.extend(_untabbed(row) for row in _rows(block, numbering, fields))
    return _joined([text for text in texts if _text(text)], " ")


def _joined(parts: list[list[_Piece]], separator: str) -> list[_Piece]:
    joined: list[_Piece] = []
    for index, part in enumerate(parts):
        if index:
            joined.append(_Piece(separator))
        joined.extend(part)
    return joined


def _untabbed(pieces: list[_Piece]) -> list[_Piece]:
    """A nested table's row with its tabs as spaces (a run's own tab is then not its text)."""
    return [
        _Piece(piece.text.replace("\t", " "), piece.t if "\t" not in piece.text else None,
               piece.offset)
        for piece in pieces
    ]  # fmt: skip


def _stripped(pieces: list[_Piece]) -> list[_Piece]:
    """The pieces of ``_text(pieces).strip()``."""
    text = _text(pieces)
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return _slice(pieces, start, end) if end > start else []


def _slice(pieces: list[_Piece], start: int, end: int) -> list[_Piece]:
    sliced = []
    position = 0
    for piece in pieces:
        first, last = max(start, position), min(end, position + len(piece.text))
        if first < last:
            cut = first - position
            sliced.append(_Piece(piece.text[cut : last - position], piece.t, piece.offset + cut))
        position += len(piece.text)
    return sliced


def _text(pieces: list[_Piece]) -> str:
    return "".join(piece.text for piece in pieces)


# --- planning the changes ---------------------------------------------------------------------


def _plan(
    edits: tuple[Edit, ...],
    document: _Document,
    read: tuple[str, ...],
    taken: dict[int, list[tuple[int, int]]],
) -> list[_Change] | str:
    """The changes to the runs that make ``edits``, or the message key of why they cannot."""
    changes: list[_Change] = []
    ranges: list[tuple[int, int, int]] = []
    for edit in edits:
        if edit.line != edit.end_line or "\n" in edit.new or "\r" in edit.new:
            return CROSSES_FORMATTING  # a fix across paragraphs: Word's paragraph marks differ
        if not 1 <= edit.line <= min(len(document.lines), len(read)):
            return TEXT_CHANGED
        pieces = document.lines[edit.line - 1]
        text = _text(pieces)
        if not _agrees(text, read[edit.line - 1]):
            return GENERATED_TEXT  # the walk and the reader differ here: never guess
        start, end = edit.column - 1, edit.end_column - 1
        if not 0 <= start <= end <= len(text) or text[start:end] != edit.old:
            return TEXT_CHANGED
        if any(_overlap((start, end), other) for other in taken.get(edit.line, [])) or any(
            line == edit.line and _overlap((start, end), (first, last))
            for line, first, last in ranges
        ):
            return OVERLAPS
        located = _locate(pieces, start, end, edit.new)
        if isinstance(located, str):
            return located
        changes.extend(located)
        ranges.append((edit.line, start, end))
    return changes


def _agrees(walked: str, read: str) -> bool:
    """The reader's line is the walked one, perhaps with a suppression comment at its end."""
    return read == walked or read.startswith(walked + " <!-- ")


def _overlap(one: tuple[int, int], other: tuple[int, int]) -> bool:
    """Two character ranges touch the same characters, or insert at the same place."""
    if one[0] == one[1] or other[0] == other[1]:
        return one == other or (other[0] < one[0] < other[1]) or (one[0] < other[0] < one[1])
    return one[0] < other[1] and other[0] < one[1]


def _locate(pieces: list[_Piece], start: int, end: int, new: str) -> list[_Change] | str:
    """The changes to w:t elements replacing characters ``start``–``end`` of the line."""
    touched: list[tuple[_Piece, int, int]] = []  # piece, first and last character in it
    position = 0
    for piece in pieces:
        first, last = max(start, position), min(end, position + len(piece.text))
        if first < last:
            if piece.t is None:
                return GENERATED_TEXT
            touched.append((piece, first - position, last - position))
        position += len(piece.text)
    if start == end:
        at = _insertion_point(pieces, start)
        if at is None:
            return GENERATED_TEXT
        touched = [at]
    runs = [piece.t.getparent() for piece, _, _ in touched]
    parents = [run.getparent() for run in runs]  # kept: lxml gives one proxy per live element
    if len({_formatting(run) for run in runs}) > 1 or any(p is not parents[0] for p in parents):
        return CROSSES_FORMATTING
    return [
        _Change(piece.t, piece.offset + first, piece.offset + last, new if index == 0 else "")
        for index, (piece, first, last) in enumerate(touched)
    ]


def _insertion_point(pieces: list[_Piece], at: int) -> tuple[_Piece, int, int] | None:
    """Where an insertion at character ``at`` goes: at the end of the run before it (Word types
    in the formatting of the character before the cursor), else at the start of the one after."""
    position = 0
    before = after = None
    for piece in pieces:
        end = position + len(piece.text)
        if piece.t is not None and piece.text:
            if position < at <= end:
                before = (piece, at - position, at - position)
            if position <= at < end and after is None:
                after = (piece, at - position, at - position)
        position = end
    return before or after


def _formatting(run: Any) -> bytes:
    """A run's formatting as its w:rPr serialised (empty for a run without one)."""
    properties = run.find(_W + "rPr")
    return etree.tostring(properties, with_tail=False) if properties is not None else b""


# --- writing ----------------------------------------------------------------------------------


def _apply(changes: list[_Change]) -> None:
    """Each w:t's changes from its end to its start, so the offsets stay those read."""
    by_element: dict[int, list[_Change]] = {}
    for change in changes:
        by_element.setdefault(id(change.t), []).append(change)
    for group in by_element.values():
        t = group[0].t
        text = t.text or ""
        for change in sorted(group, key=lambda c: (c.start, c.end), reverse=True):
            text = text[: change.start] + change.new + text[change.end :]
        t.text = text
        if text != text.strip() or "  " in text:
            t.set(_XML_SPACE, "preserve")  # else Word drops the spaces at the ends


def _serialise(original: bytes, root: Any) -> bytes:
    """The edited part: in UTF-8 (as Word writes it) with its prolog (BOM, XML declaration) as
    the file had it; in another encoding, as lxml writes that encoding with its declaration."""
    info = root.getroottree().docinfo
    if (info.encoding or "UTF-8").upper().replace("-", "") != "UTF8":
        return bytes(
            etree.tostring(
                root.getroottree(),
                xml_declaration=True,
                encoding=info.encoding,
                standalone=info.standalone,
            )
        )
    prolog = _PROLOG.match(original)
    head = original[: prolog.end()] if prolog else b""
    return head + bytes(etree.tostring(root, encoding="UTF-8"))


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """The package with member ``name`` holding ``content``; every other member as it was, in
    the same order, with the same compression, dates and attributes."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(output, "w") as written:
        written.comment = archive.comment
        for info in archive.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = info.compress_type
            copy.comment = info.comment
            copy.create_system = info.create_system
            copy.external_attr = info.external_attr
            copy.internal_attr = info.internal_attr
            member = content if info.filename == name else archive.read(info)
            written.writestr(copy, member)
    return output.getvalue()
