"""The message catalogue (``rules/messages/*.yaml``): every text plancheck shows a user, Japanese
first, English with ``--lang en``. ``tool.yaml`` holds the tool's own texts, ``rules.yaml`` the
built-in rules' finding messages; both are checked against their JSON Schema when first read."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from plancheck.api.resources import load_checked_yaml

LANGUAGES = ("ja", "en")
TOOL_MESSAGES = "messages/tool.yaml"
RULE_MESSAGES = "messages/rules.yaml"

#: one message in both languages, {"ja": "…{x}…", "en": "…{x}…"}
Texts = Mapping[str, str]


@cache
def tool_messages() -> Mapping[str, Texts]:
    """The command line's, reports', web page's and outline's texts by name."""
    catalogue: Mapping[str, Texts] = load_checked_yaml(TOOL_MESSAGES, "messages.schema.json")
    return catalogue


@cache
def rule_catalogue() -> Mapping[str, Mapping[str, Texts]]:
    """The built-in rules' finding messages: code, then variant, then language."""
    catalogue: Mapping[str, Mapping[str, Texts]] = load_checked_yaml(
        RULE_MESSAGES, "rule_messages.schema.json"
    )
    return catalogue


def template(texts: Texts, lang: str) -> str:
    """The text in ``lang``, Japanese when that language is missing (a plugin's own messages)."""
    return texts.get(lang) or texts["ja"]


def message(name: str, lang: str, /, **values: Any) -> str:
    """The catalogue's message ``name`` in ``lang`` with its placeholders filled from ``values``."""
    return template(tool_messages()[name], lang).format(**values)


def rule_messages(code: str) -> Mapping[str, Texts] | None:
    """The catalogue's messages of the built-in rule ``code`` by variant, None for other codes."""
    return rule_catalogue().get(code)
