"""plancheck's pytest plugin for plugin authors: the ``plancheck_lint`` fixture, rule cases kept as
YAML and executable rule examples (pytest loads it by itself once plancheck is installed; see
docs/plugins.md). Every check here fails on an internal error (PC000): a crash is never silence."""

from __future__ import annotations

import difflib
import os
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from plancheck.api import resources
from plancheck.api.results import FileResult
from plancheck.api.rule import SEVERITIES, Finding, Rule
from plancheck.api.rule_docs import example_texts, rule_docs
from plancheck.engine.config import Settings
from plancheck.engine.fixer import FixOutcome, applies, fix_source
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost

#: the finding the linter gives in place of a rule that raised (plancheck/checks/run.py)
INTERNAL_ERROR = "PC000"


def assert_no_internal_error(findings: Iterable[Finding], where: str) -> None:
    """Fail when a rule raised: the linter turns the exception into a PC000 finding so that a
    user's run goes on, but in a test it is a bug, never an ordinary finding."""
    crashes = [finding for finding in findings if finding.code == INTERNAL_ERROR]
    assert not crashes, (
        f"{where}: a rule raised an exception (PC000, internal error) instead of checking:\n"
        + "\n".join(f"  {finding.message}" for finding in crashes)
    )


class PlancheckLint:
    """Lints a text or a file with the built-in plugins plus the plugins given to each call.

    Installed plugins (entry points) stay out, so a test sees only what it names. Keyword
    arguments are :class:`plancheck.Settings` fields: ``select``, ``ignore``, ``severity``,
    ``profile``, ``lang``, and ``plugins`` (the plugins' settings, as under ``plugins:`` in a
    configuration file). A rule that raises fails the call (an AssertionError naming the rule)
    unless ``allow_internal_error=True`` (for a test about PC000 itself).
    """

    def __init__(self) -> None:
        self._hosts: dict[tuple[int, ...], PluginHost] = {}

    def host(self, *plugins: Any) -> PluginHost:
        """The plugin host for these plugins (one per set of plugins, reused across tests)."""
        key = tuple(id(plugin) for plugin in plugins)
        if key not in self._hosts:  # the host keeps the plugins alive, so their ids stay theirs
            self._hosts[key] = PluginHost(load_entry_points=False, extra_plugins=plugins)
        return self._hosts[key]

    def result(
        self,
        source: str | os.PathLike[str],
        *plugins: Any,
        path: str | None = None,
        allow_internal_error: bool = False,
        **settings: Any,
    ) -> FileResult:
        """The whole result (profile, findings, read error) for ``source``: a text (``str``) or
        a file (a path object); ``path`` is the name findings carry (default: plan.txt or the file)."""
        data, shown = _data(source, path)
        result = Linter(Settings(**settings), self.host(*plugins)).check_bytes(data, shown)
        if not allow_internal_error:
            assert_no_internal_error(result.findings, shown)
        return result

    def __call__(
        self,
        source: str | os.PathLike[str],
        *plugins: Any,
        path: str | None = None,
        allow_internal_error: bool = False,
        **settings: Any,
    ) -> list[Finding]:
        """The findings for ``source``, sorted by line."""
        return self.result(
            source, *plugins, path=path, allow_internal_error=allow_internal_error, **settings
        ).findings

    def fix(
        self,
        source: str | os.PathLike[str],
        *plugins: Any,
        unsafe: bool = False,
        path: str | None = None,
        allow_internal_error: bool = False,
        **settings: Any,
    ) -> FixOutcome:
        """What ``plancheck check --fix`` (``unsafe``: with ``--unsafe-fixes``) does to
        ``source``: ``.data`` the corrected bytes (None when nothing changed; a text is UTF-8),
        ``.applied``, ``.skipped`` (each fix not applied, with why), ``.before``/``.after``."""
        data, shown = _data(source, path)
        linter = Linter(Settings(**settings), self.host(*plugins))
        outcome = fix_source(data, shown, linter, unsafe=unsafe, settings=linter.settings)
        if not allow_internal_error:
            assert_no_internal_error(outcome.before.findings + outcome.after.findings, shown)
        return outcome


def _data(source: str | os.PathLike[str], path: str | None) -> tuple[bytes, str]:
    """The bytes to lint and the name findings carry (plan.txt for a text)."""
    if isinstance(source, str):
        return source.encode("utf-8"), path or "plan.txt"
    return Path(source).read_bytes(), path or str(source)


