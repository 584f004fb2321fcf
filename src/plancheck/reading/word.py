"""Word (.docx) reader: body paragraphs and tables in document order, list numbers made visible.

One line per paragraph or table row, so a finding's line is the paragraph's 1-based index in the
body (a table row counts as one): Place(paragraph=n), or Place(paragraph=n, table=t, row=r).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from plancheck.api.errors import InputError
from plancheck.api.hookspecs import hookimpl
from plancheck.api.results import Place
from plancheck.api.vocabulary import circled
from plancheck.reading.file_types import claims
from plancheck.reading.limits import DocumentLimits, current_limits
from plancheck.reading.source import Source

_ZIP = b"PK\x03\x04"
# An OLE2 compound file: Word 97-2003 (.doc), or an encrypted .docx (Office wraps the
# encrypted package in OLE2, with streams named EncryptionInfo and EncryptedPackage).
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

# Subtrees whose text Word does not show in the body: deleted revisions, text boxes (ignored as
# the issue asks), ruby (furigana) text, the fallback copy of drawing markup, and the paragraph
# and run properties (their w:tab elements are tab stops, not tabs).
_HIDDEN = {
    _W + "del",
    _W + "moveFrom",
    _W + "txbxContent",
    _W + "rt",
    _W + "pPr",
    _W + "rPr",
    _MC + "Fallback",
}
# A tab or line break inside a paragraph lays the text out; only real tables give table rows.
_SPACING = {_W + "tab": " ", _W + "ptab": " ", _W + "br": " ", _W + "cr": " "}

_AIUEO = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
)
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセスン"
_KANJI_DIGITS = "〇一二三四五六七八九"
_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


@hookimpl
def plancheck_read(path: str, data: bytes) -> Source | None:
    """Read a Word file; refuse .doc and encrypted files with a message that says what to do."""
    if not claims(path, data, "word", (_ZIP, _OLE)):
        return None
    if data.startswith(_OLE):
        raise InputError("encrypted" if _ENCRYPTED_STREAM in data else "word_legacy", path)
    if not data.startswith(_ZIP):
        if path.lower().endswith(".doc"):  # Word also saves RTF and HTML under .doc
            raise InputError("word_legacy", path)
        raise InputError("word_corrupt", path, "not a ZIP package")
    if b"word/document.xml" not in data:  # member names are stored uncompressed in a ZIP
        if not path.lower().endswith((".docx", ".doc")):
            return None  # another kind of ZIP (a spreadsheet, an archive): not ours
        if _other_package(data):
            raise InputError("not_word", path)  # a spreadsheet or a slide deck renamed .docx
    return read_docx(data, path)


def _other_package(data: bytes) -> bool:
    """An intact ZIP with nothing of Word in it (an .xlsx, a .pptx, an archive), as opposed to
    a damaged Word file (truncated, or missing its body)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return bool(names) and not any(name.startswith("word/") for name in names)


def read_docx(data: bytes, path: str) -> Source:
    """The body of a .docx as lines with their places (raises InputError for a broken file, and
    InputError("too_large") for one that inflates past the limits of ``current_limits()``)."""
    _check_package(data, path, current_limits())
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = _Numbering(
            _part_xml(document.part, "numbering"), _part_xml(document.part, "styles")
        )
    except Exception as error:  # a damaged package fails in zipfile, lxml or python-docx alike
        raise InputError("word_corrupt", path, f"{type(error).__name__}: {error}") from error
    lines: list[str] = []
    places: list[Place] = []
    table_count = 0
    for block in _blocks(body):
        if block.tag == _W + "p":
            lines.append(_paragraph_text(block, numbering))
            places.append(Place(paragraph=len(lines)))
            continue
        table_count += 1
        for row_number, row in enumerate(_table_rows(block, numbering), start=1):
            lines.append(row)
            places.append(Place(paragraph=len(lines), table=table_count, row=row_number))
    lines = _with_suppressions(lines, body, _suppression_comments(document, path))
    if not lines:  # Word always keeps one paragraph; a body without one is an empty document
        lines, places = [""], [Place(paragraph=1)]
    return Source(path=path, encoding="docx", lines=tuple(lines), places=tuple(places))


