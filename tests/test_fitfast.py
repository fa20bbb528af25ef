"""The fast FIT summary path gives exactly what the fitparse importer gives.

Every FIT file of the corpus (plain, gzipped, zip members) goes through both;
fitparse decodes each file once per session (``fit_reference``, shared with the
FIT importer's tests, filled in parallel). Small hand-built files cover the
structures the fast path must walk or refuse, and the hostile values it must
leave to fitparse.
"""

from __future__ import annotations

import gzip
import inspect
import struct
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fitparse import profile as fitparse_profile
from fitparse.records import BASE_TYPES as FITPARSE_BASE_TYPES
from helpers.corpus import CORPUS, NO_CORPUS
from helpers.fitbuild import (
    START,
    activity,
    encode,
    file_id,
    fit_seconds,
    lap,
    record,
    run_file,
    session,
)
from helpers.fitreference import FitReference
from hypothesis import given, settings
from hypothesis import strategies as st

from loadwatch.ingest.importers import ParseContext, fit, fitfast, fitprofile
from loadwatch.ingest.importers.fitfast import FastPathDeclined

ZONE = "Europe/Paris"

#: the corpus files the fast path leaves to fitparse, and why
DECLINED = {
    "fitparse__activity-filecrc.fit": "file CRC mismatch",
    "fitparse__activity-settings-corruptheader.fit": "not a FIT header",
    "fitparse__activity-unexpected-eof.fit": "file shorter than its header says",
    "fitparse__compressed-speed-distance.fit": "compressed timestamp header",
    "fitparse__coros-pace-2-cycling-misaligned-fields.fit": "field size 1 does not fit",
    "fitparse__strava-android-app-201.10-b1218918.fit": "file shorter than its header says",
}
#: ordinary watch files: the whole point of the fast path
COMMON_DEVICE_FILES = (
    "runpandas__run.fit",
    "fitparse__activity-small-fenix2-run.fit",
    "gc__10kUNLP2014-Garmin15.fit",
    "gc__GarminFR955v18.zip!14211916346_ACTIVITY.fit",
    "gc__Fr955v19.28andStryd.fit.zip!Fr955v19.28andStryd.fit",
)


def corpus_fit_names() -> list[str]:
    """Every FIT file of the corpus; ``archive!member`` for a FIT inside a zip."""
    names: list[str] = []
    if not CORPUS.is_dir():
        return names  # the tests over them are skipped, with the reason
    for path in sorted(CORPUS.iterdir()):
        lowered = path.name.lower()
        if lowered.endswith((".fit", ".fit.gz")):
            names.append(path.name)
        elif lowered.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                names.extend(
                    f"{path.name}!{member}"
                    for member in archive.namelist()
                    if member.lower().endswith(".fit") and not member.startswith("__MACOSX/")
                )
    return names


def corpus_fit_bytes(name: str) -> bytes:
    archive_name, _, member = name.partition("!")
    raw = (CORPUS / archive_name).read_bytes()
    if member:
        with zipfile.ZipFile(CORPUS / archive_name) as archive:
            return archive.read(member)
    return gzip.decompress(raw) if name.endswith(".gz") else raw


FIT_NAMES = corpus_fit_names()
#: made from the corpus: a test using it is skipped without one (conftest)
CORPUS_DERIVED = ("FIT_NAMES",)


def context(name: str = "test.fit", zone: str = ZONE) -> ParseContext:
    return ParseContext(source=name, zone=ZoneInfo(zone))


Outcome = tuple[Any, ...]


def outcome(parser: Callable[..., Any], data: bytes, name: str = "test.fit") -> Outcome:
    """A comparable result: the activities and warnings, or the error's class and text."""
    try:
        parsed = parser(data, context(name))
    except FastPathDeclined:
        raise
    except Exception as error:  # the reference's bugs must match too
        return ("error", type(error).__name__, str(error))
    return ("ok", tuple(parsed.activities), tuple(parsed.warnings))


#: the declined file whose fallback is checked; the other declined files' results are
#: fit.parse's by construction, so they are not parsed here at all
FALLBACK_SAMPLE = "fitparse__activity-filecrc.fit"


