"""The heel-pain diary: its entries and the episodes they make; pure functions only.

The diary is user data (``userdata.sqlite``), never rebuilt from exports:
``pain_store`` reads and writes it, ``pain_csv`` exchanges it as CSV, and
``loadwatch.pain_review`` says what changed in training before an episode.
"Today" is always a parameter.

Two definitions hold the rest together:

* An **episode** starts with the first entry above 0 after a 0 entry, or after
  at least ``PAIN_FREE_DAYS`` (14) pain-free days, and holds every entry up to the
  next episode. A 0 entry ends an episode at once; a day with no entry counts as
  pain-free, so two painful entries 15 or more days apart belong to different
  episodes, 14 days apart to the same one.
* A day is **in pain** when the latest entry of the ``RECENT_PAIN_DAYS`` (14)
  days up to and including it is above 0; a 0 entry ends it at once.
* Pain has **lasted** N days from its first to its last painful entry of an
  episode, both days counted (``days_of_pain``); ``PERSISTENT_DAYS`` (14) of them
  is when the guidance says to see a professional, and ``pain why`` and the
  ``pain-persistent`` rule both use this one count.

What the diary shows is an association with training, never a diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from loadwatch.errors import UsageError

if TYPE_CHECKING:
    pass

WHERE: tuple[str, ...] = ("under", "back", "both")
WHEN: tuple[str, ...] = ("first-steps", "after-run", "during-run", "rest", "night")
SIDES: tuple[str, ...] = ("left", "right", "both")
MAX_LEVEL = 10
#: a note is a reminder, not a document; longer text is almost surely a paste mistake
MAX_NOTE = 500

PAIN_FREE_DAYS = 14
RECENT_PAIN_DAYS = 14
PERSISTENT_DAYS = 14
#: an episode that ended this many days before a run still counts as a previous
#: heel or Achilles problem (Lagas et al. 2020: previous 12 months)
PREVIOUS_EPISODE_DAYS = 365


WHERE_WORDS = {
    "under": "under the heel",
    "back": "at the back of the heel",
    "both": "under and at the back of the heel",
}
WHEN_WORDS = {
    "first-steps": "on the first steps",
    "after-run": "after running",
    "during-run": "while running",
    "rest": "at rest",
    "night": "at night",
}


# ---------------------------------------------------------------------------
# entries


@dataclass(frozen=True, slots=True)
class PainEntry:
    """One diary line: how much the heel hurt on a local date, where and when."""

    day: date
    #: 0 (no pain) to 10 (worst imaginable)
    level: int
    #: under | back | both; only a 0 entry may leave it out
    where: str | None = None
    #: first-steps | after-run | during-run | rest | night
    when: str | None = None
    #: left | right | both
    side: str | None = None
    swelling: bool = False
    cannot_bear_weight: bool = False
    note: str | None = None
    #: the diary's number for the entry; None until stored
    id: int | None = None

    @property
    def hurts(self) -> bool:
        return self.level > 0

    def describe(self, flags: bool = True) -> str:
        """``4/10 under the heel on the first steps (left), swelling``; ``flags``: the last part."""
        parts = [f"{self.level}/10"]
        if self.where:
            parts.append(WHERE_WORDS[self.where])
        if self.when:
            parts.append(WHEN_WORDS[self.when])
        text = " ".join(parts)
        if self.side:
            text += f" ({self.side} foot)" if self.side != "both" else " (both feet)"
        extras = [
            word
            for flag, word in (
                (self.swelling, "swelling"),
                (self.cannot_bear_weight, "cannot bear weight"),
            )
            if flag
        ]
        return ", ".join([text, *extras]) if flags else text

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.day.isoformat(),
            "level": self.level,
            "where": self.where,
            "when": self.when,
            "side": self.side,
            "swelling": self.swelling,
            "cannot_bear_weight": self.cannot_bear_weight,
            "note": self.note,
        }


def _one_of(value: str | None, allowed: Sequence[str], what: str) -> str | None:
    if value is None:
        return None
    cleaned = value.strip().lower()
    if cleaned not in allowed:
        raise UsageError(f"{what} must be one of {', '.join(allowed)}, not '{value}'")
    return cleaned


def validate(entry: PainEntry, today: date | None = None) -> PainEntry:
    """The entry with its words normalised, or a ``UsageError`` saying what is wrong.

    ``today`` (when given) refuses entries dated in the future.
    """
    if isinstance(entry.level, bool) or not isinstance(entry.level, int):
        raise UsageError(f"the pain level must be a whole number from 0 to {MAX_LEVEL}")
    if not 0 <= entry.level <= MAX_LEVEL:
        raise UsageError(f"the pain level must be from 0 to {MAX_LEVEL}, not {entry.level}")
    if today is not None and entry.day > today:
        raise UsageError(f"{entry.day.isoformat()} is in the future; pain is logged as it happens")
    where = _one_of(entry.where, WHERE, "where")
    if where is None and entry.level > 0:
        raise UsageError("say where it hurts: under (the heel), back (of the heel) or both")
    note = " ".join(entry.note.split()) if entry.note else None
    if note and len(note) > MAX_NOTE:
        raise UsageError(f"a note can be at most {MAX_NOTE} characters")
    return replace(
        entry,
        where=where,
        when=_one_of(entry.when, WHEN, "when"),
        side=_one_of(entry.side, SIDES, "side"),
        swelling=bool(entry.swelling),
        cannot_bear_weight=bool(entry.cannot_bear_weight),
        note=note or None,
    )


def diary_order(entry: PainEntry) -> tuple[date, int]:
    """Oldest first; entries of one day in the order they were logged."""
    return (entry.day, entry.id if entry.id is not None else 0)


def up_to(entries: Iterable[PainEntry], as_of: date | None) -> list[PainEntry]:
    """The entries dated up to ``as_of`` (all when None), in diary order."""
    kept = [e for e in entries if as_of is None or e.day <= as_of]
    return sorted(kept, key=diary_order)


def in_pain(
    entries: Iterable[PainEntry], day: date, days: int = RECENT_PAIN_DAYS
) -> PainEntry | None:
    """The painful entry that makes ``day`` a day in pain, or None (see module docs)."""
    window = [e for e in up_to(entries, day) if (day - e.day).days < days]
    if not window or not window[-1].hurts:
        return None
    return window[-1]


def days_of_pain(first: date, last: date) -> int:
    """How many days pain has lasted from its first to its last entry, both counted."""
    return (last - first).days + 1


def pain_note(pain_day: date) -> str:
    """The sentence a load rule adds when it is stricter because the heel hurts."""
    return (
        f"It counts for more because you logged heel pain on {pain_day.isoformat()}, "
        f"within the {RECENT_PAIN_DAYS} days up to it; heel-pain guidance (NHS) advises "
        "resting a sore heel from running rather than adding load."
    )


def previous_episode(entries: Iterable[PainEntry], day: date) -> Episode | None:
    """The latest episode that ended before ``day`` within the 12 months before it.

    "Ended" means the heel was not in pain on ``day`` (``in_pain``); an ongoing
    episode is the pain the load rules already allow for.
    """
    if in_pain(entries, day) is not None:
        return None
    earlier = [
        e
        for e in episodes(entries, day)
        if e.painful and 0 <= (day - e.last_pain).days <= PREVIOUS_EPISODE_DAYS
    ]
    return earlier[-1] if earlier else None


# ---------------------------------------------------------------------------
# episodes


@dataclass(frozen=True, slots=True)
class Episode:
    """A spell of heel pain: its entries (0 entries included) up to the next episode."""

    #: 1 for the first episode in the diary, counting up
    number: int
    entries: tuple[PainEntry, ...]

    @property
    def onset(self) -> date:
        return self.entries[0].day

    @property
    def painful(self) -> tuple[PainEntry, ...]:
        return tuple(e for e in self.entries if e.hurts)

    @property
    def last_pain(self) -> date:
        return self.painful[-1].day

    @property
    def peak(self) -> int:
        return max(e.level for e in self.entries)

    @property
    def days(self) -> int:
        """Days from the first to the last painful entry, both included (``days_of_pain``)."""
        return days_of_pain(self.onset, self.last_pain)

    def ongoing(self, as_of: date) -> bool:
        return in_pain(self.entries, as_of) is not None

    def summary(self, as_of: date) -> str:
        """``Episode 2: from 2026-11-23, up to 5/10, 8 entries; still ongoing.``"""
        state = (
            "still ongoing"
            if self.ongoing(as_of)
            else f"last pain logged on {self.last_pain.isoformat()}"
        )
        count = len(self.painful)
        return (
            f"Episode {self.number}: from {self.onset.isoformat()}, up to {self.peak}/10, "
            f"{count} painful entr{'y' if count == 1 else 'ies'} over {self.days} "
            f"day{'s' if self.days != 1 else ''}; {state}."
        )

    def to_dict(self, as_of: date) -> dict[str, Any]:
        return {
            "number": self.number,
            "onset": self.onset.isoformat(),
            "last_pain": self.last_pain.isoformat(),
            "peak": self.peak,
            "entries": len(self.painful),
            "ongoing": self.ongoing(as_of),
        }


def episodes(entries: Iterable[PainEntry], as_of: date | None = None) -> list[Episode]:
    """The diary's episodes up to ``as_of``, oldest first (0 entries before any pain dropped)."""
    groups: list[list[PainEntry]] = []
    last_pain: date | None = None
    ended = True
    for entry in up_to(entries, as_of):
        if entry.hurts:
            gap = None if last_pain is None else (entry.day - last_pain).days - 1
            if ended or (gap is not None and gap >= PAIN_FREE_DAYS):
                groups.append([])
            last_pain = entry.day
            ended = False
        elif groups:
            ended = True  # "no pain today" closes the episode
        if groups:
            groups[-1].append(entry)
    return [Episode(number, tuple(group)) for number, group in enumerate(groups, 1)]


def episode_of(entries: Iterable[PainEntry], number: int | None, as_of: date) -> Episode:
    """Episode ``number`` (default: the latest), or a ``UsageError`` naming the ones there are."""
    found = episodes(entries, as_of)
    if not found:
        raise UsageError("no pain above 0 is logged yet, so there is no episode to look at")
    if number is None:
        return found[-1]
    if not 1 <= number <= len(found):
        raise UsageError(f"there is no episode {number}; episodes are numbered 1 to {len(found)}")
    return found[number - 1]
