"""Command line: ``python -m pipeline extract|evaluate|bench|report|rules check``.

Exit codes: 0 the run completed (per-file problems are in the articles table), 2 a usage or environment
error (one line on stderr says what to do), 1 an internal failure, 130 interrupted (Ctrl-C), 143 stopped
(SIGTERM).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import sys
from datetime import date
from pathlib import Path

from pipeline import stops

USAGE_ERROR, INTERNAL_ERROR = 2, 1


class UsageError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return number


def _location(text: str) -> Path | str:
    """A local path, or an fsspec URL kept as text (a Path would fold its '//')."""
    from pipeline.articles import is_url

    return text if is_url(text) else Path(text)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract every article (.txt, .html, .htm) in a folder into tables")
    ex.add_argument(
        "articles",
        type=_location,
        help="folder of .txt articles and .html/.htm pages (recursive): "
        "a path or a URL (s3://bucket/news: pip install '.[s3]')",
    )
    ex.add_argument(
        "--out",
        type=_location,
        default=Path("output"),
        help="output folder (default: output), or a URL the Dask workers write to (Parquet only)",
    )
    ex.add_argument("--reference-date", type=_date, help="reference date for relative dates (YYYY-MM-DD)")
    ex.add_argument(
        "--manifest",
        type=_location,
        help="CSV article,published, a path or a URL (default: ARTICLES/manifest.csv)",
    )
    ex.add_argument("--model", help="installed spaCy pipeline name or path (default: models/config.cfg)")
    ex.add_argument("--rules", type=Path, action="append", default=[], help="extra pattern file (repeatable)")
    ex.add_argument(
        "--workers", type=_positive, default=os.cpu_count() or 1, help="worker processes (default: all cores)"
    )
    ex.add_argument(
        "--article-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time budget of one article, after which it gets an error row (default: 600; 0: none)",
    )
    ex.add_argument(
        "--incremental",
        action="store_true",
        help="reuse the previous output's rows for unchanged articles; process only new or changed ones",
    )
    ex.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local worker processes, or Dask (pip install '.[dask]')",
    )
    ex.add_argument(
        "--scheduler",
        help="with --engine dask: the address of a running Dask scheduler "
        "(default: a local cluster of --workers processes)",
    )
    ex.add_argument(
        "--convert-to",
        type=str.upper,
        default="USD",
        metavar="CUR",
        help="currency (ISO 4217, published by the ECB) amounts are also given in (default: USD)",
    )
    ex.add_argument(
        "--report",
        action="store_true",
        help="also write OUT/report.html (a re-run over an output with one always rewrites it)",
    )
    ex.add_argument("--quiet", action="store_true", help="no progress bar")
    ev = sub.add_parser("evaluate", help="score an output folder against gold files (SPEC section 4)")
    ev.add_argument("gold", type=Path)
    ev.add_argument("output", type=Path)
    ev.add_argument("--verbose", action="store_true", help="list every false positive and miss")
    bench = sub.add_parser(
        "bench", help="time our extraction against the bare spaCy NER model on the same files"
    )
    bench.add_argument(
        "corpus",
        type=Path,
        nargs="?",
        help="folder of .txt articles (default: seeds/ repeated to about 100,000 words)",
    )
    bench.add_argument("--words", type=int, help="cycle the corpus to about this many words")
    bench.add_argument(
        "--workers", type=_positive, default=os.cpu_count() or 1, help="worker processes of both runs"
    )
    bench.add_argument(
        "--rounds", type=int, default=2, help="alternating rounds of each run (best is reported)"
    )
    bench.add_argument(
        "--dask",
        action="store_true",
        help="also run on a real Dask cluster of --workers worker processes (pip install '.[dask]')",
    )
    bench.add_argument(
        "--no-pathological",
        action="store_true",
        help="skip the pathological articles (1 MB and 5 MB on one line, a run of symbols)",
    )
    rep = sub.add_parser("report", help="write OUT_DIR/report.html, the tables as one self-contained page")
    rep.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="an output folder written by extract")
    rules = sub.add_parser("rules", help="work with rule pattern files")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    check = rules_sub.add_parser("check", help="validate pattern files")
    check.add_argument("files", type=Path, nargs="+")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    stops.install()  # a stopped run cleans up: workers, temporary folder
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt as err:
        return _stopped(getattr(err, "signum", signal.SIGINT))
    except UsageError as err:
        if stops.received:  # a library turned the stop into an error of its own
            return _stopped(stops.received[0])
        print(f"error: {err}", file=sys.stderr)
        return USAGE_ERROR


def _stopped(signum: int) -> int:
    print("interrupted; the previous output was left as it was", file=sys.stderr)
    return stops.EXIT_CODES[signum]


def cmd_extract(args) -> int:
    from pipeline import extract
    from pipeline.jobs import ARTICLE_TIMEOUT
    from pipeline.nlp import ModelError
    from pipeline.rules import RuleError

    _check_input(args.articles, args.manifest)
    if isinstance(args.out, Path):
        _check_writable(args.out)
    elif args.engine != "dask" or args.incremental or args.report:
        raise UsageError(
            f"an --out URL ({args.out}) is written by Dask workers: use --engine dask, without "
            f"--incremental or --report, or a local --out"
        )
    else:
        _file_system(args.out)
    if args.engine == "dask" and importlib.util.find_spec("distributed") is None:
        raise UsageError("--engine dask needs Dask: pip install '.[dask]'")
    timeout = ARTICLE_TIMEOUT if args.article_timeout is None else (args.article_timeout or None)
    bar = Progress(args.quiet)
    try:
        summary = extract(
            args.articles,
            args.out,
            reference=args.reference_date,
            manifest=args.manifest,
            model=args.model,
            extra_rules=tuple(map(str, args.rules)),
            workers=args.workers,
            engine=args.engine,
            scheduler=args.scheduler,
            incremental=args.incremental,
            timeout=timeout,
            convert_to=args.convert_to,
            report=args.report,
            progress=bar.update,
        )
    except (ModelError, RuleError, ValueError) as err:
        raise UsageError(str(err)) from None
    except OSError as err:  # the disk, the file system or a Dask scheduler that cannot be reached
        hint = f"; is the Dask scheduler at {args.scheduler} running?" if args.scheduler else ""
        raise UsageError(f"cannot write the tables in {args.out}: {err.strerror or err}{hint}") from None
    finally:
        bar.close()
    written = "tables and report.html" if summary.report else "tables"
    print(f"{summary.line()}; {written} in {args.out}", file=sys.stderr if args.quiet else sys.stdout)
    return 0


def _check_input(folder: Path | str, manifest: Path | str | None) -> None:
    """The input folder and the manifest exist; a URL's file system is installed and answers."""
    for location, kind in ((folder, "input folder"), (manifest, "manifest")):
        if location is not None and not _found(location, folder=kind == "input folder"):
            what = "is not a folder" if kind == "input folder" else "is not a file"
            raise UsageError(f"{kind} {location} does not exist or {what}")


