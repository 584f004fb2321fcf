"""Word (.docx) and PDF plans give the findings of their text, at the paragraph, row or page."""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx_helper import build_docx
from test_structure_rules import drop_section

from plancheck.api.errors import InputError
from plancheck.api.results import Place
from plancheck.cli import main
from plancheck.engine.batch import plan_files
from plancheck.engine.config import Settings
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.reading.pdf import NO_TEXT, _is_page_number
from plancheck.reading.word import _format_number

from conftest import REAL_PLANS, codes, corpus_file, fixture_text

PDF_FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
PLAN_PDF = PDF_FIXTURES / "midorino-2017-defects.pdf"

# Defects as the rule tests inject them: a section dropped from every plan, and per generation
# a wrong 累計 (2017, 2021: PC201, and PC203 where the table is copied) or a misspelt label (2016).
DEFECTS = {
    "midorino-2016.txt": ("【官民協働】", "【官民連携】"),
    "midorino-2017.txt": ("9,000千円\t22,500千円", "9,000千円\t23,500千円"),
    "midorino-2021.txt": ("\t60.00", "\t61.00"),
}


HOST = PluginHost(load_entry_points=False)


def linter(**settings) -> Linter:
    return Linter(Settings(**settings), HOST)


def defective(name: str) -> str:
    before, after = DEFECTS[name]
    text = drop_section(fixture_text(name), "6 計画期間")
    assert before in text
    return text.replace(before, after, 1)


def read(data: bytes, path: str):
    return linter().read(data, path)


def outline(source) -> list[tuple[str, str, str]]:
    plan, _ = linter().parse(source)
    found = []
    for section in plan.iter_sections():
        found.append(("section", section.number, section.title))
        found.extend(("item", item.number, item.title) for item in section.items())
    return found


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- Word ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_docx_gives_the_text_findings_at_their_paragraphs(name):
    text = defective(name)
    expected = codes(linter().check_bytes(text.encode(), "plan.txt").findings)
    assert "PC101" in {code for code, _ in expected} and len(expected) >= 2
    document = build_docx(text)
    result = linter().check_bytes(document.data, "plan.docx")
    assert codes(result.findings) == [
        (code, document.paragraph_of_line[line]) for code, line in expected
    ]
    for finding in result.findings:
        assert finding.place is not None and finding.place.paragraph == finding.line


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_numbered_headings_parse_like_typed_ones(name):
    text = defective(name)  # 6 is missing: Word's list is restarted at 7 ("set numbering value")
    data = build_docx(text).data
    typed = build_docx(text, numbered=False).data
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "地域再生計画の名称" in paragraphs and "1 地域再生計画の名称" not in paragraphs
    assert "事業主体" in paragraphs  # ① comes from a decimalEnclosedCircle list
    assert b"startOverride" in zipfile.ZipFile(io.BytesIO(data)).read("word/numbering.xml")
    from_text = outline(read(text.encode(), "plan.txt"))
    assert outline(read(data, "plan.docx")) == from_text
    assert outline(read(typed, "plan.docx")) == from_text
    assert ("section", "7", "目標の達成状況に係る評価に関する事項") in from_text


def test_kpi_table_with_merged_cells_still_reads():
    text = fixture_text("midorino-2021.txt")
    document = build_docx(text.replace("\t60.00", "\t61.00"))
    source = read(document.data, "plan.docx")
    first_row = document.paragraph_of_line[text.split("\n").index("【数値目標】") + 3]
    # the KPI name spans five grid columns in Word and is one cell here
    assert source.lines[first_row - 1] == "KPI①\t子育て支援アプリの登録世帯数\t単位\t世帯"
    assert source.places[first_row - 1] == Place(paragraph=first_row, table=1, row=1)
    grid = zipfile.ZipFile(io.BytesIO(document.data)).read("word/document.xml")
    assert b'w:gridSpan w:val="5"' in grid
    findings = linter(select=["PC2"]).check_bytes(document.data, "plan.docx").findings
    assert [(f.code, f.place.table, f.place.row) for f in findings] == [("PC201", 1, 7)]


def test_kpi_table_with_a_title_row_spanning_the_table():
    # 【数値目標】 typed into a merged first row of the 2017 KPI table: a row of one cell reads
    # as a line of its own, the label the table follows in the text version.
    text = fixture_text("midorino-2017.txt")
    spanning = text.replace("【数値目標】\n\n", "【数値目標】\t\t\t\t\t\n", 1)
    document = build_docx(spanning.replace("\t22,500千円", "\t23,500千円", 1))
    source = read(document.data, "plan.docx")
    title = source.lines.index("【数値目標】")
    assert source.places[title] == Place(paragraph=title + 1, table=1, row=1)
    findings = linter(select=["PC201"]).check_bytes(document.data, "plan.docx").findings
    assert [(f.code, f.place.table, f.place.row) for f in findings] == [("PC201", 1, 3)]


