"""Rule packs: rules written as YAML data (official terms, required 【labels】, required sections)
become rule classes, so a plugin of such rules needs no Python beyond its hook (docs/plugins.md).
plancheck's own PC503 is built the same way, from rules/terms.yaml (:func:`packaged_rules`)."""

from __future__ import annotations

import os
import re
import string
from abc import abstractmethod
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from plancheck.api.fixes import SAFE, Fix
from plancheck.api.resources import (
    DataError,
    YamlError,
    load_checked_yaml,
    read_yaml_file,
    schema_error,
)
from plancheck.api.rule import Context, Finding, Rule
from plancheck.parsing.ast import Label, Plan, Section, Span, full_text
from plancheck.parsing.normalize import normalize_line

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


class RulePackError(DataError):
    """A rule pack (or a plugin's profile file) that cannot be read or breaks its schema."""


def _normalised(text: str) -> str:
    """The text as rules see the plan: full-width digits and brackets folded like the plan's."""
    return "".join(line.text for line in normalize_line(text, 1))


class PackRule(Rule):
    """A rule built from a rule pack entry; ``profiles`` narrows it to some profiles by name."""

    profiles: ClassVar[tuple[str, ...]] = ()
    #: the names a message of this kind may use, and its message when the pack gives none
    placeholders: ClassVar[tuple[str, ...]] = ()
    default_message: ClassVar[Mapping[str, str]] = {}

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        if self.profiles and (context.profile is None or context.profile.name not in self.profiles):
            return iter(())
        return self.findings(plan, context)

    @abstractmethod
    def findings(self, plan: Plan, context: Context) -> Iterator[Finding]:
        """The findings of the rule, once ``check`` has found that it applies."""


class TermRule(PackRule):
    """``kind: terms``: each ``wrong`` wording found in the text is reported with its ``official``,
    and replaced by it with ``--fix`` (a safe fix: the pack says which term is meant)."""

    #: (wrong, official, note) with the wordings normalised like the plan text
    terms: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    placeholders = ("wrong", "official", "note")
    fixable = SAFE
    default_message = {
        "ja": "「{wrong}」は正式な用語ではありません。「{official}」と記載してください{note}",
        "en": "「{wrong}」 is not the official term; write 「{official}」",
    }

    def findings(self, plan: Plan, context: Context) -> Iterator[Finding]:
        text = plan.derived(full_text)
        present = [term for term in self.terms if term[0] in text]  # most plans have none
        for line in plan.lines if present else ():
            for wrong, official, note in present:
                start = line.text.find(wrong)
                while start >= 0:
                    end = start + len(wrong) - 1
                    span = Span(line.number, line.column(start), line.number, line.column(end) + 1)
                    shown = f"（{note}）" if note else ""
                    edit = plan.edit(line, start, start + len(wrong), official)
                    fix = Fix((edit,), SAFE) if edit else None
                    yield self.report(
                        context, span, fix=fix, wrong=wrong, official=official, note=shown
                    )
                    start = line.text.find(wrong, start + len(wrong))


class RequiredLabelRule(PackRule):
    """``kind: required-labels``: a section (or one of its items) must contain these 【labels】.

    A missing section or item is left to PC101 (the profile's skeleton), so it is not reported twice.
    """

    section: ClassVar[str] = ""
    item: ClassVar[str | None] = None
    labels: ClassVar[tuple[str, ...]] = ()
    placeholders = ("label", "where")
    default_message = {
        "ja": "{where} に【{label}】の記載がありません",
        "en": "{where} lacks 【{label}】",
    }

    def findings(self, plan: Plan, context: Context) -> Iterator[Finding]:
        section = plan.section(self.section)
        holder = section.item(self.item) if section is not None and self.item else section
        if holder is None:
            return
        where = f"{self.section} {self.item}" if self.item else self.section
        present = {node.label for node in holder.descendants() if isinstance(node, Label)}
        for label in self.labels:
            if label not in present:
                yield self.report(context, holder.span, label=label, where=where)


