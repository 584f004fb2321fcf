"""Profiles: the YAML definitions validate, inherit, ship in the package, and detection picks the
right generation from content alone."""

from pathlib import Path

import pytest

import plancheck
from plancheck import resources
from plancheck.profiles import ProfileError, build_profiles, builtin_definitions, detect

from conftest import ROOT, corpus_file, fixture_text

PROFILES = build_profiles(builtin_definitions())


@pytest.mark.parametrize(
    "name, expected",
    [
        ("midorino-2016.txt", "chiiki-saisei-2016"),
        ("midorino-2017.txt", "chiiki-saisei-2017"),
        ("midorino-2021.txt", "chiiki-saisei-2021"),
    ],
)
def test_fixture_generation_is_detected(name, expected):
    assert detect(PROFILES, fixture_text(name)).name == expected


def test_detection_uses_content_not_the_year():
    # a 2017-format plan whose dates were rewritten to 令和 is still a 2017-format plan
    text = fixture_text("midorino-2017.txt").replace("平成3", "令和1")
    assert detect(PROFILES, text).name == "chiiki-saisei-2017"


def test_other_documents_match_no_profile():
    text = corpus_file("tokku-keihin-evaluation-2020.txt").read_text(encoding="utf-8")
    assert detect(PROFILES, text) is None
    assert detect(PROFILES, "") is None


def test_inheritance():
    base, first = PROFILES["chiiki-saisei-2017"], PROFILES["chiiki-saisei-2016"]
    assert first.items == base.items
    assert [
        h.number for h in base.sections if h.number not in {h.number for h in first.sections}
    ] == [
        "4-1",
        "4-2",
    ]
    assert (
        PROFILES["chiiki-saisei-2021"]
        .items[4]
        .title.startswith("事業の実施状況に関する客観的な指標")
    )


@pytest.mark.parametrize(
    "definition, where",
    [
        ({"name": "x", "description": {"ja": "x"}}, "description"),
        ({"name": "x", "description": {"ja": "x", "en": "x"}, "sectons": []}, "sectons"),
        ({"name": "Bad Name", "description": {"ja": "x", "en": "x"}}, "name"),
    ],
)
def test_invalid_definitions_name_the_problem(definition, where):
    with pytest.raises(ProfileError, match=where):
        build_profiles([definition])


def test_unknown_parent_and_loops_are_errors():
    desc = {"ja": "x", "en": "x"}
    with pytest.raises(ProfileError, match="unknown profile 'nope'"):
        build_profiles([{"name": "a", "description": desc, "extends": "nope"}])
    with pytest.raises(ProfileError, match="loops"):
        build_profiles(
            [
                {"name": "a", "description": desc, "extends": "b"},
                {"name": "b", "description": desc, "extends": "a"},
            ]
        )


def test_data_ships_inside_the_installed_package():
    package = Path(plancheck.__file__).resolve().parent
    if ROOT / "src" in package.parents:
        pytest.skip("plancheck is imported from the source tree, not from an installed wheel")
    assert (package / "grammars" / "plan.lark").is_file()
    assert (package / "rules" / "profiles" / "chiiki-saisei-2021.yaml").is_file()
    assert Path(str(resources.data_dir("rules"))) == package / "rules"
