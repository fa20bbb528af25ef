"""A very large GPX imports in bounded memory: the file is held once, no tree is built.

The size is 24 MB at CI size and 200 MB with ``LOADWATCH_CAMPAIGN=long``. Peak
resident memory of the real ``loadwatch import`` process is compared with the same
command on a small file: the difference must stay within the file's own size plus
a small margin (documented in RELIABILITY.md). The file size limit
(``sources.MAX_FILE_BYTES``) therefore bounds the memory one import needs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.cli import ForkServer
from test_reliability_regressions import load_campaign

#: slow: a generated GPX of tens of MB, imported by the real command
pytestmark = pytest.mark.slow


campaign = load_campaign()
SCALE = campaign.scale_from_env()
#: what parsing may add beyond one copy of the file (buffers, the parser's slices)
MARGIN_MB = 40.0


@pytest.fixture(scope="module")
def forks() -> Iterator[ForkServer]:
    """Runs of the command forked from one process that imported it once (helpers.cli)."""
    with ForkServer() as server:
        yield server


def measured_import(forks: ForkServer, folder: Path, home: Path) -> tuple[float, float]:
    """(peak resident memory in MB, seconds) of ``loadwatch import folder``, which must pass.

    The peak is the run's own ``VmHWM``, reset as it starts (not getrusage from
    here: Linux carries a parent's peak into its child, and the parent is pytest).
    """
    started = time.perf_counter()
    run = forks.run("--data-dir", str(home), "import", str(folder))
    _, errors = run.communicate(timeout=600)
    seconds = time.perf_counter() - started
    assert run.returncode == 0, errors.decode()
    _, peak_mb = run.figures()
    assert peak_mb is not None, "no VmHWM: memory is measured on Linux only"
    return peak_mb, seconds


def test_a_very_large_gpx_is_held_once_and_never_as_a_tree(
    forks: ForkServer, tmp_path: Path
) -> None:
    small, big = tmp_path / "small", tmp_path / "big"
    small.mkdir()
    big.mkdir()
    (small / "run.gpx").write_bytes(campaign.gpx_document(12))
    points = campaign.write_big_gpx(big / "ultra.gpx", SCALE.big_gpx_mb)
    size_mb = (big / "ultra.gpx").stat().st_size / 2**20
    base_mb, _ = measured_import(forks, small, tmp_path / "home-small")
    peak_mb, seconds = measured_import(forks, big, tmp_path / "home-big")
    home = str(tmp_path / "home-big")
    listing = forks.run(
        "--data-dir", home, "activities", str(big), "--all-sports", "--format", "json"
    )
    stdout, stderr = listing.communicate(timeout=600)
    assert listing.returncode == 0, stderr.decode()
    [run] = json.loads(stdout)
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
