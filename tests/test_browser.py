"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``, see .ci/run)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread
from test_report import SCRIPT
from test_report_cli import AS_OF, gpx, run, write_log

WIDTH, HEIGHT = 1200, 2000


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    if binary is None:
        pytest.fail("chromium is not installed (.ci/run installs Debian's chromium package)")
    profile = tmp_path / "chromium-profile"
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env,
                          check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of a short history whose last run is called ``<script>alert(1)</script>``."""
    tmp_path = tmp_path_factory.mktemp("browser")
    folder = write_log(tmp_path / "exports", [])
    (folder / "log.csv").unlink()
    for day in ("2026-02-16", "2026-02-18", "2026-02-20", "2026-02-23"):
        (folder / f"{day}.gpx").write_text(gpx(day, "Easy run"))
    (folder / "long.gpx").write_text(gpx("2026-02-28", SCRIPT, points=61))
    result = run(tmp_path, str(folder), "--as-of", AS_OF, "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    return tmp_path / "out" / "loadwatch-2026-W09.html"


def test_chromium_renders_the_report(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    done = chromium(tmp_path, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}",
                    page.as_uri())
    assert shot.is_file(), done.stderr
    pixels = imread(shot)
    assert pixels.shape[:2] == (HEIGHT, WIDTH)
    grey = pixels[..., :3].mean(axis=2)
    # text, the traffic light and the charts: far from a blank page
    assert grey.std() > 0.1
    assert (grey < 0.2).mean() > 0.005  # dark text
    assert np.unique((pixels[..., :3] * 255).astype(int).reshape(-1, 3), axis=0).shape[0] > 100


def test_chromium_sees_the_title_and_the_script_name_as_text(page: Path, tmp_path: Path) -> None:
    done = chromium(tmp_path, "--dump-dom", page.as_uri())
    dom = done.stdout
    assert "<title>loadwatch weekly report 2026-W09</title>" in dom, done.stderr
    assert "<script" not in dom.lower()
    # serialised text nodes keep the name escaped: it is text on the page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    # the charts loaded from the page itself
    assert dom.count('src="data:image/png;base64,') >= 4
