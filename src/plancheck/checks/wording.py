"""Text and cross-reference rules: template blanks, dangling 「…に同じ」, official terms (data:
rules/terms.yaml), support-measure codes and the 総事業費 of ⑦ (PC501–PC505)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from plancheck.api import resources
from plancheck.api.fixes import SAFE, UNSAFE, Fix
from plancheck.api.hookspecs import hookimpl
from plancheck.api.rule import Context, Finding, Rule
from plancheck.api.vocabulary import (
    CIRCLED,
    era_pattern,
    not_applicable,
    placeholder_marks,
    placeholder_pattern,
)
from plancheck.checks.period import plan_periods
from plancheck.checks.rulepack import packaged_rules
from plancheck.model import dates
from plancheck.model.layout import SUPPORT_CODE, BlockItem, MeasureBlock, layout
from plancheck.model.profiles import edit_distance, misspelling
from plancheck.parsing.ast import (
    Enumeration,
    Item,
    Label,
    Paragraph,
    Plan,
    Section,
    Span,
    Table,
    full_text,
)
from plancheck.parsing.normalize import Line

PLAN = ("地域再生計画",)

# A line of the plan is known by where it starts (original line, original column): every
# non-blank normalised line opens one node or table row whose span starts there (Plan.lines_under).
Key = tuple[int, int]
Container = Section | Item | Label


def _line_key(line: Line) -> Key:
    return (line.number, line.column(0))


def _keys(node: Container | Paragraph | Enumeration | Table) -> set[Key]:
    """The keys of the lines of ``node`` and of everything under it."""
    return {(span.line, span.column) for _, span in node.lines()}


def _span(line: Line, start: int, end: int) -> Span:
    """The original span of ``line.text[start:end]``: Plan.find_span for a needle that may recur."""
    return Span(
        line.number, line.column(start), line.number, line.column(max(end, start + 1) - 1) + 1
    )


# --- PC501 ----------------------------------------------------------------------------------

_ERA = era_pattern()  # the era names of rules/eras.yaml
# A date with a slot that may be empty: 「年 月 日」「2024年 月 日」「令和 年 月」. A date without
# 日 must end where a blank would (「年 月から」), so that 「30年 月額」 is not a date.
# Every run of spaces is possessive (``[ ]*+``): what follows one is never a space, so giving
# spaces back never finds another match, and two runs around an empty ``\d{0,2}`` would otherwise
# try every split of a long run (quadratic, cubic when tried from every space of the run).
_YEAR = rf"(?:(?:{_ERA}[ ]*+)?(?:\d{{1,4}}|元)[ ]*+|{_ERA}[ ]*+)?年"
_DATE = rf"{_YEAR}[ ]*+\d{{0,2}}[ ]*+月(?:[ ]*+\d{{0,2}}[ ]*+日|(?=$|[ ~〜)\-、。]|から|まで))"
# A match starts at an era, or anywhere but inside a run of spaces (``(?<![ ])``): from the first
# space of a run it is found already, and trying every later space would rescan the run.
_ONE_DATE = re.compile(
    rf"(?:(?P<era>{_ERA})|(?<![ ]))[ ]*+(?P<year>\d{{1,4}}|元)?[ ]*+年[ ]*+(?P<month>\d{{0,2}})"
    r"[ ]*+月(?:[ ]*+(?P<day>\d{0,2})[ ]*+(?P<has_day>日))?"
)
_PLACEHOLDER = re.compile(
    rf"(?P<date>{_DATE}(?:[ ]*+(?:から|~|〜|-)[ ]*+{_DATE})?)"
    rf"|{_ERA}[ ]++年"
    rf"|{placeholder_pattern()}"
)
# A cheap test a line must pass before the full pattern runs: a 年 without its number, a 月 or 日
# without theirs, or a doubled symbol (keeps PC501 fast on the many lines that carry dates).
# 「(?:^|[^\d元])[ ]*年」 is a 年 not right after a digit or 元 (a space before it is such a
# character), written so that it is not tried from every space of a long run.
_MARKS = re.escape(placeholder_marks())
_BLANK_MARK = re.compile(f"[年月日{_MARKS}]")
_MAY_HAVE_BLANK = re.compile(rf"(?<![\d元])年|年[ ]*+月|月[ ]*+日|[{_MARKS}]{{2}}")
# 「(1)」「(2)」: one project of a list such as 5-3-2, each with its own ア/イ/ウ template.
_NUMBERED_PART = re.compile(r"\(\d{1,2}\)")


def _is_blank_date(text: str, before: str) -> bool:
    dates = list(_ONE_DATE.finditer(text))
    if not dates:
        return False
    if not dates[0]["era"] and not dates[0]["year"] and before.isalnum():
        return False  # 「生年月日」「毎年7月1日」: a word, not a date with its year left blank
    return any(
        not date["year"] or not date["month"] or (date["has_day"] and not date["day"])
        for date in dates
    )


def _parts(container: Container) -> list[list[tuple[set[Key], str]]]:
    """The container's own lines split at 「(1)」「(2)」…; each part lists (line keys, text)."""
    heading = container.text if isinstance(container, Label) else container.title
    parts: list[list[tuple[set[Key], str]]] = [
        [({(container.span.line, container.span.column)}, heading)]
    ]
    for child in container.children:
        if isinstance(child, (Section, Item, Label)):
            continue  # a nested container has parts of its own
        if isinstance(child, Enumeration) and _NUMBERED_PART.fullmatch(child.marker):
            parts.append([])
        first_line = next((text for text, _ in child.lines()), "")
        parts[-1].append((_keys(child), first_line))
    return parts


