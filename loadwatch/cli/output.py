"""What the commands print: tables that fit the terminal, wrapped prose, raw machine output.

Three kinds of output, kept apart on purpose:

* **Machine output** (JSON, CSV) is written to stdout as it is: no wrapping, no
  markup, so a pipe or a file gets exactly the bytes a program expects.
* **Prose** (findings, summaries) goes through a console that wraps at word
  boundaries to the terminal's width, never in the middle of a word.
* **Tables** keep their key columns whole (dates, distances, counts never wrap or
  cut) and leave out the less important columns, least important first, until
  the rest fits; ``--wide`` shows every column.

Every string that came from a file is shown as text: nothing here hands text to
rich as markup, so a run named ``[/]`` or ``[link=...]`` prints as those characters.
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

#: a free-text column is worth showing when this many characters of it fit
FLEXIBLE_MIN = 12
#: what rich adds between two columns with ``box.SIMPLE_HEAD``: padding, a rule, padding
_CELL_PADDING = 3


def write(text: str) -> None:
    """Machine output, unchanged (a trailing newline is added if missing)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def prose(stderr: bool = False) -> Console:
    """A console for sentences: wrapped at word boundaries, no markup, no highlighting."""
    return Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False, markup=False)


#: a number and the unit after it stay on one line ("804.7 km", never "804.7" / "km")
_NUMBER_UNIT = re.compile(
    r"(?<=\d) (?=(?:mi|km|ft|m|s|min|h|days?|weeks?|runs?|entries|entry|pairs?)\b)"
)
_GLUE = "\u00a0"  # not a break for textwrap, which splits at ASCII whitespace only


def say(
    console: Console, text: str, *, style: str | None = None, indent: int = 0, hanging: int = 0
) -> None:
    """Print one paragraph as plain text, wrapped at spaces to the console's width.

    Words, dates and a number with its unit are never split; ``indent`` starts
    every line, ``hanging`` more on the lines after the first (a list item's text
    lines up under its first word).
    """
    lines = textwrap.wrap(
        _NUMBER_UNIT.sub(_GLUE, text),
        width=max(20, console.width),
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + hanging),
        break_long_words=False,
        break_on_hyphens=False,
    )
    for line in lines or [""]:
        console.print(
            line.replace(_GLUE, " "),
            style=style or "",
            markup=False,
            highlight=False,
            emoji=False,
            soft_wrap=True,
        )


@dataclass(frozen=True, slots=True)
class Column:
    """One table column: its title, how to line it up, and how much it matters."""

    title: str
    #: 0 for the key columns, which are always shown; higher values go first
    priority: int = 0
    right: bool = False
    #: free text (a note, a name): it may wrap, at word boundaries, into what width is left
    flexible: bool = False


@dataclass(frozen=True, slots=True)
class PlainTable:
    """A table whose columns all keep their natural width: drawn line by line.

    rich lays out every cell of a ``Table`` (about 0.4 ms each), which for a
    3,000-run ``activities`` list is over a second; these lines are the same
    characters rich would draw (``tests/test_cli_output.py`` holds the two equal).
    """

    title: str | None
    caption: str | None
    #: the indices of the columns kept, left to right
    shown: tuple[int, ...]
    header: str
    rule: str
    lines: tuple[str, ...]

    def print(self, console: Console) -> None:
        if self.title:
            console.print(Text(self.title, style="table.title"), soft_wrap=True)
        console.print(Text(self.header, style="table.header"), soft_wrap=True)
        console.print(Text(self.rule), soft_wrap=True)
        if self.lines:
            # one write for the body: a Text per line is still 3,000 renders
            console.print(Text("\n".join(self.lines)), soft_wrap=True)
        if self.caption:
            console.print(Text(self.caption, style="table.caption"), soft_wrap=True)


