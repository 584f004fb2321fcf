"""Word and PDF files built to exhaust memory are refused with one clear message (too_large).

Every hostile file is generated here, small on disk and huge when inflated: a .docx whose
document.xml inflates to hundreds of megabytes, one whose ZIP declares small sizes, a PDF with a
Flate bomb as its page content, PDFs with 5,000 pages, a Form XObject drawn thousands of times,
unbalanced saved graphics states. The readers must refuse each one before inflating it (or
while inflating, with memory bounded), and read normal documents exactly as before.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from docx_helper import build_docx
from hostile_files import (
    HOSTILE,
    MB,
    PARAGRAPH,
    MiB,
    deflated,
    docx_bomb,
    docx_of,
    flate_bomb_pdf,
    many_pages_pdf,
    pdf_page,
    zip_archive,
)

from plancheck.api.errors import InputError
from plancheck.cli import main
from plancheck.engine.config import Settings
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.reading import pdf as pdf_reader
from plancheck.reading.limits import (
    DEFAULT_LIMITS,
    DocumentLimits,
    current_limits,
    limits_applied,
    set_limits,
)

from conftest import FIXTURES, web_defect_plan

HOST = PluginHost(load_entry_points=False)
PDF_FIXTURES = Path(__file__).parent / "fixtures" / "pdf"


def linter(**settings) -> Linter:
    return Linter(Settings(**settings), HOST)


def too_large(data: bytes, name: str) -> InputError:
    with pytest.raises(InputError) as caught:
        linter().read(data, name)
    assert caught.value.message_key == "too_large", caught.value
    return caught.value


# --- the hostile files -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_documents_are_refused_with_the_limit_named(name):
    build, limit = HOSTILE[name]
    data = build()
    assert len(data) < 2 * MB  # small on disk
    assert too_large(data, name).detail == DEFAULT_LIMITS.describe(limit)
    result = linter().check_bytes(data, name)
    assert result.findings == [] and result.error == (
        f"{name}: ファイルが大きすぎるため読み込みません（上限 {DEFAULT_LIMITS.describe(limit)} "
        "を超えています）。信頼できるファイルであれば、設定でこの上限を引き上げてください"
    )
    english = linter(lang="en").check_bytes(data, name).error
    assert english.startswith(
        f"{name}: the file is too large to read (it exceeds the limit {limit} = "
    )


def test_a_bomb_is_exit_2_with_the_message_on_stderr_and_the_batch_goes_on(capsys, tmp_path):
    (tmp_path / "bomb.docx").write_bytes(docx_bomb(400))
    (tmp_path / "bomb.pdf").write_bytes(flate_bomb_pdf(200 * MB))
    (tmp_path / "plan.docx").write_bytes(build_docx(web_defect_plan()).data)
    code = main(["check", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err
    assert f"{tmp_path / 'bomb.docx'}: ファイルが大きすぎるため読み込みません" in err
    assert f"{tmp_path / 'bomb.pdf'}: ファイルが大きすぎるため読み込みません" in err
    assert f"{tmp_path / 'plan.docx'}:" in out  # the good file was still checked


CHILD = """
import resource, sys
sys.path[:0] = [{tests!r}]
import test_hostile_documents as hostile
from plancheck.engine.linter import Linter
for name, (build, limit) in hostile.HOSTILE.items():
    result = Linter(None, hostile.HOST).check_bytes(build(), name)
    assert result.error and limit in result.error, (name, result.error)
# On Linux ru_maxrss keeps the parent's high-water mark across fork and exec (a child of a
# 400 MB pytest reports 400 MB); VmHWM is this process's own peak.
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = peak // 1024 if sys.platform == "darwin" else peak
print(peak)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX only")
def test_memory_stays_bounded_reading_every_hostile_document():
    # Before the limits, bomb.docx alone went past 4 GB, flate-bomb.pdf took 1 GB, form-reuse.pdf
    # 4.5 GB and saved-states.pdf 3.5 GB. Now reading all of them peaks near 200 MB. (A CI run once
    # measured 308 MB: that was pytest's own peak, which ru_maxrss carries into a child.)
    code = CHILD.format(tests=str(Path(__file__).parent))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) < 300 * 1024  # kilobytes


