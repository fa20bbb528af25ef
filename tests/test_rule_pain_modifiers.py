"""While heel pain is logged, or after a recent episode, the load rules are stricter."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers.activities import make_activity

from loadwatch.model import Activity
from loadwatch.rules import Finding, RuleContext, Severity, long_run_spike, weekly_increase
from loadwatch.userdata.pain import PainEntry


def sore(day: date, level: int = 3, where: str = "under") -> PainEntry:
    return PainEntry(day, level, where, "first-steps")


# -- long-run-spike: a caution becomes a warning ---------------------------------

RUN_DAY = date(2024, 2, 10)


def _spikes(run_km: float, pain: list[PainEntry]) -> list[Finding]:
    # a month of 10 km runs, then the judged run
    runs = [
        make_activity(f"{date(2024, 1, 1) + timedelta(days=d)} 07:00", 10.0)
        for d in range(0, 35, 5)
    ]
    runs.append(make_activity(f"{RUN_DAY} 07:00", run_km))
    found = long_run_spike.check(RuleContext.build(runs, date(2024, 2, 29), pain=pain))
    return [f for f in found if f.date == RUN_DAY]


def test_a_spike_caution_is_a_warning_while_the_heel_hurts() -> None:
    [plain] = _spikes(12.0, [])
    assert plain.severity is Severity.CAUTION
    [raised] = _spikes(12.0, [sore(RUN_DAY - timedelta(days=13))])
    assert raised.severity is Severity.WARNING
    assert (raised.value, raised.threshold) == (plain.value, plain.threshold)
    assert raised.message.startswith(plain.message)
    assert "you logged heel pain on 2024-01-28, within the 14 days up to it" in raised.message
    # the raised warning says to see a professional, as every warning does
    assert "physiotherapist, GP or podiatrist" in raised.advice
    assert "raised from caution because heel pain is logged" in raised.severity_reason


@pytest.mark.parametrize(
    "pain",
    [
        [sore(RUN_DAY - timedelta(days=5)), PainEntry(RUN_DAY - timedelta(days=2), 0)],
        [sore(RUN_DAY + timedelta(days=1))],  # the pain came after the run
        [sore(RUN_DAY - timedelta(days=400))],  # an episode over a year before
    ],
    ids=["pain-free-since-a-few-days", "after-the-run", "over-a-year-ago"],
)
def test_pain_that_is_over_long_ago_or_not_yet_there_changes_nothing(
    pain: list[PainEntry],
) -> None:
    if pain[0].day == RUN_DAY - timedelta(days=5):
        # five days ago and pain-free since: that episode is within 12 months (below)
        [finding] = _spikes(12.0, pain)
        assert finding.severity is Severity.WARNING
        assert "last 12 months" in finding.severity_reason
        return
    [finding] = _spikes(12.0, pain)
    assert finding.severity is Severity.CAUTION
    assert "heel pain" not in finding.message


def test_an_episode_in_the_last_12_months_raises_a_spike_caution_to_a_warning() -> None:
    # pain from 1 to 12 March 2023, ended with a 0 entry: 11 months before the run
    episode = [
        sore(date(2023, 3, 1), where="back"),
        sore(date(2023, 3, 12), where="back"),
        PainEntry(date(2023, 3, 13), 0),
    ]
    [finding] = _spikes(12.0, episode)
    assert finding.severity is Severity.WARNING
    assert "heel pain from 2023-03-01 to 2023-03-12" in finding.message
    assert "Lagas" in finding.severity_reason and "6.3" in finding.severity_reason
    assert "physiotherapist, GP or podiatrist" in finding.advice
    # 366 days after the last painful entry it no longer counts
    late = [PainEntry(RUN_DAY - timedelta(days=366), 3, "back")]
    [plain] = _spikes(12.0, late)
    assert plain.severity is Severity.CAUTION


def test_a_warning_stays_a_warning_and_no_spike_stays_none() -> None:
    [finding] = _spikes(25.0, [sore(RUN_DAY)])
    assert finding.severity is Severity.WARNING
    assert _spikes(11.0, [sore(RUN_DAY)]) == []  # exactly +10% is still no spike


# -- weekly-increase: raised one level, and from below the base -------------------

WEEK = date(2024, 2, 5)
SUNDAY = WEEK + timedelta(days=6)


def _weeks(before_km: float, week_km: float, pain: list[PainEntry]) -> list[Finding]:
    """Five weeks of ``before_km`` (a run each Wednesday), then the judged week."""
    runs: list[Activity] = [
        make_activity(f"{WEEK - timedelta(weeks=w, days=-2)} 07:00", before_km) for w in range(1, 6)
    ]
    runs.append(make_activity(f"{WEEK + timedelta(days=2)} 07:00", week_km))
    found = weekly_increase.check(RuleContext.build(runs, SUNDAY, pain=pain))
    return [f for f in found if f.week_start == WEEK]


def test_below_the_base_a_rise_fires_only_while_the_heel_hurts() -> None:
    assert _weeks(6.0, 7.0, []) == []  # the baseline is below the 10 km base
    [finding] = _weeks(6.0, 7.0, [sore(SUNDAY)])
    # +16.7% is information, raised to a caution by the pain
    assert finding.severity is Severity.CAUTION
    assert finding.value == pytest.approx(16.67)
    assert finding.threshold == 10.0
    assert "you logged heel pain on 2024-02-11" in finding.message
    assert "raised one level because heel pain is logged" in finding.severity_reason
    assert "physiotherapist, GP or podiatrist" in finding.advice


def test_below_the_base_the_boundary_is_still_ten_percent() -> None:
    assert _weeks(5.0, 5.5, [sore(SUNDAY)]) == []  # exactly +10%
    assert len(_weeks(5.0, 5.6, [sore(SUNDAY)])) == 1


def test_a_big_rise_while_the_heel_hurts_is_a_warning() -> None:
    [finding] = _weeks(10.0, 14.0, [sore(SUNDAY)])  # +40%: a caution, raised
    assert finding.severity is Severity.WARNING
    [plain] = _weeks(10.0, 14.0, [])
    assert plain.severity is Severity.CAUTION


def test_the_pain_window_ends_on_the_weeks_last_day() -> None:
    assert len(_weeks(6.0, 7.0, [sore(SUNDAY - timedelta(days=13))])) == 1
    assert _weeks(6.0, 7.0, [sore(SUNDAY - timedelta(days=14))]) == []
