"""loadwatch: training load and heel-injury risk from a runner's own watch exports."""

from importlib.metadata import PackageNotFoundError, version

from loadwatch.config import Config, load_config
from loadwatch.errors import LoadwatchError
from loadwatch.ingest.pipeline import Collection, ImportSummary, import_folders
from loadwatch.model import Activity, Problem, Sport, Surface

try:
    __version__ = version("loadwatch")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Activity",
    "Collection",
    "Config",
    "ImportSummary",
    "LoadwatchError",
    "Problem",
    "Sport",
    "Surface",
    "import_folders",
    "load_config",
]
