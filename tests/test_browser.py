"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``, see .ci/run)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.image import imread
from test_report import SCRIPT
from test_report_cli import AS_OF, gpx, run, write_log

from loadwatch.report.charts import NARROW, WIDE

#: slow: headless Chromium
pytestmark = pytest.mark.slow


WIDTH, HEIGHT = 1200, 2000
#: an iPhone's width in CSS pixels
PHONE = 390


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    if binary is None:
        pytest.skip(
            "needs Debian's chromium for the browser tests (not installed here; "
            ".ci/run installs it)"
        )
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
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=env, check=False
    )


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
    done = chromium(
        tmp_path, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri()
    )
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


#: measured in the page after it loads: the page's content width, each chart as shown
#: and the smallest type set anywhere in the text; sent to the frame's parent
MEASURE = """<script>
window.addEventListener("load", () => {
  const body = getComputedStyle(document.body);
  const content = document.body.clientWidth - parseFloat(body.paddingLeft)
    - parseFloat(body.paddingRight);
  const charts = [...document.querySelectorAll("figure img")].map(img => ({
    id: img.closest("figure").id, shown: img.width, natural: img.naturalWidth}));
  const sizes = [...document.querySelectorAll("body *")]
    .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(el => [el.tagName, parseFloat(getComputedStyle(el).fontSize)]);
  parent.postMessage(JSON.stringify({
    viewport: document.documentElement.clientWidth, content, charts, sizes}), "*");
});
</script>"""

#: a page holding the report in a frame as wide as the screen being tried
FRAME = """<!DOCTYPE html><html><body style="margin:0">
<pre id="measured"></pre>
<iframe src="{src}" style="width:{width}px;height:900px;border:0"></iframe>
<script>
window.addEventListener("message", event => {{
  document.getElementById("measured").textContent = event.data;
}});
</script></body></html>"""


def measure(page: Path, tmp_path: Path, width: int) -> dict[str, Any]:
    """The report laid out by Chromium ``width`` CSS pixels wide, measured by a script.

    A desktop browser window has a minimum width wider than a phone, so the page
    is laid out in a frame of that width, where its media queries see a phone's
    screen. The report itself runs no script (its Content-Security-Policy forbids
    it), so a copy without that policy carries the measuring script.
    """
    html_text = page.read_text(encoding="utf-8")
    html_text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html_text)
    copy = tmp_path / f"measured-{width}.html"
    copy.write_text(html_text.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    frame = tmp_path / f"frame-{width}.html"
    frame.write_text(FRAME.format(src=copy.name, width=width), encoding="utf-8")
    # phones overlay their scroll bars on the page
    done = chromium(
        tmp_path,
        "--dump-dom",
        "--virtual-time-budget=10000",
        "--hide-scrollbars",
        f"--window-size={max(width, 800) + 50},1000",
        frame.as_uri(),
    )
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.S)
    assert found and found.group(1), done.stderr[-2000:]
    return dict(json.loads(unescape(found.group(1))))


def test_on_a_phone_the_charts_fill_the_page_and_no_text_is_tiny(
    page: Path, tmp_path: Path
) -> None:
    seen = measure(page, tmp_path, PHONE)
    assert seen["viewport"] == PHONE
    # the page's side margins (1.25 rem each) are all that is left around a chart
    assert seen["content"] >= PHONE - 2 * 20 - 1
    assert len(seen["charts"]) >= 4
    for chart in seen["charts"]:
        assert chart["shown"] >= seen["content"] - 2, chart
        # the phone-width drawing, not the desktop one squeezed
        assert chart["natural"] == NARROW.width_in * NARROW.dpi, chart
        # the chart's smallest type as it appears on the screen, in CSS pixels
        shown_px = NARROW.smallest_pt / 72 * NARROW.dpi * chart["shown"] / chart["natural"]
        assert shown_px >= 12, (chart, shown_px)
    smallest = min(size for _, size in seen["sizes"])
    assert smallest >= 12, [s for s in seen["sizes"] if s[1] < 12]


def test_on_a_desktop_the_charts_are_the_wide_drawings(page: Path, tmp_path: Path) -> None:
    seen = measure(page, tmp_path, WIDTH)
    for chart in seen["charts"]:
        assert chart["natural"] == WIDE.width_in * WIDE.dpi, chart
        # shown at their own size: type as drawn, 9 pt at 100 dpi is 12.5 px
        assert chart["shown"] == chart["natural"], chart
