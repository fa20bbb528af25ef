"""Hostile folders through ``loadwatch import``: every odd file gets one line, the rest import.

Each case puts one odd thing (a mislabelled, empty, unreadable, looping, oversized
or hostile file or archive, a CSV as Excel or a European locale writes it) beside
three good exports and runs the real command. It must exit 0, import the good
files (and whatever the odd thing holds that is readable), print exactly one
``skipped <file>: <reason>`` line per refused file, never write outside the data
folder, and exit 1 under ``--strict`` when anything was noted.
"""

from __future__ import annotations

import codecs
import ctypes
import gzip
import io
import os
import re
import stat
import struct
import subprocess
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers.corpus import CORPUS
from test_reliability_regressions import load_campaign, overlapping_zip, tracks_gpx, zip_bytes
from typer.testing import CliRunner

from loadwatch.cli import app
from loadwatch.ingest import importers, sources
from loadwatch.ingest import parse as ingest_parse

campaign = load_campaign()
SUMMARY = re.compile(r"^(\d+) files: (\d+) new, (\d+) updated, (\d+) unchanged, (\d+) skipped$")
SKIPPED = re.compile(r"^  skipped (.+?): (.+)$")
TOTAL = re.compile(r"^(\d+) activities, (\d+) runs\.$")
#: the good files beside each odd thing: two GPX runs and a real FIT file
BASE_ACTIVITIES = 3


@dataclass(frozen=True)
class Expect:
    """What the import must report for one odd thing."""

    #: (file as shown, part of its reason) for each line the summary must print
    skipped: tuple[tuple[str, str], ...] = ()
    #: activities the odd thing adds to the good files' three
    extra: int = 0
    #: whether something is noted without being skipped (a warning), for --strict
    warns: bool = False
    #: the command must run as a real process whose privileges allow chmod to bite
    unprivileged: bool = False


@dataclass
class Outcome:
    code: int
    files: int
    skipped: list[tuple[str, str]] = field(default_factory=list)
    activities: int = 0
    lines: list[str] = field(default_factory=list)


def gpx_run(day: int) -> bytes:
    return campaign.gpx_document(12, seed=day, start=datetime(2024, 5, day, 7, 0, tzinfo=UTC))


def tcx_run(day: int) -> bytes:
    return campaign.tcx_document(12, seed=day, start=datetime(2024, 5, day, 7, 0, tzinfo=UTC))


def log_csv(rows: int) -> str:
    return "date,distance_km,duration\n" + "".join(
        f"2024-06-{d + 1:02d},{5 + d},0:{30 + d}:00\n" for d in range(rows)
    )


def good_exports(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "tempo.gpx").write_bytes(gpx_run(1))
    (folder / "long.gpx").write_bytes(gpx_run(2))
    (folder / "watch.fit").symlink_to(CORPUS / "fitparse__garmin-fenix-5-run.fit")
    (folder / "loadwatch.toml").write_text('timezone = "UTC"\n')


# ------------------------------------------------------------------ the odd things


def wrong_names(folder: Path) -> Expect:
    (folder / "track.fit").write_bytes(gpx_run(10))
    (folder / "watch-copy.gpx").symlink_to(CORPUS / "fitparse__Activity.fit")
    (folder / "log.tcx").write_text(log_csv(2))
    (folder / "laps.csv").write_bytes(tcx_run(11))
    (folder / "noext").write_bytes(gpx_run(12))  # no suffix: not an export, not read
    return Expect(extra=5)


def empty_files(folder: Path) -> Expect:
    for name in ("empty.fit", "empty.gpx", "empty.tcx"):
        (folder / name).write_bytes(b"")
    (folder / "empty.csv").write_bytes(b"")
    (folder / "blank.gpx").write_bytes(b" \n\t\r\n")
    (folder / "bom.tcx").write_bytes(codecs.BOM_UTF8)
    return Expect(
        skipped=(
            ("blank.gpx", "empty file"),
            ("bom.tcx", "not well-formed XML"),
            ("empty.csv", "empty CSV file"),
            ("empty.fit", "empty file"),
            ("empty.gpx", "empty file"),
            ("empty.tcx", "empty file"),
        )
    )


def folders_named_like_files(folder: Path) -> Expect:
    (folder / "run.fit").mkdir()
    (folder / "week.gpx").mkdir()
    (folder / "week.gpx" / "monday.gpx").write_bytes(gpx_run(13))
    return Expect(extra=1)


