"""Run settings: defaults, configuration files found beside the plans, and command-line options.

Precedence, lowest first: defaults, the nearest configuration file (``plancheck.yaml``,
``.plancheck.yaml`` or ``[tool.plancheck]`` in ``pyproject.toml``, searched from each checked file's
folder upwards, or the one given with ``--config``), then the command line.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from plancheck.api import resources
from plancheck.api.errors import InputError
from plancheck.api.rule import SEVERITIES, severity_rank
from plancheck.reading.source import read_file

CONFIG_FILES = ("plancheck.yaml", ".plancheck.yaml", "pyproject.toml")
#: a configuration file is a few lines; a pyproject.toml rarely more than a few KB
MAX_CONFIG_BYTES = 1024 * 1024
#: settings nest three levels (plugins → name → value); anything far deeper is not a configuration
MAX_DEPTH = 20
COMMAND_LINE = "command line"
DEFAULT = "default"

# configuration key → Settings field
_FIELDS = {
    "select": "select",
    "extend-select": "extend_select",
    "ignore": "ignore",
    "per-file-ignores": "per_file_ignores",
    "severity": "severity",
    "fail-on": "fail_on",
    "profile": "profile",
    "lang": "lang",
    "jobs": "jobs",
    "plugins": "plugins",
    "limits": "limits",
    "exclude": "exclude",
    "extend-exclude": "extend_exclude",
}
#: left out when a folder is searched for plans (``exclude`` replaces these, ``extend-exclude``
#: adds to them): version control, virtual environments, and Word's lock files (~$計画.docx,
#: present while the plan is open in Word, unreadable)
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", "~$*")


class ConfigFileError(Exception):
    """A configuration file that cannot be used: unreadable, not a mapping, or a bad key/value."""

    def __init__(self, path: Path, key: str, problem: str, allowed: str = "") -> None:
        key, problem = _cut(key), _cut(problem)  # never echo a user's huge value back whole
        super().__init__(f"{path}: {key}: {problem}")
        self.path, self.key, self.problem, self.allowed = path, key, problem, allowed
        #: for a file that is not valid YAML or TOML (key "(syntax)"): where, from 1, and which
        self.line: int | None = None
        self.column: int | None = None
        self.syntax = ""


def _syntax_error(path: Path, syntax: str, line: int | None, column: int | None) -> ConfigFileError:
    """A configuration file that its ``syntax`` (YAML, TOML) cannot parse, and where."""
    error = ConfigFileError(path, "(syntax)", f"not valid {syntax}")
    error.line, error.column, error.syntax = line or 1, column or 1, syntax
    return error


#: where tomllib says a TOML file went wrong: "… (at line 3, column 7)"
_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one file. Rule codes are matched by prefix (``PC1`` means PC1xx)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    severity: Mapping[str, str] = field(default_factory=dict)
    fail_on: str = "error"
    profile: str | None = None
    lang: str = "ja"
    jobs: int | None = None
    plugins: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: limits on Word and PDF files, by DocumentLimits field (those not given keep the defaults)
    limits: Mapping[str, int] = field(default_factory=dict)
    #: globs of files and folders left out of a folder's search (see :meth:`excluded`)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    #: the folder per-file-ignores globs are relative to (the configuration file's)
    root: Path | None = None
    #: where each key's value came from: "default", a configuration file, or "command line"
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)
    #: the per-file-ignores codes of each path already matched (every rule asks for them)
    _ignored: dict[str, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for name in ("select", "ignore", "extend_select", "exclude", "extend_exclude"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def enabled(self, code: str, path: str | None = None) -> bool:
        """The most specific matching prefix wins, as in ruff: ``--select PC --ignore PC5``."""
        selected = _longest_prefix(code, self.select + self.extend_select) if self.select else 0
        ignored = _longest_prefix(code, self.ignore + self.ignored_for(path))
        return selected >= 0 and (ignored < 0 or selected > ignored)

    def ignored_for(self, path: str | None) -> tuple[str, ...]:
        """The per-file-ignores codes whose glob matches ``path``.

        Each path is matched against the globs once (``enabled`` asks for every rule); the
        codes are gathered in a list (adding tuples is quadratic in the number of globs).
        """
        if not path or not self.per_file_ignores:
            return ()
        known = self._ignored.get(path)
        if known is not None:
            return known
        candidate = Path(path)
        try:
            relative = (
                candidate.resolve().relative_to(self.root.resolve()) if self.root else candidate
            )
        except ValueError:
            relative = candidate
        names = (relative.as_posix(), candidate.as_posix(), candidate.name)
        codes: list[str] = []
        for pattern, ignored in self.per_file_ignores.items():
            if any(fnmatch.fnmatch(name, pattern) for name in names):
                codes.extend(ignored)
        self._ignored[path] = found = tuple(codes)
        return found

    def excluded(self, path: Path) -> bool:
        """Whether ``exclude`` or ``extend-exclude`` leaves ``path`` out of a folder's search, as
        ruff's do: a glob without ``/`` matches its name (``下書き``, ``*_old.docx``), one with
        ``/`` its path from the configuration file's folder (``archive/2019``, ``archive/*.pdf``).
        The search asks for each folder before entering it, so a folder's exclusion covers what
        is inside it."""
        patterns = self.exclude + self.extend_exclude
        if not patterns:
            return False
        try:
            relative = path.resolve().relative_to(self.root.resolve()) if self.root else path
        except ValueError:
            relative = path
        for pattern in patterns:
            glob = pattern.strip("/")
            if fnmatch.fnmatch(relative.as_posix() if "/" in glob else path.name, glob):
                return True
        return False

    def severity_of(self, code: str, default: str) -> str:
        return self.severity.get(code, default)

    def fails(self, severity: str) -> bool:
        return severity_rank(severity) >= severity_rank(self.fail_on)


def _longest_prefix(code: str, prefixes: tuple[str, ...]) -> int:
    """Length of the longest prefix of ``code`` in ``prefixes`` ("ALL" matches all), else -1."""
    lengths = [0 if p == "ALL" else len(p) for p in prefixes if p == "ALL" or code.startswith(p)]
    return max(lengths, default=-1)


def parse_severity_overrides(values: list[str]) -> dict[str, str]:
    """``["PC104=error"]`` → ``{"PC104": "error"}``; ValueError names the bad entry."""
    overrides = {}
    for value in values:
        code, _, level = value.partition("=")
        if not code or level not in SEVERITIES:
            raise ValueError(value)
        overrides[code.strip()] = level
    return overrides


@cache
def read_config_file(path: Path) -> dict[str, Any] | None:
    """The plancheck table of a configuration file (None: a pyproject.toml without one).

    Read and validated once per run: finding the nearest file already reads each pyproject.toml
    on the way up, and every checked file in a folder tree shares those folders.
    """
    try:
        raw = read_file(path, MAX_CONFIG_BYTES)
    except InputError as error:
        problem = {"not_regular": "not a regular file"}.get(
            error.message_key, f"over {error.detail}"
        )
        raise ConfigFileError(path, "(file)", problem) from error
    except OSError as error:
        raise ConfigFileError(path, "(file)", error.strerror or str(error)) from error
    if path.name == "pyproject.toml":
        data = _parse_toml(path, raw)
        table = data.get("tool", {}).get("plancheck")
        if table is None:
            return None
    else:
        table = _parse_yaml(path, raw)
    if not isinstance(table, dict):
        raise ConfigFileError(path, "(top level)", "not a mapping of settings")
    if _depth(table) > MAX_DEPTH:
        raise ConfigFileError(path, "(file)", f"nested more than {MAX_DEPTH} levels deep")
    _validate(path, table)
    return table


def _parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigFileError(path, "(encoding)", "not UTF-8") from error
    except tomllib.TOMLDecodeError as error:
        place = _TOML_PLACE.search(str(error))
        line, column = (int(place[1]), int(place[2])) if place else (None, None)
        raise _syntax_error(path, "TOML", line, column) from error
    except RecursionError as error:  # arrays or tables nested hundreds deep
        raise ConfigFileError(
            path, "(file)", f"nested more than {MAX_DEPTH} levels deep"
        ) from error


def _parse_yaml(path: Path, raw: bytes) -> Any:
    """A configuration file's YAML, without aliases and at most :data:`MAX_DEPTH` deep (refused
    before anything is built: see :func:`resources.parse_yaml`)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigFileError(path, "(encoding)", "not UTF-8") from error
    try:
        return resources.parse_yaml(text, max_depth=MAX_DEPTH, aliases=False) or {}
    except resources.YamlError as error:
        if error.line is None:  # refused, not unparsable: aliases, deep nesting
            raise ConfigFileError(path, "(file)", str(error)) from error
        raise _syntax_error(path, "YAML", error.line, error.column) from error