def _plain(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    shown: Sequence[int],
    natural: Sequence[int],
    title: str | None,
    caption: str | None,
) -> PlainTable:
    def line(cells: Sequence[str]) -> str:
        return (" " * _CELL_PADDING).join(
            cells[k].rjust(natural[i]) if columns[i].right else cells[k].ljust(natural[i])
            for k, i in enumerate(shown)
        )

    header = line([columns[i].title for i in shown])
    return PlainTable(
        title,
        caption,
        tuple(shown),
        header,
        "\u2500" * len(header),
        tuple(line([row[i] for i in shown]) for row in rows),
    )


def fitted(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    width: int,
    wide: bool = False,
    title: str | None = None,
    caption: str | None = None,
) -> Table | PlainTable:
    """A table of ``rows`` (plain strings) that fits ``width`` by leaving columns out.

    Columns are left out from the highest priority number down, the rightmost of
    equals first, until the natural widths of the rest fit; key columns (priority
    0) are always kept and never wrapped or cut. With ``wide`` every column is kept.
    """
    natural = [
        max([len(column.title), *(len(row[i]) for row in rows)]) for i, column in enumerate(columns)
    ]
    # a flexible column needs only room for a few words; it wraps into the rest
    needed = [
        min(n, FLEXIBLE_MIN) if c.flexible else n for n, c in zip(natural, columns, strict=True)
    ]
    shown = list(range(len(columns)))
    if not wide:
        removable = sorted(
            (i for i, c in enumerate(columns) if c.priority > 0),
            key=lambda i: (-columns[i].priority, -i),
        )
        for index in removable:
            if sum(needed[i] + _CELL_PADDING for i in shown) <= width:
                break
            shown.remove(index)
    drawn_width = sum(natural[i] for i in shown) + _CELL_PADDING * (len(shown) - 1)
    if drawn_width <= width and _simple(columns, rows, shown):
        return _plain(columns, rows, shown, natural, title, caption)
    return rich_table(columns, rows, shown, width=width, wide=wide, title=title, caption=caption)


def rich_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    shown: Sequence[int],
    *,
    width: int,
    wide: bool = False,
    title: str | None = None,
    caption: str | None = None,
) -> Table:
    """The ``shown`` columns as a rich ``Table``: flexible columns wrap into the width left."""
    natural = [
        max([len(column.title), *(len(row[i]) for row in rows)]) for i, column in enumerate(columns)
    ]
    fixed = sum(natural[i] + _CELL_PADDING for i in shown if not columns[i].flexible)
    table = Table(
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        expand=False,
    )
    for i in shown:
        column = columns[i]
        justify: JustifyMethod = "right" if column.right else "left"
        if column.flexible and not wide:
            table.add_column(
                Text(column.title),
                justify=justify,
                overflow="fold",
                max_width=max(FLEXIBLE_MIN, width - fixed - _CELL_PADDING),
            )
        else:
            table.add_column(
                Text(column.title),
                justify=justify,
                no_wrap=True,
                min_width=natural[i],
                overflow="fold",
            )
    for row in rows:
        table.add_row(*(Text(row[i]) for i in shown))
    return table


def _simple(columns: Sequence[Column], rows: Sequence[Sequence[str]], shown: Sequence[int]) -> bool:
    """Whether every shown cell is one line at its column's natural width (given that the
    table fits the width).

    Then the table is drawn line by line. Free text that may wrap, text whose width on
    screen is not its length (wide characters, line breaks, controls) and text with
    spaces at its ends (rich trims them when it lines a cell up) go to rich, which
    measures cells the way a terminal shows them.
    """
    if any(columns[i].flexible for i in shown):
        return False
    return all(
        all(
            text.isascii() and text.isprintable() and text == text.strip()
            for text in (columns[i].title, *(row[i] for row in rows))
        )
        for i in shown
    )


def print_table(console: Console, table: Table | PlainTable) -> None:
    if isinstance(table, PlainTable):
        table.print(console)
        return
    # soft_wrap: the table is built to fit; nothing may re-wrap its rows
    console.print(table, soft_wrap=True)
