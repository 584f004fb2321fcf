"""The OpenAPI 3.1 description of the ``plancheck serve`` API (served at ``/openapi.json``)."""

from __future__ import annotations

from typing import Any

from plancheck.api import resources
from plancheck.api.version import __version__
from plancheck.web.upload import BODY_IDLE_SECONDS, BODY_SECONDS


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


_PLAN_BODY = {
    "required": True,
    "description": "計画のファイル（multipart の file 欄）、または貼り付けた本文（text/plain）。",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": ".txt / .md / .docx / .pdf",
                    }
                },
            }
        },
        "text/plain": {"schema": {"type": "string"}},
    },
}

_LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "指摘とエラーの言語（ja/en）。既定は plancheck serve --lang の言語",
    "schema": {"type": "string", "enum": ["ja", "en"]},
}

_PROFILE = {
    "name": "profile",
    "in": "query",
    "required": False,
    "description": "様式プロファイルの名前（GET /api/profiles の name）。省略すると内容から判定",
    "schema": {"type": "string"},
}

_UNSAFE = {
    "name": "unsafe",
    "in": "query",
    "required": False,
    "description": "true で判断を伴う修正（unsafe）も適用する（plancheck check --unsafe-fixes）",
    "schema": {"type": "string", "enum": ["true", "false", "1", "0"], "default": "false"},
}

_DOWNLOAD = {
    "name": "download",
    "in": "query",
    "required": False,
    "description": "true で修正したファイルそのもの（.txt/.md は元の文字コードのまま、.docx は .docx）を返す",
    "schema": {"type": "string", "enum": ["true", "false", "1", "0"], "default": "false"},
}

_FIX_RESULT = {
    "type": "object",
    "required": ["path", "applied", "skipped", "diff", "changed", "refused", "findings_left"],
    "properties": {
        "path": {"type": "string"},
        "applied": {"type": "integer", "minimum": 0, "description": "適用した修正の数"},
        "skipped": {
            "type": "array",
            "description": "適用しなかった修正と、その理由（?lang= の言語）",
            "items": {
                "type": "object",
                "required": ["line", "column", "code", "reason"],
                "properties": {
                    "line": {"type": "integer", "minimum": 1},
                    "column": {"type": "integer", "minimum": 1},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
        },
        "diff": {
            "type": "string",
            "description": "修正の unified diff（plancheck check --diff と同じ。修正がなければ空）",
        },
        "changed": {"type": "boolean", "description": "ファイルが変わるか"},
        "refused": {
            "type": ["string", "null"],
            "description": "PDF: 書き込まない理由（修正は元の Word 文書かテキストで）",
        },
        "findings_left": {"type": "integer", "minimum": 0, "description": "修正後に残る指摘の数"},
    },
}

_TWO_PLANS_BODY = {
    "required": True,
    "description": "比較する 2 つのファイル: old 欄に変更前、new 欄に変更後（plancheck diff OLD NEW）。",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["old", "new"],
                "properties": {
                    side: {"type": "string", "format": "binary", "description": text}
                    for side, text in (("old", "変更前の計画"), ("new", "変更後の計画"))
                },
            }
        }
    },
}

_COMPARISON_FORMAT = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "json: 比較の内容、html: 比較のページ、docx: 新旧対照表（Word）",
    "schema": {"type": "string", "enum": ["json", "html", "docx"], "default": "json"},
}


def _comparison_schema() -> dict[str, Any]:
    """The packaged comparison schema (plancheck diff --format json) as an OpenAPI component: its
    ``#/$defs/…`` references point into the component, where the definitions now live."""
    import json

    schema = {
        key: value
        for key, value in resources.load_schema("comparison.schema.json").items()
        if key not in ("$schema", "$id")
    }
    text = json.dumps(schema, ensure_ascii=False)
    return dict(json.loads(text.replace('"#/$defs/', '"#/components/schemas/Comparison/$defs/')))


