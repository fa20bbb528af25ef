"""A file's fingerprint is the same whether its shingles are held at once or streamed.

The fingerprint is stored in the cache, so ``copies.fingerprint``'s streaming (it thins
the hash set as it goes, to keep a worker's memory flat) must give exactly what the
plain definition gives: every shingle hashed, then the smallest power-of-4 modulus that
leaves at most MAX_TOKENS hashes.
"""

from __future__ import annotations

import hashlib
import zlib
from array import array
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from loadwatch.ingest import copies
from loadwatch.ingest.copies import Fingerprint, fingerprint

PROJECT = Path(__file__).resolve().parent.parent


def plain_fingerprint(data: bytes) -> Fingerprint:
    """The definition, written the obvious way (every piece held in a list)."""
    head = data[: copies.SAMPLED_BYTES]
    if len(head) >= 12 and head[8:12] == b".FIT":
        pieces = [head[i : i + copies.BLOCK] for i in range(0, len(head), copies.BLOCK)]
    else:
        lines = head.split(b"\n")
        if len(lines) < copies._MIN_LINES:
            lines = head.split(b">")
        lines = [line for line in lines if any(48 <= byte <= 57 for byte in line)]
        pieces = [
            b"\n".join(lines[i : i + copies.SHINGLE])
            for i in range(max(len(lines) - copies.SHINGLE + 1, 1))
        ]
    hashes = {zlib.crc32(piece) for piece in pieces}
    modulus = 1
    while len(hashes) > copies.MAX_TOKENS:
        modulus *= 4
        hashes = {h for h in hashes if h % modulus == 0}
    digest = hashlib.sha256(data).hexdigest()[:32]
    return Fingerprint(digest, len(data), modulus, array("I", sorted(hashes)).tobytes())


def test_every_sample_file_has_its_plain_fingerprint() -> None:
    files = [p for p in (PROJECT / "sample_activities").rglob("*") if p.is_file()]
    assert len(files) > 20
    thinned = 0
    for path in files:
        data = path.read_bytes()
        got = fingerprint(data)
        assert got == plain_fingerprint(data), path
        thinned += got.modulus > 1
    assert thinned  # some files are big enough for the set to be thinned


lines = st.lists(
    st.one_of(st.integers(0, 10**9).map(lambda n: f"<t>{n}</t>"), st.just("<trkpt>")),
    max_size=3000,
)


@settings(max_examples=60, deadline=None)
@given(lines, st.sampled_from(["\n", ">", ""]))
def test_streamed_and_plain_fingerprints_agree(parts: list[str], joiner: str) -> None:
    data = joiner.join(parts).encode()
    assert fingerprint(data) == plain_fingerprint(data)


@settings(max_examples=30, deadline=None)
@given(st.binary(min_size=0, max_size=40_000))
def test_fit_like_bytes_agree(body: bytes) -> None:
    data = b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT" + body
    assert fingerprint(data) == plain_fingerprint(data)


def plain_holders(leaves: list[copies.Leaf]) -> list[list[int]]:
    """Copy candidates the obvious way: a dictionary from (format, token) to its leaves."""
    holders: dict[tuple[str, int], list[int]] = {}
    for index, leaf in enumerate(leaves):
        for token in leaf.content.values():
            holders.setdefault((copies._kind(leaf.display), token), []).append(index)
    return sorted(m for m in holders.values() if 1 < len(m) <= copies.MAX_HOLDERS)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a.fit", "b.gpx", "c.tcx.gz", "d.FIT", "e"]),
            st.frozensets(st.integers(0, 40) | st.integers(2**32 - 3, 2**32 - 1), max_size=30),
        ),
        max_size=40,
    )
)
def test_copy_candidates_are_the_files_sharing_a_token(
    files: list[tuple[str, frozenset[int]]],
) -> None:
    leaves = [
        copies.Leaf(f"{i}/{name}", Fingerprint(str(i), 1, 1, copies.pack_tokens(tokens)))
        for i, (name, tokens) in enumerate(files)
    ]
    assert sorted(copies._token_holders(leaves)) == plain_holders(leaves)