# --- each limit, with small files and lowered limits -----------------------------------------


def test_sizes_that_lie_are_caught_while_inflating():
    # 4 MB of XML declared as 5 KB, the ratio check out of the way: the inflated bytes are
    # counted as they come, and the count stops at the limit
    data = docx_of(4, PARAGRAPH * (MB // len(PARAGRAPH)), declared=5_000)
    with limits_applied(DocumentLimits(max_docx_xml_bytes=MiB, max_docx_ratio=10**6)):
        assert too_large(data, "x.docx").detail == "max_docx_xml_bytes = 1 MiB"
    with limits_applied(DocumentLimits(max_docx_member_bytes=2 * MiB, max_docx_ratio=10**6)):
        assert too_large(data, "x.docx").detail == "max_docx_member_bytes = 2 MiB"


def _docx_with_members(count: int, size: int = 10) -> bytes:
    members = [deflated(f"word/media/image{n}.bin", bytes(size)) for n in range(count)]
    return zip_archive([*zip_archive_members_of_a_plan(), *members])


def zip_archive_members_of_a_plan():
    plan = zipfile.ZipFile(io.BytesIO(build_docx("1 地域再生計画の名称\n\nみどり野計画").data))
    return [deflated(info.filename, plan.read(info)) for info in plan.infolist()]


def test_member_count_and_total_size():
    many = _docx_with_members(50)
    assert linter().read(many, "x.docx").lines  # under the defaults it reads
    with limits_applied(DocumentLimits(max_docx_members=40)):
        assert too_large(many, "x.docx").detail == "max_docx_members = 40"
    heavy = _docx_with_members(10, size=200_000)  # 2 MB of media, each member 200 KB
    with limits_applied(DocumentLimits(max_docx_bytes=MiB)):
        assert too_large(heavy, "x.docx").detail == "max_docx_bytes = 1 MiB"


def test_an_end_record_declaring_a_huge_directory_is_refused_before_it_is_parsed():
    data = bytearray(_docx_with_members(3))
    end = data.rindex(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 0xFFFE, 0xFFFE)  # 65,534 members
    assert too_large(bytes(data), "x.docx").detail == "max_docx_members = 10,000"


def test_an_xml_part_with_another_name_still_counts_as_xml():
    # python-docx parses the main part whatever it is called: [Content_Types].xml says XML
    data = docx_of(40, part="word/document.bin")  # 40 × 16,000 paragraphs, 44 MB
    big = DocumentLimits(max_docx_member_bytes=10**9, max_docx_bytes=10**9, max_docx_ratio=10**6)
    with limits_applied(big):
        assert too_large(data, "x.docx").detail == "max_docx_xml_bytes = 32 MiB"


def test_compression_word_never_uses_is_refused_as_damage():
    data = bytearray(_docx_with_members(1))
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = data.rindex(signature)  # the media member is the last one
        data[at + offset : at + offset + 2] = struct.pack("<H", zipfile.ZIP_BZIP2)
    with pytest.raises(InputError) as caught:
        linter().read(bytes(data), "x.docx")
    assert caught.value.message_key == "word_corrupt"


def test_pdf_limits_on_objects_and_run_length_data():
    pages = many_pages_pdf(3)  # 18 characters a page
    with limits_applied(DocumentLimits(max_pdf_objects=40, max_pdf_page_objects=20)):
        assert too_large(pages, "x.pdf").detail == "max_pdf_objects = 40"
    with limits_applied(DocumentLimits(max_pdf_page_objects=17)):
        assert too_large(pages, "x.pdf").detail == "max_pdf_page_objects = 17"
    with limits_applied(DocumentLimits(max_pdf_pages=2)):
        assert too_large(pages, "x.pdf").detail == "max_pdf_pages = 2"
    run_length = pdf_page(b"\x81 " * 10_000 + b"\x80", b"/Filter /RunLengthDecode ")  # 1.28 MB
    with limits_applied(DocumentLimits(max_pdf_stream_bytes=MiB)):
        assert too_large(run_length, "x.pdf").detail == "max_pdf_stream_bytes = 1 MiB"
    assert linter().read(run_length, "x.pdf").encoding == pdf_reader.NO_TEXT


# --- normal documents read exactly as before -------------------------------------------------

GENEROUS = DocumentLimits(**{name: 10**12 for name in DocumentLimits.__dataclass_fields__})
SMALL = DocumentLimits(  # a tenth of the defaults or less: the fixtures are far from them
    max_docx_members=100,
    max_docx_member_bytes=MiB,
    max_docx_bytes=2 * MiB,
    max_docx_xml_bytes=MiB,
    max_docx_ratio=50,
    max_pdf_pages=10,
    max_pdf_stream_bytes=4 * MiB,
    max_pdf_page_bytes=200_000,
    max_pdf_page_objects=3_000,
    max_pdf_objects=50_000,
)
PDFS = sorted(path.name for path in PDF_FIXTURES.glob("*.pdf") if path.name != "encrypted.pdf")
PLANS = sorted(path.name for path in FIXTURES.glob("*.txt"))


@pytest.mark.parametrize("name", PDFS)
def test_fixture_pdfs_read_the_same_under_any_limits_they_fit(name):
    data = (PDF_FIXTURES / name).read_bytes()
    with limits_applied(GENEROUS):
        generous = linter().read(data, name)
    with limits_applied(SMALL):
        assert linter().read(data, name) == generous
    assert linter().read(data, name) == generous


@pytest.mark.parametrize("name", PDFS)
def test_the_bounded_layout_is_pdfplumbers_own(name):
    import pdfplumber

    data = (PDF_FIXTURES / name).read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as plain, pdfplumber.open(io.BytesIO(data)) as ours:
        pdf_reader._bound_decoders()
        usage = pdf_reader._Usage(DEFAULT_LIMITS)
        reading = pdf_reader._USAGE.set(usage)
        try:
            for page, bounded in zip(plain.pages, ours.pages, strict=True):
                pdf_reader._lay_out(bounded, usage)
                for kind in ("char", "line", "rect", "curve", "image"):
                    key = (kind + "s") if kind != "char" else "chars"
                    assert _shape(getattr(bounded, key)) == _shape(getattr(page, key))
                assert bounded.extract_text() == page.extract_text()
        finally:
            pdf_reader._USAGE.reset(reading)


def _shape(objects) -> list[tuple]:
    keys = ("text", "fontname", "size", "x0", "x1", "top", "bottom", "width", "height")
    return [tuple(obj.get(key) for key in keys) for obj in objects]


@pytest.mark.parametrize("name", PLANS)
def test_fixture_plans_as_word_read_the_same_under_any_limits_they_fit(name):
    data = build_docx((FIXTURES / name).read_text(encoding="utf-8")).data
    with limits_applied(GENEROUS):
        generous = linter().read(data, name + ".docx")
    with limits_applied(SMALL):
        assert linter().read(data, name + ".docx") == generous
    assert linter().read(data, name + ".docx") == generous


TEXT = b"BT /F1 12 Tf (hello world) Tj ET\n" * 50
FLATE = zlib.compress(TEXT)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("zlib", (FLATE,)),
        ("zlib", (FLATE + b"junk",)),
        ("zlib", (FLATE[:-2],)),  # a damaged checksum
        ("zlib", (FLATE[: len(FLATE) // 2],)),
        ("zlib", (b"not zlib",)),
        ("decompress_corrupted", (FLATE[:-1],)),
        ("decompress_corrupted", (FLATE[:-4],)),
        ("decompress_corrupted", (FLATE[:20] + b"\xff" * 20,)),
        ("rldecode", (b"\x02abc\xfdz\x80",)),
        ("rldecode", (b"\x02abc\xfdz",)),  # no EOD
        ("rldecode", (b"\x05ab",)),  # a literal run cut short
        ("rldecode", (b"\xfd",)),  # a repeat without its byte
        ("ascii85decode", (b'87cURD]i,"Ebo80~>',)),
        ("asciihexdecode", (b"61 62 6>",)),
        ("lzwdecode", (bytes.fromhex("800b6050220c0c8501"),)),
        ("apply_png_predictor", (12, 1, 4, 8, b"\x02\x01\x02\x03\x04\x01\x01\x01\x01\x01")),
    ],
)
def test_bounded_decoders_give_pdfminers_results(name, args):
    from pdfminer import pdftypes

    pdf_reader._bound_decoders()
    bounded = getattr(pdftypes, name)
    original = zlib.decompress if name == "zlib" else bounded.__wrapped__
    if name == "zlib":
        bounded = bounded.decompress

    def outcome(decode):
        try:
            return decode(*args)
        except BaseException as error:  # the same error is the point
            return type(error), str(error)

    reading = pdf_reader._USAGE.set(pdf_reader._Usage(DEFAULT_LIMITS))
    try:
        assert outcome(bounded) == outcome(original)
    finally:
        pdf_reader._USAGE.reset(reading)


# --- the API the configuration uses ----------------------------------------------------------


def test_limits_api():
    assert current_limits() == DEFAULT_LIMITS
    previous = set_limits(DocumentLimits(max_pdf_pages=2_000))
    try:
        assert previous == DEFAULT_LIMITS and current_limits().max_pdf_pages == 2_000
        with limits_applied(None):
            assert current_limits() == DEFAULT_LIMITS
        assert current_limits().max_pdf_pages == 2_000
    finally:
        set_limits(None)
    assert current_limits() is DEFAULT_LIMITS
    assert DEFAULT_LIMITS.describe("max_docx_xml_bytes") == "max_docx_xml_bytes = 32 MiB"
    assert DocumentLimits(max_pdf_stream_bytes=1_000).describe("max_pdf_stream_bytes") == (
        "max_pdf_stream_bytes = 1,000 bytes"
    )
    for bad in (0, -1, 1.5, True, "10"):
        with pytest.raises(ValueError, match="max_pdf_pages must be a positive integer"):
            DocumentLimits(max_pdf_pages=bad)
    with pytest.raises(TypeError):
        set_limits({"max_pdf_pages": 10})


def test_a_raised_limit_lets_the_file_through():
    data = many_pages_pdf(600)
    assert too_large(data, "x.pdf").detail == "max_pdf_pages = 500"
    with limits_applied(DocumentLimits(max_pdf_pages=600)):
        assert linter().read(data, "x.pdf").lines[-1].endswith("Page 600 of the plan")


@pytest.mark.parametrize(
    "setting, code, shown",
    [
        ("max_pdf_pages: 1", 2, "max_pdf_pages = 1"),  # the 3-page plan is over it
        ("max_pdf_pages: 0", 2, "limits/max_pdf_pages"),  # not a limit: a configuration error
        ("max_pdf_pages: 900", 1, "PC201"),  # read: its findings
    ],
)
def test_the_limits_are_set_in_the_configuration_file(tmp_path, capsys, setting, code, shown):
    from plancheck.cli import main

    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes((PDF_FIXTURES / "midorino-2017-defects.pdf").read_bytes())
    (tmp_path / "plancheck.yaml").write_text(f"limits:\n  {setting}\n", encoding="utf-8")
    assert main(["check", str(pdf)]) == code
    captured = capsys.readouterr()
    assert shown in captured.out + captured.err
