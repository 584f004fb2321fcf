"""The built-in rules' documentation (``rules/docs/<CODE>.yaml``), every text in Japanese and
English, and its rendering for ``plancheck rule CODE`` with the examples' tabs kept."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from plancheck.api.messages import message, template
from plancheck.api.resources import list_yaml, load_checked_yaml

DOCS_FOLDER = "docs"
SCHEMA = "rule_docs.schema.json"
EXAMPLE_KINDS = ("fail", "pass")


@cache
def rule_docs_catalogue() -> Mapping[str, Mapping[str, Any]]:
    """Every documented built-in rule's entry by code (the file name), checked against its schema."""
    return {
        relative.rsplit("/", 1)[-1].removesuffix(".yaml"): load_checked_yaml(relative, SCHEMA)
        for relative in list_yaml(DOCS_FOLDER)
    }


def rule_docs(code: str) -> Mapping[str, Any] | None:
    """The documentation of the built-in rule ``code``, None for other codes (plugins' rules)."""
    return rule_docs_catalogue().get(code)


def example_texts(entry: Mapping[str, Any]) -> dict[str, str]:
    """The examples written as plan text, ``{"fail": text, "pass": text}``; one written only as
    a note (a scanned PDF) is left out."""
    examples = entry["examples"]
    return {kind: examples[kind]["text"] for kind in EXAMPLE_KINDS if "text" in examples[kind]}


def render(entry: Mapping[str, Any], lang: str) -> str:
    """The documentation in ``lang``: summary, what it reports, why, source, what ``--fix`` does
    (a fixable rule), then the examples
    exactly as written (unindented, tabs kept), so that a copied example is still a table."""
    parts = [template(entry["summary"], lang), template(entry["what"], lang)]
    parts.append(_heading("rule_doc_why", lang) + "\n" + template(entry["why"], lang))
    parts.append(_heading("rule_doc_source", lang) + "\n" + template(entry["source"], lang))
    if "fix" in entry:
        parts.append(_heading("rule_doc_fix", lang) + "\n" + template(entry["fix"], lang))
    for kind in EXAMPLE_KINDS:
        example = entry["examples"][kind]
        note = template(example["note"], lang) if "note" in example else None
        parts.append(_heading(f"rule_doc_{kind}", lang, note))
        if "text" in example:
            parts.append(example["text"].rstrip("\n"))
    return "\n\n".join(parts) + "\n"


def _heading(label_key: str, lang: str, note: str | None = None) -> str:
    label = message(label_key, lang)
    if note is None:
        return message("rule_doc_heading", lang, label=label)
    return message("rule_doc_heading_note", lang, label=label, note=note)
