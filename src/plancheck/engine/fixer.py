"""``plancheck check --fix``: apply the fixes findings carry to the file's own bytes, check again
and repeat until no applicable fix is left; a fix that would add a finding is not applied."""

from __future__ import annotations

import codecs
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from plancheck.api.errors import InputError
from plancheck.api.fixes import Edit, Fix
from plancheck.api.messages import message
from plancheck.api.results import FileResult
from plancheck.api.rule import Finding
from plancheck.engine.config import Settings
from plancheck.engine.linter import Linter
from plancheck.reading.file_types import claims
from plancheck.reading.source import Source, decode, read_file

#: re-checks after applying fixes, at most (ruff stops at 100; a plan needs two or three)
MAX_ROUNDS = 10

# Why a fix was not applied: message keys of rules/messages/tool.yaml (word_fixer has its own).
STALE = "fix_stale"
ADDS_FINDING = "fix_new_finding"
UNENCODABLE = "fix_unencodable"
BREAKS_FILE = "fix_breaks_file"
ROUND_LIMIT = "fix_round_limit"
UNSUPPORTED = "fix_unsupported"
PDF_REFUSED = "fix_pdf_refused"

# Line breaks as reading.source splits a text into its lines: CRLF, CR or LF.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PDF_MAGIC = (b"%PDF-",)
_WORD_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def applies(fix: Fix | None, unsafe: bool) -> bool:
    """Whether ``--fix`` applies ``fix``: a safe one always, an unsafe one with --unsafe-fixes."""
    return fix is not None and (fix.is_safe or unsafe)


@dataclass
class FixOutcome:
    """What fixing one file gave: the corrected bytes (None when nothing changed), how many fixes
    were applied, those not applied with the message key that says why, and the results before
    and after; ``lines_before``/``lines_after`` are the file's lines as plancheck reads them."""

    data: bytes | None
    applied: int
    skipped: list[tuple[Finding, str]]
    before: FileResult
    after: FileResult
    lines_before: tuple[str, ...] = ()
    lines_after: tuple[str, ...] = ()

    def diff(self, path: str) -> str:
        """The unified diff of the corrections ('' when nothing changed)."""
        if self.data is None:
            return ""
        return unified_diff(path, _joined(self.lines_before), _joined(self.lines_after))


def _joined(lines: Sequence[str]) -> str:
    return "".join(line + "\n" for line in lines)


def unified_diff(path: str, old_text: str, new_text: str) -> str:
    """A unified diff of two texts (any line endings) with ``path`` on both header lines."""
    old = [line + "\n" for line in _split_lines(old_text)]
    new = [line + "\n" for line in _split_lines(new_text)]
    return "".join(difflib.unified_diff(old, new, fromfile=path, tofile=path))


def _split_lines(text: str) -> list[str]:
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def file_kind(path: str, data: bytes) -> str:
    """ "pdf", "word" or "text", as the readers decide (by suffix, else by magic bytes)."""
    if claims(path, data, "pdf", _PDF_MAGIC):
        return "pdf"
    if claims(path, data, "word", _WORD_MAGIC):
        return "word"
    return "text"


#: applies a round's fixes to a file's bytes: the new bytes and the fixes it could not apply
Applier = Callable[[bytes, list[Finding]], tuple[bytes, list[tuple[Finding, str]]]]


def fix_source(
    data: bytes,
    path: str,
    linter: Linter,
    *,
    unsafe: bool,
    settings: Settings | None = None,
    source: Source | None = None,
) -> FixOutcome:
    """Check ``data`` (the file ``path``), apply the fixes ``--fix`` would (safe ones; unsafe ones
    too with ``unsafe``) and repeat on the corrected file until none is left or
    :data:`MAX_ROUNDS` rounds; a .docx goes to :func:`plancheck.engine.word_fixer.fix_docx`, a PDF
    is never written (its fixes are skipped with ``fix_pdf_refused``). ``source``: ``data`` as
    the caller already read it (the web page reads it first to refuse what /api/check refuses)."""
    settings = settings or linter.settings_for(None if path == "-" else Path(path))
    if source is None:
        try:
            source = linter.read(data, path, settings)
        except InputError as error:
            detail = message(error.message_key, settings.lang, path=path, detail=error.detail)
            return _unread(path, detail)
    before = linter.check_source(source, settings)
    kind = file_kind(path, data)
    applier: Applier | None = None
    refusal = UNSUPPORTED
    if kind == "pdf":
        refusal = PDF_REFUSED
    elif kind == "word":
        applier = _fix_word
    elif not source.places and _text_lines(data, path) == source.lines:
        applier = _TextFixer(path)
    if applier is None:
        wanted = [f for f in before.findings if applies(f.fix, unsafe)]
        return FixOutcome(
            None, 0, [(f, refusal) for f in wanted], before, before, source.lines, source.lines
        )
    return _Rounds(linter, settings, path, unsafe, applier).run(data, source, before)


