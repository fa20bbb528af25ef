"""The rules engine: a context built once from the runs, and a registry of pure rules.

Each rule lives in its own module and exposes ``RULE``; adding one is a new module
plus one line in ``RULES``. Rules read only the ``RuleContext`` (no clock, no disk)
and return ``Finding`` objects; ``evaluate`` collects them, keeps those dated
from ``since`` to ``as_of`` and sorts them newest first.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from loadwatch.rules.findings import (
    SEVERITY_ORDER,
    Evidence,
    Finding,
    Severity,
    any_at_least,
    by_severity,
    newest_first,
)

if TYPE_CHECKING:
    from loadwatch.rules.context import Params, Rule, RuleContext, at_least, exceeds
    from loadwatch.rules.registry import RULES, default_params, evaluate, run_rules

# The engine's names load on first use: the context and the rules need pandas, and a
# command that only lists findings or severities (``shoes``, ``activities``) must start
# without it. Findings themselves are plain data and load at once.
_LAZY = {
    "Params": "context",
    "Rule": "context",
    "RuleContext": "context",
    "at_least": "context",
    "exceeds": "context",
    "RULES": "registry",
    "default_params": "registry",
    "evaluate": "registry",
    "run_rules": "registry",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


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