def _not_applicable_keys(plan: Plan) -> set[Key]:
    """Lines of parts whose heading or first line says 該当なし: template left unused on purpose."""
    keys: set[Key] = set()
    for node in plan.walk():
        if not isinstance(node, (Section, Item, Label)):
            continue
        for part in _parts(node):
            if any(not_applicable().search(text.replace(" ", "")) for _, text in part[:2]):
                for line_keys, _ in part:
                    keys |= line_keys
    return keys


class UnfilledPlaceholder(Rule):
    """様式の空欄（「年 月 日」「〇〇」など）が残っている (a template blank was left unfilled).

    Its documentation, in Japanese and English, is rules/docs/PC501.yaml
    (``plancheck rule PC501``).
    """

    code = "PC501"
    name = "unfilled-placeholder"
    severity = "warning"
    document_types = PLAN

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        candidates = [
            line
            for line in plan.lines
            if _BLANK_MARK.search(line.text)
            and _MAY_HAVE_BLANK.search(line.text)
            and _PLACEHOLDER.search(line.text)
        ]
        if not candidates:
            return  # the common case: no blank anywhere, no need to map the 該当なし parts
        unused = _not_applicable_keys(plan)
        for line in candidates:
            if _line_key(line) in unused:
                continue
            for match in _PLACEHOLDER.finditer(line.text):
                before = line.text[: match.start()][-1:]
                if match["date"] and not _is_blank_date(match["date"], before):
                    continue
                yield self.report(context, _span(line, *match.span()), blank=match[0])


# --- PC502 ----------------------------------------------------------------------------------

