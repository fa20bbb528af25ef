"""``loadwatch cohort``: a generated cohort of 40 athletes x 1 year on a real Dask cluster.

A ``distributed.LocalCluster`` with 2 worker processes must give exactly the tables
the synchronous scheduler gives and that the single-runner path gives (the same
athlete's ``import_folders`` and ``Snapshot.rule_inputs`` into ``exposure_tables``);
``loadwatch check`` per athlete must flag exactly the runs the session table puts
above Frandsen's reference category; and the spikes are checked against a hand
computation from the generator's own plan.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import pytest
from helpers import cohortbuild
from typer.testing import CliRunner

from loadwatch import analysis, cohort
from loadwatch.cli import app
from loadwatch.config import Config
from loadwatch.ingest.pipeline import import_folders
from loadwatch.roster import slug_of
from loadwatch.units import Units
from loadwatch.userdata import pain_store
from loadwatch.userdata.pain import PainEntry
from loadwatch.userdata.store import open_userdata

#: slow: a real distributed.LocalCluster of worker processes on a generated cohort
pytestmark = pytest.mark.slow


distributed = pytest.importorskip("distributed")

FIRST, AS_OF = date(2025, 1, 1), date(2025, 12, 31)
ATHLETES = 40
#: two athletes keep a diary and a pair of shoes in their own data directory
SORE, SHOD = cohortbuild.athlete_name(3), cohortbuild.athlete_name(7)


@pytest.fixture(scope="module", autouse=True)
def _no_user_config(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))
        patch.delenv("LOADWATCH_HOME", raising=False)
        yield


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("cohort")
    root = base / "root"
    plans = cohortbuild.write_cohort(root, ATHLETES, FIRST, AS_OF, lap_m=None)
    (root / "loadwatch.toml").write_text('units = "km"\ntimezone = "UTC"\n', encoding="utf-8")
    home = base / "home"
    sore = home / "athletes" / slug_of(SORE)
    sore.mkdir(parents=True)
    with open_userdata(sore) as store:
        for day, level in (
            (date(2025, 5, 2), 3),
            (date(2025, 5, 9), 5),
            (date(2025, 5, 20), 0),
            (date(2025, 9, 1), 2),
        ):
            pain_store.add_entry(
                store,
                PainEntry(day, level, "back" if level else None, "after-run" if level else None),
            )
    shod = home / "athletes" / slug_of(SHOD)
    shod.mkdir(parents=True)
    with open_userdata(shod) as store:
        store.add_shoe("Ghost", in_service=FIRST, default_for="run")
        store.add_shoe("Trail pair", in_service=FIRST, default_for="trail")
    return root, home, plans


@pytest.fixture(scope="module")
def on_cluster(generated, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root, home, _plans = generated
    out = tmp_path_factory.mktemp("cluster") / "tables"
    # on the loopback address only: nothing leaves this machine
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        result = cohort.run_cohort(
            root, out_dir=out, home=home, as_of=AS_OF, scheduler=cluster.scheduler_address
        )
    return result, cohort.read_table(out, cohort.SESSIONS), cohort.read_table(out, cohort.WEEKS)


@pytest.fixture(scope="module")
def synchronous(generated, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root, home, _plans = generated
    out = tmp_path_factory.mktemp("sync") / "tables"
    result = cohort.run_cohort(root, out_dir=out, home=home, as_of=AS_OF, scheduler="synchronous")
    return result, cohort.read_table(out, cohort.SESSIONS), cohort.read_table(out, cohort.WEEKS)


def test_the_cluster_used_both_workers_and_wrote_every_athlete(on_cluster) -> None:  # type: ignore[no-untyped-def]
    result, sessions, weeks = on_cluster
    assert len(result.athletes) == ATHLETES and not result.failed
    assert len({a.pid for a in result.athletes}) == 2
    assert sessions["athlete"].nunique() == ATHLETES == weeks["athlete"].nunique()
    folders = sorted(p.name for p in (result.out_dir / "sessions").iterdir())
    assert folders == [f"athlete={cohortbuild.athlete_name(i)}" for i in range(ATHLETES)]


def test_cluster_and_synchronous_tables_are_identical(on_cluster, synchronous) -> None:  # type: ignore[no-untyped-def]
    _r1, sessions, weeks = on_cluster
    _r2, sessions_sync, weeks_sync = synchronous
    pd.testing.assert_frame_equal(sessions, sessions_sync)
    pd.testing.assert_frame_equal(weeks, weeks_sync)


@pytest.fixture(scope="module")
def single_runner(generated, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Each athlete through the single-runner path: name -> (sessions, weeks, data dir)."""
    root, home, _plans = generated
    alone = tmp_path_factory.mktemp("alone")
    config = Config(units=Units.KM, timezone="UTC")
    found = {}
    for index in range(ATHLETES):
        name = cohortbuild.athlete_name(index)
        own = home / "athletes" / slug_of(name)
        if not own.is_dir():
            own = alone / name
        # one process: the same function, without a worker pool's start-up per athlete
        collection = import_folders(
            [root / name], config=config, home=own, latest=AS_OF + timedelta(days=1), workers=1
        )
        inputs = analysis.load_snapshot(collection, config, AS_OF, own).rule_inputs
        sessions, weeks = cohort.exposure_tables(name, collection.activities, config, AS_OF, inputs)
        found[name] = (sessions, weeks, own)
    return found


def test_tables_are_the_single_runner_path_s(on_cluster, single_runner) -> None:  # type: ignore[no-untyped-def]
    _result, sessions, weeks = on_cluster
    for name, (alone_sessions, alone_weeks, _own) in single_runner.items():
        mine = sessions[sessions["athlete"] == name].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone_sessions.reset_index(drop=True))
        pd.testing.assert_frame_equal(
            weeks[weeks["athlete"] == name].reset_index(drop=True),
            alone_weeks.reset_index(drop=True),
        )


