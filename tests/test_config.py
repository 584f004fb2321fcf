"""Configuration files: discovery (nearest wins), precedence, validation, per-file ignores."""

import pytest

from plancheck.cli import main

from conftest import FIXTURES

DRAFT = FIXTURES.parents[2] / "examples" / "midorino-draft.txt"  # PC101 at 47, PC104 at 143


def plan_in(folder, name="plan.txt"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(DRAFT.read_bytes())
    return path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def codes_in(out):
    return [line.split(": ")[1].split()[0] for line in out.splitlines()]


def test_yaml_config_beside_the_plan(tmp_path, capsys):
    (tmp_path / "plancheck.yaml").write_text("ignore: [PC101]\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", str(plan_in(tmp_path)))
    assert codes_in(out) == ["PC104"] and code == 0


def test_nearest_config_wins(tmp_path, capsys):
    (tmp_path / "plancheck.yaml").write_text("ignore: [PC101]\n", encoding="utf-8")
    (tmp_path / "city" / ".plancheck.yaml").parent.mkdir()
    (tmp_path / "city" / ".plancheck.yaml").write_text("ignore: [PC104]\n", encoding="utf-8")
    outer, inner = plan_in(tmp_path), plan_in(tmp_path / "city")
    _, out, _ = run(capsys, "check", str(outer), str(inner))
    assert [(line.split(":")[0], codes_in(line)[0]) for line in out.splitlines()] == [
        (str(inner), "PC101"),
        (str(outer), "PC104"),
    ]


def test_pyproject_table(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "drafts"\n\n[tool.plancheck]\nselect = ["PC104"]\nfail-on = "warning"\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", str(plan_in(tmp_path)))
    assert codes_in(out) == ["PC104"] and code == 1


def test_pyproject_without_table_is_skipped_for_a_config_further_up(tmp_path, capsys):
    (tmp_path / "plancheck.yaml").write_text("select: [PC101]\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    _, out, _ = run(capsys, "check", str(plan_in(tmp_path / "sub")))
    assert codes_in(out) == ["PC101"]


def test_command_line_overrides_the_file(tmp_path, capsys):
    (tmp_path / "plancheck.yaml").write_text("ignore: [PC101]\nlang: en\n", encoding="utf-8")
    _, out, _ = run(capsys, "check", "--ignore", "PC104", str(plan_in(tmp_path)))
    assert codes_in(out) == ["PC101"]
    assert "is missing" in out  # lang from the file still applies


def test_explicit_config_and_severity(tmp_path, capsys):
    config = tmp_path / "review.yaml"
    config.write_text("severity: {PC104: error}\nselect: [PC104]\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--config", str(config), str(plan_in(tmp_path / "a")))
    assert "PC104 [error]" in out and code == 1


def test_per_file_ignores(tmp_path, capsys):
    (tmp_path / "plancheck.yaml").write_text(
        "per-file-ignores:\n  'drafts/*.txt': [PC1]\n", encoding="utf-8"
    )
    draft, final = plan_in(tmp_path / "drafts"), plan_in(tmp_path / "final")
    _, out, _ = run(capsys, "check", str(tmp_path))
    assert {line.split(":")[0] for line in out.splitlines()} == {str(final)}
    assert draft.exists()


@pytest.mark.parametrize(
    "content, expected",
    [
        ("selct: [PC1]\n", "設定「selct」はありません。使える設定: select, extend-select"),
        ("fail-on: fatal\n", "設定「fail-on」の値が正しくありません"),
        ("jobs: 0\n", "設定「jobs」の値が正しくありません"),
        ("- just a list\n", "設定「(top level)」の値が正しくありません"),
        ("select: [PC1\n", "設定ファイルを読み込めません"),
    ],
)
def test_bad_configuration_is_one_clear_error(tmp_path, capsys, content, expected):
    (tmp_path / "plancheck.yaml").write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "check", str(plan_in(tmp_path)))
    assert code == 2 and out == ""
    assert expected in err and str(tmp_path / "plancheck.yaml") in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_bad_configuration_in_english(tmp_path, capsys):
    (tmp_path / "plancheck.yaml").write_text("lang: fr\n", encoding="utf-8")
    _, _, err = run(capsys, "check", "--lang", "en", str(plan_in(tmp_path)))
    assert "bad value for 'lang'" in err and "ja, en" in err


def test_show_settings_says_where_each_value_came_from(tmp_path, capsys):
    (tmp_path / "plancheck.yaml").write_text("ignore: [PC5]\njobs: 1\n", encoding="utf-8")
    path = plan_in(tmp_path)
    code, out, _ = run(capsys, "check", "--show-settings", "--fail-on", "warning", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == str(path)
    assert f'  ignore = ["PC5"]  ({tmp_path / "plancheck.yaml"})' in lines
    assert '  fail-on = "warning"  (command line)' in lines
    assert "  profile = null  (default)" in lines


def test_plugin_settings_reach_rules(tmp_path):
    from plancheck.engine.config import SettingsResolver

    (tmp_path / "plancheck.yaml").write_text("plugins: {mycity: {max_kpis: 4}}\n", encoding="utf-8")
    settings = SettingsResolver({}).for_path(plan_in(tmp_path))
    assert settings.plugins == {"mycity": {"max_kpis": 4}}