# --- suppression comments as Word comments ---------------------------------------------------
# A Word comment whose text is 「plancheck: disable=PC501」 applies to the paragraph (or table row)
# it is anchored in: where its range starts, else where its reference mark sits. The line gets it
# at its end as ``<!-- plancheck: disable=PC501 -->``, which parsing/directives.py reads as a
# comment silencing its own line (and normalisation hides from the rules).

_SUPPRESSION_COMMENT = re.compile(r"\s*(plancheck:\s*(?:disable-file|disable)\s*=[^<>]*?)\s*")
_COMMENT_MARKS = (_W + "commentRangeStart", _W + "commentReference")


def _suppression_comments(document: Any, path: str) -> dict[str, str]:
    """The suppression directive of each Word comment that is one, by comment id."""
    try:
        comments = _part_xml(document.part, "comments")
    except Exception as error:  # a damaged comments part fails in lxml or python-docx alike
        raise InputError("word_corrupt", path, f"comments: {type(error).__name__}") from error
    if comments is None:
        return {}
    found = {}
    for comment in comments.iter(_W + "comment"):
        text = "".join(part.text or "" for part in comment.iter(_W + "t"))
        directive = _SUPPRESSION_COMMENT.fullmatch(text)
        if directive:
            found[comment.get(_W + "id", "")] = directive[1]
    return found


def _with_suppressions(lines: list[str], body: Any, comments: dict[str, str]) -> list[str]:
    """``lines`` with each suppression comment at the end of the line it is anchored in."""
    if not comments:
        return lines
    anchored: dict[str, int] = {}  # comment id → line index of its first mark (the range start)
    for index, element in enumerate(_line_elements(body)):
        for mark in element.iter(*_COMMENT_MARKS):
            comment_id = mark.get(_W + "id", "")
            if comment_id in comments:
                anchored.setdefault(comment_id, index)
    marked = list(lines)
    for comment_id, index in sorted(anchored.items(), key=lambda item: item[1]):
        if index < len(marked):
            marked[index] += f" <!-- {comments[comment_id]} -->"
    return marked


def _line_elements(body: Any) -> Iterator[Any]:
    """The element each line of :func:`read_docx` comes from: a paragraph or a table row."""
    for block in _blocks(body):
        if block.tag == _W + "p":
            yield block
        else:
            yield from _children(block, _W + "tr")


# --- bounded inflation: a .docx is refused before python-docx inflates it past the limits ---

_END_RECORD = b"PK\x05\x06"  # the end of central directory record, the archive's last bytes
_END_RECORD64 = b"PK\x06\x06"  # its ZIP64 form (more members or larger offsets)
_END_LOCATOR64 = b"PK\x06\x07"  # the locator just before the end record, for ZIP64
_LOCAL_HEADER = b"PK\x03\x04"
_CENTRAL_ENTRY = 128  # bytes a central directory entry takes, its name included, at most
_RATIO_FLOOR = 1 << 20  # a member that inflates to no more than 1 MiB is never a bomb
_CHUNK = 64 << 10  # compressed bytes fed to the inflater at a time
_CONTENT_TYPES = "[Content_Types].xml"


