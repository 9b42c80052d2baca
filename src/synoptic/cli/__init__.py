"""Command-line interface: a thin layer over the library, one module per command group.

Errors: any :class:`~synoptic.errors.SynopticError` is printed as one line on stderr and
mapped to its exit code; no traceback reaches the user unless ``SYNOPTIC_DEBUG=1``.
"""

from __future__ import annotations

import os
import sys

import typer

from synoptic.cli import digest as digest_cmd
from synoptic.cli import eval as eval_cmd
from synoptic.cli import store as store_cmd
from synoptic.errors import ExitCode, SynopticError
from synoptic.executors import one_blas_thread

app = typer.Typer(
    name="synoptic",
    help="Many outlets' articles in, one cross-checked, cited account out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("digest")(digest_cmd.digest)
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
        with one_blas_thread():
            rc = app(args=argv, prog_name="synoptic", standalone_mode=False)
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