@pytest.fixture(scope="module")
def reference(fit_reference: FitReference) -> dict[str, Outcome]:
    """The fitparse importer's result for the corpus FIT files.

    fitparse decodes each file once per session (``fit_reference``, shared with the
    FIT importer's tests); only the cheap summary is made here, in this zone.
    """
    if not CORPUS.is_dir():
        pytest.skip(NO_CORPUS)
    names = [n for n in FIT_NAMES if n not in DECLINED or n == FALLBACK_SAMPLE]
    data = {name: corpus_fit_bytes(name) for name in names}
    fit_reference.prefetch(data.values())
    return {name: outcome(fit_reference.parse, data[name], name) for name in names}


def fast_outcome(name: str) -> Outcome:
    return outcome(fitfast.parse, corpus_fit_bytes(name), name)


@pytest.mark.corpus
@pytest.mark.parametrize("zone", ["UTC", ZONE])
def test_the_shared_reference_is_the_fitparse_importer(zone: str) -> None:
    """The session's decoded-once reference gives what fit.parse gives, in any zone."""
    assert "content, failure, crc_mismatch = _decode(data)" in inspect.getsource(fit.parse)
    shared = FitReference()
    for name in ("fitparse__Activity.fit", FALLBACK_SAMPLE, "runpandas__run.fit"):
        data = corpus_fit_bytes(name)
        for _ in range(2):  # the second time from the cache: summarised from a copy
            got = outcome(shared.parse, data, name)
            assert got == outcome(fit.parse, data, name)
    assert shared.decoded == 3
    # what fitparse's importer refuses is refused alike, from the cache too
    damaged = b"\x0e\x10" + bytes(12)
    for _ in range(2):
        assert outcome(shared.parse, damaged) == outcome(fit.parse, damaged)
    assert outcome(fit.parse, damaged)[0] == "error"


# --- the corpus -------------------------------------------------------------------------


def test_corpus_has_the_fit_files_this_module_expects() -> None:
    assert len(FIT_NAMES) == 47
    assert set(DECLINED) | set(COMMON_DEVICE_FILES) <= set(FIT_NAMES)


@pytest.mark.parametrize("name", FIT_NAMES)
def test_corpus_file_gives_what_the_fitparse_importer_gives(
    name: str, reference: dict[str, Outcome]
) -> None:
    if name in DECLINED:
        with pytest.raises(FastPathDeclined, match=DECLINED[name]):
            fast_outcome(name)
    else:
        assert fast_outcome(name) == reference[name]


@pytest.mark.corpus
@pytest.mark.parametrize("name", COMMON_DEVICE_FILES)
def test_common_device_files_take_the_fast_path(name: str) -> None:
    result = fast_outcome(name)
    assert result[0] == "ok" and len(result[1]) == 1


def test_fast_path_handles_all_but_the_damaged_and_odd_files() -> None:
    handled, declined = [], []
    for name in FIT_NAMES:
        try:
            fast_outcome(name)
            handled.append(name)
        except FastPathDeclined:
            declined.append(name)
    assert (len(handled), len(declined)) == (41, 6)
    assert sorted(declined) == sorted(DECLINED)


def test_parse_summary_falls_back_to_fitparse(reference: dict[str, Outcome]) -> None:
    name = FALLBACK_SAMPLE
    assert outcome(fitfast.parse_summary, corpus_fit_bytes(name), name) == reference[name]
    assert fit.CRC_NOTE in str(reference[name])


def test_parse_summary_does_not_call_fitparse_for_a_device_file(
    monkeypatch: pytest.MonkeyPatch, reference: dict[str, Outcome]
) -> None:
    def refuse(data: bytes, ctx: ParseContext) -> None:
        raise AssertionError("fell back to fitparse")

    monkeypatch.setattr(fit, "parse", refuse)
    name = "runpandas__run.fit"
    assert outcome(fitfast.parse_summary, corpus_fit_bytes(name), name) == reference[name]


