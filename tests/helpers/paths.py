"""The project's own folders, as the tests find them."""

from __future__ import annotations

from pathlib import Path

#: the source checkout: tests/helpers/paths.py is three levels down
PROJECT = Path(__file__).resolve().parents[2]
#: the committed sample activities (sample_activities/)
SAMPLE = PROJECT / "sample_activities"
