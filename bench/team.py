"""Time ``loadwatch team`` cold and warm on a generated team (30 athletes x 3 years by default).

Usage (from the project root, with ``pip install '.[test]'``)::

    python bench/team.py [--athletes 30] [--years 3]

The team is ``tests/helpers/cohortbuild.py``'s generated cohort (cached under ``bench/archive/``
by ``bench/cohort.py``'s ``ensure_cohort``). ``loadwatch team ROOT --format json`` runs as
a user runs it, in a subprocess into a fresh data directory: once cold, then twice with
nothing changed. The JSON says how many files each athlete's import parsed; a warm run
must parse none. The results replace the team section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import cohort as cohort_bench  # noqa: E402  (bench/cohort.py)

START = "<!-- team benchmark: bench/team.py rewrites this section -->"
END = "<!-- end of the team benchmark -->"


def run(root: Path, home: Path, out: Path) -> tuple[float, dict[str, object]]:
    command = [
        sys.executable,
        "-m",
        "loadwatch",
        "--data-dir",
        str(home),
        "team",
        str(root),
        "--out",
        str(out),
        "--as-of",
        cohort_bench.LAST_DAY.isoformat(),
        "--format",
        "json",
    ]
    env = {**os.environ, "XDG_CONFIG_HOME": str(home / "xdg")}
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - started, json.loads(done.stdout)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--athletes", type=int, default=30)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    root = cohort_bench.ensure_cohort(args.athletes, args.years, os.cpu_count() or 1)
    generated = json.loads((root / ".generated.json").read_text())
    scratch = Path(tempfile.mkdtemp(prefix="loadwatch-bench-team-"))
    try:
        timings = []
        for _ in range(3):
            seconds, data = run(root, scratch / "home", scratch / "out")
            athletes = data["athletes"]
            assert isinstance(athletes, list)
            parsed = sum(a["import"]["parsed"] for a in athletes)
            timings.append((seconds, parsed, len(athletes)))
            print(f"{seconds:.1f} s, {parsed} files parsed", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python bench/team.py" + (" " + " ".join(sys.argv[1:]) if len(sys.argv) > 1 else "")
    lines = [
        START,
        "",
        "# Team benchmark: `loadwatch team`",
        "",
        f"Measured {stamp} with `{command}`: {args.athletes} athletes x {args.years} years, "
        f"{generated['files']} FIT files, `loadwatch team ROOT --format json` in a subprocess "
        "(start-up included), every athlete's report in html, md, json and png.",
        "",
        "| run | wall | files parsed |",
        "|---|--:|--:|",
    ]
    names = ("cold", "warm", "warm again")
    lines += [
        f"| {name} | {seconds:.1f} s | {parsed} |"
        for name, (seconds, parsed, _n) in zip(names, timings, strict=True)
    ]
    lines += ["", END]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        old = cohort_bench.RESULTS.read_text(encoding="utf-8")
        if START in old and END in old:
            before, rest = old.split(START, 1)
            new = before + text + rest.split(END, 1)[1].lstrip("\n")
        else:
            new = old.rstrip("\n") + "\n\n" + text
        cohort_bench.RESULTS.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
