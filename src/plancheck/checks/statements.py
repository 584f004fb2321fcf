"""Statement rules: the 先導性 statements of each measure block whose kind has them (④ of a 推進交付金
block: 【自立性】, 【官民協働】, …) are there and say something."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from plancheck.api import vocabulary
from plancheck.api.hookspecs import hookimpl
from plancheck.api.rule import Context, Finding, Rule
from plancheck.model.layout import layout
from plancheck.parsing.ast import Item, Label, Plan, Section

PLAN = ("地域再生計画",)


@dataclass(frozen=True)
class _Holder:
    """Where one block's statements are: its statements item (or the block itself when that
    item's heading is lost), how messages name it, and the statement set it must satisfy."""

    node: Item | Section
    where: str
    settings: Mapping[str, Any]


def _statement_holders(plan: Plan, context: Context) -> Iterator[_Holder]:
    """The statements of every measure block whose kind has a statements item."""
    profile = context.profile
    if profile is None:
        return
    for block in layout(plan, profile).blocks:
        match = block.item("statements")
        if block.kind is None or match is None or match.spec.statement_set is None:
            continue
        settings = profile.statement_set(match.spec.statement_set, block.kind)
        if not settings:
            continue
        if match.item is None:
            yield _Holder(block.node, block.number, settings)
        else:
            yield _Holder(match.item, f"{block.number} {match.item.number}", settings)


def _labels(holder: Item | Section) -> dict[str, Label]:
    found: dict[str, Label] = {}
    nodes = list(holder.children)
    for item in holder.items() if isinstance(holder, Section) else ():
        nodes.extend(item.children)
    for node in nodes:
        if isinstance(node, Label):
            found.setdefault(node.label, node)
    return found


def says_nothing(label: Label) -> bool:
    """Whether the statement is empty or only 「該当なし」 (line breaks and spaces ignored; the
    forms are rules/vocabulary.yaml's)."""
    return vocabulary.says_nothing(label.body_text())


class MissingStatement(Rule):
    """④ に必要な先導性の記載（【自立性】【官民協働】など）がない (a required 先導性 statement is absent).

    Why: the grant is given to projects that are 先導的; ④ must show it under fixed labels. 【自立性】
    (the project continues without the grant) is always required, plancheck requires 【官民協働】,
    and the profile adds its own (two of 官民協働・地域間連携・政策間連携 for 横展開タイプ,
    【デジタル社会の形成への寄与】 from 2021; from 2025 the 第2世代交付金 asks for 【自立性】 and
    【地域の多様な主体の参画】 instead). Checked in every block whose measure has 先導性 statements
    (a 推進交付金 block, in 5-2 or 5-2-1 …); a 企業版ふるさと納税 block has none.

    Source: 地方創生推進交付金の取扱い（H28.1）・手引き（H30.4）; plan-format.md §3.

    Failing example (the 2021 format)::

        5-2 第5章の特別の措置を適用して行う事業
        ○ 地方創生推進タイプ（内閣府）：【A3007】
        ④ 事業が先導的であると認められる理由
        【自立性】
        利用料収入により交付金終了後も事業を継続する。

    Passing example::

        5-2 第5章の特別の措置を適用して行う事業
        ○ 地方創生推進タイプ（内閣府）：【A3007】
        ④ 事業が先導的であると認められる理由
        【自立性】
        利用料収入により交付金終了後も事業を継続する。
        【官民協働】
        市と商工会議所が共同で運営する。
        【地域間連携】
        近隣の町と移住相談の情報を共有する。
        【デジタル社会の形成への寄与】
        該当なし。
    """

    code = "PC401"
    name = "missing-statement"
    severity = "error"
    document_types = PLAN

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        for holder in _statement_holders(plan, context):
            yield from self._check_holder(holder, context)

    def _check_holder(self, holder: _Holder, context: Context) -> Iterator[Finding]:
        labels = _labels(holder.node)
        for name in holder.settings.get("required", []):
            if name not in labels:
                yield self.report(
                    context, holder.node.span, "required", item=holder.where, label=name
                )
        group = holder.settings.get("at_least")
        if group:
            found = [
                name for name in group["of"] if name in labels and not says_nothing(labels[name])
            ]
            # a required label already reported missing will fill one place once it is added
            required = holder.settings.get("required", [])
            reported = [name for name in group["of"] if name not in labels and name in required]
            if len(found) + len(reported) < group["count"]:
                yield self.report(
                    context,
                    holder.node.span,
                    "at_least",
                    item=holder.where,
                    labels="".join(f"【{name}】" for name in group["of"]),
                    count=group["count"],
                    found=len(found),
                )


class EmptyStatement(Rule):
    """先導性の記載が空、または「該当なし」だけ (a required statement says nothing).

    Why: a label that is present but empty, or only 「該当なし」, does not show the project is
    先導的. Only statements the profile allows to be not applicable (【デジタル社会の形成への寄与】)
    may say 「該当なし。」.

    Source: 地方創生推進交付金の手引き（H30.4）; plan-format.md §3.

    Failing example::

        5-2 第5章の特別の措置を適用して行う事業
        ○ 地方創生推進タイプ（内閣府）：【A3007】
        ④ 事業が先導的であると認められる理由
        【官民協働】
        該当なし

    Passing example::

        5-2 第5章の特別の措置を適用して行う事業
        ○ 地方創生推進タイプ（内閣府）：【A3007】
        ④ 事業が先導的であると認められる理由
        【官民協働】
        市と商工会議所が共同で運営し、民間事業者が実証フィールドを提供する。
    """

    code = "PC402"
    name = "empty-statement"
    severity = "error"
    document_types = PLAN

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        for holder in _statement_holders(plan, context):
            yield from self._check_holder(holder, context)

    def _check_holder(self, holder: _Holder, context: Context) -> Iterator[Finding]:
        settings = holder.settings
        checked = set(settings.get("required", [])) | set(settings.get("optional", []))
        allowed = set(settings.get("not_applicable_allowed", []))
        for name, label in _labels(holder.node).items():
            if name not in checked or not says_nothing(label):
                continue
            text = re.sub(r"\s+", "", label.body_text())
            if not text:
                yield self.report(context, label.span, "empty", label=name)
            elif name not in allowed:
                yield self.report(context, label.span, "not_applicable", label=name, text=text)


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    return [MissingStatement, EmptyStatement]
