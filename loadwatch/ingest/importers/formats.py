"""The formats loadwatch reads, in one table: how each is recognised and where its parser is.

Adding a format is one ``Format`` here and its parser module: discovery (which
file names are looked at), sniffing (which format a file's bytes are) and the
parser lookup all read this table. Parsers are named by module and imported
only when a file of their format is met, so a worker loads only what it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["FORMATS", "Format", "by_name", "endings"]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    #: file name endings discovery picks up for this format (compared lower-case)
    endings: tuple[str, ...]
    #: the module holding its parser, and the parser's name there
    module: str
    function: str = "parse"
    #: whether the content alone says it is this format; checked in table order, before
    #: any file name, so that a GPX saved as ``.fit`` is still read as GPX
    recognises: Callable[[bytes, str], bool] | None = None
    #: its name's ending, when the content says nothing (the tie-breaker)
    suffix: str | None = None


def _fit(data: bytes, name: str) -> bool:
    return len(data) >= 12 and data[8:12] == b".FIT"


def _garmin_json(data: bytes, name: str) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return name.lower().endswith(".json") and head[:1] in (b"[", b"{")


def _xml_text(data: bytes) -> str | None:
    """The start of an XML document as lower-case text, in UTF-8 or UTF-16, or None."""
    head = data[:512]
    wide = _utf16(head)
    if wide:
        text = data[:8192].decode(wide, errors="ignore").lstrip("\ufeff \t\r\n").lower()
        return text if text.startswith("<") else None
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if start.startswith(b"<") or b"<?xml" in head.lower():
        return data[:4096].lower().decode("latin-1")
    return None


def _utf16(head: bytes) -> str | None:
    """The UTF-16 byte order of text that starts with "<" in UTF-16, if it does."""
    if head.startswith((b"\xff\xfe<\x00", b"<\x00")):
        return "utf-16-le"
    if head.startswith((b"\xfe\xff\x00<", b"\x00<")):
        return "utf-16-be"
    return None


def _xml_root(marker: str) -> Callable[[bytes, str], bool]:
    def recognises(data: bytes, name: str) -> bool:
        text = _xml_text(data)
        return text is not None and marker in text

    return recognises


def _table(data: bytes, name: str) -> bool:
    # Plain text whose first line holds separators is a table whatever its name says
    # (a CSV saved as .fit or .gpx); binary FIT data always holds NUL bytes.
    head = data[:512]
    first_line = head.split(b"\n", 1)[0]
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    return (
        b"\x00" not in head
        and not text.startswith(b"<")
        and any(sep in first_line for sep in (b",", b";", b"\t"))
    )


FORMATS: tuple[Format, ...] = (
    Format(
        "fit",
        (".fit",),
        "loadwatch.ingest.importers.fitfast",
        "parse_summary",
        recognises=_fit,
        suffix=".fit",
    ),
    # Garmin's account export: only its activity summaries and gear among its JSON files
    Format(
        "garmin-json",
        ("_summarizedactivities.json", "_gear.json"),
        "loadwatch.ingest.importers.garmin_export",
        recognises=_garmin_json,
    ),
    Format(
        "gpx",
        (".gpx",),
        "loadwatch.ingest.importers.gpx",
        recognises=_xml_root("<gpx"),
        suffix=".gpx",
    ),
    Format(
        "tcx",
        (".tcx",),
        "loadwatch.ingest.importers.tcx",
        recognises=_xml_root("<trainingcenterdatabase"),
        suffix=".tcx",
    ),
    Format("csv", (".csv",), "loadwatch.ingest.importers.csvlog", recognises=_table, suffix=".csv"),
)

_BY_NAME = {fmt.name: fmt for fmt in FORMATS}


def by_name(name: str) -> Format | None:
    return _BY_NAME.get(name)


def endings() -> tuple[str, ...]:
    """Every file name ending discovery looks for, across the formats."""
    return tuple(ending for fmt in FORMATS for ending in fmt.endings)
