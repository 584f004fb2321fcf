"""``plancheck diff --format docx``: the 新旧対照表 as Japanese administrations lay it out, a Word
table with 変更後 on the left and 変更前 on the right, the changed characters underlined."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from plancheck.api.messages import message
from plancheck.output import output_language
from plancheck.output.comparison_html import Run, sides

if TYPE_CHECKING:
    from docx.table import _Cell, _Row

# A4 landscape: two columns of equal width between 20 mm margins
PAGE_WIDTH_MM, PAGE_HEIGHT_MM, MARGIN_MM = 297, 210, 20
FONT_SIZE_PT = 10.5
FONT = "ＭＳ 明朝"  # the font of official documents; Word substitutes where it is missing
TABLE_STYLE = "Table Grid"  # the default template's table with every border drawn


def render(data: Mapping[str, Any], lang: str) -> bytes:
    """The 新旧対照表 of ``data`` (``Comparison.as_dict()``) as the bytes of a .docx file."""
    from docx import Document  # python-docx, only when a Word file is written
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    lang = output_language(lang)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    normal = document.styles["Normal"]
    normal.font.size = Pt(FONT_SIZE_PT)
    _east_asian_font(normal.element, FONT)

    document.add_heading(message("comparison_table_title", lang), level=1)
    document.add_paragraph(_files(data, lang))
    parts = data.get("parts") or []
    if not parts:
        document.add_paragraph(message("comparison_no_changes", lang))
    else:
        document.add_paragraph(message("comparison_legend", lang))
        column = Mm((PAGE_WIDTH_MM - 2 * MARGIN_MM) / 2)
        table = document.add_table(rows=1, cols=2)
        table.style = document.styles[TABLE_STYLE]
        table.autofit = False
        header = table.rows[0]
        _repeat_on_each_page(header)
        for cell, key in zip(header.cells, ("comparison_new", "comparison_old"), strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = 1  # centred
            paragraph.add_run(message(key, lang)).bold = True
        for part in parts:
            new_runs, old_runs = sides(part)
            row = table.add_row()
            heading = str(part.get("heading", ""))
            _fill(row.cells[0], heading, new_runs)
            _fill(row.cells[1], heading, old_runs)
        for row in table.rows:
            for cell in row.cells:
                cell.width = column
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _files(data: Mapping[str, Any], lang: str) -> str:
    paths = {side: str((data.get(side) or {}).get("path", "")) for side in ("old", "new")}
    return message("comparison_files", lang, **paths)


def _fill(cell: _Cell, heading: str, runs: Sequence[Run]) -> None:
    """The part's heading (bold) and its text with the marked runs underlined; nothing at all
    for the side a part is missing from (an added part's 変更前, a removed one's 変更後)."""
    if not runs:
        return
    cell.paragraphs[0].add_run(heading).bold = True
    paragraph = cell.add_paragraph()
    for text, mark in runs:
        run = paragraph.add_run(text)  # a line break in the text becomes Word's <w:br/>
        if mark:
            run.underline = True


def _repeat_on_each_page(row: _Row) -> None:
    """Marks ``row`` as the table's header row, which Word repeats at the top of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _east_asian_font(style: Any, name: str) -> None:
    """Sets the Japanese (East Asian) font of a style, which python-docx's font.name does not."""
    from docx.oxml.ns import qn

    fonts = style.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
