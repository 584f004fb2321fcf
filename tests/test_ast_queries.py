"""The AST queries rules ask of a node: what is under it, its text line by line with spans, the
normalised lines it covers, and an item found anywhere under a section."""

from plancheck.parsing.ast import Enumeration, Item, Label, Paragraph, Section, Table
from plancheck.parsing.normalize import normalize
from plancheck.parsing.parser import parse_lines

PLAN = """地域再生計画
5 地域再生を図るために行う事業
5-2 第5章の特別の措置を適用して行う事業
地方創生推進交付金（内閣府）：【A3007】
① 事業主体
みどり野市
④ 事業が先導的であると認められる理由
【自立性】
利用料収入により
事業を継続する。
【官民協働】
(1) 市と商工会議所
KPI1\t人数\t単位\t人
⑦ 交付対象事業に要する経費
総事業費 130,000千円
5-3 その他の事業
5-3-1 地域再生基本方針に基づく支援措置
⑨ その他必要な事項
該当なし。"""


def parse(text: str = PLAN):
    return parse_lines(normalize(text.split("\n")))


def test_descendants_in_document_order():
    section = parse().section("5-2")
    kinds = [type(node).__name__ for node in section.descendants()]
    assert kinds == [
        "Paragraph", "Item", "Paragraph", "Item", "Label", "Paragraph", "Paragraph",
        "Label", "Enumeration", "Table", "Item", "Paragraph",
    ]  # fmt: skip
    labels = [node.label for node in section.descendants() if isinstance(node, Label)]
    assert labels == ["自立性", "官民協働"]


def test_descendants_reach_subsections():
    section = parse().section("5")
    numbers = [node.number for node in section.descendants() if isinstance(node, Section)]
    assert numbers == ["5-2", "5-3", "5-3-1"]


def test_lines_give_text_and_span_of_every_line():
    item = parse().section("5-2").item("④")
    lines = list(item.lines())
    assert [text for text, _ in lines] == [
        "事業が先導的であると認められる理由",
        "",  # the 【自立性】 heading has no text after 】
        "利用料収入により",
        "事業を継続する。",
        "",
        "(1) 市と商工会議所",
        "KPI1\t人数\t単位\t人",
    ]
    assert [span.line for _, span in lines] == [7, 8, 9, 10, 11, 12, 13]
    assert all(span.column == 1 for _, span in lines)


def test_blocks_have_lines_too():
    plan = parse()
    blocks = [n for n in plan.section("5-2").descendants() if not hasattr(n, "children")]
    by_kind = {type(block): list(block.lines()) for block in blocks}
    assert by_kind[Enumeration][0][0] == "(1) 市と商工会議所"
    assert by_kind[Table][0][0] == "KPI1\t人数\t単位\t人"
    assert by_kind[Paragraph][0][1].line == 15  # the last paragraph: 総事業費


def test_content_joins_what_a_node_says():
    item = parse().section("5-2").item("④")
    assert item.label("自立性").content() == "利用料収入により\n事業を継続する。"
    assert item.label("自立性").body_text() == item.label("自立性").content()
    assert item.label("官民協働").content() == "(1) 市と商工会議所\nKPI1\t人数\t単位\t人"


def test_lines_under_a_node_are_the_plans_normalised_lines():
    plan = parse()
    item = plan.section("5-2").item("⑦")
    assert [(line.number, line.text) for line in plan.lines_under(item)] == [
        (14, "⑦ 交付対象事業に要する経費"),
        (15, "総事業費 130,000千円"),
    ]
    label = plan.section("5-2").item("④").label("自立性")
    assert [line.number for line in plan.lines_under(label)] == [8, 9, 10]


def test_find_item_anywhere_under_a_section():
    plan = parse()
    five = plan.section("5")
    assert five.item("⑨") is None  # item() looks at direct children only
    found = five.find_item("⑨")
    assert isinstance(found, Item) and found.span.line == 18
    assert five.find_item(title="交付対象事業 に要する") is plan.section("5-2").item("⑦")
    assert five.find_item("①", title="事業主体").title == "事業主体"
    assert five.find_item("①", title="その他") is None
    assert five.find_item("⑳") is None
