"""The XML layer the GPX and TCX importers share: refuse hostile documents, stream the rest.

Both importers read their documents with one streaming expat pass and no element
tree, so memory stays flat whatever the file size. Before that pass a document
is checked here: entity declarations (the billion-laughs family and external
entities) are refused outright, and bytes that claim to be UTF-8 but are not get
a reason a user can act on instead of an expat token error. Nothing is ever
fetched: expat resolves no external entity unless a handler asks it to, and none
does.
"""

from __future__ import annotations

import codecs
import math
import re
from datetime import UTC, datetime, timedelta, timezone
from xml.parsers import expat

from loadwatch.errors import CorruptFileError
from loadwatch.ingest.classify import sport_from_label

#: expat joins a namespace URI and a local name with this; local names never contain it
_NS_SEPARATOR = " "
#: feed expat in slices so it never needs a second copy of a large document
_CHUNK = 1 << 20

_BOMS_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# The markers are searched for in every encoding expat reads without help.
_ENCODINGS_SEARCHED = ("utf-8", "utf-16-le", "utf-16-be")
_DOCTYPE = tuple("<!DOCTYPE".encode(e) for e in _ENCODINGS_SEARCHED)
_ENTITY = tuple("<!ENTITY".encode(e) for e in _ENCODINGS_SEARCHED)

ENTITY_REASON = "XML entity declarations are not allowed"
#: characters of one element's text that are kept: names are cut to ``ingest.MAX_TEXT``
#: later, and numbers and times are far shorter
MAX_CAPTURED = 4096


def check_document(data: bytes) -> None:
    """Refuse, before any parsing, what the importers will not read.

    Raises:
        CorruptFileError: the file is empty, declares entities, or is not the UTF-8
            it claims (by declaration or by default) to be.
    """
    if not data or data.isspace():  # not strip(): that would copy a large file
        raise CorruptFileError("empty file")
    # Entities can only be declared inside a DOCTYPE; a document without one has none.
    if any(marker in data for marker in _DOCTYPE) and any(marker in data for marker in _ENTITY):
        raise CorruptFileError(ENTITY_REASON)
    if _is_utf8(data):
        _check_utf8(data)


def _is_utf8(data: bytes) -> bool:
    """Whether the document is UTF-8 by its own account (BOM, declaration or default)."""
    if data.startswith(_BOMS_UTF16):
        return False
    declared = _DECLARED_ENCODING.match(data[:512])
    if declared is None:
        return True
    return declared.group(1).decode("ascii").lower().replace("_", "-") in ("utf-8", "utf8")


def _check_utf8(data: bytes) -> None:
    # Decoded slice by slice and thrown away: a 200 MB file needs no 200 MB string.
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    offset = 0
    try:
        for offset in range(0, len(view), _CHUNK):
            decoder.decode(view[offset : offset + _CHUNK])
        pending = decoder.getstate()[0]
        if pending:
            # The decoder holds the start of a character the file never finishes
            # (its error offset would point past the end of the data).
            position = len(data) - len(pending)
            raise CorruptFileError(
                f"not valid UTF-8 text (ends in the middle of a character at offset "
                f"{position}: the file is cut); re-export the file or save it as UTF-8"
            )
    except UnicodeDecodeError as e:
        position = offset + e.start
        # A sequence cut at a slice boundary is reported by the next slice, at its start.
        if position < len(data) and e.start == 0 and offset > 0:
            position = _first_bad_byte(data, offset)
        raise CorruptFileError(
            f"not valid UTF-8 text (byte 0x{data[position]:02X} at offset {position}); "
            "re-export the file or save it as UTF-8"
        ) from e


def _first_bad_byte(data: bytes, around: int) -> int:
    start = max(0, around - 4)
    try:
        data[start : around + 4].decode("utf-8")
    except UnicodeDecodeError as e:
        return start + e.start
    return around


def _refuse_entity(*_args: object) -> None:
    raise CorruptFileError(ENTITY_REASON)


