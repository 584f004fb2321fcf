"""The rule API: a rule is a small class with a code, a name, a severity and a ``check`` method."""

from __future__ import annotations

import dataclasses
import textwrap
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from plancheck.api.fixes import Fix
from plancheck.api.messages import rule_messages, template
from plancheck.api.results import Place
from plancheck.api.rule_docs import render as render_docs
from plancheck.api.rule_docs import rule_docs

if TYPE_CHECKING:
    from plancheck.model.profiles import Profile
    from plancheck.parsing.ast import Plan, Span

SEVERITIES = ("error", "warning", "info")


def severity_rank(severity: str) -> int:
    """Higher is more severe: error 3, warning 2, info 1."""
    return len(SEVERITIES) - SEVERITIES.index(severity)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in one file, located in the file as the user gave it."""

    path: str
    line: int
    column: int
    code: str
    end_line: int = field(compare=False)
    end_column: int = field(compare=False)
    rule: str = field(compare=False)
    severity: str = field(compare=False)
    message: str = field(compare=False)
    profile: str | None = field(compare=False, default=None)
    #: a hash of the code and the text around the finding (baselines), set by the linter
    fingerprint: str = field(compare=False, default="")
    #: for Word and PDF files: the page, paragraph or table row of the finding's line
    place: Place | None = field(compare=False, default=None)
    #: the correction ``plancheck check --fix`` can apply, if the rule knows one
    fix: Fix | None = field(compare=False, default=None)

    def as_dict(self) -> dict[str, Any]:
        place = {}
        if self.place is not None:
            place = {k: v for k, v in dataclasses.asdict(self.place).items() if v is not None}
        return place | {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "profile": self.profile,
            "fix": self.fix.as_dict() if self.fix is not None else None,
        }


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the plan: the file, its profile and the message language."""

    path: str
    profile: Profile | None
    lang: str = "ja"
    #: this plugin's settings from the configuration file (``plugins: {name: {...}}``)
    plugin_settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: the findings of every other rule on this plan, for rules with ``after_checks`` (PC002)
    findings: tuple[Finding, ...] = ()


def _docstring(doc: str) -> str:
    """``inspect.cleandoc`` without its tab expansion: a tab in an example is a table cell."""
    first, _, rest = doc.strip("\n").partition("\n")
    return f"{first.strip()}\n{textwrap.dedent(rest)}".rstrip()


class _CatalogueMessages:
    """``Rule.messages`` of a rule class that sets none: the catalogue's entry for its code
    (``rules/messages/rules.yaml``, where the built-in rules keep theirs). A class's own
    ``messages`` (plugins, YAML rule packs) takes its place."""

    def __get__(self, instance: object, owner: type) -> Mapping[str, Mapping[str, str]]:
        code = getattr(owner, "code", None)
        found = rule_messages(code) if isinstance(code, str) else None
        if found is None:
            raise AttributeError(f"{owner.__name__} ({code}): set the class attribute `messages`")
        return found


class Rule(ABC):
    """Base class of every rule. Subclasses set the class attributes and implement ``check``.

    A plugin rule's class docstring is its user documentation (``plancheck rule CODE``): first
    line a one-line summary, then why it matters, the official source, and a failing and a passing
    example. The built-in rules keep theirs in ``rules/docs/<CODE>.yaml``, in Japanese and English.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str] = "error"
    #: message templates by variant, then language: {"default": {"ja": "…{x}…", "en": "…{x}…"}};
    #: the built-in rules leave it out and read theirs from the message catalogue
    if TYPE_CHECKING:
        messages: ClassVar[Mapping[str, Mapping[str, str]]]
    else:
        messages = _CatalogueMessages()
    #: document types the rule applies to (profile.document_type); None means every profile
    document_types: ClassVar[tuple[str, ...] | None] = None
    #: False for rules that must also run when no profile matched (PC001)
    needs_profile: ClassVar[bool] = True
    #: True for rules that read the other rules' findings (``context.findings``): they run after
    #: every other rule, before the filters (suppression comments, baseline)
    after_checks: ClassVar[bool] = False
    #: which fixes the rule's findings may carry: None (none), "safe", "unsafe" or
    #: "safe, unsafe"; shown by ``plancheck rule CODE`` and ``plancheck rules``
    fixable: ClassVar[str | None] = None

    @abstractmethod
    def check(self, plan: Plan, context: Context) -> Iterable[Finding]:
        """Yield the findings of this rule for ``plan``."""

    @classmethod
    def documentation(cls, lang: str = "ja") -> str:
        """What ``plancheck rule CODE`` shows: a built-in rule's entry of ``rules/docs`` in
        ``lang``, else the class docstring (a plugin's, in whatever language it is written),
        its indentation removed and its examples' tabs kept."""
        entry = rule_docs(cls.code)
        if entry is not None:
            return render_docs(entry, lang)
        return _docstring(cls.__doc__ or "")

    @classmethod
    def summary(cls, lang: str = "ja") -> str:
        """One line in ``lang`` (built-in rules), else the docstring's first line."""
        entry = rule_docs(cls.code)
        if entry is not None:
            return template(entry["summary"], lang)
        return cls.documentation(lang).split("\n", 1)[0]

    def report(
        self,
        context: Context,
        span: Span,
        variant: str = "default",
        *,
        fix: Fix | None = None,
        **values: Any,
    ) -> Finding:
        """Build a finding at ``span`` with the message ``variant`` in the context's language,
        carrying ``fix`` when the rule knows the correction."""
        text = template(self.messages[variant], context.lang)
        return Finding(
            path=context.path,
            line=span.line,
            column=span.column,
            code=self.code,
            end_line=span.end_line,
            end_column=span.end_column,
            rule=self.name,
            severity=self.severity,
            message=text.format(**values),
            profile=context.profile.name if context.profile else None,
            fix=fix,
        )
