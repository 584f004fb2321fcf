"""The ``plancheck`` command: check, parse, diff, rules, rule, plugins, serve. Exit codes 0/1/2 (interface.md)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from plancheck.api.errors import InputError
from plancheck.api.messages import message
from plancheck.api.results import FileResult
from plancheck.api.rule import SEVERITIES
from plancheck.api.version import __version__
from plancheck.engine import baseline, batch, filters, selectors
from plancheck.engine.config import (
    ConfigFileError,
    Settings,
    SettingsResolver,
    parse_severity_overrides,
)
from plancheck.engine.linter import ConfigError, Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.output import Report, fixable
from plancheck.reading.source import read_stream

if TYPE_CHECKING:  # --fix and --diff import it when they run: `check` starts without it
    from plancheck.engine import fixer

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it


class UsageError(Exception):
    """A user mistake on the command line; the message is already in the user's language."""


def _both(name: str) -> str:
    """「日本語 (English)」: argparse checks a value before it knows the --lang."""
    return f"{message(name, 'ja')} ({message(name, 'en')})"


def _requested_lang(argv: Sequence[str]) -> str:
    """The ``--lang`` of ``argv``, before parsing (the help is written in it); ja by default."""
    for index, argument in enumerate(argv):
        if argument == "--lang" and index + 1 < len(argv):
            return "en" if argv[index + 1] == "en" else "ja"
        if argument.startswith("--lang="):
            return "en" if argument == "--lang=en" else "ja"
    return "ja"


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{_both('arg_positive')}: {value!r}")
    return int(value)


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


def _megabytes(value: str) -> float:
    size = float(value)
    if size <= 0:
        raise argparse.ArgumentTypeError(f"{_both('arg_megabytes')}: {value}")
    return size


# argparse's own (English) errors, read to say them in the user's language
_INVALID_CHOICE = re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)")


class _Parser(argparse.ArgumentParser):
    """argparse with its mistakes told in the user's language, naming the nearest real option or
    command (``--selectt`` → ``--select``), one line and exit 2; never argparse's English."""

    lang = "ja"
    #: the arguments being parsed (which command's options an unknown one is compared with)
    given: list[str] = []

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        self.given = list(sys.argv[1:] if args is None else args)
        return super().parse_args(args, namespace)

    def error(self, message_text: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"plancheck: {self._explained(message_text)}\n")

    def _explained(self, text: str) -> str:
        lang = self.lang
        help_hint = message("see_help", lang, command=self.prog)
        if found := re.fullmatch(r"unrecognized arguments: (.*)", text):
            given = found[1].split()
            option = next((word for word in given if word.startswith("-")), None)
            if option is None:
                return message("extra_arguments", lang, arguments=" ".join(given)) + help_hint
            name = option.split("=", 1)[0]
            command, options = self._command_options()
            help_hint = message("see_help", lang, command=command)
            return _nearest_hint("unknown_option", lang, name, options) + help_hint
        if found := _INVALID_CHOICE.fullmatch(text):
            option, value = found[1], found[2].strip("'")
            names = [choice.strip().strip("'") for choice in found[3].split(",")]
            choices = ", ".join(names)
            if option == "COMMAND":
                return _nearest_hint("unknown_command", lang, value, names, choices=choices)
            return message("bad_choice", lang, option=option, name=value, choices=choices)
        if found := re.fullmatch(r"the following arguments are required: (.*)", text):
            return message("missing_arguments", lang, arguments=found[1]) + help_hint
        if found := re.fullmatch(r"argument (\S+): expected (?:one|at least one) argument", text):
            return message("missing_value", lang, option=found[1]) + help_hint
        if found := re.fullmatch(r"argument (\S+): invalid \S+ value: (.*)", text):
            return message("bad_value", lang, option=found[1], value=found[2].strip("'"))
        if found := re.fullmatch(r"argument (\S+): (.*)", text):  # our own checks (_positive …)
            return f"{found[1]}: {found[2]}"
        return message("bad_arguments", lang, detail=text) + help_hint

    def _command_options(self) -> tuple[str, list[str]]:
        """The command given (``plancheck check``) and its options, with the top level's."""
        options = list(self._option_string_actions)
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                for word in self.given:
                    command = action.choices.get(word)
                    if command is not None:
                        return command.prog, options + list(command._option_string_actions)
        return self.prog, options


