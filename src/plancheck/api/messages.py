"""The command line's own messages, Japanese first, English with ``--lang en``."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    "binary": {
        "ja": "{path}: バイナリファイルのため読み込めません。計画のテキスト（.txt/.md）、Word 文書（.docx）または PDF を指定してください",
        "en": "{path}: this is a binary file; give the plan as text (.txt/.md), a Word document (.docx) or a PDF",
    },
    "undecodable": {
        "ja": "{path}: 文字コードを判別できません（UTF-8、UTF-16、Shift_JIS に対応）。UTF-8 で保存し直してください",
        "en": "{path}: cannot tell the encoding (UTF-8, UTF-16 and Shift_JIS are supported); save it as UTF-8",
    },
    "word_legacy": {
        "ja": "{path}: 古い Word 形式（.doc、Word 97-2003）のため読み込めません。Word で開いて .docx 形式で保存し直してください",
        "en": "{path}: this is an old Word file (.doc, Word 97-2003); open it in Word and save it as .docx",
    },
    "word_corrupt": {
        "ja": "{path}: Word 文書（.docx）として読み込めません（{detail}）。ファイルが壊れていないか確認し、Word で保存し直してください",
        "en": "{path}: cannot read this Word document (.docx) ({detail}); check that the file is not damaged and save it again from Word",
    },
    "pdf_corrupt": {
        "ja": "{path}: PDF として読み込めません（{detail}）。ファイルが壊れていないか確認し、PDF を作り直してください",
        "en": "{path}: cannot read this PDF ({detail}); check that the file is not damaged and make the PDF again",
    },
    "encrypted": {
        "ja": "{path}: パスワードで保護（暗号化）されているため読み込めません。保護を解除して保存し直してください",
        "en": "{path}: the file is password-protected (encrypted); remove the protection and save it again",
    },
    "too_large": {
        "ja": "{path}: ファイルが大きすぎるため読み込みません（上限 {detail} を超えています）。信頼できるファイルであれば、設定でこの上限を引き上げてください",
        "en": "{path}: the file is too large to read (it exceeds the limit {detail}); if you trust the file, raise this limit in the settings",
    },
    "not_regular": {
        "ja": "{path}: 通常のファイルではありません（デバイス、FIFO など）。計画のファイルを指定してください",
        "en": "{path}: not a regular file (a device, a FIFO …); give a plan file",
    },
    "file_too_large": {
        "ja": "{path}: ファイルが大きすぎるため読み込みません（上限 {detail}）。計画のファイルか確認してください",
        "en": "{path}: the file is too large to read (limit {detail}); check that it is a plan",
    },
    "not_found": {
        "ja": "{path}: ファイルが見つかりません",
        "en": "{path}: no such file",
    },
    "unreadable": {
        "ja": "{path}: ファイルを読み込めません（{detail}）",
        "en": "{path}: cannot read the file ({detail})",
    },
    "no_files": {
        "ja": "{path}: チェックできるファイル（.txt/.md/.docx/.pdf）がありません",
        "en": "{path}: no files to check (.txt/.md/.docx/.pdf)",
    },
    "unknown_profile": {
        "ja": "様式プロファイル「{name}」はありません。使えるもの: {choices}",
        "en": "unknown profile '{name}'; available: {choices}",
    },
    "unknown_rule": {
        "ja": "ルール「{code}」はありません。`plancheck rules` で一覧を確認してください",
        "en": "unknown rule '{code}'; see `plancheck rules`",
    },
    "unknown_format": {
        "ja": "出力形式「{name}」はありません。使えるもの: {choices}",
        "en": "unknown output format '{name}'; available: {choices}",
    },
    "bad_severity": {
        "ja": "--severity の指定「{value}」が正しくありません。CODE=error|warning|info の形で指定してください",
        "en": "bad --severity value '{value}'; use CODE=error|warning|info",
    },
    "plugin_failed": {
        "ja": "プラグイン「{name}」を読み込めないため無視します: {detail}",
        "en": "plugin '{name}' could not be loaded and is skipped: {detail}",
    },
    "config_unknown_key": {
        "ja": "{path}: 設定「{key}」はありません。使える設定: {allowed}",
        "en": "{path}: unknown setting '{key}'; allowed: {allowed}",
    },
    "config_unreadable": {
        "ja": "{path}: 設定ファイルを読み込めません（{problem}）",
        "en": "{path}: cannot read the configuration file ({problem})",
    },
    "config_bad_value": {
        "ja": "{path}: 設定「{key}」の値が正しくありません（{problem}）。使える値: {allowed}",
        "en": "{path}: bad value for '{key}' ({problem}); allowed: {allowed}",
    },
    "bad_baseline": {
        "ja": "ベースラインを読み込めません: {detail}",
        "en": "cannot read the baseline: {detail}",
    },
    "unwritable": {
        "ja": "{path}: ファイルに書き込めません（{detail}）",
        "en": "{path}: cannot write the file ({detail})",
    },
    "internal_error": {
        "ja": "内部エラーのため中止しました（{detail}）。plancheck の不具合です。使ったコマンドとファイルを添えて報告してください",
        "en": "stopped by an internal error ({detail}); this is a bug in plancheck: please report it with the command and the file",
    },
    "interrupted": {
        "ja": "中断しました",
        "en": "interrupted",
    },
    "outline_profile": {
        "ja": "様式: {profile}（{description}）",
        "en": "Profile: {profile} ({description})",
    },
    "outline_no_profile": {
        "ja": "様式: なし（どの様式プロファイルにも一致しません）",
        "en": "Profile: none (no format profile matches)",
    },
    "outline_forced": {
        "ja": "  根拠: --profile で指定",
        "en": "  why: chosen with --profile",
    },
    "outline_why": {
        "ja": "  根拠（{score} 点）: {evidence}",
        "en": "  why (score {score}): {evidence}",
    },
    "outline_tie": {
        "ja": "  同点の {others} より一般的な様式を選びました",
        "en": "  tied with {others}: the more general profile was chosen",
    },
    "outline_others": {
        "ja": "  他の候補: {others}",
        "en": "  other candidates: {others}",
    },
    "evidence_marker": {
        "ja": "目印「{detail}」 {points:+d}",
        "en": "marker '{detail}' {points:+d}",
    },
    "evidence_sections": {
        "ja": "節の見出し {detail} {points:+d}",
        "en": "section headings {detail} {points:+d}",
    },
    "evidence_retitled": {
        "ja": "様式と題名の異なる節 {detail} {points:+d}",
        "en": "sections titled otherwise {detail} {points:+d}",
    },
    "evidence_foreign": {
        "ja": "様式にない節 {detail} {points:+d}",
        "en": "sections the profile lacks {detail} {points:+d}",
    },
    "outline_roles": {"ja": "役割: {roles}", "en": "Roles: {roles}"},
    "outline_block": {
        "ja": "措置 {number}: {kind}（{reason}）",
        "en": "Measure {number}: {kind} ({reason})",
    },
    "outline_missing": {"ja": "（なし）", "en": "(missing)"},
    "role_plan_period": {"ja": "計画期間", "en": "plan period"},
    "role_kpi_targets": {"ja": "KPI の目標", "en": "KPI targets"},
    "role_measures": {"ja": "特別の措置", "en": "special measures"},
    "role_other_measures": {"ja": "その他の支援措置", "en": "other support measures"},
    "role_own_projects": {"ja": "独自の取組", "en": "own projects"},
    "role_project_period": {"ja": "事業実施期間", "en": "project period"},
    "role_cost": {"ja": "総事業費", "en": "total cost"},
    "role_donation_estimate": {"ja": "寄附の金額の目安", "en": "expected donations"},
    "role_statements": {"ja": "先導性の記載", "en": "leading-project statements"},
    "role_kpi": {"ja": "KPI", "en": "KPI"},
    "role_evaluation": {"ja": "評価の方法", "en": "evaluation"},
    "kind_by_code": {"ja": "支援措置の番号から判定", "en": "from its support-measure code"},
    "kind_by_label": {"ja": "措置の名称から判定", "en": "from the measure's name"},
    "kind_by_items": {"ja": "項目の見出しから判定", "en": "from its item titles"},
    "kind_by_profile": {"ja": "様式で決まった項目", "en": "the profile's fixed items"},
    "kind_unknown": {"ja": "措置を特定できません", "en": "measure not recognised"},
    "summary": {
        "ja": "{files} ファイル、{count} 件の指摘（エラー {error}、警告 {warning}、情報 {info}）",
        "en": "{files} file(s), {count} finding(s) (errors {error}, warnings {warning}, info {info})",
    },
}


def message(name: str, lang: str, /, **values: Any) -> str:
    templates = MESSAGES[name]
    return (templates.get(lang) or templates["ja"]).format(**values)