def _hand_spikes(plan: list[cohortbuild.Planned]) -> dict[str, float | None]:
    """The spike of every run, worked out from the plan: over the longest earlier run of
    the 30 local days before it."""
    runs = [a for a in plan if a.kind[0] == "running"]
    out: dict[str, float | None] = {}
    for run in runs:
        day = run.start_local.date()
        earlier = [
            r.distance_m
            for r in runs
            if r.start_local < run.start_local and r.start_local.date() >= day - timedelta(days=30)
        ]
        out[run.start_local.isoformat()] = (
            (run.distance_m / max(earlier) - 1.0) * 100.0 if earlier else None
        )
    return out


def test_spikes_match_a_hand_computation(generated, on_cluster) -> None:  # type: ignore[no-untyped-def]
    _root, _home, plans = generated
    _result, sessions, _weeks = on_cluster
    runs = sessions[sessions["sport"] == "run"]
    assert len(runs) == sum(1 for p in plans.values() for a in p if a.kind[0] == "running")
    categories = set()
    for name, plan in plans.items():
        expected = _hand_spikes(plan)
        mine = runs[runs["athlete"] == name]
        got = {
            start.isoformat(): (None if pd.isna(s) else float(s))
            for start, s in zip(mine["start_local"], mine["spike_pct"], strict=True)
        }
        assert got.keys() == expected.keys()
        for start, value in expected.items():
            assert (got[start] is None) == (value is None), (name, start)
            if value is not None:
                assert got[start] == pytest.approx(value, rel=1e-9), (name, start)
                categories.add(_category(value))
    # the generator's spikes reach every Frandsen category
    assert categories == {"reference", "small", "moderate", "large"}


def _category(spike_pct: float) -> str:
    """Frandsen et al. 2025's bands, written out: up to 10%, 10-30%, 30-100%, over 100%."""
    return (
        "reference"
        if spike_pct <= 10
        else "small"
        if spike_pct <= 30
        else "moderate"
        if spike_pct <= 100
        else "large"
    )


def test_check_per_athlete_agrees_with_the_spike_categories(
    generated, on_cluster, single_runner
) -> None:  # type: ignore[no-untyped-def]
    root, _home, _plans = generated
    _result, sessions, _weeks = on_cluster
    runner = CliRunner()
    for name, (_s, _w, data) in single_runner.items():
        shown = runner.invoke(
            app,
            [
                "--data-dir",
                str(data),
                "--config",
                str(root / "loadwatch.toml"),
                "check",
                str(root / name),
                "--as-of",
                AS_OF.isoformat(),
                "--since",
                FIRST.isoformat(),
                "--format",
                "json",
            ],
        )
        assert shown.exit_code == 0, shown.output
        found = json.loads(shown.stdout)
        flagged = {f["activity_id"]: f["value"] for f in found if f["rule"] == "long-run-spike"}
        mine = sessions[(sessions["athlete"] == name) & (sessions["sport"] == "run")]
        above = mine[mine["spike_category"].isin(["small", "moderate", "large"])]
        assert set(flagged) == set(above["activity_id"]), name
        for activity, value in zip(above["activity_id"], above["spike_pct"], strict=True):
            assert flagged[activity] == round(float(value), 2)
        assert (mine["spike_category"] == "reference").sum() + len(above) == len(
            mine[mine["distance_m"].notna()]
        )


def test_user_data_fills_the_pain_and_shoe_columns(on_cluster) -> None:  # type: ignore[no-untyped-def]
    _result, sessions, _weeks = on_cluster
    sore = sessions[sessions["athlete"] == SORE]
    may = sore[(sore["start_local"] >= "2025-05-02") & (sore["start_local"] < "2025-05-16")]
    assert len(may) and may["in_pain"].all()
    assert set(may["pain_episode_onset"]) == {date(2025, 5, 2)}
    after = sore[(sore["start_local"] >= "2025-05-21") & (sore["start_local"] < "2025-08-31")]
    assert len(after) and not after["in_pain"].any()
    assert set(after["previous_episode_end"]) == {date(2025, 5, 9)}
    others = sessions[sessions["athlete"] != SORE]
    assert others["in_pain"].isna().all() and others["pain_level"].isna().all()
    shod = sessions[(sessions["athlete"] == SHOD) & (sessions["sport"] == "run")]
    expected = shod["surface"].map(lambda s: "Trail pair" if s == "trail" else "Ghost")
    assert (shod["shoe"] == expected).all()
    ghost = shod[shod["shoe"] == "Ghost"]
    assert ghost["shoe_distance_m"].tolist() == pytest.approx(ghost["distance_m"].cumsum().tolist())
    assert sessions[sessions["athlete"] != SHOD]["shoe"].isna().all()


def test_week_table_is_the_weekly_table(generated, on_cluster) -> None:  # type: ignore[no-untyped-def]
    _root, _home, plans = generated
    _result, sessions, weeks = on_cluster
    name = cohortbuild.athlete_name(0)
    mine = weeks[weeks["athlete"] == name]
    runs = [a for a in plans[name] if a.kind[0] == "running"]
    assert mine["runs"].sum() == len(runs)
    assert mine["distance_m"].sum() == pytest.approx(sum(a.distance_m for a in runs))
    assert set(mine["week_start"].map(lambda d: d.weekday())) == {0}
    # each run's week-to-date distance ends at the week's total
    ran = sessions[(sessions["athlete"] == name) & (sessions["sport"] == "run")]
    last = ran.groupby("week_start")["week_to_date_m"].max()
    totals = mine.set_index("week_start")["distance_m"]
    assert last.to_dict() == pytest.approx(totals[last.index].to_dict())
