"""Structure rules: is it a plan at all, and are the profile's sections and items all there, in order."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence

from plancheck.api.fixes import SAFE, Fix
from plancheck.api.hookspecs import hookimpl
from plancheck.api.rule import Context, Finding, Rule
from plancheck.model.layout import MeasureBlock, layout
from plancheck.model.profiles import Profile, comparable, inline_content, misspelt_prefix
from plancheck.parsing.ast import Item, Plan, Section, Span
from plancheck.parsing.edits import edit_at


def _sections_in_document_order(plan: Plan) -> list[Section]:
    return sorted(plan.iter_sections(), key=lambda section: section.span.line)


class NotAPlan(Rule):
    """文書が地域再生計画として認識できない (no profile matches the document).

    Its documentation, in Japanese and English, is rules/docs/PC001.yaml
    (``plancheck rule PC001``).
    """

    code = "PC001"
    name = "not-a-plan"
    severity = "error"
    needs_profile = False

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        # a source with no lines at all is a PDF without text, which PC003 reports instead
        if context.profile is None and plan.lines:
            yield self.report(context, plan.title.span if plan.title else Span(1))


class MissingSection(Rule):
    """プロファイルが求める節・項目がない (a required section or item of a measure block is absent).

    Its documentation, in Japanese and English, is rules/docs/PC101.yaml
    (``plancheck rule PC101``).
    """

    code = "PC101"
    name = "missing-section"
    severity = "error"
    fixable = SAFE

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        profile = context.profile
        assert profile is not None
        present = {section.number: section for section in plan.iter_sections()}
        required = layout(plan, profile).required
        expected = [h for h in profile.sections if h.number in required]
        yield from self._misread_sections(context, plan, profile)
        for index, heading in enumerate(expected):
            if heading.number not in present:
                later = (present.get(h.number) for h in expected[index + 1 :])
                anchor = next((s for s in later if s is not None), None)
                span = anchor.span if anchor else Span(plan.lines[-1].number if plan.lines else 1)
                yield self.report(
                    context, span, "section", number=heading.number, title=heading.title
                )
        for block in layout(plan, profile).blocks:
            yield from self._missing_items(context, block)

    def _misread_sections(
        self, context: Context, plan: Plan, profile: Profile
    ) -> Iterator[Finding]:
        """Sections present only by a near miss: a slip in the number (「4-l」 read as 4-1) or in
        the title (「地域の実状」 for 地域の現状): said once, at the heading, with what it was taken for."""
        for section in _sections_in_document_order(plan):
            heading = profile.heading(section.number)
            if heading is None:
                continue
            if section.written:
                # 「4-l」 → 「4-1」: the parser read the slip as this number, so it is certain
                edit = edit_at(
                    plan, section.span.line, section.span.column, section.written, section.number
                )
                yield self.report(
                    context,
                    section.span,
                    "section_number",
                    fix=Fix((edit,), SAFE) if edit else None,
                    written=section.written,
                    number=section.number,
                    title=heading.title,
                )
            key = comparable(section.title)
            if heading.is_named_by(key):
                continue
            for name, official in zip(heading.names, heading.keys, strict=True):
                length = misspelt_prefix(key, official)
                if length:
                    yield self.report(
                        context,
                        section.span,
                        "section_title",
                        number=section.number,
                        written=_written_start(section.title, length),
                        title=name,
                    )
                    break

    def _missing_items(self, context: Context, block: MeasureBlock) -> Iterator[Finding]:
        for index, match in enumerate(block.matches):
            if match.item is None and match.spec.required:
                later = (m.item for m in block.matches[index + 1 :])
                anchor = next((item for item in later if item is not None), None)
                yield self.report(
                    context,
                    anchor.span if anchor else block.node.span,
                    "item",
                    section=block.number,
                    title=match.spec.title,
                )


def _written_start(title: str, length: int) -> str:
    """The start of a title as written that holds ``length`` characters of its comparable key."""
    count = 0
    for index, character in enumerate(title):
        if comparable(character):
            count += 1
            if count == length:
                return title[: index + 1]
    return title


class SectionOrder(Rule):
    """節・項目の順序が様式と異なる (sections, or a measure block's items, out of the format's order).

    Its documentation, in Japanese and English, is rules/docs/PC102.yaml
    (``plancheck rule PC102``).
    """

    code = "PC102"
    name = "section-order"
    severity = "error"

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        profile = context.profile
        assert profile is not None
        rank = {heading.number: index for index, heading in enumerate(profile.sections)}
        sections = _sections_in_document_order(plan)
        yield from self._out_of_order(
            context, [(s, rank[s.number], s.number) for s in sections if s.number in rank]
        )
        for block in layout(plan, profile).blocks:
            items = [(m.item, index) for index, m in enumerate(block.matches) if m.item]
            items.sort(key=lambda pair: pair[0].span.line)
            yield from self._out_of_order(
                context, [(item, r, f"{block.number} {item.number}") for item, r in items]
            )

    def _out_of_order(
        self, context: Context, nodes: Sequence[tuple[Section | Item, int, str]]
    ) -> Iterator[Finding]:
        """Report the nodes (in document order, with their rank in the format and their name)
        outside the longest run already in order: the fewest to move."""
        in_order = _longest_increasing([rank for _, rank, _ in nodes])
        named: dict[int, str] = {}  # rank → the name of the first node of that rank
        for _, rank, name in nodes:
            named.setdefault(rank, name)
        ranks = sorted(named)
        for index, (node, rank, name) in enumerate(nodes):
            if index in in_order:
                continue
            below = bisect_left(ranks, rank)  # the present ranks before this one's place
            if below:
                previous = named[ranks[below - 1]]
                yield self.report(context, node.span, "after", number=name, previous=previous)
            else:
                yield self.report(context, node.span, "first", number=name)


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence of ``values`` (O(n log n))."""
    tails: list[int] = []  # tails[k]: index of the smallest tail of an increasing run of length k+1
    tail_values: list[int] = []  # values[tails[k]], kept beside tails for the binary search
    previous: list[int] = [-1] * len(values)
    for index, value in enumerate(values):
        position = bisect_left(tail_values, value)
        if position:
            previous[index] = tails[position - 1]
        if position == len(tails):
            tails.append(index)
            tail_values.append(value)
        else:
            tails[position] = index
            tail_values[position] = value
    chosen, index = set(), tails[-1] if tails else -1
    while index >= 0:
        chosen.add(index)
        index = previous[index]
    return chosen


