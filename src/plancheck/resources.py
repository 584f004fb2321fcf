"""Locate the data shipped with plancheck (grammar, profiles, schemas) and load it."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any


def data_dir(name: str) -> Traversable:
    """The ``grammars`` or ``rules`` folder: inside the installed wheel, else the source checkout."""
    packaged = resources.files("plancheck").joinpath(name)
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


def read_text(folder: str, relative: str) -> str:
    node = data_dir(folder)
    for part in relative.split("/"):
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8")


@cache
def load_yaml(relative: str) -> Any:
    """Parse a YAML file under ``rules/`` (cached: the data never changes during a run)."""
    import yaml

    return yaml.safe_load(read_text("rules", relative))


@cache
def load_schema(name: str) -> dict[str, Any]:
    import json

    return json.loads(read_text("rules", f"schema/{name}"))
