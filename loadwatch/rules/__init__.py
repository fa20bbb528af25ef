"""The rules engine: a context built once from the runs, and a registry of pure rules.

Each rule lives in its own module and exposes ``RULE``; adding one is a new module
plus one line in ``RULES``. Rules read only the ``RuleContext`` (no clock, no disk)
and return ``Finding`` objects; ``evaluate`` collects them, keeps those dated
from ``since`` to ``as_of`` and sorts them newest first.
"""

from __future__ import annotations

from loadwatch.rules.context import Params, Rule, RuleContext, at_least, exceeds
from loadwatch.rules.findings import (
    SEVERITY_ORDER,
    Evidence,
    Finding,
    Severity,
    any_at_least,
    by_severity,
    newest_first,
)
from loadwatch.rules.registry import RULES, default_params, evaluate, run_rules

__all__ = [
    "Params",
    "at_least",
    "exceeds",
    "RULES",
    "SEVERITY_ORDER",
    "Evidence",
    "Finding",
    "Rule",
    "RuleContext",
    "Severity",
    "any_at_least",
    "by_severity",
    "default_params",
    "evaluate",
    "newest_first",
    "run_rules",
]