class RequiredSectionRule(PackRule):
    """``kind: required-sections``: the document must have these numbered sections."""

    sections: ClassVar[tuple[tuple[str, str], ...]] = ()
    placeholders = ("number", "title")
    default_message = {
        "ja": "「{number} {title}」の節がありません",
        "en": "Section '{number} {title}' is missing",
    }

    def findings(self, plan: Plan, context: Context) -> Iterator[Finding]:
        for number, title in self.sections:
            if plan.section(number) is None:
                yield self.report(context, _anchor(plan, number), number=number, title=title)


def _number_key(number: str) -> tuple[int, ...] | None:
    parts = number.split("-")
    return tuple(int(part) for part in parts) if all(p.isdigit() for p in parts) else None


def _anchor(plan: Plan, missing: str) -> Span:
    """Where a missing section belongs: the first present section numbered after it."""
    key = _number_key(missing)
    sections: list[Section] = sorted(plan.iter_sections(), key=lambda s: s.span.line)
    if key is not None:
        for section in sections:
            other = _number_key(section.number)
            if other is not None and other > key:
                return section.span
    return Span(plan.lines[-1].number if plan.lines else 1)


_KINDS: dict[str, type[PackRule]] = {
    "terms": TermRule,
    "required-labels": RequiredLabelRule,
    "required-sections": RequiredSectionRule,
}


def rules_from_yaml(path: str | os.PathLike[str] | Traversable) -> list[type[Rule]]:
    """The rule classes of the rule pack at ``path`` (validated against rulepack.schema.json).

    Raises :class:`RulePackError` naming the file and the offending key. Call it when the plugin
    module is imported, so that a broken pack is reported and skipped like any broken plugin.
    """
    data, origin = _load(path)
    return rules_from_data(data, origin)


def rules_from_data(data: Any, origin: str = "<rule pack>") -> list[type[Rule]]:
    """The rule classes of a rule pack already parsed from YAML (``origin`` names it in errors)."""
    problem = _foreign_key(data) or schema_error(data, "rulepack.schema.json")
    if problem:
        raise RulePackError(f"{origin}: {problem}")
    return _classes(data, origin)


def packaged_rules(relative: str, schema_name: str, module: str) -> list[type[Rule]]:
    """plancheck's own rules written as a rule pack under ``rules/`` (PC503: rules/terms.yaml),
    built like a plugin's. Their schema asks for PC codes; their messages are the catalogue's
    (rules/messages/rules.yaml) unless the pack gives one; ``module`` is the built-in module
    whose hook returns them."""
    data = load_checked_yaml(relative, schema_name)
    return _classes(data, f"rules/{relative}", module=module)


def _classes(data: Any, origin: str, module: str | None = None) -> list[type[Rule]]:
    """Classes of a valid pack; ``module`` is set for a built-in pack (see packaged_rules)."""
    default_types = data.get("document_types")
    classes: list[type[Rule]] = []
    for index, entry in enumerate(data["rules"]):
        base = _KINDS[entry["kind"]]
        message = entry.get("message", base.default_message)
        for lang, template in message.items():
            unknown = _unknown_placeholders(template, base.placeholders)
            if unknown:
                raise RulePackError(
                    f"{origin}: rules/{index}/message/{lang}: unknown placeholder {unknown}; "
                    f"a {entry['kind']} message may use {', '.join(base.placeholders)}"
                )
        types = entry.get("document_types", default_types)
        attributes: dict[str, Any] = {
            "__doc__": _documentation(entry),
            # names the pack when the host reports a clash of codes
            "__module__": module or origin,
            "code": entry["code"],
            "name": entry["name"],
            "severity": entry["severity"],
            "document_types": tuple(types) if types else None,
            "profiles": tuple(entry.get("profiles", ())),
            **_kind_attributes(entry),
        }
        if module is None or "message" in entry:
            attributes["messages"] = {"default": dict(message)}
        classes.append(type(_class_name(entry["name"]), (base,), attributes))
    return classes


