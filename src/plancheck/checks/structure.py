"""Structure rules: is it a plan at all, and are the profile's sections and items all there, in order."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence

from plancheck.api.hookspecs import hookimpl
from plancheck.api.rule import Context, Finding, Rule
from plancheck.model.layout import MeasureBlock, layout
from plancheck.model.profiles import inline_content
from plancheck.parsing.ast import Item, Plan, Section, Span


def _sections_in_document_order(plan: Plan) -> list[Section]:
    return sorted(plan.iter_sections(), key=lambda section: section.span.line)


class NotAPlan(Rule):
    """文書が地域再生計画として認識できない (no profile matches the document).

    Why: every other rule compares the document with a format profile; without one, dozens of
    "missing section" findings would hide the real problem, so plancheck reports this once.

    Source: 地域再生法 第5条 (the plan's legal skeleton); plancheck's profiles under rules/profiles.

    Failing example (a 総合特区 evaluation report)::

        令和2年度 国際戦略総合特別区域評価書
        1 国際戦略総合特別区域の名称

    Passing example::

        地域再生計画
        1 地域再生計画の名称
        2 地域再生計画の作成主体の名称
        3 地域再生計画の区域
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

    Why: the Cabinet Office checks every plan against the same skeleton (1–7 with their
    sub-sections) and every 5-2 block against the items of its measure: ①–⑨ for the 推進交付金
    【A3007】, 事業の名称 … 寄附の金額の目安 … 事業実施期間 for 企業版ふるさと納税 【A2007】 (with or without
    事業主体). Items are matched by title, since their numbers differ between plans; each block of
    5-2-1, 5-2-2 … is checked against its own measure. Section 4 may be undivided or divided as
    the format and the plan's measures allow (the 推進交付金 format asks for 4-1 / 4-2; the 2015
    format has 4-1 地域の現状 / 4-2 地域の課題); a missing part is returned for correction.

    Source: 地域再生法 第5条第2項・第3項; 地域再生計画認定申請マニュアル（各論）の様式; plan-format.md §8.

    Failing example (the skeleton of the 2021 format without 6 計画期間)::

        地域再生計画
        1 地域再生計画の名称
        2 地域再生計画の作成主体の名称
        3 地域再生計画の区域
        4 地域再生計画の目標
        5 地域再生を図るために行う事業
        5-1 全体の概要
        5-2 第5章の特別の措置を適用して行う事業
        5-3 その他の事業
        5-3-1 地域再生基本方針に基づく支援措置
        5-3-2 支援措置によらない独自の取組
        7 目標の達成状況に係る評価に関する事項
        7-1 目標の達成状況に係る評価の手法
        7-2 目標の達成状況に係る評価の時期及び評価を行う内容
        7-3 目標の達成状況に係る評価の公表の手法

    Passing example (every section; 5-2 has no block yet, so no item is required)::

        地域再生計画
        1 地域再生計画の名称
        2 地域再生計画の作成主体の名称
        3 地域再生計画の区域
        4 地域再生計画の目標
        5 地域再生を図るために行う事業
        5-1 全体の概要
        5-2 第5章の特別の措置を適用して行う事業
        5-3 その他の事業
        5-3-1 地域再生基本方針に基づく支援措置
        5-3-2 支援措置によらない独自の取組
        6 計画期間
        7 目標の達成状況に係る評価に関する事項
        7-1 目標の達成状況に係る評価の手法
        7-2 目標の達成状況に係る評価の時期及び評価を行う内容
        7-3 目標の達成状況に係る評価の公表の手法
    """

    code = "PC101"
    name = "missing-section"
    severity = "error"

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        profile = context.profile
        assert profile is not None
        present = {section.number: section for section in plan.iter_sections()}
        required = layout(plan, profile).required
        expected = [h for h in profile.sections if h.number in required]
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


class SectionOrder(Rule):
    """節・項目の順序が様式と異なる (sections, or a measure block's items, out of the format's order).

    Why: reviewers read plans side by side in the official order; a section moved out of place
    is easy to miss and is returned for correction.

    Source: 地域再生計画認定申請マニュアル（各論）の様式 (numbering 1–7, ①–⑨).

    Failing example::

        6 計画期間
        5 地域再生を図るために行う事業

    Passing example::

        5 地域再生を図るために行う事業
        6 計画期間
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

    Why: a duplicated number usually means a section was pasted twice or misnumbered, and
    cross-references such as 「5-2の⑥」 become ambiguous.

    Source: 地域再生計画認定申請マニュアル（各論）の様式.

    Failing example::

        5-1 全体の概要
        5-1 第5章の特別の措置を適用して行う事業

    Passing example::

        5-1 全体の概要
        5-2 第5章の特別の措置を適用して行う事業
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

    Why: an empty section is almost always an unfinished draft. Where nothing applies, the
    format expects 「該当なし」 to be written, which this rule accepts.

    Source: 地域再生計画認定申請マニュアル（各論）.

    Failing example::

        3 地域再生計画の区域
        4 地域再生計画の目標

    Passing example::

        3 地域再生計画の区域
        みどり野市の全域
        4 地域再生計画の目標
        子育て世帯の転入と定着を図る。
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

    Why: what a 5-2 block must contain depends on the measure it applies: a 推進交付金 block has
    ① 事業主体 … ⑨ その他必要な事項 with the 先導性 statements and 総事業費, a 企業版ふるさと納税
    block has 寄附の金額の目安 instead. plancheck recognises the measure by its support-measure code
    (【A3007】) or its name in the label line; without either it cannot tell which items, period
    and cost to check, and says so instead of passing the block silently. Measure kinds are data
    (rules/measures/*.yaml; plugins may add more).

    Source: 地域再生計画認定申請マニュアル（各論）の様式; plan-format.md §8.

    Failing example (no label line naming the measure)::

        5-2 第5章の特別の措置を適用して行う事業
        ① 事業の名称

    Passing example::

        5-2 第5章の特別の措置を適用して行う事業
        まち・ひと・しごと創生寄附活用事業に関連する寄附を行った法人に対する特例（内閣府）：【A2007】
        ① 事業の名称
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
