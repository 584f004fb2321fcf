"""``--format sarif``: SARIF 2.1.0 for code-scanning tools (GitHub, Azure DevOps, VS Code viewers).

One run: the driver lists every loaded rule with its documentation; unreadable files are
tool-execution notifications, so a viewer shows them without mistaking them for findings. A
finding in a text file that carries a fix has it as the result's ``fixes``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from plancheck.api.hookspecs import hookimpl
from plancheck.api.results import FileResult
from plancheck.api.rule import Finding, Rule
from plancheck.api.version import __version__
from plancheck.output import Report, sorted_findings, sorted_results

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    """A URI reference for ``path``: relative paths stay relative, absolute ones become file: URIs."""
    native = Path(path)
    if native.is_absolute():
        return native.as_uri()
    return quote(native.as_posix())


def rule_descriptor(rule: Rule, lang: str = "ja") -> dict[str, Any]:
    """The driver's entry for ``rule``: its summary and documentation in ``lang`` (--lang)."""
    documentation = rule.documentation(lang)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary(lang)},
        "fullDescription": {"text": documentation},
        "help": {"text": documentation},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
    }


def physical_location(finding: Finding, source_line: str | None) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(finding.path)}}
    if finding.line >= 1:
        location["region"] = {
            "startLine": finding.line,
            "startColumn": max(finding.column, 1),
            "endLine": max(finding.end_line, finding.line),
            "endColumn": max(finding.end_column, 1),
        }
        if source_line is not None:
            location["contextRegion"] = {
                "startLine": finding.line,
                "snippet": {"text": source_line},
            }
    return location


def sarif_result(
    finding: Finding, source_line: str | None, rule_index: dict[str, int], lang: str = "ja"
) -> dict:
    result: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    result["level"] = LEVELS.get(finding.severity, "warning")
    result["message"] = {"text": finding.message}
    location: dict[str, Any] = {"physicalLocation": physical_location(finding, source_line)}
    if finding.place is not None:
        # Word and PDF: the place a person finds (a viewer shows the location's message), and
        # its parts for tools (page, paragraph, table, row, heading, quote)
        where = finding.place.describe(lang)
        if where:
            location["message"] = {"text": where}
        parts = {k: v for k, v in dataclasses.asdict(finding.place).items() if v is not None}
        if parts:
            result["properties"] = {"place": parts}
    result["locations"] = [location]
    if finding.fingerprint:  # lets code scanning follow a finding when lines move
        result["partialFingerprints"] = {"plancheck/v1": finding.fingerprint}
    if finding.fix is not None and finding.place is None:
        # a text file's lines are the file's own; a Word or PDF line is not a place in its bytes
        result["fixes"] = [sarif_fix(finding)]
    return result


def sarif_fix(finding: Finding) -> dict[str, Any]:
    """The finding's fix as a SARIF fix: one artifact change whose replacements are its edits;
    ``properties.applicability`` is safe (``--fix``) or unsafe (``--unsafe-fixes``)."""
    assert finding.fix is not None
    replacements = [
        {
            "deletedRegion": {
                "startLine": edit.line,
                "startColumn": edit.column,
                "endLine": edit.end_line,
                "endColumn": edit.end_column,
            },
            "insertedContent": {"text": edit.new},
        }
        for edit in finding.fix.edits
    ]
    return {
        "artifactChanges": [
            {
                "artifactLocation": {"uri": artifact_uri(finding.path)},
                "replacements": replacements,
            }
        ],
        "properties": {"applicability": finding.fix.applicability},
    }


def read_error(result: FileResult) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": result.error},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(result.path)}}}
        ],
    }


def build_log(results: Sequence[FileResult], report: Report) -> dict[str, Any]:
    """The SARIF log as a dict (``render`` serialises it)."""
    rules = sorted(report.rules, key=lambda rule: rule.code)
    rule_index = {rule.code: index for index, rule in enumerate(rules)}
    lines = {
        (result.path, number): text
        for result in results
        for number, text in result.source_lines.items()
    }
    errors = [read_error(result) for result in sorted_results(results) if result.error]
    run = {
        "tool": {
            "driver": {
                "name": "plancheck",
                "version": __version__,
                "rules": [rule_descriptor(rule, report.lang) for rule in rules],
            }
        },
        "invocations": [{"executionSuccessful": not errors, "toolExecutionNotifications": errors}],
        "columnKind": "unicodeCodePoints",
        "results": [
            sarif_result(finding, lines.get((finding.path, finding.line)), rule_index, report.lang)
            for finding in sorted_findings(results)
        ],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(results: Sequence[FileResult], report: Report) -> str:
    return json.dumps(build_log(results, report), ensure_ascii=False, indent=2) + "\n"


@hookimpl
def plancheck_formats() -> dict:
    return {"sarif": render}
