"""Run the pipeline on one file: read, parse, pick a profile, run the checks, then the filters."""

from __future__ import annotations

import dataclasses
from contextlib import nullcontext
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from plancheck.api.errors import InputError
from plancheck.api.messages import message
from plancheck.api.results import FileResult
from plancheck.api.rule import Context, Finding, Rule
from plancheck.checks.run import InternalError, UnknownSuppressionCode
from plancheck.engine import selectors
from plancheck.engine.config import Settings, SettingsResolver
from plancheck.engine.filters import file_result
from plancheck.engine.plugin_host import PluginHost
from plancheck.model.profiles import Detection, Profile, detect
from plancheck.parsing.ast import Plan
from plancheck.parsing.parser import parse_source
from plancheck.reading.limits import current_limits, limits_applied
from plancheck.reading.source import Source, read_file, read_source


class ConfigError(Exception):
    """A setting that cannot be honoured; ``message_key`` and ``values`` give the user message."""

    def __init__(self, message_key: str, **values: str) -> None:
        super().__init__(f"{message_key}: {values}")
        self.message_key = message_key
        self.values = values

    def __reduce__(self) -> tuple[object, ...]:  # raised in a worker process of a batch
        return (_config_error, (self.message_key, self.values))


def _config_error(message_key: str, values: dict[str, str]) -> ConfigError:
    return ConfigError(message_key, **values)


class Linter:
    """Checks files with one plugin host (plugins load once per run) and per-file settings.

    ``settings`` apply to text and standard input and, without a ``resolver``, to every file;
    a resolver gives each file the settings of its nearest configuration file.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        host: PluginHost | None = None,
        resolver: SettingsResolver | None = None,
    ) -> None:
        self.host = host or PluginHost()
        self.resolver = resolver
        self.settings = self._checked(
            settings or (resolver.for_path(None) if resolver else Settings())
        )

    def _checked(self, settings: Settings) -> Settings:
        if settings.profile and settings.profile not in self.host.profiles:
            raise ConfigError(
                "unknown_profile",
                name=settings.profile,
                choices=", ".join(sorted(self.host.profiles)),
            )
        # a code no rule has would make the run check nothing (or less) without a word
        for found in selectors.unknown_in_settings(settings, self.rule_codes):
            if found.nearest:
                raise ConfigError(
                    "unknown_code_nearest",
                    where=found.where,
                    code=found.selector,
                    nearest=", ".join(found.nearest),
                )
            raise ConfigError("unknown_code", where=found.where, code=found.selector)
        return settings

    @cached_property
    def rule_codes(self) -> frozenset[str]:
        """The codes of the loaded rules, plugins' included."""
        return frozenset(rule.code for rule in self.host.rules)

    def settings_for(self, path: Path | None) -> Settings:
        if self.resolver is None:
            return self.settings
        return self._checked(self.resolver.for_path(path))

    def read(self, data: bytes, path: str, settings: Settings | None = None) -> Source:
        """Bytes to a Source through the reader hook, within the settings' document limits
        (raises InputError)."""
        limits = (settings or self.settings).limits
        configured = (
            limits_applied(replace(current_limits(), **limits)) if limits else nullcontext()
        )
        with configured:
            source = self.host.read(path=path, data=data)
        return source if source is not None else read_source(data, path)

    def parse(self, source: Source, settings: Settings | None = None) -> tuple[Plan, Detection]:
        """The plan and its profile: the one ``--profile`` names, else the one detected."""
        settings = settings or self.settings
        plan = parse_source(source)
        if settings.profile:
            return plan, Detection(self.host.profiles[settings.profile])
        return plan, detect(self.host.profiles, plan)

    def check_source(self, source: Source, settings: Settings | None = None) -> FileResult:
        """The checks, then the filters: rules that read other rules' findings run last."""
        settings = settings or self.settings
        return self.check_parsed(source, *self.parse(source, settings), settings)

    def check_parsed(
        self, source: Source, plan: Plan, detection: Detection, settings: Settings | None = None
    ) -> FileResult:
        """:meth:`check_source` for a plan already parsed (the web page also shows its outline)."""
        settings = settings or self.settings
        profile = detection.profile
        context = Context(source.path, profile, settings.lang, settings.plugins)
        rules = [rule for rule in self.host.rules if self._applies(rule, profile, source, settings)]
        findings: list[Finding] = []
        failed: list[str] = []
        for rule in rules:
            if not rule.after_checks:
                findings.extend(self._run(rule, plan, context, failed))
        later = [rule for rule in rules if rule.after_checks]
        if later:
            context = dataclasses.replace(context, findings=tuple(findings))
            for rule in later:
                findings.extend(self._run(rule, plan, context, failed))
        unknown = self._unknown_codes(plan, context)
        findings.extend(finding for _, finding in unknown)
        result = file_result(source, plan, profile.name if profile else None, findings, settings)
        result.failed_rules = failed
        result.unknown_codes = [code for code, _ in unknown]
        return result

    def _unknown_codes(self, plan: Plan, context: Context) -> list[tuple[str, Finding]]:
        """A finding for each code a suppression comment names that no loaded rule has,
        whatever the selection: a mistaken code is a mistake in use, never a silent comment."""
        found = []
        rule = UnknownSuppressionCode()
        every = selectors.EVERY_RULE_IN_COMMENTS
        for directive in plan.suppressions:
            for code in selectors.unknown(directive.codes, self.rule_codes, every=every):
                nearest = selectors.nearest_code(code, self.rule_codes, every=every)
                found.append((code, rule.unknown(context, directive.span, code, nearest)))
        return found

    @staticmethod
    def _applies(rule: Rule, profile: Profile | None, source: Source, settings: Settings) -> bool:
        if not settings.enabled(rule.code, source.path):
            return False
        if profile is None:
            return not rule.needs_profile
        return not rule.document_types or profile.document_type in rule.document_types

    @staticmethod
    def _run(rule: Rule, plan: Plan, context: Context, failed: list[str]) -> list[Finding]:
        try:
            return list(rule.check(plan, context))
        except Exception as error:  # a faulty (plugin) rule must not stop the batch nor vanish
            failed.append(rule.code)
            return [InternalError().failed(context, rule.code, error)]

    def check_bytes(self, data: bytes, path: str, settings: Settings | None = None) -> FileResult:
        settings = settings or self.settings
        try:
            source = self.read(data, path, settings)
        except InputError as error:
            detail = message(error.message_key, settings.lang, path=path, detail=error.detail)
            return FileResult(path, error=detail)
        return self.check_source(source, settings)

    def check_file(self, path: Path, display: str | None = None) -> FileResult:
        shown = display or str(path)
        settings = self.settings_for(path)
        try:
            data = read_file(path)
        except InputError as error:
            detail = message(error.message_key, settings.lang, path=shown, detail=error.detail)
            return FileResult(shown, error=detail)
        except FileNotFoundError:
            return FileResult(shown, error=message("not_found", settings.lang, path=shown))
        except OSError as error:
            detail = error.strerror or str(error)
            return FileResult(
                shown, error=message("unreadable", settings.lang, path=shown, detail=detail)
            )
        return self.check_bytes(data, shown, settings)


def check_text(text: str, path: str = "<text>", settings: Settings | None = None) -> list[Finding]:
    """Lint plan text already in memory; returns the findings sorted by line."""
    return Linter(settings).check_bytes(text.encode("utf-8"), path).findings


def check_path(path: str | Path, settings: Settings | None = None) -> FileResult:
    """Lint one file; a file that cannot be read gives a result with ``error`` set."""
    return Linter(settings).check_file(Path(path))
