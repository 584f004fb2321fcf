"""``check --fix`` on Word files: fixes change the text of runs and nothing else of the package."""

from __future__ import annotations

import copy
import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx_helper import build_docx
from lxml import etree

from plancheck import Rule, Settings, hookimpl
from plancheck.api.fixes import Edit, Fix
from plancheck.api.rule import Finding
from plancheck.engine import word_fixer
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.parsing.ast import Span
from plancheck.reading.word import read_docx

from conftest import fixture_text

WRONG, RIGHT = "重要事業評価指標", "重要業績評価指標"
DOCUMENT = "word/document.xml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class TermFix(Rule):
    """「重要事業評価指標」 is 「重要業績評価指標」 (a test rule with a safe fix)."""

    code = "TF101"
    name = "term-fix"
    severity = "warning"
    needs_profile = False
    fixable = "safe"
    messages = {"default": {"ja": "「重要業績評価指標」と書きます", "en": "write 重要業績評価指標"}}

    def check(self, plan, context):
        for line in plan.lines:
            start = line.text.find(WRONG)
            while start >= 0:
                column = line.column(start)
                end = column + len(WRONG)
                edit = Edit(line.number, column, line.number, end, WRONG, RIGHT)
                yield self.report(
                    context, Span(line.number, column, line.number, end), fix=Fix((edit,))
                )
                start = line.text.find(WRONG, start + 1)


class TermFixPlugin:
    @hookimpl
    def plancheck_rules(self):
        return [TermFix]


LINTER = Linter(
    Settings(select=["TF"]), PluginHost(load_entry_points=False, extra_plugins=(TermFixPlugin(),))
)


def findings_of(data: bytes, path: str = "plan.docx") -> list[Finding]:
    return LINTER.check_bytes(data, path).findings


def fixed(data: bytes) -> tuple[bytes, list[tuple[Finding, str]]]:
    return word_fixer.fix_docx(data, [f for f in findings_of(data) if f.fix])


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def new_document():
    document = docx.Document()
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    return document


def paragraph_of_runs(document, *runs: tuple[str, dict]):
    paragraph = document.add_paragraph()
    for text, formatting in runs:
        run = paragraph.add_run(text)
        for name, value in formatting.items():
            if name == "size":
                run.font.size = Pt(value)
            elif name == "hidden":
                run.font.hidden = value
            else:
                setattr(run, name, value)
    return paragraph


def rich_document() -> bytes:
    """Bold and plain runs, a font size, a numbered paragraph, a table and a comment."""
    document = new_document()
    paragraph_of_runs(document, ("見出しの", {"bold": True}), (f"本文の{WRONG}です", {}))
    paragraph_of_runs(document, ("重要事業", {"bold": True}), ("評価指標は太字に混ざる", {}))
    paragraph_of_runs(document, ("重要事", {}), ("業評価指標は二つの同じ書式の run", {}))
    paragraph_of_runs(document, (f"{WRONG}（大きい字）", {"size": 14}), ("の後", {"italic": True}))
    numbered = document.add_paragraph(f"{WRONG}の番号付きの段落", style="List Number")
    assert numbered.style.name == "List Number"
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "指標"
    table.cell(0, 1).text = f"{WRONG}（KPI）"
    table.cell(1, 0).text = "目標"
    table.cell(1, 1).text = "100件"
    commented = paragraph_of_runs(document, (f"注記つきの{WRONG}", {}))
    document.add_comment(commented.runs, text="確認してください", author="審査")
    return saved(document)


# --- helpers for comparing packages -----------------------------------------------------------


def members(data: bytes) -> list[tuple[str, int, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, i.compress_type, archive.read(i)) for i in archive.infolist()]


def texts_of(xml: bytes) -> list[str]:
    return [t.text or "" for t in etree.fromstring(xml).iter(W + "t")]


def masked(xml: bytes) -> bytes:
    """The part's XML in canonical form with the text of every w:t left out."""
    root = etree.fromstring(xml)
    for t in root.iter(W + "t"):
        t.text = "…"
    return etree.tostring(root, method="c14n")


