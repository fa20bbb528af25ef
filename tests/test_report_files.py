"""Writing the report: atomic replacement, chosen formats, stale charts; the data-directory lock."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from test_report import build

from loadwatch import locking
from loadwatch.errors import StoreError
from loadwatch.locking import LOCK_NAME, BusyError, data_dir_lock
from loadwatch.report import Chart, Rendered, render, write_report
from loadwatch.report import files as report_files
from loadwatch.report.files import write_atomic


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    return render(build())


def test_write_atomic_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "report.html"
    write_atomic(target, "first")
    write_atomic(target, b"second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]
    # a report holds health data: private to its owner
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.html"
    write_atomic(target, "old report")

    def no_space(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_files.os, "replace", no_space)
    with pytest.raises(StoreError, match="No space left on device"):
        write_atomic(target, "new report")
    assert target.read_text() == "old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_write_report_writes_each_format(tmp_path: Path, rendered: Rendered) -> None:
    written = write_report(rendered, tmp_path)
    names = [p.name for p in written]
    assert names == [
        "loadwatch-2026-W12.html",
        "loadwatch-2026-W12.md",
        "loadwatch-2026-W12.json",
        "loadwatch-2026-W12-distance.png",
        "loadwatch-2026-W12-long-runs.png",
        "loadwatch-2026-W12-surfaces.png",
        "loadwatch-2026-W12-load.png",
        "loadwatch-2026-W12-shoes.png",
        "latest.html",
    ]
    assert (tmp_path / "latest.html").read_text() == (tmp_path / names[0]).read_text()
    assert (tmp_path / names[3]).read_bytes() == rendered.charts[0].png
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


def test_only_the_chosen_formats(tmp_path: Path, rendered: Rendered) -> None:
    assert [p.name for p in write_report(rendered, tmp_path, ["json"])] == [
        "loadwatch-2026-W12.json"
    ]
    assert not (tmp_path / "latest.html").exists()
    with pytest.raises(ValueError, match="pdf"):
        write_report(rendered, tmp_path, ["pdf"])


def test_rerunning_a_week_replaces_it_and_drops_charts_it_no_longer_draws(
    tmp_path: Path, rendered: Rendered
) -> None:
    write_report(rendered, tmp_path)
    assert (tmp_path / "loadwatch-2026-W12-shoes.png").exists()
    without_shoes = render(build(shoes=None, findings=[]))
    write_report(without_shoes, tmp_path)
    assert not (tmp_path / "loadwatch-2026-W12-shoes.png").exists()
    assert (tmp_path / "loadwatch-2026-W12.html").read_text() == without_shoes.html
    assert "Green" in (tmp_path / "latest.html").read_text()


# ---------------------------------------------------------------------------
# the lock


class FakeClock:
    """The lock's clock: ``sleep`` moves ``monotonic`` on at once, and is counted."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_second_holder_waits_then_gives_up_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(locking, "time", clock)
    waits: list[int] = []
    with data_dir_lock(tmp_path):
        with (
            pytest.raises(BusyError, match="another loadwatch run is still using") as caught,
            data_dir_lock(tmp_path, timeout_s=0.3, on_wait=lambda: waits.append(1)),
        ):
            pass  # pragma: no cover - never reached
        # it retried every poll until the whole timeout had passed, then gave up
        assert clock.slept == [locking._POLL_S] * 3
        assert clock.now - 1000.0 >= 0.3
    assert waits == [1]
    assert str(tmp_path) in str(caught.value)
    # released: the next run gets it at once, without waiting
    with data_dir_lock(tmp_path, timeout_s=0, on_wait=lambda: waits.append(2)):
        pass
    assert waits == [1]


HOLDER = """
import sys, time
from pathlib import Path
from loadwatch.locking import data_dir_lock
with data_dir_lock(Path(sys.argv[1])):
    print("held", flush=True)
    if sys.argv[2] == "until-told":
        sys.stdin.readline()
    else:
        time.sleep(float(sys.argv[2]))
"""


