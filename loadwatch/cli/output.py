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


def fitted(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    width: int,
    wide: bool = False,
    title: str | None = None,
    caption: str | None = None,
) -> Table:
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


def print_table(console: Console, table: Table) -> None:
    # soft_wrap: the table is built to fit; nothing may re-wrap its rows
    console.print(table, soft_wrap=True)
