"""Bugs the bad-input campaign found, each pinned by the smallest input that showed it."""

from __future__ import annotations

import gzip
import importlib
import importlib.util
import io
import os
import re
import struct
import sys
import tracemalloc
import zipfile
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest
from helpers.corpus import CORPUS
from helpers.paths import PROJECT

from loadwatch.config import Config
from loadwatch.errors import (
    CorruptFileError,
    LimitExceededError,
    NotAnActivityError,
    SourceError,
)
from loadwatch.ingest import parse as ingest
from loadwatch.ingest import sources
from loadwatch.ingest.importers import ParseContext, fit, fitfast, parse_bytes, xmlsafety
from loadwatch.ingest.importers.xmlsafety import parse_time
from loadwatch.ingest.pipeline import import_folders
from loadwatch.ingest.sources import SourceFile


def load_campaign() -> ModuleType:
    """scripts/reliability_campaign.py, the campaign's case generators and judge."""
    name = "reliability_campaign"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, PROJECT / "scripts" / "reliability_campaign.py"
        )
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while being built
        spec.loader.exec_module(module)
    return sys.modules[name]


campaign = load_campaign()


def ctx(name: str, zone: str = "UTC") -> ParseContext:
    return ParseContext(name, ZoneInfo(zone))


def on_disk(tmp_path: Path, name: str, data: bytes) -> SourceFile:
    path = tmp_path / name
    path.write_bytes(data)
    info = path.stat()
    return SourceFile(path, name, info.st_size, info.st_mtime_ns)


@pytest.mark.parametrize("name", ["run.gpx", "run.tcx"])
def test_an_unknown_declared_xml_encoding_is_a_reason_not_a_lookup_error(name: str) -> None:
    document = campaign.gpx_document(3) if name.endswith("gpx") else campaign.tcx_document(3)
    data = document.replace(b'encoding="UTF-8"', b'encoding="UUF-8"')
    with pytest.raises(CorruptFileError) as caught:
        parse_bytes(data, ctx(name))
    assert caught.value.reason == (
        "declares a text encoding that cannot be read (unknown encoding: UUF-8)"
    )


@pytest.mark.parametrize("text", ["2024-03-02T07:44:55+99:99", "2024-03-02T07:44:55-24:00"])
def test_a_time_offset_of_a_day_or_more_is_an_unreadable_time(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    "text", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00"]
)
def test_years_1_and_9999_are_unreadable_times_rather_than_overflows(text: str) -> None:
    assert parse_time(text) is None
    # before the fix this raised OverflowError in the zone 14 hours ahead of UTC
    data = re.sub(rb"<time>[^<]*</time>", f"<time>{text}</time>".encode(), campaign.gpx_document(3))
    with pytest.raises(SourceError, match="none of its 3 points has a time"):
        parse_bytes(data, ctx("run.gpx", "Pacific/Kiritimati"))


def test_years_2_and_9998_still_read() -> None:
    assert parse_time("0002-01-01T00:00:00Z") is not None
    assert parse_time("9998-12-31T23:59:59Z") is not None


def test_an_unreadable_fit_file_type_is_named_so_by_both_readers() -> None:
    # fitparse__Activity.fit with the file_id 'type' field declared 255 bytes long
    # (campaign case "definition field size"): fitparse decodes it as a 255-tuple,
    # which used to be printed whole inside the reason.
    data = bytearray(campaign.corpus_bytes("fitparse__Activity.fit"))
    layout = campaign.fit_layout(bytes(data))
    file_id = layout.definitions[0]
    assert int.from_bytes(data[file_id + 3 : file_id + 5], "little") == 0  # file_id message
    type_triple = next(t for t in layout.triples if file_id < t and data[t] == 0)
    data[type_triple + 1] = 255
    campaign.fix_crcs(data, layout)
    for reader in (fit.parse, fitfast.parse_summary):
        with pytest.raises(NotAnActivityError) as caught:
            reader(bytes(data), ctx("run.fit"))
        assert caught.value.reason == "not an activity (FIT file type: unreadable)"


