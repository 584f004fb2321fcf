"""PC501–PC505 (template blanks, cross-references, terms, support codes, 総事業費) on the fixture
plans, on the real corpus, and the data files they read (rules/terms.yaml, rules/support_codes.yaml)."""

import shutil

import pytest
import yaml

from plancheck.api import resources

from conftest import REAL_PLANS, ROOT, codes, corpus_file, fixture_text, lint

FIXTURES = ("midorino-2016.txt", "midorino-2017.txt", "midorino-2021.txt")
TEXT_RULES = ["PC501", "PC502", "PC503", "PC504", "PC505"]
YOKOHAMA_2021 = "plan-yokohama-healthcare-2021.txt"


def line_no(text: str, fragment: str, occurrence: int = 1) -> int:
    """The line number of the ``occurrence``-th line containing ``fragment``."""
    hits = [n for n, line in enumerate(text.split("\n"), 1) if fragment in line]
    return hits[occurrence - 1]


def column(text: str, fragment: str) -> int:
    """The 1-based column of ``fragment`` on the first line containing it."""
    line = text.split("\n")[line_no(text, fragment) - 1]
    return line.index(fragment) + 1


def injected(name: str, old: str, new: str) -> str:
    text = fixture_text(name)
    assert old in text, f"{name} does not contain {old!r}"
    return text.replace(old, new, 1)


def real_plan(name: str) -> str:
    return corpus_file(name).read_text(encoding="utf-8")


# --- clean plans ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_clean_fixture_has_no_text_finding(name):
    assert codes(lint(fixture_text(name), select=TEXT_RULES)) == []


# Every finding of PC501–PC505 on the accepted real plans, pinned with why it is a real defect.
REAL_PLAN_FINDINGS = {
    # ⑤'s heading writes 「重要事業評価指標（K P I）」: the official name of KPI is 重要業績評価指標
    # (plan-format.md §4; the Sapporo plan's ⑤, same template, writes it so).
    "plan-chiba-medtech-2016.txt": [("PC503", 72)],
    "plan-sapporo-medical-2017.txt": [],
    # 5-3-2 keeps three unused template blocks 「(1)該当なし。… 年 月 日から 年 月 日まで」 (lines
    # 177, 187, 197): marked 該当なし, so not blanks; 「2 に同じ」「$4-2 \mathcal{O}$ 【数値目標】に同じ」
    # and 5-2 ⑥'s labels all resolve; the 法第5条 line and 「総事業費 63,000 千円」 share line 156.
    "plan-yokohama-healthcare-2021.txt": [],
    # the same unused 5-3-2 template (lines 292, 302, 312) and references written 「5-2 の⑥の…と同じ」
    "plan-yokohama-global-2023.txt": [],
}


@pytest.mark.parametrize("name", REAL_PLANS)
def test_real_plans_get_only_the_pinned_text_findings(name):
    assert codes(lint(real_plan(name), select=TEXT_RULES)) == REAL_PLAN_FINDINGS[name]


def test_chiba_terminology_finding_points_at_the_term():
    (finding,) = lint(real_plan("plan-chiba-medtech-2016.txt"), select=["PC503"])
    assert (finding.line, finding.column, finding.end_column) == (72, 3, 11)
    assert finding.severity == "warning"
    assert finding.message.startswith(
        "「重要事業評価指標」は正式な用語ではありません。「重要業績評価指標」と記載してください"
    )


def test_evaluation_report_gets_no_text_finding():
    text = real_plan("tokku-keihin-evaluation-2020.txt")
    assert codes(lint(text, select=TEXT_RULES)) == []  # not a plan: only PC001 applies