def symlink_loops(folder: Path) -> Expect:
    (folder / "a.fit").symlink_to("b.fit")
    (folder / "b.fit").symlink_to("a.fit")
    (folder / "self.gpx").symlink_to("self.gpx")
    (folder / "gone.tcx").symlink_to("nowhere.tcx")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..", target_is_directory=True)
    (folder / "sub" / "again").symlink_to(folder, target_is_directory=True)
    return Expect(
        skipped=(
            ("a.fit", "Too many levels of symbolic links"),
            ("b.fit", "Too many levels of symbolic links"),
            ("gone.tcx", "No such file or directory"),
            ("self.gpx", "Too many levels of symbolic links"),
        )
    )


def special_files(folder: Path) -> Expect:
    os.mkfifo(folder / "pipe.gpx")  # opening it would block for ever
    return Expect(skipped=(("pipe.gpx", "not a regular file"),))


def odd_names(folder: Path) -> Expect:
    base = os.fsencode(folder)
    for name in (b"new\nline.gpx", b"\x1b[31mred\x1b[0m.fit", b"latin-\xe9t\xe9.tcx"):
        with open(base + b"/" + name, "wb"):
            pass
    with open(base + b"/caf\xe9 run.gpx", "wb") as handle:
        handle.write(gpx_run(14))
    return Expect(
        skipped=(
            ("\\x1b[31mred\\x1b[0m.fit", "empty file"),
            ("latin-\\xe9t\\xe9.tcx", "empty file"),
            ("new\\nline.gpx", "empty file"),
        ),
        extra=1,
    )


def oversized(folder: Path) -> Expect:
    with open(folder / "huge.gpx", "wb") as handle:
        handle.truncate(sources.MAX_FILE_BYTES + 2**20)  # sparse: costs no disk
    return Expect(skipped=(("huge.gpx", "file is 257 MB; the limit is 256 MB"),))


def unreadable_file(folder: Path) -> Expect:
    (folder / "private.gpx").write_bytes(gpx_run(15))
    (folder / "private.gpx").chmod(0)
    return Expect(skipped=(("private.gpx", "cannot read: Permission denied"),), unprivileged=True)


def unreadable_folder(folder: Path) -> Expect:
    (folder / "locked").mkdir()
    (folder / "locked" / "inside.gpx").write_bytes(gpx_run(16))
    (folder / "locked").chmod(0)
    return Expect(skipped=(("locked", "cannot read folder: Permission denied"),), unprivileged=True)


def implausible_dates(folder: Path) -> Expect:
    epoch = campaign.gpx_document(12, start=datetime(1970, 1, 1, tzinfo=UTC))
    (folder / "epoch.gpx").write_bytes(epoch)
    future = campaign.tcx_document(12, start=datetime(2100, 1, 1, 8, tzinfo=UTC))
    (folder / "future.tcx").write_bytes(future)
    return Expect(
        skipped=(
            ("epoch.gpx", "starts on 1970-01-01, before 2000"),
            ("future.tcx", "starts on 2100-01-01: a damaged date"),
        )
    )


def hostile_xml(folder: Path) -> Expect:
    (folder / "laughs.gpx").write_bytes(campaign.HOSTILE_XML["billion laughs"])
    (folder / "secret.tcx").write_bytes(campaign.HOSTILE_XML["external entity (file)"])
    # a DOCTYPE naming an external DTD declares nothing: read, and the DTD never fetched
    (folder / "dtd.tcx").write_bytes(campaign.HOSTILE_XML["external DTD"])
    return Expect(
        skipped=(
            ("laughs.gpx", "XML entity declarations are not allowed"),
            ("secret.tcx", "XML entity declarations are not allowed"),
        ),
        extra=1,
    )


def activity_bombs(folder: Path) -> Expect:
    (folder / "crowd.gpx").write_bytes(tracks_gpx(60, 2))
    tracks = tracks_gpx(1, 0).split(b"<trk>")[1].split(b"</trk>")[0]
    many = (
        b'<gpx version="1.1">'
        + b"<trk>"
        + (b"</trk><trk>".join([tracks] * 50_001))
        + (b"</trk></gpx>")
    )
    (folder / "many.gpx").write_bytes(many)
    return Expect(
        skipped=(
            ("crowd.gpx", "more than 50 of its activities start within 3 minutes"),
            ("many.gpx", "more than 50,000 tracks; not a real export"),
        )
    )


