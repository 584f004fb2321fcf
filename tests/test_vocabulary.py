"""The shared vocabulary (plancheck.api.vocabulary) and the data files under rules/: every YAML
file there validates against its JSON Schema, and each word list has one definition."""

import re
from pathlib import Path

import pytest

from plancheck.api import resources, vocabulary
from plancheck.model import dates
from plancheck.reading import file_types

RULES = Path(__file__).resolve().parents[1] / "rules"
# a file's schema, by file or by folder; otherwise the file names it in a 「Schema: …」 comment
SCHEMAS = {
    "eras.yaml": "eras.schema.json",
    "support_codes.yaml": "support_codes.schema.json",
    "terms.yaml": "terms.schema.json",
    "text.yaml": "text.schema.json",
    "vocabulary.yaml": "vocabulary.schema.json",
    "profiles": "profile.schema.json",
    "measures": "measure.schema.json",
}
_NAMED = re.compile(r"Schema: rules/schema/(\S+?\.json)")
DATA_FILES = sorted(str(p.relative_to(RULES)) for p in RULES.rglob("*.yaml"))


def schema_of(relative: str) -> str | None:
    if relative in SCHEMAS or relative.split("/")[0] in SCHEMAS:
        return SCHEMAS.get(relative) or SCHEMAS[relative.split("/")[0]]
    named = _NAMED.search((RULES / relative).read_text(encoding="utf-8"))
    return named[1] if named else None


@pytest.mark.parametrize("relative", DATA_FILES)
def test_every_data_file_validates_against_its_schema(relative):
    schema = schema_of(relative)
    assert schema, f"rules/{relative} has no schema: add one to rules/schema and name it"
    assert resources.schema_error(resources.load_yaml(relative), schema) is None


def test_circled_numbers():
    assert vocabulary.CIRCLED == "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    assert len(vocabulary.CIRCLED_NUMBERS) == 50 and vocabulary.CIRCLED_NUMBERS[-1] == "㊿"
    assert [vocabulary.circled(n) for n in (1, 20, 21, 50, 0, 51)] == [
        "①", "⑳", "㉑", "㊿", None, None,
    ]  # fmt: skip
    assert [vocabulary.circled_value(c) for c in ("①", "⑳", "㊿", "1", "①②", "")] == [
        1, 20, 50, None, None, None,
    ]  # fmt: skip


@pytest.mark.parametrize(
    "cell, number",
    [("KPI1", 1), ("KPI⑪", 11), ("KPI(12)", 12), (" KP I ③ ", 3), ("KPI", None), ("人口", None)],
)
def test_kpi_number(cell, number):
    assert vocabulary.kpi_number(cell) == number


def test_era_names_come_from_the_era_table():
    assert vocabulary.era_names() == tuple(era.name for era in dates.eras())
    era = re.compile(vocabulary.era_pattern())
    assert all(era.fullmatch(name) for name in vocabulary.era_names())
    assert re.search(vocabulary.after_era_pattern() + "1", "大正1") is not None


@pytest.mark.parametrize(
    "text, nothing",
    [("", True), ("該当なし。", True), ("特 に な し", True), ("-", True), ("無し.", True),
     ("該当なしの場合を除く。", False), ("市が運営する。", False)],
)  # fmt: skip
def test_says_nothing(text, nothing):
    assert vocabulary.says_nothing(text) is nothing


def test_not_applicable_and_placeholders():
    assert vocabulary.not_applicable().search("(1)該当無し。")
    assert not vocabulary.not_applicable().search("特になし")
    blank = re.compile(vocabulary.placeholder_pattern())
    assert [bool(blank.fullmatch(t)) for t in ("〇〇", "○◯", "●●●", "〇●", "〇")] == [
        True, True, True, False, False,
    ]  # fmt: skip
    assert set(vocabulary.placeholder_marks()) == set("〇○◯●■□△×✕")


def test_file_suffixes_have_one_home():
    from plancheck.engine import batch
    from plancheck.web import app

    assert set(batch.PLAN_SUFFIXES) == set(file_types.TEXT_SUFFIXES) | set(
        file_types.DOCUMENT_SUFFIXES
    )
    assert ".doc" in batch.PLAN_SUFFIXES  # found in a folder, to say it cannot be read
    assert ".doc" not in file_types.READABLE_SUFFIXES
    assert app.READABLE_SUFFIXES is file_types.READABLE_SUFFIXES


def test_yaml_of_a_users_file_refuses_aliases_and_depth():
    with pytest.raises(resources.YamlError, match="aliases"):
        resources.parse_yaml("a: &x [1]\nb: *x\n", aliases=False)
    assert resources.parse_yaml("a: &x [1]\nb: *x\n") == {"a": [1], "b": [1]}
    with pytest.raises(resources.YamlError, match="nested more than 2 levels deep"):
        resources.parse_yaml("a: {b: {c: 1}}\n", max_depth=2)
    with pytest.raises(resources.YamlError):
        resources.parse_yaml("a: [1\n")
