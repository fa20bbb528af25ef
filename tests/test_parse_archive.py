"""An archive's members as ``parse_source`` reads them: copies read once, crowds refused early."""

from __future__ import annotations

import random
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers.activities import make_activity
from test_reliability_regressions import load_campaign

from loadwatch.ingest import parse
from loadwatch.ingest.dedupe import START_TOLERANCE_S
from loadwatch.ingest.sources import SourceFile

campaign = load_campaign()


def source(path: Path) -> SourceFile:
    stat = path.stat()
    return SourceFile(path, path.name, stat.st_size, stat.st_mtime_ns)


def zipped(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names ``parse_source`` hands to the importers, in order."""
    seen: list[str] = []
    real = parse.parse_bytes

    def counted(data: bytes, ctx: parse.ParseContext) -> parse.ParsedFile:
        seen.append(ctx.source)
        return real(data, ctx)

    monkeypatch.setattr(parse, "parse_bytes", counted)
    return seen


def test_identical_members_are_parsed_once_and_each_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = campaign.gpx_document(24, seed=1)
    names = [f"copy{i}.gpx" for i in range(5)]
    archive = zipped(tmp_path / "copies.zip", [(name, run) for name in names])
    seen = counting_parses(monkeypatch)
    result = parse.parse_source(source(archive), "UTC")
    assert seen == ["copies.zip!copy0.gpx"]
    assert [a.source for a in result.activities] == [f"copies.zip!{n}" for n in names]
    # the copies are the first member's activity in all but the name
    first = result.activities[0]
    assert all(a.replace(source=first.source) == first for a in result.activities)
    assert [leaf.failed for leaf in result.leaves] == [False] * 5


def test_identical_refused_members_each_give_the_reason_under_their_own_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = campaign.gpx_document(0, seed=1)
    archive = zipped(tmp_path / "cut.zip", [("a.gpx", empty), ("b.gpx", empty)])
    seen = counting_parses(monkeypatch)
    result = parse.parse_source(source(archive), "UTC")
    assert len(seen) == 1
    assert [p.source for p in result.problems] == ["cut.zip!a.gpx", "cut.zip!b.gpx"]
    assert result.problems[0].reason == result.problems[1].reason
    assert not result.activities


def test_identical_lists_are_parsed_under_each_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CSV's name and folder decide what it is (Strava's activities.csv links files)."""
    log = b"date,distance_km,duration\n2024-03-02,5,0:30:00\n"
    archive = zipped(tmp_path / "logs.zip", [("a/log.csv", log), ("b/log.csv", log)])
    seen = counting_parses(monkeypatch)
    parse.parse_source(source(archive), "UTC")
    assert seen == ["logs.zip!a/log.csv", "logs.zip!b/log.csv"]


def test_a_crowded_archive_is_refused_before_every_member_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign.zip_of_runs(tmp_path / "crowd.zip", 400, 1)
    seen = counting_parses(monkeypatch)
    result = parse.parse_source(source(tmp_path / "crowd.zip"), "UTC")
    assert not result.activities
    assert "start within 3 minutes of each other" in result.problems[-1].reason
    # the 51st run one second after the first makes the crowd
    assert len(seen) == parse.MAX_STARTS_TOGETHER + 1


def random_starts(rng: random.Random) -> list[datetime]:
    """Starts in a few clusters, some dense enough to be a crowd and some just short."""
    base = datetime(2024, 3, 2, 8, tzinfo=UTC)
    starts: list[datetime] = []
    for _ in range(rng.randint(1, 4)):
        centre = base + timedelta(hours=rng.randint(0, 48))
        width = rng.choice((10.0, START_TOLERANCE_S, 2 * START_TOLERANCE_S, 3600.0))
        for _ in range(rng.randint(1, 2 * parse.MAX_STARTS_TOGETHER)):
            starts.append(centre + timedelta(seconds=rng.uniform(0, width)))
    rng.shuffle(starts)
    return starts


@pytest.mark.parametrize("seed", range(300))
def test_crowd_added_file_by_file_decides_as_the_whole_list(seed: int) -> None:
    rng = random.Random(seed)
    activities = [
        make_activity(start.replace(tzinfo=None)).replace(start_utc=start)
        for start in random_starts(rng)
    ]
    crowd = parse.Crowd()
    found = False
    position = 0
    while position < len(activities) and not found:
        step = rng.randint(1, 20)
        found = crowd.crowded_by(activities[position : position + step])
        position += step
    assert found == (parse._crowded(activities) is not None)


def test_identical_copies_count_once_against_the_archives_activity_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse, "MAX_ACTIVITIES_PER_FILE", 20)
    campaign.zip_of_copies(tmp_path / "copies.zip", 30)
    result = parse.parse_source(source(tmp_path / "copies.zip"), "UTC")
    assert len(result.activities) == 30 and not result.problems