_WRONG_HOST = _error(
    "Host がこのサーバーのアドレス（127.0.0.1、localhost、[::1]、--host のアドレス）とポートでない"
)
_REFUSALS = {
    "400": _error("file 欄がない、multipart が壊れている、または出力形式・様式が不明"),
    "403": _error(
        "ほかのサイトのページからの送信（Origin・Sec-Fetch-Site がこのサーバーと異なる）"
    ),
    "408": _error(
        f"本文の送信が時間内に終わらない（全体で {BODY_SECONDS:g} 秒、"
        f"途切れて {BODY_IDLE_SECONDS:g} 秒）"
    ),
    "413": _error(
        "上限（既定 20 MB）を超えるアップロード、またはページ数・文字数の上限を超える Word/PDF"
    ),
    "415": _error(
        "対応していないファイル形式または Content-Type、古い Word 形式（.doc: .docx で保存し直す）"
    ),
    "421": _WRONG_HOST,
    "422": _error("文字コードを判別できないテキスト、または読み込めない Word/PDF"),
    "503": {
        **_error("ほかのアップロードを処理中で、待てる数を超えている。しばらくして送り直す"),
        "headers": {
            "Retry-After": {"description": "送り直すまでの秒数", "schema": {"type": "integer"}}
        },
    },
}

_HEADING = {
    "type": "object",
    "required": ["kind", "number", "title", "required", "line"],
    "properties": {
        "kind": {"enum": ["section", "item"]},
        "number": {"type": "string"},
        "title": {"type": "string"},
        "required": {"type": "boolean"},
        "line": {"type": ["integer", "null"], "description": "見つかった行、ないときは null"},
    },
}