def gzip_files(folder: Path) -> Expect:
    (folder / "bomb.gpx.gz").write_bytes(gzip.compress(b" " * (40 * 2**20)))
    (folder / "cut.tcx.gz").write_bytes(gzip.compress(tcx_run(17))[:-40])
    (folder / "fine.gpx.gz").write_bytes(gzip.compress(gpx_run(18)))
    (folder / "nested.zip.gz").write_bytes(gzip.compress(zip_bytes({"a.gpx": gpx_run(19)})))
    (folder / "fake.fit.gz").write_bytes(b"not gzip at all")
    return Expect(
        skipped=(
            ("bomb.gpx.gz", "expands past"),
            ("cut.tcx.gz", "gzip data"),
            ("fake.fit.gz", "damaged gzip data"),
            ("nested.zip.gz", "a gzipped zip archive is not supported"),
        ),
        extra=1,
    )


def zip_bombs(folder: Path) -> Expect:
    (folder / "ratio.zip").write_bytes(
        zip_bytes({"huge.gpx": b" " * (20 * 2**20), "fine.gpx": gpx_run(20)})
    )
    # 1 MiB members pass one by one; the archive as a whole stops after 64 of them,
    # each of which (blank) gets its own line
    (folder / "many.zip").write_bytes(zip_bytes({f"m{i:03d}.gpx": b" " * 2**20 for i in range(80)}))
    (folder / "overlap.zip").write_bytes(overlapping_zip(500))
    limit = sources.OVERALL_RATIO_FROM_BYTES // 2**20
    return Expect(
        skipped=(
            *((f"many.zip!m{i:03d}.gpx", "empty file") for i in range(limit)),
            (f"many.zip!m{limit:03d}.gpx", "archive expands more than 200:1 overall"),
            ("overlap.zip!m.gpx", "not well-formed XML"),
            ("overlap.zip!m.gpx (2)", "members overlap in the archive"),
            ("ratio.zip!huge.gpx", "compression ratio"),
        ),
        extra=1,
    )


def zip_slip(folder: Path) -> Expect:
    members = {
        "../../escape.gpx": gpx_run(21),
        "/etc/evil.fit": b"x",
        "C:/Windows/evil.tcx": b"x",
        "..\\..\\evil.gpx": b"x",
        "ok/good.gpx": gpx_run(22),
    }
    (folder / "slip.zip").write_bytes(zip_bytes(members))
    unsafe = "unsafe member path in archive (refused)"
    return Expect(
        skipped=(
            ("slip.zip!../../escape.gpx", unsafe),
            ("slip.zip!/etc/evil.fit", unsafe),
            ("slip.zip!C:/Windows/evil.tcx", unsafe),
            ("slip.zip!..\\..\\evil.gpx", unsafe),
        ),
        extra=1,
    )


def deep_and_damaged_zips(folder: Path) -> Expect:
    data = zip_bytes({"deep.gpx": gpx_run(23)})
    for level in range(sources.MAX_ARCHIVE_DEPTH):
        data = zip_bytes({f"level{level}.zip": data})
    (folder / "deep.zip").write_bytes(data)
    (folder / "garmin.zip").write_bytes(  # Garmin nests one level: that is fine
        zip_bytes({"DI_CONNECT/part1.zip": zip_bytes({"a.tcx": tcx_run(24)})})
    )
    (folder / "fake.zip").write_bytes(b"PK\x03\x04 this is no archive")
    (folder / "liar.zip").write_bytes(lying_size_zip())
    (folder / "locked.zip").write_bytes(encrypted_flag_zip())
    return Expect(
        skipped=(
            ("deep.zip!level2.zip!level1.zip!level0.zip", "nested deeper than 3 levels"),
            ("fake.zip", "not a readable zip archive"),
            ("liar.zip!run.gpx", "damaged archive member (Bad CRC-32"),
            ("locked.zip!run.gpx", "encrypted archive member"),
        ),
        extra=1,
    )


