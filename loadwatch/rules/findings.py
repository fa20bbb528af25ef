"""What a rule says: a ``Finding`` with the measurement, the advice and the evidence."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from loadwatch.display import km_mi
from loadwatch.units import Units

# A distance inside a message is kept as its metres between two private-use
# characters until the message is said in a unit; no text from a file reaches a
# message unescaped with these, and they never leave a Finding.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{_OPEN}([^{_CLOSE}]+){_CLOSE}")


def distance_mark(metres: float, units: Units) -> str:
    """A distance for a message: its metres, and the unit to say it in first by default."""
    return f"{_OPEN}{float(metres)!r} {units.value}{_CLOSE}"


def say_distances(text: str, units: Units | None = None) -> str:
    """``text`` with each marked distance said in ``units`` first (default: the mark's own).

    ``7.5 mi (12.0 km)`` in miles, ``12.0 km (7.5 mi)`` in kilometres.
    """

    def said(found: re.Match[str]) -> str:
        metres, own = found.group(1).split(" ")
        return km_mi(float(metres), units or Units(own))

    return _MARK.sub(said, text)


class Severity(StrEnum):
    INFO = "info"
    CAUTION = "caution"
    WARNING = "warning"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_RANK = {Severity.INFO: 0, Severity.CAUTION: 1, Severity.WARNING: 2}


@dataclass(frozen=True, slots=True)
class Evidence:
    #: short citation, e.g. "Frandsen et al. 2025, Br J Sports Med 59:1203-10"
    source: str
    #: A (RCT or large prospective cohort) ... D (convention or opinion); see science notes
    grade: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    #: local date of the run, or the last day of the week the finding is about
    # module-qualified: the field named ``date`` would shadow the type in this body
    date: datetime.date
    week_start: datetime.date
    value: float
    threshold: float
    #: unit of value and threshold: "%", "km", "mi", "days", "ratio"...
    unit: str
    #: what was measured, with numbers
    message: str
    #: what to do, tied to heel-pain guidance
    advice: str
    evidence: Evidence
    activity_id: str | None = None
    shoe: str | None = None
    #: why the finding has its severity (the evidence behind the level, or what raised it)
    severity_reason: str = ""
    #: the message with its distances kept as numbers (``distance_mark``), so that
    #: ``in_units`` can say them in another unit; empty when it has no distance
    template: str = ""

    def __post_init__(self) -> None:
        # a rule writes distances as marks; the message people read says them
        if _OPEN in self.message:
            object.__setattr__(self, "template", self.message)
            object.__setattr__(self, "message", say_distances(self.message))

    def in_units(self, units: Units) -> Finding:
        """This finding with its distances said in ``units`` first."""
        if not self.template:
            return self
        return replace(self, message=say_distances(self.template, units))

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "date": self.date.isoformat(),
            "week_start": self.week_start.isoformat(),
            "value": self.value,
            "threshold": self.threshold,
            "unit": self.unit,
            "message": self.message,
            "advice": self.advice,
            "evidence": {"source": self.evidence.source, "grade": self.evidence.grade},
            "activity_id": self.activity_id,
            "shoe": self.shoe,
            "severity_reason": self.severity_reason,
        }


#: most serious first, the order findings are grouped in for people
SEVERITY_ORDER: tuple[Severity, ...] = (Severity.WARNING, Severity.CAUTION, Severity.INFO)


def newest_first(finding: Finding) -> tuple[Any, ...]:
    """Sort key: newest date first, then most serious, then a stable tie-break."""
    return (
        -finding.date.toordinal(),
        -finding.severity.rank,
        finding.rule,
        finding.activity_id or "",
        -finding.week_start.toordinal(),
        finding.value,
    )


def by_severity(findings: list[Finding]) -> dict[Severity, list[Finding]]:
    """Findings grouped warning, caution, info (each group keeps the given order)."""
    return {
        severity: [f for f in findings if f.severity is severity] for severity in SEVERITY_ORDER
    }


def any_at_least(findings: list[Finding], severity: Severity) -> bool:
    """Whether a finding reaches ``severity`` (``check --fail-on``)."""
    return any(f.severity.at_least(severity) for f in findings)
