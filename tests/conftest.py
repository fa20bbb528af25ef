"""Fixtures and hooks only; what tests import lives in the ``helpers`` package.

Two things a test may need lie outside this repository: the shared corpus of real
device files (``../shared/corpus``, or ``LOADWATCH_CORPUS``) and Debian's
``chromium``. Without them those tests are skipped, each with its reason, so a
fresh clone's test command passes. CI sets ``LOADWATCH_REQUIRE_ALL=1``, under
which any skip is a failure: there the whole suite must run.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any

import pytest
from helpers.corpus import CORPUS, NO_CORPUS
from helpers.fitreference import FitReference

#: CI's switch: a skipped test fails instead (see the module's docstring)
REQUIRE_ALL = os.environ.get("LOADWATCH_REQUIRE_ALL", "") not in ("", "0")
#: how a test (or a fixture it uses) reaches the corpus
_CORPUS_WORDS = ("CORPUS", "corpus_expected", "corpus_ctx", "corpus_dir")


def _reaches_corpus(item: pytest.Item) -> bool:
    if item.get_closest_marker("corpus"):
        return True
    # a module names its own constants made from the corpus in CORPUS_DERIVED
    words = _CORPUS_WORDS + tuple(getattr(getattr(item, "module", None), "CORPUS_DERIVED", ()))
    functions = [getattr(item, "function", None)]
    info = getattr(item, "_fixtureinfo", None)
    if info is not None:
        functions += [d.func for defs in info.name2fixturedefs.values() for d in defs]
        if "corpus" in info.names_closure:
            return True
    for function in functions:
        try:
            source = inspect.getsource(function) if function else ""
        except (OSError, TypeError):
            continue
        if any(word in source for word in words):
            return True
    return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CORPUS.is_dir():
        return
    for item in items:
        empty = any(
            str(m.kwargs.get("reason", "")).startswith("got empty parameter set")
            for m in item.iter_markers("skip")
        )
        if empty or _reaches_corpus(item):
            # first, so the reason shown is this one rather than "empty parameter set"
            item.add_marker(pytest.mark.skip(reason=NO_CORPUS), append=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"LOADWATCH_REQUIRE_ALL is set, so this may not be skipped: {reason}"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(NO_CORPUS)
    return CORPUS


@pytest.fixture(scope="session")
def fit_reference() -> FitReference:
    """fitparse's reading of FIT files, decoded once for the whole session.

    The FIT importer's corpus tests and the fast path's comparison with it read
    the same files; each is decoded by fitparse once, whichever test asks first.
    """
    return FitReference()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Prose wraps to the terminal; content checks read whole sentences from a wide one.

    The layout at 80 and 120 columns has tests of its own (``test_cli_width``), which
    set COLUMNS themselves.
    """
    monkeypatch.setenv("COLUMNS", "250")