class DuplicateSection(Rule):
    """同じ番号の節が二つ以上ある (the same section number appears twice).

    Its documentation, in Japanese and English, is rules/docs/PC103.yaml
    (``plancheck rule PC103``).
    """

    code = "PC103"
    name = "duplicate-section"
    severity = "error"

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        first: dict[str, Section] = {}
        for section in _sections_in_document_order(plan):
            if section.number in first:
                yield self.report(
                    context,
                    section.span,
                    number=section.number,
                    first=first[section.number].span.line,
                )
            else:
                first[section.number] = section


class EmptySection(Rule):
    """必要な節・項目に記載がない (a required section or item has no content).

    Its documentation, in Japanese and English, is rules/docs/PC104.yaml
    (``plancheck rule PC104``).
    """

    code = "PC104"
    name = "empty-section"
    severity = "warning"

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        profile = context.profile
        assert profile is not None
        present = {section.number: section for section in plan.iter_sections()}
        for heading in profile.sections:
            section = present.get(heading.number)
            if section is not None and heading.required and _is_empty(section, heading.names):
                yield self.report(context, section.span, number=heading.number, title=heading.title)
        for block in layout(plan, profile).blocks:
            for match in block.matches:
                item = match.item
                if item is not None and match.spec.required and _is_empty(item, match.spec.names):
                    where = f"{block.number} {item.number}"
                    yield self.report(context, item.span, number=where, title=match.spec.title)


def _is_empty(node: Section | Item, names: tuple[str, ...]) -> bool:
    return not node.children and not inline_content(node.title, names)


class UnknownMeasure(Rule):
    """5-2 の特別の措置を特定できない (a 5-2 block whose measure kind is not known).

    Its documentation, in Japanese and English, is rules/docs/PC105.yaml
    (``plancheck rule PC105``).
    """

    code = "PC105"
    name = "unknown-measure"
    severity = "warning"
    document_types = ("地域再生計画",)

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        profile = context.profile
        assert profile is not None
        for block in layout(plan, profile).blocks:
            if block.kind is not None:
                continue
            if block.codes:
                code, span = block.codes[0]
                yield self.report(context, span, "unknown_code", section=block.number, code=code)
            else:
                yield self.report(context, block.node.span, "unknown", section=block.number)


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    return [NotAPlan, MissingSection, SectionOrder, DuplicateSection, EmptySection, UnknownMeasure]
