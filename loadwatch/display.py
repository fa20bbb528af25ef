"""Formatting at the edge: distances in the runner's unit, durations as h:mm:ss."""

from __future__ import annotations

import unicodedata

from loadwatch.units import METRES_PER_KM, METRES_PER_MILE, Units, to_unit

# A spreadsheet runs a cell starting with these as a formula (tab and CR too, which
# some strip first); East Asian input methods type the fullwidth forms, which
# spreadsheets read as the ASCII ones, so cells are compared after NFKC folding.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula (CSV injection)."""
    if text.startswith(_FORMULA_START):
        return True
    head = unicodedata.normalize("NFKC", text[:4]).lstrip(" \u3000")
    return head.startswith(_FORMULA_START)


def distance(metres: float | None, units: Units, digits: int = 2) -> str:
    if metres is None:
        return ""
    return f"{to_unit(metres, units):.{digits}f} {units.value}"


def km_mi(metres: float, units: Units = Units.KM) -> str:
    """A distance for messages in both units, the runner's first: ``7.5 mi (12.0 km)``."""
    km = f"{metres / METRES_PER_KM:.1f} km"
    mi = f"{metres / METRES_PER_MILE:.1f} mi"
    return f"{mi} ({km})" if units is Units.MI else f"{km} ({mi})"


def percent(value: float) -> str:
    """A percentage to one decimal, so a value just past a threshold never reads as on it."""
    shown = f"{value:.1f}"
    return "0.0" if shown == "-0.0" else shown


def signed_percent(value: float) -> str:
    """A change as ``+6%`` or ``-7%``; a change that rounds to nothing is ``0%``, never ``-0%``."""
    whole = round(value)
    return "0%" if whole == 0 else f"{whole:+d}%"


def hours_minutes(seconds: float) -> str:
    """A weekly total as ``4:05`` (hours and minutes)."""
    minutes = int(round(seconds / 60.0))
    return f"{minutes // 60}:{minutes % 60:02d}"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def pace(metres: float | None, seconds: float | None, units: Units) -> str:
    """Minutes per mile or kilometre, e.g. ``8:05 /mi``."""
    if not metres or not seconds:
        return ""
    per_unit = seconds / to_unit(metres, units)
    minutes, secs = divmod(int(round(per_unit)), 60)
    return f"{minutes}:{secs:02d} /{units.value}"
