"""The text view of ``plancheck diff``: each changed part under its heading, old → new, the changed
words marked ``[-removed-]{+added+}``, then the findings only the new version has."""

from __future__ import annotations

from typing import Any

from plancheck.api.messages import message

#: how many kept characters to show either side of a change in a long text
CONTEXT = 20
INDENT = "    "


def render(data: dict[str, Any], lang: str = "ja") -> str:
    """The comparison (``Comparison.as_dict()``) as text in ``lang``."""
    lines = [message("diff_header", lang, old=data["old"]["path"], new=data["new"]["path"])]
    parts = data["parts"]
    if parts:
        lines.append(message("diff_count", lang, count=len(parts)))
    else:
        lines.append(message("diff_no_changes", lang))
    kpis = {kpi.get("heading"): kpi for kpi in data["kpis"]}
    for part in parts:
        status = message(f"diff_status_{part['status']}", lang)
        lines.append("")
        lines.append(f"[{status}] {part['heading']}")
        kpi = kpis.get(part["heading"]) if part["kind"] == "kpi" else None
        if kpi is not None and part["status"] == "changed":
            lines.extend(_kpi_lines(kpi, lang))
        elif part["status"] == "changed":
            lines.extend(INDENT + line for line in marked(part["words"]).split("\n"))
        else:
            sign = "+ " if part["status"] == "added" else "- "
            text = part["new"] if part["status"] == "added" else part["old"]
            lines.extend(INDENT + sign + line for line in (text or "").split("\n"))
    lines.append("")
    findings = data["new_findings"]
    if findings:
        lines.append(message("diff_new_findings", lang, count=len(findings)))
        for finding in findings:
            where = f"{finding['path']}:{finding['line']}:{finding['column']}"
            lines.append(f"{INDENT}{where}: {finding['code']} {finding['message']}")
    else:
        lines.append(message("diff_no_new_findings", lang))
    return "\n".join(lines) + "\n"


def _kpi_lines(kpi: dict[str, Any], lang: str) -> list[str]:
    lines = []
    if kpi["old_name"] is not None:
        lines.append(
            INDENT + message("diff_kpi_renamed", lang, old=kpi["old_name"], new=kpi["name"])
        )
    none = message("diff_none", lang)
    for value in kpi["values"]:
        old, new = value["old"] if value["old"] is not None else none, value["new"] or none
        lines.append(INDENT + message("diff_value", lang, column=value["column"], old=old, new=new))
    return lines


def marked(words: list[list[str]]) -> str:
    """Word runs as one text, changes marked; long kept runs shortened to their ends (…)."""
    pieces = []
    for index, (op, text) in enumerate(words):
        if op == "-":
            pieces.append(f"[-{text}-]")
        elif op == "+":
            pieces.append(f"{{+{text}+}}")
        else:
            pieces.append(_shortened(text, index > 0, index < len(words) - 1))
    return "".join(pieces)


def _shortened(text: str, after_change: bool, before_change: bool) -> str:
    """A kept run: its start (after a change) and its end (before one), the middle left out."""
    head = text[:CONTEXT] if after_change else ""
    tail = text[-CONTEXT:] if before_change else ""
    if len(text) <= len(head) + len(tail) + 1:
        return text
    return f"{head}…{tail}"