# --- PC501 unfilled-placeholder -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, old, new, blank",
    [
        (
            "midorino-2016.txt",
            "地域再生計画認定の日から平成31年3月31日（3ヶ年度）",
            "地域再生計画認定の日から平成 年 月 日（3ヶ年度）",
            "平成 年 月 日",
        ),
        ("midorino-2017.txt", "実施主体：架空県みどり野市", "実施主体：〇〇市", "〇〇"),
        (
            "midorino-2021.txt",
            "架空県みどり野市\n\nウ 事業実施期間\n\n2022年4月1日から2025年3月31日まで",
            "架空県みどり野市\n\nウ 事業実施期間\n\n年 月 日から 年 月 日まで",
            "年 月 日から 年 月 日",
        ),
    ],
)
def test_template_blank_is_reported_at_the_blank(name, old, new, blank):
    text = injected(name, old, new)
    (finding,) = lint(text, select=["PC501"])
    assert (finding.line, finding.column) == (line_no(text, blank), column(text, blank))
    assert finding.end_column == finding.column + len(blank)
    assert finding.message == (
        f"様式の空欄「{blank}」が残っています。記入するか、使わない項目は「該当なし」としてください"
    )


def test_unused_template_block_is_not_a_blank_but_a_used_one_is():
    unused = "(2)該当なし。\n\nア 事業概要\n\nイ 事業実施主体\n\nウ 事業実施期間\n\n年 月 日から 年 月 日まで\n\n"
    used = "(3) 空き家改修支援事業\n\nア 事業概要\n\n●●●\n\nウ 事業実施期間\n\n2022年4月1日から 年 月 日まで\n\n"
    text = injected("midorino-2021.txt", "6 計画期間", unused + used + "6 計画期間")
    assert codes(lint(text, select=["PC501"])) == [
        ("PC501", line_no(text, "●●●")),
        ("PC501", line_no(text, "2022年4月1日から 年 月 日まで")),
    ]


def test_real_plan_project_that_is_used_gets_its_blank_reported():
    # The 2021 plan's 5-3-2 (1) given a project name: its template dates (line 177) are now blanks;
    # (2) and (3) still say 該当なし.
    text = real_plan(YOKOHAMA_2021).replace(
        "支援措置によらない独自の取組 (1)該当なし。",
        "支援措置によらない独自の取組 (1)空き家改修支援事業",
    )
    assert codes(lint(text, select=["PC501"])) == [("PC501", 177)]


@pytest.mark.parametrize(
    "sentence",
    [
        "生年月日と住所を登録する。",  # a word, not a date
        "毎年7月1日に公表する。",
        "〇 地方創生推進タイプ（内閣府）：【A3007】",  # one 〇 is a bullet
        "30者×年間30万円を想定する。",
        "事業期間は30年 月額払いとする。",
    ],
)
def test_text_that_only_looks_like_a_blank(sentence):
    text = injected("midorino-2021.txt", "特になし。", sentence)
    assert lint(text, select=["PC501"]) == []


# --- PC502 dangling-reference -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, old, new, reference, message",
    [
        (  # 2016 format: there is no 4-2
            "midorino-2016.txt",
            "⑨ その他必要な事項\n\n特になし",
            "⑨ その他必要な事項\n\n4-2のとおり。",
            "4-2のとおり。",
            "「4-2のとおり」の参照先の節「4-2」がありません。参照先の番号を確認してください",
        ),
        (  # 2017 format: ⑥ has no 【検証時期】
            "midorino-2017.txt",
            "毎年度、各指標の実績を集計したうえで",
            "5-2の⑥の【検証時期】に同じ。毎年度、各指標の実績を集計したうえで",
            "5-2の⑥の【検証時期】に同じ。",
            "「5-2の⑥の【検証時期】に同じ」の参照先「5-2 ⑥」の【検証時期】がありません。"
            "見出しの名称を確認してください",
        ),
        (
            "midorino-2021.txt",
            "2に同じ。",
            "8に同じ。",
            "8に同じ。",
            "「8に同じ」の参照先の節「8」がありません。参照先の番号を確認してください",
        ),
        (
            "midorino-2021.txt",
            "5-2の⑥の【検証結果の公表の方法】に同じ。",
            "5-2の⑩の【検証結果の公表の方法】に同じ。",
            "5-2の⑩の【検証結果の公表の方法】に同じ。",
            "「5-2の⑩の【検証結果の公表の方法】に同じ」の参照先「5-2」の「⑩」がありません。"
            "参照先の番号を確認してください",
        ),
    ],
)
def test_dangling_reference(name, old, new, reference, message):
    text = injected(name, old, new)
    (finding,) = lint(text, select=["PC502"])
    assert (finding.code, finding.line) == ("PC502", line_no(text, reference))
    assert finding.severity == "error"
    assert finding.message == message


