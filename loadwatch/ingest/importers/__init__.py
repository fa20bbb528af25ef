"""Turn the bytes of one export file into activities, whatever its format.

Each format has its own module exposing ``parse(data, ctx) -> ParsedFile``. They
raise a ``SourceError`` subclass with a one-line reason when nothing can be
imported; recoverable oddities (a bad CRC on data that decodes) go into
``ParsedFile.warnings``. Importers never touch the disk, the clock or pandas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo

from loadwatch.errors import CorruptFileError, LimitExceededError, UnsupportedFormatError
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
    is still read correctly.
    """
    head = data[:512]
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    if name.lower().endswith(".json") and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return "garmin-json"
    wide = _utf16(head)
    if wide:
        # XML saved as UTF-16 (with or without a BOM) is searched for its markers as text
        text16 = data[:8192].decode(wide, errors="ignore").lstrip("\ufeff \t\r\n").lower()
        if text16.startswith("<"):
            if "<gpx" in text16:
                return "gpx"
            if "<trainingcenterdatabase" in text16:
                return "tcx"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    probe = data[:4096].lower()
    if text.startswith(b"<") or b"<?xml" in head.lower():
        if b"<gpx" in probe:
            return "gpx"
        if b"<trainingcenterdatabase" in probe:
            return "tcx"
    # Plain text whose first line holds separators is a table whatever its name says
    # (a CSV saved as .fit or .gpx); binary FIT data always holds NUL bytes.
    first_line = head.split(b"\n", 1)[0]
    tabular = b"\x00" not in head and (b"," in first_line or b";" in first_line
                                       or b"\t" in first_line)
    if tabular and not text.startswith(b"<"):
        return "csv"
    lowered = name.lower()
    for suffix in ("fit", "gpx", "tcx", "csv"):
        if lowered.endswith("." + suffix):
            return suffix
    if b"\x00" not in head and (b"," in head or b";" in head or b"\t" in head):
        return "csv"
    raise UnsupportedFormatError("not a FIT, GPX, TCX, CSV or Garmin export JSON file")


def _utf16(head: bytes) -> str | None:
    """The UTF-16 byte order of text that starts with "<" in UTF-16, if it does."""
    if head.startswith((b"\xff\xfe<\x00", b"<\x00")):
        return "utf-16-le"
    if head.startswith((b"\xfe\xff\x00<", b"\x00<")):
        return "utf-16-be"
    return None


def parser_for(fmt: str) -> Parser:
    # Imported lazily so that a worker process only loads the parser it needs.
    if fmt == "fit":
        # The fast summary decoder hands anything unusual to the fitparse importer.
        from loadwatch.ingest.importers.fitfast import parse_summary as parse
    elif fmt == "gpx":
        from loadwatch.ingest.importers.gpx import parse
    elif fmt == "tcx":
        from loadwatch.ingest.importers.tcx import parse
    elif fmt == "csv":
        from loadwatch.ingest.importers.csvlog import parse
    elif fmt == "garmin-json":
        from loadwatch.ingest.importers.garmin_export import parse
    else:
        raise UnsupportedFormatError(f"no importer for format '{fmt}'")
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
        what = ("a number too large to compute with" if isinstance(exc, OverflowError)
                else "a value points past the end of its data")
        raise CorruptFileError(f"damaged {fmt} file: {what}") from exc
