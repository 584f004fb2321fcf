"""Profiles: the YAML definitions validate, inherit, ship in the package, and detection picks the
right generation from content alone."""

from pathlib import Path

import pytest

import plancheck
from plancheck.api import resources
from plancheck.model.profiles import ProfileError, build_profiles, builtin_definitions, detect
from plancheck.parsing.normalize import normalize
from plancheck.parsing.parser import parse_lines

from conftest import ROOT, corpus_file, fixture_text

PROFILES = build_profiles(builtin_definitions())


def detected(text):
    return detect(PROFILES, parse_lines(normalize(text.splitlines()))).profile


@pytest.mark.parametrize(
    "name, expected",
    [
        ("nagisa-2015.txt", "chiiki-saisei-2015"),
        ("midorino-2016.txt", "chiiki-saisei-2016"),
        ("midorino-2017.txt", "chiiki-saisei-2017"),
        ("hibari-kigyo-2019.txt", "chiiki-saisei-2017"),
        ("midorino-2021.txt", "chiiki-saisei-2021"),
        ("minato-joint-2021.txt", "chiiki-saisei-2021"),
        ("sakuradai-kigyo-2022.txt", "chiiki-saisei-2021"),
        ("aoba-multi-2023.txt", "chiiki-saisei-2021"),
        ("haruka-2025.txt", "chiiki-saisei-2025"),
    ],
)
def test_fixture_generation_is_detected(name, expected):
    assert detected(fixture_text(name)).name == expected


def test_detection_uses_content_not_the_year():
    # a 2017-format plan whose dates were rewritten to 令和 is still a 2017-format plan
    text = fixture_text("midorino-2017.txt").replace("平成3", "令和1")
    assert detected(text).name == "chiiki-saisei-2017"


def test_without_markers_the_most_general_profile_wins_and_says_it_was_a_tie():
    # only the skeleton: 2016, 2017, 2021 and 2025 explain it equally; the base profile is chosen,
    # never the newest by priority
    skeleton = [f"{h.number} {h.title}" for h in PROFILES["chiiki-saisei-2016"].sections]
    detection = detect(PROFILES, parse_lines(normalize(["地域再生計画", *skeleton])))
    assert detection.profile.name == "chiiki-saisei-2017"
    assert "chiiki-saisei-2021" in detection.tie


def test_detection_explains_its_choice():
    plan = parse_lines(normalize(fixture_text("midorino-2021.txt").splitlines()))
    best = detect(PROFILES, plan).candidates[0]
    assert best.profile.name == "chiiki-saisei-2021"
    kinds = {evidence.kind: evidence for evidence in best.evidence}
    assert kinds["sections"].detail.startswith("1 2 3 4 4-1 4-2 5")
    assert "【デジタル社会の形成への寄与】" in {e.detail for e in best.evidence}
    assert best.score == sum(evidence.points for evidence in best.evidence)


def test_other_documents_match_no_profile():
    text = corpus_file("tokku-keihin-evaluation-2020.txt").read_text(encoding="utf-8")
    assert detected(text) is None
    assert detected("") is None


def test_inheritance():
    base, first = PROFILES["chiiki-saisei-2017"], PROFILES["chiiki-saisei-2016"]
    assert first.roles == base.roles
    assert [
        h.number for h in base.sections if h.number not in {h.number for h in first.sections}
    ] == ["4-1", "4-2", "4-3"]
    assert first.divisions == {}
    leading = PROFILES["chiiki-saisei-2021"].statement_sets["leading"]
    assert "デジタル社会の形成への寄与" in leading["required"]


def test_every_yaml_file_in_the_folders_is_a_profile_or_a_measure_kind():
    folder = Path(str(resources.data_dir("rules")))
    names = {p.stem for p in (folder / "profiles").glob("*.yaml")}
    assert names == set(PROFILES)
    kinds = {k.name for k in PROFILES["chiiki-saisei-2021"].kinds}
    assert {"suishin-kofukin", "kigyo-furusato-nozei"} <= kinds
    assert len(kinds) == len(list((folder / "measures").glob("*.yaml")))


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


def test_a_profile_that_extends_another_names_only_the_roles_it_moves():
    child = {
        "name": "city-2021",
        "extends": "chiiki-saisei-2021",
        "description": {"ja": "市の様式", "en": "a city's format"},
        "roles": {"plan_period": ["7"]},
    }
    profiles = build_profiles([*builtin_definitions(), child])
    parent, city = profiles["chiiki-saisei-2021"].roles, profiles["city-2021"].roles
    assert city["plan_period"] == ("7",)
    assert {role: numbers for role, numbers in city.items() if role != "plan_period"} == {
        role: numbers for role, numbers in parent.items() if role != "plan_period"
    }
    assert profiles["chiiki-saisei-2015"].roles["name"] == ("1",)  # inherited from 2017
