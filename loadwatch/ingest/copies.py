"""Copies of one file: identical ones counted once, damaged ones never counted over the clean.

Export folders collect copies: the same ``run.fit`` synced by the watch and the
phone, ``run (1).fit`` from a second download, a copy cut short by an
interrupted transfer, one with flipped bytes from a failing card. Whatever their
names, copies are told apart by content:

* **Identical** files (same SHA-256) are one file: the first by path supplies
  the activities (a stable choice: nothing else can tell them apart) and the
  others are listed as merged copies of them.
* **Near copies** share most of their content: a truncated copy is a prefix of
  the original, a damaged one differs in a few places. Each file's *tokens* are
  hashes of its content in small pieces (fixed 64-byte blocks for binary FIT,
  lines for text), sampled by hash value so that two copies keep the same sample.
  Two files of one format are near copies when at least ``MIN_SHARED`` tokens and
  ``MIN_CONTAINMENT`` of the smaller file's tokens are shared. Of a group of near
  copies only the most trustworthy file counts (``leaf_order``); each other one is
  named in the problems list and none of its activities is counted, so a damaged
  copy cannot add a phantom run even when its damage moved the start time.

Everything else about merging the same run from different sources (a FIT and a
GPX of one run, a Strava row and its file) is ``dedupe``'s work, done after this.
"""

from __future__ import annotations

import hashlib
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from loadwatch.model import Activity, Integrity, Problem

#: only the start of a large file is sampled: a few megabytes tell copies apart
SAMPLED_BYTES = 4 * 1024 * 1024
BLOCK = 64
#: text lines per token: enough for one track point's position, altitude and time
SHINGLE = 4
#: tokens kept per file, at most (the sampling rate rises in powers of four)
MAX_TOKENS = 512
MIN_SHARED = 8
MIN_CONTAINMENT = 0.5
#: a token more files than this hold is boilerplate, not evidence of copying
MAX_HOLDERS = 16
#: text with fewer lines than this is cut at tags instead
_MIN_LINES = 16
_DIGITS = frozenset(b"0123456789")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What is needed to recognise a copy of one file (one archive member, one gunzipped file)."""

    digest: str
    size: int
    #: tokens are kept when ``hash % modulus == 0``
    modulus: int
    #: the kept tokens, sorted, as packed 32-bit integers (``pack_tokens``): 2 kB a file
    #: where a set of Python ints took 46 kB, and an import holds thousands at once
    tokens: bytes

    def values(self) -> array[int]:
        """The kept tokens as integers, in increasing order."""
        found = array("I")
        found.frombytes(self.tokens)
        return found

    def to_record(self) -> list[object]:
        return [self.digest, self.size, self.modulus, self.values().tolist()]

    @classmethod
    def from_record(cls, record: Sequence[Any]) -> Fingerprint:
        # items as json.loads gives them (Any): the conversions check them, and a
        # wrong one raises the TypeError or ValueError the cache takes as damage
        digest, size, modulus, tokens = record
        return cls(str(digest), int(size), int(modulus), pack_tokens(int(t) for t in tokens))


def pack_tokens(tokens: Iterable[int]) -> bytes:
    """Tokens (CRC-32 values) as ``Fingerprint.tokens`` keeps them: sorted, packed."""
    try:
        return array("I", sorted(tokens)).tobytes()
    except OverflowError as exc:  # not a CRC-32: a damaged record
        raise ValueError(str(exc)) from exc


def fingerprint(data: bytes) -> Fingerprint:
    digest = hashlib.sha256(data).hexdigest()[:32]
    head = data[:SAMPLED_BYTES]
    if len(head) >= 12 and head[8:12] == b".FIT":
        pieces: Iterable[bytes] = (head[i : i + BLOCK] for i in range(0, len(head), BLOCK))
    else:
        lines = head.split(b"\n")
        if len(lines) < _MIN_LINES:
            lines = head.split(b">")
        # lines without a digit are markup every file of a kind shares
        lines = [line for line in lines if not _DIGITS.isdisjoint(line)]
        pieces = (
            b"\n".join(lines[i : i + SHINGLE]) for i in range(max(len(lines) - SHINGLE + 1, 1))
        )
    # Kept sampled as it grows: a 4 MB track has ~100,000 shingles, and holding them
    # all (or all their hashes) cost a worker 30 MB per file. A hash that the final
    # modulus keeps is kept by every smaller one, so thinning early gives the same set.
    hashes: set[int] = set()
    modulus = 1
    for piece in pieces:
        value = zlib.crc32(piece)
        if value % modulus:
            continue
        hashes.add(value)
        while len(hashes) > MAX_TOKENS:
            modulus *= 4
            hashes = {h for h in hashes if h % modulus == 0}
    return Fingerprint(digest, len(data), modulus, pack_tokens(hashes))


def near(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether two files share most of their content (see the module notes)."""
    modulus = max(a.modulus, b.modulus)
    left = {t for t in a.values() if t % modulus == 0}
    right = {t for t in b.values() if t % modulus == 0}
    smaller = min(len(left), len(right))
    shared = len(left & right)
    return smaller > 0 and shared >= MIN_SHARED and shared >= MIN_CONTAINMENT * smaller


@dataclass(frozen=True, slots=True)
class LeafPrint:
    """A parsed leaf's name, whether it failed, and its fingerprint (what the cache keeps)."""

    display: str
    failed: bool
    content: Fingerprint

    def to_record(self) -> list[object]:
        return [self.display, self.failed, self.content.to_record()]

    @classmethod
    def from_record(cls, record: Sequence[Any]) -> LeafPrint:
        # items as json.loads gives them (Any), checked as Fingerprint.from_record's are
        display, failed, content = record
        return cls(str(display), bool(failed), Fingerprint.from_record(content))


