"""The weekly report: one ``Report`` built from the library, rendered and written to files.

From Python::

    from loadwatch.report import build_report, render, write_report
    report = build_report(collection, config, as_of=date(2026, 11, 22))
    paths = write_report(render(report), Path("reports"))
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from loadwatch.report.files import FORMATS

if TYPE_CHECKING:
    from loadwatch.report.build import (
        Rendered,
        build_report,
        render,
        report_name,
        report_of,
        summary_lines,
        write_report,
    )
    from loadwatch.report.model import DEFAULT_WEEKS, Chart, Report

__all__ = [
    "DEFAULT_WEEKS",
    "FORMATS",
    "Chart",
    "Rendered",
    "Report",
    "build_report",
    "render",
    "report_name",
    "report_of",
    "summary_lines",
    "write_report",
]

# Building a report needs pandas; the names load on first use, so the CLI can offer
# ``--formats`` (and list FORMATS) before anything heavy is imported.
_LAZY = {
    "DEFAULT_WEEKS": "model",
    "Chart": "model",
    "Report": "model",
    "Rendered": "build",
    "build_report": "build",
    "render": "build",
    "report_name": "build",
    "report_of": "build",
    "summary_lines": "build",
    "write_report": "build",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
