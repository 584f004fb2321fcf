"""Where things are in one plan, as its profile says: the sections that play the plan's roles (plan
period, KPI targets …) and the measure blocks of 5-2, each with its kind and its items by role.

Every rule, the outline and the web page ask this module, never a section or item number:
``layout(plan, profile).section("plan_period")``, ``block.item("project_period")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plancheck.model.profiles import SIMILAR, ItemSpec, MeasureKind, Profile, comparable
from plancheck.parsing.ast import Enumeration, Item, Label, Paragraph, Plan, Section, Span

#: a support-measure code: A-codes for the special measures of 5-2, B-codes for the other
#: measures of 5-3-1, any letter for a measure kind a plugin adds (rules/schema/measure.schema.json)
SUPPORT_CODE = re.compile(r"【([A-Z]\d{4})】")


@dataclass(frozen=True)
class BlockItem:
    """One item the block's kind lists, and the item of the plan that matched it by title."""

    spec: ItemSpec
    item: Item | None


@dataclass(frozen=True)
class LabelPiece:
    """A piece of a block's label: the text of one line of the heading or before the first item."""

    text: str
    span: Span


@dataclass(frozen=True)
class MeasureBlock:
    """A block of 5-2 that applies one special measure (5-2 itself, or 5-2-1, 5-2-2 …)."""

    node: Section
    label: tuple[LabelPiece, ...]
    codes: tuple[tuple[str, Span], ...]
    kind: MeasureKind | None
    #: how the kind was found: "code", "label", "items", "profile" or "" (not found)
    reason: str
    matches: tuple[BlockItem, ...]

    @property
    def number(self) -> str:
        return self.node.number

    @property
    def label_text(self) -> str:
        return " ".join(piece.text for piece in self.label)

    def item(self, role: str) -> BlockItem | None:
        """The item playing ``role`` in this block (its plan item may be None: missing)."""
        return next((match for match in self.matches if match.spec.role == role), None)

    def where(self, match: BlockItem) -> str:
        """How messages name an item: 「5-2-2 ⑥ 事業実施期間」 (without a number when missing)."""
        number = f" {match.item.number}" if match.item is not None else ""
        return f"{self.number}{number} {match.spec.title}"


@dataclass(frozen=True)
class Layout:
    """The plan's roles resolved through its profile."""

    profile: Profile
    sections: dict[str, Section]
    blocks: tuple[MeasureBlock, ...]
    #: the numbers of the sections this plan must have: the profile's required sections, with
    #: a divided section's sub-sections as the division closest to the plan's asks
    required: frozenset[str]

    def section(self, role: str) -> Section | None:
        """The section that plays ``role`` (plan_period, kpi_targets, measures, other_measures,
        own_projects): the first of the profile's numbers for it that the plan has."""
        return self.sections.get(role)


def layout(plan: Plan, profile: Profile) -> Layout:
    """The plan's layout under ``profile`` (worked out once a plan and profile)."""
    return plan.derived(_resolve, profile)


def _resolve(plan: Plan, profile: Profile) -> Layout:
    sections = {}
    for role, numbers in profile.roles.items():
        found = next((s for n in numbers if (s := plan.section(n)) is not None), None)
        if found is not None:
            sections[role] = found
    measures = sections.get("measures")
    blocks: tuple[MeasureBlock, ...] = ()
    if measures is not None:
        prefix = measures.number + "-"
        nested = [s for s in measures.subsections() if s.number.startswith(prefix)]
        if profile.fixed_kind is not None:
            nested = []  # a document with one fixed list of items has no blocks to split
        blocks = tuple(_block(node, profile) for node in (nested or [measures]))
    return Layout(profile, sections, blocks, _required(plan, profile, blocks))