def _nearest_hint(key: str, lang: str, name: str, candidates: Sequence[str], **values: str) -> str:
    """Message ``key`` about ``name``, with the nearest candidates when some are near."""
    text = message(key, lang, name=name, **values)
    nearest = selectors.nearest(name, candidates)
    if nearest:
        text += message("did_you_mean", lang, names=", ".join(nearest))
    return text


def build_parser(lang: str = "ja") -> argparse.ArgumentParser:
    """The command line, its help in ``lang`` (``--help`` is read before ``--lang`` is parsed)."""

    def h(option: str) -> str:
        return message(f"help_{option}", lang)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=("ja", "en"), help=h("lang"))

    parser: argparse.ArgumentParser = _Parser(  # its commands are _Parser too (add_parser)
        prog="plancheck",
        description=h("description"),
    )
    parser.add_argument("--version", action="version", version=f"plancheck {__version__}")
    parser.add_argument(
        "--disable-plugin",
        action="append",
        default=[],
        metavar="NAME",
        help=h("disable_plugin"),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", parents=[common], help=h("check"))
    check.add_argument("paths", nargs="+", metavar="PATH", help=h("paths"))
    check.add_argument("--format", default="text", help=h("format"))
    check.add_argument("--output", "-o", type=Path, help=h("output"))
    check.add_argument("--stdin-filename", metavar="NAME", help=h("stdin_filename"))
    check.add_argument("--config", type=Path, help=h("config"))
    check.add_argument("--select", type=_codes, help=h("select"))
    check.add_argument("--extend-select", type=_codes, help=h("extend_select"))
    check.add_argument("--ignore", type=_codes, help=h("ignore"))
    check.add_argument(
        "--severity",
        action="append",
        metavar="CODE=LEVEL",
        help=h("severity"),
    )
    check.add_argument("--fail-on", choices=SEVERITIES, help=h("fail_on"))
    check.add_argument("--profile", help=h("profile"))
    check.add_argument("-j", "--jobs", type=_positive, help=h("jobs"))
    check.add_argument("--statistics", action="store_true", help=h("statistics"))
    check.add_argument("--write-baseline", type=Path, metavar="FILE", help=h("write_baseline"))
    check.add_argument("--baseline", type=Path, metavar="FILE", help=h("baseline"))
    check.add_argument("--show-settings", action="store_true", help=h("show_settings"))
    check.add_argument("--exit-zero", action="store_true", help=h("exit_zero"))
    check.add_argument("--fix", action="store_true", help=h("fix"))
    check.add_argument("--unsafe-fixes", action="store_true", help=h("unsafe_fixes"))
    check.add_argument("--diff", action="store_true", help=h("diff"))
    check.add_argument("-q", "--quiet", action="store_true", help=h("quiet"))
    check.add_argument("--no-progress", action="store_true", help=h("no_progress"))

    parse = commands.add_parser("parse", parents=[common], help=h("parse"))
    parse.add_argument("path", metavar="FILE")
    parse.add_argument("--format", choices=("text", "json"), default="text")
    parse.add_argument("--profile")

    diff = commands.add_parser("diff", parents=[common], help=h("diff"))
    diff.add_argument("old", metavar="OLD", help=h("diff_old"))
    diff.add_argument("new", metavar="NEW", help=h("diff_new"))
    diff.add_argument(
        "--format", choices=("text", "json", "html", "docx"), default="text", help=h("diff_format")
    )
    diff.add_argument("--output", "-o", type=Path, help=h("diff_output"))
    diff.add_argument("--profile", help=h("profile"))
    diff.add_argument("--config", type=Path, help=h("config"))

    commands.add_parser("rules", parents=[common], help=h("rules"))
    rule = commands.add_parser("rule", parents=[common], help=h("rule"))
    rule.add_argument("code")
    commands.add_parser("plugins", parents=[common], help=h("plugins"))
    serve = commands.add_parser("serve", parents=[common], help=h("serve"))
    serve.add_argument("--host", default="127.0.0.1", help=h("host"))
    serve.add_argument("--port", type=int, default=8000, help=h("port"))
    serve.add_argument("--max-upload-mb", type=_megabytes, default=20, help=h("max_upload_mb"))
    for command in (parser, *commands.choices.values()):
        command.lang = lang  # type: ignore[attr-defined]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_requested_lang(arguments)).parse_args(arguments)
    lang = args.lang or "ja"
    logging.basicConfig(format="plancheck: %(message)s", level=logging.WARNING, stream=sys.stderr)
    try:
        host = PluginHost(disabled=tuple(args.disable_plugin))
        handler = {
            "check": _check,
            "parse": _parse,
            "diff": _compare,
            "rules": _rules,
            "rule": _rule,
            "plugins": _plugins,
            "serve": _serve,
        }
        for name, detail in host.load():
            print(message("plugin_failed", lang, name=name, detail=detail), file=sys.stderr)
        code = handler[args.command](args, host)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below, not at exit
        return code
    except KeyboardInterrupt:
        print(f"plancheck: {message('interrupted', lang)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (`plancheck rules | head`): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except UsageError as error:
        print(f"plancheck: {error}", file=sys.stderr)
    except ConfigError as error:
        print(f"plancheck: {message(error.message_key, lang, **error.values)}", file=sys.stderr)
    except ConfigFileError as error:
        key = {"unknown": "config_unknown_key"}.get(error.problem, "config_bad_value")
        key = "config_unreadable" if error.key == "(file)" else key
        key = {"(syntax)": "config_syntax", "(encoding)": "config_not_utf8"}.get(error.key, key)
        text = message(
            key,
            lang,
            path=error.path,
            key=error.key,
            problem=error.problem,
            allowed=error.allowed,
            line=error.line,
            column=error.column,
            format=error.syntax,
        )
        print(f"plancheck: {text}", file=sys.stderr)
    except Exception as error:  # never a traceback: one line, exit 2
        detail = f"{type(error).__name__}: {error}"
        detail = detail if len(detail) <= 300 else detail[:300] + "…"
        print(f"plancheck: {message('internal_error', lang, detail=detail)}", file=sys.stderr)
    return EXIT_ERROR


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given on the command line (those not given come from files or defaults)."""
    given: dict[str, Any] = {}
    for name in ("select", "extend_select", "ignore", "fail_on", "profile", "lang", "jobs"):
        value = getattr(args, name, None)
        if value is not None:
            given[name] = value
    if args.severity:
        try:
            given["severity"] = parse_severity_overrides(args.severity)
        except ValueError as error:
            raise UsageError(message("bad_severity", args.lang or "ja", value=error)) from error
    return given


def _check(args: argparse.Namespace, host: PluginHost) -> int:
    overrides = _overrides(args)
    resolver = SettingsResolver(overrides, args.config)
    linter = Linter(host=host, resolver=resolver)
    lang = linter.settings.lang
    stdin_name = args.stdin_filename
    if stdin_name is not None and args.paths != [batch.STDIN]:
        raise UsageError(message("stdin_filename_needs_dash", lang))
    paths = list(batch.plan_files(args.paths, excluded=batch.excluder(linter)))
    if args.show_settings:
        return _show_settings(linter, paths, stdin_name)
    formatter = host.formats.get(args.format)
    if formatter is None:
        choices = ", ".join(sorted(host.formats))
        raise UsageError(message("unknown_format", lang, name=args.format, choices=choices))
    for path in paths:  # every configuration the files use, checked before any file is
        linter.settings_for(None if path == batch.STDIN else Path(path))
    known = _load_baseline(args.baseline, lang)
    fixing: _Fixing | None = None
    if args.fix or args.diff:
        fixing = _fix(args, linter, paths, stdin_name)
        results = fixing.results
    else:
        jobs = args.jobs or linter.settings.jobs or batch.default_jobs()
        quiet = args.no_progress or args.quiet or args.output
        with batch.Progress(len(paths), args.format == "text" and not quiet) as advance:
            disabled = tuple(args.disable_plugin)
            results = batch.run(
                linter, paths, jobs, overrides, args.config, advance, disabled, stdin_name
            )
    for result in results:
        if result.error:
            print(f"plancheck: {result.error}", file=sys.stderr)
    if fixing is not None:
        for line in fixing.problems:
            print(f"plancheck: {line}", file=sys.stderr)
    if args.diff and fixing is not None:
        return _diff(args, fixing, results, lang)
    if args.write_baseline:
        _writing(args.write_baseline, lang, lambda: baseline.write(results, args.write_baseline))
    hidden = filters.drop_baselined(results, known) if known is not None else None
    findings = [finding for result in results for finding in result.findings]
    color = args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    report = Report(
        lang=lang,
        rules=host.rules,
        color=color,
        fail_on=linter.settings.fail_on,
        unsafe_fixes=args.unsafe_fixes,
    )
    output = _statistics(findings, host) if args.statistics else formatter(results, report)
    if isinstance(output, bytes) and args.output is None and sys.stdout.isatty():
        raise UsageError(message("binary_to_terminal", lang, name=args.format))
    if fixing is not None and fixing.stdout is not None:
        # `--fix -`: the corrected plan is standard output, so the report goes to standard error
        _write(fixing.stdout, None)
        if args.output is None:
            text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
            sys.stderr.write(text)
            output = ""
    if output or args.output is not None:
        _writing(args.output, lang, lambda: _write(output, args.output))
    if args.format == "text" and not args.quiet:
        counts = {level: sum(f.severity == level for f in findings) for level in SEVERITIES}
        checked = sum(1 for result in results if not result.error)
        summary = message("summary", lang, files=checked, count=len(findings), **counts)
        if checked < len(results):
            summary += message(
                "summary_unreadable", lang, total=len(results), unreadable=len(results) - checked
            )
        if hidden is not None:
            summary += message("summary_baseline", lang, hidden=hidden)
        if fixing is not None:
            summary += message("summary_fixed", lang, count=fixing.applied)
        summary += _fixable_summary(findings, args.unsafe_fixes, lang)
        print(summary, file=sys.stderr)
    if any(result.error or result.unknown_codes for result in results):
        return EXIT_ERROR  # a file not read, or a suppression comment naming no rule's code
    if fixing is not None and fixing.refused:
        return EXIT_ERROR  # a PDF with fixes: --fix was asked and could not be done
    if any(result.failed_rules for result in results):
        return EXIT_ERROR  # a check that did not run is not a pass (nor an ordinary finding)
    return EXIT_FINDINGS if _fails(linter, results) and not args.exit_zero else EXIT_OK


class _Fixing:
    """What ``--fix`` / ``--diff`` did to a batch: the results after the fixes, the diffs, the
    fixes applied (or that would be), the lines for standard error about fixes not applied, and
    the corrected standard input (``--fix -``)."""

    def __init__(self) -> None:
        self.results: list[FileResult] = []
        self.diffs: list[str] = []
        self.applied = 0
        self.changed_files = 0
        self.problems: list[str] = []
        self.refused = False  # a PDF that has fixes
        self.stdout: bytes | None = None


def _fix(
    args: argparse.Namespace, linter: Linter, paths: list[str], stdin_name: str | None
) -> _Fixing:
    """Fix the files one by one (a fix re-checks its file, and the files are written here)."""
    from plancheck.engine import fixer  # only --fix and --diff need it

    done = _Fixing()
    for path in paths:
        lang = linter.settings.lang
        if path == batch.STDIN:
            shown = stdin_name or batch.STDIN
            settings = linter.settings_for(Path(stdin_name) if stdin_name else None)
            lang = settings.lang
            try:
                data = read_stream(sys.stdin.buffer, shown)
            except InputError as error:
                detail = message(error.message_key, lang, path=shown, detail=error.detail)
                done.results.append(FileResult(shown, error=detail))
                continue
            outcome = fixer.fix_source(
                data, shown, linter, unsafe=args.unsafe_fixes, settings=settings
            )
            if args.fix and not args.diff and outcome.before.error is None:
                done.stdout = outcome.data if outcome.data is not None else data
        else:
            shown = path
            outcome = fixer.fix_path(Path(path), linter, unsafe=args.unsafe_fixes)
            lang = linter.settings_for(Path(path)).lang
        if outcome.before.error is not None:
            done.results.append(outcome.before)
            continue
        _skipped(done, outcome, shown, lang)
        if outcome.data is not None:
            done.applied += outcome.applied
            done.changed_files += 1
            if args.diff:
                done.diffs.append(outcome.diff(shown))
            elif path != batch.STDIN:
                _writing(Path(path), lang, partial(Path(path).write_bytes, outcome.data))
        skipped = {id(finding) for finding, _ in outcome.skipped}
        after = outcome.after
        after.findings = [  # a fix that was not applied is no longer offered ([*])
            dataclasses.replace(f, fix=None) if id(f) in skipped else f for f in after.findings
        ]
        done.results.append(after)
    return done


def _skipped(done: _Fixing, outcome: fixer.FixOutcome, path: str, lang: str) -> None:
    """Say which fixes were not applied and why: a PDF once, other files fix by fix."""
    from plancheck.engine import fixer

    refused = [finding for finding, reason in outcome.skipped if reason == fixer.PDF_REFUSED]
    if refused:
        done.refused = True
        done.problems.append(message(fixer.PDF_REFUSED, lang, path=path, count=len(refused)))
    for finding, reason in outcome.skipped:
        if reason == fixer.PDF_REFUSED:
            continue
        why = message(reason, lang)
        done.problems.append(
            message(
                "fix_skipped",
                lang,
                path=path,
                line=finding.line,
                column=finding.column,
                code=finding.code,
                reason=why,
            )
        )


def _diff(args: argparse.Namespace, fixing: _Fixing, results: list[FileResult], lang: str) -> int:
    """``--diff``: the diffs on standard output, nothing written; exit 1 when there is something
    to fix, 0 when not, 2 when a file could not be read or fixed (a PDF)."""
    text = "".join(fixing.diffs)
    if text or args.output is not None:
        _writing(args.output, lang, lambda: _write(text, args.output))
    if not args.quiet:
        summary = message(
            "summary_would_fix", lang, files=fixing.changed_files, count=fixing.applied
        )
        print(summary, file=sys.stderr)
    if fixing.refused or any(result.error for result in results):
        return EXIT_ERROR
    return EXIT_FINDINGS if fixing.diffs else EXIT_OK


def _fixable_summary(findings: list, unsafe: bool, lang: str) -> str:
    """「。[*] の 2 件は --fix で修正できます（ほかに 1 件は --unsafe-fixes …）」, or ''."""
    count = sum(fixable(finding, unsafe) for finding in findings)
    more = 0 if unsafe else sum(fixable(finding, True) for finding in findings) - count
    text = message("summary_fixable", lang, count=count) if count else ""
    if more:
        text += message("summary_fixable_unsafe", lang, count=more)
    return text


def _fails(linter: Linter, results: list[FileResult]) -> bool:
    """Whether any finding is at or above its file's fail-on level."""
    for result in results:
        settings = linter.settings_for(None if result.path == batch.STDIN else Path(result.path))
        if any(settings.fails(finding.severity) for finding in result.findings):
            return True
    return False


def _load_baseline(path: Path | None, lang: str) -> Counter | None:
    if path is None:
        return None
    try:
        return baseline.load(path)
    except baseline.BaselineError as error:
        text = message(error.message_key, lang, path=error.path, detail=error.detail)
        raise UsageError(text) from error


def _writing(path: Path | None, lang: str, write: Any) -> None:
    """Run ``write``; a file that cannot be written is one clear message (exit 2)."""
    try:
        write()
    except OSError as error:
        if isinstance(error, BrokenPipeError) or path is None:
            raise
        detail = error.strerror or str(error)
        raise UsageError(message("unwritable", lang, path=path, detail=detail)) from error


def _write(output: str | bytes, path: Path | None) -> None:
    """Reports are UTF-8 whatever the console's encoding (cp932 on Japanese Windows); a binary
    format's bytes are written as they are."""
    data = output if isinstance(output, bytes) else output.encode("utf-8")
    if path is not None:
        path.write_bytes(data)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _statistics(findings: list, host: PluginHost) -> str:
    """ruff-style counts by code, most frequent first."""
    counts = Counter(finding.code for finding in findings)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = host.rule(code)
        lines.append(f"{count:>6}\t{code}\t{rule.name if rule else ''}")
    return "".join(line + "\n" for line in lines)


def _show_settings(linter: Linter, paths: list[str], stdin_name: str | None = None) -> int:
    for path in paths:
        if path == batch.STDIN:
            settings = linter.settings_for(Path(stdin_name) if stdin_name else None)
        else:
            settings = linter.settings_for(Path(path))
        print(path)
        for name, origin in settings.origins.items():
            value = getattr(settings, name)
            shown = json.dumps(_plain(value), ensure_ascii=False)
            print(f"  {name.replace('_', '-')} = {shown}  ({origin})")
    return EXIT_OK


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _parse(args: argparse.Namespace, host: PluginHost) -> int:
    from plancheck.model.outline import outline, render_outline
    from plancheck.reading.source import read_file

    lang = args.lang or "ja"
    linter = Linter(Settings(profile=args.profile, lang=lang), host)
    path = Path(args.path)
    try:
        stdin = args.path == batch.STDIN
        data = read_stream(sys.stdin.buffer, args.path) if stdin else read_file(path)
        source = linter.read(data, args.path)
    except InputError as error:
        raise UsageError(
            message(error.message_key, lang, path=args.path, detail=error.detail)
        ) from error
    except OSError as error:
        key = "not_found" if isinstance(error, FileNotFoundError) else "unreadable"
        raise UsageError(message(key, lang, path=args.path, detail=error.strerror)) from error
    plan, detection = linter.parse(source)
    tree = outline(plan, detection)
    if args.format == "json":
        sys.stdout.write(json.dumps(tree, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_outline(tree, lang))
    return EXIT_OK


def _compare(args: argparse.Namespace, host: PluginHost) -> int:
    """``plancheck diff OLD NEW``: exit 0 when nothing changed, 1 when something did."""
    from plancheck.engine.comparison import compare_files

    overrides = {name: getattr(args, name) for name in ("profile", "lang") if getattr(args, name)}
    linter = Linter(host=host, resolver=SettingsResolver(overrides, args.config))
    lang = linter.settings.lang
    if args.format == "docx" and args.output is None and sys.stdout.isatty():
        raise UsageError(message("binary_to_terminal", lang, name=args.format))
    files = [(_read_plan(path, lang), path) for path in (args.old, args.new)]
    try:
        comparison = compare_files(files[0][0], files[0][1], files[1][0], files[1][1], linter)
    except InputError as error:
        text = message(error.message_key, lang, path=error.path, detail=error.detail)
        raise UsageError(text) from error
    data = comparison.as_dict()
    output: str | bytes
    if args.format == "json":
        output = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        from plancheck.output import comparison_html

        output = comparison_html.render(data, lang)
    elif args.format == "docx":
        from plancheck.output import comparison_docx

        output = comparison_docx.render(data, lang)
    else:
        from plancheck.output import comparison_text

        output = comparison_text.render(data, lang)
    _writing(args.output, lang, lambda: _write(output, args.output))
    return EXIT_FINDINGS if comparison.changed else EXIT_OK


def _read_plan(path: str, lang: str) -> bytes:
    """A file's bytes (``-``: standard input); a file that cannot be read is a usage error."""
    from plancheck.reading.source import read_file

    try:
        if path == batch.STDIN:
            return read_stream(sys.stdin.buffer, path)
        return read_file(Path(path))
    except InputError as error:
        raise UsageError(
            message(error.message_key, lang, path=path, detail=error.detail)
        ) from error
    except OSError as error:
        key = "not_found" if isinstance(error, FileNotFoundError) else "unreadable"
        detail = error.strerror or str(error)
        raise UsageError(message(key, lang, path=path, detail=detail)) from error


def _rules(args: argparse.Namespace, host: PluginHost) -> int:
    for rule in host.rules:
        print(f"{rule.code}\t{rule.name}\t{rule.severity}\t{rule.summary(args.lang or 'ja')}")
    return EXIT_OK


def _rule(args: argparse.Namespace, host: PluginHost) -> int:
    rule = host.rule(args.code.upper())
    if rule is None:
        raise UsageError(message("unknown_rule", args.lang or "ja", code=args.code))
    print(f"{rule.code} {rule.name} [{rule.severity}]\n")
    _write(rule.documentation(args.lang or "ja").rstrip("\n") + "\n", None)
    return EXIT_OK


def _plugins(args: argparse.Namespace, host: PluginHost) -> int:
    for info in host.describe():
        kind = "builtin" if info.builtin else "plugin"
        provides = ", ".join(info.rules + info.profiles + info.measure_kinds) or "-"
        print(f"{info.name}\t{info.version}\t{kind}\t{provides}")
    return EXIT_OK


def _serve(args: argparse.Namespace, host: PluginHost) -> int:
    from plancheck.web import ServeError, serve  # Starlette and uvicorn load only for this

    overrides = {"lang": args.lang} if args.lang else {}
    try:
        serve(host, args.host, args.port, args.max_upload_mb, overrides)
    except ServeError as error:
        raise UsageError(str(error)) from error
    return EXIT_OK