def test_vertically_merged_cells_repeat_nothing():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for row, cells in enumerate(
        [["区分", "事業開始前", "増加分"], ["", "", "1年目"], ["KPI1", "1", "2"]]
    ):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(1, 1))
    buffer = io.BytesIO()
    document.save(buffer)
    source = read(buffer.getvalue(), "table.docx")
    assert source.lines == ("区分\t事業開始前\t増加分", "\t\t1年目", "KPI1\t1\t2")
    assert source.places[1] == Place(paragraph=2, table=1, row=2)


def _with_xml(document, xml: str) -> None:
    document.element.body.insert(0, parse_xml(xml))


def test_body_text_only_text_boxes_headers_deleted_and_hidden_text_left_out():
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "みどり野市（ヘッダー）"
    document.sections[0].footer.paragraphs[0].text = "- 1 -"
    w = nsdecls("w") + ' xmlns:v="urn:schemas-microsoft-com:vml"'
    _with_xml(
        document,
        f"<w:p {w}><w:r><w:t>地域再生</w:t></w:r>"
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>枠内の文</w:t></w:r>"
        "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        "<w:del><w:r><w:delText>削除</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>計画</w:t></w:r></w:ins>"
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隠し文字</w:t></w:r>"
        "<w:r><w:br/><w:t>改行の後</w:t><w:tab/><w:t>タブの後</w:t></w:r></w:p>",
    )
    buffer = io.BytesIO()
    document.save(buffer)
    source = read(buffer.getvalue(), "plan.docx")
    assert source.lines == ("地域再生計画 改行の後 タブの後",)
    assert source.encoding == "docx"


def test_heading_styles_bound_to_a_list_are_numbered():
    # Word's "link level to style": Heading 1/2 carry the list in styles.xml, not the paragraph.
    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:pStyle w:val="Heading{n + 1}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for n, (fmt, text) in enumerate(
            [("decimalFullWidth", "%1"), ("decimalFullWidth", "%1－%2")]
        )
    )
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>')
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    for style in ("Heading 1", "Heading 2"):
        properties = document.styles[style].element.get_or_add_pPr()
        properties.get_or_add_numPr().get_or_add_numId().val = 90
    document.add_paragraph("地域再生計画")
    for text, level in [
        ("計画の名称", 1),
        ("計画の目標", 1),
        ("課題", 2),
        ("将来像", 2),
        ("事業", 1),
    ]:
        document.add_heading(text, level)
    buffer = io.BytesIO()
    document.save(buffer)
    source = read(buffer.getvalue(), "plan.docx")
    assert source.lines[1:] == (
        "１ 計画の名称",
        "２ 計画の目標",
        "２－１ 課題",
        "２－２ 将来像",
        "３ 事業",
    )
    assert [n for kind, n, _ in outline(source) if kind == "section"] == [
        "1",
        "2",
        "2-1",
        "2-2",
        "3",
    ]


@pytest.mark.parametrize(
    ("style", "value", "shown"),
    [
        ("decimalEnclosedCircle", 5, "⑤"),
        ("decimalEnclosedCircle", 21, "㉑"),
        ("decimalEnclosedParen", 3, "(3)"),
        ("aiueoFullWidth", 2, "イ"),
        ("iroha", 3, "ハ"),
        ("upperRoman", 14, "XIV"),
        ("lowerLetter", 28, "bb"),
        ("japaneseCounting", 23, "二十三"),
        ("decimalFullWidth", 12, "１２"),
        ("ordinalText", 4, "4"),
    ],
)
def test_word_number_formats(style, value, shown):
    assert _format_number(value, style) == shown


def test_text_output_names_the_heading_and_the_table_row(capsys, tmp_path):
    text = defective("midorino-2021.txt")
    document = build_docx(text)
    path = tmp_path / "plan.docx"
    path.write_bytes(document.data)
    code, out, err = run(capsys, "check", str(path))
    assert code == 1 and "Traceback" not in err
    lines = out.splitlines()
    # Word numbers no paragraphs: the heading a finding sits under, then its table cell or line
    assert lines[0].startswith(f"{path}:24:")
    assert lines[0].endswith("(「4-2 地方創生として目指す将来像」の表1 の 7 行目 「61.00」)")
    assert lines[1].startswith(f"{path}:91:")
    assert lines[1].endswith("(「7 目標の達成状況に係る評価に関する事項」)")
    _, out, _ = run(capsys, "check", "--lang", "en", str(path))
    assert out.splitlines()[0].endswith(
        '(under "4-2 地方創生として目指す将来像", table 1 row 7 "61.00")'
    )


