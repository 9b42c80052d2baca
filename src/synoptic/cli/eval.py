"""``synoptic eval TASK --data ... --out PRED.jsonl``: predictions in the protocols of the eval kit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from synoptic.cli.options import progress_for
from synoptic.config import Settings

app = typer.Typer(
    help="Write benchmark predictions; score them with the eval kit: "
    "`python ../shared/eval/score.py TASK --gold FILE --pred PRED.jsonl`.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@app.command("extract")
def extract(
    data: Annotated[
        Path, typer.Option("--data", help="The benchmark folder (with html/) or a folder of pages.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Prediction JSONL to write.")],
    clean: Annotated[
        bool, typer.Option("--clean/--no-clean", help="Also run line-level cleaning after extraction.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Article body extraction: one {"id", "text"} line per page (ids: file names without .html.gz).

    Examples:

        synoptic eval extract --data ../shared/eval/extract/ --out extract.jsonl
    """
    from synoptic.eval.extract import run

    result = run(data, out, Settings().validate(), clean=clean, progress=progress_for("extract", quiet))
    for failure in result.failures:
        print(f"synoptic: {failure.message()}", file=sys.stderr)
    if not quiet:
        print(f"synoptic: {result.pages} pages, {result.empty} without text -> {out}", file=sys.stderr)


@app.command("timex")
def timex(
    data: Annotated[
        Path, typer.Option("--data", help="JSONL with id, text and dct (e.g. timebank_dev.jsonl).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Prediction JSONL to write.")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Time expressions: one {"id", "timexes": [{"start", "end", "value", "type"}]} line per document.

    Examples:

        synoptic eval timex --data ../shared/eval/timex/timebank_dev.jsonl --out timex.jsonl
    """
    from synoptic.eval.timex import run

    result = run(data, out, Settings().validate(), progress=progress_for("timex", quiet))
    if not quiet:
        print(
            f"synoptic: {result.documents} documents, {result.timexes} time expressions -> {out}",
            file=sys.stderr,
        )


@app.command("quotes")
def quotes(
    data: Annotated[Path, typer.Option("--data", help="PolNeAR-shaped JSONL ({id, text, ...} per line).")],
    out: Annotated[Path, typer.Option("--out", help="Prediction JSONL to write.")],
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the first N items (quick runs).")
    ] = None,
    shown_only: Annotated[
        bool,
        typer.Option(
            "--shown-only", help="Only the quotes the default views show (confidence >= show_threshold)."
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Quote attribution: one {"id", "quotes": [{content_span, speaker, speaker_span, cue_span,
    confidence, shown}]} per item.

    Examples:

        synoptic eval quotes --data ../shared/eval/quotes/polnear_dev.jsonl --out quotes.jsonl
    """
    from synoptic.eval.quotes import run

    progress = progress_for("quotes", quiet)
    result = run(data, out, Settings().validate(), limit=limit, progress=progress, shown_only=shown_only)
    if not quiet:
        print(f"synoptic: {result.items} items, {result.quotes} quotes -> {out}", file=sys.stderr)


@app.command("cluster")
def cluster(
    data: Annotated[
        Path, typer.Option("--data", help="JSONL with id, title, text per line (e.g. ECB+ dev).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Prediction JSONL to write.")],
    stream: Annotated[
        bool,
        typer.Option("--stream/--batch", help="Feed items one at a time to the streaming clusterer."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
) -> None:
    """Story clustering: one {"id", "cluster"} line per item.

    Examples:

        synoptic eval cluster --data ../shared/eval/cluster/ecbplus_dev.jsonl --out cluster.jsonl
    """
    from synoptic.eval.cluster import run

    result = run(data, out, Settings().validate().cluster, stream=stream)
    if not quiet:
        print(f"synoptic: {result.items} items, {result.clusters} stories -> {out}", file=sys.stderr)


@app.command("mds")
def mds(
    data: Annotated[Path, typer.Option("--data", help="Clusters as JSONL: {id, documents, query?}.")],
    out: Annotated[Path, typer.Option("--out", help="Prediction JSONL to write.")],
    words: Annotated[
        int | None,
        typer.Option(
            "--words",
            help="Summary length in words (default from the file name: multinews 300, neus 65, duc 250).",
        ),
    ] = None,
    clean: Annotated[
        bool, typer.Option("--clean/--no-clean", help="Remove boilerplate lines from the documents first.")
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Multi-document summarization: one {"id", "summary"} line per cluster.

    Examples:

        synoptic eval mds --data ../shared/eval/mds/multinews_dev.jsonl --out mds.jsonl
    """
    from synoptic.eval.mds import run

    result = run(
        data, out, Settings().validate(), words=words, clean=clean, progress=progress_for("mds", quiet)
    )
    if not quiet:
        print(
            f"synoptic: {result.clusters} clusters, {result.empty} empty summaries, "
            f"{result.seconds / max(1, result.clusters):.3f} s per cluster -> {out}",
            file=sys.stderr,
        )