_SECTION_NUMBER = r"\d{1,2}(?:-\d{1,2}){0,2}(?![\d.,])"
_LABELS = r"【[^】]{1,60}】(?:[ ]*(?:及び|並びに|、|・|,)[ ]*【[^】]{1,60}】)*"
_TARGET = rf"{_SECTION_NUMBER}(?:[ ]*の[ ]*[{CIRCLED}])?(?:[ ]*の[ ]*{_LABELS})?"
# Not a section number when glued to what comes before: a longer number or date, 「(3)」, or a
# numbered thing named by a kanji, katakana or Latin word (表1, 別紙3, 第5条, KPI1). Hiragana
# before it is a particle (「は4-2の…」「及び5-3の…」).
_REFERENCE = re.compile(
    r"(?<![0-9A-Za-z.,\-(/~\u30a0-\u30ff\u3400-\u9fff])"
    rf"{_TARGET}(?:[ ]*(?:及び|並びに|、|,)[ ]*{_TARGET})*"
    r"(?:[ ]*(?P<verb>に同じ|と同じ|に掲げる|のとおり|の通り))?"
)
_ONE_TARGET = re.compile(
    rf"(?P<section>\d{{1,2}}(?:-\d{{1,2}}){{0,2}})(?:[ ]*の[ ]*(?P<item>[{CIRCLED}]))?"
    rf"(?:[ ]*の[ ]*(?P<labels>{_LABELS}))?"
)
_LABEL_NAME = re.compile(r"【([^】]{1,60})】")
# A line can hold a reference only if it has a verb or names an item or label after の.
_MAY_REFER = re.compile(rf"同じ|掲げる|とおり|通り|の[ ]*[{CIRCLED}【]")


def _names_a_part(target: re.Match[str]) -> bool:
    """Without 「に同じ」 and the like, only 「5-2 の⑥」「4-2の【…】」 are sure to be references:
    a sub-section number with an item or a label (「全体で3の【A】」 may be anything)."""
    return "-" in target["section"] and bool(target["item"] or target["labels"])


def _label_names(nodes: Iterator[object]) -> set[str]:
    return {node.label.replace(" ", "") for node in nodes if isinstance(node, Label)}


class DanglingReference(Rule):
    """「…に同じ」などの参照先の節・項目・ラベルがない (a cross-reference points at nothing).

    Its documentation, in Japanese and English, is rules/docs/PC502.yaml
    (``plancheck rule PC502``).
    """

    code = "PC502"
    name = "dangling-reference"
    severity = "error"
    document_types = PLAN
    fixable = UNSAFE

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        for line in plan.lines:
            if not _MAY_REFER.search(line.text):
                continue  # cheap test first: most lines refer to nothing
            for match in _REFERENCE.finditer(line.text):
                for target in _ONE_TARGET.finditer(line.text, match.start(), match.end()):
                    if match["verb"] or _names_a_part(target):
                        yield from self._resolve(plan, context, line, match[0], target)

    def _resolve(
        self, plan: Plan, context: Context, line: Line, reference: str, target: re.Match[str]
    ) -> Iterator[Finding]:
        number, item_number = target["section"], target["item"]
        section = plan.section(number)
        if section is None:
            span = _span(line, *target.span("section"))
            yield self.report(context, span, "section", reference=reference, section=number)
            return
        owner: Section | Item = section
        if item_number:
            item = section.find_item(item_number)
            if item is None:
                span = _span(line, *target.span("item"))
                yield self.report(
                    context, span, "item", reference=reference, section=number, item=item_number
                )
                return
            owner = item
        present = _label_names(iter(owner.children) if item_number else section.descendants())
        assert context.profile is not None
        known = set(context.profile.labels) | context.profile.statement_names
        offset = target.start("labels")
        for label in _LABEL_NAME.finditer(target["labels"] or ""):
            name = label[1].replace(" ", "")
            if name in present:
                continue
            near = [p for p in present if misspelling(p, name) or misspelling(name, p)]
            # the label there written a little off (【検証次期】 for the format's 【検証時期】) is
            # reported where it is (PC403); a reference written off (【検証方訪】) is reported here
            if name in known and any(p not in known for p in near):
                continue
            nearest = near[0] if len(near) == 1 else _nearest_label(name, present)
            edit = None
            if nearest is not None:
                edit = plan.edit(line, offset + label.start(1), offset + label.end(1), nearest)
            yield self.report(
                context,
                _span(line, offset + label.start(), offset + label.end()),
                "label",
                fix=Fix((edit,), UNSAFE) if edit else None,
                reference=reference,
                owner=f"{number} {item_number}" if item_number else number,
                label=name,
            )


