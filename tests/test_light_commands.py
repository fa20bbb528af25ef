"""Warm everyday commands start without the heavy libraries they do not need.

pandas takes most of a second of CPU to import and matplotlib half a second more, so
``activities`` and ``shoes`` (lists, no table maths) load neither, and ``check`` (the
rules need the weekly table) loads pandas but never matplotlib. Each command runs in a
fresh interpreter after a first run has filled the cache, and reports which of the two
libraries ended up imported.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "sample_activities"

PROBE = """
import json, sys
from loadwatch.cli import app
try:
    app(sys.argv[1:])
    code = 0
except SystemExit as done:
    code = done.code
heavy = {name: name in sys.modules for name in ("pandas", "numpy", "matplotlib")}
print(json.dumps({"code": code, **heavy}), file=sys.stderr)
"""


def _run(home: Path, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        env={"XDG_CONFIG_HOME": str(home / "xdg"), "PATH": "/usr/bin:/bin", "HOME": str(home)},
        timeout=300,
        check=False,
    )
    result: dict[str, object] = json.loads(done.stderr.strip().splitlines()[-1])
    assert result["code"] in (0, None), done.stdout + done.stderr
    return result


@pytest.fixture(scope="module")
def warm_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A data directory whose cache already holds the sample (one cold import done)."""
    root = tmp_path_factory.mktemp("light")
    folder = root / "sample"
    shutil.copytree(SAMPLE, folder)
    home = root / "home"
    first = _run(home, "import", str(folder))
    # the cold import parses files; nothing in it needs the table libraries either
    assert first["matplotlib"] is False
    return home, folder


@pytest.mark.parametrize(
    "command",
    [
        ["activities"],
        ["activities", "--format", "json"],
        ["activities", "--format", "csv"],
        ["shoes"],
        ["shoes", "--format", "json"],
        ["import"],
    ],
)
def test_list_commands_load_neither_pandas_nor_matplotlib(
    warm_home: tuple[Path, Path], command: list[str]
) -> None:
    home, folder = warm_home
    result = _run(home, *command, str(folder))
    assert result == {"code": 0, "pandas": False, "numpy": False, "matplotlib": False}


def test_bare_shoes_uses_the_remembered_folder_and_stays_light(
    warm_home: tuple[Path, Path],
) -> None:
    home, _ = warm_home
    assert _run(home, "shoes") == {"code": 0, "pandas": False, "numpy": False, "matplotlib": False}


@pytest.mark.parametrize("command", [["check"], ["check", "--format", "json"], ["weekly"]])
def test_table_commands_load_pandas_but_never_matplotlib(
    warm_home: tuple[Path, Path], command: list[str]
) -> None:
    home, folder = warm_home
    result = _run(home, *command, str(folder))
    assert result["pandas"] is True  # the weekly table is a DataFrame
    assert result["matplotlib"] is False


def test_rule_settings_in_the_config_keep_the_list_commands_light(
    warm_home: tuple[Path, Path],
) -> None:
    # Checking [rules.*] keys reads each rule's defaults: the rule modules must not
    # bring pandas with them.
    home, folder = warm_home
    config = home / "with-rules.toml"
    config.write_text(
        (folder / "loadwatch.toml").read_text(encoding="utf-8")
        + "\n[rules.weekly-increase]\ninfo_pct = 12\n",
        encoding="utf-8",
    )
    for command in ("activities", "shoes"):
        result = _run(home, "--config", str(config), command, str(folder))
        assert result == {"code": 0, "pandas": False, "numpy": False, "matplotlib": False}
