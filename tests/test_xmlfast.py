"""The fast GPX and TCX readers give exactly what the expat readers give, or decline.

Every GPX and TCX of the corpus (plain, gzipped, zip members; found by content,
whatever the name says) and of the sample archive goes through both: the expat
reader (``parse(..., fast=False)``) is the judge. The common device files must take
the fast path, so that a fast path that declines everything cannot pass. Hand-made
documents cover what the fast path must leave to expat, and what it must read the
same way despite looking unusual; mutated corpus files (cut, flipped bytes,
inserted markup, prefixed names) must be declined or agree, never crash.
"""

from __future__ import annotations

import gzip
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from helpers.corpus import CORPUS, NO_CORPUS
from helpers.paths import SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loadwatch.errors import CorruptFileError
from loadwatch.ingest.importers import (
    ParseContext,
    gpx,
    gpxfast,
    sniff_format,
    tcx,
    tcxfast,
    xmlfast,
)
from loadwatch.ingest.importers.xmlfast import MAX_TEXT, FastPathDeclined

ZONE = "Europe/Paris"

#: the corpus files the fast path leaves to the expat reader, and why
DECLINED = {
    "runpandas__malformed.tcx": "not well-formed",
}
#: ordinary exports from watches and apps: the whole point of the fast path
COMMON_DEVICE_FILES = (
    "runpandas__garmin_connect.gpx",  # Garmin Connect GPX
    "sweatpy__activity_5039744860.gpx",  # Garmin Connect GPX, a ride
    "runpandas__strava_export.gpx",  # Strava GPX with Garmin's extensions
    "sweatpy__4801048867_strava.gpx",  # Strava GPX, 1.5 MB
    "gc__Move_2014_01_16_19_48_44.gpx",  # Suunto Movescount (CR LF line ends)
    "runpandas__nike_run.gpx",  # Nike Run Club
    "gpxpy__cerknicko-jezero.gpx",  # GPSBabel, GPX 1.0 with waypoints
    "gc__10kUNLP2014-Garmin15.tcx",  # Garmin Connect TCX
    "runpandas__run_garmin.tcx",  # Garmin Forerunner 620
    "runpandas__2020-12-08T06_36_12-300_Running.tcx",  # TPX with RunCadence first
    "sweatpy__3173437224.tcx",  # one line, 1.3 MB
    "stravalib__sample.tcx",  # Garmin Training Center
    "tcxreader__mapmyride_biking.tcx",  # MapMyRide
    "gc__activity_165850259_multi-session.tcx",  # a multisport session
)


def corpus_xml_names() -> list[str]:
    """Every GPX and TCX of the corpus; ``archive!member`` for one inside a zip."""
    if not CORPUS.is_dir():
        return []  # the tests over them are skipped, with the reason
    names = []
    for path in sorted(CORPUS.iterdir()):
        if path.name.lower().endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                members = [
                    m
                    for m in archive.namelist()
                    if not m.endswith("/") and not m.startswith("__MACOSX/")
                ]
            names.extend(
                f"{path.name}!{m}" for m in members if _is_xml(corpus_bytes(f"{path.name}!{m}"), m)
            )
        elif _is_xml(corpus_bytes(path.name), path.name):
            names.append(path.name)
    return names


def _is_xml(data: bytes, name: str) -> bool:
    try:
        return sniff_format(data, name.removesuffix(".gz")) in ("gpx", "tcx")
    except Exception:
        return False


def corpus_bytes(name: str) -> bytes:
    archive_name, _, member = name.partition("!")
    if member:
        with zipfile.ZipFile(CORPUS / archive_name) as archive:
            data = archive.read(member)
    else:
        data = (CORPUS / archive_name).read_bytes()
    return gzip.decompress(data) if name.lower().endswith(".gz") else data


def sample_xml_paths() -> list[Path]:
    """The GPX and TCX files of the sample archive (in this repository)."""
    return [
        p
        for p in sorted(SAMPLE.rglob("*"))
        if p.is_file() and re.search(r"\.(gpx|tcx)(\.gz)?$", p.name, re.IGNORECASE)
    ]


XML_NAMES = corpus_xml_names()
#: made from the corpus: a test using it is skipped without one (conftest)
CORPUS_DERIVED = ("XML_NAMES", "SEEDS")


def context(name: str = "test.gpx") -> ParseContext:
    return ParseContext(source=name, zone=ZoneInfo(ZONE))


def modules(data: bytes, name: str) -> tuple[ModuleType, ModuleType]:
    """(expat importer, fast reader) for the document's format."""
    fmt = sniff_format(data, name)
    return (gpx, gpxfast) if fmt == "gpx" else (tcx, tcxfast)


