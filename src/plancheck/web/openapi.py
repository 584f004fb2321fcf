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

_WRONG_HOST = _error(
    "Host がこのサーバーのアドレス（127.0.0.1、localhost、[::1]、--host のアドレス）とポートでない"
)
_REFUSALS = {
    "400": _error("file 欄がない、multipart が壊れている、または出力形式が不明"),
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
    "415": _error("対応していないファイル形式または Content-Type"),
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
                    "parameters": [_LANG],
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
            "/api/rules": {
                "get": {
                    "summary": "ルールの一覧（plancheck rules と同じ）",
                    "operationId": "rules",
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
                "Heading": _HEADING,
                "Document": {
                    "type": "object",
                    "required": ["path", "profile", "encoding", "lines", "findings", "headings"],
                    "properties": {
                        "path": {"type": "string"},
                        "profile": {"type": ["string", "null"]},
                        "profile_description": {"type": ["string", "null"]},
                        "encoding": {"type": "string"},
                        "lines": {"type": "array", "items": {"type": "string"}},
                        "findings": {"$ref": "#/components/schemas/Findings"},
                        "headings": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Heading"},
                        },
                    },
                },
            }
        },
    }
