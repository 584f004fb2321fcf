"""plancheck benchmark: batch throughput (one core and -j 2, for a large batch and for a folder of
50), single-plan start-up, time per stage.

Run from the repository root with the package installed:

    python benchmarks/bench.py            # 1,000 generated plans
    python benchmarks/bench.py --plans 200 --repeat 1
    python benchmarks/bench.py --plans 0 --folder 50 --repeat 9   # only the folder of 50
    python benchmarks/bench.py --pathological   # also huge and malformed inputs, growth, memory

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
from collections.abc import Callable
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


def _fixture(name: str = "midorino-2017.txt") -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _inject(after: str, block: str) -> str:
    """The 2017 fixture plan with ``block`` inserted after the line ``after``: every rule runs."""
    return _fixture().replace(after, after + "\n\n" + block, 1)


_KPI_HEADER = "\t事業開始前（現時点）\t平成30年度増加分（1年目）\t平成31年度増加分（2年目）\tKPI増加分の累計\n"
_PROSE = (
    "地域の事業者と市が連携し、平成30年度から3か年で加工品の販路を広げ、農業所得の向上と"
    "移住者の定着を図る。詳細は4-2の【数値目標】に同じ。"
)


def _five_mib_line() -> str:
    return _inject("【自立性】", _PROSE * (5 * 1024 * 1024 // len(_PROSE.encode())))


def _short_lines() -> str:
    return _inject("【自立性】", "".join(f"第{i}段落。\n" for i in range(200_000)))


def _long_table() -> str:
    rows = "".join(f"指標{i}\t1,000人\t10人\t20人\t30人\n" for i in range(10_000))
    return _inject("【数値目標】", _KPI_HEADER + rows)


def _many_sections() -> str:
    return _inject(
        "該当なし\n", "".join(f"5-3-{i + 3} 独自の取組{i}\n\n2に同じ。\n\n" for i in range(5000))
    )


def _repeated_labels() -> str:
    return _inject("【自立性】", "【自立性】\n本文\n" * 50_000 + "【" * 100_000)


def _wide_table() -> str:
    header = "\t".join(["平成30年度増加分"] * 500) + "\n"
    return _inject("【数値目標】", header + ("\t".join(["指標"] + ["1"] * 499) + "\n") * 100)


def _spaced_suppression() -> str:
    # a suppression comment full of spaces: cubic in the old pattern (4 KB took 30 s)
    return _inject("【自立性】", "<!-- plancheck: disable=PC501" + " " * 100_000 + "x\n")


def _open_comments() -> str:
    return _inject("【自立性】", "<!--" * 25_000 + "\n")  # 100 KB of unclosed HTML comments


def _latex_backslashes() -> str:
    return _inject("【自立性】", "$" + "\\" * 100_000 + "\n")


def _placeholders_on_one_line() -> str:
    return _inject("【自立性】", "〇〇 " * 16_000 + "\n")  # 16,000 PC501 findings on one line


def _suppressed_findings() -> str:
    comment = "<!-- plancheck: disable=PC501 -->\n"
    return _inject("【自立性】", (comment + "〇〇 " * 32 + "\n") * 1_000)  # 32,000 suppressed


# name → (plan maker, bound in seconds for the whole `plancheck check` process)
PATHOLOGICAL = {
    "5 MB single line": (_five_mib_line, 4.0),
    "200,000 short lines": (_short_lines, 8.0),
    "10,000-row table": (_long_table, 3.0),
    "5,000 sections": (_many_sections, 2.0),
    "repeated 【】 labels": (_repeated_labels, 5.0),
    "500-column table": (_wide_table, 2.0),
    "100 KB spaced comment": (_spaced_suppression, 2.0),
    "100 KB of <!--": (_open_comments, 2.0),
    "$ + 100,000 backslashes": (_latex_backslashes, 2.0),
    "16,000 blanks, 1 line": (_placeholders_on_one_line, 3.0),
    "32,000 suppressed": (_suppressed_findings, 3.0),
}


def run_measured(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def _check_command(plancheck: str, path: Path) -> list[str]:
    return [plancheck, "check", "--exit-zero", "-q", "-o", os.devnull, str(path)]


def _hostile_documents() -> dict[str, tuple[Callable[[], bytes], str, float]]:
    """Word and PDF bombs from the tests' catalogue (tests/hostile_files.py): name → (maker,
    suffix, bound in seconds); each must be refused by its limit, fast and in bounded memory."""
    sys.path.insert(0, str(ROOT / "tests"))
    import hostile_files as hostile

    return {
        "docx: 120 MB of XML": (lambda: hostile.docx_bomb(120), ".docx", 2.0),
        "docx: sizes that lie": (lambda: hostile.docx_bomb(300, declared=5_000), ".docx", 2.0),
        "PDF: 500 MB Flate bomb": (hostile.flate_bomb_pdf, ".pdf", 3.0),
        "PDF: 5,000 pages": (hostile.many_pages_pdf, ".pdf", 3.0),
        "PDF: form drawn 2,000x": (hostile.form_reuse_pdf, ".pdf", 3.0),
    }


def pathological(plancheck: str, folder: Path) -> bool:
    """Each pathological input within its bound; returns whether all were."""
    ok = True
    cases = {name: (make, ".txt", bound) for name, (make, bound) in PATHOLOGICAL.items()}
    for name, (make, suffix, bound) in {**cases, **_hostile_documents()}.items():
        path = folder / f"pathological{suffix}"
        made = make()
        if isinstance(made, str):
            path.write_text(made, encoding="utf-8")
        else:
            path.write_bytes(made)
        seconds, peak = run_measured(_check_command(plancheck, path))
        size = path.stat().st_size / 1024 / 1024
        verdict = "ok" if seconds <= bound else "TOO SLOW"
        ok &= seconds <= bound
        print(
            f"  {name:<22} {size:6.1f} MiB  {seconds:6.2f} s (bound {bound:.0f} s, {verdict})"
            f"  peak {peak:5.0f} MiB"
        )
    return ok


_IN_PROCESS = (
    "import time, sys; from pathlib import Path; from plancheck.engine.linter import Linter; "
    "l = Linter(); p = Path(sys.argv[1]); l.check_file(p); t = time.perf_counter(); "
    "[l.check_file(p) for _ in range(3)]; print((time.perf_counter() - t) / 3)"
)


def growth(plancheck: str, folder: Path) -> None:
    """A plan 40 times the real size against one of the real size (target ≤ ~45×), timed inside
    the process so the ratio measures the checking, not the start-up; then a 10 MiB plan."""
    times = {}
    for factor in (1, 40):
        path = folder / f"growth-{factor}.txt"
        path.write_text(realistic_plan(_fixture(), REAL_PLAN_BYTES * factor, 1), encoding="utf-8")
        out = subprocess.run(
            [sys.executable, "-c", _IN_PROCESS, str(path)], capture_output=True, text=True
        )
        times[factor] = float(out.stdout)
    ratio = times[40] / times[1]
    print(
        f"  40x plan: {times[40] * 1000:.0f} ms vs {times[1] * 1000:.1f} ms = {ratio:.1f}x (target <= 45x)"
    )
    big = folder / "ten-mib.txt"
    big.write_text(realistic_plan(_fixture(), 10 * 1024 * 1024, 2), encoding="utf-8")
    seconds, peak = run_measured(_check_command(plancheck, big))
    mib = big.stat().st_size / 1024 / 1024
    print(
        f"  10 MiB plan: {seconds:.1f} s = {mib / seconds:.1f} MiB/s, peak {peak:.0f} MiB (target < 200 MiB)"
    )


def timed(command: list[str], repeat: int) -> float:
    """The median wall time of ``command`` over ``repeat`` runs (output discarded)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def folder_of(plancheck: str, folder: Path, count: int, repeat: int) -> tuple[float, float]:
    """A reviewer's folder of ``count`` plans with -j 1 and -j 2: the best of ``repeat`` runs
    each, alternating (on a shared machine the fastest run is the one least disturbed)."""
    small = folder / f"folder-{count}"
    small.mkdir()
    generate(small, count)
    base = [plancheck, "check", "--format", "json", "--no-progress", "--exit-zero", str(small)]
    runs: dict[str, list[float]] = {"1": [], "2": []}
    for _ in range(repeat):
        for jobs, times in runs.items():
            times.append(timed([*base, "-j", jobs], 1))
    return min(runs["1"]), min(runs["2"])