def test_a_run_dated_1970_is_skipped_with_its_date(tmp_path: Path) -> None:
    data = campaign.gpx_document(12).replace(b"2024-03-02T", b"1970-01-01T")
    result = ingest.parse_source(on_disk(tmp_path, "epoch.gpx", data), "UTC")
    assert result.activities == []
    [problem] = result.problems
    assert (problem.source, problem.kind) == ("epoch.gpx", "skipped")
    assert problem.reason == (
        "starts on 1970-01-01, before 2000 (earlier than GPS sports watches): a clock never "
        "set or a mistyped date; not counted"
    )


def test_csv_rows_outside_the_years_are_left_out_and_named_by_row(tmp_path: Path) -> None:
    text = (
        "date,distance_km\n1999-12-31,5\n2024-03-02,10\n2100-01-01,7\n0002-03-04,3\n"
        "2000-01-01 00:00+00:00,4\n2099-12-31 23:59:59+00:00,6\n"
    )
    result = ingest.parse_source(on_disk(tmp_path, "log.csv", text.encode()), "UTC")
    assert [a.distance_m for a in result.activities] == [10000.0, 4000.0, 6000.0]
    assert [(p.source, p.kind) for p in result.problems] == [
        ("log.csv#row1", "warning"),
        ("log.csv#row3", "warning"),
        ("log.csv#row4", "warning"),
    ]
    assert "starts on 0002-03-04" in result.problems[2].reason


def test_every_reason_reaches_the_summary_as_one_bounded_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = on_disk(tmp_path, "odd.gpx", b"<gpx/>")

    def refuse(data: bytes, context: ParseContext) -> None:
        raise SourceError("first line\nsecond line\x1b[31m")

    monkeypatch.setattr(ingest, "parse_bytes", refuse)
    [problem] = ingest.parse_source(source, "UTC").problems
    assert problem.reason == "first line second line [31m"

    def crash(data: bytes, context: ParseContext) -> None:
        raise RuntimeError("boom\n" * 500)

    monkeypatch.setattr(ingest, "parse_bytes", crash)
    [problem] = ingest.parse_source(source, "UTC").problems
    assert problem.reason.startswith("could not be read (RuntimeError: boom boom")
    assert problem.reason.endswith("please report this file")
    assert "\n" not in problem.reason and len(problem.reason) < 400


@pytest.mark.parametrize("name", ["run.fit", "run.gpx", "run.tcx"])
def test_a_csv_saved_under_another_formats_name_is_read_as_csv(name: str) -> None:
    data = campaign.csv_documents(3)["log.csv"]
    assert len(parse_bytes(data, ctx(name)).activities) == 3


def test_binary_and_xml_content_still_beat_a_csv_name() -> None:
    assert parse_bytes(campaign.corpus_bytes("fitparse__Activity.fit"), ctx("a.csv")).activities
    assert parse_bytes(campaign.gpx_document(3), ctx("a.csv")).activities


@pytest.mark.parametrize(
    ("raw", "shown_as"),
    [
        ("plain name.gpx", "plain name.gpx"),
        ("new\nline.gpx", "new\\nline.gpx"),
        ("\x1b[31mred.fit", "\\x1b[31mred.fit"),
        (b"bad-\xff\xfe.gpx".decode("utf-8", "surrogateescape"), "bad-\\xff\\xfe.gpx"),
        ("Läufe/Åre 10k.fit", "Läufe/Åre 10k.fit"),
    ],
)
def test_file_names_are_shown_as_one_printable_line(raw: str, shown_as: str) -> None:
    assert sources.shown(raw) == shown_as


