"""The line-by-line table draws exactly what rich's ``Table`` draws for the same rows.

``cli.output.fitted`` hands a table whose cells all keep their natural width to a
plain renderer (rich's layout costs about a second per 3,000 rows); these tests hold
its output to rich's, character for character, on a plain console and, styles
aside, on a colour terminal.
"""

from __future__ import annotations

import io
import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.console import Console

from loadwatch.cli.output import Column, PlainTable, fitted, print_table, rich_table

ANSI = re.compile(r"\x1b\[[0-9;]*m")

cell = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=14)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[Column], list[list[str]], str | None, str | None]:
    count = draw(st.integers(1, 6))
    columns = [
        Column(draw(cell.filter(bool)), priority=draw(st.integers(0, 3)), right=draw(st.booleans()))
        for _ in range(count)
    ]
    rows = draw(st.lists(st.lists(cell, min_size=count, max_size=count), max_size=8))
    title = draw(st.none() | cell.filter(lambda s: s.strip() == s and bool(s)))
    caption = draw(st.none() | cell.filter(lambda s: s.strip() == s and bool(s)))
    return columns, rows, title, caption


def drawn(table: object, *, terminal: bool, width: int) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=terminal,
        color_system="truecolor" if terminal else None,
        highlight=False,
        markup=False,
        emoji=False,
    )
    print_table(console, table)  # type: ignore[arg-type]
    return buffer.getvalue()


@settings(max_examples=150, deadline=None)
@given(tables(), st.integers(30, 160), st.booleans())
def test_plain_tables_match_rich(
    table: tuple[list[Column], list[list[str]], str | None, str | None], width: int, wide: bool
) -> None:
    columns, rows, title, caption = table
    plain = fitted(columns, rows, width=width, wide=wide, title=title, caption=caption)
    assume(isinstance(plain, PlainTable))  # a table wider than the console goes to rich
    assert isinstance(plain, PlainTable)
    reference = rich_table(
        columns, rows, plain.shown, width=width, wide=True, title=title, caption=caption
    )
    for terminal in (False, True):
        ours = drawn(plain, terminal=terminal, width=width)
        theirs = drawn(reference, terminal=terminal, width=width)
        if terminal:
            assert "\x1b[1m" in ours  # the header is bold, as rich draws it
            ours, theirs = ANSI.sub("", ours), ANSI.sub("", theirs)
        assert ours == theirs


def test_free_text_and_wide_characters_go_to_rich() -> None:
    columns = [Column("date"), Column("name", 4, flexible=True)]
    assert not isinstance(fitted(columns, [["2026-01-01", "Long run"]], width=80), PlainTable)
    columns = [Column("date"), Column("shoe", 3)]
    assert not isinstance(fitted(columns, [["2026-01-01", "跑鞋"]], width=80), PlainTable)
    assert isinstance(fitted(columns, [["2026-01-01", "Ghost 15"]], width=80), PlainTable)