Outcome = tuple[Any, ...]


def outcome(parser: Callable[..., Any], data: bytes, name: str) -> Outcome:
    """A comparable result: the activities and warnings, or the error's class and text."""
    try:
        parsed = parser(data, context(name))
    except FastPathDeclined:
        raise
    except Exception as error:  # the reference's own failures must match too
        return ("error", type(error).__name__, str(error))
    return ("ok", tuple(parsed.activities), tuple(parsed.warnings))


def expat_outcome(data: bytes, name: str = "test.gpx") -> Outcome:
    reference, _ = modules(data, name)
    return outcome(lambda d, c: reference.parse(d, c, fast=False), data, name)


def fast_outcome(data: bytes, name: str = "test.gpx") -> Outcome:
    """The fast path's own result; ``FastPathDeclined`` when it will not vouch for one."""
    _, fast = modules(data, name)
    return outcome(fast.parse, data, name)


def wired_outcome(data: bytes, name: str = "test.gpx") -> Outcome:
    reference, _ = modules(data, name)
    return outcome(reference.parse, data, name)


def agrees_or_declines(data: bytes, name: str = "test.gpx") -> bool:
    """Whether the fast path took the document (it then agrees, or this fails)."""
    try:
        fast = fast_outcome(data, name)
    except FastPathDeclined:
        return False
    assert fast == expat_outcome(data, name)
    return True


@pytest.fixture(scope="module")
def reference() -> dict[str, Outcome]:
    """The expat readers' result for every corpus GPX and TCX, each parsed once."""
    if not CORPUS.is_dir():
        pytest.skip(NO_CORPUS)
    return {name: expat_outcome(corpus_bytes(name), name) for name in XML_NAMES}


# --- the corpus -------------------------------------------------------------------------


def test_corpus_has_the_xml_files_this_module_expects() -> None:
    assert len(XML_NAMES) == 24
    assert sum(n.endswith(".gpx") for n in XML_NAMES) == 12
    assert set(DECLINED) | set(COMMON_DEVICE_FILES) <= set(XML_NAMES)


@pytest.mark.parametrize("name", XML_NAMES)
def test_corpus_file_gives_what_the_expat_reader_gives(
    name: str, reference: dict[str, Outcome]
) -> None:
    data = corpus_bytes(name)
    if name in DECLINED:
        with pytest.raises(FastPathDeclined, match=DECLINED[name]):
            fast_outcome(data, name)
    else:
        assert fast_outcome(data, name) == reference[name]
    assert wired_outcome(data, name) == reference[name]


@pytest.mark.corpus
@pytest.mark.parametrize("name", COMMON_DEVICE_FILES)
def test_common_device_files_take_the_fast_path(name: str) -> None:
    result = fast_outcome(corpus_bytes(name), name)
    assert result[0] == "ok" and result[1]


def test_fast_path_reads_all_but_the_damaged_file() -> None:
    handled, declined = [], []
    for name in XML_NAMES:
        try:
            fast_outcome(corpus_bytes(name), name)
            handled.append(name)
        except FastPathDeclined:
            declined.append(name)
    assert (len(handled), len(declined)) == (23, 1)
    assert sorted(declined) == sorted(DECLINED)


def test_declined_file_keeps_the_expat_readers_reason(reference: dict[str, Outcome]) -> None:
    assert reference["runpandas__malformed.tcx"] == (
        "error",
        "CorruptFileError",
        "not well-formed XML: unbound prefix: line 4653, column 6",
    )


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("sweatpy__4801048867_strava.gpx", gpx._GpxReader),
        ("sweatpy__3173437224.tcx", tcx._TcxReader),
    ],
)
def test_wired_parse_does_not_call_expat_for_a_device_file(
    name: str, reader: type, monkeypatch: pytest.MonkeyPatch, reference: dict[str, Outcome]
) -> None:
    def refuse(self: object, data: bytes) -> None:
        raise AssertionError("fell back to the expat reader")

    monkeypatch.setattr(reader, "feed", refuse)
    assert wired_outcome(corpus_bytes(name), name) == reference[name]


@pytest.mark.parametrize("path", sample_xml_paths(), ids=lambda p: p.name)
def test_sample_archive_file_takes_the_fast_path_and_agrees(path: Path) -> None:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    assert agrees_or_declines(data, path.name.removesuffix(".gz"))


# --- hand-made documents ------------------------------------------------------------------

