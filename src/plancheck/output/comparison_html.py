"""``plancheck diff --format html``: two versions of a plan compared on one self-contained page.

A summary of what changed, then every changed part side by side (変更後 | 変更前) with the inserted
and deleted characters marked. Every text from a plan is escaped: the page never runs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from plancheck.api.messages import message
from plancheck.api.rule import SEVERITIES
from plancheck.api.version import __version__
from plancheck.output import html_page_head, output_language

#: a run of a side: its text and whether it is marked (inserted on the new side, deleted on the old)
Run = tuple[str, bool]

# the page's own texts, the catalogue's comparison_<key> messages without placeholders
LABEL_KEYS = (
    "title",
    "new",
    "old",
    "summary",
    "no_changes",
    "plan",
    "field",
    "field_name",
    "field_author",
    "field_area",
    "sections",
    "blocks",
    "items",
    "kpis",
    "column",
    "findings",
    "status_added",
    "status_removed",
    "status_changed",
    "status_reworded",
    "empty",
    "legend",
)
# a plan field's label: comparison_field_<field>, the plan period's the role's
FIELD_KEYS = {
    "name": "comparison_field_name",
    "author": "comparison_field_author",
    "area": "comparison_field_area",
    "plan_period": "role_plan_period",
}
# the sums and periods of a measure block, labelled as the profile's roles
BLOCK_VALUES = ("project_period", "cost", "donation_estimate")
# the lists of sections and names, in this order (core may leave a list out)
CHANGE_LISTS = ("added", "removed", "changed")
# the lists of names compared as sets, labelled as the profile's roles
NAME_LISTS = ("other_measures", "own_projects")

STYLE = """
body{font-family:system-ui,"Hiragino Sans","Yu Gothic UI",Meiryo,sans-serif;margin:2rem;color:#1f2328;line-height:1.5}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
table.parts{width:100%;table-layout:fixed}
table.parts td{white-space:pre-wrap;overflow-wrap:anywhere;width:50%}
table.parts tr.heading th{background:#eaeef2;font-weight:bold}
ins{background:#dafbe1;text-decoration:underline;text-decoration-color:#1a7f37}
del{background:#ffebe9;text-decoration:underline;text-decoration-color:#cf222e}
.status{font-size:.8rem;font-weight:bold;padding:0 .4rem;border-radius:999px;border:1px solid;margin-right:.4rem;white-space:nowrap}
.status.added{color:#1a7f37}.status.removed{color:#cf222e}.status.changed,.status.reworded{color:#9a6700}
.error{color:#cf222e}.warning{color:#9a6700}.info{color:#0969da}
.badge{font-weight:bold;white-space:nowrap}
.none{color:#8c959f}
ul{margin:.2rem 0 1rem;padding-left:1.4rem}
section{margin-top:2rem}
footer{margin-top:3rem;color:#8c959f;font-size:.85rem}
@page{size:A4 landscape;margin:12mm}
"""


def labels_in(lang: str) -> dict[str, str]:
    return {key: message(f"comparison_{key}", lang) for key in LABEL_KEYS}


def role_label(role: str, lang: str) -> str:
    """The profile role's name as a heading (English ones start with a capital)."""
    text = message(f"role_{role}", lang)
    return text[:1].upper() + text[1:]


def field_label(field: str, lang: str) -> str:
    key = FIELD_KEYS.get(field)
    text = message(key, lang) if key else field
    return text[:1].upper() + text[1:]


def sides(part: Mapping[str, Any]) -> tuple[list[Run], list[Run]]:
    """A changed part's new and old text as runs: the new side's inserted runs and the old side's
    deleted ones marked. An added part is all inserted, a removed one all deleted; a change
    without its character runs is marked whole."""
    words = part.get("words") or []
    old, new = part.get("old"), part.get("new")
    if words:
        new_runs = [(text, op == "+") for op, text in words if op in ("=", "+") and text]
        old_runs = [(text, op == "-") for op, text in words if op in ("=", "-") and text]
        return new_runs, old_runs
    new_runs = [(new, True)] if new else []
    old_runs = [(old, True)] if old else []
    if part.get("status") == "changed" and old == new:
        new_runs = [(text, False) for text, _ in new_runs]
        old_runs = [(text, False) for text, _ in old_runs]
    return new_runs, old_runs


def marked(runs: Sequence[Run], tag: str) -> str:
    return "".join(
        f"<{tag}>{escape(text)}</{tag}>" if mark else escape(text) for text, mark in runs
    )


def status_badge(status: str, labels: Mapping[str, str]) -> str:
    shown = labels.get(f"status_{status}", status)
    return f'<span class="status {escape(status)}">{escape(shown)}</span>'


def shown(value: Any, labels: Mapping[str, str]) -> str:
    if value is None or value == "":
        return f'<span class="none">{escape(labels["empty"])}</span>'
    return escape(str(value))


def plan_section(
    rows: Sequence[Mapping[str, Any]], lang: str, labels: Mapping[str, str]
) -> list[str]:
    if not rows:
        return []
    header = f"<tr><th>{labels['field']}</th><th>{labels['new']}</th><th>{labels['old']}</th></tr>"
    body = [
        f"<tr><td>{escape(field_label(str(row.get('field')), lang))}</td>"
        f"<td>{shown(row.get('new'), labels)}</td><td>{shown(row.get('old'), labels)}</td></tr>"
        for row in rows
    ]
    return [f"<h3>{labels['plan']}</h3>", "<table>", f"<thead>{header}</thead>", "<tbody>"] + [
        *body,
        "</tbody>",
        "</table>",
    ]


def added_removed(
    title: str, changes: Mapping[str, Any] | None, labels: Mapping[str, str], describe: Any
) -> list[str]:
    """A heading and the added, removed then changed entries of ``changes``, each as text."""
    changes = changes or {}
    entries = [
        f"<li>{status_badge(status, labels)}{escape(describe(entry))}</li>"
        for status in CHANGE_LISTS
        for entry in changes.get(status) or []
    ]
    return [f"<h3>{escape(title)}</h3>", "<ul>", *entries, "</ul>"] if entries else []


def numbered(entry: Mapping[str, Any]) -> str:
    return " ".join(str(entry[key]) for key in ("number", "title") if entry.get(key))


def change_text(change: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    return f"{shown(change.get('old'), labels)} → {shown(change.get('new'), labels)}"


def block_entry(block: Mapping[str, Any], lang: str, labels: Mapping[str, str]) -> str:
    code = f" [{escape(block['code'])}]" if block.get("code") else ""
    inner = [
        f"<li>{status_badge(item.get('status', ''), labels)}{escape(numbered(item))}</li>"
        for item in block.get("items") or []
    ]
    inner += [
        f"<li>{escape(role_label(role, lang))}: {change_text(block[role], labels)}</li>"
        for role in BLOCK_VALUES
        if block.get(role)
    ]
    nested = f"<ul>{''.join(inner)}</ul>" if inner else ""
    return (
        f"<li>{status_badge(block.get('status', ''), labels)}"
        f"{escape(numbered(block))}{code}{nested}</li>"
    )


def kpi_entry(kpi: Mapping[str, Any], lang: str, labels: Mapping[str, str]) -> str:
    renamed = ""
    if kpi.get("old_name") and kpi.get("old_name") != kpi.get("name"):
        renamed = escape(message("comparison_renamed", lang, old=kpi["old_name"]))
    values = [
        f"<li>{escape(str(value.get('column', '')))}: {change_text(value, labels)}</li>"
        for value in kpi.get("values") or []
    ]
    nested = f"<ul>{''.join(values)}</ul>" if values else ""
    return (
        f"<li>{status_badge(kpi.get('status', ''), labels)}"
        f"{escape(str(kpi.get('name', '')))}{renamed}{nested}</li>"
    )


def listed(title: str, entries: Iterable[str]) -> list[str]:
    items = list(entries)
    return [f"<h3>{escape(title)}</h3>", "<ul>", *items, "</ul>"] if items else []


def findings_section(
    findings: Sequence[Mapping[str, Any]], lang: str, labels: Mapping[str, str]
) -> list[str]:
    if not findings:
        return []
    report = {
        key: message(f"report_{key}", lang) for key in ("position", "severity", "code", "message")
    }
    header = "".join(f"<th>{text}</th>" for text in report.values())
    rows = []
    for finding in findings:
        severity = str(finding.get("severity", ""))
        named = message(f"severity_{severity}", lang) if severity in SEVERITIES else severity
        rows.append(
            f"<tr><td>{escape(str(finding.get('line', '')))}:{escape(str(finding.get('column', '')))}</td>"
            f'<td><span class="badge {escape(severity)}">{escape(named)}</span></td>'
            f"<td><code>{escape(str(finding.get('code', '')))}</code></td>"
            f"<td>{escape(str(finding.get('message', '')))}</td></tr>"
        )
    return [
        f"<h3>{labels['findings']}</h3>",
        "<table>",
        f"<thead><tr>{header}</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
    ]


def summary_section(data: Mapping[str, Any], lang: str, labels: Mapping[str, str]) -> list[str]:
    lines = plan_section(data.get("plan") or [], lang, labels)
    lines += added_removed(labels["sections"], data.get("sections"), labels, numbered)
    lines += listed(
        labels["blocks"], (block_entry(block, lang, labels) for block in data.get("blocks") or [])
    )
    lines += listed(
        labels["kpis"], (kpi_entry(kpi, lang, labels) for kpi in data.get("kpis") or [])
    )
    for name in NAME_LISTS:
        lines += added_removed(role_label(name, lang), data.get(name), labels, str)
    lines += findings_section(data.get("new_findings") or [], lang, labels)
    return lines


def parts_table(parts: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> list[str]:
    """The side-by-side table: a heading row per part, then its new text | its old text."""
    lines = [
        '<table class="parts">',
        f"<thead><tr><th>{labels['new']}</th><th>{labels['old']}</th></tr></thead>",
        "<tbody>",
    ]
    for part in parts:
        new_runs, old_runs = sides(part)
        status = str(part.get("status", ""))
        lines += [
            f'<tr class="heading" data-status="{escape(status)}"><th colspan="2">'
            f"{status_badge(status, labels)}{escape(str(part.get('heading', '')))}</th></tr>",
            f'<tr class="part"><td class="new">{marked(new_runs, "ins")}</td>'
            f'<td class="old">{marked(old_runs, "del")}</td></tr>',
        ]
    return [*lines, "</tbody>", "</table>"]


def file_line(data: Mapping[str, Any], lang: str) -> str:
    def described(side: str) -> str:
        entry = data.get(side) or {}
        path = str(entry.get("path", ""))
        name = (entry.get("title") or {}).get(lang) or entry.get("profile")
        return f"{path} ({name})" if name else path

    return message("comparison_files", lang, old=described("old"), new=described("new"))


def render(data: Mapping[str, Any], lang: str) -> str:
    """The page comparing the two plans of ``data`` (``Comparison.as_dict()``) in ``lang``."""
    lang = output_language(lang)
    labels = labels_in(lang)
    parts = data.get("parts") or []
    lines = [
        *html_page_head(lang, labels["title"], STYLE),
        f'<p class="files">{escape(file_line(data, lang))}</p>',
    ]
    if not data.get("changed") and not parts:
        lines.append(f'<p class="no-changes">{labels["no_changes"]}</p>')
    else:
        lines += [
            '<section id="summary">',
            f"<h2>{labels['summary']}</h2>",
            *summary_section(data, lang, labels),
            "</section>",
            '<section id="parts">',
            f"<h2>{escape(message('comparison_parts', lang, count=len(parts)))}</h2>",
            f"<p>{labels['legend']}</p>",
            *parts_table(parts, labels),
            "</section>",
        ]
    if not data.get("changed") and data.get("new_findings"):
        lines += findings_section(data["new_findings"], lang, labels)
    lines += [f"<footer>plancheck {__version__}</footer>", "</body>", "</html>"]
    return "".join(line + "\n" for line in lines)