def _nearest_label(name: str, present: set[str]) -> str | None:
    """The one label there that a dangling 【name】 may have meant, else None (no guess): a label
    with the other's characters in order and within half the longer one's characters of it (a
    label renamed by a few words, 【効果検証の方法】 for 【検証方法】)."""
    near = [
        label
        for label in present
        if (_in_order(name, label) or _in_order(label, name))
        and edit_distance(name, label) <= max(len(name), len(label)) // 2
    ]
    return near[0] if len(near) == 1 else None


def _in_order(short: str, long: str) -> bool:
    """Whether every character of ``short`` appears in ``long``, in the same order."""
    rest = iter(long)
    return all(character in rest for character in short)


# --- PC503 ----------------------------------------------------------------------------------

# PC503 (terminology) is data: rules/terms.yaml, a rule pack built by checks/rulepack.py's terms
# kind, returned by this module's hook below like the rules written in Python.


# --- PC504 ----------------------------------------------------------------------------------


def _codes(lines: list[Line]) -> list[tuple[Line, re.Match[str]]]:
    return [(line, match) for line in lines for match in SUPPORT_CODE.finditer(line.text)]


class UnknownSupportCode(Rule):
    """支援措置の番号が登録にない、またはブロックの見出しと ⑦ で異なる (unknown or inconsistent code).

    Its documentation, in Japanese and English, is rules/docs/PC504.yaml
    (``plancheck rule PC504``).
    """

    code = "PC504"
    name = "unknown-support-code"
    severity = "warning"
    document_types = PLAN

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        registry = resources.load_checked_yaml("support_codes.yaml", "support_codes.schema.json")
        assert context.profile is not None
        known = set(registry["codes"]) | {c for k in context.profile.kinds for c in k.codes}
        if not SUPPORT_CODE.search(plan.derived(full_text)):
            return
        for line, match in _codes(plan.lines):
            if match[1] not in known:
                yield self.report(
                    context,
                    _span(line, *match.span()),
                    "unknown",
                    code=match[1],
                    known=", ".join(sorted(known)),
                )
        for block in layout(plan, context.profile).blocks:
            yield from self._compare(plan, context, block)

    def _compare(self, plan: Plan, context: Context, block: MeasureBlock) -> Iterator[Finding]:
        """The code an item repeats (⑦ of a 推進交付金 block) against the block's label."""
        expected = {code for code, _ in block.codes}
        match = next((m for m in block.matches if m.spec.states_code and m.item), None)
        if not expected or match is None or match.item is None:
            return
        shown = "】【".join(sorted(expected))
        in_item = _codes(plan.lines_under(match.item))
        if not in_item:
            yield self.report(
                context,
                match.item.span,
                "missing",
                expected=shown,
                item=block.where(match),
                section=block.number,
            )
        for line, found in in_item:
            if found[1] not in expected:
                yield self.report(
                    context,
                    _span(line, *found.span()),
                    "mismatch",
                    code=found[1],
                    expected=shown,
                    item=block.where(match),
                    section=block.number,
                )


# --- PC505 ----------------------------------------------------------------------------------

