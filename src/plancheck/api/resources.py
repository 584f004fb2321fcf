"""Locate the data shipped with plancheck (grammar, profiles, schemas) and load it."""

from __future__ import annotations

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


@cache
def load_yaml(relative: str) -> Any:
    """Parse a YAML file under ``rules/`` (cached: the data never changes during a run)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it
    return yaml.load(read_text("rules", relative), Loader=loader)  # noqa: S506 - a safe loader


@cache
def load_schema(name: str) -> dict[str, Any]:
    import json

    return json.loads(read_text("rules", f"schema/{name}"))


class DataError(Exception):
    """A data file under ``rules/`` (or a plugin's) that breaks its JSON Schema."""


def cache_dir() -> Path | None:
    """Where plancheck keeps what it can recompute (grammar tables, schema checks already passed):
    ``$PLANCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/plancheck``, else ``~/.cache/plancheck``.
    None when it cannot be created (a read-only home): everything then works, only slower."""
    import os

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
    """``"key/path: message"`` for the first violation of ``rules/schema/<schema_name>``, or None.

    A definition that passed once is remembered by a hash of its content and of the schema, so
    later runs skip importing jsonschema (the slowest part of start-up) for unchanged data.
    """
    import hashlib
    import json

    digest = hashlib.sha256(
        json.dumps([instance, load_schema(schema_name)], sort_keys=True, default=str).encode()
    ).hexdigest()
    folder = cache_dir()
    marker = folder / f"valid-{digest[:32]}" if folder else None
    if marker is not None and marker.exists():
        return None
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema(schema_name), registry=_registry())
    error = next(iter(validator.iter_errors(instance)), None)
    if error is None:
        if marker is not None:
            try:
                marker.touch()
            except OSError:
                pass  # a cache we cannot write only costs time
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
    return f"{where}: {error.message}"


@cache
def _registry() -> Any:
    """Every schema under ``rules/schema`` by its ``$id``, so that one may refer to another."""
    from referencing import Registry, Resource

    folder = data_dir("rules").joinpath("schema")
    schemas = [
        load_schema(entry.name) for entry in folder.iterdir() if entry.name.endswith(".json")
    ]
    return Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas if "$id" in schema
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
