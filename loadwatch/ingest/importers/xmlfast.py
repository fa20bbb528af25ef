"""Byte-level reading of GPX and TCX documents, with the expat readers as the judge.

The expat readers (``gpx``, ``tcx``) call Python for every start tag, end tag and
piece of text: a GPX point with Strava's extensions is a dozen calls before its
four values are known. ``gpxfast`` and ``tcxfast`` read the common shape of those
documents with regular expressions over the bytes instead, one match per track
point, and hand the values to the very code the expat readers feed
(``SegmentFilter``, ``_Track``, ``_Session``, the importers' summaries).

What this module guarantees, before a fast reader looks at a document:

* expat itself, configured as the readers configure it, has parsed the whole
  document without error (no handler is set, so this pass runs at C speed). The
  document is well-formed, its prefixes are bound, its references are valid, and
  a damaged file is always left to the expat reader's salvage.
* the document is UTF-8 (or ASCII) by its own account, so bytes decode here as
  expat decodes them;
* it holds no ``<!`` (DOCTYPE, entity declarations, comments, CDATA) and no
  processing instruction after the XML declaration. Then every ``<`` starts a tag,
  and a tag is found by searching for ``<``.

On top of that the fast readers are timid: a shape they do not know or a prefix on
a name the reader acts on raises ``FastPathDeclined``, and the importer reads the
document with expat instead. Text longer than ``MAX_TEXT`` is cut exactly as the
expat reader cuts it (``long_text``), so a huge name costs no second pass.
Nothing here ever accepts a document the expat reader would refuse.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from xml.parsers import expat

from loadwatch.ingest.importers.xmlsafety import MAX_CAPTURED

#: as ``xmlsafety.Reader`` creates its parser: the same namespace processing decides
_NS_SEPARATOR = " "
_CHUNK = 1 << 20
#: The longest text the fast readers read whole; longer text is cut as the expat
#: reader cuts it (``long_text``). A byte count at most this is never more characters
#: than the reader keeps.
MAX_TEXT = MAX_CAPTURED

# the declaration needs a space after "xml": "<?xml-stylesheet" is a processing instruction
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:<\?xml(?P<decl>\s[^?>]*)\?>)?[ \t\r\n]*")
_DECLARATION_OR_PI = re.compile(rb"<[!?]")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
#: names under which expat reads the bytes exactly as UTF-8 (ASCII is a subset)
_SAME_AS_UTF8 = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})

# A start tag (name, raw attributes, "/" of an empty element), an end tag, an
# attribute. Only ever matched where a "<" is, in a document expat has accepted.
_START = re.compile(rb"<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")
_END = re.compile(rb"</[^\s>]+\s*>")
_ATTRIBUTE = re.compile(rb"([^\s=]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_TEXT_THEN_END = re.compile(rb"([^<]*)</[^\s>]+\s*>")
_REFERENCE = re.compile(r"&(#[0-9]+|#x[0-9A-Fa-f]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}

#: ASCII text without references, as the point patterns capture it (decoded by
#: ``number`` or ``ascii_text``); longer text is left to the expat reader
ASCII_TEXT = rb"[^<&\x80-\xff]{0,%d}+" % MAX_TEXT
#: the rest of a start tag after its name: attributes, and never the "/" of an empty element
START_REST = rb"(?:\s[^>]*+(?<!/))?>"


class FastPathDeclined(Exception):
    """The fast reader met something it will not vouch for; expat reads the document."""


def names_pattern(names: frozenset[bytes]) -> bytes:
    """What follows the "<" of a start or end tag of one of ``names``, any prefix."""
    return rb"/?(?:[^\s/>:]++:)?+(?:" + b"|".join(sorted(names)) + rb")[\s/>]"


def tag_of(names: frozenset[bytes]) -> re.Pattern[bytes]:
    """Finds a start or end tag of one of ``names`` (for ``Cursor.skip``)."""
    return re.compile(b"<" + names_pattern(names))


def extension_content(barred: frozenset[bytes], group: str) -> bytes:
    """The content of an extensions element as watches and apps write it.

    Elements holding text, or elements holding such elements (Garmin's
    ``<gpxtpx:TrackPointExtension><gpxtpx:hr>``); none with a local name in
    ``barred``, whose children (or whose very end tag) the reader would act on.
    The reader ignores everything else in there. ``group`` names the pattern's
    groups, so that it can appear in a larger pattern.
    """
    allowed = rb"(?!(?:[^\s/>:]++:)?+(?:" + b"|".join(sorted(barred)) + rb")[\s/>])"
    outer, inner = group.encode() + b"o", group.encode() + b"i"
    item = (
        rb"<" + allowed + rb"(?P<" + outer + rb">[^\s/>]++)" + START_REST + rb"[^<]*+"
        rb"(?:<"
        + allowed
        + rb"(?P<"
        + inner
        + rb">[^\s/>]++)"
        + START_REST
        + rb"[^<]*+</(?P="
        + inner
        + rb")\s*+>[^<]*+)*+"
        rb"</(?P=" + outer + rb")\s*+>"
    )
    return rb"[^<]*+(?:" + item + rb"[^<]*+)*+"


def prepare(data: bytes) -> int:
    """Check what the fast readers rely on; the offset of the root element's ``<``.

    Raises:
        FastPathDeclined: the document is not UTF-8 by its own account, holds
            declarations, comments, CDATA or processing instructions, or is not
            well-formed XML.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4]:
        raise FastPathDeclined("UTF-16 text")
    prolog = _PROLOG.match(data)
    assert prolog is not None  # every part of it is optional
    declaration = prolog.group("decl")
    if declaration is not None:
        encoding = _ENCODING.search(declaration)
        if encoding is not None and encoding.group(1).decode().lower() not in _SAME_AS_UTF8:
            raise FastPathDeclined(f"declared encoding {encoding.group(1).decode()!r}")
    # One regular-expression search: "in" and find() are slow for a needle starting
    # with "<", which is every fortieth byte of a GPX.
    markup = _DECLARATION_OR_PI.search(data, prolog.end())
    if markup is not None:
        raise FastPathDeclined(
            "a DOCTYPE, comment or CDATA section"
            if markup.group() == b"<!"
            else "a processing instruction"
        )
    if not _well_formed(data):
        raise FastPathDeclined("not well-formed XML (the expat reader says why)")
    return prolog.end()