def document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(DOCUMENT)


def assert_only_texts_changed(before: bytes, after: bytes, expected: dict[str, str]) -> None:
    """Every member but the document byte for byte, in order and compression; the document's
    XML the same but for the w:t texts in ``expected`` (old text → new text)."""
    old, new = members(before), members(after)
    assert [(name, kind) for name, kind, _ in old] == [(name, kind) for name, kind, _ in new]
    for (name, _, content), (_, _, written) in zip(old, new, strict=True):
        if name != DOCUMENT:
            assert written == content, name
    assert masked(document_xml(after)) == masked(document_xml(before))
    changed = [
        (was, now)
        for was, now in zip(
            texts_of(document_xml(before)), texts_of(document_xml(after)), strict=True
        )
        if was != now
    ]
    assert changed == list(expected.items())


def fixed_lines(lines, findings) -> list[str]:
    """The text lines with the findings' edits made in them (one edit per line, as here)."""
    result = list(lines)
    for finding in sorted(findings, key=lambda f: (f.line, f.column), reverse=True):
        for edit in finding.fix.edits:
            line = result[edit.line - 1]
            assert line[edit.column - 1 : edit.end_column - 1] == edit.old
            result[edit.line - 1] = line[: edit.column - 1] + edit.new + line[edit.end_column - 1 :]
    return result


# --- the fixes --------------------------------------------------------------------------------


def test_a_fix_inside_one_run_changes_only_that_text():
    document = new_document()
    paragraph_of_runs(document, ("見出しの", {"bold": True}), (f"本文の{WRONG}です", {}))
    paragraph_of_runs(document, ("次の段落", {"italic": True}))
    data = saved(document)
    result, skipped = fixed(data)
    assert skipped == []
    assert_only_texts_changed(data, result, {f"本文の{WRONG}です": f"本文の{RIGHT}です"})
    assert findings_of(result) == []


def test_formatting_numbering_tables_and_comments_stay():
    data = rich_document()
    result, skipped = fixed(data)
    assert [(f.line, key) for f, key in skipped] == [(2, "fix_crosses_formatting")]
    assert_only_texts_changed(
        data,
        result,
        {
            f"本文の{WRONG}です": f"本文の{RIGHT}です",
            "重要事": RIGHT,
            "業評価指標は二つの同じ書式の run": "は二つの同じ書式の run",
            f"{WRONG}（大きい字）": f"{RIGHT}（大きい字）",
            f"{WRONG}の番号付きの段落": f"{RIGHT}の番号付きの段落",
            f"{WRONG}（KPI）": f"{RIGHT}（KPI）",
            f"注記つきの{WRONG}": f"注記つきの{RIGHT}",
        },
    )
    # what Word shows: the reader's lines are the text lines fixed the same way
    before = read_docx(data, "plan.docx").lines
    assert list(read_docx(result, "plan.docx").lines) == fixed_lines(
        before, [f for f in findings_of(data) if f.line != 2]
    )
    assert [f.line for f in findings_of(result)] == [2]  # only the one Word must fix


def test_an_edit_across_bold_and_plain_is_skipped_with_the_message():
    document = new_document()
    paragraph_of_runs(document, ("重要事業", {"bold": True}), ("評価指標", {}))
    data = saved(document)
    result, skipped = fixed(data)
    assert result == data  # nothing applied: the very same bytes
    assert [key for _, key in skipped] == ["fix_crosses_formatting"]
    from plancheck.api.messages import message

    assert "Word で直してください" in message("fix_crosses_formatting", "ja")
    assert "fix it in Word" in message("fix_crosses_formatting", "en")


def test_runs_of_one_formatting_in_different_parents_are_not_merged():
    document = new_document()
    paragraph = paragraph_of_runs(document, ("重要事業", {}))
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w")} w:anchor="x"><w:r><w:t>評価指標</w:t></w:r></w:hyperlink>'
        )
    )
    data = saved(document)
    assert fixed(data)[1][0][1] == "fix_crosses_formatting"


