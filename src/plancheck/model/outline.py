"""The outline of a parsed plan (``plancheck parse``): the chosen profile and why, the plan's roles,
each measure block with its kind and items, and the section tree, as indented text or as JSON data."""

from __future__ import annotations

from typing import Any

from plancheck.api.messages import message
from plancheck.model.layout import layout
from plancheck.model.profiles import Detection
from plancheck.parsing.ast import Enumeration, Item, Label, Paragraph, Plan, Section, Table


def outline(plan: Plan, detection: Detection) -> dict[str, Any]:
    """The outline as data (schema: rules/schema/outline.schema.json); paragraphs are left out."""
    profile = detection.profile
    data: dict[str, Any] = {
        "path": plan.path,
        "profile": profile.name if profile else None,
        "detection": _detection(detection),
        "roles": {},
        "blocks": [],
        "children": [node for child in plan.preamble + plan.sections if (node := _node(child))],
    }
    if profile is not None:
        resolved = layout(plan, profile)
        data["roles"] = {role: s.number for role, s in resolved.sections.items()}
        data["blocks"] = [
            {
                "number": block.number,
                "line": block.node.span.line,
                "label": block.label_text,
                "codes": [code for code, _ in block.codes],
                "kind": block.kind.name if block.kind else None,
                "kind_description": dict(block.kind.description) if block.kind else None,
                "reason": block.reason or None,
                "items": [
                    {
                        "title": match.spec.title,
                        "role": match.spec.role,
                        "required": match.spec.required,
                        "number": match.item.number if match.item else None,
                        "line": match.item.span.line if match.item else None,
                    }
                    for match in block.matches
                ],
            }
            for block in resolved.blocks
        ]
    return data


def _detection(detection: Detection) -> dict[str, Any]:
    profile = detection.profile
    return {
        "description": dict(profile.description) if profile else None,
        "forced": profile is not None and not detection.candidates,
        "tie": list(detection.tie),
        "candidates": [
            {
                "profile": candidate.profile.name,
                "score": candidate.score,
                "evidence": [
                    {"kind": e.kind, "detail": e.detail, "points": e.points}
                    for e in candidate.evidence
                ],
            }
            for candidate in detection.candidates
        ],
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


def render_outline(data: dict[str, Any], lang: str = "ja") -> str:
    """Indented text: the profile and why, the roles and blocks, then one node a line with its
    original line number first."""
    out = _render_header(data, lang)

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


def _render_header(data: dict[str, Any], lang: str) -> list[str]:
    detection = data["detection"]
    if data["profile"] is None:
        return [message("outline_no_profile", lang), ""]
    description = (detection["description"] or {}).get(lang, "")
    out = [message("outline_profile", lang, profile=data["profile"], description=description)]
    candidates = detection["candidates"]
    if detection["forced"]:
        out.append(message("outline_forced", lang))
    elif candidates:
        best = candidates[0]
        evidence = "; ".join(
            message(f"evidence_{e['kind']}", lang, detail=e["detail"], points=e["points"])
            for e in best["evidence"]
        )
        out.append(message("outline_why", lang, score=best["score"], evidence=evidence))
        if detection["tie"]:
            out.append(message("outline_tie", lang, others=", ".join(detection["tie"])))
        others = ", ".join(f"{c['profile']} ({c['score']})" for c in candidates[1:])
        if others:
            out.append(message("outline_others", lang, others=others))
    roles = ", ".join(
        f"{message(f'role_{role}', lang)} = {number}" for role, number in data["roles"].items()
    )
    if roles:
        out.append(message("outline_roles", lang, roles=roles))
    for block in data["blocks"]:
        kind = block["kind_description"][lang] if block["kind"] else ""
        reason = message(f"kind_by_{block['reason']}" if block["reason"] else "kind_unknown", lang)
        codes = "".join(f" 【{code}】" for code in block["codes"])
        line = message("outline_block", lang, number=block["number"], kind=kind, reason=reason)
        out.append(f"{block['line']:>5}  {line}{codes}")
        for item in block["items"]:
            role = f" ← {message('role_' + item['role'], lang)}" if item["role"] else ""
            number = item["number"] or message("outline_missing", lang)
            out.append(f"{item['line'] or '':>5}    {number} {item['title']}{role}")
    out.append("")
    return out