def test_names_that_are_not_utf8_import_and_stay_cached(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    odd = os.fsencode(folder) + b"/run-\xff.gpx"
    with open(odd, "wb") as handle:
        handle.write(campaign.gpx_document(6))
    home = tmp_path / "home"
    first = import_folders([folder], config=Config(timezone="UTC"), home=home)
    assert [a.source for a in first.activities] == ["run-\\xff.gpx"]
    second = import_folders([folder], config=Config(timezone="UTC"), home=home)
    assert (second.summary.unchanged, second.summary.parsed) == (1, 0)
    os.remove(odd)
    third = import_folders([folder], config=Config(timezone="UTC"), home=home)
    assert (third.activities, third.summary.removed) == ((), 1)


def test_text_from_files_is_tidied_before_it_is_stored(tmp_path: Path) -> None:
    text = (
        "date,distance_km,name,shoe\n"
        '2024-03-02,5,"\x1b[31mRed\x1b]0;title\x07 run\u202e",' + "Pegasus " * 40 + "\n"
    )
    [run] = ingest.parse_source(on_disk(tmp_path, "log.csv", text.encode()), "UTC").activities
    assert run.name == "[31mRed ]0;title run"
    assert run.shoe is not None and len(run.shoe) == ingest.MAX_TEXT and run.shoe.endswith("…")


def test_tidy_text_keeps_ordinary_text_and_joined_emoji() -> None:
    for text in ("Morning Run", "Läuft 10 km", "5k 👨\u200d👩\u200d👧", "إحماء"):
        assert ingest.tidy_text(text) == text


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def overlapping_zip(copies: int) -> bytes:
    """One 1 MiB member listed ``copies`` times in the central directory (a Fifield bomb)."""
    data = zip_bytes({"m.gpx": b"\0" * (1 << 20)})
    end = data.rfind(b"PK\x05\x06")
    directory_at = struct.unpack("<I", data[end + 16 : end + 20])[0]
    directory = data[directory_at:end]
    return (
        data[:directory_at]
        + directory * copies
        + struct.pack(
            "<4s4H2LH",
            b"PK\x05\x06",
            0,
            0,
            copies,
            copies,
            len(directory) * copies,
            directory_at,
            0,
        )
    )


def test_zip_members_that_overlap_are_refused_at_the_first_repeat(tmp_path: Path) -> None:
    leaves = list(sources.read_leaves(on_disk(tmp_path, "bomb.zip", overlapping_zip(2000))))
    errors = [leaf for leaf in leaves if isinstance(leaf, SourceError)]
    # the first listing is read (and is no GPX); the repeats stop the archive at once
    assert len(leaves) == 2 and len(errors) == 1
    assert errors[0].reason == "members overlap in the archive (zip bomb?); rest refused"


def test_many_small_members_cannot_add_up_to_a_bomb(tmp_path: Path) -> None:
    # 100 members of 1 MiB zeros: each under the per-member ratio rule, 1000:1 together
    data = zip_bytes({f"m{i:03d}.gpx": b"\0" * (1 << 20) for i in range(100)})
    leaves = list(sources.read_leaves(on_disk(tmp_path, "many.zip", data)))
    *read, last = leaves
    assert isinstance(last, SourceError)
    assert last.reason == "archive expands more than 200:1 overall (zip bomb?); rest refused"
    assert len(read) == sources.OVERALL_RATIO_FROM_BYTES // (1 << 20)


def test_a_real_export_stays_well_under_the_overall_ratio() -> None:
    with zipfile.ZipFile(CORPUS / "gc__GarminFR955v18.zip") as archive:
        infos = archive.infolist()
    declared = sum(i.file_size for i in infos)
    compressed = sum(i.compress_size for i in infos)
    assert declared / compressed < sources.MAX_COMPRESSION_RATIO / 10


def tracks_gpx(count: int, apart_s: int) -> bytes:
    """``count`` one-minute tracks starting ``apart_s`` seconds apart."""
    tracks = "".join(
        f"<trk><type>running</type><trkseg>"
        f'<trkpt lat="1" lon="1"><time>{start}</time></trkpt>'
        f'<trkpt lat="1.003" lon="1"><time>{end}</time></trkpt></trkseg></trk>'
        for start, end in (
            (
                f"2024-03-02T07:{i * apart_s // 60 % 60:02d}:{i * apart_s % 60:02d}Z",
                f"2024-03-02T09:{i * apart_s // 60 % 60:02d}:{i * apart_s % 60:02d}Z",
            )
            for i in range(count)
        )
    )
    return f'<gpx version="1.1" creator="t">{tracks}</gpx>'.encode()


def test_a_file_crowding_more_than_50_runs_into_3_minutes_is_refused(tmp_path: Path) -> None:
    # each would be compared with every other when copies are merged: hours for a bomb
    fifty = ingest.parse_source(on_disk(tmp_path, "fifty.gpx", tracks_gpx(50, 3)), "UTC")
    assert len(fifty.activities) == 50 and fifty.problems == []
    crowd = ingest.parse_source(on_disk(tmp_path, "crowd.gpx", tracks_gpx(51, 3)), "UTC")
    assert crowd.activities == []
    assert [p.reason for p in crowd.problems] == [
        "more than 50 of its activities start within 3 minutes of each other; "
        "not a real export (refused)"
    ]
    spread = ingest.parse_source(on_disk(tmp_path, "spread.gpx", tracks_gpx(120, 59)), "UTC")
    assert len(spread.activities) == 120


@pytest.mark.parametrize(
    ("module", "data", "what"),
    [
        ("loadwatch.ingest.importers.gpx", tracks_gpx(6, 600), "tracks"),
        ("loadwatch.ingest.importers.tcx", None, "activities"),
        (
            "loadwatch.ingest.importers.csv_cells",
            b"date,distance_km\n" + b"2024-03-02,5\n" * 6,
            "rows",
        ),
    ],
)
def test_files_with_too_many_activities_are_refused_while_read(
    module: str, data: bytes | None, what: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importlib.import_module(module), "MAX_ACTIVITIES_PER_FILE", 5)
    if data is None:
        one = campaign.tcx_document(2).split(b"<Activities>")[1].split(b"</Activities>")[0]
        data = campaign.tcx_document(2).replace(one, one * 6)
    name = {"tracks": "a.gpx", "activities": "a.tcx", "rows": "a.csv"}[what]
    with pytest.raises(LimitExceededError) as caught:
        parse_bytes(data, ctx(name))
    assert caught.value.reason == f"more than 5 {what}; not a real export (refused)"


def test_an_archive_expanding_past_the_total_limit_stops_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 4 GB of real members would take minutes to build; the rule is the same at 3 MiB
    monkeypatch.setattr(sources, "MAX_ARCHIVE_TOTAL_BYTES", 3 * 2**20)
    members = {f"m{i}.gpx": os.urandom(2**20) for i in range(5)}
    leaves = list(sources.read_leaves(on_disk(tmp_path, "big.zip", zip_bytes(members))))
    assert [type(leaf).__name__ for leaf in leaves] == [
        "Leaf",
        "Leaf",
        "Leaf",
        "LimitExceededError",
    ]
    assert leaves[-1].reason == "archive expands past 3 MB; rest refused"
    assert sources._size(4 * 2**30) == "4 GB"


@pytest.mark.parametrize("cell", ["4¹:30:00", "²:00", "1:⁵0:00"])
def test_superscript_digits_in_a_duration_are_a_row_reason(cell: str) -> None:
    # str.isdigit() accepts superscripts that int() refuses (found by the long campaign)
    data = f"date,distance_km,duration\n2024-03-02,5,{cell}\n2024-03-03,6,0:30:00\n".encode()
    parsed = parse_bytes(data, ctx("log.csv"))
    assert [a.distance_m for a in parsed.activities] == [6000.0]
    assert parsed.warnings[0].startswith("row 1: duration")


def test_decimal_digits_of_other_scripts_still_read_as_durations() -> None:
    data = "date,distance_km,duration\n2024-03-02,5,٠:٣٠:٠٠\n".encode()
    [run] = parse_bytes(data, ctx("log.csv")).activities
    assert run.duration_s == 1800.0


# -- second campaign ---------------------------------------------------------------


@pytest.mark.parametrize(
    "cell", ["9" * 400 + ":00:00", "9" * 5000 + ":00", "1:" + "9" * 30 + ":00"]
)
def test_a_duration_of_hundreds_of_digits_is_a_row_reason_not_an_overflow(cell: str) -> None:
    # hours * 3600.0 overflowed ("int too large to convert to float"); 5,000 digits
    # are past int()'s own limit
    data = f"date,distance_km,duration\n2024-03-02,5,{cell}\n2024-03-03,6,0:30:00\n".encode()
    parsed = parse_bytes(data, ctx("log.csv"))
    assert [a.distance_m for a in parsed.activities] == [6000.0]
    assert parsed.warnings[0].startswith("row 1: duration")
    assert parsed.warnings[0].endswith("is out of range; row skipped")


@pytest.mark.parametrize("fmt", ["gpx", "tcx"])
@pytest.mark.parametrize("tail", [b"\xe2\x82", b"\xc3", b"\xf0\x9f\x8f"])
def test_a_document_cut_inside_a_utf8_character_is_a_reason(fmt: str, tail: bytes) -> None:
    # the decoder's error offset pointed past the end: IndexError, "please report"
    document = campaign.gpx_document(3) if fmt == "gpx" else campaign.tcx_document(3)
    data = document + b"<!-- caf" + tail
    with pytest.raises(CorruptFileError) as caught:
        parse_bytes(data, ctx(f"run.{fmt}"))
    assert caught.value.reason.startswith(
        f"not valid UTF-8 text (ends in the middle of a character at offset {len(data) - len(tail)}"
    )


@pytest.mark.parametrize("fmt", ["gpx", "tcx"])
@pytest.mark.parametrize("codec", ["utf-16-be", "utf-16-le", "utf-16"])
@pytest.mark.parametrize("name", ["run.xml", "run"])
def test_utf16_xml_is_known_by_its_content_with_or_without_a_bom(
    fmt: str, codec: str, name: str
) -> None:
    document = (campaign.gpx_document(3) if fmt == "gpx" else campaign.tcx_document(3)).decode()
    data = document.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode(codec)
    assert len(parse_bytes(data, ctx(name)).activities) == 1


@pytest.mark.parametrize(
    ("message", "count", "what"), [(18, 1001, "1,000 sessions"), (19, 20_001, "20,000 laps")]
)
def test_sessions_and_laps_are_counted_while_collected_by_both_fit_readers(
    message: int, count: int, what: str
) -> None:
    # a million sessions reached 1.36 GB before the count was looked at
    data = campaign.fit_summary_bomb(count, message)
    damaged = bytearray(data)
    damaged[-1] ^= 0xFF  # a CRC mismatch: the fast path declines, fitparse decodes
    for parse, given in ((fitfast.parse, data), (fit.parse, bytes(damaged))):
        with pytest.raises(LimitExceededError) as caught:
            parse(given, ctx("bomb.fit"))
        assert caught.value.reason == f"more than {what}; not a real export (refused)"
    # one fewer is read, and both readers agree on it
    fewer = campaign.fit_summary_bomb(count - 1, message)
    assert fitfast.parse(fewer, ctx("ok.fit")) == fit.parse(fewer, ctx("ok.fit"))


def test_a_file_of_empty_chained_fit_files_is_refused_by_both_readers() -> None:
    # 32 MB of them took 35 s
    data = campaign.chained_empty_fit(0.01)
    assert len(data) // 16 > fit.MAX_CHAINED
    for parse in (fitfast.parse, fit.parse):
        with pytest.raises(LimitExceededError, match="more than 100 FIT files chained"):
            parse(data, ctx("chained.fit"))
    few = campaign.fit_file(b"") * fit.MAX_CHAINED
    with pytest.raises(NotAnActivityError):
        fitfast.parse_summary(few, ctx("few.fit"))


def test_a_track_name_of_megabytes_is_cut_while_parsing(tmp_path: Path) -> None:
    campaign.gpx_with_long_name(tmp_path / "name.gpx", 2)
    [run] = parse_bytes((tmp_path / "name.gpx").read_bytes(), ctx("name.gpx")).activities
    assert run.name is not None and run.name.startswith("Very long name Very long name")
    assert len(run.name) == xmlsafety.MAX_CAPTURED + 1 and run.name.endswith("…")
    assert run.distance_m and run.distance_m > 0


def test_a_number_cut_while_parsing_is_no_longer_a_number() -> None:
    digits = "1." + "0" * xmlsafety.MAX_CAPTURED + "x"
    data = campaign.gpx_document(3).replace(b"<ele>", f"<ele>{digits}".encode(), 1)
    # the cut text ends in "…", which float() refuses: the point's elevation is unread
    assert xmlsafety.parse_number("1." + "0" * 10 + "…") is None
    [run] = parse_bytes(data, ctx("run.gpx")).activities
    assert run.distance_m and run.distance_m > 0


def test_a_csv_whose_first_line_is_megabytes_long_is_refused_before_decoding(
    tmp_path: Path,
) -> None:
    campaign.one_line_csv(tmp_path / "log.csv", 3)
    with pytest.raises(CorruptFileError, match="its first line is longer than 1 MB"):
        parse_bytes((tmp_path / "log.csv").read_bytes(), ctx("log.csv"))


def test_a_csv_larger_than_its_limit_is_refused_by_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_CSV_BYTES", 2**20)
    rows = "".join(
        f"2024-03-02,{i % 97}.{i % 89},0:{i % 60:02d}:{i % 59:02d}\n" for i in range(60_000)
    )
    data = b"date,distance_km,duration\n" + rows.encode()
    for name, stored in (("log.csv", data), ("log.csv.gz", gzip.compress(data))):
        with pytest.raises(LimitExceededError, match="the limit is 1 MB for a CSV"):
            list(sources.read_leaves(on_disk(tmp_path, name, stored)))


def test_a_gzip_bomb_is_refused_having_expanded_only_a_slice(tmp_path: Path) -> None:
    campaign.gzip_bomb(tmp_path / "bomb.gpx.gz", 0.3)
    source = on_disk(tmp_path, "bomb.gpx.gz", (tmp_path / "bomb.gpx.gz").read_bytes())
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceededError, match="gzip data expands past"):
            list(sources.read_leaves(source))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the file (0.3 MB) and one slice; the whole expansion would be 60 MB
    assert peak < 8 * 2**20, f"{peak / 2**20:.0f} MB"