@pytest.fixture(scope="session")
def plancheck_lint() -> PlancheckLint:
    """``plancheck_lint(text_or_path, *plugins, **settings) -> list[Finding]``."""
    return PlancheckLint()


def codes(findings: Iterable[Finding]) -> list[tuple[str, int]]:
    """``[(code, line), …]``: what a test usually pins."""
    return [(finding.code, finding.line) for finding in findings]


def assert_documented(rule: Rule | type[Rule], *plugins: Any, profile: str | None = None) -> None:
    """Fail unless the rule documents itself as plancheck's own rules do (a kebab-case name, a
    known severity, a 「Japanese (English)」 summary, a failing and a passing example, every message
    in Japanese and English) and its code is a plugin's (letters other than the reserved PC).

    Given the ``plugins`` that bring the rule (and its profiles), its examples are linted too
    (:func:`assert_examples`, with ``profile``)."""
    doc = rule.documentation()
    assert re.fullmatch(r"[A-Z]{2,}\d+", rule.code) and not rule.code.startswith("PC"), rule.code
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
    assert rule.severity in SEVERITIES, rule.severity
    assert rule.summary() and "(" in rule.summary(), f"{rule.code}: summary 「日本語 (English)」"
    assert "Failing example" in doc and "Passing example" in doc, f"{rule.code}: examples"
    for variant, templates in rule.messages.items():
        assert {"ja", "en"} <= set(templates), f"{rule.code} {variant}: ja and en messages"
        assert all(text.strip() for text in templates.values()), f"{rule.code} {variant}"
    if plugins:
        assert_examples(rule, *plugins, profile=profile)


_EXAMPLE_HEADINGS = {"fail": "Failing example", "pass": "Passing example"}
# an example of an invisible character names it as an escape, which the example stands for
_ESCAPE = re.compile(r"\\x([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})")


def documented_examples(rule: Rule | type[Rule]) -> dict[str, str]:
    """The literal blocks after 「Failing example…::」 and 「Passing example…::」 in the rule's
    docstring (a built-in rule: the examples of its ``rules/docs/<CODE>.yaml``), as
    ``{"fail": text, "pass": text}`` (tabs kept, ``\\x1a``/``\\u200b`` read as the character
    they name); an example written as prose (a PDF, say) is left out."""
    entry = rule_docs(rule.code)
    if entry is not None:
        return {kind: _unescaped(text) for kind, text in example_texts(entry).items()}
    lines = (rule.__doc__ or "").splitlines()
    examples = {}
    for kind, heading in _EXAMPLE_HEADINGS.items():
        start = next((i for i, line in enumerate(lines) if line.strip().startswith(heading)), None)
        if start is None or not lines[start].rstrip().endswith("::"):
            continue
        indent = len(lines[start]) - len(lines[start].lstrip())
        block = []
        for line in lines[start + 1 :]:
            if line.strip() and len(line) - len(line.lstrip()) <= indent:
                break
            block.append(line)
        text = textwrap.dedent("\n".join(block)).strip("\n")
        if text:
            examples[kind] = _unescaped(text + "\n")
    return examples


def _unescaped(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)), text)


def assert_examples(
    rule: Rule | type[Rule],
    *plugins: Any,
    lint: PlancheckLint | None = None,
    profile: str | None = None,
) -> None:
    """Lint the rule's documented examples, each alone, with every rule on: the failing example
    must give the rule's code, the passing one none of it, and neither an internal error.

    ``plugins`` bring the rule if it is not built in; ``profile`` is the format the snippets are
    read as (default: detected, which a snippet seldom is)."""
    lint = lint or PlancheckLint()
    examples = documented_examples(rule)
    assert set(examples) == set(_EXAMPLE_HEADINGS), (
        f"{rule.code}: the docstring needs a 'Failing example::' and a 'Passing example::' block"
    )
    for kind, text in examples.items():
        where = f"{rule.code} {_EXAMPLE_HEADINGS[kind].lower()}"
        findings = lint(text, *plugins, profile=profile, allow_internal_error=True)
        assert_no_internal_error(findings, where)
        own = [f"  {f.code}:{f.line} {f.message}" for f in findings if f.code == rule.code]
        if kind == "fail":
            shown = "\n".join(f"  {f.code}:{f.line} {f.message}" for f in findings) or "  (none)"
            assert own, f"{where} gives no {rule.code} finding; it gives\n{shown}"
        else:
            assert not own, f"{where} gives {rule.code}:\n" + "\n".join(own)