def _hold(folder: Path, seconds: float | None) -> subprocess.Popen[str]:
    """A process holding the lock for ``seconds``, or (None) until a line on its stdin."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            HOLDER,
            str(folder),
            "until-told" if seconds is None else str(seconds),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_the_lock_works_across_processes_and_waits_for_release(tmp_path: Path) -> None:
    holder = _hold(tmp_path, None)
    assert holder.stdin is not None
    released: list[int] = []

    def release() -> None:
        # called once the patient run has found the lock taken: only now let it go
        assert holder.stdin is not None
        holder.stdin.write("release\n")
        holder.stdin.flush()
        released.append(1)

    try:
        with pytest.raises(BusyError), data_dir_lock(tmp_path, timeout_s=0.2):
            pass  # pragma: no cover - never reached
        # a patient second run waits, and gets the lock once the first one ends
        with data_dir_lock(tmp_path, timeout_s=120, on_wait=release):
            assert holder.wait(timeout=30) == 0
        assert released == [1]
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert (tmp_path / LOCK_NAME).exists()


def test_a_killed_run_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = _hold(tmp_path, 60)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    with data_dir_lock(tmp_path, timeout_s=2):
        pass


# ---------------------------------------------------------------------------
# the chart cache


def test_unchanged_charts_are_reused_and_changed_ones_redrawn(tmp_path: Path) -> None:
    from loadwatch.report.chartcache import cached_charts
    from loadwatch.report.charts import render_all

    drawn: list[str] = []

    def draw(report):  # type: ignore[no-untyped-def]
        drawn.append(report.label)
        return render_all(report)

    first = cached_charts(build(), tmp_path, draw)
    again = cached_charts(build(), tmp_path, draw)
    assert drawn == ["2026-W12"]
    assert again == first
    changed = cached_charts(build(findings=[]), tmp_path, draw)
    assert len(drawn) == 2
    assert changed[0].png != first[0].png  # no flagged weeks now
    # a damaged entry is drawn again, not trusted
    for png in tmp_path.glob("*-distance.png"):
        png.write_bytes(b"garbage")
    assert cached_charts(build(), tmp_path, draw) == first
    assert len(drawn) == 3


def test_the_cache_keeps_a_few_reports_and_never_blocks_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loadwatch.report import chartcache

    monkeypatch.setattr(chartcache, "KEEP", 2)
    for weeks in (1, 2, 3):
        chartcache.cached_charts(build(weeks=weeks, shoes=None), tmp_path, lambda r: [])
    assert len(list(tmp_path.glob("*.json"))) == 2
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    drawn = [Chart("distance", "t", "a", b"\x89PNG\r\n\x1a\n")]
    assert chartcache.cached_charts(build(), blocked, lambda r: drawn) == drawn


WARM = """
import sys
from loadwatch.cli import app
try:
    app(sys.argv[1:])
except SystemExit as done:
    code = done.code
print("matplotlib" in sys.modules, code, file=sys.stderr)
"""


def test_a_warm_report_does_not_even_import_matplotlib(tmp_path: Path) -> None:
    from test_report_cli import AS_OF, calm_rows, write_log

    folder = write_log(tmp_path / "exports", calm_rows())
    args = [
        "--data-dir",
        str(tmp_path / "home"),
        "report",
        str(folder),
        "--as-of",
        AS_OF,
        "--quiet",
    ]
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", WARM, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        for _ in range(2)
    ]
    assert [r.stderr.strip().splitlines()[-1] for r in runs] == ["True 0", "False 0"]
    html = tmp_path / "home" / "reports" / "loadwatch-2026-W09.html"
    page = html.read_text()
    # four charts from the cache, each with its phone-width drawing
    assert page.count('<img src="data:image/png;base64,') == 4
    assert page.count('<source media="(max-width: 600px)" srcset="data:image/png;base64,') == 4
