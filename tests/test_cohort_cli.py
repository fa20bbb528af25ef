"""``loadwatch cohort`` from the command line: schedulers, reruns, progress and errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from helpers import cohortbuild
from typer.testing import CliRunner

from loadwatch import cohort
from loadwatch.cli import app
from loadwatch.errors import UsageError

pytest.importorskip("dask")

FIRST, AS_OF = date(2025, 9, 1), date(2025, 12, 31)


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("LOADWATCH_HOME", raising=False)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "cohort"
    cohortbuild.write_cohort(folder, 3, FIRST, AS_OF, lap_m=None)
    return folder


def _run(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        app, ["--data-dir", str(tmp_path / "home"), "cohort", *args, "--as-of", AS_OF.isoformat()]
    )


@pytest.mark.slow
def test_processes_scheduler_writes_the_tables_and_a_summary(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    result = _run(
        tmp_path, str(root), "--out", str(out), "--scheduler", "processes", "--workers", "2"
    )
    assert result.exit_code == 0, result.output
    sessions = cohort.read_table(out, cohort.SESSIONS)
    runs = sessions[sessions["sport"] == "run"]
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        f"3 athletes, {len(sessions)} files: {len(sessions)} sessions ({len(runs)} runs)"
    )
    counts = runs["spike_category"].value_counts()
    assert lines[1] == "Runs by spike category (Frandsen): " + ", ".join(
        f"{name} {counts.get(name, 0)}" for name in ("reference", "small", "moderate", "large")
    )
    manifest = json.loads((out / "cohort.json").read_text(encoding="utf-8"))
    assert [a["name"] for a in manifest["athletes"]] == [
        cohortbuild.athlete_name(i) for i in range(3)
    ]
    assert set(manifest["tables"]["sessions"]) == set(cohort.SESSION_COLUMNS)
    synchronous = tmp_path / "sync"
    assert (
        _run(tmp_path, str(root), "--out", str(synchronous), "--scheduler", "synchronous").exit_code
        == 0
    )
    pd.testing.assert_frame_equal(sessions, cohort.read_table(synchronous, cohort.SESSIONS))


def test_a_rerun_replaces_the_tables_of_athletes_gone(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    assert _run(tmp_path, str(root), "--out", str(out), "--scheduler", "synchronous").exit_code == 0
    shutil.rmtree(root / cohortbuild.athlete_name(1))
    assert _run(tmp_path, str(root), "--out", str(out), "--scheduler", "synchronous").exit_code == 0
    names = set(cohort.read_table(out, cohort.WEEKS)["athlete"])
    assert names == {cohortbuild.athlete_name(0), cohortbuild.athlete_name(2)}


def test_an_athlete_without_files_has_empty_tables(tmp_path: Path) -> None:
    root = tmp_path / "cohort"
    cohortbuild.write_cohort(root, 1, FIRST, AS_OF, lap_m=None)
    (root / "newcomer").mkdir()
    out = tmp_path / "tables"
    done = cohort.run_cohort(
        root, out_dir=out, home=tmp_path / "home", as_of=AS_OF, scheduler="synchronous"
    )
    assert [(a.name, a.files, a.sessions) for a in done.athletes][1] == ("newcomer", 0, 0)
    assert set(cohort.read_table(out, cohort.SESSIONS)["athlete"]) == {cohortbuild.athlete_name(0)}


def test_dask_s_progress_bar_goes_to_stderr(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cohort.run_cohort(
        root,
        out_dir=tmp_path / "tables",
        home=tmp_path / "home",
        as_of=AS_OF,
        scheduler="synchronous",
        progress=True,
    )
    captured = capsys.readouterr()
    assert "Completed" in captured.err and captured.out == ""


def test_a_bad_scheduler_is_one_line(root: Path, tmp_path: Path) -> None:
    result = _run(tmp_path, str(root), "--out", str(tmp_path / "tables"), "--scheduler", "threads")
    assert result.exit_code == 2  # a wrong command line
    words = " ".join(result.output.replace("│", " ").split())
    assert "--scheduler" in words and "takes synchronous, processes or" in words
    assert "Traceback" not in result.output


def test_an_unreachable_cluster_is_a_usage_error(root: Path, tmp_path: Path) -> None:
    # nothing listens on the discard port of this machine
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        cohort.run_cohort(
            root,
            out_dir=tmp_path / "tables",
            home=tmp_path / "home",
            as_of=AS_OF,
            scheduler="tcp://127.0.0.1:9",
            connect_timeout_s=1,
        )


def test_a_folder_of_other_files_is_not_overwritten(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("keep me", encoding="utf-8")
    result = _run(tmp_path, str(root), "--out", str(out), "--scheduler", "synchronous")
    assert result.exit_code == 1 and "holds other files" in result.output
    assert (out / "thesis.tex").read_text(encoding="utf-8") == "keep me"


def test_without_the_extra_it_says_what_to_install(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dask", None)  # as if the extra were not installed
    result = _run(tmp_path, str(root), "--out", str(tmp_path / "tables"))
    assert result.exit_code == 1
    assert "pip install 'loadwatch[cohort]'" in result.output
    assert not (tmp_path / "tables").exists()


def test_the_single_runner_commands_do_not_load_dask() -> None:
    # (pyarrow is left out: pandas 3 imports it by itself wherever it is installed)
    code = (
        "import sys, loadwatch.cli, loadwatch.team; "
        "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"


def test_without_out_the_tables_go_to_the_data_directory(root: Path, tmp_path: Path) -> None:
    result = _run(tmp_path, str(root), "--scheduler", "synchronous")
    assert result.exit_code == 0, result.output
    weeks = cohort.read_table(tmp_path / "home" / "cohort", cohort.WEEKS)
    assert set(weeks["athlete"]) == {cohortbuild.athlete_name(i) for i in range(3)}


def test_the_week_table_has_every_weekly_column() -> None:
    from loadwatch import weekly

    assert list(cohort.WEEK_COLUMNS) == [
        "athlete",
        *weekly.COLUMNS,
        "baseline_m",
        "baseline_change_pct",
    ]
