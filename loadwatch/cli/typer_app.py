"""The ``loadwatch`` Typer app and its global options; the commands register on it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from loadwatch.cli.common import Globals, configure_logging

app = typer.Typer(
    name="loadwatch",
    help=(
        "Watch your training load from your own watch exports and flag heel-injury risk "
        "(plantar fasciitis, Achilles) before it hurts. Not medical advice."
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Where the cache and your shoes and pain log live "
            "(default: $LOADWATCH_HOME, else ~/.local/share/loadwatch).",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="TOML settings file (see README for every key)."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Say more.")] = False,
) -> None:
    ctx.obj = Globals(data_dir=data_dir, config_path=config, verbose=verbose)
    configure_logging(verbose)