# --- YAML rule cases ------------------------------------------------------------------------

_SETTING_KEYS = ("select", "ignore", "severity", "profile", "lang", "plugins")
#: case settings that are not linter settings: ``unsafe-fixes: true`` applies the unsafe fixes
#: too when the case checks its ``fixed`` text
_FIX_KEYS = ("unsafe-fixes",)
_CASE_KEYS = {"pass", "fail", "file", "replace", "expect", "messages", "fixed"}
_CASE_KEYS |= {*_SETTING_KEYS, *_FIX_KEYS}


@dataclass(frozen=True)
class RuleCase:
    """One case of a YAML case file: a text (or a file with replacements) and what it must give."""

    id: str
    origin: Path
    text: str | None
    file: Path | None = None
    replace: tuple[tuple[str, str], ...] = ()
    expect: tuple[tuple[str, int], ...] = ()
    messages: tuple[str, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    #: the text after ``--fix``: the whole text, or replacements made in the case's text
    fixed: str | tuple[tuple[str, str], ...] | None = None
    #: apply the unsafe fixes too (``--fix --unsafe-fixes``) for ``fixed``
    unsafe_fixes: bool = False

    def source(self) -> str | Path:
        """The text to lint, or the file itself when nothing replaces text in it (any format,
        .docx or .pdf too); a case on a file that is absent (a corpus not checked out) skips."""
        if self.text is not None:
            return self.text
        assert self.file is not None
        if not self.file.exists():
            pytest.skip(f"{self.id}: {self.file} is not available")
        if not self.replace:
            return self.file
        text = self.file.read_text(encoding="utf-8")
        for old, new in self.replace:
            assert old in text, f"{self.id}: {old!r} is not in {self.file.name}"
            text = text.replace(old, new)
        return text

    def run(self, lint: PlancheckLint, *plugins: Any) -> None:
        """Lint the case with ``plugins`` and assert the codes, lines and message fragments; a
        rule that raises fails the case unless it expects PC000."""
        findings = lint(self.source(), *plugins, allow_internal_error=True, **self.settings)
        if INTERNAL_ERROR not in {code for code, _ in self.expect}:
            assert_no_internal_error(findings, f"{self.id} ({self.origin.name})")
        shown = "\n".join(f"  {f.code}:{f.line} {f.message}" for f in findings) or "  (none)"
        expected = [f"{code}:{line}" for code, line in self.expect] or "no finding"
        assert codes(findings) == list(self.expect), (
            f"{self.id} ({self.origin.name}): expected {expected}, found\n{shown}"
        )
        for finding, fragment in zip(findings, self.messages, strict=False):
            assert fragment in finding.message, (
                f"{self.id}: {finding.code}:{finding.line} message lacks {fragment!r}: "
                f"{finding.message}"
            )
        if self.fixed is not None:
            self._run_fixed(lint, *plugins)

    def _run_fixed(self, lint: PlancheckLint, *plugins: Any) -> None:
        """The text ``--fix`` makes of the case is ``fixed``, and it gives none of the codes the
        case expects (the fixer itself never lets a fix add a finding)."""
        source = self.source()
        original = source if isinstance(source, str) else Path(source).read_bytes()
        if isinstance(original, bytes):
            try:
                original = original.decode("utf-8")
            except UnicodeDecodeError:
                pytest.fail(f"{self.id}: 'fixed' needs a text case (UTF-8), not {source}")
        outcome = lint.fix(
            source, *plugins, unsafe=self.unsafe_fixes, allow_internal_error=True, **self.settings
        )
        text = outcome.data.decode("utf-8") if outcome.data is not None else original
        wanted = self.fixed
        if isinstance(wanted, str):
            expected = wanted
        else:
            expected = original
            for old, new in wanted or ():
                assert old in expected, f"{self.id}: fixed: {old!r} is not in the case's text"
                expected = expected.replace(old, new)
        skipped = "".join(f"\n  {f.code}:{f.line} not applied: {why}" for f, why in outcome.skipped)
        assert text == expected, (
            f"{self.id} ({self.origin.name}): the fixed text is not the case's 'fixed':\n"
            + "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    "fixed (expected)",
                    "after --fix",
                )
            )
            + skipped
        )
        left = lint(text, *plugins, allow_internal_error=True, **self.settings)
        assert_no_internal_error(left, f"{self.id} (fixed)")
        # of the case's codes, only findings --fix had no fix for may be left
        allowed = Counter(
            f.code for f in outcome.before.findings if not applies(f.fix, self.unsafe_fixes)
        )
        wanted_codes = {code for code, _ in self.expect}
        found = Counter(f.code for f in left if f.code in wanted_codes)
        still = [
            f"  {f.code}:{f.line} {f.message}"
            for f in left
            if f.code in wanted_codes and found[f.code] > allowed[f.code]
        ]
        assert not still, f"{self.id}: the fixed text still gives\n" + "\n".join(still)