def _required(plan: Plan, profile: Profile, blocks: tuple[MeasureBlock, ...]) -> frozenset[str]:
    """Required sections; for a divided section (4), the division among those allowed that is
    closest to the plan's (holding the sub-sections it has, then fewest missing, then shortest). The allowed divisions are the
    profile's, narrowed by the kinds of the plan's blocks (the 推進交付金 format divides 4)."""
    governed: set[str] = set()
    chosen: set[str] = set()
    kinds = [block.kind for block in blocks if block.kind is not None]
    for number, choices in profile.divisions.items():
        for kind in kinds:
            narrowed = kind.section_divisions.get(number)
            if narrowed:
                choices = tuple(c for c in choices if c in narrowed) or narrowed
        members = {n for choice in choices for n in choice}
        governed |= members
        present = {n for n in members if plan.section(n) is not None}
        closest = min(choices, key=lambda c: (len(present - set(c)), len(set(c) - present), len(c)))
        chosen.update(closest)
    plain = {h.number for h in profile.sections if h.required and h.number not in governed}
    return frozenset(plain | chosen)


def _label(node: Section) -> tuple[LabelPiece, ...]:
    """The heading's title and the lines under it before the first item: the measure's label
    (「○ 地方創生推進タイプ（内閣府）：【A3007】」) is on one of them."""
    pieces = [LabelPiece(node.title, node.span)] if node.title else []
    for child in node.children:
        if isinstance(child, (Item, Section)):
            break
        if isinstance(child, Paragraph):
            pieces.append(LabelPiece(child.text, child.span))
        elif isinstance(child, Enumeration):
            pieces.append(LabelPiece(f"{child.marker} {child.text}", child.span))
        elif isinstance(child, Label):
            pieces.append(LabelPiece(f"【{child.label}】{child.text}", child.span))
    return tuple(pieces)


def _block(node: Section, profile: Profile) -> MeasureBlock:
    label = _label(node)
    codes = tuple((m[1], piece.span) for piece in label for m in SUPPORT_CODE.finditer(piece.text))
    items = list(node.items())
    kind, reason = _kind(profile, label, codes, items)
    matches = _match_items(kind, items) if kind is not None else ()
    return MeasureBlock(node, label, codes, kind, reason, matches)


def _kind(
    profile: Profile,
    label: tuple[LabelPiece, ...],
    codes: tuple[tuple[str, Span], ...],
    items: list[Item],
) -> tuple[MeasureKind | None, str]:
    if profile.fixed_kind is not None:
        return profile.fixed_kind, "profile"
    for code, _ in codes:
        kind = profile.kind_by_code(code)
        if kind is not None:
            return kind, "code"
    text = "".join(piece.text for piece in label).replace(" ", "")
    for kind in profile.kinds:
        if any(wording in text for wording in kind.labels):
            return kind, "label"
    if codes:
        return None, ""  # a code no kind has (PC105 says so): never guessed from the items
    # no code, no wording: the kind whose item titles the block's items are, if only one fits best
    scores = sorted(
        ((sum(m.item is not None for m in _match_items(k, items)), k) for k in profile.kinds),
        key=lambda pair: -pair[0],
    )
    if scores and scores[0][0] >= 3 and (len(scores) == 1 or scores[1][0] < scores[0][0]):
        return scores[0][1], "items"
    return None, ""


def _match_items(kind: MeasureKind, items: list[Item]) -> tuple[BlockItem, ...]:
    """Pair the kind's items with the plan's by title: first a title that starts with a listed
    name, then the most similar title left (an OCR slip, a wrong term); numbers are ignored."""
    chosen: dict[int, Item] = {}
    used: set[int] = set()
    keys = [comparable(item.title) for item in items]
    for position, key in enumerate(keys):
        for index, spec in enumerate(kind.items):
            if index not in chosen and spec.is_named_by(key):
                chosen[index] = items[position]
                used.add(position)
                break
    for position, item in enumerate(items):
        if position in used:
            continue
        free = [i for i in range(len(kind.items)) if i not in chosen]
        scored = [(kind.items[i].likeness(keys[position]), i) for i in free]
        best = max(scored, default=(0.0, -1))
        if best[0] >= SIMILAR:
            chosen[best[1]] = item
    return tuple(BlockItem(spec, chosen.get(index)) for index, spec in enumerate(kind.items))