def _depth(value: Any) -> int:
    """How deeply ``value`` nests lists and mappings (counted without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        current, level = stack.pop()
        if isinstance(current, dict):
            current = list(current.values())
        if isinstance(current, list):
            deepest = max(deepest, level)
            stack.extend((item, level + 1) for item in current)
    return deepest


def _validate(path: Path, table: dict[str, Any]) -> None:
    error = resources.schema_violation(table, "config.schema.json")
    if error is None:
        return
    schema = resources.load_schema("config.schema.json")
    if error.validator == "additionalProperties" and not error.absolute_path:
        unknown = sorted(set(table) - set(schema["properties"]))
        raise ConfigFileError(path, unknown[0], "unknown", ", ".join(schema["properties"]))
    key = "/".join(str(part) for part in error.absolute_path)
    allowed = (
        error.schema.get("enum") or error.schema.get("pattern") or error.schema.get("type", "")
    )
    raise ConfigFileError(
        path, key, error.message, ", ".join(allowed) if isinstance(allowed, list) else str(allowed)
    )


@cache
def find_config(folder: Path) -> Path | None:
    """The nearest configuration file at or above ``folder`` (a pyproject.toml only if it has
    a [tool.plancheck] table)."""
    for candidate_folder in (folder, *folder.parents):
        for name in CONFIG_FILES:
            candidate = candidate_folder / name
            if candidate.is_file() and (
                name != "pyproject.toml" or _has_plancheck_table(candidate)
            ):
                return candidate
    return None


def _has_plancheck_table(path: Path) -> bool:
    return read_config_file(path) is not None


def merge(overrides: Mapping[str, Any], config_path: Path | None) -> Settings:
    """Defaults, then the configuration file, then the command-line ``overrides`` (field names)."""
    settings = Settings()
    origins = {name: DEFAULT for name in _FIELDS.values()}
    values: dict[str, Any] = {}
    root = None
    if config_path is not None:
        table = read_config_file(config_path) or {}
        root = config_path.parent
        for key, value in table.items():
            name = _FIELDS[key]
            values[name] = _coerce(name, value)
            origins[name] = str(config_path)
    for name, value in overrides.items():
        if name == "extend_select" and value:
            value = values.get(name, ()) + tuple(value)  # extends what the file selects
        values[name] = _coerce(name, value)
        origins[name] = COMMAND_LINE
    return replace(settings, **values, root=root, origins=origins)


def _coerce(name: str, value: Any) -> Any:
    if name in ("select", "ignore", "extend_select", "exclude", "extend_exclude"):
        return tuple(value)
    if name == "per_file_ignores":
        return {pattern: tuple(codes) for pattern, codes in value.items()}
    return value


class SettingsResolver:
    """Settings for each checked file: the command line over that file's nearest configuration."""

    def __init__(self, overrides: Mapping[str, Any], config_path: Path | None = None) -> None:
        self.overrides = dict(overrides)
        self.config_path = config_path
        self._by_config: dict[Path | None, Settings] = {}

    def for_path(self, path: Path | None) -> Settings:
        """Settings for a file (``None``: standard input, configured from the current folder)."""
        config = self.config_path
        if config is None:
            folder = (path.parent if path is not None else Path.cwd()).resolve()
            config = find_config(folder)
        if config not in self._by_config:
            self._by_config[config] = merge(self.overrides, config)
        return self._by_config[config]
