"""Compare two versions of a plan by their structure (plan fields, sections, measure blocks, KPIs,
5-3 lists), not line by line: texts are compared without spacing and with widths folded."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from plancheck.api.messages import LANGUAGES
from plancheck.api.vocabulary import says_nothing
from plancheck.model.kpi_tables import KpiRow, KpiTable, kpi_index, read_kpi_tables
from plancheck.model.layout import BlockItem, Layout, MeasureBlock, layout
from plancheck.model.profiles import Profile, comparable, inline_content
from plancheck.parsing.ast import Enumeration, Item, Label, Paragraph, Plan, Section, Table

#: the plan's own fields, in the order a reviewer reads them (roles of the profile)
PLAN_FIELDS = ("name", "author", "area", "plan_period")
#: item roles reported as a value of their own (old → new), and the kind of their part
VALUE_ROLES = {"project_period": "period", "cost": "cost", "donation_estimate": "donation"}
_SPACE = re.compile(r"\s+")
# an entry of 5-3-1 / 5-3-2: 「(1) …」「（2）…」 (ア イ ウ under it belong to it)
_ENTRY_MARKER = re.compile(r"^[(（]\s*[0-9０-９]+\s*[)）]$")


def same_text(text: str) -> str:
    """A text as compared: full and half widths folded (NFKC), all spacing and line breaks gone."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def word_diff(old: str, new: str) -> list[list[str]]:
    """old → new as runs of kept ("="), removed ("-") and added ("+") text, character by character
    (Japanese has no spaces between words), adjacent runs of one kind merged."""
    runs: list[list[str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if runs and runs[-1][0] == op:
            runs[-1][1] += text
        else:
            runs.append([op, text])

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("=", old[i1:i2])
        else:
            add("-", old[i1:i2])
            add("+", new[j1:j2])
    return runs


@dataclass
class Part:
    """One changed part, flat, with where it stands in the new document (``order``)."""

    heading: str
    kind: str
    status: str
    old: str | None
    new: str | None
    order: tuple[float, float] = (0.0, 0.0)

    def as_dict(self) -> dict[str, Any]:
        words = word_diff(self.old or "", self.new or "") if self.status == "changed" else []
        return {
            "heading": self.heading,
            "kind": self.kind,
            "status": self.status,
            "old": self.old,
            "new": self.new,
            "words": words,
        }


@dataclass
class Comparison:
    """What changed from OLD to NEW; ``new_findings`` is filled by the engine (findings are not
    the model's business). :meth:`as_dict` is the shape every output renders."""

    old_path: str
    old_profile: str | None
    new_path: str
    new_profile: str | None
    plan: list[dict[str, Any]] = field(default_factory=list)
    sections: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    blocks: list[dict[str, Any]] = field(default_factory=list)
    kpis: list[dict[str, Any]] = field(default_factory=list)
    other_measures: dict[str, list[str]] = field(default_factory=dict)
    own_projects: dict[str, list[str]] = field(default_factory=dict)
    parts: list[Part] = field(default_factory=list)
    new_findings: list[Any] = field(default_factory=list)
    #: each side's profile by its human name and language ({"ja": "2021年度以降の様式", …})
    old_title: Mapping[str, str] = field(default_factory=dict)
    new_title: Mapping[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.parts)

    def as_dict(self) -> dict[str, Any]:
        parts = sorted(self.parts, key=lambda part: part.order)
        return {
            "old": {"path": self.old_path, "profile": self.old_profile, "title": self.old_title},
            "new": {"path": self.new_path, "profile": self.new_profile, "title": self.new_title},
            "changed": self.changed,
            "plan": self.plan,
            "sections": self.sections,
            "blocks": self.blocks,
            "kpis": self.kpis,
            "other_measures": self.other_measures,
            "own_projects": self.own_projects,
            "parts": [part.as_dict() for part in parts],
            "new_findings": [finding.as_dict() for finding in self.new_findings],
        }


@dataclass(frozen=True)
class _Version:
    """One side of the comparison: the plan, its layout (None without a profile), KPI tables."""

    plan: Plan
    layout: Layout | None
    tables: list[KpiTable]

    def body(self, node: Section | Item, subsections: bool = True) -> str:
        """What ``node`` says under its heading, without KPI tables (compared as KPIs) and,
        unless ``subsections``, without its subsections."""
        tables = {id(table.table) for table in self.tables}
        return _body(
            node,
            lambda child: (
                (isinstance(child, Table) and id(child) in tables)
                or (not subsections and isinstance(child, Section))
            ),
        )

    def role(self, role: str) -> Section | None:
        return self.layout.section(role) if self.layout is not None else None

    @property
    def blocks(self) -> tuple[MeasureBlock, ...]:
        return self.layout.blocks if self.layout is not None else ()


def _titles(profile: Profile | None) -> dict[str, str]:
    return {lang: profile.title_in(lang) for lang in LANGUAGES} if profile else {}


def compare(
    old: Plan,
    old_profile: Profile | None,
    new: Plan,
    new_profile: Profile | None,
) -> Comparison:
    """The structural differences from ``old`` to ``new``, each under its own profile."""
    before = _version(old, old_profile)
    after = _version(new, new_profile)
    result = Comparison(
        old.path,
        old_profile.name if old_profile else None,
        new.path,
        new_profile.name if new_profile else None,
        old_title=_titles(old_profile),
        new_title=_titles(new_profile),
    )
    _compare_plan(before, after, result)
    _compare_sections(before, after, result)
    _compare_blocks(before, after, result)
    _compare_kpis(before, after, result)
    for role, kind, target in (
        ("other_measures", "measure", result.other_measures),
        ("own_projects", "project", result.own_projects),
    ):
        _compare_entries(before.role(role), after.role(role), kind, target, result)
    return result


def _version(plan: Plan, profile: Profile | None) -> _Version:
    return _Version(plan, layout(plan, profile) if profile else None, read_kpi_tables(plan))


# --- texts of nodes ---------------------------------------------------------------------------


def _body(node: Section | Item, skip: Callable[[object], bool] = lambda node: False) -> str:
    """What a node says under its heading (the heading line's own content after its title is
    kept by the parser in the title: a title is compared separately), lines joined by line feeds;
    nodes for which ``skip`` is true are left out (subsections, KPI tables …)."""
    lines: list[str] = []

    def walk(children: Iterable[Any]) -> None:
        for child in children:
            if skip(child):
                continue
            if isinstance(child, (Label, Item, Section)):
                heading = _heading_line(child)
                if heading:
                    lines.append(heading)
                walk(child.children)
            else:
                lines.extend(text for text, _ in child.lines() if text)

    walk(node.children)
    return "\n".join(lines)


def _heading_line(node: Label | Item | Section) -> str:
    if isinstance(node, Label):
        return f"【{node.label}】{node.text}"
    if isinstance(node, Item):
        return f"{node.number} {node.title}".strip()
    return f"{node.number} {node.title}".strip()


def _line(node: Any) -> float:
    return float(node.span.line)


# --- the plan's fields and sections -----------------------------------------------------------


def _field_value(section: Section | None, version: _Version) -> str | None:
    """A field section's content: its body, or what its heading line carries after the title."""
    if section is None:
        return None
    body = version.body(section, subsections=False)
    if body:
        return body
    profile_layout = version.layout
    heading = profile_layout.profile.heading(section.number) if profile_layout else None
    if heading is not None:  # a misspelt title still ends where the official one would
        return inline_content(section.title, heading.names) or None
    return None


def _compare_plan(before: _Version, after: _Version, result: Comparison) -> None:
    for role in PLAN_FIELDS:
        old_section, new_section = before.role(role), after.role(role)
        old = _field_value(old_section, before)
        new = _field_value(new_section, after)
        if same_text(old or "") == same_text(new or ""):
            continue
        result.plan.append({"field": role, "old": old, "new": new})
        where = new_section or old_section
        heading = f"{where.number} {where.title}" if where is not None else role
        order = (_line(new_section), 0.0) if new_section else (0.0, 0.0)
        status = "changed" if old is not None and new is not None else "added" if new else "removed"
        result.parts.append(Part(heading, "plan", status, old, new, order))


def _covered(version: _Version) -> set[str]:
    """Section numbers whose content other comparisons report (fields, blocks, 5-3 lists)."""
    numbers: set[str] = set()
    for role in (*PLAN_FIELDS, "other_measures", "own_projects"):
        section = version.role(role)
        if section is not None:
            numbers.add(section.number)
    for block in version.blocks:
        numbers.add(block.number)
    return numbers


def _compare_sections(before: _Version, after: _Version, result: Comparison) -> None:
    old_sections = {s.number: s for s in before.plan.iter_sections()}
    new_sections = {s.number: s for s in after.plan.iter_sections()}
    in_blocks = {b.number for v in (before, after) for b in v.blocks if b.node is not _measures(v)}

    def block_member(number: str) -> bool:
        return any(number == b or number.startswith(b + "-") for b in in_blocks)

    added = [s for n, s in new_sections.items() if n not in old_sections and not block_member(n)]
    removed = [s for n, s in old_sections.items() if n not in new_sections and not block_member(n)]
    changed = []
    covered = _covered(before) | _covered(after)
    for number, section in new_sections.items():
        old_section = old_sections.get(number)
        if old_section is None or number in covered or block_member(number):
            continue
        old_text = before.body(old_section, subsections=False)
        new_text = after.body(section, subsections=False)
        if same_text(old_section.title) != same_text(section.title):  # retitled: say so too
            old_text = f"{old_section.title}\n{old_text}".rstrip("\n")
            new_text = f"{section.title}\n{new_text}".rstrip("\n")
        if same_text(old_text) != same_text(new_text):
            changed.append(section)
            heading = f"{number} {section.title}".strip()
            order = (_line(section), 0.0)
            result.parts.append(Part(heading, "section", "changed", old_text, new_text, order))
    result.sections = {
        "added": [{"number": s.number, "title": s.title} for s in added],
        "removed": [{"number": s.number, "title": s.title} for s in removed],
        "changed": [{"number": s.number, "title": s.title} for s in changed],
    }
    for section in added:
        heading = f"{section.number} {section.title}".strip()
        text = after.body(section)
        result.parts.append(Part(heading, "section", "added", None, text, (_line(section), 0.0)))
    for section in removed:
        heading = f"{section.number} {section.title}".strip()
        order = _where_removed(section, old_sections, new_sections)
        result.parts.append(Part(heading, "section", "removed", before.body(section), None, order))


def _measures(version: _Version) -> Section | None:
    return version.role("measures")


def _where_removed(
    section: Section, old_sections: dict[str, Section], new_sections: dict[str, Section]
) -> tuple[float, float]:
    """Where a removed section stood in the new document: just before the next old section that
    the new document still has (at the end when none)."""
    numbers = list(old_sections)
    for number in numbers[numbers.index(section.number) + 1 :]:
        if number in new_sections:
            return (_line(new_sections[number]) - 0.5, _line(section))
    return (float("inf"), _line(section))


# --- measure blocks ---------------------------------------------------------------------------


def _block_key(block: MeasureBlock, index: int) -> str:
    """Blocks are matched by their support code; a block without one by its kind, else place."""
    if block.codes:
        return block.codes[0][0]
    if block.kind is not None:
        return f"kind:{block.kind.name}"
    return f"at:{index}"


def _item_key(match: BlockItem | Item) -> str:
    if isinstance(match, BlockItem):
        return f"spec:{match.spec.title}"
    return f"title:{comparable(match.title)}"


@dataclass(frozen=True)
class _BlockItem:
    key: str
    role: str | None
    item: Item


def _items(block: MeasureBlock) -> list[_BlockItem]:
    """The block's items in document order, each with the key it is matched by."""
    found: dict[int, _BlockItem] = {}
    for match in block.matches:
        if match.item is not None:
            found[id(match.item)] = _BlockItem(_item_key(match), match.spec.role, match.item)
    result = []
    for item in block.node.items():
        result.append(found.get(id(item)) or _BlockItem(_item_key(item), None, item))
    return result


def _value(role: str | None, text: str) -> str:
    """The value a value item states: the 総事業費 line's amount, else the whole text."""
    if role == "cost":
        for line in text.split("\n"):
            if "総事業費" in line:
                return line.split("総事業費", 1)[1].strip() or text
    return text


def _compare_blocks(before: _Version, after: _Version, result: Comparison) -> None:
    old_blocks = {_block_key(b, i): b for i, b in enumerate(before.blocks)}
    new_blocks = {_block_key(b, i): b for i, b in enumerate(after.blocks)}
    keys = list(new_blocks) + [k for k in old_blocks if k not in new_blocks]
    for key in keys:
        old, new = old_blocks.get(key), new_blocks.get(key)
        entry = _compare_block(old, new, result, before, after)
        if entry is not None:
            result.blocks.append(entry)


def _block_title(block: MeasureBlock) -> str:
    return block.label_text or block.node.title


def _compare_block(
    old: MeasureBlock | None,
    new: MeasureBlock | None,
    result: Comparison,
    before: _Version,
    after: _Version,
) -> dict[str, Any] | None:
    shown = new or old
    assert shown is not None
    version = after if new is not None else before
    code = shown.codes[0][0] if shown.codes else None
    entry: dict[str, Any] = {
        "code": code,
        "number": shown.number,
        "title": _block_title(shown),
        "status": "changed",
        "items": [],
        "project_period": None,
        "cost": None,
        "donation_estimate": None,
    }
    heading = f"{shown.number} {_block_title(shown)}".strip()
    if old is None or new is None:
        entry["status"] = "added" if old is None else "removed"
        text = version.body(shown.node)
        order = (_line(shown.node), 0.0) if new is not None else (float("inf"), _line(shown.node))
        for it in _items(shown):
            body = version.body(it.item)
            pair = (None, body) if old is None else (body, None)
            if it.role in VALUE_ROLES:
                value = _value(it.role, body)
                entry[it.role] = (
                    {"old": None, "new": value} if old is None else {"old": value, "new": None}
                )
                continue
            entry["items"].append(_item_entry(it, entry["status"], *pair))
        status = entry["status"]
        old_text, new_text = (None, text) if old is None else (text, None)
        result.parts.append(Part(heading, "section", status, old_text, new_text, order))
        return entry
    old_items = {it.key: it for it in _items(old)}
    new_items = _items(new)
    new_keys = {it.key for it in new_items}
    changed = False
    position = _line(new.node)
    for it in new_items:
        position = _line(it.item)
        before_item = old_items.get(it.key)
        new_body = after.body(it.item)
        where = f"{new.number} {it.item.number} {it.item.title}".strip()
        if before_item is None:
            entry["items"].append(_item_entry(it, "added", None, new_body))
            result.parts.append(Part(where, "item", "added", None, new_body, (position, 0.0)))
            changed = True
            continue
        old_body = before.body(before_item.item)
        if same_text(old_body) == same_text(new_body) and same_text(
            before_item.item.title
        ) == same_text(it.item.title):
            continue
        changed = True
        if it.role in VALUE_ROLES:
            old_value, new_value = _value(it.role, old_body), _value(it.role, new_body)
            if same_text(old_value) != same_text(new_value):
                entry[it.role] = {"old": old_value, "new": new_value}
                kind = VALUE_ROLES[it.role]
                result.parts.append(
                    Part(where, kind, "changed", old_value, new_value, (position, 0.0))
                )
                continue
        entry["items"].append(_item_entry(it, "reworded", old_body, new_body))
        result.parts.append(Part(where, "item", "changed", old_body, new_body, (position, 0.0)))
    for key, it in old_items.items():
        if key in new_keys:
            continue
        changed = True
        old_body = before.body(it.item)
        entry["items"].append(_item_entry(it, "removed", old_body, None))
        where = f"{new.number} {it.item.number} {it.item.title}".strip()
        order = (_line(new.node) + 0.25, _line(it.item))
        result.parts.append(Part(where, "item", "removed", old_body, None, order))
    return entry if changed else None


def _item_entry(it: _BlockItem, status: str, old: str | None, new: str | None) -> dict[str, Any]:
    return {
        "role": it.role,
        "number": it.item.number,
        "title": it.item.title,
        "status": status,
        "old": old,
        "new": new,
    }


# --- KPIs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kpi:
    name: str
    row: KpiRow
    columns: tuple[str, ...]
    number: int | None
    where: str

    @property
    def heading(self) -> str:
        """How a part names the KPI: 「4-2 KPI2「…」」 (where its table stands, the row's name)."""
        return f"{self.where} {self.row.name}".strip()


def _kpis(version: _Version) -> dict[tuple[str, str], _Kpi]:
    """The plan's KPIs by where their table stands and their name as compared: the 2015 format
    and plans with several blocks repeat a KPI in several tables, each compared on its own."""
    found: dict[tuple[str, str], _Kpi] = {}
    for table in version.tables:
        headers = tuple(column.header for column in table.columns)
        for row in table.rows:
            if row.is_unused:
                continue
            name = row.title or row.name
            number = kpi_index(row.row.cells[0]) if row.row.cells else None
            kpi = _Kpi(name, row, headers, number, table.where)
            found.setdefault((same_text(table.where), same_text(name)), kpi)
    return found


def _values(kpi: _Kpi) -> dict[str, tuple[str, str]]:
    """Each value by its column header as compared: (header as written, value as written)."""
    values: dict[str, tuple[str, str]] = {}
    for header, value in zip(kpi.columns, kpi.row.values, strict=False):
        values.setdefault(same_text(header), (header, value.text))
    return values


def _value_changes(old: _Kpi | None, new: _Kpi | None) -> list[dict[str, str | None]]:
    before = _values(old) if old is not None else {}
    after = _values(new) if new is not None else {}
    changes: list[dict[str, str | None]] = []
    for key in [*after, *(k for k in before if k not in after)]:
        old_value = before.get(key, (None, None))[1]
        new_value = after.get(key, (None, None))[1]
        if old_value is not None and new_value is not None:
            if same_text(old_value) == same_text(new_value):
                continue
        header = (after.get(key) or before[key])[0]
        changes.append({"column": header, "old": old_value, "new": new_value})
    return changes


def _kpi_text(kpi: _Kpi) -> str:
    return "\n".join(f"{h}: {v.text}" for h, v in zip(kpi.columns, kpi.row.values, strict=False))


def _kpi_entry(
    kpi: _Kpi, old_name: str | None, status: str, values: list[dict[str, str | None]]
) -> dict[str, Any]:
    return {
        "name": kpi.name,
        "old_name": old_name,
        "status": status,
        "values": values,
        "heading": kpi.heading,
    }


def _compare_kpis(before: _Version, after: _Version, result: Comparison) -> None:
    old_kpis, new_kpis = _kpis(before), _kpis(after)
    unmatched_old = [k for k in old_kpis if k not in new_kpis]
    unmatched_new = [k for k in new_kpis if k not in old_kpis]
    renamed: dict[tuple[str, str], tuple[str, str]] = {}  # new key → old key
    for new_key in unmatched_new:  # a renamed KPI: the same KPI number in the same table
        number = new_kpis[new_key].number
        same = [
            k
            for k in unmatched_old
            if number is not None and k[0] == new_key[0] and old_kpis[k].number == number
        ]
        if same:
            renamed[new_key] = same[0]
            unmatched_old.remove(same[0])
    for key, kpi in new_kpis.items():
        matched = key if key in old_kpis else renamed.get(key)
        old = old_kpis.get(matched) if matched is not None else None
        order = (_line(kpi.row.row), 0.0)
        if old is None:
            result.kpis.append(_kpi_entry(kpi, None, "added", _value_changes(None, kpi)))
            result.parts.append(Part(kpi.heading, "kpi", "added", None, _kpi_text(kpi), order))
            continue
        values = _value_changes(old, kpi)
        old_name = old.name if key not in old_kpis else None
        if not values and old_name is None:
            continue
        result.kpis.append(_kpi_entry(kpi, old_name, "changed", values))
        old_text = f"{old.name}\n{_kpi_text(old)}"
        new_text = f"{kpi.name}\n{_kpi_text(kpi)}"
        result.parts.append(Part(kpi.heading, "kpi", "changed", old_text, new_text, order))
    for key in unmatched_old:
        old = old_kpis[key]
        result.kpis.append(_kpi_entry(old, None, "removed", _value_changes(old, None)))
        order = (float("inf"), _line(old.row.row))
        result.parts.append(Part(old.heading, "kpi", "removed", _kpi_text(old), None, order))


# --- 5-3 measures and own projects ------------------------------------------------------------


def _entries(section: Section | None) -> Iterator[tuple[str, str, float]]:
    """The entries of a 5-3 section: (name, whole text, line). An entry opens at 「(1) …」 (an
    enumeration or a label); a section of plain paragraphs gives one entry per paragraph."""
    if section is None:
        return
    current: list[str] = []
    name, line = "", 0.0
    nodes = [n for n in section.descendants() if not isinstance(n, (Section, Item, Label))]
    opened = any(isinstance(n, Enumeration) and _ENTRY_MARKER.match(n.marker) for n in nodes)
    for node in nodes:
        texts = [text for text, _ in node.lines() if text]
        starts = isinstance(node, Enumeration) and _ENTRY_MARKER.match(node.marker)
        if starts or (not opened and isinstance(node, (Paragraph, Enumeration, Table))):
            if name:
                yield name, "\n".join(current), line
            name = node.text if isinstance(node, (Paragraph, Enumeration)) else texts[0]
            current, line = list(texts), _line(node)
        elif name:
            current.extend(texts)
    if name:
        yield name, "\n".join(current), line


def _compare_entries(
    old: Section | None,
    new: Section | None,
    kind: str,
    target: dict[str, list[str]],
    result: Comparison,
) -> None:
    before = {same_text(e[0]): e for e in _entries(old) if not says_nothing(e[0])}
    after = {same_text(e[0]): e for e in _entries(new) if not says_nothing(e[0])}
    target.update({"added": [], "removed": [], "changed": []})
    heading = f"{new.number} " if new is not None else f"{old.number} " if old is not None else ""
    for key, (name, text, line) in after.items():
        if key not in before:
            target["added"].append(name)
            result.parts.append(Part(heading + name, kind, "added", None, text, (line, 0.0)))
        elif same_text(before[key][1]) != same_text(text):
            target["changed"].append(name)
            old_text = before[key][1]
            result.parts.append(Part(heading + name, kind, "changed", old_text, text, (line, 0.0)))
    end = _line(new) + 0.5 if new is not None else float("inf")
    for key, (name, text, line) in before.items():
        if key not in after:
            target["removed"].append(name)
            result.parts.append(Part(heading + name, kind, "removed", text, None, (end, line)))
