"""loadwatch: training load and heel-injury risk from a runner's own watch exports."""

from loadwatch.config import Config, load_config
from loadwatch.errors import LoadwatchError
from loadwatch.ingest.pipeline import Collection, ImportSummary, import_folders
from loadwatch.model import Activity, Problem, Sport, Surface

#: the one place the version is written: pyproject.toml reads it from here (asking the
#: installed metadata costs every command 50 ms of start-up)
__version__ = "0.1.0"

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