def test_a_nested_zip_is_read_from_a_copy_never_by_seeking_its_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a reversed central directory made every member seek back in the inner zip's
    # compressed stream, each seek decompressing it again from the start (572 s)
    campaign.nested_reversed_zip(tmp_path / "nested.zip", 40)

    def no_seeking(*_args: object) -> int:
        raise AssertionError("the inner zip was read by seeking its compressed stream")

    monkeypatch.setattr(zipfile.ZipExtFile, "seek", no_seeking)
    source = on_disk(tmp_path, "nested.zip", (tmp_path / "nested.zip").read_bytes())
    leaves = list(sources.read_leaves(source))
    assert len(leaves) == 40 and all(isinstance(leaf, sources.Leaf) for leaf in leaves)
    # the central directory's order (last member first) is kept
    assert leaves[0].display == "nested.zip!inner.zip!run00039.gpx"


def test_an_archive_of_more_export_files_than_the_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_MEMBERS", 10)
    campaign.zip_of_runs(tmp_path / "many.zip", 11, 86400)
    source = on_disk(tmp_path, "many.zip", (tmp_path / "many.zip").read_bytes())
    [refusal] = sources.read_leaves(source)
    assert isinstance(refusal, LimitExceededError)
    assert refusal.reason == "holds 11 export files, more than 10; not a real export (refused)"
    monkeypatch.setattr(sources, "MAX_ARCHIVE_ENTRIES", 5)
    with pytest.raises(LimitExceededError, match="archive lists 11 files, more than 5"):
        list(sources.read_leaves(source))


