"""plancheck benchmark: batch throughput (one core and -j 2), single-plan start-up, time per stage.

Run from the repository root with the package installed:

    python benchmarks/bench.py            # 1,000 generated plans
    python benchmarks/bench.py --plans 200 --repeat 1

Plans are generated from the fixture plans in tests/fixtures/plans (each copy gets different
numbers, so nothing is cached between files); they are the size of the real filings.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "plans"


# The real filings in ../shared/corpus average about 16 KiB; generated plans grow to that size.
REAL_PLAN_BYTES = 16 * 1024
# Prose sections that real plans write at length (課題, 将来像, 事業の内容).
_PROSE_AFTER = ("4-1 ", "4-2 ", "③ ", "4 地域再生計画の目標")


def realistic_plan(text: str, size: int, variant: int) -> str:
    """A fixture plan grown to about ``size`` bytes by repeating its prose paragraphs where real
    plans are long, with the municipality and figures varied so no two plans are the same."""
    lines = text.replace("みどり野市", f"みどり野{variant}市").split("\n")
    prose = [
        index + 2
        for index, line in enumerate(lines)
        if line.startswith(_PROSE_AFTER) and index + 2 < len(lines) and len(lines[index + 2]) > 20
    ]
    grown, round_ = list(lines), 0
    while prose and len("\n".join(grown).encode()) < size:
        for index in reversed(prose):
            extra = lines[index].replace("。", f"（{variant}-{round_}）。", 1)
            grown[index:index] = [extra, ""]
        round_ += 1
    return "\n".join(grown)


def generate(folder: Path, count: int, size: int = REAL_PLAN_BYTES) -> list[Path]:
    """``count`` plans of about ``size`` bytes, made from the three fixture plans in turn."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("midorino-*.txt"))]
    paths = []
    for index in range(count):
        path = folder / f"plan-{index:05}.txt"
        path.write_text(realistic_plan(texts[index % len(texts)], size, index), encoding="utf-8")
        paths.append(path)
    return paths


def timed(command: list[str], repeat: int) -> float:
    """The median wall time of ``command`` over ``repeat`` runs (output discarded)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def stages(path: Path, rounds: int = 50) -> dict[str, float]:
    """Milliseconds per plan in each stage of the pipeline, in-process."""
    from plancheck.lint import Linter
    from plancheck.normalize import normalize
    from plancheck.parser import parse_lines
    from plancheck.profiles import detect
    from plancheck.report import Report
    from plancheck.report.text import render
    from plancheck.rule import Context
    from plancheck.source import read_source

    linter = Linter()
    data = path.read_bytes()
    result = linter.check_bytes(data, str(path))  # warm up (grammar, profiles)
    spent = dict.fromkeys(("read", "normalise", "parse", "detect", "rules", "report"), 0.0)
    for _ in range(rounds):
        clock = time.perf_counter()
        source = read_source(data, str(path))
        spent["read"] += time.perf_counter() - clock
        clock = time.perf_counter()
        lines = normalize(source.lines)
        spent["normalise"] += time.perf_counter() - clock
        clock = time.perf_counter()
        plan = parse_lines(lines, source.path)
        spent["parse"] += time.perf_counter() - clock
        clock = time.perf_counter()
        profile = detect(linter.host.profiles, "\n".join(line.text for line in lines))
        spent["detect"] += time.perf_counter() - clock
        clock = time.perf_counter()
        context = Context(source.path, profile)
        for rule in linter.host.rules:
            if profile is not None or not rule.needs_profile:
                list(rule.check(plan, context))
        spent["rules"] += time.perf_counter() - clock
        clock = time.perf_counter()
        render([result], Report())
        spent["report"] += time.perf_counter() - clock
    return {stage: seconds / rounds * 1000 for stage, seconds in spent.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    plancheck = shutil.which("plancheck") or sys.exit("plancheck is not installed (pip install .)")

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as folder:
        paths = generate(Path(folder), args.plans)
        size = sum(path.stat().st_size for path in paths) / len(paths) / 1024
        print(f"plans: {len(paths)} generated from the fixtures, {size:.1f} KiB each")
        base = [plancheck, "check", "--format", "json", "--no-progress", "--exit-zero", folder]
        one = timed([*base, "-j", "1"], args.repeat)
        two = timed([*base, "-j", "2"], args.repeat)
        print(f"batch -j 1: {one:.2f} s = {len(paths) / one:.0f} plans/s")
        print(f"batch -j 2: {two:.2f} s = {len(paths) / two:.0f} plans/s ({one / two:.2f}x)")
        single = timed([plancheck, "check", "--exit-zero", str(paths[0])], max(args.repeat, 5))
        print(f"one plan, whole process: {single:.3f} s")
        corpus_size = stages(paths[2])
        print(
            "per stage (ms per plan): " + ", ".join(f"{k} {v:.2f}" for k, v in corpus_size.items())
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
