"""The plugin host: built-in modules and entry-point plugins registered on one pluggy manager."""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from typing import Any

import pluggy

from plancheck.api import hookspecs
from plancheck.api.rule import Rule
from plancheck.api.version import __version__
from plancheck.model.profiles import (
    MeasureKind,
    Profile,
    build_measure_kinds,
    build_profiles,
    missing_statement_sets,
)

ENTRY_POINT_GROUP = "plancheck"
AUTOLOAD_OFF = "PLANCHECK_DISABLE_PLUGIN_AUTOLOAD"

# Built-ins are plugins like any other (as pytest's essential plugins): registered through hooks.
BUILTIN_PLUGINS = (
    "plancheck.reading.word",
    "plancheck.reading.pdf",
    "plancheck.reading.source",
    "plancheck.model.profiles",
    "plancheck.checks.run",
    "plancheck.checks.characters",
    "plancheck.checks.structure",
    "plancheck.checks.kpi",
    "plancheck.checks.statements",
    "plancheck.checks.period",
    "plancheck.checks.wording",
    "plancheck.output.plain",
    "plancheck.output.json",
    "plancheck.output.sarif",
    "plancheck.output.junit",
    "plancheck.output.github",
    "plancheck.output.csv",
    "plancheck.output.xlsx",
    "plancheck.output.html",
)

_RULE_CODE = re.compile(r"^[A-Z]{2,}\d+$")


@dataclass(frozen=True)
class PluginInfo:
    """What ``plancheck plugins`` shows about one registered plugin."""

    name: str
    version: str
    builtin: bool
    rules: tuple[str, ...]
    profiles: tuple[str, ...]
    measure_kinds: tuple[str, ...] = ()


class PluginHost:
    """Loads plugins once and answers what they provide: rules, profiles, readers, formats."""

    def __init__(
        self,
        *,
        load_entry_points: bool | None = None,
        extra_plugins: tuple[Any, ...] = (),
        disabled: tuple[str, ...] = (),
    ):
        """``load_entry_points`` None: load installed plugins unless the environment variable
        ``PLANCHECK_DISABLE_PLUGIN_AUTOLOAD`` is set (for reproducible batch runs).
        ``disabled``: plugin names (entry-point names or built-in module names) to leave out."""
        self.manager = pluggy.PluginManager(ENTRY_POINT_GROUP)
        self.manager.add_hookspecs(hookspecs)
        self.problems: list[tuple[str, str]] = []  # (plugin name, error) shown on stderr
        self._versions: dict[str, str] = {}
        for name in disabled:
            self.manager.set_blocked(name)
        for name in BUILTIN_PLUGINS:
            if not self.manager.is_blocked(name):
                self.manager.register(importlib.import_module(name), name=name)
        if load_entry_points is None:
            load_entry_points = not os.environ.get(AUTOLOAD_OFF)
        if load_entry_points:
            self._load_entry_points()
        for plugin in extra_plugins:
            self.manager.register(plugin)

    def _load_entry_points(self) -> None:
        for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
            if self.manager.is_blocked(entry_point.name):
                continue
            try:
                plugin = entry_point.load()
                self.manager.register(plugin, name=entry_point.name)
            except Exception as error:  # a broken plugin is reported and skipped, never fatal
                self.problems.append((entry_point.name, f"{type(error).__name__}: {error}"))
                continue
            dist = entry_point.dist
            self._versions[entry_point.name] = dist.version if dist else "?"

    @cached_property
    def rules(self) -> list[Rule]:
        """One instance of every rule, in code order; invalid or duplicate codes are skipped."""
        by_code: dict[str, Rule] = {}
        for plugin, rule_classes in self._each("plancheck_rules"):
            for rule_class in rule_classes:
                code = getattr(rule_class, "code", "")
                reserved = code.startswith("PC") and plugin not in BUILTIN_PLUGINS
                if not _RULE_CODE.match(code) or code in by_code or reserved:
                    problem = "reserved (PC is plancheck's)" if reserved else "invalid or duplicate"
                    self.problems.append((plugin, f"{problem} rule code {code!r}"))
                    continue
                by_code[code] = rule_class()
        return [by_code[code] for code in sorted(by_code)]

    def _each(self, hook_name: str) -> list[tuple[str, Any]]:
        """Call one hook plugin by plugin: a plugin whose hook raises is reported and skipped,
        the others still count (pluggy alone would stop at the first error)."""
        answers = []
        for implementation in getattr(self.manager.hook, hook_name).get_hookimpls():
            try:
                answer = implementation.function()
            except Exception as error:  # a broken plugin is reported and skipped, never fatal
                self.problems.append(
                    (implementation.plugin_name, f"{type(error).__name__}: {error}")
                )
                continue
            if answer is not None:
                answers.append((implementation.plugin_name, answer))
        return answers

    def load(self) -> list[tuple[str, str]]:
        """Resolve rules and profiles now; return every (plugin, problem) met while loading."""
        _ = (self.rules, self.measure_kinds, self.profiles)
        return self.problems

    def rule(self, code: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.code == code), None)

    @cached_property
    def measure_kinds(self) -> list[MeasureKind]:
        definitions = [d for _, result in self._each("plancheck_measure_kinds") for d in result]
        return build_measure_kinds(
            definitions, on_error=lambda e: self.problems.append(("measure kind", str(e)))
        )

    @cached_property
    def profiles(self) -> dict[str, Profile]:
        definitions = [d for _, result in self._each("plancheck_profiles") for d in result]
        profiles = build_profiles(
            definitions,
            self.measure_kinds,
            on_error=lambda e: self.problems.append(("profile", str(e))),
        )
        # a statements item whose set is nowhere defined would be checked by nothing: say so
        for profile in profiles.values():
            self.problems.extend(
                ("profile", problem) for problem in missing_statement_sets(profile)
            )
        return profiles

    @cached_property
    def formats(self) -> dict[str, Any]:
        formats: dict[str, Any] = {}
        for _, result in self._each("plancheck_formats"):  # later plugins override built-ins
            formats.update(result)
        return formats

    def read(self, path: str, data: bytes) -> Any:
        return self.manager.hook.plancheck_read(path=path, data=data)

    def describe(self) -> list[PluginInfo]:
        """Every registered plugin with its version and what it adds."""
        rules = {
            name: tuple(sorted(r.code for r in found))
            for name, found in self._each("plancheck_rules")
        }
        profiles = {
            name: tuple(p.get("name", "?") for p in found)
            for name, found in self._each("plancheck_profiles")
        }
        kinds = {
            name: tuple(k.get("name", "?") for k in found)
            for name, found in self._each("plancheck_measure_kinds")
        }
        infos = []
        for name, _ in self.manager.list_name_plugin():
            infos.append(
                PluginInfo(
                    name=name,
                    version=self._versions.get(name, __version__),
                    builtin=name in BUILTIN_PLUGINS,
                    rules=rules.get(name, ()),
                    profiles=profiles.get(name, ()),
                    measure_kinds=kinds.get(name, ()),
                )
            )
        return infos
