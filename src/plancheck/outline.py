"""The outline of a parsed plan (``plancheck parse``), as indented text or as JSON-ready data."""

from __future__ import annotations

from typing import Any

from plancheck.ast import Enumeration, Item, Label, Paragraph, Plan, Section, Table


def outline(plan: Plan, profile: str | None) -> dict[str, Any]:
    """The outline as data (schema: rules/schema/outline.schema.json); paragraphs are left out."""
    return {
        "path": plan.path,
        "profile": profile,
        "children": [node for child in plan.preamble + plan.sections if (node := _node(child))],
    }


def _node(node: object) -> dict[str, Any] | None:
    if isinstance(node, (Paragraph, Enumeration)):
        return None
    if isinstance(node, Table):
        return {"kind": "table", "line": node.span.line, "rows": len(node.rows), "children": []}
    if isinstance(node, Label):
        entry: dict[str, Any] = {"kind": "label", "label": node.label, "line": node.span.line}
    elif isinstance(node, (Section, Item)):
        entry = {
            "kind": node.kind,
            "number": node.number,
            "title": node.title,
            "line": node.span.line,
        }
    else:
        return None
    entry["children"] = [child for c in node.children if (child := _node(c))]
    return entry


def render_outline(data: dict[str, Any]) -> str:
    """Indented text: one node a line, with its original line number first."""
    out: list[str] = []

    def walk(nodes: list[dict[str, Any]], depth: int) -> None:
        for node in nodes:
            if node["kind"] == "label":
                text = f"【{node['label']}】"
            elif node["kind"] == "table":
                text = f"[table: {node['rows']} rows]"
            else:
                text = f"{node['number']} {node['title']}".rstrip()
            out.append(f"{node['line']:>5}  {'  ' * depth}{text}")
            walk(node["children"], depth + 1)

    walk(data["children"], 0)
    return "".join(line + "\n" for line in out)
