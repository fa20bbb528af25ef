"""Turn the bytes of one export file into activities, whatever its format.

Each format has its own module exposing ``parse(data, ctx) -> ParsedFile``. They
raise a ``SourceError`` subclass with a one-line reason when nothing can be
imported; recoverable oddities (a bad CRC on data that decodes) go into
``ParsedFile.warnings``. Importers never touch the disk, the clock or pandas.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo

from loadwatch.errors import CorruptFileError, LimitExceededError, UnsupportedFormatError
from loadwatch.ingest.importers.formats import FORMATS, by_name
from loadwatch.model import ParsedFile
from loadwatch.units import Units

#: No real export holds more activities (a run a day for over a century); a file that
#: does is damaged or hostile, and is refused while it is read, before it can fill memory.
MAX_ACTIVITIES_PER_FILE = 50_000


def too_many(what: str, limit: int = MAX_ACTIVITIES_PER_FILE) -> LimitExceededError:
    return LimitExceededError(f"more than {limit:,} {what}; not a real export (refused)")


@dataclass(frozen=True, slots=True)
class ParseContext:
    #: how the file is shown to the user: path relative to the folder given,
    #: with ``!member`` for a file inside an archive
    source: str
    #: the runner's time zone, for sources that state only UTC or only local time
    #: and carry no position to find the zone of the place by
    zone: tzinfo
    #: the configured display units, for lists whose distances do not say whether they
    #: are km or mi and whose contents cannot tell (a warning says it was assumed)
    units: Units = Units.MI


Parser = Callable[[bytes, ParseContext], ParsedFile]


def sniff_format(data: bytes, name: str) -> str:
    """The format of ``data``: content decides first, the file name breaks ties.

    Content wins so that a GPX saved as ``.fit`` or a FIT without an extension
    is still read correctly; the formats and their tests are ``formats.FORMATS``.
    """
    for fmt in FORMATS:
        if fmt.recognises is not None and fmt.recognises(data, name):
            return fmt.name
    lowered = name.lower()
    for fmt in FORMATS:
        if fmt.suffix and lowered.endswith(fmt.suffix):
            return fmt.name
    head = data[:512]
    if b"\x00" not in head and (b"," in head or b";" in head or b"\t" in head):
        return "csv"  # separators further into the text: a table with a title line
    raise UnsupportedFormatError("not a FIT, GPX, TCX, CSV or Garmin export JSON file")


def parser_for(fmt: str) -> Parser:
    """The parser of a format, imported now (a worker loads only the ones it meets)."""
    found = by_name(fmt)
    if found is None:
        raise UnsupportedFormatError(f"no importer for format '{fmt}'")
    parse: Parser = getattr(importlib.import_module(found.module), found.function)
    return parse


def parse_unguarded(data: bytes, ctx: ParseContext) -> ParsedFile:
    """Parse one file with its format's importer as it is (what the campaign judges)."""
    return parser_for(sniff_format(data, ctx.source))(data, ctx)


def parse_bytes(data: bytes, ctx: ParseContext) -> ParsedFile:
    """Parse one (already decompressed) file.

    A number too large for arithmetic or an offset past the end of the data is
    damage an importer's own checks missed: it becomes the file's one-line reason,
    never a traceback. The reliability campaign reads files through
    ``parse_unguarded``, so that any such case still shows there and is fixed where
    it arises.
    """
    try:
        return parse_unguarded(data, ctx)
    except (OverflowError, IndexError) as exc:
        fmt = sniff_format(data, ctx.source).upper()
        what = (
            "a number too large to compute with"
            if isinstance(exc, OverflowError)
            else "a value points past the end of its data"
        )
        raise CorruptFileError(f"damaged {fmt} file: {what}") from exc