@pytest.mark.corpus
def test_walk_reads_big_endian_and_12_byte_headers() -> None:
    # the SDK example file has both: a 12-byte header and big-endian definitions
    data = corpus_fit_bytes("fitparse__Activity.fit")
    assert data[0] == 12
    counts: dict[int, int] = {}
    fitfast.walk(data, frozenset(), counts)
    # 14 records, by the corpus's own notes (expected.csv: records=14)
    assert counts[fitprofile.RECORD] == 14


# --- the CRC ----------------------------------------------------------------------------


@given(st.binary(max_size=600))
def test_crc_matches_the_table_loop(data: bytes) -> None:
    assert fitfast.crc16(data) == fit.fit_crc(data)


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=32760, max_value=32775), st.integers(min_value=0, max_value=3))
def test_crc_matches_around_the_fold_period(size: int, periods: int) -> None:
    data = bytes((i * 7919 + 13) % 251 for i in range(size + periods * 32767))
    assert fitfast.crc16(data) == fit.fit_crc(data)


def test_crc_of_a_file_followed_by_its_crc_is_zero() -> None:
    data = run_file()
    assert fitfast.crc16(data) == 0


# --- structure, with files written by Garmin's encoder ------------------------------------


def test_walk_counts_every_message_of_an_encoded_file() -> None:
    moments = [START + timedelta(seconds=s) for s in range(300)]
    data = encode(
        [file_id()]
        + [record(m, 3.0 * i) for i, m in enumerate(moments)]
        + [lap(START, 500.0, 150.0), lap(START + timedelta(seconds=150), 400.0, 149.0)]
        + [session(timer_s=299.0), activity(moments[-1], timedelta(hours=1))]
    )
    counts: dict[int, int] = {}
    found = fitfast.walk(data, frozenset({fitprofile.LAP}), counts)
    assert counts == {0: 1, 20: 300, 19: 2, 18: 1, 34: 1}
    assert [m.get("total_distance") for m in found] == [500.0, 400.0]


def test_walk_counts_chained_files() -> None:
    counts: dict[int, int] = {}
    fitfast.walk(run_file() + run_file() + run_file(), frozenset(), counts)
    assert counts == {0: 3, 18: 3, 34: 3}


def synthetic_cases() -> Iterator[tuple[str, bytes]]:
    later = START + timedelta(days=1)
    yield (
        "one run",
        run_file(
            distance_m=10012.34,
            timer_s=3001.5,
            elapsed_s=3100.25,
            total_ascent=57,
            avg_cadence=85,
            avg_fractional_cadence=0.5,
        ),
    )
    yield "walk cadence", run_file(sport="walking", avg_cadence=55)
    yield "treadmill", run_file(sport="running", sub_sport="treadmill")
    yield "no local time", run_file(local_offset=None)
    yield "far local time", run_file(local_offset=timedelta(hours=15))
    yield (
        "chained",
        run_file()
        + encode([file_id(), session(later, sport="walking"), activity(later, timedelta(hours=2))]),
    )
    yield "repeated session", run_file() + run_file()
    yield (
        "laps only",
        encode(
            [
                file_id(),
                lap(START, 1000.0, 300.0, sport="running"),
                lap(START + timedelta(seconds=300), 1200.0, 310.0),
            ]
        ),
    )
    yield (
        "records only",
        encode([file_id()] + [record(START + timedelta(seconds=s), 3.0 * s) for s in range(60)]),
    )
    yield "nothing timed", encode([file_id()])
    yield "settings file", encode([file_id("settings")])
    yield (
        "developer name and shoe",
        encode(
            [file_id(), session(), activity(START, timedelta(0))],
            developer={"Activity Title": "  Tempo Tuesday ", "Shoe": "Pegasus 40"},
        ),
    )
    relative = session(start=START)
    relative["start_time"] = 1000
    relative["timestamp"] = 4000
    closing = {
        **activity(START, None),
        "timestamp": 4000,
        "local_timestamp": fit_seconds(datetime(2024, 3, 2, 9, 0, tzinfo=UTC)),
    }
    yield "device clock never set", encode([file_id(), relative, closing])
    yield "device clock without local time", encode([file_id(), relative])


@pytest.mark.parametrize(("label", "data"), list(synthetic_cases()), ids=lambda v: str(v)[:30])
def test_encoded_file_gives_what_the_fitparse_importer_gives(label: str, data: bytes) -> None:
    assert outcome(fitfast.parse, data) == outcome(fit.parse, data)


