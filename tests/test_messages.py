"""The message catalogue (rules/messages/*.yaml): every message in Japanese and English with the
same placeholders, every key the code uses present, every built-in rule's messages there."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import string
import textwrap
from pathlib import Path

import pytest

from plancheck.api import resources
from plancheck.api.messages import (
    RULE_MESSAGES,
    TOOL_MESSAGES,
    message,
    rule_catalogue,
    rule_messages,
    tool_messages,
)
from plancheck.api.rule import SEVERITIES, Context, Rule
from plancheck.engine.plugin_host import PluginHost
from plancheck.output import html

SRC = Path(__file__).resolve().parents[1] / "src" / "plancheck"
RULES = PluginHost(load_entry_points=False).rules
# rules defined in Python without messages of their own read them from the catalogue; the rules
# of YAML rule packs carry theirs
CATALOGUED = [rule for rule in RULES if "messages" not in vars(type(rule))]


def every_text():
    for name, texts in tool_messages().items():
        yield f"tool:{name}", texts
    for code, variants in rule_catalogue().items():
        for variant, texts in variants.items():
            yield f"{code}:{variant}", texts


def placeholders(template: str) -> set[str]:
    """The names of a template's ``{name}`` / ``{name:spec}`` fields."""
    fields = (field for _, field, _, _ in string.Formatter().parse(template) if field is not None)
    return {re.split(r"[.\[]", field, maxsplit=1)[0] for field in fields}


# --- the catalogue itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "schema"),
    [(TOOL_MESSAGES, "messages.schema.json"), (RULE_MESSAGES, "rule_messages.schema.json")],
)
def test_catalogue_files_follow_their_schema(relative, schema):
    assert resources.schema_error(resources.load_yaml(relative), schema) is None


@pytest.mark.parametrize(
    "entry",
    [
        {"en": "only English"},
        {"ja": "日本語だけ"},
        {"ja": "  ", "en": "blank Japanese"},
        {"ja": "余分", "en": "extra", "fr": "en trop"},
    ],
)
def test_schema_requires_both_languages(entry):
    assert resources.schema_error({"some_message": entry}, "messages.schema.json")
    assert resources.schema_error({"PC999": {"default": entry}}, "rule_messages.schema.json")


# A value written the Japanese way is passed as `<name>_ja` beside `<name>` (「令和2年3月31日」 and
# 2020-03-31); a value that is Japanese only is left out of the English text.
JAPANESE_ONLY = {"PC503:default": {"note"}}  # terms.yaml's notes are in Japanese


@pytest.mark.parametrize(("where", "texts"), list(every_text()), ids=[w for w, _ in every_text()])
def test_japanese_and_english_take_the_same_placeholders(where, texts):
    japanese = {name.removesuffix("_ja") for name in placeholders(texts["ja"])}
    english = placeholders(texts["en"])
    assert japanese - JAPANESE_ONLY.get(where, set()) == english, where


# --- every key the code uses is there ---------------------------------------------------------

# message("name", …), InputError("name", …), UploadError(status, "name", …), and the message keys
# kept in constants ("name" values of HTTP_ERRORS …) all name catalogue entries
KEY_USES = [
    re.compile(r"""\bmessage\(\s*["']([a-z0-9_]+)["']\s*[,)]"""),
    re.compile(r"""\bInputError\(\s*["']([a-z0-9_]+)["']"""),
    re.compile(r"""\bUploadError\(\s*\d+,\s*["']([a-z0-9_]+)["']"""),
    re.compile(r"""\bmessage_key\s*==\s*["']([a-z0-9_]+)["']"""),
    re.compile(r"""HTTP_ERRORS = \{[^}]*\}"""),
]


def used_keys() -> set[str]:
    keys = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in KEY_USES[:-1]:
            keys.update(pattern.findall(text))
        for constant in KEY_USES[-1].findall(text):
            keys.update(re.findall(r""":\s*["']([a-z0-9_]+)["']""", constant))
    return keys


def test_the_scan_finds_the_keys_in_use():
    keys = used_keys()
    assert {"unknown_format", "binary", "web_busy", "web_not_found", "summary"} <= keys


def test_every_key_used_in_the_source_exists():
    assert used_keys() - set(tool_messages()) == set()