def _fix_word(data: bytes, fixes: list[Finding]) -> tuple[bytes, list[tuple[Finding, str]]]:
    from plancheck.engine.word_fixer import fix_docx  # python-docx loads for a .docx only

    return fix_docx(data, fixes)


def _text_lines(data: bytes, path: str) -> tuple[str, ...] | None:
    try:
        text, _ = decode(data, path)
    except InputError:
        return None
    return tuple(_split_lines(text)) if text else ("",)


@dataclass
class _State:
    """The file as it stands between rounds, and how many fixes made it so."""

    data: bytes
    source: Source
    result: FileResult
    applied: int = 0


class _Rounds:
    """The fixed-point loop: each round applies every applicable fix whose edits overlap no
    earlier one's, checks the file again and keeps the round unless it added a finding."""

    def __init__(
        self, linter: Linter, settings: Settings, path: str, unsafe: bool, applier: Applier
    ) -> None:
        self.linter, self.settings, self.path = linter, settings, path
        self.unsafe, self.applier = unsafe, applier
        self.rejected: dict[Hashable, str] = {}

    def run(self, data: bytes, source: Source, before: FileResult) -> FixOutcome:
        state = _State(data, source, before)
        ended = False
        for _ in range(MAX_ROUNDS):
            todo = [f for f in state.result.findings if self._wanted(f)]
            if not todo:
                ended = True
                break
            state = self._round(state, todo)
        skipped = [
            (f, self.rejected.get(_key(f), ROUND_LIMIT if not ended else STALE))
            for f in state.result.findings
            if applies(f.fix, self.unsafe)
        ]
        changed = state.data != data
        return FixOutcome(
            state.data if changed else None,
            state.applied if changed else 0,
            skipped,
            before,
            state.result,
            source.lines,
            state.source.lines,
        )

    def _wanted(self, finding: Finding) -> bool:
        return applies(finding.fix, self.unsafe) and _key(finding) not in self.rejected

    def _round(self, state: _State, todo: list[Finding]) -> _State:
        chosen: list[Finding] = []
        taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
        for finding in sorted(todo, key=_start):
            assert finding.fix is not None
            if not _current(finding.fix, state.source.lines):
                self.rejected[_key(finding)] = STALE
                continue
            spans = [((e.line, e.column), (e.end_line, e.end_column)) for e in finding.fix.edits]
            if any(_overlap(span, other) for span in spans for other in taken):
                continue  # the next round, on the corrected file, decides about this one
            chosen.append(finding)
            taken.extend(spans)
        if not chosen:
            return state
        tried = self._attempt(state, chosen)
        if isinstance(tried, _State):
            return tried
        if len(chosen) == 1:
            self.rejected[_key(chosen[0])] = tried
            return state
        # the round as a whole added a finding: find the fixes that do so alone
        fine = []
        for finding in chosen:
            alone = self._attempt(state, [finding])
            if isinstance(alone, _State):
                fine.append((finding, alone))
            else:
                self.rejected[_key(finding)] = alone
        if not fine:
            return state
        together = self._attempt(state, [finding for finding, _ in fine])
        if isinstance(together, _State):
            return together
        return fine[0][1]  # they interact: one now, the others in the next rounds

    def _attempt(self, state: _State, fixes: list[Finding]) -> _State | str:
        """The state after applying ``fixes``, or why they cannot be kept."""
        data, refused = self.applier(state.data, fixes)
        for finding, reason in refused:
            self.rejected[_key(finding)] = reason
        refused_keys = {_key(finding) for finding, _ in refused}
        done = [finding for finding in fixes if _key(finding) not in refused_keys]
        if not done or data == state.data:
            return STALE if not refused else refused[0][1]
        try:
            source = self.linter.read(data, self.path, self.settings)
        except InputError:
            return BREAKS_FILE
        result = self.linter.check_source(source, self.settings)
        if result.error is not None:
            return BREAKS_FILE
        edits = [edit for finding in done for edit in _edits(finding)]
        if added(state.result.findings, result.findings, done, edits):
            return ADDS_FINDING
        return _State(data, source, result, state.applied + len(done))


