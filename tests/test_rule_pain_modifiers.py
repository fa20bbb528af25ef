"""While heel pain is logged, long-run-spike and weekly-increase are stricter."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import make_activity

from loadwatch.model import Activity
from loadwatch.pain import PainEntry
from loadwatch.rules import Finding, RuleContext, Severity, long_run_spike, weekly_increase


def sore(day: date, level: int = 3) -> PainEntry:
    return PainEntry(day, level, "under", "first-steps")


# -- long-run-spike: a caution becomes a warning ---------------------------------

RUN_DAY = date(2024, 1, 10)


def _spikes(run_km: float, pain: list[PainEntry]) -> list[Finding]:
    runs = [make_activity("2024-01-01 07:00", 10.0), make_activity("2024-01-10 07:00", run_km)]
    return long_run_spike.check(RuleContext.build(runs, date(2024, 1, 31), pain=pain))


def test_a_spike_caution_is_a_warning_while_the_heel_hurts() -> None:
    [plain] = _spikes(12.0, [])
    assert plain.severity is Severity.CAUTION
    [raised] = _spikes(12.0, [sore(RUN_DAY - timedelta(days=13))])
    assert raised.severity is Severity.WARNING
    assert (raised.value, raised.threshold) == (plain.value, plain.threshold)
    assert raised.message.startswith(plain.message)
    assert "you logged heel pain on 2023-12-28, within the 14 days up to it" in raised.message


@pytest.mark.parametrize(
    "pain",
    [
        [sore(RUN_DAY - timedelta(days=14))],  # 15 days up to the run: too long ago
        [sore(RUN_DAY - timedelta(days=5)), PainEntry(RUN_DAY - timedelta(days=2), 0)],
        [sore(RUN_DAY + timedelta(days=1))],  # the pain came after the run
    ],
    ids=["fourteen-days-before", "pain-free-since", "after-the-run"],
)
def test_pain_that_is_over_or_not_yet_there_changes_nothing(pain: list[PainEntry]) -> None:
    [finding] = _spikes(12.0, pain)
    assert finding.severity is Severity.CAUTION
    assert "heel pain on" not in finding.message


def test_a_warning_stays_a_warning_and_no_spike_stays_none() -> None:
    [finding] = _spikes(25.0, [sore(RUN_DAY)])
    assert finding.severity is Severity.WARNING
    assert _spikes(11.0, [sore(RUN_DAY)]) == []  # exactly +10% is still no spike


# -- weekly-increase: below the base distance, from +10% at caution --------------

SUNDAY = date(2024, 1, 14)  # the second week runs Monday 8 to Sunday 14 January


def _weeks(first_km: float, second_km: float, pain: list[PainEntry]) -> list[Finding]:
    runs: list[Activity] = [
        make_activity("2024-01-02 07:00", first_km),
        make_activity("2024-01-09 07:00", second_km),
    ]
    return weekly_increase.check(RuleContext.build(runs, SUNDAY, pain=pain))


def test_below_the_base_a_rise_fires_only_while_the_heel_hurts() -> None:
    assert _weeks(6.0, 7.0, []) == []  # the previous week is below the 10 km base
    [finding] = _weeks(6.0, 7.0, [sore(SUNDAY)])
    assert finding.severity is Severity.CAUTION
    assert finding.value == pytest.approx(16.67)
    assert finding.threshold == 10.0
    assert "you logged heel pain on 2024-01-14" in finding.message


def test_below_the_base_the_boundary_is_still_ten_percent() -> None:
    assert _weeks(5.0, 5.5, [sore(SUNDAY)]) == []  # exactly +10%
    assert len(_weeks(5.0, 5.6, [sore(SUNDAY)])) == 1


def test_below_the_base_even_a_big_rise_is_a_caution() -> None:
    [finding] = _weeks(3.0, 5.0, [sore(SUNDAY)])
    assert finding.severity is Severity.CAUTION


def test_the_pain_window_ends_on_the_weeks_last_day() -> None:
    assert len(_weeks(6.0, 7.0, [sore(SUNDAY - timedelta(days=13))])) == 1
    assert _weeks(6.0, 7.0, [sore(SUNDAY - timedelta(days=14))]) == []


def test_above_the_base_pain_changes_nothing() -> None:
    [plain] = _weeks(10.0, 14.0, [])
    [with_pain] = _weeks(10.0, 14.0, [sore(SUNDAY)])
    assert plain == with_pain and plain.severity is Severity.WARNING
