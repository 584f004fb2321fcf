"""``plancheck diff``: two versions of a fixture plan, edited as an amendment would, compared by
structure; each change reported exactly, a reordering or a .docx copy reported as none."""

from __future__ import annotations

import json

import jsonschema
import pytest
from docx_helper import build_docx

from plancheck.api import resources
from plancheck.api.errors import InputError
from plancheck.api.rule import Finding
from plancheck.cli import main
from plancheck.engine.comparison import compare_files, findings_added
from plancheck.engine.linter import Linter
from plancheck.model.comparison import same_text, word_diff
from plancheck.output import comparison_text

from conftest import REAL_PLANS, corpus_file, fixture_text

MIDORINO = fixture_text("midorino-2021.txt")
AOBA = fixture_text("aoba-multi-2023.txt")
PERIOD = "⑧ 事業実施期間\n\n2022年4月1日から2025年3月31日まで"
CONTENT = "・市内の事業者やNPO法人と協定を結び"


def edited(text: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def compared(old: str, new: str, old_name: str = "old.txt", new_name: str = "new.txt") -> dict:
    result = compare_files(old.encode(), old_name, new.encode(), new_name, Linter())
    data = result.as_dict()
    jsonschema.validate(data, resources.load_schema("comparison.schema.json"))
    return data


def nothing_else(data: dict, *keys: str) -> None:
    """Every part of the comparison but ``keys`` is empty."""
    empty = {
        "plan": [],
        "sections": {"added": [], "removed": [], "changed": []},
        "blocks": [],
        "kpis": [],
        "other_measures": {"added": [], "removed": [], "changed": []},
        "own_projects": {"added": [], "removed": [], "changed": []},
    }
    for key, value in empty.items():
        if key not in keys:
            assert data[key] == value, key


def test_a_renamed_kpi_with_new_targets():
    new = edited(
        MIDORINO,
        ("KPI②\t移住相談を経て転入した子育て世帯数", "KPI②\t移住相談を経て転入した世帯数"),
        (
            "KPI②\t0.00\t15.00\t20.00\t25.00\t-\t-\t60.00",
            "KPI②\t0.00\t15.00\t25.00\t30.00\t-\t-\t70.00",
        ),
    )
    data = compared(MIDORINO, new)
    assert data["changed"] is True
    assert data["kpis"] == [
        {
            "name": "移住相談を経て転入した世帯数",
            "old_name": "移住相談を経て転入した子育て世帯数",
            "status": "changed",
            "heading": "4-2 KPI2「移住相談を経て転入した世帯数」",
            "values": [
                {"column": "2023年度増加分(2年目)", "old": "20.00", "new": "25.00"},
                {"column": "2024年度増加分(3年目)", "old": "25.00", "new": "30.00"},
                {"column": "KPI増加分の累計", "old": "60.00", "new": "70.00"},
            ],
        }
    ]
    assert [(p["heading"], p["kind"], p["status"]) for p in data["parts"]] == [
        ("4-2 KPI2「移住相談を経て転入した世帯数」", "kpi", "changed")
    ]
    assert ["-", "子育て"] in data["parts"][0]["words"]
    nothing_else(data, "kpis")


def test_an_extended_project_period_and_the_finding_it_brings():
    new = edited(MIDORINO, (PERIOD, PERIOD.replace("2025年3月31日", "2027年3月31日")))
    data = compared(MIDORINO, new)
    assert data["blocks"] == [
        {
            "code": "A3007",
            "number": "5-2",
            "title": "第5章の特別の措置を適用して行う事業 ○ 地方創生推進タイプ(内閣府):【A3007】",
            "status": "changed",
            "items": [],
            "project_period": {
                "old": "2022年4月1日から2025年3月31日まで",
                "new": "2022年4月1日から2027年3月31日まで",
            },
            "cost": None,
            "donation_estimate": None,
        }
    ]
    [part] = data["parts"]
    assert (part["heading"], part["kind"], part["status"]) == (
        "5-2 ⑧ 事業実施期間",
        "period",
        "changed",
    )
    assert part["words"] == [
        ["=", "2022年4月1日から202"],
        ["-", "5"],
        ["+", "7"],
        ["=", "年3月31日まで"],
    ]
    # the period now ends after the plan's: the amendment broke PC301, OLD did not have it
    assert [(f["code"], f["path"]) for f in data["new_findings"]] == [("PC301", "new.txt")]
    nothing_else(data, "blocks")


def test_a_new_measure_block():
    start, end = AOBA.index("5-2-2 "), AOBA.index("5-3 その他の事業")
    old = AOBA[:start] + AOBA[end:]
    data = compared(old, AOBA)
    [block] = data["blocks"]
    assert (block["code"], block["number"], block["status"]) == ("A2007", "5-2-2", "added")
    assert [(i["number"], i["title"], i["status"]) for i in block["items"]] == [
        ("①", "事業主体", "added"),
        ("②", "事業の名称", "added"),
        ("③", "事業の内容", "added"),
        ("④", "事業の実施状況に関する客観的な指標(重要業績評価指標(KPI))", "added"),
        ("⑥", "事業の評価の方法(PDCAサイクル)", "added"),
    ]
    assert block["donation_estimate"] == {"old": None, "new": "30,000千円(2023年度~2025年度累計)"}
    assert block["project_period"] == {"old": None, "new": "2023年4月1日から2026年3月31日まで"}
    [part] = data["parts"]
    assert (part["kind"], part["status"], part["old"], part["words"]) == (
        "section",
        "added",
        None,
        [],
    )
    assert part["heading"].startswith("5-2-2 まち・ひと・しごと創生寄附活用事業")
    assert "あおばデジタルものづくり学校応援事業" in part["new"]
    nothing_else(data, "blocks")  # 5-2-2 is reported as a block, not as a section besides


def test_a_reworded_item_with_its_changed_words():
    new = edited(MIDORINO, (CONTENT, "・市内の事業者や社会福祉法人と協定を結び"))
    data = compared(MIDORINO, new)
    [block] = data["blocks"]
    [item] = block["items"]
    assert {k: item[k] for k in ("role", "number", "title", "status")} == {
        "role": None,
        "number": "③",
        "title": "事業の内容",
        "status": "reworded",
    }
    assert "NPO法人" in item["old"] and "社会福祉法人" in item["new"]
    assert (block["project_period"], block["cost"]) == (None, None)
    [part] = data["parts"]
    assert (part["heading"], part["kind"]) == ("5-2 ③ 事業の内容", "item")
    assert [run for run in part["words"] if run[0] != "="] == [["-", "NPO"], ["+", "社会福祉"]]
    assert data["new_findings"] == []


def test_a_document_reordered_without_change_has_no_differences():
    # blocks swapped (and renumbered), KPI rows swapped, widths and line breaks changed
    first = AOBA[AOBA.index("5-2-1 ") : AOBA.index("5-2-2 ")]
    second = AOBA[AOBA.index("5-2-2 ") : AOBA.index("5-3 その他の事業")]
    swapped = second.replace("5-2-2 ", "5-2-1 ", 1) + first.replace("5-2-1 ", "5-2-2 ", 1)
    new = edited(
        AOBA,
        (first + second, swapped),
        (
            "KPI①\t0.00\t40.00\t60.00\t80.00\t180.00\nKPI②\t0.00\t10.00\t20.00\t30.00\t60.00",
            "KPI②\t0.00\t10.00\t20.00\t30.00\t60.00\nKPI①\t0.00\t40.00\t60.00\t80.00\t180.00",
        ),
        ("総事業費 75,000千円", "総事業費　７５，０００千円"),
        (
            "2に同じ。\n\n② 事業の名称\n\nあおばデジタルものづくり学校応援事業",
            "2に同じ。\n\n\n② 事業の名称\n\nあおばデジタル\nものづくり学校応援事業",
        ),
    )
    data = compared(AOBA, new)
    assert data["changed"] is False and data["parts"] == []
    nothing_else(data)


def test_plan_fields_and_own_projects():
    project = "(1) みどり野市子育て世帯住宅取得支援事業"
    added = "(2) みどり野市子育てシェアオフィス事業\n\nア 事業概要\n\n子育て中の親が使えるシェアオフィスを開く。"
    new = edited(
        MIDORINO,
        ("架空県みどり野市の全域", "架空県みどり野市及びひばり町の全域"),
        (
            "6 計画期間\n\n地域再生計画の認定の日から2025年3月31日まで",
            "6 計画期間\n\n地域再生計画の認定の日から2027年3月31日まで",
        ),
        (
            "2022年4月1日から2025年3月31日まで\n\n6 計画期間",
            "2022年4月1日から2025年3月31日まで\n\n" + added + "\n\n6 計画期間",
        ),
    )
    data = compared(MIDORINO, new)
    assert data["plan"] == [
        {
            "field": "area",
            "old": "架空県みどり野市の全域",
            "new": "架空県みどり野市及びひばり町の全域",
        },
        {
            "field": "plan_period",
            "old": "地域再生計画の認定の日から2025年3月31日まで",
            "new": "地域再生計画の認定の日から2027年3月31日まで",
        },
    ]
    assert data["own_projects"] == {
        "added": ["みどり野市子育てシェアオフィス事業"],
        "removed": [],
        "changed": [],
    }
    assert [(p["heading"], p["kind"], p["status"]) for p in data["parts"]] == [
        ("3 地域再生計画の区域", "plan", "changed"),
        ("5-3-2 みどり野市子育てシェアオフィス事業", "project", "added"),
        ("6 計画期間", "plan", "changed"),
    ]
    assert project in MIDORINO
    nothing_else(data, "plan", "own_projects")


def test_a_removed_kpi_and_a_removed_section_stand_where_they_were():
    new = edited(
        MIDORINO,
        ("KPI③\t地域子育て支援拠点の利用者満足度", "KPI③\t-"),
        ("KPI③\t72.00\t2.00\t3.00\t3.00\t-\t-\t8.00", "KPI③\t-\t-\t-\t-\t-\t-\t-"),
        ("5-1 全体の概要\n\n", ""),
        (
            "子育て支援アプリの構築による手続のデジタル化、地域ぐるみの一時預かり体制の整備及び"
            "子育て世帯向けの移住相談体制の強化を一体的に進め、子育て世帯の転入と定着を図る。\n\n",
            "",
        ),
    )
    data = compared(MIDORINO, new)
    assert [(k["name"], k["status"]) for k in data["kpis"]] == [
        ("地域子育て支援拠点の利用者満足度", "removed")
    ]
    assert data["sections"]["removed"] == [{"number": "5-1", "title": "全体の概要"}]
    assert [(p["kind"], p["status"]) for p in data["parts"]] == [
        ("section", "removed"),
        ("kpi", "removed"),
    ]


def test_new_findings_match_by_fingerprint_then_message():
    def finding(line: int, fingerprint: str, text: str) -> Finding:
        return Finding("p", line, 1, "PC301", line, 2, "r", "error", text, fingerprint=fingerprint)

    old = [finding(10, "aaa", "期間が長い"), finding(20, "bbb", "別の指摘")]
    moved = finding(30, "aaa", "言い換えた指摘")  # same text around it: the same finding
    reworded = finding(40, "ccc", "別の指摘")  # same message: the same finding
    new_one = finding(50, "ddd", "新しい指摘")
    assert findings_added(old, [moved, reworded, new_one]) == [new_one]


def test_word_diff_merges_character_runs():
    assert word_diff("総事業費 75,000千円", "総事業費 90,000千円") == [
        ["=", "総事業費 "],
        ["-", "75"],
        ["+", "90"],
        ["=", ",000千円"],
    ]
    assert word_diff("同じ", "同じ") == [["=", "同じ"]]
    assert same_text("ＡＢＣ　１２３\n 計画") == "ABC123計画"


def test_unreadable_input_raises_input_error():
    with pytest.raises(InputError):
        compare_files(b"\x00\x01\x02" * 100, "old.txt", MIDORINO.encode(), "new.txt", Linter())


# --- the command ---------------------------------------------------------------------------


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def versions(tmp_path):
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text(MIDORINO, encoding="utf-8")
    new.write_text(edited(MIDORINO, (CONTENT, "・市内の事業者や社会福祉法人と協定を結び")), "utf-8")
    return old, new


def test_the_command_exits_0_without_change_and_1_with_one(capsys, versions):
    old, new = versions
    code, out, _ = run(capsys, "diff", str(old), str(old))
    assert code == 0 and "変更はありません" in out
    code, out, err = run(capsys, "diff", str(old), str(new))
    assert code == 1 and err == ""
    assert f"変更の比較: {old} → {new}" in out
    assert "[変更] 5-2 ③ 事業の内容" in out
    assert "[-NPO-]{+社会福祉+}" in out
    assert "変更後にだけある指摘はありません" in out


def test_the_command_in_english(capsys, versions):
    old, new = versions
    code, out, _ = run(capsys, "diff", "--lang", "en", str(old), str(new))
    assert code == 1
    assert "[changed] 5-2 ③ 事業の内容" in out and "1 change(s)" in out
    assert "no finding is new in the new version" in out


def test_the_command_writes_json_matching_its_schema(capsys, versions, tmp_path):
    old, new = versions
    code, out, _ = run(capsys, "diff", "--format", "json", str(old), str(new))
    assert code == 1
    data = json.loads(out)
    jsonschema.validate(data, resources.load_schema("comparison.schema.json"))
    assert data["blocks"][0]["items"][0]["status"] == "reworded"
    target = tmp_path / "diff.json"
    code, out, _ = run(capsys, "diff", "--format", "json", "-o", str(target), str(old), str(new))
    assert code == 1 and out == ""
    assert json.loads(target.read_text(encoding="utf-8")) == data


def test_the_command_exits_2_on_an_unreadable_file(capsys, versions, tmp_path):
    old, _ = versions
    code, out, err = run(capsys, "diff", str(old), str(tmp_path / "missing.txt"))
    assert code == 2 and out == ""
    assert "ファイルが見つかりません" in err and "Traceback" not in err
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x00\x01\x02\x03" * 64)
    code, _, err = run(capsys, "diff", "--lang", "en", str(binary), str(old))
    assert code == 2 and "binary file" in err


def test_docx_to_a_terminal_is_refused(capsys, versions, monkeypatch):
    old, new = versions
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code, _, err = run(capsys, "diff", "--format", "docx", str(old), str(new))
    assert code == 2 and "-o" in err


def test_text_view_marks_words_and_shortens_long_kept_text():
    text = comparison_text.marked([["=", "あ" * 50], ["-", "X"], ["+", "Y"], ["=", "い" * 50]])
    assert text == "…" + "あ" * 20 + "[-X-]{+Y+}" + "い" * 20 + "…"


# --- any input type ------------------------------------------------------------------------


def test_each_file_is_read_and_parsed_once(monkeypatch):
    calls = []
    for name in ("read", "parse"):
        original = getattr(Linter, name)

        def counted(self, *args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Linter, name, counted)
    compare_files(MIDORINO.encode(), "old.txt", MIDORINO.encode(), "new.txt", Linter())
    assert sorted(calls) == ["parse", "parse", "read", "read"]


def test_a_plan_against_its_word_copy_has_no_differences():
    data = compare_files(
        MIDORINO.encode(), "midorino.txt", build_docx(MIDORINO).data, "midorino.docx", Linter()
    ).as_dict()
    assert data["changed"] is False and data["new_findings"] == []


@pytest.mark.parametrize("name", REAL_PLANS)
def test_a_real_plan_against_its_word_copy_has_no_differences(name):
    path = corpus_file(name)
    text = path.read_text(encoding="utf-8")
    data = compare_files(
        path.read_bytes(), str(path), build_docx(text).data, "copy.docx", Linter()
    ).as_dict()
    assert data["changed"] is False, data["parts"]
    assert data["parts"] == [] and data["new_findings"] == []


def test_the_command_writes_html_and_the_word_table(capsys, versions, tmp_path):
    import docx

    old, new = versions
    page, table = tmp_path / "diff.html", tmp_path / "taisho.docx"
    assert run(capsys, "diff", "--format", "html", "-o", str(page), str(old), str(new))[0] == 1
    assert "社会福祉" in page.read_text(encoding="utf-8")
    assert run(capsys, "diff", "--format", "docx", "-o", str(table), str(old), str(new))[0] == 1
    cells = [
        cell.text for t in docx.Document(str(table)).tables for row in t.rows for cell in row.cells
    ]
    assert any("社会福祉" in text for text in cells) and any("NPO" in text for text in cells)


def test_each_side_names_its_format_by_its_human_title(capsys, versions, tmp_path):
    data = compared(MIDORINO, MIDORINO)
    assert data["old"]["title"] == {"ja": "2021年度以降の様式", "en": "2021 format and later"}
    old, new = versions
    page = tmp_path / "diff.html"
    run(capsys, "diff", "--format", "html", "-o", str(page), str(old), str(new))
    assert "old.txt (2021年度以降の様式)" in page.read_text(encoding="utf-8")
    run(capsys, "diff", "--lang", "en", "--format", "html", "-o", str(page), str(old), str(new))
    assert "old.txt (2021 format and later)" in page.read_text(encoding="utf-8")


NAGISA = fixture_text("nagisa-2015.txt")
SAKURADAI = fixture_text("sakuradai-kigyo-2022.txt")
HIBARI = fixture_text("hibari-kigyo-2019.txt")


def test_a_kpi_repeated_in_another_table_is_compared_there_too():
    # the 2015 format repeats its KPIs in ⑤: a change in that copy alone is a change
    head, item5, tail = NAGISA.partition("⑤ 重要業績評価指標（KPI）及び目標年月")
    row = "観光入込客数（人）\t120,000\t5,000"
    new = head + item5 + tail.replace(row, "観光入込客数（人）\t120,000\t6,000", 1)
    data = compared(NAGISA, new)
    assert [(k["name"], k["status"]) for k in data["kpis"]] == [("観光入込客数(人)", "changed")]


def test_a_removed_kpi_and_an_unrelated_new_one_are_not_a_rename():
    new = edited(
        SAKURADAI,
        ("イ 転入者数（人/年）\t1,020\t1,200", "オ 観光入込客数（人/年）\t300,000\t320,000"),
    )
    statuses = sorted((k["status"], k["old_name"]) for k in compared(SAKURADAI, new)["kpis"])
    assert statuses == [("added", None), ("removed", None)]


def test_a_not_applicable_measure_written_otherwise_is_still_nothing():
    new = edited(
        HIBARI,
        (
            "5-3-1 地域再生基本方針に基づく支援措置\n\n該当なし。",
            "5-3-1 地域再生基本方針に基づく支援措置\n\n該当無し。",
        ),
    )
    assert compared(HIBARI, new)["changed"] is False


def test_a_section_only_retitled_is_a_change():
    new = edited(
        HIBARI, ("4-2 地方創生の実現に向けて見据える目標", "4-2 地方創生として目指す将来像")
    )
    data = compared(HIBARI, new)
    assert [(p["heading"], p["status"]) for p in data["parts"]] == [
        ("4-2 地方創生として目指す将来像", "changed")
    ]


def test_a_name_on_a_misspelt_heading_line_is_still_the_name():
    name = MIDORINO.split("\n")[4]
    old = edited(MIDORINO, (f"1 地域再生計画の名称\n\n{name}\n", f"1 地域再生計画の名称 {name}\n"))
    new = edited(MIDORINO, (f"1 地域再生計画の名称\n\n{name}\n", f"1 地域再生計画の名弥 {name}\n"))
    assert [entry for entry in compared(old, new)["plan"] if entry["field"] == "name"] == []