def finding_with(line: int, column: int, old: str, new: str, end: int | None = None) -> Finding:
    end_column = end if end is not None else column + len(old)
    edit = Edit(line, column, line, end_column, old, new)
    return Finding(
        "plan.docx", line, column, "TF101", line, end_column, "term-fix", "warning", "…",
        fix=Fix((edit,)),
    )  # fmt: skip


def test_an_edit_in_a_list_number_word_generates_is_not_fixable():
    document = new_document()
    document.add_paragraph("本文", style="List Number")
    data = saved(document)
    assert read_docx(data, "p.docx").lines == ("1. 本文",)
    result, skipped = word_fixer.fix_docx(data, [finding_with(1, 1, "1.", "１．")])
    assert result == data
    assert [key for _, key in skipped] == ["fix_word_generated"]
    # the text after the number is the run's
    result, skipped = word_fixer.fix_docx(data, [finding_with(1, 4, "本文", "本 文")])
    assert skipped == []
    assert read_docx(result, "p.docx").lines == ("1. 本 文",)
    (t,) = etree.fromstring(document_xml(result)).iter(W + "t")
    assert t.text == "本 文"


def test_field_results_and_tabs_are_not_fixable():
    document = new_document()
    paragraph = document.add_paragraph()
    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" DOCPROPERTY x ">'
            f"<w:r><w:t>{WRONG}</w:t></w:r></w:fldSimple>"
        )
    )
    complex_field = document.add_paragraph()
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> REF x </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r><w:t>{WRONG}</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        complex_field._p.append(parse_xml(xml.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))
    complex_field.add_run(f"後の{WRONG}")
    tabbed = document.add_paragraph("重要事業")
    tabbed.add_run().add_tab()
    tabbed.add_run("評価指標")
    data = saved(document)
    lines = read_docx(data, "p.docx").lines
    assert lines == (WRONG, f"{WRONG}後の{WRONG}", "重要事業 評価指標")
    result, skipped = word_fixer.fix_docx(
        data,
        [
            finding_with(1, 1, WRONG, RIGHT),
            finding_with(2, 1, WRONG, RIGHT),
            finding_with(2, 11, WRONG, RIGHT),
            finding_with(3, 1, "重要事業 評価指標", RIGHT),
        ],
    )
    assert [(f.line, f.column, key) for f, key in skipped] == [
        (1, 1, "fix_word_generated"),
        (2, 1, "fix_word_generated"),
        (3, 1, "fix_word_generated"),
    ]
    assert read_docx(result, "p.docx").lines == (WRONG, f"{WRONG}後の{RIGHT}", lines[2])


def test_a_fix_whose_old_text_is_not_there_is_skipped():
    document = new_document()
    document.add_paragraph(f"本文の{WRONG}")
    data = saved(document)
    result, skipped = word_fixer.fix_docx(data, [finding_with(1, 1, WRONG, RIGHT)])
    assert result == data
    assert [key for _, key in skipped] == ["fix_stale"]
    result, skipped = word_fixer.fix_docx(data, [finding_with(9, 1, WRONG, RIGHT)])
    assert [key for _, key in skipped] == ["fix_stale"]


def test_overlapping_fixes_apply_the_first_and_skip_the_other():
    document = new_document()
    document.add_paragraph(f"本文の{WRONG}")
    data = saved(document)
    first = finding_with(1, 4, WRONG, RIGHT)
    other = finding_with(1, 6, "事業", "業績")
    result, skipped = word_fixer.fix_docx(data, [first, other])
    assert skipped == [(other, "fix_word_overlaps")]
    assert read_docx(result, "p.docx").lines == (f"本文の{RIGHT}",)


def test_several_edits_in_one_run_and_spaces_kept():
    document = new_document()
    document.add_paragraph("甲 乙 丙")
    data = saved(document)
    result, skipped = word_fixer.fix_docx(
        data,
        [
            finding_with(1, 1, "甲", " 甲"),  # a leading space Word would drop without preserve
            finding_with(1, 5, "丙", "丙丁"),
            finding_with(1, 3, "", "＊", end=3),  # an insertion
        ],
    )
    assert skipped == []
    (t,) = etree.fromstring(document_xml(result)).iter(W + "t")
    assert t.text == " 甲 ＊乙 丙丁"
    assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert read_docx(result, "p.docx").lines == (" 甲 ＊乙 丙丁",)