class _Exceeded(Exception):
    """A member or the archive goes past the limit ``name`` (a DocumentLimits field)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _check_package(data: bytes, path: str, limits: DocumentLimits) -> None:
    """Refuse a .docx that inflates past ``limits`` (InputError "too_large"): first by what the
    archive declares (member count, sizes, ratio), then by inflating every member with a counter
    and nothing kept, as declared sizes can lie. A damaged archive passes untouched: python-docx
    then reports the damage as before."""
    try:
        _check_declared(data, limits)
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except Exception:  # not swallowed: python-docx opens it next and reports it as damaged
            return
        with archive:
            members = archive.infolist()
            if len(members) > limits.max_docx_members:
                raise _Exceeded("max_docx_members")
            for info in members:
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    # bzip2 or LZMA, which zipfile would inflate without a bound; Word never
                    # writes them (it deflates or stores every part)
                    method = info.compress_type
                    raise InputError("word_corrupt", path, f"{info.filename}: compression {method}")
                if info.file_size > limits.max_docx_member_bytes:
                    raise _Exceeded("max_docx_member_bytes")
                if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_docx_ratio * max(
                    info.compress_size, 1
                ):
                    raise _Exceeded("max_docx_ratio")
            xml = _xml_parts(archive, limits)
            if sum(info.file_size for info in members) > limits.max_docx_bytes:
                raise _Exceeded("max_docx_bytes")
            if sum(info.file_size for info in members if info.filename in xml) > (
                limits.max_docx_xml_bytes
            ):
                raise _Exceeded("max_docx_xml_bytes")
            total = xml_total = 0
            for info in members:
                caps = [
                    (limits.max_docx_member_bytes, "max_docx_member_bytes"),
                    (limits.max_docx_bytes - total, "max_docx_bytes"),
                ]
                if info.filename in xml:
                    caps.append((limits.max_docx_xml_bytes - xml_total, "max_docx_xml_bytes"))
                size = _inflated_size(data, info, *min(caps), limits.max_docx_ratio)
                total += size
                xml_total += size if info.filename in xml else 0
    except _Exceeded as exceeded:
        raise InputError("too_large", path, limits.describe(exceeded.name)) from None


def _check_declared(data: bytes, limits: DocumentLimits) -> None:
    """Refuse an archive whose end record declares more members (or a larger central directory)
    than ``max_docx_members`` allows, before zipfile parses the directory entry by entry.
    Every end record in the archive's tail counts, as zipfile may take any of them."""
    tail = max(0, len(data) - (22 + 0xFFFF))  # the record and at most a 64 KiB comment
    at = data.rfind(_END_RECORD, tail)
    while at >= 0:
        record = data[at : at + 22]
        if len(record) == 22:
            count, size = struct.unpack_from("<HI", record, 10)
            declared = [(count, size)]
            locator = data[at - 20 : at] if at >= 20 else b""
            if locator[:4] == _END_LOCATOR64:
                # ZIP64: the record where the locator says, or right before the locator
                (offset,) = struct.unpack_from("<Q", locator, 8)
                for start in (offset, at - 20 - 56):
                    record64 = data[start : start + 56] if start >= 0 else b""
                    if record64[:4] == _END_RECORD64 and len(record64) == 56:
                        declared.append(struct.unpack_from("<QQ", record64, 32))
            most = limits.max_docx_members
            if any(count > most or size > most * _CENTRAL_ENTRY for count, size in declared):
                raise _Exceeded("max_docx_members")
        at = data.rfind(_END_RECORD, tail, at)


def _xml_parts(archive: zipfile.ZipFile, limits: DocumentLimits) -> set[str]:
    """Members python-docx may parse as XML: names ending in .xml or .rels, and any member whose
    content type ([Content_Types].xml, looked up as python-docx does) is XML."""
    names = {info.filename for info in archive.infolist()}
    xml = {name for name in names if name.lower().endswith((".xml", ".rels"))}
    try:
        cap = min(limits.max_docx_member_bytes, limits.max_docx_xml_bytes)
        with archive.open(_CONTENT_TYPES) as member:
            blob = member.read(cap + 1)  # inflates at most cap + 1 bytes
        if len(blob) > cap:
            raise _Exceeded(
                "max_docx_member_bytes"
                if cap == limits.max_docx_member_bytes
                else "max_docx_xml_bytes"
            )
        from lxml import etree

        root = etree.fromstring(blob, etree.XMLParser(resolve_entities=False))
    except (_Exceeded, InputError):
        raise
    except Exception:  # no or damaged content types: python-docx reports it
        return xml
    defaults, overrides = {}, {}
    for element in root:
        tag = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
        kind = element.get("ContentType") or ""
        if tag == "Default":
            defaults[(element.get("Extension") or "").lower()] = kind
        elif tag == "Override":
            overrides[(element.get("PartName") or "").lower()] = kind
    for name in names:
        lower = "/" + name.lower()
        extension = lower.rpartition("/")[2].rpartition(".")
        kind = overrides.get(lower) or defaults.get(extension[2] if extension[1] else "", "")
        if kind.endswith("+xml") or kind in ("application/xml", "text/xml"):
            xml.add(name)
    return xml


