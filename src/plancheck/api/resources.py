"""Locate the data shipped with plancheck (grammar, profiles, schemas) and load it."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importlib.resources.abc is Python 3.11+
    from importlib.resources.abc import Traversable


def data_dir(name: str) -> Traversable:
    """The ``grammars`` or ``rules`` folder: inside the installed wheel, else the source checkout."""
    packaged = resources.files("plancheck").joinpath(name)
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / name


def read_text(folder: str, relative: str) -> str:
    node = data_dir(folder)
    for part in relative.split("/"):
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8")


class YamlError(ValueError):
    """YAML that cannot be parsed, or holds what its reader refuses (aliases, deep nesting);
    the message is one line. ``line`` and ``column`` (from 1) say where, when the parser knows."""

    def __init__(self, text: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(text)
        self.line, self.column = line, column


def parse_yaml(
    text: str, *, max_depth: int | None = None, aliases: bool = True, packaged: bool = False
) -> Any:
    """Parse YAML with the safe loader: every YAML plancheck reads.

    ``packaged``: plancheck's own data, read with libyaml when the wheel has it (fast, and the
    files are known to suit it). Users' and plugin authors' files use the pure-Python loader,
    which accepts what people write (libyaml refuses a block scalar whose first line starts with
    a tab, the way a KPI table row does in a rule case).

    For a user's file (configuration), ``aliases=False`` and ``max_depth`` refuse, from the event
    stream and before anything is built, what such a file never needs and what makes YAML costly:
    an alias bomb of a few hundred bytes expands to hundreds of MB once validated or printed.
    Raises :class:`YamlError`.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if packaged else yaml.SafeLoader
    try:
        if max_depth is not None or not aliases:
            _check_shape(yaml, yaml.parse(text, Loader=loader), max_depth, aliases)
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise YamlError(str(error).replace("\n", " "), *where) from error


def _check_shape(yaml: Any, events: Any, max_depth: int | None, aliases: bool) -> None:
    depth = 0
    for event in events:
        if not aliases and isinstance(event, yaml.AliasEvent):
            raise YamlError("YAML aliases (*name) are not allowed here")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if max_depth is not None and depth > max_depth:
                raise YamlError(f"nested more than {max_depth} levels deep")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def read_yaml_file(path: str | os.PathLike[str] | Traversable) -> Any:
    """Parse a YAML file (a path or a file inside a package); raises :class:`YamlError`, also for
    a file that cannot be read."""
    try:
        source = path if hasattr(path, "read_text") else Path(path)
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise YamlError(str(error)) from error
    return parse_yaml(text)


@cache
def load_yaml(relative: str) -> Any:
    """Parse a YAML file under ``rules/`` (cached: the data never changes during a run)."""
    return parse_yaml(read_text("rules", relative), packaged=True)


@cache
def load_schema(name: str) -> dict[str, Any]:
    import json

    schema: dict[str, Any] = json.loads(read_text("rules", f"schema/{name}"))
    return schema


class DataError(Exception):
    """A data file under ``rules/`` (or a plugin's) that breaks its JSON Schema."""


def cache_dir() -> Path | None:
    """Where plancheck keeps what it can recompute (grammar tables, schema checks already passed):
    ``$PLANCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/plancheck``, else ``~/.cache/plancheck``.
    None when it cannot be created (a read-only home): everything then works, only slower."""

    configured = os.environ.get("PLANCHECK_CACHE_DIR")
    base = (
        Path(configured)
        if configured
        else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "plancheck"
    )
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return base


def schema_error(instance: Any, schema_name: str) -> str | None:
    """``"key/path: message"`` for the first violation of ``rules/schema/<schema_name>``, or None."""
    error = schema_violation(instance, schema_name)
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
    return f"{where}: {error.message}"


def schema_violation(instance: Any, schema_name: str) -> Any:
    """The first ``jsonschema.ValidationError`` of ``instance`` against
    ``rules/schema/<schema_name>`` (schemas may refer to each other by ``$id``), or None.

    What passed once is remembered by a hash of its content and of the schemas (one may refer to
    another), so later runs skip importing jsonschema (the slowest part of start-up) for
    unchanged data.
    """
    import hashlib
    import json

    digest = hashlib.sha256(
        json.dumps([instance, schema_name, _schemas()], sort_keys=True, default=str).encode()
    ).hexdigest()
    folder = cache_dir()
    marker = folder / f"valid-{digest[:32]}" if folder else None
    if marker is not None and marker.exists():
        return None
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema(schema_name), registry=_registry())
    error = next(iter(validator.iter_errors(instance)), None)
    if error is None and marker is not None:
        try:
            marker.touch()
        except OSError:
            pass  # a cache we cannot write only costs time
    return error


@cache
def _schemas() -> dict[str, Any]:
    """Every schema under ``rules/schema``, by file name."""
    folder = data_dir("rules").joinpath("schema")
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".json"))
    return {name: load_schema(name) for name in names}


@cache
def _registry() -> Any:
    """Every schema under ``rules/schema`` by its ``$id``, so that one may refer to another."""
    from referencing import Registry, Resource

    return Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema))
        for schema in _schemas().values()
        if "$id" in schema
    )


def list_yaml(folder: str) -> list[str]:
    """The YAML files of a folder under ``rules/`` (``"profiles"``), by name: a new file is found."""
    directory = data_dir("rules").joinpath(folder)
    names = sorted(entry.name for entry in directory.iterdir() if entry.name.endswith(".yaml"))
    return [f"{folder}/{name}" for name in names]


@cache
def load_checked_yaml(relative: str, schema_name: str) -> Any:
    """Load ``rules/<relative>`` and validate it against ``rules/schema/<schema_name>``."""
    data = load_yaml(relative)
    problem = schema_error(data, schema_name)
    if problem:
        raise DataError(f"rules/{relative}: {problem}")
    return data
