"""Check many files: find them, run them in a process pool, show progress, keep the order."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plancheck.api.errors import InputError
from plancheck.api.messages import message
from plancheck.api.results import FileResult
from plancheck.engine.config import SettingsResolver
from plancheck.engine.linter import Linter
from plancheck.engine.plugin_host import PluginHost
from plancheck.reading.file_types import PLAN_SUFFIXES
from plancheck.reading.source import read_stream

if TYPE_CHECKING:  # the process pool is imported only for a batch that uses one
    from concurrent.futures import Future

STDIN = "-"
# Below this many files per process a pool costs more than it saves.
_FILES_PER_WORKER = 4
_MAX_CHUNK = 16  # files handed to a worker at a time
_PROGRESS_FROM = 6  # files; fewer finish before a bar would be readable


def plan_files(
    arguments: Sequence[str],
    suffixes: Sequence[str] = PLAN_SUFFIXES,
    excluded: Callable[[Path], bool] | None = None,
) -> Iterator[str]:
    """Files named on the command line, directories expanded recursively in sorted order.

    In a directory, the files and folders ``excluded`` says yes to are left out (an excluded
    folder is not entered); files and folders named on the command line are always checked, as
    in ruff.
    """
    for argument in arguments:
        path = Path(argument)
        if argument != STDIN and path.is_dir():
            found = sorted(_files_in(path, suffixes, excluded or _nothing))
            yield from (str(p) for p in found) if found else (argument,)
        else:
            yield argument


def _nothing(path: Path) -> bool:
    return False


def _files_in(
    folder: Path, suffixes: Sequence[str], excluded: Callable[[Path], bool]
) -> Iterator[Path]:
    for root, folders, files in os.walk(folder):
        here = Path(root)
        folders[:] = [name for name in folders if not excluded(here / name)]
        for name in files:
            candidate = here / name
            if candidate.suffix.lower() in suffixes and candidate.is_file():
                if not excluded(candidate):
                    yield candidate


def excluder(linter: Linter) -> Callable[[Path], bool]:
    """Whether a path is excluded by the exclude settings of its nearest configuration."""
    return lambda path: linter.settings_for(path).excluded(path)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_worker: Linter | None = None


def _start_worker(
    overrides: Mapping[str, Any], config: Path | None, disabled: tuple[str, ...]
) -> None:
    """A worker's linter: a forked worker already holds the parent's (set by :func:`run`, with
    its plugins loaded and rules built); a spawned one (macOS, Windows) builds its own."""
    global _worker
    if _worker is None:
        _worker = Linter(
            host=PluginHost(disabled=disabled), resolver=SettingsResolver(overrides, config)
        )


def _check_chunk(paths: Sequence[str]) -> list[FileResult]:
    assert _worker is not None
    return [check_one(_worker, path) for path in paths]


def check_one(linter: Linter, path: str, stdin_name: str | None = None) -> FileResult:
    """One file's result; standard input (``-``) is named ``stdin_name`` when given
    (``--stdin-filename``): in messages, for its configuration and for its file type."""
    if path == STDIN:
        name = stdin_name or STDIN
        settings = linter.settings_for(Path(stdin_name) if stdin_name else None)
        try:
            data = read_stream(sys.stdin.buffer, name)
        except InputError as error:
            detail = message(error.message_key, settings.lang, path=name, detail=error.detail)
            return FileResult(name, error=detail)
        return linter.check_bytes(data, name, settings)
    if Path(path).is_dir():  # a folder with no plan in it
        return FileResult(path, error=message("no_files", linter.settings.lang, path=path))
    return linter.check_file(Path(path))


def chunks(paths: Sequence[str], jobs: int) -> list[Sequence[str]]:
    """``paths`` cut into runs of neighbours: about eight per process, so that work stays
    balanced, and at most :data:`_MAX_CHUNK` files, so that progress moves."""
    size = max(1, min(len(paths) // (jobs * 8), _MAX_CHUNK))
    return [paths[start : start + size] for start in range(0, len(paths), size)]


def run(
    linter: Linter,
    paths: Sequence[str],
    jobs: int,
    overrides: Mapping[str, Any],
    config: Path | None,
    progress: Callable[[int], None] | None = None,
    disabled: tuple[str, ...] = (),
    stdin_name: str | None = None,
) -> list[FileResult]:
    """Check ``paths`` with ``jobs`` processes; results come back in the order of ``paths``.

    This process is one of the ``jobs``: it starts ``jobs - 1`` workers and, while they start,
    checks chunks itself, taking them from the end of the queue (those no worker has begun).
    Starting a process costs about as much as checking a few plans, so a batch of 50 would
    otherwise wait for its workers; and a forked worker reuses this process's linter instead of
    loading the plugins again.
    """
    jobs = min(jobs, max(len(paths) // _FILES_PER_WORKER, 1))
    if jobs <= 1 or STDIN in paths:
        return _check_here(linter, paths, progress, stdin_name)
    global _worker
    parts = chunks(paths, jobs)
    done: list[list[FileResult] | None] = [None] * len(parts)
    _worker = linter  # inherited by forked workers (see _start_worker)
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        jobs - 1, initializer=_start_worker, initargs=(overrides, config, disabled)
    )
    try:
        futures = [pool.submit(_check_chunk, part) for part in parts]
        if progress:
            for future, part in zip(futures, parts, strict=True):
                future.add_done_callback(_advance(progress, len(part)))
        for index in reversed(range(len(parts))):
            if futures[index].cancel():  # no worker has taken it: check it here
                done[index] = _check_here(linter, parts[index], progress)
        results = []
        for index, future in enumerate(futures):
            part_results = done[index]
            results.extend(future.result() if part_results is None else part_results)
        return results
    finally:
        _worker = None
        pool.shutdown(cancel_futures=True)  # Ctrl-C: the workers stop after their chunk


def _check_here(
    linter: Linter,
    paths: Sequence[str],
    progress: Callable[[int], None] | None,
    stdin_name: str | None = None,
) -> list[FileResult]:
    results = []
    for path in paths:
        results.append(check_one(linter, path, stdin_name))
        if progress:
            progress(1)
    return results


def _advance(progress: Callable[[int], None], count: int) -> Callable[[Future], None]:
    """Moves the progress when a worker finishes a chunk (not when this process took it)."""

    def advance(future: Future) -> None:
        if not future.cancelled():
            progress(count)

    return advance


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