def _well_formed(data: bytes) -> bool:
    # No handlers: expat calls no Python at all, and decides exactly as the readers' parser.
    parser = expat.ParserCreate(namespace_separator=_NS_SEPARATOR)
    view = memoryview(data)
    try:
        for offset in range(0, len(view), _CHUNK):
            parser.Parse(view[offset : offset + _CHUNK], False)
        parser.Parse(b"", True)
    except (expat.ExpatError, UnicodeError, LookupError):
        return False
    return True


@dataclass(slots=True)
class Tag:
    """A start tag as read from the bytes."""

    qname: bytes
    local: bytes
    prefixed: bool
    attributes: bytes
    empty: bool

    def attribute(self, name: bytes) -> str | None:
        """The value of an unprefixed attribute, as expat reports it (normalised)."""
        for match in _ATTRIBUTE.finditer(self.attributes):
            if match.group(1) == name:
                raw = match.group(2)
                return attribute_value(raw if raw is not None else match.group(3))
        return None


class Cursor:
    """A position in a prepared document, moved tag by tag between the point patterns."""

    __slots__ = ("data", "pos")

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    def start_tag(self) -> Tag:
        """The start tag at the position (the root element's, after ``prepare``)."""
        match = _START.match(self.data, self.pos)
        if match is None:
            raise FastPathDeclined("no start tag where one was expected")
        self.pos = match.end()
        qname, attributes, slash = match.groups()
        _, colon, local = qname.rpartition(b":")
        return Tag(qname, local, bool(colon), attributes, bool(slash))

    def child(self) -> Tag | None:
        """The next child's start tag; None at the enclosing element's end tag (passed).

        Text between children is passed over: the readers collect text only inside
        the elements they read it from.
        """
        data = self.data
        self.pos = data.find(b"<", self.pos)
        if self.pos < 0:
            raise FastPathDeclined("the document ends inside an element")
        if data.startswith(b"</", self.pos):
            end = _END.match(data, self.pos)
            if end is None:
                raise FastPathDeclined("unreadable end tag")
            self.pos = end.end()
            return None
        return self.start_tag()

    def children(self, tag: Tag) -> _Children:
        return _Children(self, tag)

    def text(self, tag: Tag) -> str:
        """The text of an element that holds nothing else, as the readers' ``text()``."""
        if tag.empty:
            return ""
        match = _TEXT_THEN_END.match(self.data, self.pos)
        if match is None:
            raise FastPathDeclined(f"<{tag.qname.decode(errors='replace')}> holds elements")
        self.pos = match.end()
        if match.end(1) - match.start(1) > MAX_TEXT:
            return long_text(self.data, match.start(1), match.end(1))
        return element_text(match.group(1))

    def skip(self, tag: Tag, acted_on: frozenset[bytes], holds: re.Pattern[bytes]) -> None:
        """Step over an element the reader ignores.

        ``acted_on``: local names the reader acts on where ``tag`` stands (with a
        prefix the fast reader would have to read them as expat does, so it
        declines). ``holds`` finds, inside the element, a tag whose children the
        reader acts on wherever it is (see ``names_pattern``): then the element is
        not ignored, and the fast reader declines too.
        """
        if tag.local in acted_on:
            raise FastPathDeclined(f"<{tag.qname.decode(errors='replace')}> in an unusual place")
        if tag.empty:
            return
        closing, nested = _closing(tag.qname)
        end = closing.search(self.data, self.pos)
        if end is None:
            raise FastPathDeclined("an element without its end tag")
        inner = nested.search(self.data, self.pos, end.start())
        if inner is not None or holds.search(self.data, self.pos, end.start()) is not None:
            raise FastPathDeclined(
                f"<{tag.qname.decode(errors='replace')}> holds elements "
                "the reader acts on, or one of its own name"
            )
        self.pos = end.end()


