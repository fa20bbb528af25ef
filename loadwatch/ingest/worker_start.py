"""What the parse workers' forkserver loads before it forks them (``workers.PRELOAD``).

Everything here is loaded once, in the server, and shared by every worker it forks:
the parsers, and the time-zone boundaries a GPX or TCX file's first point is looked up
in (numpy and about 40 MB of lookup tables that each worker would otherwise load, and
keep, on its first GPX). Only the server imports this module.
"""

from __future__ import annotations

from loadwatch import timezones
from loadwatch.ingest import parse

__all__ = ["parse"]

timezones.zone_at(0.0, 0.0)
