"""Running the real command many times without paying for its imports each time.

``python -m loadwatch`` spends about a second of processor time importing its
modules (pandas among them) before it does anything. A test that starts it dozens
of times (the kill campaign) pays that again and again. ``ForkServer`` starts one
``python`` that imports ``loadwatch.cli`` once; each run is a fork of it, in a
session of its own (so killing its process group reaches its workers too), that
runs ``python -m loadwatch ARGS`` from there: a process of its own that starts
from the imported modules and nothing else, and reads its data from disk like any
other run. ``ForkedRun`` answers what a test asks of a ``subprocess.Popen``:
``pid``, ``poll``, ``wait``, ``returncode`` and ``communicate``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

_SERVER = r"""
import json, os, runpy, signal, sys, time, traceback
import loadwatch.cli  # what every run imports: paid once, here

statuses = {}


def reap(_signum, _frame):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        path = statuses.pop(pid, None)
        if path is not None:
            code = os.waitstatus_to_exitcode(status)
            with open(path + ".tmp", "w") as out:
                out.write(str(code))
            os.replace(path + ".tmp", path)


signal.signal(signal.SIGCHLD, reap)
for line in sys.stdin:
    job = json.loads(line)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        os.setsid()
        stdin = os.open(os.devnull, os.O_RDONLY)
        stdout = os.open(job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        stderr = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
            os.dup2(fd, target)
            os.close(fd)
        try:  # the run's own peak memory from here on (Linux)
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
        except OSError:
            pass
        sys.argv = ["loadwatch", *job["args"]]
        started = time.process_time()
        code = 0
        try:
            runpy.run_module("loadwatch", run_name="__main__", alter_sys=True)
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else int(done.code is not None)
        except BaseException:
            traceback.print_exc()
            code = 1
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            spent = time.process_time() - started
            peak = None
            with open("/proc/self/status") as status:
                for row in status:
                    if row.startswith("VmHWM:"):
                        peak = int(row.split()[1])
            with open(job["figures"], "w") as figures:
                json.dump({"seconds": spent, "peak_kb": peak}, figures)
        finally:
            os._exit(code)
    statuses[pid] = job["status"]
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    sys.stdout.write(f"{pid}\n")
    sys.stdout.flush()
"""


class ForkedRun:
    """One run of the command, forked by a ``ForkServer``; the parts of Popen tests use."""

    def __init__(self, pid: int, files: Path) -> None:
        self.pid = pid
        self._files = files
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            status = self._files / "status"
            if status.exists():
                self.returncode = int(status.read_text())
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the end of the run; ``subprocess.TimeoutExpired`` after ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"loadwatch (pid {self.pid})", timeout or 0.0)
            time.sleep(0.002)
        assert self.returncode is not None
        return self.returncode

    def communicate(self, timeout: float | None = None) -> tuple[bytes, bytes]:
        self.wait(timeout)
        return (self._files / "stdout").read_bytes(), (self._files / "stderr").read_bytes()

    def figures(self) -> tuple[float, float | None]:
        """(processor seconds, peak resident MB) of the run itself, once it has ended.

        The peak is the kernel's high-water mark (``VmHWM``), reset as the run
        started: the imported modules it started with are in it, as in any run.
        """
        found = json.loads((self._files / "figures").read_text())
        peak = found["peak_kb"]
        return float(found["seconds"]), None if peak is None else peak / 1024


class ForkServer:
    """One process that imported the command; ``run`` forks a run of it."""

    def __init__(self) -> None:
        self._scratch = tempfile.TemporaryDirectory(prefix="loadwatch-forks-")
        self._count = 0
        self._process = subprocess.Popen(
            [sys.executable, "-c", _SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: str) -> ForkedRun:
        """``python -m loadwatch ARGS``, started now; its output is kept for ``communicate``."""
        assert self._process.stdin is not None and self._process.stdout is not None
        self._count += 1
        files = Path(self._scratch.name) / str(self._count)
        files.mkdir()
        job = {
            "args": list(args),
            "stdout": str(files / "stdout"),
            "stderr": str(files / "stderr"),
            "status": str(files / "status"),
            "figures": str(files / "figures"),
        }
        self._process.stdin.write(json.dumps(job) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the fork server ended (exit {self._process.wait()})")
        return ForkedRun(int(line), files)

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=60)
        self._scratch.cleanup()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
