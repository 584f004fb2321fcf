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
    "rule_failed": {
        "ja": "{path}: ルール {code} の実行中にエラーが発生したため、このルールを飛ばしました: {detail}",
        "en": "{path}: rule {code} failed and was skipped: {detail}",
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
    "interrupted": {
        "ja": "中断しました",
        "en": "interrupted",
    },
    "summary": {
        "ja": "{files} ファイル、{count} 件の指摘（エラー {error}、警告 {warning}、情報 {info}）",
        "en": "{files} file(s), {count} finding(s) (errors {error}, warnings {warning}, info {info})",
    },
}


def message(name: str, lang: str, /, **values: Any) -> str:
    templates = MESSAGES[name]
    return (templates.get(lang) or templates["ja"]).format(**values)
