"""The stage after the checks: suppression comments silence findings, settings set severities,
fingerprints and places are attached; for a batch, a baseline drops the findings it knows."""

from __future__ import annotations

import dataclasses
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence

from plancheck.api.results import FileResult, Place
from plancheck.api.rule import Finding
from plancheck.engine.baseline import BaselineKey, baseline_key, fingerprint
from plancheck.engine.config import Settings
from plancheck.parsing import directives
from plancheck.parsing.ast import Item, Plan, Section
from plancheck.reading.source import Source

#: how much of a paragraph or table cell a place quotes, and of a heading it names
QUOTE_CHARS = 20
HEADING_CHARS = 40


def file_result(
    source: Source, plan: Plan, profile: str | None, findings: list[Finding], settings: Settings
) -> FileResult:
    """One file's result: the findings its suppression comments leave, with the severity the
    settings give, a fingerprint (baselines) and the Word/PDF place of their line, sorted."""
    if plan.suppressions:
        findings, _ = directives.apply(findings, plan.suppressions)
    final = []
    # a fingerprint hashes the finding's line and its neighbours: once per (code, line), not
    # once per finding (a line of thousands of blanks has thousands of PC501 findings)
    prints: dict[tuple[str, int], str] = {}
    places = _Places(source, plan) if source.places else None
    for finding in findings:
        severity = settings.severity_of(finding.code, finding.severity)
        key = (finding.code, finding.line)
        print_ = prints.get(key)
        if print_ is None:
            print_ = prints[key] = fingerprint(finding.code, finding.line, source.lines)
        place = places.of(finding) if places is not None else None
        final.append(
            dataclasses.replace(finding, severity=severity, fingerprint=print_, place=place)
        )
    final.sort()
    shown = {f.line: source.lines[f.line - 1] for f in final if 0 < f.line <= len(source.lines)}
    return FileResult(source.path, profile, final, None, shown)


def drop_baselined(results: Sequence[FileResult], known: Counter[BaselineKey]) -> int:
    """Drop from ``results`` every finding the baseline knows (each entry matches once); returns
    how many were dropped."""
    remaining = Counter(known)
    dropped = 0
    for result in results:
        kept = []
        for finding in result.findings:
            key = baseline_key(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
                dropped += 1
            else:
                kept.append(finding)
        result.findings = kept
    return dropped


class _Places:
    """The place of each finding in a Word or PDF document: the reader's page, paragraph, table
    and row of its line, the heading it sits under and a quote a person can search for."""

    def __init__(self, source: Source, plan: Plan) -> None:
        self.source = source
        self.under = _headings_by_line(plan)
        self.starts = sorted(self.under.values())  # heading lines, for a line no node covers
        self.keys = [line for line, _ in self.starts]

    def of(self, finding: Finding) -> Place | None:
        line = finding.line
        if not 0 < line <= len(self.source.places):
            return None
        place = self.source.places[line - 1]
        heading_line, heading = self.under.get(line) or self._before(line)
        text = self.source.lines[line - 1] if line <= len(self.source.lines) else ""
        quote = None
        if place.table is not None:
            quote = _cell_at(text, finding.column)
        elif heading_line != line:  # on the heading's own line, the heading says it all
            quote = _cut(text, QUOTE_CHARS)
        return dataclasses.replace(place, heading=heading, quote=quote or None)

    def _before(self, line: int) -> tuple[int, str | None]:
        index = bisect_right(self.keys, line) - 1
        return self.starts[index] if index >= 0 else (0, None)


def _headings_by_line(plan: Plan) -> dict[int, tuple[int, str]]:
    """Original line → (line, text) of the deepest section or item whose lines include it; an
    item's heading names its section too (「5-2 ⑧ 事業実施期間」), as a reader looks it up."""
    under: dict[int, tuple[int, str]] = {}

    def cover(node: Section | Item, heading: str) -> None:
        entry = (node.span.line, _cut(heading, HEADING_CHARS))
        for _, span in node.lines():
            under[span.line] = entry

    for item in _own_items(plan.preamble):
        cover(item, f"{item.number} {item.title}")
    for section in plan.iter_sections():  # parents first: a subsection's lines are its own
        cover(section, f"{section.number} {section.title}")
        for item in _own_items(section.children):
            cover(item, f"{section.number} {item.number} {item.title}")
    return under


def _own_items(children: Sequence[object]) -> Iterator[Item]:
    """The items among ``children`` or under their labels, not those of a subsection."""
    for child in children:
        if isinstance(child, Item):
            yield child
        elif not isinstance(child, Section):
            yield from _own_items(getattr(child, "children", ()))


def _cell_at(row: str, column: int) -> str:
    """The text of the tab-separated cell at 1-based ``column`` (the row's first non-empty cell
    if that one is empty: a missing value is found by its row's name), cut for a quote."""
    cells = row.split("\t")
    start = 0
    at = len(cells) - 1
    for index, cell in enumerate(cells):
        if column - 1 <= start + len(cell):
            at = index
            break
        start += len(cell) + 1
    text = _cut(cells[at], QUOTE_CHARS)
    return text or next((_cut(cell, QUOTE_CHARS) for cell in cells if cell.strip()), "")


def _cut(text: str, limit: int) -> str:
    """``text`` on one line, stripped, at most ``limit`` characters, with 「…」 where cut."""
    head = text[: limit * 4]  # a hostile line can be megabytes: look at its start only
    shown = " ".join(
        "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in head).split()
    )
    if len(shown) > limit or len(head) < len(text) and shown:
        return shown[:limit].rstrip() + "…"
    return shown
