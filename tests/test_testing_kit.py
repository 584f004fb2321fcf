"""The plugin authors' testing kit: the plancheck_lint fixture, YAML rule cases, assert_documented."""

import textwrap
from types import SimpleNamespace

import pytest

from plancheck import Rule, hookimpl
from plancheck.testing import (
    PlancheckLint,
    assert_documented,
    assert_examples,
    codes,
    documented_examples,
    load_cases,
)

from conftest import ROOT, fixture_text

# Installed, plancheck registers this pytest plugin by itself (pyproject's pytest11 entry point,
# named after the module so that naming it here again is harmless); pytester runs plugin suites.
pytest_plugins = ("pytester", "plancheck.testing")


class ForbiddenWord(Rule):
    """設定した語がある (a word the plugin's settings forbid).

    Failing example::

        仮の文

    Passing example::

        本文
    """

    code = "XY901"
    name = "forbidden-word"
    severity = "warning"
    messages = {"default": {"ja": "「{word}」があります", "en": "「{word}」 is there"}}

    def check(self, plan, context):
        word = context.plugin_settings.get("xy", {}).get("word", "仮")
        for line in plan.lines:
            if word in line.text:
                yield self.report(context, plan.find_span(line.number, word), word=word)


class WordPlugin:
    @hookimpl
    def plancheck_rules(self):
        return [ForbiddenWord]


PLAN = fixture_text("midorino-2021.txt")


# --- the fixture ------------------------------------------------------------------------------


def test_fixture_lints_a_text_with_the_builtins(plancheck_lint):
    assert plancheck_lint(PLAN) == []
    assert codes(plancheck_lint(PLAN.replace("6 計画期間", "計画期間"))) == [("PC101", 177)]


