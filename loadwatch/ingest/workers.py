"""The processes that parse files in parallel, started clean.

Workers are forked from a forkserver that has imported only the parsers and their
time-zone lookup (``worker_start.py``), never from the command that asks: a ``team`` run
or a notebook that already holds pandas, matplotlib and a thousand cached activities
would otherwise hand a copy of all that to each of eight workers. The forkserver loads
them once, and the workers share those pages with it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext

#: what the forkserver imports before forking workers: the parsers and their zone lookup
PRELOAD = ["loadwatch.ingest.worker_start"]


#: the process that started this module's forkserver (None: not started yet)
_server_owner: int | None = None


def parse_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` parser processes (forkserver where the platform has it)."""
    # multiprocessing is imported only by a run that has files to parse
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _server_owner
    forkserver = "forkserver" in multiprocessing.get_all_start_methods()
    context: BaseContext
    if forkserver and _server_owner in (None, os.getpid()):
        _server_owner = os.getpid()
        context = multiprocessing.get_context("forkserver")
        # set before the server first starts; it replaces the default preload of
        # __main__, which for the CLI is the whole command line application
        context.set_forkserver_preload(PRELOAD)
    else:
        # Spawn also starts clean. It serves platforms without a forkserver, and a
        # process forked from one that started the server: multiprocessing would try
        # to wait for its parent's server there and fail ("No child processes").
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)
