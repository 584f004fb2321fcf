"""Property tests: any bytes or text, and random line edits of real and fixture plans, never crash
(no exception, and no rule that raised: PC000), and every finding points at a line that exists in
the input."""

from hypothesis import given
from hypothesis import strategies as st

from plancheck.api.errors import InputError
from plancheck.engine.config import Settings
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.reading.source import read_source
from plancheck.testing import assert_no_internal_error

from conftest import CORPUS, FIXTURES, REAL_PLANS

LINTER = Linter(Settings(), PluginHost(load_entry_points=False))

PLANS = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt"))]
PLANS += [
    (CORPUS / name).read_text(encoding="utf-8") for name in REAL_PLANS if (CORPUS / name).exists()
]

# Text made of the characters plans are made of, so the grammar's markers are hit often.
PLAN_ALPHABET = st.sampled_from(
    list(
        "0123456789-.,、。 \t\n【】①②③④⑤⑥⑦⑧⑨(1)アイ・#*-<>pKPI年月日度計画地域再生該当なし０１２－"
    )
)


def assert_sound(data: bytes) -> None:
    try:
        lines = read_source(data, "p.txt").lines
    except InputError:
        return
    first = LINTER.check_bytes(data, "p.txt")
    assert first.error is None
    # the linter turns a rule that raised into a PC000 finding so a user's batch goes on; here it
    # is the crash these tests look for
    assert_no_internal_error(first.findings, f"{data[:80]!r}")
    for finding in first.findings:
        assert 1 <= finding.line <= len(lines)
        assert 1 <= finding.column and finding.message
    assert LINTER.check_bytes(data, "p.txt").findings == first.findings  # deterministic


@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data):
    assert_sound(data)


@given(st.text(max_size=2000))
def test_arbitrary_unicode(text):
    assert_sound(text.encode("utf-8"))


@given(st.text(PLAN_ALPHABET, max_size=3000))
def test_plan_like_text(text):
    assert_sound(text.encode("utf-8"))


def _width_flip(line: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in line)


EDITS = ("delete", "duplicate", "swap", "flip", "tab", "truncate")


@given(
    st.sampled_from(PLANS),
    st.lists(
        st.tuples(st.sampled_from(EDITS), st.integers(0, 10_000), st.integers(0, 10_000)),
        max_size=8,
    ),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16"]),
)
def test_random_edits_of_plans(plan, edits, newline, encoding):
    lines = plan.split("\n")
    for edit, a, b in edits:
        if not lines:
            break
        i, j = a % len(lines), b % len(lines)
        if edit == "delete":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(i, lines[i])
        elif edit == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif edit == "flip":
            lines[i] = _width_flip(lines[i])
        elif edit == "tab":
            lines[i] = (
                lines[i][: b % (len(lines[i]) + 1)] + "\t" + lines[i][b % (len(lines[i]) + 1) :]
            )
        elif edit == "truncate":
            lines = lines[: i + 1]
    text = newline.join(lines)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    assert_sound(data)


def _zip_of(entries: list[tuple[str, bytes]]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


@given(
    st.sampled_from(["p.docx", "p.pdf", "p.doc", "-"]),
    st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=2000).map(lambda b: b"%PDF-1.4\n" + b),
        st.lists(
            st.tuples(
                st.sampled_from(["word/document.xml", "[Content_Types].xml", "word/numbering.xml"]),
                st.binary(max_size=500),
            ),
            max_size=3,
            unique_by=lambda entry: entry[0],
        ).map(_zip_of),
    ),
)
def test_document_readers_never_crash(path, data):
    # any bytes named .docx/.pdf/.doc (or on stdin): findings or one error, never an exception
    result = LINTER.check_bytes(data, path)
    assert (result.error is None) or (result.error and not result.findings)
    assert_no_internal_error(result.findings, f"{path} {data[:80]!r}")
    for finding in result.findings:
        assert finding.line >= 1 and finding.message
