"""Finding files and opening archives: limits, zip slip, nesting, gzip bombs."""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from pathlib import Path

import pytest

from loadwatch.errors import CorruptFileError, LimitExceededError, SourceError, UsageError
from loadwatch.ingest import sources
from loadwatch.ingest.sources import Leaf, SourceFile, discover, read_leaves


def _source(path: Path, root: Path) -> SourceFile:
    info = path.stat()
    return SourceFile(
        path.resolve(), path.relative_to(root).as_posix(), info.st_size, info.st_mtime_ns
    )


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_discover_skips_hidden_and_unrelated_files(tmp_path: Path) -> None:
    (tmp_path / "a.fit").write_bytes(b"x")
    (tmp_path / "b.GPX").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden.fit").write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.fit").write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.tcx.gz").write_bytes(b"x")
    found, problems = discover([tmp_path])
    assert [f.display for f in found] == ["a.fit", "b.GPX", "sub/d.tcx.gz"]
    assert problems == []


def test_discover_survives_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "run.gpx").write_bytes(b"x")
    os.symlink(tmp_path, tmp_path / "loop")
    found, _ = discover([tmp_path])
    assert [f.display for f in found] == ["run.gpx"]


def test_discover_leaves_out_strava_side_files_but_reads_shoes(tmp_path: Path) -> None:
    for name in ("activities.csv", "shoes.csv", "profile.csv", "bikes.csv"):
        (tmp_path / name).write_text("x")
    found, _ = discover([tmp_path])
    # shoes.csv lists the runner's shoes with brand and model: read with the activities
    assert [f.display for f in found] == ["activities.csv", "shoes.csv"]


def test_discover_reads_only_the_garmin_export_json_it_understands(tmp_path: Path) -> None:
    fitness = tmp_path / "DI_CONNECT" / "DI-Connect-Fitness"
    fitness.mkdir(parents=True)
    for name in (
        "me@example.com_0_summarizedActivities.json",
        "me@example.com_gear.json",
        "me@example.com_personalRecord.json",
        "sleep.json",
    ):
        (fitness / name).write_text("[]")
    found, _ = discover([tmp_path])
    assert [f.display.rsplit("/", 1)[-1] for f in found] == [
        "me@example.com_0_summarizedActivities.json",
        "me@example.com_gear.json",
    ]


def test_discover_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        discover([tmp_path / "nope"])


def test_gzip_member_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "run.gpx.gz"
    path.write_bytes(gzip.compress(b"<gpx/>"))
    leaves = list(read_leaves(_source(path, tmp_path)))
    assert leaves == [Leaf("run.gpx.gz", "run.gpx", b"<gpx/>")]


def test_gzip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.fit.gz"
    path.write_bytes(gzip.compress(b"\0" * (40 * 2**20)))  # ratio ~1000:1
    with pytest.raises(LimitExceededError, match="expands past"):
        list(read_leaves(_source(path, tmp_path)))


def test_truncated_gzip_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "cut.fit.gz"
    path.write_bytes(gzip.compress(b"abc" * 1000)[:-12])
    with pytest.raises(CorruptFileError):
        list(read_leaves(_source(path, tmp_path)))


def test_zip_members_nested_zips_and_macos_noise(tmp_path: Path) -> None:
    inner = _zip({"123_ACTIVITY.fit": b"FIT", "summary.json": b"{}"})
    outer = _zip(
        {
            "DI_CONNECT/Uploaded/UploadedFiles_0-_Part1.zip": inner,
            "__MACOSX/._run.gpx": b"junk",
            "run.gpx.gz": gzip.compress(b"<gpx/>"),
        }
    )
    path = tmp_path / "export.zip"
    path.write_bytes(outer)
    leaves = list(read_leaves(_source(path, tmp_path)))
    assert [(leaf.display, leaf.name, leaf.data) for leaf in leaves if isinstance(leaf, Leaf)] == [
        (
            "export.zip!DI_CONNECT/Uploaded/UploadedFiles_0-_Part1.zip!123_ACTIVITY.fit",
            "123_ACTIVITY.fit",
            b"FIT",
        ),
        ("export.zip!run.gpx.gz", "run.gpx", b"<gpx/>"),
    ]


@pytest.mark.parametrize("name", ["../escape.fit", "/etc/evil.fit", "a/../../b.fit", "C:/x.fit"])
def test_zip_slip_members_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "slip.zip"
    path.write_bytes(_zip({name: b"FIT", "ok.fit": b"FIT"}))
    leaves = list(read_leaves(_source(path, tmp_path)))
    errors = [leaf for leaf in leaves if isinstance(leaf, SourceError)]
    assert [e.reason for e in errors] == ["unsafe member path in archive (refused)"]
    assert [leaf.name for leaf in leaves if isinstance(leaf, Leaf)] == ["ok.fit"]


def test_zip_nested_past_the_depth_limit_is_refused(tmp_path: Path) -> None:
    data = _zip({"deep.fit": b"FIT"})
    for level in range(sources.MAX_ARCHIVE_DEPTH):
        data = _zip({f"level{level}.zip": data})
    path = tmp_path / "deep.zip"
    path.write_bytes(data)
    leaves = list(read_leaves(_source(path, tmp_path)))
    assert len(leaves) == 1 and isinstance(leaves[0], LimitExceededError)
    assert "nested deeper" in leaves[0].reason


def test_zip_bomb_member_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    path.write_bytes(_zip({"huge.gpx": b"\0" * (20 * 2**20), "fine.gpx": b"<gpx/>"}))
    leaves = list(read_leaves(_source(path, tmp_path)))
    assert isinstance(leaves[0], LimitExceededError) and "ratio" in leaves[0].reason
    assert isinstance(leaves[1], Leaf) and leaves[1].name == "fine.gpx"


def test_not_a_zip_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "fake.zip"
    path.write_bytes(b"this is not a zip")
    with pytest.raises(CorruptFileError, match="not a readable zip"):
        list(read_leaves(_source(path, tmp_path)))


def test_every_format_in_the_table_has_its_parser_and_is_discovered(tmp_path: Path) -> None:
    from loadwatch.ingest.importers import parser_for
    from loadwatch.ingest.importers.formats import FORMATS
    from loadwatch.ingest.sources import discover

    for fmt in FORMATS:
        assert callable(parser_for(fmt.name)), fmt.name
        for ending in fmt.endings:
            (tmp_path / f"x{ending}").write_bytes(b"data")
    found = {source.path.name for source in discover([tmp_path])[0]}
    assert found == {f"x{ending}" for fmt in FORMATS for ending in fmt.endings}
