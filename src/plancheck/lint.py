"""Run the pipeline on one file: read, normalise, parse, pick a profile, apply the rules."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path

from plancheck.ast import Plan
from plancheck.config import Settings
from plancheck.messages import message
from plancheck.normalize import normalize
from plancheck.parser import parse_lines
from plancheck.plugins import PluginHost
from plancheck.profiles import Profile, detect
from plancheck.rule import Context, Finding
from plancheck.source import InputError, Source, read_source

log = logging.getLogger("plancheck")


class ConfigError(Exception):
    """A setting that cannot be honoured; ``message_key`` and ``values`` give the user message."""

    def __init__(self, message_key: str, **values: str) -> None:
        super().__init__(f"{message_key}: {values}")
        self.message_key = message_key
        self.values = values


@dataclass
class FileResult:
    """The outcome for one file: its findings, or the reason it could not be read."""

    path: str
    profile: str | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    #: the original text of each line that has a finding (for reports that show the source)
    source_lines: dict[int, str] = field(default_factory=dict)


class Linter:
    """Checks files with one set of settings and one plugin host (load plugins once per run)."""

    def __init__(self, settings: Settings | None = None, host: PluginHost | None = None) -> None:
        self.settings = settings or Settings()
        self.host = host or PluginHost()
        if self.settings.profile and self.settings.profile not in self.host.profiles:
            raise ConfigError(
                "unknown_profile",
                name=self.settings.profile,
                choices=", ".join(sorted(self.host.profiles)),
            )
        self.rules = [rule for rule in self.host.rules if self.settings.enabled(rule.code)]

    def read(self, data: bytes, path: str) -> Source:
        """Bytes to a Source through the reader hook (raises InputError)."""
        source = self.host.read(path=path, data=data)
        return source if source is not None else read_source(data, path)

    def parse(self, source: Source) -> tuple[Plan, Profile | None]:
        plan = parse_lines(normalize(source.lines), source.path)
        if self.settings.profile:
            return plan, self.host.profiles[self.settings.profile]
        return plan, detect(self.host.profiles, "\n".join(line.text for line in plan.lines))

    def check_source(self, source: Source) -> FileResult:
        plan, profile = self.parse(source)
        context = Context(path=source.path, profile=profile, lang=self.settings.lang)
        findings: list[Finding] = []
        for rule in self.rules:
            if profile is None and rule.needs_profile:
                continue
            if profile and rule.document_types and profile.document_type not in rule.document_types:
                continue
            try:
                found = list(rule.check(plan, context))
            except Exception as error:  # a faulty (plugin) rule must not stop the batch
                log.warning(
                    message(
                        "rule_failed",
                        self.settings.lang,
                        path=source.path,
                        code=rule.code,
                        detail=f"{type(error).__name__}: {error}",
                    )
                )
                continue
            severity = self.settings.severity_of(rule.code, rule.severity)
            findings.extend(
                f if f.severity == severity else dataclasses.replace(f, severity=severity)
                for f in found
            )
        findings.sort()
        shown = {
            f.line: source.lines[f.line - 1] for f in findings if 0 < f.line <= len(source.lines)
        }
        return FileResult(source.path, profile.name if profile else None, findings, None, shown)

    def check_bytes(self, data: bytes, path: str) -> FileResult:
        try:
            source = self.read(data, path)
        except InputError as error:
            return FileResult(
                path,
                error=message(
                    error.message_key, self.settings.lang, path=path, detail=error.detail
                ),
            )
        return self.check_source(source)

    def check_file(self, path: Path, display: str | None = None) -> FileResult:
        shown = display or str(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return FileResult(shown, error=message("not_found", self.settings.lang, path=shown))
        except OSError as error:
            return FileResult(
                shown,
                error=message(
                    "unreadable",
                    self.settings.lang,
                    path=shown,
                    detail=error.strerror or str(error),
                ),
            )
        return self.check_bytes(data, shown)


def check_text(text: str, path: str = "<text>", settings: Settings | None = None) -> list[Finding]:
    """Lint plan text already in memory; returns the findings sorted by line."""
    return Linter(settings).check_bytes(text.encode("utf-8"), path).findings


def check_path(path: str | Path, settings: Settings | None = None) -> FileResult:
    """Lint one file; a file that cannot be read gives a result with ``error`` set."""
    return Linter(settings).check_file(Path(path))
