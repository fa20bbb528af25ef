"""The byte-level bad-input campaign: truncations, fuzzing, hostile XML, wrong names.

Each class of scripts/reliability_campaign.py runs at CI size here (a few hundred
fuzzed cases per format, every truncation offset of the small files); with
``LOADWATCH_CAMPAIGN=long`` the same tests run the long campaign (20,000 fuzzed
cases per format from every real file of the corpus, every offset of six real FIT
files). A failure lists the cases that broke a rule, each reproducible from its
label.
"""

from __future__ import annotations

import math
import random
import signal
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from helpers.activities import make_activity
from test_reliability_regressions import load_campaign

from loadwatch.errors import CorruptFileError
from loadwatch.ingest.importers import ParseContext, fit
from loadwatch.model import ParsedFile

campaign = load_campaign()
SCALE = campaign.scale_from_env()
NAMES = [klass.name for klass in campaign.CLASSES]


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(NAMES)), ids=NAMES)
def test_every_case_imports_or_is_refused_with_one_line(index: int) -> None:
    [tally] = campaign.run_classes([index], SCALE, campaign.workers_from_env())
    campaign.record_tally(tally)
    shown = "\n".join(tally.failures[:10])
    assert not tally.failures, f"{len(tally.failures)} failing cases, first ones:\n{shown}"
    assert tally.cases == tally.imported + tally.empty + tally.refused
    if "fuzzed" in tally.klass:
        assert tally.cases == SCALE.fuzz
    # a case over its processor-time budget is stopped and listed in tally.failures
    # (test_the_judge_stops_a_case_that_hangs); tally.slowest_s is a figure for
    # RELIABILITY.md, not a bound to assert on here


def test_the_long_campaign_is_as_big_as_the_issues_ask() -> None:
    long = campaign.LONG
    assert long.fuzz >= 20_000 and long.every_corpus_file and long.full_bombs
    assert len(long.fit_truncated) >= 3
    fit_truncations = sum(1 for _ in campaign.fit_truncation_cases(long))
    assert fit_truncations > 25_000
    # at least 20,000 cases per format (issue 17), fuzzed from every real file
    for fmt in ("gpx", "tcx"):
        truncations = sum(1 for _ in campaign.xml_truncation_cases(fmt)(long))
        assert truncations + long.fuzz >= 20_000
    assert sum(1 for _ in campaign.csv_truncation_cases(long)) + long.fuzz >= 20_000
    every_fit = campaign.corpus_files("fit")
    assert len(every_fit) > 40 and campaign.fit_seeds(long) == every_fit
    assert long.kills >= 20 and campaign.QUICK.kills >= 20
    assert campaign.CASE_BUDGET_S == 2.0 and campaign.CASE_MEMORY_MB == 200.0


def test_every_new_kind_of_fit_mutant_stays_framed_and_checksummed() -> None:
    """Mutants that change a file's length keep every header size and CRC right."""
    seeds = [
        (name, campaign.corpus_bytes(name))
        for name in ("fitparse__garmin-fenix-5-run.fit", "fitparse__Activity.fit")
    ]
    mutants = campaign.fit_mutants(seeds, random.Random(5))
    seen: set[str] = set()
    for label, data in (next(mutants) for _ in range(600)):
        kind = next(
            (
                k
                for k in (
                    "duplicate session",
                    "global message number",
                    "255-field definition",
                    "chained copy",
                )
                if k in label
            ),
            None,
        )
        if kind is None:
            continue
        seen.add(kind)
        framing = fit._frame(data)
        assert not framing.crc_mismatch, label
        if kind in ("duplicate session", "255-field definition"):
            assert framing.failure is None, (label, framing.failure)
        if kind == "255-field definition" and "no definition" not in label:
            assert 255 in {data[at + 5] for at in campaign.fit_layout(data).definitions}, label
    assert seen == {
        "duplicate session",
        "global message number",
        "255-field definition",
        "chained copy",
    }


def test_fit_mutants_keep_their_crc_valid_when_they_say_so() -> None:
    seeds = [("a.fit", campaign.corpus_bytes("fitparse__Activity.fit"))]
    mutants = campaign.fit_mutants(seeds, random.Random(1))
    checked = 0
    for label, data in (next(mutants) for _ in range(200)):
        if "definition field size" in label:
            # the last two bytes are the CRC of everything before them
            assert campaign.fit_crc(data[:-2]) == int.from_bytes(data[-2:], "little"), label
            checked += 1
    assert checked > 5


# ------------------------------------------------------------------ the judge itself


Parse = Callable[[bytes, ParseContext], ParsedFile]


def judged(parse: Parse, monkeypatch: pytest.MonkeyPatch) -> campaign.Tally:
    monkeypatch.setattr(campaign, "parse_bytes", parse)
    tally = campaign.Tally("probe")
    campaign.judge(tally, "probe case", b"data", "probe.gpx", ZoneInfo("UTC"))
    return tally


def giving(**values: object) -> Parse:
    def parse(data: bytes, ctx: ParseContext) -> ParsedFile:
        return ParsedFile(activities=[make_activity("2024-03-02T07:00:00", **values)])

    return parse


def raising(error: Exception) -> Parse:
    def parse(data: bytes, ctx: ParseContext) -> ParsedFile:
        raise error

    return parse


def nothing(data: bytes, ctx: ParseContext) -> ParsedFile:
    return ParsedFile()


def growing(data: bytes, ctx: ParseContext) -> ParsedFile:
    hoard = bytearray(60 * 2**20)  # touched, so it is resident
    hoard[::4096] = b"x" * len(hoard[::4096])
    return giving()(data, ctx)


