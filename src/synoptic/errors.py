"""All user-facing errors, their codes, and the CLI's exit codes, in one place.

Rules:
- a per-item problem (one bad file, one broken JSONL line) is an :class:`InputError`; the
  stage turns it into an :class:`~synoptic.records.IngestFailure` and the batch goes on;
- a problem that stops the whole command (bad option, unreadable database) is a
  :class:`SynopticError` that the CLI prints as one line and maps to an exit code;
- every message says what is wrong *and* what to do about it.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    """Everything given was processed."""
    PARTIAL = 3
    """Some items failed (each reported on stderr); the rest was processed."""
    NOTHING = 4
    """No item could be processed."""
    USAGE = 2
    """Bad command line (unknown option, missing argument): the same code as click/typer."""
    INTERNAL = 70
    """A bug: please report it with the command that triggered it."""


# code -> (reason template, hint). Codes are stable: tests and users may grep for them.
MESSAGES: dict[str, tuple[str, str]] = {
    "E001": ("path does not exist", "check the spelling, or quote globs so the shell does not expand them"),
    "E002": ("file is empty", "nothing to read; remove it or re-download it"),
    "E003": ("file looks binary ({detail})", "give a text, HTML, feed, JSONL or WARC file"),
    "E004": ("cannot decode text ({detail})", "re-save the file as UTF-8"),
    "E005": (
        "compressed file is truncated or corrupt ({detail})",
        "re-download the file; the readable part was kept",
    ),
    "E006": ("file is too large ({detail})", "split it, or raise the limit with --max-bytes"),
    "E007": (
        "no article text found ({detail})",
        "check that this is an article page, not an index or error page",
    ),
    "E008": ("malformed feed ({detail})", "validate the feed; entries that could be read were kept"),
    "E009": (
        "bad JSONL line ({detail})",
        'each line must be one JSON object with the fields its format needs (an article: a non-empty "text")',
    ),
    "E010": ("malformed WARC ({detail})", "re-download the file; records read before the error were kept"),
    "E011": (
        "unrecognised input format ({detail})",
        "give .txt, .html, RSS/Atom, .jsonl or .warc(.gz) input",
    ),
    "E012": ("cannot read ({detail})", "check permissions and that it is a regular file"),
    "E013": ("malformed HTML ({detail})", "the page could not be parsed; try saving it again"),
    "E014": (
        "could not be processed ({detail})",
        "this is a bug: rerun with SYNOPTIC_DEBUG=1 and report the traceback",
    ),
    "E015": (
        "request time limit reached ({detail})",
        "send fewer or smaller files per request, or use `synoptic ingest` for large batches",
    ),
    "E016": (
        "bad metadata.csv ({detail})",
        "give a CSV with a header line naming 'file' and any of outlet,domain,url,published (see README)",
    ),
    "E020": (
        "invalid setting ({detail})",
        "`synoptic config` prints every setting with its default and allowed values",
    ),
    "E021": (
        "bad config file: {detail}",
        "fix it there, or unset $SYNOPTIC_CONFIG; `synoptic config` prints every setting with its default "
        "and allowed values",
    ),
    "E025": (
        "-f {detail} writes one file per table",
        "give the folder to write them into with -o DIR (it is created)",
    ),
    "E026": (
        "cannot write the output ({detail})",
        "give -o a file in an existing folder you can write to, on a disk with room",
    ),
    "E027": (
        "unusable outlets CSV ({detail})",
        "give a UTF-8 CSV with a header line 'domain,name' and one outlet per line, e.g. 'livemint.com,Mint'",
    ),
    "E030": ("store error ({detail})", "check the --db path; the file may be locked or from a newer version"),
    "E031": ("not found ({detail})", "list what exists with `synoptic stories`"),
    "E040": ("evaluation data missing ({detail})", "pass --data pointing at the benchmark file or folder"),
    "E050": ("optional dependency missing ({detail})", "install it: {install}"),
}


class SynopticError(Exception):
    """An error that stops a command. ``str(err)`` is the one line shown to the user."""

    exit_code: ExitCode = ExitCode.NOTHING

    def __init__(self, code: str, detail: str = "", *, subject: str | None = None, **fmt: str) -> None:
        reason, hint = MESSAGES[code]
        self.code = code
        self.detail = detail
        self.subject = subject
        self.reason = reason.format(detail=detail, **fmt) if "{detail}" in reason else reason
        self.hint = hint.format(**fmt) if fmt else hint
        prefix = f"{subject}: " if subject else ""
        super().__init__(f"{prefix}{self.reason} ({self.hint}) [{code}]")


class InputError(SynopticError):
    """One input item is unusable; the caller records it and goes on with the others."""


class UsageError(SynopticError):
    exit_code = ExitCode.USAGE


class OutputError(SynopticError):
    """The results could not be written (disk full, closed pipe): nothing was delivered."""

    exit_code = ExitCode.NOTHING


class StoreError(SynopticError):
    exit_code = ExitCode.NOTHING


class MissingDependency(SynopticError):
    exit_code = ExitCode.NOTHING

    def __init__(self, package: str, install: str) -> None:
        super().__init__("E050", package, install=install)


def exit_code_for(succeeded: int, failed: int) -> ExitCode:
    """OK when nothing failed, NOTHING when nothing succeeded, PARTIAL otherwise."""
    if failed == 0 and succeeded > 0:
        return ExitCode.OK
    if succeeded == 0:
        return ExitCode.NOTHING
    return ExitCode.PARTIAL