def test_documents_by_magic_bytes_on_standard_input_but_text_files_stay_text():
    data = build_docx(fixture_text("midorino-2021.txt")).data
    assert read(data, "-").encoding == "docx"
    assert read(PLAN_PDF.read_bytes(), "-").encoding == "pdf"
    assert read(b"%PDF-1.7 is the version", "notes.txt").lines == ("%PDF-1.7 is the version",)


@pytest.mark.parametrize("name", REAL_PLANS)
def test_real_plans_rebuilt_as_docx_give_the_same_findings(name):
    filed = corpus_file(name).read_text(encoding="utf-8")
    # as filed, and with 【自立性】 misspelt (PC401 at ④, so that every plan has a finding)
    misspelt = filed.replace("【自立性】", "【自律性】", 1)
    for text in (filed, misspelt):
        expected = codes(linter().check_bytes(text.encode(), name).findings)
        assert text == filed or "PC401" in {code for code, _ in expected}
        for merge_empty in (True, False):
            document = build_docx(text, merge_empty=merge_empty)
            result = linter().check_bytes(document.data, name.replace(".txt", ".docx"))
            assert codes(result.findings) == [
                (code, document.paragraph_of_line[line]) for code, line in expected
            ]
    assert outline(read(build_docx(filed).data, "plan.docx")) == outline(read(filed.encode(), name))


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_fixture_gives_the_findings_of_its_text_with_pages():
    text_result = linter().check_file(PDF_FIXTURES / "midorino-2017-defects.txt")
    pdf_result = linter().check_file(PLAN_PDF)
    expected = [f.code for f in text_result.findings]
    assert {"PC101", "PC201", "PC203"} <= set(expected)
    assert [f.code for f in pdf_result.findings] == expected
    pages = {(f.code, f.place.page, f.place.table, f.place.row) for f in pdf_result.findings}
    assert ("PC201", 1, 1, 2) in pages  # the 4-2 table on page 1, its first KPI row
    assert ("PC101", 3, None, None) in pages  # at 7, on the last page
    assert all(f.place.page for f in pdf_result.findings)


def test_pdf_drops_running_headers_and_page_numbers():
    source = read(PLAN_PDF.read_bytes(), str(PLAN_PDF))
    assert source.encoding == "pdf" and len(source.lines) == len(source.places)
    assert not [line for line in source.lines if "みどり野市 地域再生計画" in line]
    assert not [line for line in source.lines if _is_page_number(line)]
    assert source.lines[0] == "地域再生計画"
    assert [p.page for p in source.places][-1] == 3
    # paragraphs wrapped by the page width are one line again, as in the text
    text = (PDF_FIXTURES / "midorino-2017-defects.txt").read_text(encoding="utf-8")
    paragraphs = {line for line in text.split("\n") if line.strip() and "\t" not in line}
    assert paragraphs - set(source.lines) == {"事業期間：平成30年度～平成32年度"}
    assert "事業期間：平成30年度〜平成32年度" in source.lines  # the font maps ～ to 〜


def test_pdf_table_with_merged_header_cells():
    source = read((PDF_FIXTURES / "merged-cells.pdf").read_bytes(), "merged-cells.pdf")
    assert source.lines == (
        "【数値目標】",
        "KPI\t事業開始前\t増加分",  # 増加分 spans two columns and counts once
        "\t\t1年目\t2年目",  # under KPI and 事業開始前 (merged downwards): empty cells
        "販売額\t48,500千円\t6,000千円\t7,500千円",
    )
    assert source.places[2] == Place(page=1, table=1, row=2)


@pytest.mark.parametrize(
    ("text", "is_number"),
    [("3", True), ("- 3 -", True), ("3/12", True), ("－３－", True), ("p. 4", True),
     ("(5)", True), ("12ページ", True), ("2024年", False), ("KPI1", False), ("3 計画", False)],
)  # fmt: skip
def test_page_number_lines(text, is_number):
    assert _is_page_number(text) is is_number


