"""``loadwatch report`` end to end: files, summary, --quiet, --fail-on, escaping, overlaps."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pytest
from test_report import SCRIPT, parse_html
from test_report_files import _hold
from typer.testing import CliRunner

from loadwatch.cli import app

AS_OF = "2026-03-01"  # a Sunday: the week of 2026-02-23 is complete
FIRST_MONDAY = date(2026, 1, 5)


def calm_rows(weeks: int = 8) -> list[tuple[date, float]]:
    """Monday, Wednesday and Friday, 5 km each: the same 15 km every week."""
    return [
        (FIRST_MONDAY + timedelta(weeks=w, days=d), 5.0) for w in range(weeks) for d in (0, 2, 4)
    ]


def write_log(folder: Path, rows: list[tuple[date, float]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "loadwatch.toml").write_text('timezone = "UTC"\n')
    lines = ["date,distance_km,duration,name"]
    lines += [f"{day.isoformat()}T07:00,{km},0:30:00,Easy" for day, km in rows]
    (folder / "log.csv").write_text("\n".join(lines) + "\n")
    return folder


def gpx(start: str, name: str, points: int = 31) -> str:
    """A straight track, one point a minute, about 200 m apart (6 km).

    The inner points sway ahead and behind as a real GPS does, so the track reads
    as a recording rather than a planned route's made-up times (``trackpoints``).
    """
    first = date.fromisoformat(start[:10])
    last = points - 1
    trkpts = "".join(
        f'<trkpt lat="{51.5 + i * 0.0018 + (0.0004 if i % 2 else -0.0004) * (0 < i < last):.4f}" '
        f'lon="-0.1000">'
        f"<time>{first.isoformat()}T07:{i:02d}:00Z</time></trkpt>"
        for i in range(points)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>{xml_escape(name)}</name><type>running</type><trkseg>{trkpts}</trkseg>"
        "</trk></gpx>"
    )


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a config in the machine's real config folder must not change these results
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("LOADWATCH_LOCK_TIMEOUT", raising=False)


def run(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--data-dir", str(tmp_path / "home"), "report", *args])


@pytest.fixture
def calm(tmp_path: Path) -> Path:
    return write_log(tmp_path / "calm", calm_rows())


@pytest.fixture
def news(tmp_path: Path) -> Path:
    # a 12 km Saturday: more than double the month's longest (5 km) and +80% on the week
    return write_log(tmp_path / "news", [*calm_rows(), (date(2026, 2, 28), 12.0)])


@pytest.fixture
def caution_only(tmp_path: Path) -> Path:
    # the last Friday is 5.75 km: 15% over the month's longest, the week only +5%
    rows = calm_rows()
    rows[-1] = (rows[-1][0], 5.75)
    return write_log(tmp_path / "caution", rows)


def test_report_writes_files_and_prints_a_summary(tmp_path: Path, news: Path) -> None:
    out = tmp_path / "out"
    result = run(tmp_path, str(news), "--as-of", AS_OF, "--out", str(out), "--units", "km")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "loadwatch 2026-W09: Red: a warning needs attention"
    # 3 x 5 + 12 = 27 km against 15 km: +80%
    assert lines[1] == (
        "This week (from Mon 23 Feb): 27.0 km in 4 runs, up 80% on the week before, "
        "longest run 12.0 km."
    )
    assert lines[2] == "Shoes due: none"
    # the spike is a warning; +80% on the week (its baseline) a caution
    assert lines[3].startswith("Findings in the last 28 days: 1 warning, 1 caution")
    assert lines[4] == f"Report: {out / 'loadwatch-2026-W09.html'}"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"loadwatch-2026-W09.{s}" for s in ("html", "md", "json")]
        + [f"loadwatch-2026-W09-{k}.png" for k in ("distance", "long-runs", "surfaces", "load")]
        + ["latest.html"]
    )
    data = json.loads((out / "loadwatch-2026-W09.json").read_text())
    rules = sorted((f["rule"], f["severity"]) for f in data["findings"] if f["severity"] != "info")
    assert rules == [("long-run-spike", "warning"), ("weekly-increase", "caution")]
    assert data["weeks"][-1]["distance_km"] == 27.0
    assert len(data["weeks"]) == 8


def test_report_findings_are_what_check_lists(tmp_path: Path, news: Path) -> None:
    out = tmp_path / "out"
    assert run(tmp_path, str(news), "--as-of", AS_OF, "--out", str(out)).exit_code == 0
    checked = CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(tmp_path / "home"),
            "check",
            str(news),
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    )
    assert checked.exit_code == 0
    from_check = json.loads(checked.stdout)
    assert json.loads((out / "loadwatch-2026-W09.json").read_text())["findings"] == from_check


def test_quiet_is_silent_on_a_calm_history(tmp_path: Path, calm: Path) -> None:
    result = run(tmp_path, str(calm), "--as-of", AS_OF, "--quiet", "--fail-on", "caution")
    assert result.exit_code == 0
    assert result.output == ""
    # the report is still written, into the data directory by default
    assert (tmp_path / "home" / "reports" / "loadwatch-2026-W09.html").is_file()
    assert (tmp_path / "home" / "reports" / "latest.html").is_file()


def test_quiet_speaks_when_there_is_news(tmp_path: Path, news: Path) -> None:
    result = run(tmp_path, str(news), "--as-of", AS_OF, "--quiet")
    assert result.exit_code == 0
    assert result.output.startswith("loadwatch 2026-W09: Red")
    assert "Report: " in result.output


def test_fail_on_exit_codes(tmp_path: Path, news: Path, caution_only: Path) -> None:
    assert run(tmp_path, str(news), "--as-of", AS_OF, "--fail-on", "warning").exit_code == 3
    assert run(tmp_path, str(news), "--as-of", AS_OF, "--fail-on", "caution").exit_code == 3
    soft = run(tmp_path, str(caution_only), "--as-of", AS_OF, "--fail-on", "warning")
    assert soft.exit_code == 0
    assert "Amber" in soft.output
    assert run(tmp_path, str(caution_only), "--as-of", AS_OF, "--fail-on", "caution").exit_code == 3
    quiet = run(tmp_path, str(caution_only), "--as-of", AS_OF, "--quiet")
    assert quiet.output.startswith("loadwatch 2026-W09: Amber")


def test_usage_errors_are_one_line(tmp_path: Path, calm: Path) -> None:
    # wrong option values are a wrong command line: exit 2 with the option named
    bad = run(tmp_path, str(calm), "--formats", "html,pdf")
    assert bad.exit_code == 2
    assert (
        "Invalid value for '--formats': takes a comma-separated list of html, md, json, "
        "png, not 'html,pdf'"
    ) in " ".join(bad.output.replace("│", " ").split())
    assert run(tmp_path, str(calm), "--fail-on", "info").exit_code == 2
    assert run(tmp_path, str(calm), "--as-of", "yesterday").exit_code == 2
    assert run(tmp_path, str(calm), "--weeks", "0").exit_code == 2


def test_formats_weeks_and_units(tmp_path: Path, calm: Path) -> None:
    out = tmp_path / "out"
    result = run(
        tmp_path,
        str(calm),
        "--as-of",
        AS_OF,
        "--out",
        str(out),
        "--formats",
        "json",
        "--weeks",
        "3",
        "--units",
        "km",
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["loadwatch-2026-W09.json"]
    data = json.loads((out / "loadwatch-2026-W09.json").read_text())
    assert data["units"] == "km"
    assert [w["week_start"] for w in data["weeks"]] == ["2026-02-09", "2026-02-16", "2026-02-23"]
    assert [w["distance_km"] for w in data["weeks"]] == [15.0, 15.0, 15.0]


def test_names_from_files_are_text_in_html_and_markdown(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "loadwatch.toml").write_text('timezone = "UTC"\n')
    (folder / "run.gpx").write_text(gpx("2026-02-25", SCRIPT))
    (folder / "<img src=x onerror=alert(2)>.fit").write_bytes(b"not a fit file at all")
    out = tmp_path / "out"
    result = run(tmp_path, str(folder), "--as-of", AS_OF, "--out", str(out))
    assert result.exit_code == 0, result.output
    page = (out / "loadwatch-2026-W09.html").read_text()
    assert SCRIPT not in page and "<img src=x" not in page
    parsed = parse_html(page)
    assert "script" not in {tag for tag, _ in parsed.tags}
    words = "".join(parsed.text)
    assert SCRIPT in words  # this week's runs list it by name
    assert "<img src=x onerror=alert(2)>.fit" in words  # the import problem, by file name
    md = (out / "loadwatch-2026-W09.md").read_text()
    assert SCRIPT not in md and "<img src=x" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md


def test_a_busy_data_directory_makes_the_second_run_wait_then_exit_1(
    tmp_path: Path, calm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOADWATCH_LOCK_TIMEOUT", "0.3")
    holder = _hold(tmp_path / "home", 30)
    try:
        result = run(tmp_path, str(calm), "--as-of", AS_OF)
        quiet = run(tmp_path, str(calm), "--as-of", AS_OF, "--quiet")
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("Another loadwatch run is using")
    assert lines[1].startswith("Error: another loadwatch run is still using")
    assert len(lines) == 2
    # cron gets only the error, not the waiting note
    assert quiet.exit_code == 1
    assert quiet.output.strip().splitlines()[0].startswith("Error: another loadwatch run")
    monkeypatch.setenv("LOADWATCH_LOCK_TIMEOUT", "soon")
    assert run(tmp_path, str(calm), "--as-of", AS_OF).exit_code == 1


@pytest.mark.slow
def test_two_real_runs_at_once_both_finish(tmp_path: Path, news: Path) -> None:
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "loadwatch",
        "--data-dir",
        str(tmp_path / "home"),
        "report",
        str(news),
        "--as-of",
        AS_OF,
        "--out",
        str(out),
    ]
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    results = [p.communicate(timeout=240) for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), results
    for stdout, _ in results:
        assert b"loadwatch 2026-W09: Red" in stdout
    page = (out / "loadwatch-2026-W09.html").read_text()
    assert page.rstrip().endswith("</html>")
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_quiet_speaks_when_runs_have_stopped_arriving(tmp_path: Path, calm: Path) -> None:
    # the calm log's last run is Friday 2026-02-27; 24 days later the sync looks dead
    later = "2026-03-23"
    out = tmp_path / "out"
    result = run(tmp_path, str(calm), "--as-of", later, "--quiet", "--out", str(out))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == (
        "No run in the last 24 days (last on 2026-02-27): is your export still syncing?"
    )
    week = "loadwatch-2026-W13"
    assert "No run in the last 24 days" in (out / f"{week}.md").read_text()
    assert "No run in the last 24 days" in "".join(
        parse_html((out / f"{week}.html").read_text()).text
    )
    # twenty days after the last run is a normal gap in training, not a dead sync
    quiet = run(tmp_path, str(calm), "--as-of", "2026-03-19", "--quiet", "--out", str(out))
    assert quiet.exit_code == 0
    assert quiet.output == ""


def test_an_empty_folder_fails_the_cron_job_even_when_quiet(tmp_path: Path) -> None:
    empty = tmp_path / "exports"
    empty.mkdir()
    result = run(tmp_path, str(empty), "--as-of", AS_OF, "--quiet")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: no activity files in {empty}: is this the folder your watch or phone exports to?"
    )


def test_the_reports_unit_comes_first_in_its_findings(tmp_path: Path, news: Path) -> None:
    # the config leaves units at miles; the report is asked for in km
    out = tmp_path / "out"
    assert (
        run(tmp_path, str(news), "--as-of", AS_OF, "--out", str(out), "--units", "km").exit_code
        == 0
    )
    data = json.loads((out / "loadwatch-2026-W09.json").read_text())
    [spike] = [f for f in data["findings"] if f["rule"] == "long-run-spike"]
    # 12 km = 7.456 mi, 5 km = 3.107 mi
    assert "was 12.0 km (7.5 mi)" in spike["message"]
    assert "5.0 km (3.1 mi)" in spike["message"]
    checked = CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(tmp_path / "home"),
            "check",
            str(news),
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    )
    [in_miles] = [f for f in json.loads(checked.stdout) if f["rule"] == "long-run-spike"]
    assert "was 7.5 mi (12.0 km)" in in_miles["message"]