@dataclass(slots=True)
class Leaf:
    """One parsed file (or archive member) as the collection sees it."""

    display: str
    content: Fingerprint
    activities: list[Activity] = field(default_factory=list)
    #: the file's own modification time (for an archive member: the archive's)
    mtime_ns: int = 0
    #: whether parsing it failed as a whole (such a leaf is left out of copies)
    failed: bool = False


def leaf_order(leaf: Leaf) -> tuple[object, ...]:
    """Which of several copies of a file counts: the first by this key.

    The one whose worst activity
    is the most trustworthy (complete, then suspect, then partial); then the one
    with more activities (a longer export of the same list); then the older file,
    since a copy is made after its original; the path only settles exact ties.
    """
    worst = max((a.integrity.rank for a in leaf.activities), default=Integrity.PARTIAL.rank + 1)
    return (worst, -len(leaf.activities), leaf.mtime_ns, leaf.display)


@dataclass(frozen=True, slots=True)
class Resolved:
    activities: list[Activity]
    problems: list[Problem]


def resolve(leaves: Sequence[Leaf]) -> Resolved:
    """The activities of the files that count, with the copies merged or set aside."""
    # a file that could not be read adds nothing and already has its reason
    by_digest: dict[str, list[Leaf]] = defaultdict(list)
    for leaf in leaves:
        if not leaf.failed:
            by_digest[leaf.content.digest].append(leaf)
    unique: list[tuple[Leaf, list[Leaf]]] = []
    for same in by_digest.values():
        ordered = sorted(same, key=lambda leaf: leaf.display)
        unique.append((ordered[0], ordered[1:]))

    groups = _near_groups([leaf for leaf, _ in unique])
    twins = {id(leaf): copies for leaf, copies in unique}
    activities: list[Activity] = []
    problems: list[Problem] = []
    for group in groups:
        ordered = sorted(group, key=leaf_order)
        kept = ordered[0]
        merged_names = tuple(c.display for c in twins[id(kept)])
        for activity in kept.activities:
            if merged_names:
                activity = activity.replace(
                    merged_sources=tuple(sorted({*activity.merged_sources, *merged_names}))
                )
            activities.append(activity)
        for other in ordered[1:]:
            problems.append(Problem(other.display, _set_aside(other, kept), "integrity"))
            problems.extend(
                Problem(
                    twin.display,
                    f"identical to {other.display}, " + _set_aside(other, kept),
                    "integrity",
                )
                for twin in twins[id(other)]
            )
    return Resolved(activities, problems)


def _set_aside(other: Leaf, kept: Leaf) -> str:
    if not other.activities:
        state = "it holds no activity"
    else:
        worst = max(other.activities, key=lambda a: a.integrity.rank)
        if worst.integrity is Integrity.COMPLETE:
            size = other.content.size
            state = (
                "it differs from it"
                if size == kept.content.size
                else f"it is {size:,} bytes against {kept.content.size:,}"
            )
        else:
            state = f"it is {worst.integrity.value}: {worst.integrity_note}"
    return (
        f"a damaged or altered copy of {kept.display} ({state}); not counted, "
        f"{kept.display} is used"
    )


def _near_groups(leaves: Sequence[Leaf]) -> list[list[Leaf]]:
    """Leaves grouped with their near copies (each leaf in exactly one group)."""
    parent = list(range(len(leaves)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Candidates share a token; a token shared by many files is boilerplate and says
    # nothing, so it is not used to find candidates (this also bounds the work).
    counts: defaultdict[tuple[int, int], int] = defaultdict(int)
    for members in _token_holders(leaves):
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                counts[(a, b)] += 1
    for (a, b), shared in counts.items():
        if shared >= MIN_SHARED and near(leaves[a].content, leaves[b].content):
            parent[root(a)] = root(b)
    grouped: dict[int, list[Leaf]] = defaultdict(list)
    for index, leaf in enumerate(leaves):
        grouped[root(index)].append(leaf)
    return list(grouped.values())


def _token_holders(leaves: Sequence[Leaf]) -> list[list[int]]:
    """For each (format, token) held by 2 to MAX_HOLDERS leaves, their indices in order.

    One sorted array of (format, token) keys instead of a dictionary of lists: for
    3,000 files that is 1.5 million entries, 13 MB and a tenth of a second in numpy,
    where the dictionary took 240 MB and 1.7 s.
    """
    import numpy as np  # only an import with new files assembles; warm runs never load it

    kinds: dict[str, int] = {}
    keys: list[Any] = []
    owners: list[Any] = []
    for index, leaf in enumerate(leaves):
        kind = kinds.setdefault(_kind(leaf.display), len(kinds))
        tokens = np.frombuffer(leaf.content.tokens, dtype=np.uint32).astype(np.uint64)
        keys.append(tokens | np.uint64(kind << 32))
        owners.append(np.full(len(tokens), index, dtype=np.int64))
    if not keys:
        return []
    key = np.concatenate(keys)
    owner = np.concatenate(owners)
    # stable: equal keys keep their leaves in index order, as the pairs are counted
    order = np.argsort(key, kind="stable")
    key, owner = key[order], owner[order]
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    ends = np.append(starts[1:], len(key))
    sizes = ends - starts
    chosen = (sizes > 1) & (sizes <= MAX_HOLDERS)
    return [owner[s:e].tolist() for s, e in zip(starts[chosen], ends[chosen], strict=True)]


def _kind(display: str) -> str:
    """The format a file's name says (copies of one file share it)."""
    name = display.rsplit("!", 1)[-1].lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return name.rsplit(".", 1)[-1] if "." in name else ""