def test_scanned_pdf_gets_one_no_text_layer_finding(capsys):
    source = read((PDF_FIXTURES / "scanned.pdf").read_bytes(), "scanned.pdf")
    assert source.lines == () and source.encoding == NO_TEXT
    code, out, err = run(capsys, "check", str(PDF_FIXTURES / "scanned.pdf"))
    assert code == 1 and "Traceback" not in err
    (only,) = out.splitlines()  # PC003 alone: not also PC001 (not a plan)
    assert only.startswith(f"{PDF_FIXTURES / 'scanned.pdf'}:1:1: PC003 [error]")
    assert "文字情報（テキスト層）がありません" in only
    _, out, _ = run(
        capsys, "check", "--lang", "en", "--select", "PC003", str(PDF_FIXTURES / "scanned.pdf")
    )
    assert "has no text layer" in out


def test_text_files_never_get_pc003():
    assert "PC003" not in {f.code for f in linter().check_bytes(b"", "empty.txt").findings}


# --- files that cannot be read ---------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _broken_xml_docx() -> bytes:
    good = zipfile.ZipFile(io.BytesIO(build_docx("地域再生計画").data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in good.infolist():
            data = good.read(item)
            archive.writestr(item, b"<w:document" if item.filename == "word/document.xml" else data)
    return buffer.getvalue()


BAD_FILES = {
    "old.doc": (OLE + "WordDocument".encode("utf-16-le"), "word_legacy", "古い Word 形式"),
    "protected.docx": (
        OLE + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le"),
        "encrypted",
        "パスワードで保護",
    ),
    "truncated.docx": (
        b"PK\x03\x04" + bytes(40),
        "word_corrupt",
        "Word 文書（.docx）として読み込めません",
    ),
    "no-body.docx": (_zip("word/styles.xml", b"<x/>"), "word_corrupt", "Word 文書"),
    "bad-xml.docx": (_broken_xml_docx(), "word_corrupt", "Word 文書"),
    "plain.docx": (b"just text", "word_corrupt", "Word 文書"),
    "rtf.doc": (b"{\\rtf1\\ansi plan}", "word_legacy", "古い Word 形式"),
    "truncated.pdf": (PLAN_PDF.read_bytes()[:3000], "pdf_corrupt", "PDF として読み込めません"),
    "not-a.pdf": (b"hello", "pdf_corrupt", "PDF として読み込めません"),
    "encrypted.pdf": (
        (PDF_FIXTURES / "encrypted.pdf").read_bytes(),
        "encrypted",
        "パスワードで保護",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_unreadable_documents_raise_a_clear_input_error(name):
    data, key, _ = BAD_FILES[name]
    with pytest.raises(InputError) as caught:
        read(data, name)
    assert caught.value.message_key == key


def test_unreadable_documents_are_exit_2_and_the_batch_goes_on(capsys, tmp_path):
    for name, (data, _, _) in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
    good = tmp_path / "plan.docx"
    good.write_bytes(build_docx(defective("midorino-2021.txt")).data)
    code, out, err = run(capsys, "check", str(tmp_path))
    assert code == 2 and "Traceback" not in err
    assert f"{good}:24:" in out  # the good file was still checked
    for name, (_, _, text) in BAD_FILES.items():
        assert f"{tmp_path / name}: {text}" in err
    _, _, err = run(capsys, "check", "--lang", "en", str(tmp_path / "old.doc"))
    assert "old Word file (.doc, Word 97-2003)" in err


def test_directories_pick_up_docx_and_pdf(tmp_path):
    # .doc too, so that an old Word plan in a folder is reported as unreadable, not skipped
    for name in ("a.txt", "b.docx", "c.PDF", "d.doc", "e.xlsx"):
        (tmp_path / name).write_bytes(b"")
    names = [Path(p).name for p in plan_files([str(tmp_path)])]
    assert names == ["a.txt", "b.docx", "c.PDF", "d.doc"]


def test_checking_a_text_file_imports_no_document_library():
    code = (
        "import sys\n"
        "from plancheck.cli import main\n"
        f"main(['check', '--exit-zero', '-q', {str(PDF_FIXTURES / 'midorino-2017-defects.txt')!r}])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'docx', 'pdfplumber', 'pdfminer', 'lxml'}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().endswith("[]")


def test_checking_one_file_starts_neither_the_fixer_nor_a_process_pool():
    # `plancheck check one.txt` must start fast: --fix's machinery and the pool of -j load only
    # when they are used
    code = (
        "import sys\n"
        "from plancheck.cli import main\n"
        f"main(['check', '--exit-zero', '-q', {str(PDF_FIXTURES / 'midorino-2017-defects.txt')!r}])\n"
        "print(sorted(m for m in ('plancheck.engine.fixer', 'plancheck.engine.word_fixer',\n"
        "    'concurrent.futures.process', 'multiprocessing') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().endswith("[]")