def test_each_missing_label_of_a_reference_is_reported_at_the_label():
    # 【有識者】 is another label, not a slip of 【外部組織の参画者】 (that would be PC403's)
    text = injected("midorino-2021.txt", "【外部組織の参画者】\n", "【有識者】\n")
    reference = "5-2の⑥の【検証方法】及び【外部組織の参画者】に同じ。"
    (finding,) = lint(text, select=["PC502"])
    assert (finding.line, finding.column) == (line_no(text, reference), column(text, "【外部組織"))
    assert "「5-2 ⑥」の【外部組織の参画者】がありません" in finding.message


def test_label_of_a_section_is_looked_up_in_its_subsections():
    # 「4の【数値目標】」: the label stands under 4-2, a subsection of 4
    text = injected("midorino-2017.txt", "特になし", "4の【数値目標】に同じ。")
    assert lint(text, select=["PC502"]) == []


def test_reference_without_verb_in_7_2_is_checked():
    # 7-2 says 「5-2の⑥の【検証時期】に7-1に掲げる…」: no 「に同じ」, still a reference
    text = injected("midorino-2021.txt", "【検証時期】\n\n毎年度8月", "【実施時期】\n\n毎年度8月")
    assert codes(lint(text, select=["PC502"])) == [
        ("PC502", line_no(text, "4-2に掲げる目標について"))
    ]


def test_ocr_damaged_reference_of_a_real_plan_is_resolved_and_checked():
    # line 136: 「$4-2 \mathcal{O}$ 【数値目標】に同じ。」 reads 「4-2の 【数値目標】に同じ。」;
    # with both 数値目標 labels of 4-2 (lines 37 and 39, the second OCR-damaged) renamed it dangles
    text = real_plan(YOKOHAMA_2021)
    text = text.replace("【数値目標】\n\n【 数 但 白 保 】", "【目標】\n\n【目標値】")
    (finding,) = lint(text, select=["PC502"])
    assert finding.line == 136
    assert finding.message.startswith("「4-2の 【数値目標】に同じ」の参照先「4-2」の【数値目標】")


@pytest.mark.parametrize(
    "sentence",
    [
        "表1のとおり。",  # a table, not section 1
        "(3)に掲げる事業を実施する。",  # an enumeration
        "法第5条第4項に基づく。",
        "2021年度に同じ取組を行う。",
        "全体で3の【A】を想定する。",  # no verb and no sub-section number: not sure to be a reference
    ],
)
def test_text_that_only_looks_like_a_reference(sentence):
    text = injected("midorino-2021.txt", "特になし。", sentence)
    assert lint(text, select=["PC502"]) == []


# --- PC503 terminology --------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_kpi_name_written_wrong(name):
    text = injected(name, "重要業績評価指標", "重要事業評価指標")
    (finding,) = lint(text, select=["PC503"])
    assert (finding.line, finding.column) == (line_no(text, "⑤"), column(text, "重要事業"))
    assert "「重要業績評価指標」と記載してください" in finding.message


(TERMINOLOGY,) = resources.load_checked_yaml("terms.yaml", "terms.schema.json")["rules"]
TERMS = TERMINOLOGY["terms"]


@pytest.mark.parametrize("term", TERMS, ids=[term["wrong"] for term in TERMS])
def test_every_listed_term_is_found_once(term):
    text = injected("midorino-2017.txt", "特になし", f"{term['wrong']}を活用する。")
    (finding,) = lint(text, select=["PC503"])  # exactly one: entries must not overlap
    assert finding.line == line_no(text, term["wrong"])
    assert f"「{term['official']}」と記載してください" in finding.message


# --- PC504 unknown-support-code -----------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_unknown_support_code(name):
    text = injected(name, "基づく支援措置\n\n該当なし", "基づく支援措置\n\n道整備交付金【A3907】")
    (finding,) = lint(text, select=["PC504"])
    assert (finding.line, finding.column) == (line_no(text, "【A3907】"), column(text, "【A3907】"))
    assert finding.message == (
        "支援措置の番号【A3907】は登録されていません（登録済み: A2007, A3001, A3002, A3005, "
        "A3007, A3008, B0908）。番号を確認してください"
    )