def test_an_insertion_between_runs_takes_the_formatting_before_it():
    document = new_document()
    paragraph_of_runs(document, ("太字", {"bold": True}), ("普通", {}))
    data = saved(document)
    result, _ = word_fixer.fix_docx(data, [finding_with(1, 3, "", "。", end=3)])
    assert texts_of(document_xml(result)) == ["太字。", "普通"]


def test_suppression_comments_and_hidden_runs_keep_the_columns():
    document = new_document()
    paragraph = paragraph_of_runs(document, ("隠し", {"hidden": True}), (f"見える{WRONG}", {}))
    document.add_comment(paragraph.runs, text="plancheck: disable=PC501")
    data = saved(document)
    line = read_docx(data, "p.docx").lines[0]
    assert line.startswith(f"見える{WRONG} <!-- ")
    result, skipped = fixed(data)
    assert skipped == []
    assert texts_of(document_xml(result)) == ["隠し", f"見える{RIGHT}"]


# --- the walk agrees with the reader ----------------------------------------------------------

BUILT = {
    "rich": rich_document,
    **{
        name: (lambda name=name: build_docx(fixture_text(name)).data)
        for name in (
            "midorino-2016.txt",
            "midorino-2017.txt",
            "midorino-2021.txt",
            "aoba-multi-2023.txt",
        )
    },
    "unmerged": lambda: build_docx(fixture_text("midorino-2021.txt"), merge_empty=False).data,
    "typed-numbers": lambda: build_docx(fixture_text("haruka-2025.txt"), numbered=False).data,
}


@pytest.mark.parametrize("name", sorted(BUILT))
def test_the_walk_reads_the_lines_the_reader_reads(name):
    data = BUILT[name]()
    package = docx.Document(io.BytesIO(data)).part
    walked = word_fixer._walk(document_xml(data), package)
    read = read_docx(data, "p.docx").lines
    assert len(walked.lines) == len(read)
    for pieces, line in zip(walked.lines, read, strict=True):
        assert word_fixer._agrees(word_fixer._text(pieces), line)
        for piece in pieces:  # a run's piece is the run's text
            if piece.t is not None:
                assert piece.t.text[piece.offset : piece.offset + len(piece.text)] == piece.text


