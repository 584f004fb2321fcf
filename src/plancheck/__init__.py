"""plancheck: a rules-based compliance linter for Japanese 地域再生計画 (regional revitalization plans).

The public API re-exported here is what scripts and plugins rely on.
"""

__version__ = "0.1.0"

from plancheck.api.hookspecs import hookimpl  # noqa: E402
from plancheck.api.rule import Context, Finding, Rule  # noqa: E402
from plancheck.engine.config import Settings  # noqa: E402
from plancheck.engine.linter import FileResult, Linter, check_path, check_text  # noqa: E402
from plancheck.parsing.ast import Item, Label, Paragraph, Plan, Section, Span, Table  # noqa: E402

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
