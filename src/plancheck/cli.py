"""The ``plancheck`` command: check, parse, rules, rule, plugins. Exit codes 0/1/2 (interface.md)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from plancheck import __version__
from plancheck.config import Settings, parse_severity_overrides
from plancheck.lint import ConfigError, FileResult, Linter
from plancheck.messages import message
from plancheck.plugins import PluginHost
from plancheck.report import Report
from plancheck.rule import SEVERITIES

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PLAN_SUFFIXES = (".txt", ".md")


class UsageError(Exception):
    """A user mistake on the command line; the message is already in the user's language."""


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang", choices=("ja", "en"), default="ja", help="メッセージの言語 (ja/en)"
    )

    parser = argparse.ArgumentParser(
        prog="plancheck",
        description="地域再生計画の様式チェッカー (regional revitalization plan linter)",
    )
    parser.add_argument("--version", action="version", version=f"plancheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", parents=[common], help="計画をチェックする (lint plans)")
    check.add_argument(
        "paths", nargs="+", metavar="PATH", help="ファイル、ディレクトリ、または - (標準入力)"
    )
    check.add_argument("--format", default="text", help="出力形式 (text, json, …)")
    check.add_argument(
        "--select", type=_codes, default=[], help="有効にするルール (接頭辞, カンマ区切り)"
    )
    check.add_argument("--extend-select", type=_codes, default=[], help="追加で有効にするルール")
    check.add_argument(
        "--ignore", type=_codes, default=[], help="無効にするルール (接頭辞, カンマ区切り)"
    )
    check.add_argument(
        "--severity",
        action="append",
        default=[],
        metavar="CODE=LEVEL",
        help="ルールの重大度を変更 (例: PC104=error)",
    )
    check.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        default="error",
        help="終了コード 1 にする最低の重大度 (既定: error)",
    )
    check.add_argument("--profile", help="様式プロファイルを指定 (既定: 内容から自動判定)")
    check.add_argument("--exit-zero", action="store_true", help="指摘があっても終了コード 0")
    check.add_argument("-q", "--quiet", action="store_true", help="集計行を出さない")

    parse = commands.add_parser(
        "parse", parents=[common], help="計画の構成を表示する (print the outline)"
    )
    parse.add_argument("path", metavar="FILE")
    parse.add_argument("--format", choices=("text", "json"), default="text")
    parse.add_argument("--profile")

    commands.add_parser("rules", parents=[common], help="ルールの一覧 (list rules)")
    rule = commands.add_parser("rule", parents=[common], help="ルールの説明 (explain a rule)")
    rule.add_argument("code")
    commands.add_parser("plugins", parents=[common], help="読み込んだプラグイン (loaded plugins)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(format="plancheck: %(message)s", level=logging.WARNING, stream=sys.stderr)
    try:
        host = PluginHost()
        handler = {
            "check": _check,
            "parse": _parse,
            "rules": _rules,
            "rule": _rule,
            "plugins": _plugins,
        }[args.command]
        for name, detail in host.load():
            print(message("plugin_failed", args.lang, name=name, detail=detail), file=sys.stderr)
        return handler(args, host)
    except UsageError as error:
        print(f"plancheck: {error}", file=sys.stderr)
    except ConfigError as error:
        print(
            f"plancheck: {message(error.message_key, args.lang, **error.values)}", file=sys.stderr
        )
    return EXIT_ERROR


def _settings(args: argparse.Namespace) -> Settings:
    try:
        severity = parse_severity_overrides(args.severity)
    except ValueError as error:
        raise UsageError(message("bad_severity", args.lang, value=error)) from error
    return Settings(
        select=tuple(args.select),
        extend_select=tuple(args.extend_select),
        ignore=tuple(args.ignore),
        severity=severity,
        fail_on=args.fail_on,
        profile=args.profile,
        lang=args.lang,
    )


def _plan_files(argument: str) -> Iterator[Path]:
    path = Path(argument)
    if path.is_dir():
        yield from sorted(
            p for p in path.rglob("*") if p.suffix.lower() in PLAN_SUFFIXES and p.is_file()
        )
    else:
        yield path


def _check(args: argparse.Namespace, host: PluginHost) -> int:
    linter = Linter(_settings(args), host)
    formatter = host.formats.get(args.format)
    if formatter is None:
        raise UsageError(
            message(
                "unknown_format",
                args.lang,
                name=args.format,
                choices=", ".join(sorted(host.formats)),
            )
        )
    results: list[FileResult] = []
    for argument in args.paths:
        if argument == "-":
            results.append(linter.check_bytes(sys.stdin.buffer.read(), "-"))
            continue
        files = list(_plan_files(argument))
        if not files:
            results.append(
                FileResult(argument, error=message("no_files", args.lang, path=argument))
            )
        results.extend(linter.check_file(path) for path in files)
    for result in results:
        if result.error:
            print(f"plancheck: {result.error}", file=sys.stderr)
    report = Report(lang=args.lang, rules=host.rules, color=sys.stdout.isatty())
    sys.stdout.write(formatter(results, report))
    findings = [finding for result in results for finding in result.findings]
    if args.format == "text" and not args.quiet:
        counts = {level: sum(f.severity == level for f in findings) for level in SEVERITIES}
        checked = sum(1 for result in results if not result.error)
        print(
            message("summary", args.lang, files=checked, count=len(findings), **counts),
            file=sys.stderr,
        )
    if any(result.error for result in results):
        return EXIT_ERROR
    if not args.exit_zero and any(linter.settings.fails(f.severity) for f in findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _parse(args: argparse.Namespace, host: PluginHost) -> int:
    from plancheck.outline import outline, render_outline
    from plancheck.source import InputError

    linter = Linter(Settings(profile=args.profile, lang=args.lang), host)
    path = Path(args.path)
    try:
        source = linter.read(
            sys.stdin.buffer.read() if args.path == "-" else path.read_bytes(), args.path
        )
    except InputError as error:
        raise UsageError(
            message(error.message_key, args.lang, path=args.path, detail=error.detail)
        ) from error
    except OSError as error:
        key = "not_found" if isinstance(error, FileNotFoundError) else "unreadable"
        raise UsageError(message(key, args.lang, path=args.path, detail=error.strerror)) from error
    plan, profile = linter.parse(source)
    data = outline(plan, profile.name if profile else None)
    if args.format == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_outline(data))
    return EXIT_OK


def _rules(args: argparse.Namespace, host: PluginHost) -> int:
    for rule in host.rules:
        print(f"{rule.code}\t{rule.name}\t{rule.severity}\t{rule.summary()}")
    return EXIT_OK


def _rule(args: argparse.Namespace, host: PluginHost) -> int:
    rule = host.rule(args.code.upper())
    if rule is None:
        raise UsageError(message("unknown_rule", args.lang, code=args.code))
    print(f"{rule.code} {rule.name} [{rule.severity}]\n")
    print(rule.documentation())
    return EXIT_OK


def _plugins(args: argparse.Namespace, host: PluginHost) -> int:
    for info in host.describe():
        kind = "builtin" if info.builtin else "plugin"
        provides = ", ".join(info.rules + info.profiles) or "-"
        print(f"{info.name}\t{info.version}\t{kind}\t{provides}")
    return EXIT_OK
