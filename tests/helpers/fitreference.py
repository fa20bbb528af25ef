"""The reference FIT reading (loadwatch's fitparse importer) of corpus files, decoded once.

``fit.parse(data, ctx)`` is ``fit._decode(data)``, fitparse reading the messages
(seconds per megabyte, and the same whatever the context), then
``fit.summarise(content, ctx, ...)``, which is cheap and the only part that reads the
context (the runner's zone). ``FitReference`` keeps each file's decoding for the
session and summarises a fresh copy of it for every context, so ``parse`` gives
exactly what ``fit.parse`` gives (``test_fitfast`` checks the two stay one), and
the FIT importer tests, the fast path's comparison and any other test share one
fitparse pass over the corpus instead of one each.
"""

from __future__ import annotations

import copy
import hashlib
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from loadwatch.ingest.importers import ParseContext, fit
from loadwatch.model import ParsedFile

#: what ``fit._decode`` gave: (content, failure, crc_mismatch), or what it raised
Decoded = tuple[fit.FitContent, str | None, bool] | Exception


def decode(data: bytes) -> Decoded:
    try:
        return fit._decode(data)
    except Exception as error:  # the reference's refusals and bugs are results too
        return error


def _decode_in_worker(data: bytes) -> Decoded | None:
    """``decode`` in a worker; None for an error (raised again here, not pickled)."""
    found = decode(data)
    return None if isinstance(found, Exception) else found


class FitReference:
    """fitparse's decoding of each file asked for, at most once per session."""

    def __init__(self) -> None:
        self._decoded: dict[bytes, Decoded] = {}
        #: how many files were decoded (a test of the cache counts them)
        self.decoded = 0

    @staticmethod
    def _key(data: bytes) -> bytes:
        return hashlib.blake2b(data, digest_size=16).digest()

    def prefetch(self, files: Iterable[bytes], workers: int | None = None) -> None:
        """Decode the files not yet decoded, in parallel (fitparse is slow)."""
        missing = {self._key(data): data for data in files}
        missing = {key: data for key, data in missing.items() if key not in self._decoded}
        if not missing:
            return
        workers = workers or max(1, min(4, os.cpu_count() or 1))
        if workers == 1 or len(missing) == 1:
            found: list[Decoded | None] = [decode(data) for data in missing.values()]
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                found = list(pool.map(_decode_in_worker, missing.values()))
        for (key, data), decoded in zip(missing.items(), found, strict=True):
            # a file fitparse refuses fails fast: read again here, so that the error
            # raised is the importer's own object, not one rebuilt by pickle
            self._decoded[key] = decode(data) if decoded is None else decoded
        self.decoded += len(missing)

    def parse(self, data: bytes, ctx: ParseContext) -> ParsedFile:
        """What ``fit.parse(data, ctx)`` gives, or raises."""
        key = self._key(data)
        if key not in self._decoded:
            self._decoded[key] = decode(data)
            self.decoded += 1
        found = self._decoded[key]
        if isinstance(found, Exception):
            raise found.with_traceback(None)
        content, failure, crc_mismatch = copy.deepcopy(found)
        return fit.summarise(content, ctx, failure=failure, crc_mismatch=crc_mismatch)