def _key(finding: Finding) -> Hashable:
    return (finding.code, finding.fix)


def _edits(finding: Finding) -> tuple[Edit, ...]:
    return finding.fix.edits if finding.fix is not None else ()


def _start(finding: Finding) -> tuple[int, int, int, int]:
    edits = _edits(finding)
    if not edits:
        return (0, 0, finding.line, finding.column)
    first = min(edits, key=lambda e: (e.line, e.column))
    return (first.line, first.column, finding.line, finding.column)


def _overlap(
    one: tuple[tuple[int, int], tuple[int, int]], other: tuple[tuple[int, int], tuple[int, int]]
) -> bool:
    """Whether two spans share a character, or are the same insertion point (two insertions at
    one place would come out in either order)."""
    (start, end), (other_start, other_end) = one, other
    if start == end and other_start == other_end:
        return start == other_start
    return start < other_end and other_start < end


def _current(fix: Fix, lines: Sequence[str]) -> bool:
    """Whether every edit's span exists in ``lines`` and holds the edit's ``old`` text."""
    return bool(fix.edits) and all(_span_text(edit, lines) == edit.old for edit in fix.edits)


def _span_text(edit: Edit, lines: Sequence[str]) -> str | None:
    """The text from (line, column) to (end_line, end_column), lines joined by \\n; None for a
    span that is not in ``lines``."""
    if not 1 <= edit.line <= edit.end_line <= len(lines):
        return None
    if (edit.line, edit.column) > (edit.end_line, edit.end_column):
        return None
    first, last = lines[edit.line - 1], lines[edit.end_line - 1]
    if not (1 <= edit.column <= len(first) + 1 and 1 <= edit.end_column <= len(last) + 1):
        return None
    if edit.line == edit.end_line:
        return first[edit.column - 1 : edit.end_column - 1]
    middle = lines[edit.line : edit.end_line - 1]
    return "\n".join([first[edit.column - 1 :], *middle, last[: edit.end_column - 1]])


def added(
    before: Iterable[Finding],
    after: Iterable[Finding],
    fixed: Iterable[Finding],
    edits: Iterable[Edit] = (),
) -> list[Finding]:
    """The findings of ``after`` that ``before`` does not have, once the ``fixed`` findings (whose
    fixes were applied) are gone: matched by code and fingerprint, then by code and message, then
    by code and line (``edits`` tell how lines moved); a fix changes the text around the findings
    near it, and so their fingerprints."""
    fixed_ids = {id(finding) for finding in fixed}
    pool = [finding for finding in before if id(finding) not in fixed_ids]
    moved = _line_map(list(edits))
    left = list(after)
    matchers: list[tuple[Callable[[Finding], Hashable], Callable[[Finding], Hashable]]] = [
        (lambda f: (f.code, f.fingerprint), lambda f: (f.code, f.fingerprint)),
        (lambda f: (f.code, f.message), lambda f: (f.code, f.message)),
        (lambda f: (f.code, moved(f.line)), lambda f: (f.code, f.line)),
    ]
    for old_key, new_key in matchers:
        available: dict[Hashable, list[int]] = defaultdict(list)
        for index, finding in enumerate(pool):
            available[old_key(finding)].append(index)
        used: set[int] = set()
        unmatched = []
        for finding in left:
            slots = available.get(new_key(finding))
            if slots:
                used.add(slots.pop())
            else:
                unmatched.append(finding)
        pool = [finding for index, finding in enumerate(pool) if index not in used]
        left = unmatched
    return left