GPX_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<gpx version="1.1" creator="Test Watch" xmlns="http://www.topografix.com/GPX/1/1"'
    b' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
)


def gpx_point(i: int, extra: bytes = b"", attrs: bytes | None = None) -> bytes:
    attrs = attrs if attrs is not None else b'lat="%.6f" lon="%.6f"' % (48.85 + i * 1e-4, 2.35)
    return (
        b"<trkpt "
        + attrs
        + b"><ele>%d</ele><time>2024-03-02T08:%02d:%02dZ</time>" % (35 + i % 7, i // 60, i % 60)
        + extra
        + b"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr>"
        b"</gpxtpx:TrackPointExtension></extensions></trkpt>\n"
    )


def gpx_doc(
    points: bytes | None = None,
    *,
    head: bytes = GPX_HEAD,
    track: bytes = b"",
    name: bytes = b"Morning Run",
    after: bytes = b"",
) -> bytes:
    body = points if points is not None else b"".join(gpx_point(i) for i in range(30))
    return (
        head
        + b"<metadata><name>Export</name></metadata>\n<trk><name>"
        + name
        + b"</name><type>running</type>"
        + track
        + b"<trkseg>\n"
        + body
        + b"</trkseg></trk>"
        + after
        + b"</gpx>\n"
    )


TCX_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase'
    b' xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"'
    b' xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">\n'
)