# The keys only one kind has; the schema forbids them elsewhere, this says so in plain words.
_KIND_KEYS = {
    "terms": {"terms"},
    "required-labels": {"section", "item", "labels"},
    "required-sections": {"sections"},
}


def _foreign_key(data: Any) -> str | None:
    """「rules/0/labels: not a key of a terms rule」 for a key of another kind, else None."""
    entries = data.get("rules") if isinstance(data, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else ()):
        kind = entry.get("kind") if isinstance(entry, dict) else None
        if kind not in _KIND_KEYS:
            continue
        for key in sorted(set(entry) & set().union(*_KIND_KEYS.values()) - _KIND_KEYS[kind]):
            return f"rules/{index}/{key}: not a key of a {kind} rule"
    return None


def _kind_attributes(entry: Mapping[str, Any]) -> dict[str, Any]:
    if entry["kind"] == "terms":
        terms = entry["terms"]
        return {
            "terms": tuple(
                (_normalised(t["wrong"]), _normalised(t["official"]), t.get("note", ""))
                for t in terms
            )
        }
    if entry["kind"] == "required-labels":
        return {
            "section": _normalised(entry["section"]),
            "item": _normalised(entry["item"]) if "item" in entry else None,
            "labels": tuple(_normalised(label).strip("【】") for label in entry["labels"]),
        }
    return {
        "sections": tuple((_normalised(s["number"]), s["title"].strip()) for s in entry["sections"])
    }


def _unknown_placeholders(template: str, allowed: tuple[str, ...]) -> str | None:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:  # a lone brace
        return f"({error})"
    unknown = [name for name in fields if name not in allowed]
    return "{" + unknown[0] + "}" if unknown else None


def _documentation(entry: Mapping[str, Any]) -> str:
    """The class docstring, shaped like a built-in rule's (``plancheck rule CODE`` shows it)."""
    summary = entry["summary"]
    parts = [f"{summary['ja']} ({summary['en'].rstrip('.')})."]
    if "why" in entry:
        parts.append(f"Why: {entry['why']}")
    if "source" in entry:
        parts.append(f"Source: {entry['source']}")
    for title, key in (("Failing example", "fail"), ("Passing example", "pass")):
        body = "\n".join(f"    {line}" for line in entry["examples"][key].strip("\n").splitlines())
        parts.append(f"{title}::\n\n{body}")
    return "\n\n".join(parts)


def _class_name(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"-+", name))


def profiles_from_yaml(path: str | os.PathLike[str] | Traversable) -> list[dict[str, Any]]:
    """Profile definitions from a YAML file holding one profile (a mapping) or a list of them, or
    from every ``*.yaml`` of a folder.

    For a ``plancheck_profiles`` hook; the plugin host validates them against
    rules/schema/profile.schema.json and reports an invalid one instead of stopping.
    """
    return _definitions(path, "a profile or a list of profiles")


def measure_kinds_from_yaml(path: str | os.PathLike[str] | Traversable) -> list[dict[str, Any]]:
    """Measure-kind definitions from a YAML file (one kind or a list) or from every ``*.yaml`` of
    a folder, for a ``plancheck_measure_kinds`` hook; the plugin host validates them against
    rules/schema/measure.schema.json and reports an invalid one instead of stopping."""
    return _definitions(path, "a measure kind or a list of them")


def _definitions(path: str | os.PathLike[str] | Traversable, expected: str) -> list[dict[str, Any]]:
    source = Path(path) if isinstance(path, str | os.PathLike) else path
    if source.is_dir():
        files = sorted((f for f in source.iterdir() if f.name.endswith(".yaml")), key=str)
        return [entry for file in files for entry in _definitions(file, expected)]
    data, origin = _load(path)
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return data
    raise RulePackError(f"{origin}: (top level): expected {expected}")


def _load(path: str | os.PathLike[str] | Traversable) -> tuple[Any, str]:
    origin = str(path)
    try:
        return read_yaml_file(path), origin
    except YamlError as error:
        raise RulePackError(f"{origin}: {error}") from error