# --- hand-built files: structures and values the fast path must leave to fitparse -------

_FORMATS = {0x00: "B", 0x02: "B", 0x84: "H", 0x86: "I", 0x88: "f", 0x07: "s", 0x0D: "B"}
Field = tuple[int, int, Any]  # field number, base type id, value (a tuple for an array)


def definition(
    local: int,
    mesg_num: int,
    fields: list[Field],
    big: bool = False,
    developer: tuple[tuple[int, int, int], ...] = (),
) -> bytes:
    header = 0x40 | local | (0x20 if developer else 0)
    order = ">" if big else "<"
    out = bytes([header, 0, int(big)]) + struct.pack(order + "H", mesg_num) + bytes([len(fields)])
    for number, base, value in fields:
        out += bytes([number, len(payload([(number, base, value)], big)), base])
    if developer:
        out += bytes([len(developer)]) + b"".join(bytes(d) for d in developer)
    return out


def payload(fields: list[Field], big: bool = False) -> bytes:
    order = ">" if big else "<"
    out = b""
    for _number, base, value in fields:
        if base == 0x07:
            out += value
        else:
            values = value if isinstance(value, tuple) else (value,)
            out += struct.pack(f"{order}{len(values)}{_FORMATS[base]}", *values)
    return out


def message(local: int, mesg_num: int, fields: list[Field], big: bool = False) -> bytes:
    return definition(local, mesg_num, fields, big) + bytes([local]) + payload(fields, big)


def fit_file(*messages: bytes, header_size: int = 14) -> bytes:
    body = b"".join(messages)
    header = struct.pack("<BBHI4s", header_size, 0x20, 2100, len(body), b".FIT")
    if header_size == 14:
        header += struct.pack("<H", fit.fit_crc(header))
    whole = header + body
    return whole + struct.pack("<H", fit.fit_crc(whole))


T0 = fit_seconds(START)


def activity_messages(big: bool = False, **session_values: int) -> list[bytes]:
    values = {
        2: T0,
        5: 1,
        6: 0,
        7: 1_800_000,
        8: 1_750_000,
        9: 500_000,
        18: 82,
        22: 40,
        253: T0 + 1800,
        **session_values,
    }
    bases = {2: 0x86, 5: 0x00, 6: 0x00, 7: 0x86, 8: 0x86, 9: 0x86, 18: 0x02, 22: 0x84, 253: 0x86}
    return [
        message(0, 0, [(0, 0x00, 4), (1, 0x84, 1), (2, 0x84, 2697), (4, 0x86, T0)], big),
        message(1, 20, [(253, 0x86, T0), (5, 0x86, 0)], big),
        message(2, 18, [(n, bases[n], v) for n, v in values.items()], big),
        message(3, 34, [(253, 0x86, T0 + 1800), (5, 0x86, T0 + 1800 + 3600)], big),
    ]


@pytest.mark.parametrize("big", [False, True])
@pytest.mark.parametrize("header_size", [12, 14])
def test_hand_built_file_in_either_byte_order(big: bool, header_size: int) -> None:
    data = fit_file(*activity_messages(big), header_size=header_size)
    fast = outcome(fitfast.parse, data)
    assert fast == outcome(fit.parse, data)
    found = fast[1][0]
    assert (found.distance_m, found.duration_s, found.device) == (5000.0, 1750.0, "garmin fenix5")


