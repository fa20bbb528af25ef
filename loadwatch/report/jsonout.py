"""The report as JSON: the same objects ``weekly``, ``check`` and ``shoes`` print."""

from __future__ import annotations

import json
from typing import Any

from loadwatch import weekly
from loadwatch.report import wording
from loadwatch.report.model import Report


def to_data(report: Report) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "units": report.units.value,
        "week": report.label,
        "light": report.light,
        "headline": wording.headline(report),
        "findings_since": report.findings_since.isoformat(),
        "weeks": weekly.to_display(report.weeks[list(weekly.COLUMNS)], report.units),
        "findings": [finding.to_dict() for finding in report.findings],
        "shoes": None if report.shoes is None else dict(report.shoes),
        "problems": [problem.to_dict() for problem in report.problems],
        "pain": None if report.pain is None else report.pain.to_dict(),
    }


def render(report: Report) -> str:
    return json.dumps(to_data(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
