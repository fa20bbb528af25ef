"""CSV text as spreadsheets write it: the encoding of the bytes and the separator used.

Excel saves UTF-16 with tabs, or UTF-8 with a BOM, or the Windows code page;
European locales use ``;``. Both the export importers and the pain diary's CSV
import read such files, so this lives below both.
"""

from __future__ import annotations

import codecs

from loadwatch.errors import CorruptFileError

__all__ = ["decode", "sniff_separator"]


def decode(data: bytes) -> str:
    """Text of a CSV: BOM first, then UTF-8, then the Windows code page Excel uses."""
    codec: str | None
    if data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        codec = _bomless_utf16(data[:256])
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            raise CorruptFileError(f"invalid {codec} text ({exc.reason})") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # cp1252 leaves five byte values undefined; replacing them keeps a
        # stray byte from costing the whole file.
        return data.decode("cp1252", errors="replace")


def _bomless_utf16(head: bytes) -> str | None:
    # ASCII text in UTF-16 has a zero in every other byte.
    if len(head) < 8:
        return None
    if head[1::2].count(0) > len(head) * 0.4:
        return "utf-16-le"
    if head[0::2].count(0) > len(head) * 0.4:
        return "utf-16-be"
    return None


def sniff_separator(line: str) -> str:
    """The separator the header line uses most (outside quotes): ``,``, ``;`` or tab."""
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","
