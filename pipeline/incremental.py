"""``--incremental``: which articles the previous output already holds unchanged, and their rows from it.

Rows are read back a record batch at a time, in step with the run (both follow the articles' order), so
reusing a big output costs neither a full load into memory nor a search per article."""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import __version__, articles, schema, webpages
from pipeline.lexicons import MODELS_DIR
from pipeline.normalize import convert
from pipeline.writer import RUN_META

READ_BATCH = 4_096  # rows read back at a time
PACKAGE_DIR = Path(__file__).resolve().parent


def fingerprint(nlp, extra_rules: tuple[str, ...], convert_to: str = convert.DEFAULT_TARGET) -> str:
    """What the rows depend on besides the articles: our version and source code, the model, every rule and
    lexicon file, the libraries that take a web page's text, and the currency amounts are converted to, with
    the exchange rates' version."""
    digest = hashlib.sha256(
        f"{__version__} {nlp.meta.get('name')} {nlp.meta.get('version')} "
        f"{webpages.versions()} {convert_to} {metadata.version('currencyconverter')}".encode()
    )
    code = sorted(PACKAGE_DIR.rglob("*.py"))
    for path in code + sorted(MODELS_DIR.rglob("*")) + [Path(p) for p in extra_rules]:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


class PreviousRows:
    """The previous output, when the same pipeline (``print_``) made it: ``reusable`` holds the paths of the
    jobs whose file and given reference date are unchanged, and ``rows`` gives such an article's rows; it must
    be asked for them in the order of the jobs."""

    def __init__(self, out_dir: Path, print_: str, jobs: list) -> None:
        self.reusable: set[str] = set()
        try:
            self._read(out_dir, print_, jobs)
        except (OSError, ValueError, pa.ArrowException):  # a damaged or partial previous output: redo all
            self.reusable = set()

    def _read(self, out_dir: Path, print_: str, jobs: list) -> None:
        meta = out_dir / RUN_META
        if not meta.is_file() or json.loads(meta.read_text()).get("fingerprint") != print_:
            return
        previous = pq.read_table(
            out_dir / "articles.parquet",
            columns=["article_id", "sha256", "status", "reference_date", "reference_date_source"],
            use_threads=False,
        ).to_pylist()
        self._order = {row["article_id"]: n for n, row in enumerate(previous)}
        by_id = {row["article_id"]: row for row in previous}
        for job in jobs:
            old = by_id.get(job.article_id)
            if old and old["status"] != "error" and not job.problem and _same_input(old, job):
                self.reusable.add(job.path)
        self._groups = {t: _article_groups(out_dir / f"{t}.parquet") for t in schema.ARTICLE_TABLES}
        self._ahead: dict[str, tuple[str, list[dict]] | None] = {
            t: next(g, None) for t, g in self._groups.items()
        }

    def rows(self, job) -> dict[str, list[dict]]:
        """The previous rows of a reusable job's article, with the file's path as given in this run."""
        article_id = job.article_id
        place = self._order[article_id]
        rows = {}
        for table, groups in self._groups.items():
            while self._ahead[table] and self._order[self._ahead[table][0]] < place:
                self._ahead[table] = next(groups, None)  # an article not reused this time
            ahead = self._ahead[table]
            rows[table] = ahead[1] if ahead and ahead[0] == article_id else []
        rows["articles"] = [{**r, "path": articles.printable(job.path)} for r in rows["articles"]]
        return rows


def _article_groups(path: Path) -> Iterator[tuple[str, list[dict]]]:
    """(article_id, rows) for each article of a table file, in file order, read a record batch at a time."""
    batches = pq.ParquetFile(path).iter_batches(READ_BATCH, use_threads=False)
    rows = (row for batch in batches for row in batch.to_pylist())
    return ((article_id, list(group)) for article_id, group in groupby(rows, key=itemgetter("article_id")))


def _same_input(old: dict, job) -> bool:
    """The file's bytes and the reference date it was given are those of the previous run; the file is read
    with the same checks as a full run (no pipes, devices or files over the size limit)."""
    if old["reference_date_source"] in ("manifest", "flag"):
        given = (job.reference, job.reference_source)  # the table's date32 reads back as a date
        same_reference = (old["reference_date"], old["reference_date_source"]) == given
    else:
        same_reference = job.reference is None
    try:
        return same_reference and hashlib.sha256(articles.source_bytes(job.path)).hexdigest() == old["sha256"]
    except articles.Unreadable:
        return False
