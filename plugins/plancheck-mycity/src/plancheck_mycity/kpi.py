"""MC201, the rule YAML cannot say: at most four KPIs (a setting), each with its unit."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from plancheck import Context, Finding, Plan, Rule, Span
from plancheck.model.kpi_tables import EMPTY_MARKERS, KpiTable, read_kpi_tables

PLUGIN = "mycity"  # the entry-point name: the key of this plugin's settings
DEFAULT_MAX_KPIS = 4


def max_kpis(settings: Mapping[str, Any]) -> int:
    """``plugins: {mycity: {max_kpis: N}}``; anything but a positive whole number keeps the default."""
    value = settings.get("max_kpis", DEFAULT_MAX_KPIS)
    return (
        value
        if isinstance(value, int) and not isinstance(value, bool) and value > 0
        else DEFAULT_MAX_KPIS
    )


class KpiForm(Rule):
    """KPI が市の上限を超える、または単位がない (more KPIs than the city allows, or one without a unit).

    Why: みどり野市の推進会議は毎年度すべての KPI を確認するため、KPI は4つまで（設定
    ``plugins: {mycity: {max_kpis: N}}`` で変更可）とし、それぞれに単位を付ける。2021年以降の様式
    では KPI の行の「単位」欄、それより前の様式では各数値の単位（人、千円など）を見る。

    Source: みどり野市地域再生計画作成要領（架空）第3条.

    Failing example (the unit of KPI② is left as 「-」)::

        KPI①	子育て支援アプリの登録世帯数	単位	世帯
        KPI②	移住相談を経て転入した子育て世帯数	単位	-

    Passing example::

        KPI①	子育て支援アプリの登録世帯数	単位	世帯
        KPI②	移住相談を経て転入した子育て世帯数	単位	世帯
    """

    code = "MC201"
    name = "city-kpi-form"
    severity = "warning"
    document_types = ("地域再生計画",)
    messages = {
        "too_many": {
            "ja": "KPI が {count} 個あります。みどり野市の作成要領では {limit} 個までです",
            "en": "The plan has {count} KPIs; Midorino City allows at most {limit}",
        },
        "no_unit": {
            "ja": "KPI「{kpi}」に単位がありません。単位（人、件、千円など）を記載してください",
            "en": "KPI 「{kpi}」 has no unit; state it (人, 件, 千円, …)",
        },
    }

    def check(self, plan: Plan, context: Context) -> Iterator[Finding]:
        tables = read_kpi_tables(plan)
        if not tables:
            return  # no KPI table at all is PC205's finding
        first = tables[0]  # the copies in 5-2 ⑤ and 7-2 must agree with it (PC203)
        used = [row for row in first.rows if not row.is_unused]
        limit = max_kpis(context.plugin_settings.get(PLUGIN, {}))
        if len(used) > limit:
            yield self.report(
                context, used[limit].row.span, "too_many", count=len(used), limit=limit
            )
        for name, span in _kpis_without_unit(first):
            yield self.report(context, span, "no_unit", kpi=name)


def _kpis_without_unit(table: KpiTable) -> Iterator[tuple[str, Span]]:
    definitions = [row for row in table.table.rows if row.is_kpi_definition]
    if definitions:  # 2021 on: 「KPI① name … 単位 unit」
        for row in definitions:
            cells = [cell.replace(" ", "") for cell in row.cells]
            name = next((cell for cell in cells[1:] if cell), "")
            if not name or name in EMPTY_MARKERS or "単位" not in cells:
                continue  # an unused slot (「KPI④ -」)
            after = cells[cells.index("単位") + 1 :]
            unit = next((cell for cell in after if cell), "")
            if not unit or unit in EMPTY_MARKERS:
                yield name, row.span
        return
    for row in table.rows:  # older formats: the unit follows each number (「1,240人」)
        numbers = [value for value in row.values if value.number is not None]
        if numbers and all(not value.unit for value in numbers):
            yield row.name, row.row.span