def _inflated_size(data: bytes, info: zipfile.ZipInfo, cap: int, limit: str, ratio: int) -> int:
    """How many bytes ``info`` inflates to, read as zipfile reads it (from its local header, for
    its declared compressed size) whatever size it declares; _Exceeded(``limit``) past ``cap``
    bytes, _Exceeded("max_docx_ratio") past ``ratio`` times the compressed bytes read so far.
    Nothing inflated is kept; a member zipfile could not read counts what inflated before."""
    header = data[info.header_offset : info.header_offset + 30]
    if len(header) < 30 or header[:4] != _LOCAL_HEADER or info.flag_bits & 0x1:
        return 0  # zipfile refuses to read it (damaged or encrypted)
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    start = info.header_offset + 30 + name_length + extra_length
    raw = memoryview(data)[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        size = min(len(raw), info.file_size)
        if size > cap:
            raise _Exceeded(limit)
        return size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = position = 0
    pending: bytes | memoryview = b""
    try:
        while not inflater.eof:
            if not pending:
                if position >= len(raw):
                    break
                pending = raw[position : position + _CHUNK]
                position += len(pending)
            size += len(inflater.decompress(pending, 16 * _CHUNK))  # 1 MiB at most a time
            pending = inflater.unconsumed_tail
            if size > cap:
                raise _Exceeded(limit)
            if size > _RATIO_FLOOR and size > ratio * (position - len(pending)):
                raise _Exceeded("max_docx_ratio")
    except zlib.error:
        pass  # damaged data: python-docx meets it if it reads this member
    return size


def _part_xml(part: Any, name: str) -> Any:
    """The XML root of the document's related part ``name`` (numbering, styles), or None."""
    for relationship in part.rels.values():
        if relationship.reltype == _REL + name and not relationship.is_external:
            target = relationship.target_part
            element = getattr(target, "element", None)
            if element is None:
                from docx.oxml.parser import parse_xml

                element = parse_xml(target.blob)
            return element
    return None


def _blocks(container: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body or cell in order, through content controls."""
    for child in container.iterchildren():
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _blocks(content)
        elif child.tag == _W + "customXml":
            yield from _blocks(child)


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Children with ``tag``, also inside content controls (rows and cells can be wrapped)."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in (_W + "sdt", _W + "customXml"):
            inner = child.find(_W + "sdtContent") if child.tag == _W + "sdt" else child
            if inner is not None:
                yield from _children(inner, tag)


def _paragraph_text(paragraph: Any, numbering: _Numbering) -> str:
    parts: list[str] = []
    _collect_text(paragraph, parts)
    text = "".join(parts)
    label = numbering.label(paragraph)
    return f"{label}{text}" if label else text


def _collect_text(element: Any, parts: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag in _HIDDEN:
            continue
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag in _SPACING:
            parts.append(_SPACING[tag])
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        elif tag == _W + "r" and _is_hidden_run(child):
            continue
        else:
            _collect_text(child, parts)


def _is_hidden_run(run: Any) -> bool:
    vanish = run.find(f"{_W}rPr/{_W}vanish")
    return vanish is not None and vanish.get(_W + "val", "true") not in ("0", "false", "off")


def _table_rows(table: Any, numbering: _Numbering) -> Iterator[str]:
    """Each row's cells joined by a tab: a cell spanning grid columns counts once, the cells
    under a vertical merge are empty (the text stays in the first row of the merge)."""
    for row in _children(table, _W + "tr"):
        cells = []
        for cell in _children(row, _W + "tc"):
            properties = cell.find(_W + "tcPr")
            if properties is not None:
                legacy = properties.find(_W + "hMerge")
                if legacy is not None and legacy.get(_W + "val", "continue") == "continue":
                    continue  # pre-2007 horizontal merge: the first cell holds the text
                merged = properties.find(_W + "vMerge")
                if merged is not None and merged.get(_W + "val", "continue") == "continue":
                    cells.append("")
                    continue
            cells.append(_cell_text(cell, numbering))
        yield "\t".join(cells)


def _cell_text(cell: Any, numbering: _Numbering) -> str:
    """A cell's paragraphs (and nested tables) on one line, separated by spaces."""
    texts = []
    for block in _blocks(cell):
        if block.tag == _W + "p":
            texts.append(_paragraph_text(block, numbering).strip())
        else:
            texts.extend(row.replace("\t", " ") for row in _table_rows(block, numbering))
    return " ".join(text for text in texts if text)


@dataclass
class _Level:
    """One level of a Word list definition (w:lvl)."""

    start: int = 1
    format: str = "decimal"
    text: str = ""
    suffix: str = "tab"
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 never
    legal: bool = False  # w:isLgl: show every level's number as a decimal
    style: str | None = None  # w:pStyle: the paragraph style that takes this level


@dataclass
class _List:
    """A list instance (w:num): its levels and, for a restarted list, its own counters."""

    abstract: str
    levels: dict[int, _Level]
    restarted: bool = False
    counters: dict[int, int] = field(default_factory=dict)


class _Numbering:
    """Word's automatic numbering, replayed paragraph by paragraph to get the visible labels.

    Lists (w:num) that share a definition (w:abstractNum) count together, as in Word; a list
    with a start override (Word's "restart numbering" or "set numbering value") counts alone.
    """

    def __init__(self, numbering: Any, styles: Any) -> None:
        self.lists: dict[str, _List] = {}
        self.shared: dict[str, dict[int, int]] = {}
        self.styles = _style_numbering(styles)
        if numbering is None:
            return
        abstracts = {
            element.get(_W + "abstractNumId"): element
            for element in numbering.iterchildren(_W + "abstractNum")
        }
        for num in numbering.iterchildren(_W + "num"):
            abstract_id = _val(num.find(_W + "abstractNumId"))
            abstract = abstracts.get(abstract_id)
            if abstract is None:
                continue
            link = _val(abstract.find(_W + "numStyleLink"))
            if link is not None and link in self.styles:  # the definition lives in a style
                linked = _num_of_list(numbering, self.styles[link][0])
                if linked is not None and linked in abstracts:
                    abstract_id, abstract = linked, abstracts[linked]
            levels = _levels(abstract)
            restarted = False
            for override in num.iterchildren(_W + "lvlOverride"):
                level = _int(override.get(_W + "ilvl"), 0)
                replacement = override.find(_W + "lvl")
                if replacement is not None:
                    levels[level] = _level(replacement)
                start = _val(override.find(_W + "startOverride"))
                if start is not None:
                    levels.setdefault(level, _Level()).start = _int(start, 1)
                    restarted = True
            self.lists[num.get(_W + "numId")] = _List(str(abstract_id), levels, restarted)

    def label(self, paragraph: Any) -> str:
        """The number Word shows before this paragraph (with its separator), or ""."""
        reference = self._reference(paragraph)
        if reference is None:
            return ""
        numbering, level_number = reference
        levels = numbering.levels
        level = levels.get(level_number)
        if level is None:
            return ""
        counters = (
            numbering.counters
            if numbering.restarted
            else self.shared.setdefault(numbering.abstract, {})
        )
        counters[level_number] = counters.get(level_number, level.start - 1) + 1
        for deeper in [n for n in counters if n > level_number]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and level_number < restart):
                del counters[deeper]
        label = level.text
        for shown in range(9):
            placeholder = f"%{shown + 1}"
            if placeholder in label:
                other = levels.get(shown, _Level())
                value = counters.get(shown, other.start)
                style = "decimal" if level.legal else other.format
                label = label.replace(placeholder, _format_number(value, style))
        if level.format == "bullet":
            label = "・" if not label or "\ue000" <= label[0] <= "\uf8ff" else label
        if not label:
            return ""
        return label + ("" if level.suffix == "nothing" else " ")

    def _reference(self, paragraph: Any) -> tuple[_List, int] | None:
        properties = paragraph.find(_W + "pPr")
        style = _val(properties.find(_W + "pStyle")) if properties is not None else None
        direct = properties.find(_W + "numPr") if properties is not None else None
        num_id = _val(direct.find(_W + "numId")) if direct is not None else None
        level = _val(direct.find(_W + "ilvl")) if direct is not None else None
        if num_id is None and style in self.styles:
            num_id, style_level = self.styles[style]
            level = level if level is not None else style_level
        numbering = self.lists.get(num_id) if num_id not in (None, "0") else None
        if numbering is None:
            return None
        if level is None:  # a list bound to heading styles: each level names its style
            level = next((str(n) for n, lvl in numbering.levels.items() if lvl.style == style), "0")
        return numbering, _int(level, 0)


def _style_numbering(styles: Any) -> dict[str, tuple[str | None, str | None]]:
    """Paragraph styles that carry a list (directly or through w:basedOn): numId and ilvl."""
    if styles is None:
        return {}
    own: dict[str, tuple[str | None, str | None]] = {}
    based_on: dict[str, str] = {}
    for style in styles.iterchildren(_W + "style"):
        style_id = style.get(_W + "styleId")
        parent = _val(style.find(_W + "basedOn"))
        if parent is not None:
            based_on[style_id] = parent
        num = style.find(f"{_W}pPr/{_W}numPr")
        if num is not None:
            own[style_id] = (_val(num.find(_W + "numId")), _val(num.find(_W + "ilvl")))
    resolved = {}
    for style_id in {*own, *based_on}:
        seen: set[str] = set()
        current: str | None = style_id
        while current is not None and current not in own and current not in seen:
            seen.add(current)
            current = based_on.get(current)
        if current in own:
            resolved[style_id] = own[current]
    return resolved


def _num_of_list(numbering: Any, num_id: str | None) -> str | None:
    for num in numbering.iterchildren(_W + "num"):
        if num.get(_W + "numId") == num_id:
            return _val(num.find(_W + "abstractNumId"))
    return None


def _levels(abstract: Any) -> dict[int, _Level]:
    return {
        _int(element.get(_W + "ilvl"), 0): _level(element)
        for element in abstract.iterchildren(_W + "lvl")
    }


def _level(element: Any) -> _Level:
    restart = _val(element.find(_W + "lvlRestart"))
    legal = element.find(_W + "isLgl")
    return _Level(
        start=_int(_val(element.find(_W + "start")), 0),
        format=_val(element.find(_W + "numFmt")) or "decimal",
        text=_val(element.find(_W + "lvlText")) or "",
        suffix=_val(element.find(_W + "suff")) or "tab",
        restart=_int(restart, 0) if restart is not None else None,
        legal=legal is not None and _val(legal) not in ("0", "false", "off"),
        style=_val(element.find(_W + "pStyle")),
    )


def _val(element: Any) -> str | None:
    return element.get(_W + "val") if element is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _format_number(value: int, style: str) -> str:
    """A counter as Word shows it in ``style`` (w:numFmt); unknown styles fall back to 1, 2, 3."""
    if style == "decimalEnclosedCircle" or style == "decimalEnclosedCircleChinese":
        return circled(value) or str(value)
    if style == "decimalEnclosedParen":
        return f"({value})"
    if style == "decimalEnclosedFullstop":
        return f"{value}."
    if style == "decimalZero":
        return f"{value:02d}"
    if style in ("decimalFullWidth", "decimalFullWidth2"):
        return str(value).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if style in ("aiueo", "aiueoFullWidth"):
        return _AIUEO[(value - 1) % len(_AIUEO)] if value > 0 else str(value)
    if style in ("iroha", "irohaFullWidth"):
        return _IROHA[(value - 1) % len(_IROHA)] if value > 0 else str(value)
    if style in ("upperLetter", "lowerLetter") and value > 0:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if style == "upperLetter" else letter.lower()
    if style in ("upperRoman", "lowerRoman") and 0 < value < 4000:
        roman = ""
        for amount, numeral in _ROMAN:
            count, value = divmod(value, amount)
            roman += numeral * count
        return roman if style == "upperRoman" else roman.lower()
    if style in ("japaneseCounting", "ideographDigital") and 0 < value < 100:
        if style == "ideographDigital":
            return "".join(_KANJI_DIGITS[int(d)] for d in str(value))
        tens, ones = divmod(value, 10)
        return (
            ("" if tens < 2 else _KANJI_DIGITS[tens])
            + ("十" if tens else "")
            + (_KANJI_DIGITS[ones] if ones else "")
        )
    if style == "none":
        return ""
    return str(value)
