"""Parser workers start clean: they do not inherit what the asking process imported.

They are forked from a forkserver that loaded only the parsers and their time-zone lookup
(``ingest/worker_start.py``), so a notebook or a ``team`` run that holds pandas and
matplotlib does not hand a copy of them to each worker.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(
    """
    import json, resource, sys

    def probe(_):
        import time
        time.sleep(0.2)  # keep each worker busy so that both of them answer
        names = ("pandas", "matplotlib", "loadwatch.ingest.parse", "timezonefinder")
        loaded = {m: m in sys.modules for m in names}
        return loaded, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    if __name__ == "__main__":
        import matplotlib, pandas  # the asking process holds the heavy libraries
        from loadwatch.ingest.workers import parse_pool
        with parse_pool(2) as pool:
            print(json.dumps(list(pool.map(probe, range(4)))))
    """
)


@pytest.mark.skipif(
    "forkserver" not in __import__("multiprocessing").get_all_start_methods(),
    reason="this platform has no forkserver (workers are spawned there)",
)
def test_workers_hold_the_parsers_and_not_the_parents_libraries(tmp_path: Path) -> None:
    script = tmp_path / "ask.py"
    script.write_text(SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)
    assert len(answers) == 4
    for loaded, _max_rss_kb in answers:
        # the parsers and the zone lookup come from the server, shared; the asker's
        # heavy libraries do not come along
        assert loaded == {
            "pandas": False,
            "matplotlib": False,
            "loadwatch.ingest.parse": True,
            "timezonefinder": True,
        }


FORKED = textwrap.dedent(
    """
    import json, multiprocessing, os, sys
    from loadwatch.ingest.workers import parse_pool

    def work(n):
        return n * n

    def child(queue):
        # a process forked after its parent started the parse workers' server
        with parse_pool(2) as pool:
            queue.put(list(pool.map(work, range(4))))

    if __name__ == "__main__":
        with parse_pool(2) as pool:
            first = list(pool.map(work, range(4)))
        fork = multiprocessing.get_context("fork")
        queue = fork.Queue()
        process = fork.Process(target=child, args=(queue,))
        process.start()
        answer = queue.get(timeout=60)
        process.join(timeout=60)
        print(json.dumps({"parent": first, "child": answer, "code": process.exitcode}))
    """
)


def test_a_process_forked_after_the_server_started_can_still_parse(tmp_path: Path) -> None:
    script = tmp_path / "forked.py"
    script.write_text(FORKED, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"parent": [0, 1, 4, 9], "child": [0, 1, 4, 9], "code": 0}
