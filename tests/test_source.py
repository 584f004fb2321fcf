"""Reading bytes: encodings are detected, line breaks counted as editors do, binary refused."""

import codecs

import pytest

from plancheck.api.errors import InputError
from plancheck.reading.source import read_source

PLAN = "地域再生計画\n1 地域再生計画の名称\nみどり野市子育て計画\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (PLAN.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + PLAN.encode("utf-8"), "utf-8-sig"),
        (PLAN.encode("utf-16"), "utf-16"),
        (PLAN.encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]), "utf-16"),
        (PLAN.encode("cp932"), "cp932"),
    ],
)
def test_encodings_are_detected(data, encoding):
    source = read_source(data, "p.txt")
    assert source.encoding == encoding
    assert source.lines == ("地域再生計画", "1 地域再生計画の名称", "みどり野市子育て計画")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_breaks_are_counted_like_an_editor(newline):
    source = read_source(PLAN.replace("\n", newline).encode("utf-8"), "p.txt")
    assert len(source.lines) == 3


def test_unicode_line_separators_do_not_open_lines():
    source = read_source("a\u2028b\x0cc\nd".encode(), "p.txt")
    assert source.lines == ("a\u2028b\x0cc", "d")


def test_empty_file_has_no_lines_but_reads():
    assert read_source(b"", "p.txt").lines == ("",)


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n\x00\x00", b"PK\x03\x04\x14\x00\x06\x00", bytes(range(256))]
)
def test_binary_is_refused(data):
    with pytest.raises(InputError) as caught:
        read_source(data, "p.bin")
    assert caught.value.message_key == "binary"


def test_undecodable_text_is_refused():
    with pytest.raises(InputError) as caught:
        read_source(b"\x81\x20\xff\xfe abc", "p.txt")
    assert caught.value.message_key == "undecodable"
