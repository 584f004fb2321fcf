"""Structure rules: is it a plan at all, and are the profile's sections and items all there, in order."""

from __future__ import annotations

import re
from collections.abc import Iterator

from plancheck.ast import Item, Plan, Section, Span
from plancheck.hookspecs import hookimpl
from plancheck.profiles import Heading, Profile
from plancheck.rule import Context, Finding, Rule

# Harmless wording differences between filings (plan-format.md §1).
_TITLE_VARIANTS = (("にかかる", "に係る"), ("地域再生計画の認定", "地域再生計画認定"))
_TITLE_NOISE = re.compile(r"[\s:：()（）]")


def _comparable(title: str) -> str:
    for variant, official in _TITLE_VARIANTS:
        title = title.replace(variant, official)
    return _TITLE_NOISE.sub("", title)


def _inline_content(title: str, expected: str) -> str:
    """What a heading line carries after its official title (「5-3-1 … 該当なし。」)."""
    actual, official = _comparable(title), _comparable(expected)
    return actual[len(official) :] if actual.startswith(official) else ""


def _expected_items(plan: Plan, profile: Profile) -> tuple[Section | None, tuple[Heading, ...]]:
    section = plan.section(profile.items_section) if profile.items_section else None
    return section, profile.items if section is not None else ()


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
    messages = {
        "default": {
            "ja": "地域再生計画として認識できません（どの様式プロファイルにも一致しません）。"
            "文書の種類を確認するか、--profile で様式を指定してください",
            "en": "This document is not recognised as a regional revitalization plan (no format "
            "profile matches); check the document type or choose one with --profile",
        }
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        # a source with no lines at all is a PDF without text, which PC003 reports instead
        if context.profile is None and plan.lines:
            yield self.report(context, plan.title.span if plan.title else Span(1))


class MissingSection(Rule):
    """プロファイルが求める節・項目がない (a required section or 5-2 item is absent).

    Why: the Cabinet Office checks every plan against the same skeleton (1–7 with their
    sub-sections, and ①–⑨ under 5-2); a missing part is returned for correction.

    Source: 地域再生法 第5条第2項・第3項; 地域再生計画認定申請マニュアル（各論）の様式.

    Failing example (6 計画期間 is missing)::

        5-3-2 支援措置によらない独自の取組
        該当なし
        7 目標の達成状況に係る評価に関する事項

    Passing example::

        5-3-2 支援措置によらない独自の取組
        該当なし
        6 計画期間
        地域再生計画認定の日から平成31年3月31日
        7 目標の達成状況に係る評価に関する事項
    """

    code = "PC101"
    name = "missing-section"
    severity = "error"
    messages = {
        "section": {
            "ja": "「{number} {title}」の節がありません",
            "en": "Section '{number} {title}' is missing",
        },
        "item": {
            "ja": "{section} に「{number} {title}」の項目がありません",
            "en": "Item '{number} {title}' is missing from {section}",
        },
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        profile = context.profile
        assert profile is not None
        present = {section.number: section for section in plan.iter_sections()}
        expected = [h for h in profile.sections if h.required]
        for index, heading in enumerate(expected):
            if heading.number not in present:
                later = (present.get(h.number) for h in expected[index + 1 :])
                anchor = next((s for s in later if s is not None), None)
                span = anchor.span if anchor else Span(plan.lines[-1].number if plan.lines else 1)
                yield self.report(
                    context, span, "section", number=heading.number, title=heading.title
                )
        section, items = _expected_items(plan, profile)
        if section is None:
            return
        found = {item.number: item for item in section.items()}
        for index, heading in enumerate(items):
            if heading.required and heading.number not in found:
                later = (found.get(h.number) for h in items[index + 1 :])
                anchor = next((i for i in later if i is not None), None)
                yield self.report(
                    context,
                    anchor.span if anchor else section.span,
                    "item",
                    section=section.number,
                    number=heading.number,
                    title=heading.title,
                )


class SectionOrder(Rule):
    """節・項目の順序が様式と異なる (sections or 5-2 items out of the profile's order).

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
    messages = {
        "after": {
            "ja": "「{number}」の位置が様式の順序と異なります（「{previous}」の後に置いてください）",
            "en": "'{number}' is out of the format's order (it belongs after '{previous}')",
        },
        "first": {
            "ja": "「{number}」の位置が様式の順序と異なります（先頭に置いてください）",
            "en": "'{number}' is out of the format's order (it belongs first)",
        },
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        profile = context.profile
        assert profile is not None
        yield from self._out_of_order(context, _sections_in_document_order(plan), profile.sections)
        section, items = _expected_items(plan, profile)
        if section is not None:
            yield from self._out_of_order(context, list(section.items()), items)

    def _out_of_order(
        self, context: Context, nodes: list[Section] | list[Item], expected: tuple[Heading, ...]
    ) -> Iterator[Finding]:
        """Report the nodes outside the longest run already in order: the fewest to move."""
        rank = {heading.number: index for index, heading in enumerate(expected)}
        known = [node for node in nodes if node.number in rank]
        in_order = _longest_increasing([rank[node.number] for node in known])
        present = {node.number for node in known}
        for index, node in enumerate(known):
            if index in in_order:
                continue
            before = [h.number for h in expected[: rank[node.number]] if h.number in present]
            if before:
                yield self.report(
                    context, node.span, "after", number=node.number, previous=before[-1]
                )
            else:
                yield self.report(context, node.span, "first", number=node.number)


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence of ``values`` (O(n log n))."""
    from bisect import bisect_left

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
    messages = {
        "default": {
            "ja": "節「{number}」が重複しています（最初は {first} 行目）",
            "en": "Section '{number}' appears again (first on line {first})",
        }
    }

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
    """

    code = "PC104"
    name = "empty-section"
    severity = "warning"
    messages = {
        "default": {
            "ja": "「{number} {title}」に記載がありません（該当しない場合は「該当なし」と記載してください）",
            "en": "'{number} {title}' is empty (write 「該当なし」 if nothing applies)",
        }
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        profile = context.profile
        assert profile is not None
        present = {section.number: section for section in plan.iter_sections()}
        for heading in profile.sections:
            section = present.get(heading.number)
            if section is not None and heading.required and self._is_empty(section, heading):
                yield self.report(context, section.span, number=heading.number, title=heading.title)
        section, items = _expected_items(plan, profile)
        if section is None:
            return
        found = {item.number: item for item in section.items()}
        for heading in items:
            item = found.get(heading.number)
            if item is not None and heading.required and self._is_empty(item, heading):
                yield self.report(context, item.span, number=heading.number, title=heading.title)

    @staticmethod
    def _is_empty(node: Section | Item, heading: Heading) -> bool:
        return not node.children and not _inline_content(node.title, heading.title)


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    return [NotAPlan, MissingSection, SectionOrder, DuplicateSection, EmptySection]