def test_fixture_lints_a_file_and_names_it(plancheck_lint, tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(PLAN.replace("6 計画期間", "計画期間"), encoding="utf-8")
    [finding] = plancheck_lint(path)
    assert (finding.path, finding.code) == (str(path), "PC101")
    result = plancheck_lint.result(path, path="shown.txt")
    assert (result.path, result.profile) == ("shown.txt", "chiiki-saisei-2021")


def test_fixture_takes_plugins_and_settings(plancheck_lint):
    text = PLAN.replace("みどり野子育て移住応援事業", "みどり野子育て移住応援事業（仮）")
    assert codes(plancheck_lint(text, WordPlugin())) == [("XY901", 61)]
    plugin = WordPlugin()
    found = plancheck_lint(text, plugin, plugins={"xy": {"word": "移住"}}, lang="en", select=["XY"])
    assert found[0].message == "「移住」 is there" and len(found) == 12  # lines that say 移住
    assert plancheck_lint.host(plugin) is plancheck_lint.host(plugin)  # one host per plugin set


def test_installed_plugins_stay_out(monkeypatch):
    entry = SimpleNamespace(name="word", load=WordPlugin, dist=None)
    monkeypatch.setattr("plancheck.engine.plugin_host.metadata.entry_points", lambda group: [entry])
    text = PLAN.replace("みどり野子育て移住応援事業", "みどり野子育て移住応援事業（仮）")
    assert PlancheckLint()(text) == []


def test_a_plugin_suite_needs_no_conftest(pytester):
    pytester.makepyfile(
        test_city="""
        def test_lint(plancheck_lint):
            text = "地域再生計画\\n1 地域再生計画の名称\\n2 地域再生計画の作成主体の名称\\n"
            assert "PC101" in [f.code for f in plancheck_lint(text, select=["PC1"])]
        """
    )
    pytester.runpytest("-p", "plancheck.testing").assert_outcomes(passed=1)


def test_pytest_finds_the_kit_through_an_entry_point():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    entry_points = project["project"]["entry-points"]["pytest11"]
    assert entry_points == {"plancheck.testing": "plancheck.testing"}


# --- YAML rule cases ----------------------------------------------------------------------------


def write(path, text):
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def cases_in(tmp_path, text):
    return [param.values[0] for param in load_cases(write(tmp_path / "cases.yaml", text))]


def test_a_case_text_may_start_with_a_tab_as_a_table_row_does(tmp_path):
    """Plugin authors' case files are read as PyYAML reads them: libyaml would refuse a block
    scalar whose first line starts with a tab."""
    (tmp_path / "cases.yaml").write_text(
        "cases:\n  row:\n    select: [XY]\n    fail: |\n      \t10\t20\n      KPI1\n    expect: [XY100:1]\n",
        encoding="utf-8",
    )
    (case,) = [param.values[0] for param in load_cases(tmp_path / "cases.yaml")]
    assert case.source().startswith("\t10\t20\n")


def test_cases_pass_fail_and_file(tmp_path, plancheck_lint):
    write(tmp_path / "plan.txt", PLAN)
    cases = load_cases(
        write(
            tmp_path / "cases.yaml",
            """\
            defaults:
              select: [XY]
              profile: chiiki-saisei-2021
            cases:
              clean:
                pass: 本文
              provisional:
                fail: |
                  前文
                  事業名（仮）
                expect: ["XY901:2"]
                messages: [「仮」]
              provisional-in-english:
                lang: en
                select: XY9
                fail: 事業名（仮）
                expect: [XY901:1]
                messages: [is there]
              setting:
                plugins: {xy: {word: 子育て支援アプリ}}
                file: plan.txt
                replace: [["子育て支援アプリ", "子育てアプリ"]]
              setting-found:
                plugins: {xy: {word: 一時預かり}}
                file: plan.txt
                replace: [["急な発熱時などに子どもを預けられる場所", "一時預かり"]]
                expect: [XY901:19, XY901:49, XY901:65, XY901:67, XY901:75, XY901:79, XY901:93]
            """,
        )
    )
    assert [param.id for param in cases] == [
        "cases::clean",
        "cases::provisional",
        "cases::provisional-in-english",
        "cases::setting",
        "cases::setting-found",
    ]
    for param in cases:
        param.values[0].run(plancheck_lint, WordPlugin())


def test_a_case_that_fails_says_what_it_found(tmp_path, plancheck_lint):
    [wrong_line, wrong_message] = cases_in(
        tmp_path,
        """\
        defaults: {select: [XY], profile: chiiki-saisei-2021}
        cases:
          wrong-line:
            fail: "前文\\n仮"
            expect: ["XY901:1"]
          wrong-message:
            fail: 仮
            expect: ["XY901:1"]
            messages: [ありません]
        """,
    )
    with pytest.raises(
        AssertionError,
        match=r"(?s)cases::wrong-line .*expected \['XY901:1'\].*XY901:2 「仮」があります",
    ):
        wrong_line.run(plancheck_lint, WordPlugin())
    with pytest.raises(AssertionError, match="XY901:1 message lacks 'ありません'"):
        wrong_message.run(plancheck_lint, WordPlugin())


def test_file_cases_skip_without_their_file_and_fail_without_their_needle(tmp_path, plancheck_lint):
    write(tmp_path / "plan.txt", PLAN)
    absent, needle = cases_in(
        tmp_path,
        """\
        defaults: {select: [XY]}
        cases:
          absent: {file: corpus/real.txt}
          needle: {file: plan.txt, replace: [[存在しない文, x]]}
        """,
    )
    with pytest.raises(pytest.skip.Exception, match="real.txt is not available"):
        absent.run(plancheck_lint)
    with pytest.raises(AssertionError, match="'存在しない文' is not in plan.txt"):
        needle.run(plancheck_lint)


def test_a_folder_of_case_files(tmp_path):
    write(tmp_path / "b.yaml", "cases: {one: {select: XY, pass: x}}\n")
    write(tmp_path / "a.yaml", "cases: {two: {select: XY, pass: x}}\n")
    write(tmp_path / "notes.txt", "not cases\n")
    assert [param.id for param in load_cases(tmp_path)] == ["a::two", "b::one"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- a list\n", "expected a mapping with 'cases"),
        ("defaults: {speed: 1}\ncases: {}\n", "defaults: unknown keys \\['speed'\\]"),
        ("cases: {c: {select: XY, pass: x, colour: red}}\n", "c: unknown keys \\['colour'\\]"),
        ("cases: {c: {select: XY, pass: x, fail: y}}\n", "c: give exactly one of pass, fail, file"),
        ("cases: {c: {pass: x}}\n", "c: give 'select'"),
        ("cases: {c: {select: XY, fail: x}}\n", "c: a fail case needs 'expect"),
        (
            "cases: {c: {select: XY, pass: x, expect: [XY1:1]}}\n",
            "c: a pass case expects no finding",
        ),
        ("cases: {c: {select: XY, fail: x, expect: [XY1]}}\n", "c: expect entries are 'CODE:LINE'"),
    ],
)
def test_case_files_that_say_too_little_or_too_much(tmp_path, text, problem):
    with pytest.raises(ValueError, match=problem):
        load_cases(write(tmp_path / "cases.yaml", text))