def test_the_judge_notices_a_case_that_grows_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    if campaign.reset_peak_memory() is None:
        pytest.skip("peak memory is read from /proc (Linux)")
    monkeypatch.setattr(campaign, "CASE_MEMORY_MB", 30.0)
    tally = judged(growing, monkeypatch)
    assert len(tally.failures) == 1 and "grew the process by" in tally.failures[0]
    assert tally.peak_mb is not None and tally.peak_mb >= 55


def test_the_judge_compares_the_fast_fit_path_with_fitparse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = campaign.corpus_bytes("fitparse__garmin-fenix-5-run.fit")
    tally = campaign.Tally("probe")
    campaign.judge(tally, "fit case", data, "run.fit", ZoneInfo("UTC"), both_fit_readers=True)
    assert tally.failures == [] and tally.imported == 1
    real = campaign.fitfast.parse

    def off_by_a_metre(data: bytes, ctx: ParseContext) -> ParsedFile:
        parsed = real(data, ctx)
        [run] = parsed.activities
        return ParsedFile([run.replace(distance_m=(run.distance_m or 0.0) + 1.0)])

    monkeypatch.setattr(campaign.fitfast, "parse", off_by_a_metre)
    campaign.judge(tally, "fit case", data, "run.fit", ZoneInfo("UTC"), both_fit_readers=True)
    assert (
        len(tally.failures) == 1 and "fast FIT path disagrees with fitparse" in (tally.failures[0])
    )


def test_a_csv_with_no_activity_and_no_reason_is_a_failure_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(campaign, "parse_bytes", nothing)
    tally = campaign.Tally("probe")
    campaign.judge(tally, "csv case", b"date,distance_km\n", "log.csv", ZoneInfo("UTC"))
    assert tally.failures == ["csv case: no activity and no reason"]


@pytest.mark.parametrize(
    ("parse", "fault"),
    [
        (raising(ZeroDivisionError("division by zero")), "ZeroDivisionError"),
        (raising(CorruptFileError("two\nlines")), "not one printable"),
        (giving(distance_m=math.nan), "distance_m=nan"),
        (giving(duration_s=-5.0), "duration_s=-5.0"),
        (nothing, "no activity and no reason"),
        (giving(name=7), "name is int"),
    ],
)
def test_the_judge_notices_each_kind_of_failure(
    parse: Parse, fault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tally = judged(parse, monkeypatch)
    assert len(tally.failures) == 1 and fault in tally.failures[0], tally.failures


def test_the_judge_stops_a_case_that_hangs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(campaign, "CASE_BUDGET_S", 0.2)
    armed: list[tuple[int, float]] = []
    setitimer = signal.setitimer

    def spy(which: int, seconds: float, interval: float = 0.0) -> tuple[float, float]:
        armed.append((which, seconds))
        return setitimer(which, seconds, interval)

    monkeypatch.setattr(signal, "setitimer", spy)
    polls = 0

    def hang(data: bytes, ctx: ParseContext) -> ParsedFile:
        # waits without using the processor, so only the wall-clock timer can end it;
        # a judge that failed to stop it would see it return, and list no timeout
        nonlocal polls
        while polls < HANG_POLLS:
            polls += 1
            time.sleep(0.01)
        return giving()(data, ctx)

    tally = judged(hang, monkeypatch)
    assert tally.failures == ["probe case: took more than 0.2 s"]
    assert 0 < polls < HANG_POLLS
    # the processor-time budget and the wall-clock stop behind it, both disarmed after
    assert armed[:2] == [
        (signal.ITIMER_PROF, 0.2),
        (signal.ITIMER_REAL, 0.2 * campaign.WALL_FACTOR),
    ]
    assert armed[-2:] == [(signal.ITIMER_PROF, 0), (signal.ITIMER_REAL, 0)]


#: how long the hanging case would wait if never stopped (0.01 s each, 100 s in all)
HANG_POLLS = 10_000


def test_the_judge_accepts_a_sound_import_and_a_clear_refusal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert judged(giving(), monkeypatch).imported == 1
    refused = judged(raising(CorruptFileError("empty file")), monkeypatch)
    assert (refused.refused, refused.failures) == (1, [])


def test_the_judge_counts_a_shoe_list_as_a_file_that_yields() -> None:
    tally = campaign.Tally("probe")
    shoes = b"Shoe Name,Shoe Brand,Shoe Model\nDaily,Nike,Pegasus 40\n"
    campaign.judge(tally, "shoes case", shoes, "shoes.csv", ZoneInfo("UTC"))
    assert (tally.imported, tally.failures) == (1, [])


def test_stored_activities_must_be_printable_and_in_the_plausible_years() -> None:
    assert campaign.stored_faults(make_activity("2024-03-02T07:00:00", name="Easy")) == []
    faults = campaign.stored_faults(make_activity("1970-01-01T00:00:00", name="\x1b[2J"))
    assert faults == [
        "name is unsafe to print: '\\x1b[2J'",
        "outside the plausibility table: starts on 1970-01-01, before 2000 (earlier than GPS "
        "sports watches): a clock never set or a mistyped date; not counted",
    ]


def test_a_figure_over_its_processor_time_budget_fails_the_campaign_command() -> None:
    # the speed target is the campaign command's to check, not a timed assertion here
    assert campaign.Figure("bomb", 2, "refused", 0, 2.5, 2.0).over_budget
    assert not campaign.Figure("bomb", 2, "refused", 0, 1.5, 2.0).over_budget
    assert not campaign.Figure("a whole run", 1, "exit 0", 0, 9.0).over_budget