def hostile_files() -> Iterator[tuple[str, bytes]]:
    good = activity_messages()
    # fitparse turns these values into times of day or datetimes, and fails
    yield "time of day past midnight", fit_file(*good, message(4, 3, [(28, 0x86, 90_000)]))
    yield (
        "local time named 'min'",
        fit_file(*good[:3], message(3, 34, [(253, 0x86, T0), (5, 0x86, 0x10000000)])),
    )
    yield "local time 'min' stepped over", fit_file(*good, message(4, 162, [(3, 0x86, 0x10000000)]))
    yield "timestamp array", fit_file(*good, message(5, 21, [(253, 0x86, (T0, T0))]))
    yield "timestamp as text", fit_file(*good, message(5, 21, [(253, 0x07, b"2024\x00")]))
    yield (
        "float with accumulated components",
        fit_file(*good, message(5, 20, [(18, 0x88, 1.5)]), bytes([5]) + struct.pack("<f", 2.5)),
    )
    yield (
        "developer field never described",
        fit_file(
            *good,
            definition(6, 20, [(253, 0x86, T0)], developer=((0, 1, 0),))
            + bytes([6])
            + struct.pack("<IB", T0, 7),
        ),
    )
    # framing the fast path does not take on
    yield (
        "compressed timestamp",
        fit_file(
            *good, definition(1, 20, [(5, 0x86, 0)]), bytes([0x80 | (1 << 5) | 3]) + b"\0" * 4
        ),
    )
    yield "undefined local type", fit_file(*good, bytes([9]) + b"\0" * 4)
    yield (
        "odd field size",
        fit_file(
            *good, definition(5, 20, [(5, 0x86, 0)])[:-2] + bytes([3, 0x86]) + bytes([5, 1, 2, 3])
        ),
    )
    bad_crc = bytearray(fit_file(*good))
    bad_crc[-1] ^= 0xFF
    yield "file CRC", bytes(bad_crc)
    yield "truncated", fit_file(*good)[:-9]


@pytest.mark.parametrize(("label", "data"), list(hostile_files()), ids=lambda v: str(v)[:30])
def test_hostile_file_is_left_to_fitparse(label: str, data: bytes) -> None:
    with pytest.raises(FastPathDeclined):
        fitfast.parse(data, context())
    assert outcome(fitfast.parse_summary, data) == outcome(fit.parse, data)


def test_fitparse_really_fails_on_the_values_the_walk_checks() -> None:
    """The walk's value checks are not superstition: the reference reports damage."""
    for label, data in list(hostile_files())[:6]:
        result = outcome(fit.parse, data)
        assert result[0] == "ok", label
        assert any("could not be decoded" in (a.integrity_note or "") for a in result[1]), label


# --- the compact profile against fitparse's own -----------------------------------------


def test_base_types_match_fitparse() -> None:
    assert set(fitprofile.BASE_TYPES) == set(FITPARSE_BASE_TYPES)
    for number, base in fitprofile.BASE_TYPES.items():
        theirs = FITPARSE_BASE_TYPES[number]
        assert (base.name, base.fmt, base.size) == (theirs.name, theirs.fmt, theirs.size)


@pytest.mark.parametrize("kind", sorted(fitprofile.ENUMS))
def test_enum_names_match_fitparse(kind: str) -> None:
    assert fitprofile.ENUMS[kind] == fitparse_profile.FIELD_TYPES[kind].values


def _kind(field_type: Any) -> str:
    name = field_type.name
    if name in fitprofile.ENUMS or name in ("date_time", "local_date_time", "string"):
        return name
    assert field_type.values is None, name  # a named type we would not render
    return "number"


@pytest.mark.parametrize("mesg_num", sorted(fitprofile.MESSAGES))
def test_decoded_fields_match_fitparse(mesg_num: int) -> None:
    theirs = fitparse_profile.MESSAGE_TYPES[mesg_num].fields
    for number, field in fitprofile.MESSAGES[mesg_num].items():
        other = theirs[number]
        assert (field.name, field.kind, field.scale, field.offset) == (
            other.name,
            _kind(other.type),
            other.scale,
            other.offset,
        )
        # every subfield, or a value would be read under the wrong name
        wanted = [
            (
                sub.name,
                _kind(sub.type),
                sub.scale,
                tuple((ref.def_num, ref.raw_value) for ref in sub.ref_fields),
            )
            for sub in other.subfields or ()
        ]
        assert all(not sub.offset for sub in other.subfields or ())
        assert [tuple(s) for s in field.subfields] == wanted


def _read_names(mesg_num: int) -> set[str]:
    known = fitprofile.MESSAGES[mesg_num].values()
    return {f.name for f in known} | {s.name for f in known for s in f.subfields}


