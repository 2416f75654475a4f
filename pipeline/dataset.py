"""Tables written where the workers are: with ``--out URL`` (``s3://bucket/tables``) on Dask, the worker
that made a batch's rows writes them as Parquet parts, ``<table>/part-<batch>-<k>.parquet``, in a folder of
the run, ``tables-<run>/``; the client only counts them. The run is committed by writing ``run.json`` last,
naming that folder: one object written whole, so a reader sees the previous output or the complete new one.
The previous run's folder is then deleted, only the parts this tool wrote. CSV is written only for local
outputs.

Part names sort in input order (batch number, then the article's place when a batch is redone one by one),
and Parquet readers read a folder's files in name order: the rows come in the order of the local engine's."""

from __future__ import annotations

import json
import os
import re
import secrets
import time

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import schema
from pipeline.writer import FORMAT, RUN_META, TOOL, UnsafeOutput, with_entities

PART = "part-{batch:08d}-{sub:04d}.parquet"
# A key this tool wrote. VERBOSE-safe: re.escape escapes spaces and "#", table names are identifiers.
OURS = re.compile(
    rf"""
    (?:{re.escape(RUN_META)}                     # run.json
      |(?P<run>tables-[0-9a-f-]+)/               # tables-0f3a9c1e-.../
       (?P<table>{"|".join(schema.TABLES)})/     # money/
       part-\d{{8}}-\d{{4}}\.parquet)             # part-00000003-0001.parquet
    """,
    re.VERBOSE,
)


def _fs(url: str):
    import fsspec

    return fsspec.core.url_to_fs(url)


class Dataset:
    """A URL output: checked to be new, empty or ours when made; the folder of this run under it."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.fs, self.root = _fs(self.url)
        self.root = self.root.rstrip("/")
        self.run = f"tables-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid():x}-{secrets.token_hex(4)}"
        try:
            foreign = self.foreign()
        except Exception as err:  # noqa: BLE001  (a file system's error: credentials, network, permission)
            raise UnsafeOutput(f"cannot list the output {url}: {type(err).__name__}: {err}") from None
        if foreign:
            shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            raise UnsafeOutput(
                f"refusing to write into {url}: it is not an output of this tool (it holds "
                f"{shown}); choose a new or empty location, nothing in it is deleted"
            )

    @property
    def folder(self) -> str:
        """The URL of this run's folder, where the workers write."""
        return f"{self.url}/{self.run}"

    def _keys(self) -> list[str]:
        """Everything under the output, relative to it (listed anew: the workers wrote meanwhile)."""
        self.fs.invalidate_cache()
        try:
            return sorted(path[len(self.root) + 1 :] for path in self.fs.find(self.root))
        except FileNotFoundError:
            return []

    def foreign(self) -> list[str]:
        """What under the output this tool did not write: all of it but this run's parts unless ``run.json``
        marks it as ours."""
        keys = [key for key in self._keys() if not key.startswith(f"{self.run}/")]
        if keys and not self._marked():
            return keys
        return [key for key in keys if not OURS.fullmatch(key)]

    def _marked(self) -> bool:
        try:
            found = json.loads(self.fs.cat_file(f"{self.root}/{RUN_META}"))
        except (OSError, ValueError):
            return False
        return isinstance(found, dict) and found.get("tool") == TOOL

    def parts(self, table: str) -> list[str]:
        """The URLs of this run's parts of ``table``, in order."""
        self.fs.invalidate_cache()
        try:
            found = self.fs.find(f"{self.root}/{self.run}/{table}")
        except FileNotFoundError:
            return []
        return [f"{self.folder}/{table}/{path.rsplit('/', 1)[1]}" for path in sorted(found)]

    def commit(self, entities: list[dict], meta: dict) -> None:
        """Write the ``entities`` table and an empty part for each table without rows, then ``run.json``;
        refused if something foreign appeared meanwhile. Then the other runs' parts are deleted."""
        write_part(self.folder, "entities", 0, 0, entities)
        for table in schema.TABLES:
            if not self.parts(table):
                write_part(self.folder, table, 0, 0, [])
        foreign = self.foreign()
        if foreign:
            raise UnsafeOutput(
                f"{self.url} changed during the run and now holds {', '.join(foreign[:5])}, "
                f"which this tool did not write; the previous output was left as it was"
            )
        meta = {"tool": TOOL, "format": FORMAT, "tables": self.run, **meta}
        text = json.dumps(meta, indent=1, default=str) + "\n"
        self.fs.pipe_file(f"{self.root}/{RUN_META}", text.encode())
        self._remove(lambda run: run != self.run)

    def abort(self) -> None:
        """Delete this run's parts; the previous output stays as it was."""
        self._remove(lambda run: run == self.run)

    def _remove(self, which) -> None:
        doomed = [
            f"{self.root}/{key}"
            for key in self._keys()
            if (match := OURS.fullmatch(key)) and match["run"] and which(match["run"])
        ]
        if doomed:
            self.fs.rm(doomed)

    def remove_part(self, batch: int, sub: int) -> None:
        """The parts one task wrote (a batch, or one article of it), before it is redone."""
        name = PART.format(batch=batch, sub=sub)
        doomed = [f"{self.root}/{self.run}/{table}/{name}" for table in schema.TABLES]
        doomed = [path for path in doomed if self.fs.exists(path)]
        if doomed:
            self.fs.rm(doomed)


def write_part(folder: str, table: str, batch: int, sub: int, rows: list[dict]) -> None:
    """Rows of ``table`` as one Parquet part in the run's folder (a URL)."""
    fs, path = _fs(f"{folder}/{table}/{PART.format(batch=batch, sub=sub)}")
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    with fs.open(path, "wb") as handle:
        pq.write_table(schema.to_arrow(table, rows), handle)


def write_batch(folder: str, batch: int, sub: int, rows: list[dict[str, list[dict]]]) -> list[dict]:
    """Write a batch's rows (one {table: rows} per article) as parts, a table without rows writing none;
    return what the client counts of each article (``run.Summary.add`` takes it) and its organisation
    summary (for the run-wide entities)."""
    for table in schema.ARTICLE_TABLES:
        table_rows = [row for article in rows for row in article.get(table, [])]
        if table_rows:
            write_part(folder, table, batch, sub, table_rows)
    return [
        {
            "articles": article["articles"],
            "mentions": [{"label": r["label"]} for r in article.get("mentions", [])],
            "dates": [{"relative": r["relative"], "value": r["value"]} for r in article.get("dates", [])],
            "money": [
                {"converted_amount": r["converted_amount"], "currency": r["currency"]}
                for r in article.get("money", [])
            ],
            "organisation_summary": article.get("organisation_summary", []),
        }
        for article in rows
    ]


def fill_entities(url: str, entity_of: dict[str, str]) -> dict[str, set[str]]:
    """Rewrite one ``organisations`` part with each row's run-wide ``entity``; return the names of each."""
    fs, path = _fs(url)
    with fs.open(path, "rb") as handle:
        rows = pq.read_table(handle).to_pylist()
    names: dict[str, set[str]] = {}
    rows = with_entities(rows, entity_of, names)
    with fs.open(path, "wb") as handle:
        pq.write_table(schema.to_arrow("organisations", rows), handle)
    return names


def read(url: str) -> dict[str, pa.Table]:
    """Every table of a URL output, its parts in order, from the run ``run.json`` names."""
    fs, root = _fs(url.rstrip("/"))
    run = json.loads(fs.cat_file(f"{root}/{RUN_META}"))["tables"]
    return {t: pq.read_table(f"{root}/{run}/{t}", filesystem=fs) for t in schema.TABLES}