def _line_map(edits: list[Edit]) -> Callable[[int], int]:
    """Where a line of the file before the edits is after them (edits adding or removing line
    breaks move the lines below; a line inside a replaced span goes to the span's start)."""
    moves = sorted((e.line, e.end_line, e.new.count("\n") - (e.end_line - e.line)) for e in edits)

    def moved(line: int) -> int:
        shift = 0
        for start, end, delta in moves:
            if end < line:
                shift += delta
            elif start < line <= end:
                return start + shift
        return line + shift

    return moved


class _TextFixer:
    """Applies edits to a text file's bytes: only the bytes of the edited spans change, so the
    encoding, its BOM, every line's own line ending and all other bytes stay as they were."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __call__(
        self, data: bytes, fixes: list[Finding]
    ) -> tuple[bytes, list[tuple[Finding, str]]]:
        text, encoding = decode(data, self.path)
        codec, offset = _codec(encoding, data)
        starts, breaks = _line_starts(text)
        refused: list[tuple[Finding, str]] = []
        planned: list[tuple[int, int, str]] = []
        for finding in fixes:
            spans = []
            for edit in _edits(finding):
                begin = starts[edit.line - 1] + edit.column - 1
                end = starts[edit.end_line - 1] + edit.end_column - 1
                new = edit.new.replace("\n", breaks[edit.line - 1] or "\n")
                spans.append((begin, end, new))
            try:
                for _, _, new in spans:
                    new.encode(codec)
            except UnicodeEncodeError:
                refused.append((finding, UNENCODABLE))
                continue
            planned.extend(spans)
        if not planned:
            return data, refused
        pieces = [data[:offset]]
        char_at, byte_at = 0, offset
        for begin, end, new in sorted(planned):
            byte_begin = byte_at + len(text[char_at:begin].encode(codec))
            byte_end = byte_begin + len(text[begin:end].encode(codec))
            if data[byte_begin:byte_end].decode(codec, "replace") != text[begin:end]:
                # the text does not re-encode to the file's bytes (a character with two codes
                # in Shift_JIS): no byte of the file is touched rather than the wrong ones
                return data, [(finding, UNENCODABLE) for finding in fixes]
            pieces += [data[byte_at:byte_begin], new.encode(codec)]
            char_at, byte_at = end, byte_end
        pieces.append(data[byte_at:])
        return b"".join(pieces), refused


def _codec(encoding: str, data: bytes) -> tuple[str, int]:
    """The codec that encodes a piece of the text as it stands in the file, and the length of the
    byte order mark before the text."""
    if encoding == "utf-8-sig":
        return "utf-8", len(codecs.BOM_UTF8)
    if encoding == "utf-16":
        big = data.startswith(codecs.BOM_UTF16_BE)
        return ("utf-16-be" if big else "utf-16-le"), len(codecs.BOM_UTF16_LE)
    return encoding, 0


def _line_starts(text: str) -> tuple[list[int], list[str]]:
    """The offset in ``text`` where each line starts, and the line break that ends it ('' for the
    last line)."""
    starts, breaks = [0], []
    for found in _LINE_BREAK.finditer(text):
        breaks.append(found.group())
        starts.append(found.end())
    breaks.append("")
    return starts, breaks


def fix_path(path: Path, linter: Linter, *, unsafe: bool, display: str | None = None) -> FixOutcome:
    """:func:`fix_source` on a file, with its nearest configuration; a file that cannot be read
    gives an outcome whose results carry the error (as ``Linter.check_file``)."""
    shown = display or str(path)
    settings = linter.settings_for(path)
    if path.is_dir():  # a folder with no plan in it
        return _unread(shown, message("no_files", settings.lang, path=shown))
    try:
        data = read_file(path)
    except InputError as error:
        detail = message(error.message_key, settings.lang, path=shown, detail=error.detail)
        return _unread(shown, detail)
    except FileNotFoundError:
        return _unread(shown, message("not_found", settings.lang, path=shown))
    except OSError as error:
        detail = error.strerror or str(error)
        return _unread(shown, message("unreadable", settings.lang, path=shown, detail=detail))
    return fix_source(data, shown, linter, unsafe=unsafe, settings=settings)


def _unread(path: str, error: str) -> FixOutcome:
    result = FileResult(path, error=error)
    return FixOutcome(None, 0, [], result, result)