def document() -> dict[str, Any]:
    findings = {
        key: value
        for key, value in resources.load_schema("findings.schema.json").items()
        if key not in ("$schema", "$id")
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "plancheck",
            "version": __version__,
            "description": "地域再生計画の様式チェック。すべてこのパソコンの中で処理し、何も保存しません。",
        },
        "paths": {
            "/api/check": {
                "post": {
                    "summary": "計画をチェックする（plancheck check と同じ結果）",
                    "operationId": "check",
                    "parameters": [
                        {
                            "name": "format",
                            "in": "query",
                            "required": False,
                            "description": "出力形式（plancheck check --format と同じ名前）",
                            "schema": {"type": "string", "default": "json"},
                        },
                        _LANG,
                        _PROFILE,
                    ],
                    "requestBody": _PLAN_BODY,
                    "responses": {
                        "200": {
                            "description": "指摘（--format json と同じ配列）、または選んだ形式の出力",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Findings"}
                                },
                                "text/csv": {"schema": {"type": "string"}},
                                "text/html": {"schema": {"type": "string"}},
                            },
                        },
                        **_REFUSALS,
                    },
                }
            },
            "/api/document": {
                "post": {
                    "summary": "ページの表示用: 本文の各行、指摘、様式の節の有無",
                    "operationId": "document",
                    "parameters": [_LANG, _PROFILE],
                    "requestBody": _PLAN_BODY,
                    "responses": {
                        "200": {
                            "description": "本文と指摘",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Document"}
                                }
                            },
                        },
                        **_REFUSALS,
                    },
                }
            },
            "/api/fix": {
                "post": {
                    "summary": "自動で直せる指摘を直す（plancheck check --fix と同じ修正。何も保存しない）",
                    "operationId": "fix",
                    "parameters": [_LANG, _PROFILE, _UNSAFE, _DOWNLOAD],
                    "requestBody": _PLAN_BODY,
                    "responses": {
                        "200": {
                            "description": "修正の差分と件数、または download=true で修正したファイル",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/FixResult"}
                                },
                                "application/octet-stream": {
                                    "schema": {"type": "string", "format": "binary"}
                                },
                                (
                                    "application/vnd.openxmlformats-officedocument"
                                    ".wordprocessingml.document"
                                ): {"schema": {"type": "string", "format": "binary"}},
                            },
                        },
                        **_REFUSALS,
                        "422": _error(
                            "文字コードを判別できないテキスト、読み込めない Word/PDF、"
                            "または download=true の PDF（PDF には書き込まない）"
                        ),
                    },
                }
            },
            "/api/compare": {
                "post": {
                    "summary": "計画の 2 つの版を比べる（plancheck diff と同じ比較）",
                    "operationId": "compare",
                    "parameters": [_COMPARISON_FORMAT, _LANG, _PROFILE],
                    "requestBody": _TWO_PLANS_BODY,
                    "responses": {
                        "200": {
                            "description": "比較（JSON）、または format=html / docx のダウンロード",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Comparison"}
                                },
                                "text/html": {"schema": {"type": "string"}},
                                (
                                    "application/vnd.openxmlformats-officedocument"
                                    ".wordprocessingml.document"
                                ): {"schema": {"type": "string", "format": "binary"}},
                            },
                        },
                        **_REFUSALS,
                        "400": _error(
                            "old 欄か new 欄がない、multipart が壊れている、または出力形式・様式が不明"
                        ),
                        "415": _error(
                            "multipart/form-data でない送信、対応していないファイル形式、"
                            "古い Word 形式（.doc）"
                        ),
                    },
                }
            },
            "/api/rules": {
                "get": {
                    "summary": "ルールの一覧（plancheck rules と同じ）",
                    "operationId": "rules",
                    "parameters": [
                        {
                            **_LANG,
                            "description": "概要の言語（ja/en）。省略すると plancheck rules と同じ",
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ルール",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Rule"},
                                    }
                                }
                            },
                        },
                        "421": _WRONG_HOST,
                    },
                }
            },
            "/api/profiles": {
                "get": {
                    "summary": "選べる様式プロファイル: 名前、表示名、説明",
                    "operationId": "profiles",
                    "parameters": [_LANG],
                    "responses": {
                        "200": {
                            "description": "様式プロファイル",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Profile"},
                                    }
                                }
                            },
                        },
                        "421": _WRONG_HOST,
                    },
                }
            },
            "/api/messages": {
                "get": {
                    "summary": "ページの表示文（web_ で始まるメッセージ、{名前} は未置換）",
                    "operationId": "messages",
                    "parameters": [_LANG],
                    "responses": {
                        "200": {
                            "description": "言語と、名前ごとの表示文",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Messages"}
                                }
                            },
                        },
                        "421": _WRONG_HOST,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Findings": findings,
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string", "description": "利用者への説明"}},
                },
                "Rule": {
                    "type": "object",
                    "required": ["code", "name", "severity", "summary"],
                    "properties": {
                        "code": {"type": "string"},
                        "name": {"type": "string"},
                        "severity": {"enum": ["error", "warning", "info"]},
                        "summary": {"type": "string"},
                    },
                },
                "Profile": {
                    "type": "object",
                    "required": ["name", "title", "description"],
                    "properties": {
                        "name": {"type": "string", "description": "?profile= に渡す名前"},
                        "title": {"type": "string", "description": "表示名（2021年度以降の様式）"},
                        "description": {"type": "string"},
                    },
                },
                "Messages": {
                    "type": "object",
                    "required": ["lang", "messages"],
                    "properties": {
                        "lang": {"enum": ["ja", "en"]},
                        "messages": {
                            "type": "object",
                            "propertyNames": {"pattern": "^web_[a-z0-9_]+$"},
                            "additionalProperties": {"type": "string"},
                        },
                    },
                },
                "Heading": _HEADING,
                "FixResult": _FIX_RESULT,
                "Comparison": _comparison_schema(),
                "Document": {
                    "type": "object",
                    "required": [
                        "path",
                        "profile",
                        "profile_title",
                        "encoding",
                        "lines",
                        "findings",
                        "places",
                        "headings",
                    ],
                    "properties": {
                        "path": {"type": "string"},
                        "profile": {"type": ["string", "null"]},
                        "profile_title": {
                            "type": ["string", "null"],
                            "description": "様式の表示名（2021年度以降の様式）",
                        },
                        "profile_description": {"type": ["string", "null"]},
                        "encoding": {"type": "string"},
                        "lines": {"type": "array", "items": {"type": "string"}},
                        "findings": {
                            "$ref": "#/components/schemas/Findings",
                            "description": "PC001 の文はページ向け（様式は一覧から選ぶ）",
                        },
                        "places": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "指摘ごとの Word/PDF での位置（ないときは空文字列）",
                        },
                        "headings": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Heading"},
                        },
                    },
                },
            }
        },
    }