# 「総事業費 N千円」「総事業費：N千円」「総事業費は N千円」; 「総事業費の内訳…」 is prose, not the figure.
_TOTAL = re.compile(r"総事業費(?![のをにがとでや])[ ]*(?:は|:)?[ ]*")
_AMOUNT = re.compile(r"(?P<amount>\d[\d,]*(?:\.\d+)?)?[ ]*(?P<unit>[十百千万億]*円)?")
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?")
# The figure of 寄附の金額の目安: the first amount of money in the item (group ``figure``), also
# one written in parts (「1億2千万円」, read whole as 総事業費's is). Tried only from the start of a
# run of digits, commas and units: from a later digit of the run it matches exactly when it does
# from the run's first digit, and trying every digit would rescan the run.
_FIGURE = re.compile(
    r"(?<![\d,十百千万億]),*+(?P<figure>\d[\d,]*+(?:\.\d+)?+"
    r"(?:[ ]*+[十百千万億]++\d[\d,]*+(?:\.\d+)?+)*+[ ]*+[十百千万億]*+円)"
)
# What is written after 「総事業費」, to its first space, 、, 。 or (, at most 200 characters: a
# line of thousands of 「総事業費」 has as many findings, and each would otherwise scan and carry
# the rest of the line (quadratic time and memory).
_WORD = re.compile(r"[^\s、。(]{0,200}")
# How many 千円 one unit is, to show the figure the plan should write.
_PER_THOUSAND_YEN = {
    "円": Decimal("0.001"),
    "十円": Decimal("0.01"),
    "百円": Decimal("0.1"),
    "万円": Decimal(10),
    "十万円": Decimal(100),
    "百万円": Decimal(1000),
    "千万円": Decimal(10000),
    "億円": Decimal(100000),
}


def _thousands(number: Decimal) -> str:
    if number == number.to_integral_value():
        return f"{number:,.0f}"
    return f"{number.normalize():,f}"


# what a figure checked by PC505 is, and how it is written correctly
_COST = ("総事業費", "「総事業費 120,000千円」")
_DONATION = ("寄附の金額の目安", "「120,000千円（2022年度～2026年度累計）」")


class CostFormat(Rule):
    """総事業費・寄附の金額の目安がない、数値でない、千円単位でない (総事業費 or 寄附の金額の目安 missing, not a number, not in 千円).

    Its documentation, in Japanese and English, is rules/docs/PC505.yaml
    (``plancheck rule PC505``).
    """

    code = "PC505"
    name = "cost-format"
    severity = "warning"
    document_types = PLAN
    fixable = SAFE

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        assert context.profile is not None
        for block in layout(plan, context.profile).blocks:
            cost = block.item("cost")
            if cost is not None and cost.item is not None:
                yield from self._check_cost(plan, context, block.where(cost), cost.item)
            donation = block.item("donation_estimate")
            if donation is not None and donation.item is not None:
                yield from self._check_donation(plan, context, block, donation)

    def _check_cost(
        self, plan: Plan, context: Context, where: str, item: Item
    ) -> Iterator[Finding]:
        lines = plan.lines_under(item)
        stated = False
        for index, line in enumerate(lines):
            for total in _TOTAL.finditer(line.text):
                stated = True
                value_line, start = line, total.end()
                if start == len(line.text) and index + 1 < len(lines):
                    value_line, start = lines[index + 1], 0  # the figure on the next line
                yield from self._check_value(plan, context, value_line, start, _COST)
        if not stated:
            yield self.report(context, item.span, "missing", item=where)

    def _check_donation(
        self, plan: Plan, context: Context, block: MeasureBlock, donation: BlockItem
    ) -> Iterator[Finding]:
        """寄附の金額の目安: a figure in 千円, and the fiscal years it covers within the block's
        事業実施期間 (「348,688千円（2022年度～2026年度累計）」)."""
        assert donation.item is not None and context.profile is not None
        where = block.where(donation)
        lines = plan.lines_under(donation.item)
        figure = next(((line, m) for line in lines if (m := _FIGURE.search(line.text))), None)
        if figure is None:
            yield self.report(context, donation.item.span, "donation_missing", item=where)
            return
        line, match = figure
        yield from self._check_value(plan, context, line, match.start("figure"), _DONATION)
        span = _span(line, match.start("figure"), len(line.text))
        years = dates.read_period(line.text[match.end("figure") :])
        project = block.item("project_period")
        placed = next(
            (
                p
                for p in plan_periods(plan, context.profile).projects
                if project is not None and p.node is project.item
            ),
            None,
        )
        period = placed.first()[0] if placed else None
        if years is None or period is None or years.is_reversed or period.is_reversed:
            return
        late = years.end and period.end and years.end > period.end
        early = years.start and period.start and years.start < period.start
        if late or early:
            yield self.report(
                context,
                span,
                "donation_years",
                item=where,
                years=years.text,
                project=placed.where if placed else "",
                period=period.text,
            )

    def _check_value(
        self, plan: Plan, context: Context, line: Line, start: int, stated: tuple[str, str]
    ) -> Iterator[Finding]:
        """The figure at ``start``: a number in 千円. ``stated``: what it is and an example."""
        what, example = stated
        word = _WORD.match(line.text, start)
        value = word[0] if word else ""
        amount = _AMOUNT.match(line.text, start)
        assert amount is not None  # every group is optional
        number, unit = amount["amount"], amount["unit"]
        if not value:
            yield self.report(
                context, _span(line, start, start), "no_figure", what=what, example=example
            )
            return
        if not number or not _NUMBER.fullmatch(number):
            yield self.report(
                context,
                _span(line, start, start + len(value)),
                "not_number",
                value=value,
                what=what,
                example=example,
            )
            return
        if unit == "千円":
            return
        compound = _COMPOUND.match(line.text, start)
        in_parts = _compound_thousands(compound[0]) if compound and not unit else None
        if compound is not None and in_parts is not None:
            # 「1億2千万円」: the number reads to its last 円, in 千円 as one figure
            converted, end = in_parts, compound.end()
        else:
            factor = _PER_THOUSAND_YEN.get(unit or "")
            end = amount.end()
            if factor is None:
                span = _span(line, start, end)
                yield self.report(context, span, "no_unit", value=amount[0], what=what)
                return
            converted = Decimal(number.replace(",", "")) * factor
        written = line.text[start:end]
        fix = None
        if converted == converted.to_integral_value():  # 130.8千円 would be a new precision
            edit = plan.edit(line, start, end, f"{_thousands(converted)}千円")
            fix = Fix((edit,), SAFE) if edit else None
        yield self.report(
            context,
            _span(line, start, end),
            "unit",
            fix=fix,
            value=written,
            converted=_thousands(converted),
            what=what,
        )