def test_nested_tables_and_merged_cells_agree_with_the_reader():
    document = new_document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = f"  {WRONG}  "
    table.cell(0, 1).text = "a"
    inner = table.cell(0, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = WRONG
    inner.cell(0, 1).text = "b"
    table.cell(1, 1).merge(table.cell(1, 2)).text = f"結合{WRONG}"
    data = saved(document)
    result, skipped = fixed(data)
    assert skipped == []
    before = read_docx(data, "p.docx").lines
    assert list(read_docx(result, "p.docx").lines) == [
        line.replace(WRONG, RIGHT) for line in before
    ]
    assert masked(document_xml(result)) == masked(document_xml(data))


# --- the built-in PC503 fix -------------------------------------------------------------------


def test_the_builtin_term_fix_rewrites_a_word_plan():
    text = fixture_text("midorino-2021.txt").replace("重要業績評価指標", WRONG, 1)
    data = build_docx(text).data
    linter = Linter(Settings(), PluginHost(load_entry_points=False))
    found = [f for f in linter.check_bytes(data, "plan.docx").findings if f.code == "PC503"]
    assert found and all(f.fix for f in found)
    result, skipped = word_fixer.fix_docx(data, found)
    assert skipped == []
    assert [f for f in linter.check_bytes(result, "plan.docx").findings if f.code == "PC503"] == []
    before = read_docx(data, "plan.docx").lines
    assert list(read_docx(result, "plan.docx").lines) == fixed_lines(before, found)
    assert masked(document_xml(result)) == masked(document_xml(data))


def test_every_other_member_is_copied_even_with_stored_members():
    """A package whose members are stored (not deflated) keeps them stored."""
    data = rich_document()
    stored = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(stored, "w") as out:
        for info in archive.infolist():
            kind = zipfile.ZIP_STORED if info.filename.endswith(".rels") else zipfile.ZIP_DEFLATED
            out.writestr(copy.copy(info), archive.read(info), compress_type=kind)
    data = stored.getvalue()
    result, _ = fixed(data)
    assert_only_texts_changed(
        data,
        result,
        {
            f"本文の{WRONG}です": f"本文の{RIGHT}です",
            "重要事": RIGHT,
            "業評価指標は二つの同じ書式の run": "は二つの同じ書式の run",
            f"{WRONG}（大きい字）": f"{RIGHT}（大きい字）",
            f"{WRONG}の番号付きの段落": f"{RIGHT}の番号付きの段落",
            f"{WRONG}（KPI）": f"{RIGHT}（KPI）",
            f"注記つきの{WRONG}": f"注記つきの{RIGHT}",
        },
    )
    head = document_xml(data).split(b"?>", 1)[0]
    assert document_xml(result).startswith(head + b"?>")  # the declaration as Word wrote it


# --- the command line on Word and PDF files ---------------------------------------------------


def test_check_fix_rewrites_a_word_plan_and_a_second_run_has_nothing_to_fix(
    tmp_path, monkeypatch, capsys
):
    from plancheck.cli import main

    monkeypatch.chdir(tmp_path)
    text = fixture_text("midorino-2021.txt").replace("重要業績評価指標", WRONG, 1)
    original = build_docx(text).data
    plan = tmp_path / "plan.docx"
    plan.write_bytes(original)
    assert "PC503" in [f.code for f in Linter().check_bytes(original, "plan.docx").findings]
    main(["check", "--fix", "plan.docx"])
    first = capsys.readouterr()
    assert "1 件を修正しました" in first.err and "Traceback" not in first.err
    written = plan.read_bytes()
    assert written != original
    assert masked(document_xml(written)) == masked(document_xml(original))
    assert [m for m in members(written) if m[0] != DOCUMENT] == [
        m for m in members(original) if m[0] != DOCUMENT
    ]
    assert WRONG not in "\n".join(read_docx(written, "plan.docx").lines)
    main(["check", "--fix", "plan.docx"])
    second = capsys.readouterr()
    assert "0 件を修正しました" in second.err and "PC503" not in second.out
    assert plan.read_bytes() == written


def test_check_fix_never_writes_a_pdf(tmp_path, monkeypatch, capsys):
    from pathlib import Path

    from plancheck.cli import main

    monkeypatch.chdir(tmp_path)
    source = Path(__file__).parent / "fixtures" / "pdf" / "midorino-2017-defects.pdf"
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(source.read_bytes())
    assert main(["check", "--fix", "plan.pdf"]) == 2
    out, err = capsys.readouterr()
    assert "PDF には書き込まない" in err and "Traceback" not in err
    assert plan.read_bytes() == source.read_bytes()
    assert main(["check", "--fix", "--lang", "en", "plan.pdf"]) == 2
    assert "never writes a PDF" in capsys.readouterr().err


def test_a_document_part_in_utf16_stays_utf16():
    document = new_document()
    document.add_paragraph(f"本文の{WRONG}")
    data = saved(document)
    root = etree.fromstring(document_xml(data))
    utf16 = etree.tostring(root, xml_declaration=True, encoding="UTF-16", standalone=True)
    repacked = word_fixer._replace_member(data, DOCUMENT, utf16)
    assert read_docx(repacked, "p.docx").lines == (f"本文の{WRONG}",)
    result, skipped = fixed(repacked)
    assert skipped == []
    assert document_xml(result).startswith(b"\xff\xfe<\x00?\x00x\x00m\x00l\x00")
    assert read_docx(result, "p.docx").lines == (f"本文の{RIGHT}",)
