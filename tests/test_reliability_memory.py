"""A very large GPX imports in bounded memory: the file is held once, no tree is built.

The size is 24 MB at CI size and 200 MB with ``LOADWATCH_CAMPAIGN=long``. Peak
resident memory of the real ``loadwatch import`` process is compared with the same
command on a small file: the difference must stay within the file's own size plus
a small margin (documented in RELIABILITY.md). The file size limit
(``sources.MAX_FILE_BYTES``) therefore bounds the memory one import needs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_reliability_regressions import load_campaign

#: slow: a generated GPX of tens of MB, imported by the real command
pytestmark = pytest.mark.slow


campaign = load_campaign()
SCALE = campaign.scale_from_env()
#: what parsing may add beyond one copy of the file (buffers, the parser's slices)
MARGIN_MB = 40.0


# The command reports its own peak (VmHWM) as it ends. Not getrusage from here:
# Linux carries a parent's peak into its child's ru_maxrss across exec, and the
# parent here is pytest.


def measured_import(folder: Path, home: Path, log: Path) -> tuple[float, float, int]:
    """(peak resident memory in MB, seconds, exit code) of ``loadwatch import folder``."""
    peak_file = log.with_suffix(".peak")
    script = (
        "import runpy, sys\n"
        "sys.argv = ['loadwatch', *sys.argv[2:]]\n"
        "code = 0\n"
        "try:\n"
        "    runpy.run_module('loadwatch', run_name='__main__')\n"
        "except SystemExit as done:\n"
        "    code = done.code or 0\n"
        "status = open('/proc/self/status').read().splitlines()\n"
        "peak = next(line.split()[1] for line in status if line.startswith('VmHWM:'))\n"
        f"open({str(peak_file)!r}, 'w').write(peak)\n"
        "sys.exit(code)\n"
    )
    started = time.perf_counter()
    with log.open("w") as output:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                script,
                "loadwatch",
                "--data-dir",
                str(home),
                "import",
                str(folder),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
    seconds = time.perf_counter() - started
    return int(peak_file.read_text()) / 1024, seconds, done.returncode


def test_a_very_large_gpx_is_held_once_and_never_as_a_tree(tmp_path: Path) -> None:
    small, big = tmp_path / "small", tmp_path / "big"
    small.mkdir()
    big.mkdir()
    (small / "run.gpx").write_bytes(campaign.gpx_document(12))
    points = campaign.write_big_gpx(big / "ultra.gpx", SCALE.big_gpx_mb)
    size_mb = (big / "ultra.gpx").stat().st_size / 2**20
    base_mb, _, code = measured_import(small, tmp_path / "home-small", tmp_path / "small.log")
    assert code == 0
    peak_mb, seconds, code = measured_import(big, tmp_path / "home-big", tmp_path / "big.log")
    assert code == 0, (tmp_path / "big.log").read_text()
    listed = subprocess.run(
        [
            sys.executable,
            "-m",
            "loadwatch",
            "--data-dir",
            str(tmp_path / "home-big"),
            "activities",
            str(big),
            "--all-sports",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    [run] = json.loads(listed.stdout)
    # one point a second in one segment: the duration is the point count less one
    assert run["duration_s"] == points - 1
    assert run["distance_m"] > 0
    growth = peak_mb - base_mb
    assert growth <= size_mb + MARGIN_MB, f"{growth:.0f} MB for a {size_mb:.0f} MB file"
    campaign.record(
        campaign.Figure(
            f"A {size_mb:.0f} MB GPX ({points:,} points in one track)",
            1,
            f"imported in {seconds:.1f} s ({size_mb / seconds:.0f} MB/s); "
            f"peak RSS {peak_mb:.0f} MB "
            f"against {base_mb:.0f} MB for a small file: {growth:.0f} MB more, the file held once "
            "and streamed through the parser, no tree",
            0,
            seconds,
        )
    )
