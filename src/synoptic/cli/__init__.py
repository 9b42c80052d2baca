"""Command-line interface: a thin layer over the library, one module per command group.

Errors: any :class:`~synoptic.errors.SynopticError` is printed as one line on stderr and
mapped to its exit code; no traceback reaches the user unless ``SYNOPTIC_DEBUG=1``.

The command modules import the pipeline, the store and the server inside the commands, so
``synoptic --help`` and ``synoptic --version`` do not pay for loading them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from synoptic import __version__
from synoptic.cli import digest as digest_cmd
from synoptic.cli import eval as eval_cmd
from synoptic.cli import logs
from synoptic.cli import store as store_cmd
from synoptic.cli.options import ConfigOption, settings_for
from synoptic.errors import ExitCode, SynopticError

app = typer.Typer(
    name="synoptic",
    help="Many outlets' articles in, one cross-checked, cited account out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Markdown help: a docstring's paragraphs are reflowed, its indented examples kept as written
    rich_markup_mode="markdown",
)


def _print_version(value: bool) -> None:
    if value:
        print(f"synoptic {__version__}")
        raise typer.Exit()


@app.callback()
def options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="Log more on stderr: -v each phase with counts and time, -vv debug.",
        ),
    ] = 0,
    log_level: Annotated[
        logs.LogLevel | None,
        typer.Option("--log-level", help="Log level on stderr (overrides -v; default: warning)."),
    ] = None,
) -> None:
    """Many outlets' articles in, one cross-checked, cited account out.

    Options before the command apply to every command: synoptic -v digest examples/xi-moscow-2023
    """
    logs.configure(logs.chosen_level(verbose, log_level))


def config(
    config: ConfigOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
    ] = None,
) -> None:
    """Print every setting as TOML: its value, allowed values and what it does.

    Without --config (or $SYNOPTIC_CONFIG) these are the defaults; with it, the file's values
    merged with the defaults, checked. Edit a copy and pass it with --config FILE.

    Examples:

        synoptic config > synoptic.toml
        synoptic config --config synoptic.toml       # check a file: names a bad key and its range
        SYNOPTIC_CONFIG=synoptic.toml synoptic digest examples/xi-moscow-2023
    """
    from synoptic.cli.options import write_output
    from synoptic.configfile import settings_to_toml

    write_output(settings_to_toml(settings_for(config)), output)


app.command("digest")(digest_cmd.digest)
app.command("config")(config)
app.add_typer(eval_cmd.app, name="eval")
app.command("ingest")(store_cmd.ingest)
app.command("regroup")(store_cmd.regroup)
app.command("stories")(store_cmd.stories)
app.command("show")(store_cmd.show)
app.command("search")(store_cmd.search)
app.command("serve")(store_cmd.serve)


def main(argv: list[str] | None = None) -> int:
    try:
        # standalone_mode=False: click returns typer.Exit's code instead of calling sys.exit;
        # one BLAS thread for every command (eval too): see executors.one_blas_thread
        args = sys.argv[1:] if argv is None else argv
        with contextlib.ExitStack() as stack:
            if args and not {"--help", "-h", "--version"} & set(args):  # help needs no numpy
                from synoptic.executors import one_blas_thread

                stack.enter_context(one_blas_thread())
            rc = app(args=args, prog_name="synoptic", standalone_mode=False)
    except SynopticError as err:
        print(f"synoptic: error: {err}", file=sys.stderr)
        return int(err.exit_code)
    except SystemExit as exc:  # typer.Exit carries the command's exit code
        return int(exc.code or 0)
    except KeyboardInterrupt:
        print("synoptic: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # click usage errors and real bugs
        # typer >= 0.29 vendors click as typer._click; match on its exception module by duck type
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            return int(exc.exit_code)
        if os.environ.get("SYNOPTIC_DEBUG"):
            raise
        print(
            f"synoptic: internal error: {type(exc).__name__}: {exc} "
            "(this is a bug; rerun with SYNOPTIC_DEBUG=1 and report the traceback)",
            file=sys.stderr,
        )
        return int(ExitCode.INTERNAL)
    return int(rc) if isinstance(rc, int) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
