"""Unit conversions and parsing of distances the user types ("450mi", "720km")."""

from __future__ import annotations

import re
from enum import StrEnum

from loadwatch.errors import UsageError

METRES_PER_MILE = 1609.344
METRES_PER_KM = 1000.0
#: ascent is shown in feet to runners who count miles
FOOT_M = 0.3048


class Units(StrEnum):
    MI = "mi"
    KM = "km"

    @property
    def metres(self) -> float:
        return METRES_PER_MILE if self is Units.MI else METRES_PER_KM


def to_unit(metres: float, units: Units) -> float:
    return metres / units.metres


def climb(metres: float, units: Units) -> float:
    """An ascent in the unit that goes with ``units``: feet for miles, metres for km."""
    return metres / FOOT_M if units is Units.MI else metres


def climb_unit(units: Units) -> str:
    return "ft" if units is Units.MI else "m"


_DISTANCE = re.compile(
    r"^\s*(\d+(?:[.,]\d+)?)\s*(mi|miles?|km|kilometres?|kilometers?|m)\s*$", re.I
)


def parse_distance(text: str) -> float:
    """Parse ``450mi``, ``720 km`` or ``1200m`` into metres; a bare number is refused."""
    match = _DISTANCE.match(text)
    if not match:
        raise UsageError(
            f"'{text}' is not a distance with a unit; write it like 450mi, 720km or 800m"
        )
    value = float(match.group(1).replace(",", "."))
    unit = match.group(2).lower()
    if unit.startswith("mi"):
        return value * METRES_PER_MILE
    if unit.startswith("k"):
        return value * METRES_PER_KM
    return value