@pytest.mark.parametrize("name", FIXTURES)
def test_code_in_7_differs_from_the_5_2_label(name):
    text = injected(name, "イに関する事業【A3007】", "イに関する事業【A3008】")
    (finding,) = lint(text, select=["PC504"])
    assert finding.line == line_no(text, "イに関する事業【A3008】")
    assert finding.message == (
        "5-2 ⑦ 交付対象事業に要する経費の支援措置の番号【A3008】が 5-2 の【A3007】と一致しません。"
        "同じ番号を記載してください"
    )


def test_code_mismatch_on_the_2021_real_plan_line_with_the_cost():
    text = real_plan(YOKOHAMA_2021).replace("【A3007】総事業費", "【A3001】総事業費")
    assert codes(lint(text, select=["PC504"])) == [("PC504", 156)]


# --- PC505 cost-format --------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize(
    "value, message",
    [
        (
            "1.3億円",
            "総事業費「1.3億円」が千円単位ではありません。「130,000千円」と記載してください",
        ),
        (
            "130,800円",
            "総事業費「130,800円」が千円単位ではありません。「130.8千円」と記載してください",
        ),
        (
            "未定",
            "総事業費「未定」が数値ではありません。「総事業費 120,000千円」のように千円単位の数値で"
            "記載してください",
        ),
        (
            "130,80千円",
            "総事業費「130,80千円」が数値ではありません。「総事業費 120,000千円」のように千円単位の"
            "数値で記載してください",
        ),
        ("130,800", "総事業費「130,800」の単位が千円ではありません。千円単位で記載してください"),
        (
            "",
            "総事業費の金額がありません。「総事業費 120,000千円」のように千円単位で記載してください",
        ),
    ],
)
def test_cost_not_a_number_in_thousand_yen(name, value, message):
    text = fixture_text(name)
    start = text.index("総事業費 ")
    end = text.index("\n", start)
    text = text[:start] + f"総事業費 {value}" + text[end:]
    (finding,) = lint(text, select=["PC505"])
    assert finding.line == line_no(text, "総事業費")
    assert finding.message == message


@pytest.mark.parametrize("name", FIXTURES)
def test_cost_missing(name):
    text = fixture_text(name)
    start = text.index("総事業費 ")
    text = text[:start] + text[text.index("\n", start) :]
    (finding,) = lint(text, select=["PC505"])
    assert finding.line == line_no(text, "⑦ 交付対象事業に要する経費")
    assert finding.message.startswith("5-2 ⑦ 交付対象事業に要する経費に総事業費の記載がありません")


def test_cost_figure_on_the_line_after_the_word():
    text = injected("midorino-2017.txt", "総事業費 150,000千円", "総事業費\n\n150,000千円")
    assert lint(text, select=["PC505"]) == []


def test_cost_in_yen_on_the_2021_real_plan_line_with_the_code():
    text = real_plan(YOKOHAMA_2021).replace("63,000 千円", "63,000 円")
    (finding,) = lint(text, select=["PC505"])
    assert (finding.line, finding.column) == (156, column(text, "63,000 円"))
    assert (
        "「63.0千円」" not in finding.message and "「63千円」と記載してください" in finding.message
    )


