"""Check many files: find them, run them in a process pool, show progress, keep the order."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from plancheck.api.errors import InputError
from plancheck.api.messages import message
from plancheck.api.results import FileResult
from plancheck.engine.config import SettingsResolver
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.reading.file_types import PLAN_SUFFIXES
from plancheck.reading.source import read_stream

STDIN = "-"
# Below this many files per worker a pool costs more than it saves (each worker loads plugins).
_FILES_PER_WORKER = 4
_PROGRESS_FROM = 6  # files; fewer finish before a bar would be readable


def plan_files(arguments: Sequence[str], suffixes: Sequence[str] = PLAN_SUFFIXES) -> Iterator[str]:
    """Files named on the command line, directories expanded recursively in sorted order."""
    for argument in arguments:
        path = Path(argument)
        if argument != STDIN and path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix.lower() in suffixes and p.is_file()
            )
            yield from (str(p) for p in found) if found else (argument,)
        else:
            yield argument


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_worker: Linter | None = None


def _start_worker(
    overrides: Mapping[str, Any], config: Path | None, disabled: tuple[str, ...]
) -> None:
    global _worker
    _worker = Linter(
        host=PluginHost(disabled=disabled), resolver=SettingsResolver(overrides, config)
    )


def _check_in_worker(path: str) -> FileResult:
    assert _worker is not None
    return check_one(_worker, path)


def check_one(linter: Linter, path: str) -> FileResult:
    if path == STDIN:
        settings = linter.settings_for(None)
        try:
            data = read_stream(sys.stdin.buffer, STDIN)
        except InputError as error:
            detail = message(error.message_key, settings.lang, path=STDIN, detail=error.detail)
            return FileResult(STDIN, error=detail)
        return linter.check_bytes(data, STDIN, settings)
    if Path(path).is_dir():  # a folder with no plan in it
        return FileResult(path, error=message("no_files", linter.settings.lang, path=path))
    return linter.check_file(Path(path))


def run(
    linter: Linter,
    paths: Sequence[str],
    jobs: int,
    overrides: Mapping[str, Any],
    config: Path | None,
    progress: Callable[[int], None] | None = None,
    disabled: tuple[str, ...] = (),
) -> list[FileResult]:
    """Check ``paths`` with ``jobs`` processes; results come back in the order of ``paths``."""
    workers = min(jobs, max(len(paths) // _FILES_PER_WORKER, 1))
    if workers <= 1 or STDIN in paths:
        results = []
        for path in paths:
            results.append(check_one(linter, path))
            if progress:
                progress(1)
        return results
    chunk = max(len(paths) // (workers * 8), 1)
    with ProcessPoolExecutor(
        workers, initializer=_start_worker, initargs=(overrides, config, disabled)
    ) as pool:
        results = []
        for result in pool.map(_check_in_worker, paths, chunksize=chunk):
            results.append(result)
            if progress:
                progress(1)
        return results


class Progress:
    """A rich progress bar on standard error, shown only on a terminal for a batch of files."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar = None
        if enabled and total >= _PROGRESS_FROM and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress as RichProgress

            self.bar = RichProgress(transient=True, console=Console(stderr=True))
            self.task = self.bar.add_task("plancheck", total=total)

    def __enter__(self) -> Callable[[int], None] | None:
        bar = self.bar
        if bar is None:
            return None
        bar.start()
        return lambda n: bar.advance(self.task, n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