# --- assert_documented --------------------------------------------------------------------------


def test_assert_documented_accepts_a_rule_documented_like_the_builtins():
    assert_documented(ForbiddenWord)
    assert_documented(ForbiddenWord())


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"code": "PC901"}, "PC901"),
        ({"name": "Forbidden_Word"}, "Forbidden_Word"),
        ({"severity": "fatal"}, "fatal"),
        ({"__doc__": "設定した語がある.\n\nPassing example::\n\n    x\n"}, "summary"),
        ({"__doc__": "設定した語がある (forbidden word).\n"}, "examples"),
        ({"messages": {"default": {"ja": "「{word}」があります"}}}, "ja and en messages"),
    ],
)
def test_assert_documented_names_what_is_missing(change, problem):
    rule = type("Changed", (ForbiddenWord,), {"__doc__": ForbiddenWord.__doc__, **change})
    with pytest.raises(AssertionError, match=problem):
        assert_documented(rule)


# --- a crash is never silence ---------------------------------------------------------------------


class RaisingWord(ForbiddenWord):
    """例外を送出する (a rule that raises).

    Failing example::

        仮の文

    Passing example::

        本文
    """

    code = "XY902"
    name = "raising-word"

    def check(self, plan, context):
        raise KeyError("a plugin's bug")


class RaisingPlugin:
    @hookimpl
    def plancheck_rules(self):
        return [RaisingWord]


def test_fixture_fails_when_a_rule_raises(plancheck_lint):
    plugin = RaisingPlugin()
    with pytest.raises(
        AssertionError, match=r"(?s)plan.txt: a rule raised .*PC000.*XY902.*KeyError"
    ):
        plancheck_lint(PLAN, plugin)
    findings = plancheck_lint(PLAN, plugin, allow_internal_error=True)
    assert codes(findings) == [("PC000", 1)]  # a test about PC000 itself asks for it


def test_a_case_fails_on_a_crash_unless_it_expects_one(tmp_path, plancheck_lint):
    clean, expected = cases_in(
        tmp_path,
        """\
        defaults: {select: [XY, PC000], profile: chiiki-saisei-2021}
        cases:
          clean: {pass: 本文}
          expected: {fail: 本文, expect: ["PC000:1"], messages: [XY902]}
        """,
    )
    with pytest.raises(AssertionError, match=r"cases::clean \(cases.yaml\): a rule raised"):
        clean.run(plancheck_lint, RaisingPlugin())
    expected.run(plancheck_lint, RaisingPlugin())


def test_documented_examples_keep_tabs_and_read_escapes():
    class Tabbed(ForbiddenWord):
        r"""表 (a table).

        Failing example (``\x1a`` after the total)::

            KPI1	1.00	2.00\x1a

        Passing example::

            KPI1	1.00	2.00
        """

    assert documented_examples(Tabbed) == {
        "fail": "KPI1\t1.00\t2.00\x1a\n",
        "pass": "KPI1\t1.00\t2.00\n",
    }


def test_assert_documented_lints_the_examples_given_the_plugin():
    assert_documented(ForbiddenWord, WordPlugin(), profile="chiiki-saisei-2021")
    with pytest.raises(AssertionError, match="XY902 failing example: a rule raised"):
        assert_documented(RaisingWord, RaisingPlugin(), profile="chiiki-saisei-2021")

    class Undocumented(ForbiddenWord):
        """語 (a word).

        Failing example::

            本文

        Passing example::

            仮
        """

        code = "XY903"

    class UndocumentedPlugin:
        @hookimpl
        def plancheck_rules(self):
            return [Undocumented]

    with pytest.raises(AssertionError, match="XY903 failing example gives no XY903 finding"):
        assert_examples(Undocumented, UndocumentedPlugin(), profile="chiiki-saisei-2021")