def test_an_archive_is_judged_as_a_whole_for_crowding_and_activity_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 60 members, each one run and so within the per-file limits, one second apart
    campaign.zip_of_runs(tmp_path / "crowd.zip", 60, 1)
    crowd = ingest.parse_source(
        on_disk(tmp_path, "crowd.zip", (tmp_path / "crowd.zip").read_bytes()), "UTC"
    )
    assert crowd.activities == []
    assert [p.reason for p in crowd.problems] == [
        "more than 50 of its activities start within 3 minutes of each other; not a real "
        "export (refused)"
    ]
    # 60 identical copies are one file (``copies``), not a crowd
    campaign.zip_of_copies(tmp_path / "copies.zip", 60)
    copies = ingest.parse_source(
        on_disk(tmp_path, "copies.zip", (tmp_path / "copies.zip").read_bytes()), "UTC"
    )
    assert len(copies.activities) == 60 and not copies.problems
    # and an archive stops at its activity limit as it is read
    monkeypatch.setattr(ingest, "MAX_ACTIVITIES_PER_FILE", 20)
    campaign.zip_of_runs(tmp_path / "year.zip", 30, 86400)
    year = ingest.parse_source(
        on_disk(tmp_path, "year.zip", (tmp_path / "year.zip").read_bytes()), "UTC"
    )
    assert year.problems[-1].reason == (
        "more than 20 activities in one archive; not a real export (refused)"
    )
    assert len(year.leaves) == 21 and year.activities == []


