"""Fix edits in the file as the user gave it: rules read normalised text, so a replacement of some
normalised characters is carried back to the original characters they were read from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plancheck.api.fixes import Edit
from plancheck.parsing.normalize import Line, fold_widths

if TYPE_CHECKING:
    from plancheck.parsing.ast import Plan

_FULL_WIDTH_OFFSET = 0xFEE0  # 「１」 is 「1」 + this, for every printable ASCII character


def edit_on_line(plan: Plan, line: Line, start: int, end: int, new: str) -> Edit | None:
    """The edit replacing ``line.text[start:end]`` with ``new`` in the original line, or None.

    The original characters are those the normalised ones were read from; they must be one
    unbroken stretch that reads as exactly the replaced text once widths are folded and spaces
    dropped (a full-width 「３２」 read as 「32」, 「平成 32」 read as 「平成32」; not a stretch the
    normaliser cut an HTML tag or a comment out of, which the edit would delete). When the
    original wrote ASCII characters full-width, ``new`` is written full-width too, so the author's
    style stays. None when the plan has no original lines or the stretch cannot be told for sure:
    a fix never guesses.
    """
    if not 0 <= start < end <= len(line.text) or not 1 <= line.number <= len(plan.source_lines):
        return None
    original = plan.source_lines[line.number - 1]
    first, last = line.column(start) - 1, line.column(end - 1)
    if first >= last or last > len(original):
        return None
    old = original[first:last]
    wanted = line.text[start:end]
    if old != wanted and not _reads_as(old, wanted):
        return None
    if old == new:
        return None
    return Edit(line.number, first + 1, line.number, last + 1, old, _in_widths_of(old, new))


def _reads_as(old: str, wanted: str) -> bool:
    """Whether the original ``old`` differs from the normalised ``wanted`` only in widths and in
    spaces the normaliser dropped."""
    folded = fold_widths(old)
    return folded == wanted or folded.replace(" ", "") == wanted.replace(" ", "")


def _in_widths_of(old: str, new: str) -> str:
    """``new`` with its ASCII characters full-width when ``old`` wrote them so (「３２」 → 「２」)."""
    full = any(0xFF01 <= ord(c) <= 0xFF5E for c in old)
    half = any("!" <= c <= "~" for c in old)
    if not full or half:
        return new
    return "".join(chr(ord(c) + _FULL_WIDTH_OFFSET) if "!" <= c <= "~" else c for c in new)


def edit_at(plan: Plan, number: int, column: int, wanted: str, new: str) -> Edit | None:
    """The edit replacing ``wanted`` (normalised text) that starts at original 1-based ``column``
    of line ``number`` with ``new``, or None when it does not start there."""
    for line in plan.lines_at(number):
        for index in range(len(line.text)):
            if line.column(index) == column and line.text.startswith(wanted, index):
                return edit_on_line(plan, line, index, index + len(wanted), new)
    return None
