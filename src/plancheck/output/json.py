"""``--format json``: an array of findings (schema: rules/schema/findings.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from plancheck.api.hookspecs import hookimpl
from plancheck.api.results import FileResult
from plancheck.output import Report, sorted_findings


def render(results: Sequence[FileResult], report: Report) -> str:
    findings = [finding.as_dict() for finding in sorted_findings(results)]
    return json.dumps(findings, ensure_ascii=False, indent=2) + "\n"


@hookimpl
def plancheck_formats() -> dict:
    return {"json": render}