# 「1億2千万円」「3億5,000万円」「2千5百万円」: a number in parts, each digits and a unit (億, 万,
# 千万 …), the last part's unit optional; read only when every part is a smaller unit than the one
# before it (:func:`_compound_thousands`)
_PART = r"\d[\d,]*+(?:\.\d+)?+"
_COMPOUND = re.compile(rf"(?:{_PART}(?:[十百千][億万]?|[億万])){{1,4}}(?:{_PART})?円")
_PART_READ = re.compile(rf"(?P<n>{_PART})(?P<small>[十百千]?)(?P<big>[億万]?)")
_SMALL = {"": 1, "十": 10, "百": 100, "千": 1000}
_BIG = {"": 1, "万": 10**4, "億": 10**8}


def _compound_thousands(text: str) -> Decimal | None:
    """A number written in parts (「1億2千万円」) in 千円 (120000), or None when its parts are not
    in descending units (「2千万1億円」) or it has one part only (「1億円」, a plain unit)."""
    total, previous, parts = Decimal(0), None, 0
    for part in _PART_READ.finditer(text.removesuffix("円")):
        scale = _SMALL[part["small"]] * _BIG[part["big"]]
        if previous is not None and scale >= previous:
            return None
        total += Decimal(part["n"].replace(",", "")) * scale
        previous, parts = scale, parts + 1
    return total / 1000 if parts > 1 else None


@hookimpl
def plancheck_rules() -> list[type[Rule]]:
    terminology = packaged_rules("terms.yaml", "terms.schema.json", module=__name__)
    return [UnfilledPlaceholder, DanglingReference, *terminology, UnknownSupportCode, CostFormat]