# --- English messages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, old, new, message",
    [
        (
            "PC501",
            "2022年4月1日から2025年3月31日まで\n\n6",
            "年 月 日から 年 月 日まで\n\n6",
            "Template blank 「年 月 日から 年 月 日」 is left unfilled; fill it in, or mark an "
            "unused part 「該当なし」",
        ),
        (
            "PC502",
            "5-2の⑥の【検証結果の公表の方法】に同じ。",
            "5-2の⑥の【公表の方法】に同じ。",
            "「5-2の⑥の【公表の方法】に同じ」 refers to 【公表の方法】 under 5-2 ⑥, which does "
            "not exist; check the heading",
        ),
        (
            "PC503",
            "重要業績評価指標",
            "重要事業評価指標",
            "「重要事業評価指標」 is not the official term; write 「重要業績評価指標」",
        ),
        (
            "PC504",
            "イに関する事業【A3007】",
            "イに関する事業【A3008】",
            "Support-measure code 【A3008】 in 5-2 ⑦ 交付対象事業に要する経費 differs from 【A3007】 "
            "under 5-2; write the same code",
        ),
        (
            "PC505",
            "総事業費 90,000千円",
            "総事業費 9,000万円",
            "総事業費 「9,000万円」 is not in 千円; write 「90,000千円」",
        ),
    ],
)
def test_english_messages(code, old, new, message):
    text = injected("midorino-2021.txt", old, new)
    (finding,) = lint(text, select=[code], lang="en")
    assert finding.message == message


# --- data files ---------------------------------------------------------------------------------


def test_data_files_validate_against_their_schemas():
    (terminology,) = resources.load_checked_yaml("terms.yaml", "terms.schema.json")["rules"]
    assert terminology["code"] == "PC503"
    terms = terminology["terms"]
    assert {"wrong": "重要事業評価指標", "official": "重要業績評価指標"}.items() <= terms[0].items()
    codes_ = resources.load_checked_yaml("support_codes.yaml", "support_codes.schema.json")["codes"]
    assert codes_ == {  # plan-format.md §4
        "A3001": "道整備交付金",
        "A3002": "汚水処理施設整備交付金",
        "A3005": "本社機能の強化を行う事業者に対する特例",
        "A3007": "地方創生推進交付金（推進タイプ）",
        "A3008": "地方創生道整備推進交付金",
        "A2007": "まち・ひと・しごと創生寄附活用事業に関連する寄附を行った法人に対する特例",  # §8
        "B0908": "地域雇用開発助成金（地域雇用開発コース）",  # 5-3-1 of A2007 plans, §8
    }


@pytest.mark.parametrize(
    "file, schema, broken, problem",
    [
        (
            "terms",
            "terms.schema.json",
            {"rules": [{**TERMINOLOGY, "terms": [{"wrong": "地方創成"}]}]},
            "rules/0/terms/0: 'official' is a required property",
        ),
        (
            "terms",
            "terms.schema.json",
            {"rules": [{**TERMINOLOGY, "terms": [{"wrong": "a", "official": "b", "sorce": "c"}]}]},
            "rules/0/terms/0: Additional properties are not allowed ('sorce' was unexpected)",
        ),
        (
            "terms",
            "terms.schema.json",
            {"rules": [{**TERMINOLOGY, "code": "XY503"}]},
            "rules/0/code: 'XY503' does not match '^PC[0-9]{3}$'",
        ),
        (
            "support_codes",
            "support_codes.schema.json",
            {"codes": {"A3007": 7}},
            "codes/A3007: 7 is not of type 'string'",
        ),
        (
            "support_codes",
            "support_codes.schema.json",
            {"codes": {"B12": "道整備交付金"}},
            r"codes: 'B12' does not match '^[AB]\\d{4}$'",
        ),
    ],
)
def test_broken_data_file_names_the_key(tmp_path, monkeypatch, file, schema, broken, problem):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "schema", rules / "schema")
    # a file name of its own: parsed YAML is cached by name for the whole test session
    name = f"{file}-broken-{len(problem)}.yaml"
    (rules / name).write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(resources, "data_dir", lambda folder: tmp_path / folder)
    with pytest.raises(resources.DataError) as error:
        resources.load_checked_yaml(name, schema)
    assert str(error.value) == f"rules/{name}: {problem}"


def test_code_missing_from_item_7():
    text = fixture_text("midorino-2017.txt").replace(
        "法第5条第4項第1号イに関する事業【A3007】", "法第5条第4項第1号イに関する事業"
    )
    findings = lint(text, select=["PC504"])
    item = text.split("\n").index("⑦ 交付対象事業に要する経費") + 1
    assert [(f.code, f.line) for f in findings] == [("PC504", item)]
    assert findings[0].message.startswith(
        "5-2 ⑦ 交付対象事業に要する経費に支援措置の番号がありません。5-2 と同じ【A3007】を"
    )
