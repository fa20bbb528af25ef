"""Resource bombs (issue 18): each one beside a good file, through the real command.

Each bomb of ``campaign.BOMBS`` is put in a folder with a good run and imported
twice by ``loadwatch activities --format json``, each run a process of its own
forked from one that imported the command once (the second run reads the cache). The
bomb must give its one-line reason, or its correct activities, and the good run must
be listed every time. What the bomb costs is the command's time and peak memory (its
own ``VmHWM``) less those of the same command on the good file alone, and less one
copy of the largest file in the folder (the importers hold the file they read, as
documented). Memory must stay within the campaign's per-case 200 MB, checked here.
Time is the command's processor time, as in the byte-level classes (a busy neighbour
must not count against a file); its 2 s budget is a speed target, so the test only
records it and the campaign command (scripts/reliability_campaign.py) fails a figure
over it. At CI size the bombs are smaller; ``LOADWATCH_CAMPAIGN=long`` builds them
at the size the second campaign sent them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.cli import ForkServer
from test_reliability_regressions import load_campaign

#: slow: a campaign: each bomb built and imported by the real command
pytestmark = pytest.mark.slow

campaign = load_campaign()
SCALE = campaign.scale_from_env()


@dataclass(frozen=True)
class Run:
    code: int
    activities: list[dict[str, object]]
    problems: list[str]
    peak_mb: float
    seconds: float


def listed(forks: ForkServer, folder: Path, home: Path, runs: int = 2) -> list[Run]:
    """``loadwatch activities folder --format json`` run ``runs`` times on one data folder.

    Each run is a process of its own forked from one that imported the command once
    (``helpers.cli.ForkServer``), and reports its own processor time and peak memory
    (``VmHWM``, reset as it starts; not getrusage from here, which carries pytest's
    peak). The second run reads the cache on disk, as a new process would.
    """
    found = []
    for _ in range(runs):
        run = forks.run(
            "--data-dir", str(home), "activities", str(folder), "--all-sports", "--format", "json"
        )
        stdout, stderr = run.communicate(timeout=600)
        seconds, peak_mb = run.figures()
        assert peak_mb is not None, "no VmHWM: the bombs' memory is measured on Linux only"
        activities = json.loads(stdout) if run.returncode == 0 else []
        lines = stderr.decode().strip().splitlines()
        found.append(Run(run.wait(), activities, lines, peak_mb, seconds))
    return found


@pytest.fixture(scope="module")
def forks() -> Iterator[ForkServer]:
    with ForkServer() as server:
        yield server


def good_folder(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "good.gpx").write_bytes(
        campaign.gpx_document(30, seed=1, start=campaign._START.replace(year=2023))
    )
    (path / "loadwatch.toml").write_text('timezone = "UTC"\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def baseline(forks: ForkServer, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The same command on the good file alone (what every command costs anyway)."""
    root = tmp_path_factory.mktemp("baseline")
    folder = good_folder(root / "exports")
    runs = listed(forks, folder, root / "home")
    return Run(
        0, runs[0].activities, [], max(r.peak_mb for r in runs), max(r.seconds for r in runs)
    )


@pytest.mark.parametrize("bomb", campaign.BOMBS, ids=[b.label for b in campaign.BOMBS])
def test_a_bomb_beside_a_good_file_costs_little_and_says_why(
    bomb: campaign.Bomb, baseline: Run, forks: ForkServer, tmp_path: Path
) -> None:
    size = bomb.full if SCALE.full_bombs else bomb.quick
    folder = good_folder(tmp_path / "exports")
    bomb.build(folder, size)
    largest_mb = max(p.stat().st_size for p in folder.iterdir()) / 2**20
    label = bomb.label.replace("N", f"{size:,g}")
    failures: list[str] = []
    slowest = grown = 0.0
    runs = listed(forks, folder, tmp_path / "home")
    for attempt, run in zip(("first run", "second run (cache)"), runs, strict=True):
        if run.code != 0:
            failures.append(f"{attempt}: exit {run.code}: {run.problems[-3:]}")
            continue
        sources = [str(a["source"]) for a in run.activities]
        if "good.gpx" not in sources:
            failures.append(f"{attempt}: the good run is missing")
        skipped = [line for line in run.problems if line.startswith("  skipped ")]
        from_bomb = [s for s in sources if s != "good.gpx"]
        if bomb.refused is not None:
            if not any(bomb.refused in line for line in skipped) or from_bomb:
                failures.append(
                    f"{attempt}: not refused with '{bomb.refused}': {skipped[:2]}"
                    f", {len(from_bomb)} activities"
                )
        elif bomb.activities is not None and len(from_bomb) != bomb.activities(size):
            failures.append(
                f"{attempt}: {len(from_bomb)} activities, expected {bomb.activities(size)}"
            )
        for activity in run.activities:
            for key in ("distance_m", "duration_s", "elapsed_s", "ascent_m"):
                value = activity[key]
                if value is not None and not 0 <= float(str(value)) < 1e7:
                    failures.append(f"{attempt}: {activity['source']} {key}={value}")
        spent = max(0.0, run.seconds - baseline.seconds)
        growth = max(0.0, run.peak_mb - baseline.peak_mb - largest_mb)
        slowest, grown = max(slowest, spent), max(grown, growth)
        if growth > campaign.CASE_MEMORY_MB:
            failures.append(f"{attempt}: {growth:.0f} MB beyond the file and a small import")
    outcome = (
        f"refused: '{bomb.refused}'"
        if bomb.refused
        else f"{bomb.activities(size) if bomb.activities else 0} activities, the good run kept"
    )
    campaign.record(
        campaign.Figure(
            f"Bomb: {label}",
            2,
            f"{outcome}, both runs; {largest_mb:,.1f} MB on disk; at most {grown:.0f} MB beyond "
            "one copy of the file and a small import",
            len(failures),
            slowest,
            campaign.CASE_BUDGET_S,
        )
    )
    assert not failures, failures
    shutil.rmtree(folder)  # some are hundreds of MB
