"""``--format junit``: JUnit XML for CI dashboards (Jenkins, GitLab, Azure Pipelines).

One test suite per file; each finding at or above the run's fail level (``--fail-on``, default
error) is a failed test case, one below it a passing case that carries the finding as its output;
a clean file has one passing case, and a file that could not be read one case with an ``<error>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from plancheck.api.hookspecs import hookimpl
from plancheck.api.results import FileResult
from plancheck.api.rule import severity_rank
from plancheck.output import Report, sorted_results

# XML 1.0 cannot carry most control characters even escaped; a plan quoted in a message might.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

CLEAN_CASE = "no findings"
READ_CASE = "read"


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def file_suite(result: FileResult, fail_on: str = "error", lang: str = "ja") -> ET.Element:
    failing = [f for f in result.findings if severity_rank(f.severity) >= severity_rank(fail_on)]
    failures = 0 if result.error else len(failing)
    errors = 1 if result.error else 0
    suite = ET.Element(
        "testsuite",
        name=xml_text(result.path),
        tests=str(max(len(result.findings), 1)),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
    )
    if result.profile:
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="profile", value=result.profile)
    classname = xml_text(result.path)
    if result.error:
        case = ET.SubElement(suite, "testcase", classname=classname, name=READ_CASE)
        error = ET.SubElement(case, "error", message=xml_text(result.error), type="read-error")
        error.text = xml_text(result.error)
        return suite
    if not result.findings:
        ET.SubElement(suite, "testcase", classname=classname, name=CLEAN_CASE)
    for finding in sorted(result.findings):
        case = ET.SubElement(
            suite,
            "testcase",
            classname=classname,
            name=f"{finding.code} {finding.line}:{finding.column}",
        )
        if finding in failing:
            outcome = ET.SubElement(
                case, "failure", message=xml_text(finding.message), type=finding.severity
            )
        else:
            outcome = ET.SubElement(case, "system-out")
        detail = f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.rule} [{finding.severity}] {finding.message}"
        where = finding.place.describe(lang) if finding.place is not None else ""
        if where:
            detail += f" ({where})"
        source_line = result.source_lines.get(finding.line)
        if source_line is not None:
            detail += f"\n{finding.line} | {source_line}"
        outcome.text = xml_text(detail)
    return suite


def render(results: Sequence[FileResult], report: Report) -> str:
    suites = [file_suite(result, report.fail_on, report.lang) for result in sorted_results(results)]
    root = ET.Element(
        "testsuites",
        name="plancheck",
        tests=str(sum(int(suite.get("tests", "0")) for suite in suites)),
        failures=str(sum(int(suite.get("failures", "0")) for suite in suites)),
        errors=str(sum(int(suite.get("errors", "0")) for suite in suites)),
    )
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@hookimpl
def plancheck_formats() -> dict:
    return {"junit": render}