@pytest.mark.parametrize(
    "error", [OverflowError("int too large to convert to float"), IndexError("index out of range")]
)
def test_an_overflow_or_index_error_an_importer_missed_is_the_files_reason(
    error: Exception, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loadwatch.ingest.importers import tcx

    def broken(data: bytes, context: ParseContext) -> object:
        raise error

    monkeypatch.setattr(tcx, "parse", broken)
    data = campaign.tcx_document(3)
    with pytest.raises(CorruptFileError, match="^damaged TCX file: "):
        parse_bytes(data, ctx("run.tcx"))
    # the campaign reads without the net, so it still sees (and fails) such a case
    with pytest.raises(type(error)):
        campaign.parse_bytes(data, ctx("run.tcx"))


def test_a_log_whose_shoe_and_name_columns_ran_together_is_still_a_log() -> None:
    # long campaign case #17103: a flipped bit turned the comma of "shoe,name" into a
    # form feed, and the header's "shoe name" made the log look like Strava's shoes.csv,
    # so eight runs became eight pairs and the file gave no activity and no reason
    log = campaign.csv_documents(8, seed=3)["log.csv"]
    header, rows = log.split(b"\n", 1)
    assert b",shoe,name," in header
    flipped = header.replace(b",shoe,name,", b",shoe\x0cname,") + b"\n" + rows
    with pytest.raises(CorruptFileError) as refused:
        parse_bytes(flipped, ctx("log.csv"))
    # the rows now hold one cell more than the header: the manual log says where
    assert refused.value.reason.startswith("none of its 8 rows could be read (row 1: ")


def test_a_shoe_list_is_still_read_as_one() -> None:
    shoes = b"Shoe Name,Shoe Brand,Shoe Model,Shoe Default Sport Types\nDaily,Nike,Pegasus 40,Run\n"
    parsed = parse_bytes(shoes, ctx("shoes.csv"))
    assert (parsed.activities, [g.name for g in parsed.gear]) == ([], ["Daily"])