def lying_size_zip() -> bytes:
    """A stored member whose directory entry declares fewer bytes than it holds."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("run.gpx", gpx_run(25))
    data = bytearray(buffer.getvalue())
    entry = data.rfind(b"PK\x01\x02")
    data[entry + 24 : entry + 28] = struct.pack("<I", 100)  # uncompressed size
    return bytes(data)


def encrypted_flag_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("run.gpx", gpx_run(26))
    data = bytearray(buffer.getvalue())
    for marker, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(marker)
        data[at + flag_at] |= 1  # "encrypted"
    return bytes(data)


def excel_and_locale_csvs(folder: Path) -> Expect:
    rows = [
        ["Aktivitätstyp", "Datum", "Titel", "Distanz", "Zeit"],
        ["Laufen", "03.07.2024 07:10", "Lauf", "10,5", "00:55:00"],
        ["Laufen", "05.07.2024 07:10", "Lauf", "8,25", "00:44:00"],
    ]
    text = "\r\n".join("\t".join(r) for r in rows) + "\r\n"
    (folder / "Activities-utf16.csv").write_bytes(text.encode("utf-16"))
    # the same runs a month later, as a German Excel saves them (copies would merge)
    later = text.replace("\t", ";").replace(".07.2024", ".08.2024")
    (folder / "semicolons.csv").write_bytes(later.encode("cp1252"))
    (folder / "bom.csv").write_bytes(log_csv(2).encode("utf-8-sig"))
    (folder / "sep-hint.csv").write_text("sep=;\ndate;distance_km\n2024-07-09;7,5\n")
    # without stride lengths Garmin's unit is assumed (km), which is noted
    return Expect(extra=7, warns=True)


def broken_csvs(folder: Path) -> Expect:
    (folder / "no-distance.csv").write_text("date,duration\n2024-07-01,0:30:00\n")
    (folder / "words.csv").write_text(
        "date,distance_km\n2024-07-02,five\n2024-07-03,6\n2024-07-04,1e999\n"
    )
    (folder / "all-bad.csv").write_text("date,distance_km\nsoon,5\nlater,6\n")
    return Expect(
        skipped=(
            ("all-bad.csv", "none of its 2 rows could be read"),
            ("no-distance.csv", "CSV columns not recognised"),
        ),
        extra=1,
        warns=True,
    )


ODD_THINGS: dict[str, Callable[[Path], Expect]] = {
    "wrong extensions (GPX as .fit, FIT as .gpx, CSV as .tcx, TCX as .csv)": wrong_names,
    "empty and blank files": empty_files,
    "folders named like files": folders_named_like_files,
    "symlink loops and dangling links": symlink_loops,
    "a named pipe (FIFO) named like a GPX": special_files,
    "names with newlines, escape sequences, non-UTF-8 bytes": odd_names,
    "a file over the size limit": oversized,
    "an unreadable file (chmod 000)": unreadable_file,
    "an unreadable folder (chmod 000)": unreadable_folder,
    "runs dated 1970 and 2100": implausible_dates,
    "XML entity bomb, external entity, external DTD": hostile_xml,
    "activity bombs (60 runs in 3 minutes, 50,001 tracks in one GPX)": activity_bombs,
    "gzip bomb, truncated gzip, gzipped zip, fake gzip": gzip_files,
    "zip bombs (member ratio, overall ratio, overlapping members)": zip_bombs,
    "zip slip (../, absolute, drive letter, backslashes)": zip_slip,
    "zips nested too deep, fake, lying about sizes, encrypted": deep_and_damaged_zips,
    "CSVs from Excel and European locales (UTF-16, BOM, ;, decimal commas, sep=)": (
        excel_and_locale_csvs
    ),
    "CSVs with missing columns and text in number columns": broken_csvs,
}


# ------------------------------------------------------------------ running the command


def _drop_file_privileges() -> None:
    # Root reads any file whatever its mode; without these two capabilities it cannot.
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def modes_can_block_reads(tmp_path: Path) -> bool:
    """Whether a chmod 000 file is unreadable to the real command here (not as root)."""
    probe = tmp_path / "probe"
    probe.parent.mkdir(parents=True, exist_ok=True)
    probe.write_text("x")
    probe.chmod(0)
    try:
        done = subprocess.run(
            [sys.executable, "-c", f"open({str(probe)!r}).read()"],
            preexec_fn=_drop_file_privileges if os.geteuid() == 0 else None,
            capture_output=True,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        probe.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return done.returncode != 0


def run(folder: Path, home: Path, *extra: str, real_process: bool = False) -> Outcome:
    args = ["--data-dir", str(home), "import", str(folder), *extra]
    if real_process:
        done = subprocess.run(
            [sys.executable, "-m", "loadwatch", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            preexec_fn=_drop_file_privileges if os.geteuid() == 0 else None,
        )
        code, output = done.returncode, done.stdout + done.stderr
    else:
        result = CliRunner().invoke(app, args)
        code, output = result.exit_code, result.output
    outcome = Outcome(code, -1, lines=output.splitlines())
    for line in outcome.lines:
        if match := SUMMARY.match(line):
            outcome.files = int(match[1])
        elif match := SKIPPED.match(line):
            outcome.skipped.append((match[1], match[2]))
        elif match := TOTAL.match(line):
            outcome.activities = int(match[1])
    return outcome


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize("label", list(ODD_THINGS))
def test_each_odd_thing_gets_one_line_and_the_good_files_import(label: str, tmp_path: Path) -> None:
    folder, home = tmp_path / "exports", tmp_path / "home"
    good_exports(folder)
    expect = ODD_THINGS[label](folder)
    blocked = expect.unprivileged and modes_can_block_reads(tmp_path / "home-probe")
    if expect.unprivileged and not blocked:
        # root without the means to drop its privileges reads the file: say so honestly
        expect = Expect(extra=1)
    on_disk = disk_bytes(folder)
    parsed: Counter[str] = Counter()
    parsed_bytes = 0
    parse_bytes = ingest_parse.parse_bytes

    def counting(data: bytes, ctx: importers.ParseContext) -> Any:
        nonlocal parsed_bytes
        parsed[ctx.source] += 1
        parsed_bytes += len(data)
        return parse_bytes(data, ctx)

    try:
        with pytest.MonkeyPatch.context() as patch:
            # the folder holds fewer files than the pipeline parses in parallel, so
            # every file is parsed here, in this process, and counted
            patch.setattr(ingest_parse, "parse_bytes", counting)
            started = time.perf_counter()
            outcome = run(folder, home, real_process=blocked)
            spent = time.perf_counter() - started  # for RELIABILITY.md, not a bound
        strict = run(folder, home, "--strict", real_process=blocked)
    finally:
        restore_modes(folder)
    shown = "\n".join(outcome.lines)
    assert outcome.code == 0, shown
    assert outcome.activities == BASE_ACTIVITIES + expect.extra, shown
    found = sorted(outcome.skipped)
    assert len(found) == len(expect.skipped), shown
    for (name, reason), (want_name, want_reason) in zip(found, sorted(expect.skipped), strict=True):
        assert name == want_name and want_reason in reason, shown
    assert all(line.isprintable() for line in outcome.lines), shown
    # the work is bounded by the files, not by what they claim: no file is parsed
    # twice, and what reaches the parsers is what archives may expand to at most
    assert not parsed or max(parsed.values()) == 1, parsed.most_common(3)
    assert bool(parsed) == (not blocked)  # a real process is not counted here
    bound = sources.MAX_COMPRESSION_RATIO * on_disk + sources.OVERALL_RATIO_FROM_BYTES
    assert parsed_bytes <= bound, f"{parsed_bytes:,} bytes parsed from {on_disk:,} on disk"
    noted = bool(expect.skipped) or expect.warns
    assert strict.code == (1 if noted else 0), "\n".join(strict.lines)
    campaign.record(
        campaign.Figure(
            f"`loadwatch import` beside good files: {label}",
            max(1, len(expect.skipped)) if noted else 1,
            (
                "as root without the means to drop privileges the file was readable and imported; "
                if expect.unprivileged and not blocked
                else "run as root with the file-permission capabilities dropped, "
                "so the mode bites; "
                if expect.unprivileged and os.geteuid() == 0
                else ""
            )
            + f"exit 0, the good files imported, {len(expect.skipped)} one-line skip reasons, "
            f"+{expect.extra} activities from the odd things, `--strict` exit "
            f"{1 if noted else 0}",
            0,
            spent,
        )
    )


def disk_bytes(folder: Path) -> int:
    """The bytes of the regular files under ``folder`` (links followed, loops not)."""
    total = 0
    for path in {p.resolve() for p in folder.rglob("*") if not p.is_symlink() or p.exists()}:
        try:
            if stat.S_ISREG(path.stat().st_mode):
                total += path.stat().st_size
        except OSError:
            continue  # unreadable or gone: nothing read from it either
    return total


def restore_modes(folder: Path) -> None:
    # pytest must be able to delete what the test made unreadable
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(stat.S_IRWXU)


def test_nothing_is_ever_written_into_the_export_folders(tmp_path: Path) -> None:
    folder, home = tmp_path / "exports", tmp_path / "home"
    good_exports(folder)
    zip_slip(folder)
    gzip_files(folder)
    before = {p: p.lstat().st_mtime_ns for p in tmp_path.rglob("*")}
    assert run(folder, home).code == 0
    after = {p: p.lstat().st_mtime_ns for p in tmp_path.rglob("*")}
    changed = {p for p in after if before.get(p) != after[p]}
    assert changed and all(p == home or home in p.parents for p in changed), changed
    assert not (tmp_path / "escape.gpx").exists() and not Path("/etc/evil.fit").exists()
