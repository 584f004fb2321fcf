"""Run the pipeline on one file: read, normalise, parse, pick a profile, apply the rules."""

from __future__ import annotations

import dataclasses
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

from plancheck.api.errors import InputError
from plancheck.api.messages import message
from plancheck.api.results import FileResult
from plancheck.api.rule import Context, Finding, Rule
from plancheck.checks.run import InternalError
from plancheck.engine import suppression as suppress
from plancheck.engine.baseline import fingerprint
from plancheck.engine.config import Settings, SettingsResolver
from plancheck.engine.plugin_host import PluginHost
from plancheck.model.profiles import Detection, Profile, detect
from plancheck.parsing.ast import Plan
from plancheck.parsing.normalize import normalize
from plancheck.parsing.parser import parse_lines
from plancheck.reading.limits import current_limits, limits_applied
from plancheck.reading.source import Source, read_file, read_source


class ConfigError(Exception):
    """A setting that cannot be honoured; ``message_key`` and ``values`` give the user message."""

    def __init__(self, message_key: str, **values: str) -> None:
        super().__init__(f"{message_key}: {values}")
        self.message_key = message_key
        self.values = values


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
        return settings

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
        plan = parse_lines(normalize(source.lines), source.path)
        if settings.profile:
            return plan, Detection(self.host.profiles[settings.profile])
        return plan, detect(self.host.profiles, plan)

    def check_source(self, source: Source, settings: Settings | None = None) -> FileResult:
        settings = settings or self.settings
        plan, detection = self.parse(source, settings)
        profile = detection.profile
        context = Context(source.path, profile, settings.lang, settings.plugins)
        findings: list[Finding] = []
        for rule in self.host.rules:
            if not settings.enabled(rule.code, source.path):
                continue
            if profile is None and rule.needs_profile:
                continue
            if profile and rule.document_types and profile.document_type not in rule.document_types:
                continue
            findings.extend(self._run(rule, plan, context))
        comments = suppress.directives(source.lines)
        if comments:
            findings = suppress.apply(findings, comments)
            unused = self.host.rule(suppress.UnusedSuppression.code)
            if isinstance(unused, suppress.UnusedSuppression) and settings.enabled(
                unused.code, source.path
            ):
                findings.extend(unused.unused(comments, context))
        return self._result(source, profile, findings, settings)

    def _run(self, rule: Rule, plan: Plan, context: Context) -> list[Finding]:
        try:
            return list(rule.check(plan, context))
        except Exception as error:  # a faulty (plugin) rule must not stop the batch nor vanish
            return [InternalError().failed(context, rule.code, error)]

    @staticmethod
    def _result(
        source: Source, profile: Profile | None, findings: list[Finding], settings: Settings
    ) -> FileResult:
        """Apply severity overrides, fingerprint and sort the findings of one file."""
        final = []
        # a fingerprint hashes the finding's line and its neighbours: once per (code, line), not
        # once per finding (a line of thousands of blanks has thousands of PC501 findings)
        prints: dict[tuple[str, int], str] = {}
        for finding in findings:
            severity = settings.severity_of(finding.code, finding.severity)
            key = (finding.code, finding.line)
            print_ = prints.get(key)
            if print_ is None:
                print_ = prints[key] = fingerprint(finding.code, finding.line, source.lines)
            place = source.places[finding.line - 1] if finding.line <= len(source.places) else None
            final.append(
                dataclasses.replace(finding, severity=severity, fingerprint=print_, place=place)
            )
        final.sort()
        shown = {f.line: source.lines[f.line - 1] for f in final if 0 < f.line <= len(source.lines)}
        return FileResult(source.path, profile.name if profile else None, final, None, shown)

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
