"""Statement rules: the 先導性 statements of each measure block whose kind has them (④ of a 推進交付金
block: 【自立性】, 【官民協働】, …) are there and say something."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from plancheck.api import vocabulary
from plancheck.api.fixes import SAFE, Fix
from plancheck.api.hookspecs import hookimpl
from plancheck.api.rule import Context, Finding, Rule
from plancheck.model.layout import layout
from plancheck.model.profiles import misspelling
from plancheck.parsing.ast import Item, Label, Plan, Section
from plancheck.parsing.edits import edit_at

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

    Its documentation, in Japanese and English, is rules/docs/PC401.yaml
    (``plancheck rule PC401``).
    """

    code = "PC401"
    name = "missing-statement"
    severity = "error"
    document_types = PLAN
    fixable = SAFE

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        for holder in _statement_holders(plan, context):
            yield from self._check_holder(plan, holder, context)

    def _check_holder(self, plan: Plan, holder: _Holder, context: Context) -> Iterator[Finding]:
        labels = _labels(holder.node)
        misspelt = _misspelt_statements(labels, holder.settings)
        names = _statement_names(holder.settings)
        for name, label in misspelt.items():
            # certain only when the label is a near miss of this statement and of no other
            certain = [n for n in names if misspelling(label.label, n)] == [name]
            fix = label_fix(plan, label, name) if certain else None
            yield self.report(
                context, label.span, "misspelt", fix=fix, written=label.label, label=name
            )
        for name in holder.settings.get("required", []):
            if name not in labels and name not in misspelt:
                yield self.report(
                    context, holder.node.span, "required", item=holder.where, label=name
                )
        group = holder.settings.get("at_least")
        if group:
            found = [
                name for name in group["of"] if name in labels and not says_nothing(labels[name])
            ]
            # a required label already reported missing, or a misspelt one, will fill one place
            # once it is put right
            required = holder.settings.get("required", [])
            reported = [
                name
                for name in group["of"]
                if name not in labels and (name in required or name in misspelt)
            ]
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


def _statement_names(settings: Mapping[str, Any]) -> list[str]:
    """The labels a statement set names: required, optional and those of its 「at least」 group."""
    names = [*settings.get("required", []), *settings.get("optional", [])]
    names += [name for name in settings.get("at_least", {}).get("of", []) if name not in names]
    return names


def _misspelt_statements(
    labels: Mapping[str, Label], settings: Mapping[str, Any]
) -> dict[str, Label]:
    """The statements of the set that are absent but written a little off (【自律性】 for 【自立性】),
    each with the label that misses it; a label the set names is never a miss of another."""
    names = _statement_names(settings)
    strays = [label for name, label in labels.items() if name not in names]
    misspelt: dict[str, Label] = {}
    for name in names:
        if name in labels:
            continue
        label = next((lab for lab in strays if misspelling(lab.label, name)), None)
        if label is not None:
            misspelt[name] = label
            strays.remove(label)
    return misspelt


class EmptyStatement(Rule):
    """先導性の記載が空、または「該当なし」だけ (a required statement says nothing).

    Its documentation, in Japanese and English, is rules/docs/PC402.yaml
    (``plancheck rule PC402``).
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


class MisspeltLabel(Rule):
    """ラベルの名称が様式のものと一、二文字違う (a bracket label one or two characters off the format's).

    Its documentation, in Japanese and English, is rules/docs/PC403.yaml
    (``plancheck rule PC403``).
    """

    code = "PC403"
    name = "misspelt-label"
    severity = "warning"
    fixable = SAFE

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        profile = context.profile
        assert profile is not None
        known = set(profile.labels) | profile.statement_names
        for label in plan_labels(plan):
            if label.label in known:
                continue
            if any(misspelling(label.label, name) for name in profile.statement_names):
                continue  # a statement written a little off: PC401's
            near = [n for n in profile.labels if misspelling(label.label, n)]
            if near:
                # the intended label is certain only when the label is a near miss of one only
                fix = label_fix(plan, label, near[0]) if len(near) == 1 else None
                yield self.report(context, label.span, fix=fix, written=label.label, label=near[0])


def label_fix(plan: Plan, label: Label, official: str) -> Fix | None:
    """A safe fix writing 【official】 for the misspelt label (the text after 】 stays)."""
    edit = edit_at(
        plan, label.span.line, label.span.column, f"【{label.label}】", f"【{official}】"
    )
    return Fix((edit,), SAFE) if edit else None


def plan_labels(plan: Plan) -> Iterator[Label]:
    """Every bracket label of the plan, in document order."""
    for top in (*plan.preamble, *plan.sections):
        if isinstance(top, Label):
            yield top
        if isinstance(top, (Section, Item)):
            yield from (node for node in top.descendants() if isinstance(node, Label))


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    return [MissingStatement, EmptyStatement, MisspeltLabel]