class Reader:
    """One expat pass over a document; subclasses react to elements by local name.

    Subclasses implement ``start_element(name, attrs)`` and ``end_element(name)``,
    which expat calls directly (one Python call per event is most of the cost of
    a large file, so there is no dispatching layer in between). ``local(name)``
    turns expat's ``"uri local"`` into the local name: namespaces are resolved
    by expat, so an unbound prefix is still an error, and then dropped, since GPX
    1.0, GPX 1.1 and the TCX variants differ in namespace URIs but not in local
    names. Character data is collected only between ``capture()`` and the next
    ``text()``, so whitespace and ignored elements cost nothing but the callback.
    """

    def __init__(self) -> None:
        self.locals: dict[str, str] = {}
        self._buffer: list[str] = []
        self._room = MAX_CAPTURED
        parser = expat.ParserCreate(namespace_separator=_NS_SEPARATOR)
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        # A second line of defence behind check_document's byte scan.
        parser.EntityDeclHandler = _refuse_entity
        parser.UnparsedEntityDeclHandler = _refuse_entity
        parser.StartElementHandler = self.start_element
        parser.EndElementHandler = self.end_element
        self._parser = parser

    def start_element(self, name: str, attrs: dict[str, str]) -> None:
        raise NotImplementedError

    def end_element(self, name: str) -> None:
        raise NotImplementedError

    def local(self, name: str) -> str:
        """The local part of an expat element name (callers try ``self.locals`` first)."""
        local = name.rpartition(_NS_SEPARATOR)[2]
        self.locals[name] = local
        return local

    def capture(self) -> None:
        """Collect the character data that follows, up to the next ``text()``."""
        self._buffer.clear()
        self._room = MAX_CAPTURED
        self._parser.CharacterDataHandler = self._keep

    def _keep(self, data: str) -> None:
        # Cut while parsing: a 50 MB track name must never be held, joined or searched.
        if self._room > 0:
            self._buffer.append(data[: self._room])
        self._room -= len(data)

    def text(self) -> str:
        """The character data collected since ``capture()``, stripped; stops collecting.

        Text longer than ``MAX_CAPTURED`` comes back cut and ending in "…" (so a cut
        number no longer reads as one).
        """
        self._parser.CharacterDataHandler = None
        collected = "".join(self._buffer).strip()
        self._buffer.clear()
        return collected + "…" if self._room < 0 else collected

    def feed(self, data: bytes) -> None:
        """Parse the whole document; handler exceptions pass through unchanged.

        Raises:
            CorruptFileError: the document is not well-formed XML.
        """
        view = memoryview(data)
        try:
            for offset in range(0, len(view), _CHUNK):
                self._parser.Parse(view[offset : offset + _CHUNK], False)
            self._parser.Parse(b"", True)
        except expat.ExpatError as e:
            raise CorruptFileError(f"not well-formed XML: {e}") from e
        except UnicodeError as e:
            # a declared single-byte encoding that Python's codec cannot map
            detail = str(e) if len(str(e)) <= 160 else str(e)[:159] + "…"
            raise CorruptFileError(f"unreadable XML text: {detail}") from e
        except LookupError as e:
            # expat asks Python for any encoding it does not know itself; the name is
            # the file's text, so it is shortened to keep the reason one line
            detail = str(e) if len(str(e)) <= 80 else str(e)[:79] + "…"
            raise CorruptFileError(
                f"declares a text encoding that cannot be read ({detail})"
            ) from e


_FIRST_YEAR, _LAST_YEAR = 1, 9999
_LOOSE_TIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?"
    r"\s*(Z|[+\-\u2212]\d{2}(?::?\d{2})?)?$"
)


def parse_time(text: str) -> datetime | None:
    """An aware UTC datetime from an XML dateTime, or ``None`` if it is not one.

    GPX and TCX times are UTC; a time without an offset is taken as UTC, one
    with an offset is converted.
    """
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = _parse_loose_time(text)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        return None
    # Years 1 and 9999 have no local wall time in every zone; no watch writes them.
    return moment if _FIRST_YEAR < moment.year < _LAST_YEAR else None


def _parse_loose_time(text: str) -> datetime | None:
    # What fromisoformat refuses but writers produce: one-digit fields, long
    # fractions, a Unicode minus in the offset.
    match = _LOOSE_TIME.match(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    micro = int((match.group(7) or "0")[:6].ljust(6, "0"))
    zone: timezone = UTC
    offset = match.group(8)
    try:
        if offset and offset != "Z":
            sign = -1 if offset[0] in "-\u2212" else 1
            digits = offset[1:].replace(":", "")
            minutes = int(digits[:2]) * 60 + int(digits[2:4] or "0")
            zone = timezone(sign * timedelta(minutes=minutes))  # refuses 24 h or more
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=zone)
    except ValueError:
        return None


def parse_number(text: str) -> float | None:
    """A finite float, or ``None`` for empty, malformed, infinite or NaN text."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


_WORDS = re.compile(r"[^\W\d_]+")


def sport_label_in_name(name: str | None) -> str | None:
    """The part of a free-text name that names a sport ("Treadmill 5k" -> "Treadmill").

    The whole name is tried first (so multi-word labels such as "Trail Run" keep
    their surface), then each word in order.
    """
    if not name:
        return None
    if sport_from_label(name) is not None:
        return name
    return next((w for w in _WORDS.findall(name) if sport_from_label(w) is not None), None)
