"""Format profiles: load the YAML definitions, validate them, and detect which one a plan follows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from plancheck import resources
from plancheck.hookspecs import hookimpl

BUILTIN_PROFILES = ("chiiki-saisei-2016", "chiiki-saisei-2017", "chiiki-saisei-2021")


class ProfileError(Exception):
    """A profile definition that is invalid (bad YAML shape, unknown parent)."""


@dataclass(frozen=True)
class Heading:
    """A section or item the profile expects: its number and official title."""

    number: str
    title: str
    required: bool = True


@dataclass(frozen=True)
class Profile:
    """A document format: how to recognise it and what it must contain."""

    name: str
    description: Mapping[str, str]
    document_type: str
    priority: int
    identify_patterns: tuple[re.Pattern[str], ...]
    identify_minimum: int
    markers: tuple[tuple[re.Pattern[str], int], ...]
    sections: tuple[Heading, ...]
    items_section: str | None
    items: tuple[Heading, ...]
    statements: Mapping[str, Any] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)


def builtin_definitions() -> list[dict[str, Any]]:
    return [resources.load_yaml(f"profiles/{name}.yaml") for name in BUILTIN_PROFILES]


@hookimpl
def plancheck_profiles() -> list[dict[str, Any]]:
    return builtin_definitions()


def validate_definition(definition: Any) -> None:
    """Raise ProfileError naming the offending key if ``definition`` breaks the profile schema."""
    problem = resources.schema_error(definition, "profile.schema.json")
    if problem:
        name = definition.get("name", "?") if isinstance(definition, dict) else "?"
        raise ProfileError(f"profile {name!r}: {problem}")


def build_profiles(
    definitions: Iterable[dict[str, Any]], on_error: Callable[[ProfileError], None] | None = None
) -> dict[str, Profile]:
    """Validate definitions, resolve ``extends`` and return profiles by name.

    Without ``on_error`` an invalid definition raises :class:`ProfileError`; with it, the error is
    handed over and that profile is skipped (a broken plugin must not stop a run).
    """
    raw: dict[str, dict[str, Any]] = {}
    profiles: dict[str, Profile] = {}
    for definition in definitions:
        try:
            validate_definition(definition)
        except ProfileError as error:
            if on_error is None:
                raise
            on_error(error)
            continue
        raw[definition["name"]] = definition
    for name in raw:
        try:
            profiles[name] = _build(_resolve(name, raw, ()))
        except ProfileError as error:
            if on_error is None:
                raise
            on_error(error)
    return profiles


def _resolve(name: str, raw: Mapping[str, dict[str, Any]], seen: tuple[str, ...]) -> dict[str, Any]:
    if name in seen:
        raise ProfileError(f"profile {name!r}: 'extends' loops through {' → '.join(seen)}")
    definition = raw.get(name)
    if definition is None:
        raise ProfileError(f"profile {seen[-1]!r} extends unknown profile {name!r}")
    parent = definition.get("extends")
    if parent is None:
        return dict(definition)
    return {**_resolve(parent, raw, (*seen, name)), **definition}


def _build(definition: dict[str, Any]) -> Profile:
    detection = definition.get("detection", {"identify": {"minimum": 1, "patterns": []}})
    omitted = set(definition.get("without_sections", []))
    items = definition.get("items", {})
    return Profile(
        name=definition["name"],
        description=definition["description"],
        document_type=definition.get("document_type", definition["name"]),
        priority=definition.get("priority", 0),
        identify_patterns=tuple(_compile(p) for p in detection["identify"]["patterns"]),
        identify_minimum=detection["identify"]["minimum"],
        markers=tuple((_compile(m["pattern"]), m["weight"]) for m in detection.get("markers", [])),
        sections=tuple(
            _heading(entry)
            for entry in definition.get("sections", [])
            if entry["number"] not in omitted
        ),
        items_section=items.get("section"),
        items=tuple(_heading(entry) for entry in items.get("list", [])),
        statements=definition.get("statements", {}),
        settings=definition.get("settings", {}),
    )


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.MULTILINE)
    except re.error as error:
        raise ProfileError(f"invalid pattern {pattern!r}: {error}") from error


def _heading(entry: Mapping[str, Any]) -> Heading:
    return Heading(entry["number"], entry["title"], entry.get("required", True))


def detect(profiles: Mapping[str, Profile], text: str) -> Profile | None:
    """The profile whose document type the text identifies with the best marker score, or None."""
    hits: dict[str, bool] = {}  # profiles share most patterns: search each once

    def found(pattern: re.Pattern[str]) -> bool:
        if pattern.pattern not in hits:
            hits[pattern.pattern] = pattern.search(text) is not None
        return hits[pattern.pattern]

    def identified(profile: Profile) -> bool:
        return sum(map(found, profile.identify_patterns)) >= profile.identify_minimum

    candidates = [profile for profile in profiles.values() if identified(profile)]
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda p: (sum(weight for pattern, weight in p.markers if found(pattern)), p.priority),
    )