def tcx_point(i: int, extra: bytes = b"") -> bytes:
    return (
        b"<Trackpoint><Time>2024-03-02T08:%02d:%02dZ</Time>"
        % (i // 60, i % 60)
        + b"<Position><LatitudeDegrees>%.6f</LatitudeDegrees><LongitudeDegrees>2.35"
        b"</LongitudeDegrees></Position>"
        % (48.85 + i * 1e-4)
        + b"<AltitudeMeters>%d</AltitudeMeters><DistanceMeters>%.1f</DistanceMeters>"
        % (35 + i % 7, i * 3.1)
        + extra
        + b"<Extensions><ns3:TPX><ns3:Speed>3.1</ns3:Speed><ns3:RunCadence>%d"
        b"</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>\n" % (84 + i % 3)
    )


def tcx_doc(
    points: bytes | None = None,
    *,
    head: bytes = TCX_HEAD,
    lap: bytes = b"",
    activity: bytes = b"",
    notes: bytes = b"Tempo",
    after: bytes = b"",
) -> bytes:
    body = points if points is not None else b"".join(tcx_point(i) for i in range(30))
    return (
        head + b'<Activities><Activity Sport="Running"><Id>2024-03-02T08:00:00Z</Id>'
        b'<Lap StartTime="2024-03-02T08:00:00Z"><TotalTimeSeconds>29</TotalTimeSeconds>'
        b"<DistanceMeters>90</DistanceMeters>"
        + lap
        + b"<Track>\n"
        + body
        + b"</Track></Lap><Notes>"
        + notes
        + b"</Notes>"
        + activity
        + b"<Creator><Name>Forerunner 945</Name></Creator></Activity></Activities>"
        + after
        + b"</TrainingCenterDatabase>\n"
    )


#: documents the fast path must leave to the expat reader (label, document, reason)
DECLINE_CASES = [
    ("doctype", gpx_doc().replace(b"<gpx ", b"<!DOCTYPE gpx>\n<gpx ", 1), "DOCTYPE"),
    (
        "entity",
        tcx_doc().replace(b"<Training", b'<!DOCTYPE t [<!ENTITY a "b">]>\n<Training', 1),
        "DOCTYPE",
    ),
    ("comment", gpx_doc(track=b"<!-- lap 1 -->"), "comment"),
    ("CDATA in a name", gpx_doc(name=b"<![CDATA[Run]]>"), "CDATA"),
    ("processing instruction", tcx_doc(lap=b"<?garmin x?>"), "processing instruction"),
    ("latin-1", gpx_doc().replace(b"UTF-8", b"ISO-8859-1", 1), "encoding"),
    ("UTF-16", gpx_doc().decode().encode("utf-16"), "UTF-16"),
    ("truncated", gpx_doc()[:-40], "well-formed"),
    ("damaged midway", tcx_doc().replace(b"</Position>", b"</Positon>", 3), "well-formed"),
    ("unbound prefix", gpx_doc(track=b"<x:desc>a</x:desc>"), "well-formed"),
    (
        "prefixed root",
        gpx_doc(
            head=GPX_HEAD.replace(b"<gpx ", b'<g:gpx xmlns:g="http://www.topografix.com/GPX/1/1" ')
        ).replace(b"</gpx>", b"</g:gpx>"),
        "root",
    ),
    (
        "prefixed track name",
        gpx_doc(track=b'<g:name xmlns:g="urn:g">Other</g:name>'),
        "unusual place",
    ),
    (
        "prefixed lap",
        tcx_doc().replace(b"<Lap ", b'<t:Lap xmlns:t="urn:t" ').replace(b"</Lap>", b"</t:Lap>"),
        "prefixed|unusual",
    ),
    (
        "prefixed activity",
        tcx_doc()
        .replace(b"<Activity ", b'<t:Activity xmlns:t="urn:t" ')
        .replace(b"</Activity>", b"</t:Activity>"),
        "prefixed",
    ),
    (
        "points in extensions",
        gpx_doc(
            gpx_point(0, attrs=b'lat="1" lon="2"').replace(
                b"<gpxtpx:hr>140</gpxtpx:hr>", b'<trkpt lat="3" lon="4"><ele>9</ele></trkpt>'
            )
        ),
        "shape",
    ),
    (
        "track inside metadata",
        gpx_doc().replace(b"<name>Export</name>", b"<trk><name>Odd</name></trk>"),
        "unusual place",
    ),
    (
        "track inside extensions",
        gpx_doc(after=b"<extensions><trk><name>Odd</name></trk></extensions>"),
        "holds",
    ),
    ("other attributes", gpx_doc(gpx_point(0, attrs=b'lat="1" lon="2" hdop="3"')), "shape"),
    ("single quotes", gpx_doc(gpx_point(0, attrs=b"lat='1' lon='2'")), "shape"),
    ("empty point", gpx_doc(b'<trkpt lat="1" lon="2"/>'), "shape"),
    ("reference in a time", gpx_doc(gpx_point(0).replace(b"<time>2", b"<time>&#50;")), "shape"),
    (
        "children out of order",
        gpx_doc(
            gpx_point(0).replace(
                b"<ele>35</ele><time>2024-03-02T08:00:00Z</time>",
                b"<time>2024-03-02T08:00:00Z</time><ele>35</ele>",
            )
        ),
        "shape",
    ),
    # "&#x10FFFF;" is ten bytes: more than ten times MAX_TEXT would be needed
    ("long text of few characters", gpx_doc(name=b"&#x10FFFF;" * (MAX_TEXT + 1)), "few"),
    (
        "long number",
        tcx_doc(tcx_point(0).replace(b"<AltitudeMeters>", b"<AltitudeMeters>" + b" " * MAX_TEXT)),
        "shape",
    ),
    (
        "activity in extensions",
        tcx_doc(
            tcx_point(0).replace(b"<ns3:TPX>", b"<ns3:LX><Activity>x</Activity></ns3:LX><ns3:TPX>")
        ),
        "shape",
    ),
    (
        "position in a lap",
        tcx_doc(
            lap=b"<Position><LatitudeDegrees>1</LatitudeDegrees>"
            b"<LongitudeDegrees>2</LongitudeDegrees></Position>"
        ),
        "unusual place",
    ),
    (
        "two run cadences",
        tcx_doc(
            tcx_point(0).replace(b"</ns3:TPX>", b"<ns3:RunCadence>99</ns3:RunCadence></ns3:TPX>")
        ),
        "shape",
    ),
    (
        "empty activity",
        tcx_doc().replace(b"</Activities>", b'<Activity Sport="Biking"/></Activities>'),
        "empty",
    ),
]


@pytest.mark.parametrize(
    ("label", "data", "reason"), DECLINE_CASES, ids=[c[0] for c in DECLINE_CASES]
)
def test_unusual_document_is_left_to_the_expat_reader(label: str, data: bytes, reason: str) -> None:
    _, fast = modules(data, "test.gpx")
    with pytest.raises(FastPathDeclined, match=reason):
        fast.read(data)
    assert wired_outcome(data) == expat_outcome(data)


#: documents that look unusual but that the fast path reads exactly as expat does
AGREE_CASES = [
    ("GPX", gpx_doc()),
    ("TCX", tcx_doc()),
    ("references in names", gpx_doc(name=b"Run &amp; Ride &#233;t&#xE9; &lt;3")),
    ("non-ASCII names", tcx_doc(notes="Laufen am Fluss, 10 km \u2013 \u00e9t\u00e9".encode())),
    ("CR LF line ends", gpx_doc().replace(b"\n", b"\r\n")),
    ("CR line ends in a name", gpx_doc(name=b"Morning\r\nRun\rto work")),
    (
        "tab and line end in creator",
        gpx_doc(head=GPX_HEAD.replace(b"Test Watch", b"Test\tWatch\r\n2")),
    ),
    (
        "lon before lat",
        gpx_doc(
            b"".join(
                gpx_point(i, attrs=b'lon="2.35" lat="%.5f"' % (48.85 + i * 1e-4)) for i in range(20)
            )
        ),
    ),
    (
        "default namespace elsewhere",
        gpx_doc(track=b"").replace(b"<trkseg>", b'<trkseg xmlns="urn:something-else">'),
    ),
    ("no declaration, BOM", b"\xef\xbb\xbf" + tcx_doc().split(b"?>", 1)[1]),
    ("ASCII declared", gpx_doc().replace(b"UTF-8", b"us-ascii", 1)),
    (
        "waypoints and routes",
        gpx_doc(
            after=b'<wpt lat="1" lon="2"><name>Cafe</name><time>'
            b'2024-03-02T07:00:00Z</time></wpt><rte><rtept lat="1" '
            b'lon="2"><ele>3</ele></rtept></rte>'
        ),
    ),
    (
        "unplaced points",
        gpx_doc(
            b"".join(
                gpx_point(i, attrs=b'lat="%s" lon="2"' % v)
                for i, v in enumerate([b"91", b"x", b"nan"] * 5)
            )
        ),
    ),
    (
        "unplaced point with an unreadable time",
        gpx_doc(
            gpx_point(0)
            + gpx_point(1, attrs=b'lat="x" lon="2"').replace(b"2024-03", b"2024-13")
            + gpx_point(2)
        ),
    ),
    (
        "unreadable times",
        gpx_doc(
            b"".join(
                gpx_point(i).replace(b"2024-03", b"2024-13") if i % 3 else gpx_point(i)
                for i in range(20)
            )
        ),
    ),
    (
        "GPX 1.0 point children",
        gpx_doc(
            b"".join(
                gpx_point(i, b"<course>90</course><speed>3</speed><sat>7</sat>") for i in range(20)
            )
        ),
    ),
    (
        "several segments and tracks",
        gpx_doc(
            after=b"<trk><name>Back</name><trkseg>"
            + b"".join(gpx_point(i) for i in range(40, 60))
            + b"</trkseg><trkseg></trkseg><trkseg/></trk>"
        ),
    ),
    (
        "extensions beside points",
        gpx_doc(b"<extensions><x>1</x></extensions>" + gpx_point(0) + gpx_point(1)),
    ),
    ("lap without totals", tcx_doc().replace(b"<TotalTimeSeconds>29</TotalTimeSeconds>", b"")),
    (
        "negative and broken lap values",
        tcx_doc(lap=b"<TotalTimeSeconds>-5</TotalTimeSeconds><DistanceMeters>x</DistanceMeters>"),
    ),
    (
        "multisport",
        TCX_HEAD + b"<Activities><MultiSportSession><Id>2024-03-02T08:00:00Z</Id>"
        b"<FirstSport>"
        + tcx_doc().split(b"<Activities>")[1].split(b"</Activities>")[0]
        + b"</FirstSport></MultiSportSession></Activities></TrainingCenterDatabase>",
    ),
    (
        "course beside an activity",
        tcx_doc(
            after=b"<Courses><Course><Name>Loop</Name><Track>"
            + tcx_point(3)
            + b"</Track></Course></Courses>"
        ),
    ),
    (
        "course only",
        TCX_HEAD + b"<Courses><Course><Name>Loop</Name></Course></Courses>"
        b"</TrainingCenterDatabase>",
    ),
    ("no activity", TCX_HEAD + b"<Author><Name>Garmin</Name></Author></TrainingCenterDatabase>"),
    (
        "other extensions",
        tcx_doc(
            tcx_point(1).replace(
                b"<ns3:TPX><ns3:Speed>3.1</ns3:Speed>", b"<ns3:TPX><ns3:Watts>250</ns3:Watts>"
            )
        ).replace(
            b"</Track>",
            b"</Track>" + b"<Extensions><ns3:LX><ns3:AvgSpeed>3</ns3:AvgSpeed>"
            b"</ns3:LX></Extensions>",
        ),
    ),
    (
        "heart rate with a type",
        tcx_doc(
            b"".join(
                tcx_point(i).replace(
                    b"<Extensions>",
                    b'<HeartRateBpm xsi:type="HeartRateInBeatsPerMinute_t"><Value>140'
                    b"</Value></HeartRateBpm><Cadence>0</Cadence><Extensions>",
                )
                for i in range(20)
            ),
            head=TCX_HEAD.replace(
                b'v2">', b'v2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            ),
        ),
    ),
    (
        "points without position or time",
        tcx_doc(
            b"<Trackpoint><DistanceMeters>5"
            b"</DistanceMeters></Trackpoint>"
            + b"".join(tcx_point(i) for i in range(20))
            + b"<Trackpoint><Time>x</Time></Trackpoint>"
        ),
    ),
    (
        "GPX without points",
        GPX_HEAD + b"<metadata><time>2024-03-02T08:00:00Z</time></metadata></gpx>",
    ),
    ("empty root", b'<gpx xmlns="http://www.topografix.com/GPX/1/1"/>'),
    # text longer than MAX_TEXT: the fast path keeps what the expat reader keeps
    ("long name", gpx_doc(name=b"R" * (MAX_TEXT + 1))),
    ("long name of 200 kB", gpx_doc(name=b" Long run " * 20_000)),
    # whatever stands where the prefix the fast path reads is cut (ten times MAX_TEXT)
    *(
        (f"long name with {what} at the cut, shifted {n}", gpx_doc(name=b"r" * n + piece * 9000))
        for what, piece in (
            ("references", b"&amp;&#233;&#x10FFFF;"),
            ("two- to four-byte characters", "\u00e9\u20ac\U0001f3c3".encode()),
            ("CR LF line ends", b"a\r\n"),
        )
        for n in range(8)
    ),
    ("long TCX notes", tcx_doc(notes=("Fluss \u2013 " * 2000).encode())),
    ("long name of spaces", gpx_doc(name=b" " * (MAX_TEXT + 1) + b"x")),
]


@pytest.mark.parametrize(("label", "data"), AGREE_CASES, ids=[c[0] for c in AGREE_CASES])
def test_document_is_read_by_the_fast_path_as_expat_reads_it(label: str, data: bytes) -> None:
    assert agrees_or_declines(data), f"{label}: declined"


@pytest.mark.parametrize(
    ("module", "data"),
    [
        (gpx, gpx_doc(after=b"<trk><trkseg>" + gpx_point(40) + b"</trkseg></trk>")),
        (
            tcx,
            tcx_doc().replace(
                b"</Activities>",
                tcx_doc().split(b"<Activities>")[1].split(b"</Activities>")[0] + b"</Activities>",
            ),
        ),
    ],
    ids=["gpx", "tcx"],
)
def test_fast_path_never_takes_more_activities_than_the_importer_allows(
    module: ModuleType, data: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert wired_outcome(data)[0] == "ok"
    monkeypatch.setattr(module, "MAX_ACTIVITIES_PER_FILE", 1)
    _, fast = modules(data, "test.gpx")
    with pytest.raises(FastPathDeclined, match="more"):
        fast.read(data)
    assert wired_outcome(data)[:2] == ("error", "LimitExceededError")


def test_fast_path_refuses_what_check_document_refuses() -> None:
    hostile = gpx_doc().replace(b"<gpx ", b'<!DOCTYPE gpx [<!ENTITY e "x">]>\n<gpx ', 1)
    with pytest.raises(FastPathDeclined):
        xmlfast.prepare(hostile)
    with pytest.raises(CorruptFileError, match="entity"):
        gpxfast.parse(hostile, context())


@pytest.mark.parametrize(
    ("document", "fast"),
    [
        (gpx_doc(b"".join(gpx_point(i) for i in range(3))), gpxfast),
        (tcx_doc(b"".join(tcx_point(i) for i in range(3))), tcxfast),
    ],
    ids=["gpx", "tcx"],
)
def test_every_cut_of_a_small_document_is_declined(document: bytes, fast: ModuleType) -> None:
    # A recording cut short is the expat reader's to salvage, at whatever byte it ends.
    assert agrees_or_declines(document)
    for cut in range(len(document.rstrip())):
        with pytest.raises(FastPathDeclined):
            fast.read(document[:cut])


# --- mutated corpus files -------------------------------------------------------------------

#: small corpus files to mutate (each is shortened to its first points, to keep examples fast)
SEED_FILES = (
    "runpandas__garmin_connect.gpx",
    "gpxpy__around-visnjan-with-car.gpx",
    "gpxpy__cerknicko-jezero.gpx",
    "gpxpy__track-with-empty-segment.gpx",
    "runpandas__26004849-dc57-4e48-bc16-11196ca043ad.gpx",
    "gc__Move_2014_01_16_19_48_44.gpx",
    "sweatpy__4801048867_strava.gpx",
    "gc__10kUNLP2014-Garmin15.tcx",
    "runpandas__basic.tcx",
    "runpandas__2020-12-08T06_36_12-300_Running.tcx",
    "gc__activity_165850259_multi-session.tcx",
    "gc__OWswim.tcx",
    "sweatpy__3173437224.tcx",
)
_POINT_BLOCK = re.compile(rb"<(trkpt|Trackpoint)[\s>].*?</\1>\s*", re.DOTALL)


def shortened(data: bytes, keep: int = 12) -> bytes:
    """``data`` with only its first ``keep`` points: the same structure, far fewer bytes."""
    seen = 0

    def drop_after(match: re.Match[bytes]) -> bytes:
        nonlocal seen
        seen += 1
        return match.group() if seen <= keep else b""

    return _POINT_BLOCK.sub(drop_after, data)


SEEDS = {name: shortened(corpus_bytes(name)) for name in SEED_FILES} if CORPUS.is_dir() else {}

SNIPPETS = (
    b"<!DOCTYPE gpx>",
    b"<![CDATA[x]]>",
    b"<!-- note -->",
    b"<?pi x?>",
    b"&amp;",
    b"&#65;",
    b"\r\n",
    b"\t",
    b" ",
    b"<",
    b">",
    b"</",
    b"/>",
    b'"',
    b"'",
    b"&",
    b":",
    b"\xc3\xa9",
    b'<x:foo xmlns:x="urn:x">1</x:foo>',
    b"<foo/>",
    b'<foo a="1">t</foo>',
    b"<trk>",
    b"</trk>",
    b"<trkseg>",
    b"</trkseg>",
    b"<ele>12</ele>",
    b"<time>2020-01-01T00:00:00Z</time>",
    b"<name>A &amp; B</name>",
    b"<type>Running</type>",
    b'<trkpt lat="1" lon="2"></trkpt>',
    b"<extensions><trkpt/></extensions>",
    b"<metadata><name>m</name></metadata>",
    b'<Activity Sport="Running">',
    b"</Activity>",
    b"<Lap>",
    b"</Lap>",
    b"<Courses/>",
    b"<Id>2020-01-01T00:00:00Z</Id>",
    b"<Notes>n</Notes>",
    b"<Creator><Name>c</Name></Creator>",
    b"<Position><LatitudeDegrees>1</LatitudeDegrees><LongitudeDegrees>2</LongitudeDegrees>"
    b"</Position>",
    b"<Cadence>80</Cadence>",
    b"<ns3:RunCadence>90</ns3:RunCadence>",
    b"<Trackpoint><Time>2020-01-01T00:00:00Z</Time></Trackpoint>",
    b' xmlns="urn:other"',
    b"<DistanceMeters>-5</DistanceMeters>",
    b"<AltitudeMeters>9e9</AltitudeMeters>",
)
#: names the mutation gives a prefix (bound, so the document stays well-formed)
PREFIXABLE = (
    b"gpx",
    b"metadata",
    b"name",
    b"trk",
    b"trkseg",
    b"trkpt",
    b"ele",
    b"time",
    b"type",
    b"extensions",
    b"TrainingCenterDatabase",
    b"Activity",
    b"Lap",
    b"Id",
    b"Track",
    b"Trackpoint",
    b"Time",
    b"Position",
    b"LatitudeDegrees",
    b"DistanceMeters",
    b"TPX",
    b"Creator",
    b"Notes",
)


#: elements that keep a document well-formed wherever they go between two tags
BALANCED = tuple(s for s in SNIPPETS if re.fullmatch(rb"<[A-Za-z].*(/>|</[^>]+>)", s)) + (
    b"<desc>x</desc>",
    b"<Intensity>Active</Intensity>",
    b"<a><b>1</b><b c='&gt;'>2</b></a>",
    b"<x:y xmlns:x='urn:x'><x:z>1</x:z></x:y>",
    b"<TPX><RunCadence>77</RunCadence></TPX>",
    b"<extensions><q xmlns='urn:q'><trk>1</trk></q></extensions>",
    b"<Value>3</Value>",
    b"<Activity Sport='Biking'><Id>2021-01-01T00:00:00Z</Id></Activity>",
    b"<trk><trkseg><trkpt lat='1' lon='2'><time>2021-01-01T00:00:00Z</time></trkpt></trkseg></trk>",
    b"<name>&#x1F3C3; run</name>",
    b"<ele>  12.5 </ele>",
    b"<time> 2020-05-05T05:05:05+02:00 </time>",
    b"<Time>2020-05-05T05:05:05.123456789Z</Time>",
    b"<DistanceMeters>1e3</DistanceMeters>",
    b"<Cadence>-1</Cadence>",
)
_TEXT_ELEMENT = re.compile(rb"<([A-Za-z][^\s/>]*)[^>]*>[^<]*</\1>")


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One to four random edits of ``data``: half of them keep it well-formed."""
    damaging = (_cut, _flip, _insert, _move)
    keeping = (_insert_balanced, _digit, _prefix, _delete_element, _repeat_element)
    for _ in range(rng.randint(1, 4)):
        data = rng.choice(rng.choice((damaging, keeping)))(rng, data)
    return data


def _insert_balanced(rng: random.Random, data: bytes) -> bytes:
    where = rng.choice(_tag_starts(data)[1:-1] or [0])  # inside the root element
    return data[:where] + rng.choice(BALANCED) + data[where:]


def _digit(rng: random.Random, data: bytes) -> bytes:
    digits = [m.start() for m in re.finditer(rb"[0-9]", data)]
    if not digits:
        return data
    where = rng.choice(digits)
    return data[:where] + bytes([rng.choice(b"0123456789.-e+ :TZx")]) + data[where + 1 :]


def _delete_element(rng: random.Random, data: bytes) -> bytes:
    found = list(_TEXT_ELEMENT.finditer(data))
    if not found:
        return data
    element = rng.choice(found)
    return data[: element.start()] + data[element.end() :]


def _repeat_element(rng: random.Random, data: bytes) -> bytes:
    found = list(_TEXT_ELEMENT.finditer(data))
    if not found:
        return data
    element = rng.choice(found)
    return data[: element.end()] + element.group() + data[element.end() :]


def _tag_starts(data: bytes) -> list[int]:
    return [m.start() for m in re.finditer(rb"<", data)] or [0]


def _cut(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]


def _flip(rng: random.Random, data: bytes) -> bytes:
    where = rng.randrange(max(1, len(data)))
    byte = rng.choice(b'<>/"&:= x0\r\t\x80') if rng.random() < 0.7 else rng.randrange(256)
    return data[:where] + bytes([byte]) + data[where + 1 :]


def _insert(rng: random.Random, data: bytes) -> bytes:
    where = rng.choice(_tag_starts(data))
    # before a "<", or (for attribute-like snippets) just after a tag name
    if rng.random() < 0.3:
        name_end = re.compile(rb"<[^\s/>!?]+").match(data, where)
        where = name_end.end() if name_end else where
    return data[:where] + rng.choice(SNIPPETS) + data[where:]


def _prefix(rng: random.Random, data: bytes) -> bytes:
    local = rng.choice(PREFIXABLE)
    uri = rng.choice(
        (
            b"urn:p",
            b"http://www.topografix.com/GPX/1/1",
            b"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2",
        )
    )
    renamed = re.sub(rb"<(/?)" + local + rb"(?=[\s/>])", rb"<\1p:" + local, data)
    # bind the prefix on the root element, so that the document stays well-formed
    root = re.compile(rb"<(?![?!])[^\s/>]+").search(renamed)
    if root is None:
        return renamed
    return renamed[: root.end()] + b' xmlns:p="' + uri + b'"' + renamed[root.end() :]


def _move(rng: random.Random, data: bytes) -> bytes:
    starts = _tag_starts(data)
    a, b = sorted((rng.choice(starts), rng.choice(starts)))
    where = rng.choice(starts)
    return data[:where] + data[a:b] + data[where:]


def declined_or_same(name: str, data: bytes) -> bool:
    """Whether the fast path took a mutated document; fails if it then disagrees."""
    try:
        expected = expat_outcome(data, name)
    except Exception:  # not GPX or TCX any more: the sniffer decides, not this test
        return False
    try:
        fast = fast_outcome(data, name)
    except FastPathDeclined:
        return False
    assert fast == expected
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEED_FILES), st.randoms(use_true_random=False))
def test_mutated_corpus_file_is_declined_or_read_the_same(name: str, rng: random.Random) -> None:
    declined_or_same(name, mutate(rng, SEEDS[name]))


def test_mutations_reach_the_fast_path() -> None:
    """Not every mutant is declined: many stay well-formed and are read, and agree."""
    rng = random.Random(16)
    taken = sum(
        declined_or_same(name, mutate(rng, SEEDS[name])) for _ in range(20) for name in SEED_FILES
    )
    assert taken >= 20


def test_every_seed_takes_the_fast_path() -> None:
    assert set(SEED_FILES) <= set(XML_NAMES)
    for name, data in SEEDS.items():
        assert agrees_or_declines(data, name), name
