"""The hooks a plancheck plugin can implement; built-in rules, profiles and formats use them too.

A plugin is a module (or object) with functions decorated by :data:`hookimpl`, published through
the entry-point group ``plancheck`` in its ``pyproject.toml``::

    [project.entry-points.plancheck]
    mycity = "plancheck_mycity.plugin"

The guide for plugin authors, with the stability promises, is docs/plugins.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from plancheck.api.rule import Rule
    from plancheck.output import Formatter
    from plancheck.reading.source import Source

hookspec = pluggy.HookspecMarker("plancheck")
hookimpl = pluggy.HookimplMarker("plancheck")


@hookspec
def plancheck_rules() -> list[type[Rule]]:
    """Return the rule classes this plugin adds.

    Each class subclasses :class:`plancheck.api.rule.Rule` with a unique ``code`` (a prefix of two or
    more capital letters, then digits; ``PC`` is reserved for plancheck itself). Rules written as
    YAML data (terms, required labels, required sections) come from
    :func:`plancheck.checks.rulepack.rules_from_yaml`.
    """


@hookspec
def plancheck_profiles() -> list[dict[str, Any]]:
    """Return profile definitions (mappings shaped like ``rules/profiles/*.yaml``).

    Each is validated against ``rules/schema/profile.schema.json``. A profile may ``extends`` a
    built-in one. A profile with a new ``document_type`` teaches plancheck another kind of document:
    PC001 no longer fires for it, the structure rules PC101–PC104 check its ``sections`` and
    ``items``, and rules naming that type in ``document_types`` run on it.
    :func:`plancheck.checks.rulepack.profiles_from_yaml` reads profiles from a plugin's YAML file.
    """


@hookspec
def plancheck_measure_kinds() -> list[dict[str, Any]]:
    """Return measure-kind definitions (mappings shaped like ``rules/measures/*.yaml``).

    Each is validated against ``rules/schema/measure.schema.json``. A kind names the support codes
    and label wording that open a 5-2 block of it, and its items (matched by title) with the role
    each plays; every rule then checks such a block against it (required items, project period,
    cost, statements). :func:`plancheck.checks.rulepack.measure_kinds_from_yaml` reads them from YAML.
    """


@hookspec(firstresult=True)
def plancheck_read(path: str, data: bytes) -> Source | None:
    """Turn a file's bytes into a :class:`plancheck.reading.source.Source`, or return None to pass.

    The first plugin that returns a Source wins; the built-in text reader runs last. Raise
    :class:`plancheck.api.errors.InputError` for a file of your type that cannot be read.
    """


@hookspec
def plancheck_formats() -> dict[str, Formatter]:
    """Return output formats by name: callables ``(results, report) -> str | bytes``.

    A text format returns ``str`` (written as UTF-8); a binary one (``xlsx``) returns ``bytes``,
    which the command line writes to ``-o FILE`` or a pipe as they are and refuses to write to a
    terminal, and the web API sends as they are.

    ``results`` is the batch's list of :class:`plancheck.api.results.FileResult` (findings, read errors,
    the original text of the lines with findings); ``report`` a :class:`plancheck.output.Report`
    (language, every loaded rule with its documentation, whether to colour).
    """