def roles() -> set[str]:
    """The plan's roles (profile.schema.json) and the measure items' (measure.schema.json)."""
    plan = resources.load_schema("profile.schema.json")["properties"]["roles"]["properties"]
    items = resources.load_schema("measure.schema.json")
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "role" in node and isinstance(node["role"], dict) and "enum" in node["role"]:
                found.extend(node["role"]["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(items)
    assert found, "measure.schema.json names the item roles"
    return set(plan) | set(found)


def test_the_command_line_help_is_in_the_catalogue():
    cli = (SRC / "cli.py").read_text(encoding="utf-8")
    options = set(re.findall(r"""\bh\(\s*["']([a-z_]+)["']\s*\)""", cli))
    assert "check" in options and {f"help_{option}" for option in options} <= set(tool_messages())


def test_keys_built_from_names_exist():
    """Keys the code builds: report_<label>, severity_<severity>, role_<role>, evidence_<kind>,
    kind_by_<reason> (the evidence kinds of profiles.detect, the reasons of layout's blocks)."""
    built = {f"report_{key}" for key in html.LABEL_KEYS}
    built |= {f"severity_{severity}" for severity in SEVERITIES}
    built |= {f"role_{role}" for role in roles()}
    built |= {f"evidence_{kind}" for kind in ("marker", "sections", "retitled", "foreign")}
    built |= {f"kind_by_{reason}" for reason in ("code", "label", "items", "profile")}
    assert built - set(tool_messages()) == set()


def test_message_fills_the_placeholders_in_either_language():
    assert message("not_found", "ja", path="a.txt") == "a.txt: ファイルが見つかりません"
    assert message("not_found", "en", path="a.txt") == "a.txt: no such file"
    assert message("not_found", "fr", path="a.txt") == "a.txt: ファイルが見つかりません"


# --- the built-in rules' messages ---------------------------------------------------------------


def test_the_catalogue_names_only_built_in_rules():
    assert set(rule_catalogue()) <= {rule.code for rule in CATALOGUED}


@pytest.mark.parametrize("rule", CATALOGUED, ids=lambda rule: rule.code)
def test_every_built_in_rule_has_its_messages_in_the_catalogue(rule):
    assert rule_messages(rule.code), f"{rule.code}: no entry in {RULE_MESSAGES}"
    assert rule.messages == rule_messages(rule.code)
    for variant in reported_variants(type(rule)):
        assert variant in rule.messages, f"{rule.code} reports {variant!r}, not in the catalogue"


def reported_variants(rule_class: type[Rule]) -> set[str]:
    """The variants ``self.report(context, span, variant, …)`` names in the class's own code, as
    far as they are written as strings or module constants ("default" when none is given)."""
    variants: set[str] = set()
    for cls in rule_class.__mro__:
        if cls in (Rule, *Rule.__mro__):
            continue
        try:  # a rule pack's class has no source: its base class reports
            source = textwrap.dedent(inspect.getsource(cls))
        except (OSError, TypeError):
            continue
        variants |= _variants_in(ast.parse(source), importlib.import_module(cls.__module__))
    return variants


def _variants_in(tree: ast.AST, module: object) -> set[str]:
    variants = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr != "report":
            continue
        given = node.args[2] if len(node.args) > 2 else None
        given = next((k.value for k in node.keywords if k.arg == "variant"), given)
        if given is None:
            variants.add("default")
        elif isinstance(given, ast.Constant) and isinstance(given.value, str):
            variants.add(given.value)
        elif isinstance(given, ast.Attribute):  # dates.INVALID_DAY, or a value known at run time
            try:
                variants.add(eval(ast.unparse(given), vars(module)))  # noqa: S307 - our source
            except NameError:
                pass
    return variants


def test_the_variant_scan_sees_named_and_default_variants():
    by_code = {rule.code: type(rule) for rule in RULES}
    assert reported_variants(by_code["PC101"]) == {
        "section",
        "item",
        "section_number",
        "section_title",
    }
    assert reported_variants(by_code["PC001"]) == {"default"}


def test_a_rule_with_its_own_messages_keeps_them():
    class Own(Rule):
        """Own (own)."""

        code, name = "PC101", "own"
        messages = {"default": {"ja": "独自 {x}", "en": "own {x}"}}

        def check(self, plan, context):
            return iter(())

    assert Own.messages["default"]["en"] == "own {x}"

    class Missing(Rule):
        """Missing (missing)."""

        code, name = "XX101", "missing"

        def check(self, plan, context):
            return iter(())

    with pytest.raises(AttributeError, match="messages"):
        Missing.messages  # noqa: B018 - the lookup is the test
    assert not hasattr(Missing(), "messages")


def test_a_built_in_rule_reports_in_the_requested_language():
    from plancheck.parsing.ast import Span

    rule = next(rule for rule in RULES if rule.code == "PC001")
    ja = rule.report(Context("a.txt", None, "ja"), Span(1))
    en = rule.report(Context("a.txt", None, "en"), Span(1))
    assert ja.message == rule_messages("PC001")["default"]["ja"]
    assert en.message == rule_messages("PC001")["default"]["en"]


# --- the web answers in the request's language -------------------------------------------------


@pytest.fixture(scope="module")
def client():
    testclient = pytest.importorskip(
        "starlette.testclient", reason="the web extra is not installed"
    )
    from plancheck.web import create_app

    return testclient.TestClient(create_app(), base_url="http://127.0.0.1:8000")


def refuse(client, query: str = ""):
    return client.post(
        f"/api/check{query}", content=b"x", headers={"content-type": "application/octet-stream"}
    )


def test_web_errors_are_english_for_an_english_request(client):
    response = refuse(client, "?lang=en")
    assert response.status_code == 415
    assert response.json()["error"] == message(
        "web_unsupported_type", "en", media_type="application/octet-stream"
    )
    assert client.get("/nowhere?lang=en").json()["error"] == message("web_not_found", "en")
    upload = client.post(
        "/api/check?lang=en",
        files={"file": ("plan.txt", b"\xff\xfe\x00\xd8" * 300, "text/plain")},
    )
    assert upload.status_code == 422 and "encoding" in upload.json()["error"]


def test_web_errors_are_japanese_by_default(client):
    assert refuse(client).json()["error"] == message(
        "web_unsupported_type", "ja", media_type="application/octet-stream"
    )
    assert refuse(client, "?lang=xx").json()["error"] == refuse(client).json()["error"]


def test_web_findings_follow_the_request_language(client):
    plan = "地域再生計画\n".encode()
    ja = client.post("/api/check", content=plan, headers={"content-type": "text/plain"}).json()
    en = client.post(
        "/api/check?lang=en", content=plan, headers={"content-type": "text/plain"}
    ).json()
    assert [f["code"] for f in ja] == [f["code"] for f in en] and ja
    assert [f["message"] for f in ja] != [f["message"] for f in en]