def _found(location: Path | str, folder: bool) -> bool:
    """Whether a path or URL is a folder (``folder``) or a file."""
    if isinstance(location, Path):
        return location.is_dir() if folder else location.is_file()
    fs, path = _file_system(location)
    try:
        return fs.isdir(path) if folder else fs.isfile(path)
    except Exception as err:  # noqa: BLE001  (a file system's error: credentials, network, permission)
        raise UsageError(f"cannot read {location}: {type(err).__name__}: {err}") from None


def _file_system(url: str):
    """fsspec's file system for a URL, if its package is installed."""
    import fsspec

    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as err:  # fsspec names the package: "Install s3fs to access S3"
        raise UsageError(f"cannot use {url}: {err} (for S3: pip install '.[s3]')") from None


def _check_writable(out: Path) -> None:
    parent = out.resolve().parent  # whether the folder itself may be replaced is writer.output_target's call
    if not parent.exists():
        try:
            parent.mkdir(parents=True)
        except OSError as err:
            raise UsageError(f"cannot create the output's parent folder {parent}: {err.strerror}") from None
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise UsageError(f"output folder {out} is not writable: choose another with --out")


class Progress:
    """A tqdm bar (articles/s and ETA on stderr) for runs of more than a handful of files, made on the first
    article, when the total is known."""

    def __init__(self, quiet: bool):
        self.quiet, self.bar = quiet, None

    def update(self, done: int, total: int) -> None:
        if self.bar is None and not self.quiet and total > 5:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="article", desc="extract", file=sys.stderr)
        if self.bar is not None:
            self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_evaluate(args) -> int:
    from pipeline.evaluate import evaluate, format_report

    for path in (args.gold, args.output):
        if not path.is_dir():
            raise UsageError(f"{path} is not a folder")
    print(format_report(evaluate(args.gold, args.output), verbose=args.verbose))
    return 0


def cmd_rules(args) -> int:
    from pipeline.rules import RuleError, read_patterns

    bad = 0
    for path in args.files:
        try:
            patterns = read_patterns(path)
            print(f"{path}: {len(patterns)} patterns ok")
        except RuleError as err:
            print(f"error: {err}", file=sys.stderr)
            bad += 1
    return USAGE_ERROR if bad else 0


def cmd_bench(args) -> int:
    from pipeline.bench import (
        DEFAULT_WORDS,
        SEEDS,
        format_dask,
        format_pathological,
        format_table,
        run_bench,
        run_pathological,
    )

    corpus = args.corpus or SEEDS
    if not corpus.is_dir():
        raise UsageError(f"corpus {corpus} is not a folder")
    words = args.words or (None if args.corpus else DEFAULT_WORDS)
    try:
        rows = run_bench(corpus, words, args.workers, max(1, args.rounds), args.dask)
        print(format_table(rows), flush=True)
        if args.dask:
            print("\n" + format_dask(rows), flush=True)
        if not args.no_pathological:
            print("\n" + format_pathological(run_pathological(corpus, args.workers)))
    except ValueError as err:
        raise UsageError(str(err)) from None
    return 0


def cmd_report(args) -> int:
    from pipeline.report import write_report

    if not (args.out_dir / "articles.parquet").is_file():
        raise UsageError(
            f"{args.out_dir} has no tables: run `python -m pipeline extract ARTICLES --out "
            f"{args.out_dir}` first"
        )
    try:
        print(write_report(args.out_dir))
    except OSError as err:
        raise UsageError(f"cannot write the report in {args.out_dir}: {err.strerror or err}") from None
    return 0


COMMANDS = {
    "extract": cmd_extract,
    "evaluate": cmd_evaluate,
    "rules": cmd_rules,
    "report": cmd_report,
    "bench": cmd_bench,
}
