"""plancheck: a rules-based compliance linter for Japanese 地域再生計画 (regional revitalization plans).

The public API re-exported here is what scripts and plugins rely on.
"""

from plancheck.api.hookspecs import hookimpl
from plancheck.api.results import FileResult
from plancheck.api.rule import Context, Finding, Rule
from plancheck.api.version import __version__
from plancheck.engine.config import Settings
from plancheck.engine.linter import Linter, check_path, check_text
from plancheck.parsing.ast import Item, Label, Paragraph, Plan, Section, Span, Table

__all__ = [
    "Context",
    "FileResult",
    "Finding",
    "Item",
    "Label",
    "Linter",
    "Paragraph",
    "Plan",
    "Rule",
    "Section",
    "Settings",
    "Span",
    "Table",
    "__version__",
    "check_path",
    "check_text",
    "hookimpl",
]