def load_cases(path: str | os.PathLike[str]) -> list[Any]:
    """The cases of a YAML case file (or of every ``*.yaml`` in a folder) as ``pytest.param``
    values with readable ids, for ``@pytest.mark.parametrize("case", load_cases(...))``."""
    folder_or_file = Path(path)
    files = sorted(folder_or_file.glob("*.yaml")) if folder_or_file.is_dir() else [folder_or_file]
    return [pytest.param(case, id=case.id) for file in files for case in _read_cases(file)]


def _read_cases(file: Path) -> list[RuleCase]:
    data = resources.read_yaml_file(file)
    if not isinstance(data, dict) or not isinstance(data.get("cases"), dict):
        raise ValueError(f"{file}: expected a mapping with 'cases: {{name: case}}'")
    defaults = data.get("defaults") or {}
    unknown = set(defaults) - {*_SETTING_KEYS, *_FIX_KEYS}
    if unknown:
        raise ValueError(f"{file}: defaults: unknown keys {sorted(unknown)}")
    return [_case(file, str(name), {**defaults, **body}) for name, body in data["cases"].items()]


def _case(file: Path, name: str, body: Mapping[str, Any]) -> RuleCase:
    where = f"{file}: {name}"
    unknown = set(body) - _CASE_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    given = [key for key in ("pass", "fail", "file") if key in body]
    if len(given) != 1:
        raise ValueError(f"{where}: give exactly one of pass, fail, file")
    if "select" not in body:
        raise ValueError(f"{where}: give 'select' (the codes the case tests) here or in defaults")
    expect = tuple(_expectation(where, item) for item in body.get("expect", ()))
    if "fail" in body and not expect:
        raise ValueError(f"{where}: a fail case needs 'expect: [CODE:LINE, …]'")
    if "pass" in body and expect:
        raise ValueError(f"{where}: a pass case expects no finding; use fail")
    settings = {key: _as_setting(key, body[key]) for key in _SETTING_KEYS if key in body}
    fixed = body.get("fixed")
    if fixed is not None and not isinstance(fixed, str):
        if not isinstance(fixed, list) or not all(
            isinstance(pair, list) and len(pair) == 2 for pair in fixed
        ):
            raise ValueError(f"{where}: fixed is the text after --fix or [[old, new], …]")
        fixed = tuple((str(old), str(new)) for old, new in fixed)
    if fixed is not None and "fail" not in body and "file" not in body:
        raise ValueError(f"{where}: a pass case has nothing to fix; 'fixed' needs fail or file")
    return RuleCase(
        id=f"{file.stem}::{name}",
        origin=file,
        text=body.get("pass", body.get("fail")),
        file=(file.parent / body["file"]) if "file" in body else None,
        replace=tuple((str(old), str(new)) for old, new in body.get("replace", ())),
        expect=expect,
        messages=tuple(body.get("messages", ())),
        settings=settings,
        fixed=fixed,
        unsafe_fixes=bool(body.get("unsafe-fixes", False)),
    )


def _expectation(where: str, item: Any) -> tuple[str, int]:
    match = re.fullmatch(r"\s*([A-Z]{2,}\d+)\s*:\s*(\d+)\s*", str(item))
    if not match:
        raise ValueError(f"{where}: expect entries are 'CODE:LINE', not {item!r}")
    return match[1], int(match[2])


def _as_setting(key: str, value: Any) -> Any:
    if key in ("select", "ignore"):
        return (value,) if isinstance(value, str) else tuple(value)
    return value


__all__ = [
    "INTERNAL_ERROR",
    "PlancheckLint",
    "RuleCase",
    "assert_documented",
    "assert_examples",
    "assert_no_internal_error",
    "codes",
    "documented_examples",
    "load_cases",
    "plancheck_lint",
]