class _Children:
    """Iterates the start tags of an element's children (see ``Cursor.child``)."""

    __slots__ = ("_cursor", "_done")

    def __init__(self, cursor: Cursor, tag: Tag) -> None:
        self._cursor = cursor
        self._done = tag.empty

    def __iter__(self) -> _Children:
        return self

    def __next__(self) -> Tag:
        if self._done:
            raise StopIteration
        tag = self._cursor.child()
        if tag is None:
            self._done = True
            raise StopIteration
        return tag


@lru_cache(maxsize=256)
def _closing(qname: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """The end tag of ``qname``, and a start tag of another ``qname`` (which would nest)."""
    name = re.escape(qname)
    return re.compile(rb"</" + name + rb"\s*>"), re.compile(rb"<" + name + rb"[\s/>]")


# --- text and values as expat reports them -------------------------------------------------


def _line_ends(raw: bytes) -> bytes:
    # XML turns CR LF and a lone CR into LF before anything else reads the text.
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in raw else raw


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    return _REFERENCE.sub(_reference, text)


def _reference(match: re.Match[str]) -> str:
    name = match.group(1)
    if name[0] != "#":
        return _NAMED[name]
    return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))


def element_text(raw: bytes) -> str:
    """Text as the readers' ``text()`` returns it: line ends, references, stripped."""
    try:
        decoded = _line_ends(raw).decode("utf-8")
    except UnicodeDecodeError as e:  # prepare() makes this impossible; never guess
        raise FastPathDeclined("text that is not UTF-8") from e
    return _unescape(decoded).strip()


def long_text(data: bytes, start: int, end: int) -> str:
    """``element_text`` of ``data[start:end]`` as the expat reader cuts it, reading a prefix.

    The reader keeps the first ``MAX_CAPTURED`` characters of an element's text and
    marks the cut with "…" (``xmlsafety.Reader.text``). A character is at most 10
    bytes of the document (``&#x10FFFF;``), so a prefix of ten times that many bytes
    holds all it keeps, and a 200 MB track name is never copied or decoded whole.
    """
    raw = data[start : min(end, start + 10 * MAX_CAPTURED + 1)]
    if raw.rfind(b"&") > raw.rfind(b";"):
        raw = raw[: raw.rfind(b"&")]  # the prefix ends inside a reference
    if raw.endswith(b"\r"):
        raw = raw[:-1]  # a CR whose LF was cut off would read as two line ends
    try:
        # not final: a character whose last bytes were cut off is left out
        decoded = codecs.getincrementaldecoder("utf-8")().decode(_line_ends(raw))
    except UnicodeDecodeError as e:  # prepare() makes this impossible; never guess
        raise FastPathDeclined("text that is not UTF-8") from e
    text = _unescape(decoded)
    if len(text) <= MAX_CAPTURED:
        raise FastPathDeclined("long text of few characters")
    return text[:MAX_CAPTURED].strip() + "…"


def attribute_value(raw: bytes) -> str:
    """An attribute value as expat normalises it: each tab or line end becomes a space."""
    normalised = _line_ends(raw).replace(b"\t", b" ").replace(b"\n", b" ")
    try:
        decoded = normalised.decode("utf-8")
    except UnicodeDecodeError as e:
        raise FastPathDeclined("an attribute that is not UTF-8") from e
    return _unescape(decoded)


def ascii_text(raw: bytes) -> str:
    """``element_text`` of text matched by ``ASCII_TEXT`` (no references, nothing to decode).

    Stripped as bytes: in XML text the only ASCII whitespace is space, tab, CR and LF.
    """
    return _line_ends(raw.strip()).decode("ascii")


def number(raw: bytes) -> float | None:
    """``xmlsafety.parse_number`` of text matched by ``ASCII_TEXT``.

    ``float`` strips the same whitespace from ASCII bytes as from the stripped text
    (XML allows no other whitespace characters), so the bytes need no decoding.
    """
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