@pytest.mark.parametrize("mesg_num", sorted(fitprofile.MESSAGES))
def test_every_fitparse_source_of_a_read_name_is_covered(mesg_num: int) -> None:
    """A name the summary reads must not also come from a field the walk ignores."""
    names = _read_names(mesg_num)
    ours = fitprofile.MESSAGES[mesg_num]
    for number, other in fitparse_profile.MESSAGE_TYPES[mesg_num].fields.items():
        produced = {other.name} | {s.name for s in other.subfields or ()}
        if produced & names:
            assert number in ours, other.name
        targets = set()
        for component in _components(other):
            target = fitparse_profile.MESSAGE_TYPES[mesg_num].fields[component.def_num]
            targets |= {target.name} | {s.name for s in target.subfields or ()}
        if targets:
            assert set(fitprofile.COMPONENT_FIELDS[(mesg_num, number)]) == targets


def _components(field: Any) -> list[Any]:
    found = list(field.components or ())
    for sub in field.subfields or ():
        found.extend(sub.components or ())
    return found


def test_complete_messages_list_every_fitparse_field() -> None:
    for mesg_num in fitprofile.COMPLETE:
        theirs = fitparse_profile.MESSAGE_TYPES[mesg_num].fields
        assert set(fitprofile.MESSAGES[mesg_num]) == set(theirs)


def test_conversion_rules_match_fitparse() -> None:
    kinds: dict[str, set[tuple[int, int]]] = {}
    components = set()
    for mesg_num, mesg in fitparse_profile.MESSAGE_TYPES.items():
        for number, field in mesg.fields.items():
            names = {field.type.name} | {s.type.name for s in field.subfields or ()}
            for kind in names:
                kinds.setdefault(kind, set()).add((mesg_num, number))
            if _components(field):
                components.add((mesg_num, number))
    date_times = {key for key in kinds["date_time"] if key[1] != fitprofile.TIMESTAMP_DEF}
    assert date_times == fitprofile.DATE_TIME_FIELDS
    assert kinds["local_date_time"] == fitprofile.LOCAL_DATE_TIME_FIELDS
    assert kinds["localtime_into_day"] == fitprofile.TIME_OF_DAY_FIELDS
    assert set(fitprofile.COMPONENT_FIELDS) == components
    assert fitparse_profile.FIELD_TYPES["local_date_time"].values == {
        fitprofile.LOCAL_DATE_TIME_MIN: "min"
    }


# --- differential: random field types and values, anywhere in a file -------------------

#: messages with fields fitparse converts, splits or names, and one it does not know
_MESSAGES = (0, 3, 12, 18, 19, 20, 21, 23, 34, 55, 132, 162, 206, 207, 0xFF00)
_FIELD_NUMBERS = (0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 18, 22, 25, 28, 39, 92, 253)


@st.composite
def random_message(draw: st.DrawFn) -> bytes:
    mesg_num = draw(st.sampled_from(_MESSAGES))
    big = draw(st.booleans())
    fields = draw(
        st.lists(
            st.tuples(
                st.sampled_from(_FIELD_NUMBERS),
                st.sampled_from(sorted(FITPARSE_BASE_TYPES)),
                st.integers(min_value=1, max_value=2),
            ),
            min_size=1,
            max_size=4,
            unique_by=lambda f: f[0],
        )
    )
    out = bytes([0x40 | 7, 0, int(big)]) + struct.pack(">H" if big else "<H", mesg_num)
    out += bytes([len(fields)])
    size = 0
    for number, base, count in fields:
        width = FITPARSE_BASE_TYPES[base].size * count
        out += bytes([number, width, base])
        size += width
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        # biased towards the values FIT treats specially
        body = draw(
            st.lists(
                st.sampled_from([0x00, 0x01, 0x10, 0x7F, 0xFF]) | st.integers(0, 255),
                min_size=size,
                max_size=size,
            )
        )
        out += bytes([7]) + bytes(body)
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(random_message(), max_size=3), st.integers(min_value=0, max_value=4))
def test_random_fields_give_what_the_fitparse_importer_gives(
    extra: list[bytes], where: int
) -> None:
    messages = activity_messages()
    messages[where:where] = extra
    data = fit_file(*messages)
    assert outcome(fitfast.parse_summary, data) == outcome(fit.parse, data)
