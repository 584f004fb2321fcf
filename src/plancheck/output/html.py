"""``--format html``: one self-contained page for a batch (inline CSS and JS, works offline).

A sortable summary table with a row per file, then each file's findings with the original line
(and, for Word and PDF files, the page, table, row, paragraph, heading and quote of each).
Every text from a plan or a message is escaped: the page never runs what a plan contains.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from plancheck.api.hookspecs import hookimpl
from plancheck.api.messages import message
from plancheck.api.results import FileResult
from plancheck.api.rule import SEVERITIES, Finding
from plancheck.api.version import __version__
from plancheck.output import (
    Report,
    html_page_head,
    output_language,
    severity_counts,
    sorted_results,
)

#: the columns a Word or PDF file's findings get: where a person finds them in the document
PLACE_FIELDS = ("page", "table", "row", "paragraph", "heading", "quote")
# the page's own texts, the catalogue's report_<key> messages
LABEL_KEYS = (
    "title",
    "files",
    "sort_hint",
    "file",
    "profile",
    *SEVERITIES,
    "total",
    "position",
    *PLACE_FIELDS,
    "severity",
    "code",
    "message",
    "clean",
    "unreadable",
    "no_profile",
    "back",
)

STYLE = """
body{font-family:system-ui,"Hiragino Sans","Yu Gothic UI",Meiryo,sans-serif;margin:2rem;color:#1f2328;line-height:1.5}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
th button{all:unset;cursor:pointer}
th[aria-sort=ascending] button::after{content:" ▲"}
th[aria-sort=descending] button::after{content:" ▼"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.zero{color:#8c959f}
.error{color:#cf222e}.warning{color:#9a6700}.info{color:#0969da}
.badge{font-weight:bold;white-space:nowrap}
pre.src{background:#f6f8fa;padding:.3rem .5rem;margin:.3rem 0 0;white-space:pre-wrap}
pre.src .ln{color:#8c959f;user-select:none}
mark{background:#fff8c5}
.read-error{color:#cf222e;font-weight:bold}
section{margin-top:2rem}
footer{margin-top:3rem;color:#8c959f;font-size:.85rem}
"""

# Sorts the summary table by the clicked column; a second click reverses the order.
SCRIPT = """
document.querySelectorAll("#summary th button").forEach(function (button) {
  button.addEventListener("click", function () {
    var th = button.closest("th"), column = th.cellIndex;
    var tbody = th.closest("table").tBodies[0];
    var numeric = th.dataset.type === "number", order = th.getAttribute("aria-sort");
    // counts sort largest first on the first click: the files needing work come to the top
    var ascending = numeric ? order === "descending" : order !== "ascending";
    var key = function (row) {
      var cell = row.cells[column], value = cell.dataset.sort || cell.textContent;
      return numeric ? Number(value) : value;
    };
    var rows = Array.from(tbody.rows).sort(function (a, b) {
      var order = numeric ? key(a) - key(b) : key(a).localeCompare(key(b), "ja");
      return ascending ? order : -order;
    });
    th.parentNode.querySelectorAll("th").forEach(function (other) {
      other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (row) { tbody.appendChild(row); });
  });
});
"""


def labels_in(lang: str) -> dict[str, str]:
    return {key: message(f"report_{key}", lang) for key in LABEL_KEYS}


def summary_table(results: Sequence[FileResult], labels: dict[str, str]) -> list[str]:
    headers = [("file", "text"), ("profile", "text")]
    headers += [(severity, "number") for severity in SEVERITIES] + [("total", "number")]
    cells = "".join(
        f'<th data-type="{kind}"><button type="button">{labels[key]}</button></th>'
        for key, kind in headers
    )
    rows = [summary_row(index, result, labels) for index, result in enumerate(results, 1)]
    return [
        '<table id="summary">',
        f"<thead><tr>{cells}</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
    ]


def summary_row(index: int, result: FileResult, labels: dict[str, str]) -> str:
    link = f'<td><a href="#file-{index}">{escape(result.path)}</a></td>'
    if result.error:
        unknown = '<td class="num" data-sort="-1">-</td>' * (len(SEVERITIES) + 1)
        return f'<tr>{link}<td class="read-error">{labels["unreadable"]}</td>{unknown}</tr>'
    counts = severity_counts(result.findings)
    numbers = [counts[severity] for severity in SEVERITIES] + [len(result.findings)]
    classes = [*SEVERITIES, "total"]
    counted = "".join(
        f'<td class="num {name if number else "zero"}">{number}</td>'
        for name, number in zip(classes, numbers, strict=True)
    )
    profile = escape(result.profile or labels["no_profile"])
    return f"<tr>{link}<td>{profile}</td>{counted}</tr>"


def source_cell(finding: Finding, source_line: str | None) -> str:
    if source_line is None:
        return ""
    start, end = finding.column - 1, finding.end_column - 1
    if finding.end_line == finding.line and 0 <= start < end:
        shown = (
            escape(source_line[:start])
            + f"<mark>{escape(source_line[start:end])}</mark>"
            + escape(source_line[end:])
        )
    else:
        shown = escape(source_line)
    return f'<pre class="src"><span class="ln">{finding.line} | </span>{shown}</pre>'


def place_cells(finding: Finding) -> str:
    """The place columns of a Word or PDF finding (empty cells where a part does not apply)."""
    cells = []
    for name in PLACE_FIELDS:
        value = getattr(finding.place, name, None) if finding.place is not None else None
        shown = "" if value is None else escape(str(value))
        numeric = ' class="num"' if isinstance(value, int) else ""
        cells.append(f'<td data-place="{name}"{numeric}>{shown}</td>')
    return "".join(cells)


def finding_row(
    finding: Finding, result: FileResult, report: Report, with_place: bool = False
) -> str:
    severity = finding.severity
    if severity in SEVERITIES:
        severity = message(f"severity_{severity}", output_language(report.lang))
    rule = report.rule(finding.code)
    summary = f' title="{escape(rule.summary(output_language(report.lang)))}"' if rule else ""
    return (
        f"<tr><td>{finding.line}:{finding.column}</td>"
        f"{place_cells(finding) if with_place else ''}"
        f'<td><span class="badge {escape(finding.severity)}">{escape(severity)}</span></td>'
        f"<td><code{summary}>{escape(finding.code)}</code><br>{escape(finding.rule)}</td>"
        f"<td>{escape(finding.message)}"
        f"{source_cell(finding, result.source_lines.get(finding.line))}</td></tr>"
    )


def file_section(index: int, result: FileResult, report: Report) -> list[str]:
    labels = labels_in(output_language(report.lang))
    lines = [f'<section id="file-{index}">', f"<h2>{escape(result.path)}</h2>"]
    if result.error:
        lines.append(f'<p class="read-error">{escape(result.error)}</p>')
    elif not result.findings:
        lines.append(f"<p>{labels['clean']}</p>")
    else:
        # Word and PDF findings: the page, table, row, paragraph, heading and quote columns
        with_place = any(finding.place is not None for finding in result.findings)
        keys = ("position", *(PLACE_FIELDS if with_place else ()), "severity", "code", "message")
        headers = "".join(f"<th>{labels[key]}</th>" for key in keys)
        lines += ["<table>", f"<thead><tr>{headers}</tr></thead>", "<tbody>"]
        lines += [
            finding_row(finding, result, report, with_place) for finding in sorted(result.findings)
        ]
        lines += ["</tbody>", "</table>"]
    lines += [f'<p><a href="#summary">{labels["back"]}</a></p>', "</section>"]
    return lines


def render(results: Sequence[FileResult], report: Report) -> str:
    lang = output_language(report.lang)
    labels = labels_in(lang)
    ordered = sorted_results(results)
    findings = [finding for result in ordered for finding in result.findings]
    totals = message(
        "summary",
        lang,
        files=sum(1 for result in ordered if not result.error),
        count=len(findings),
        **severity_counts(findings),
    )
    lines = [
        *html_page_head(lang, labels["title"], STYLE),
        f"<p>{escape(totals)}</p>",
        f"<h2>{labels['files']}</h2>",
        f"<p>{labels['sort_hint']}</p>",
        *summary_table(ordered, labels),
    ]
    for index, result in enumerate(ordered, 1):
        lines += file_section(index, result, report)
    lines += [
        f"<footer>plancheck {__version__}</footer>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "".join(line + "\n" for line in lines)


@hookimpl
def plancheck_formats() -> dict:
    return {"html": render}