def stages(path: Path, rounds: int = 50) -> dict[str, float]:
    """Milliseconds per plan in each stage of the pipeline, in-process."""
    from plancheck.api.rule import Context
    from plancheck.engine.linter import Linter
    from plancheck.model.profiles import detect
    from plancheck.output import Report
    from plancheck.output.plain import render
    from plancheck.parsing.normalize import normalize
    from plancheck.parsing.parser import parse_lines
    from plancheck.reading.source import read_source

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
        profile = detect(linter.host.profiles, plan).profile
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
    parser.add_argument("--folder", type=int, default=50, help="plans in the small batch")
    parser.add_argument("--pathological", action="store_true", help="also the pathological inputs")
    args = parser.parse_args()
    plancheck = shutil.which("plancheck") or sys.exit("plancheck is not installed (pip install .)")

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as folder:
        if args.folder:
            one, two = folder_of(plancheck, Path(folder), args.folder, max(args.repeat, 5))
            print(f"folder of {args.folder}: -j 1 {one:.2f} s, -j 2 {two:.2f} s ({one / two:.2f}x)")
        if not args.plans:
            return 0
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
        per_stage = stages(paths[2])
        print("per stage (ms per plan): " + ", ".join(f"{k} {v:.2f}" for k, v in per_stage.items()))
        if args.pathological:
            print("pathological inputs (whole process):")
            ok = pathological(plancheck, Path(folder))
            print("growth and memory:")
            growth(plancheck, Path(folder))
            return 0 if ok else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
