"""Write the tables as Parquet and CSV, streamed in row groups into a temporary folder that replaces the
output folder only when every table is complete: a killed run leaves the previous output as it was."""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipeline import articles, organisations, schema

RENAME_EXCHANGE = 2
ROW_GROUP = 4_096  # rows buffered per table before they are written: the parent's memory stays flat
ROW_GROUPS = {"texts": 256}  # fewer rows of whole article texts
RUN_META = "run.json"  # written beside the tables: what made them, and the mark of an output of ours
TOOL, FORMAT = "contract-news-extraction", 3  # in RUN_META: whose output this is; its layout's version
REPORT = "report.html"
OUR_FILES = frozenset(
    {RUN_META, REPORT} | {f"{t}.{kind}" for t in schema.TABLES for kind in ("parquet", "csv")}
)


class UnsafeOutput(ValueError):
    """The output folder holds something this tool did not write, or is the input; the message says what."""


def output_target(out_dir: Path, input_dir: Path | str) -> Path:
    """The folder a run will replace (a link's target, so the link stays). Raises ``UnsafeOutput`` unless it
    is missing, empty or a previous output of ours, and is not the input folder (when local), one of its
    parents, or the current folder or one of its parents."""
    target, here = Path(out_dir).resolve(), Path.cwd().resolve()
    source = None if articles.is_url(input_dir) else Path(input_dir).resolve()
    if source and (target == source or target in source.parents):
        raise UnsafeOutput(
            f"output folder {out_dir} is the input folder or contains it: choose another --out"
        )
    if target == here or target in here.parents:
        raise UnsafeOutput(
            f"output folder {out_dir} is the current folder or contains it, and a run replaces "
            f"its output folder whole: name a folder of its own, e.g. --out output"
        )
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(f"output {out_dir} exists and is not a folder")
    foreign = foreign_files(target)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise UnsafeOutput(
            f"refusing to write into {out_dir}: it is not an output of this tool (it holds "
            f"{shown}); choose a new or empty folder, nothing in it is deleted"
        )
    return target


def foreign_files(folder: Path) -> list[str]:
    """What in ``folder`` this tool did not write: all of it unless ``run.json`` marks it as ours."""
    if not folder.is_dir():
        return []
    names = sorted(os.listdir(folder))
    if names and not _ours(folder / RUN_META):
        return names
    return [n for n in names if n not in OUR_FILES or not (folder / n).is_file() or (folder / n).is_symlink()]


def _ours(meta: Path) -> bool:
    """``run.json`` written by this tool (or by its versions before the mark, which wrote a fingerprint)."""
    try:
        found = json.loads(meta.read_text())
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and (
        found.get("tool") == TOOL or {"fingerprint", "version"} <= found.keys()
    )


class TableWriter:
    """Appends batches of rows to every table; ``commit`` swaps the finished folder into place."""

    def __init__(self, out_dir: Path):
        """``out_dir`` is the folder to replace, as checked by ``output_target``."""
        self.out_dir = Path(out_dir)
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(self.out_dir)
        self.work_dir = Path(
            tempfile.mkdtemp(prefix=f".{self.out_dir.name}.tmp-{os.getpid()}-", dir=self.out_dir.parent)
        )
        self._parquet: dict = {}
        self._csv: dict = {}
        self._buffer: dict[str, list[dict]] = {t: [] for t in schema.TABLES}
        try:
            for t in schema.TABLES:
                self._parquet[t] = pq.ParquetWriter(self.work_dir / f"{t}.parquet", schema.arrow_schema(t))
                self._csv[t] = pacsv.CSVWriter(self.work_dir / f"{t}.csv", schema.arrow_schema(t))
        except BaseException:
            self.abort()
            raise

    def write(self, rows: dict[str, list[dict]]) -> None:
        """Append rows ({table: [row, ...]}) to their tables; they are written a row group at a time."""
        for table, table_rows in rows.items():
            self._buffer[table] += table_rows
            if len(self._buffer[table]) >= ROW_GROUPS.get(table, ROW_GROUP):
                self._flush(table)

    def _flush(self, table: str) -> None:
        if self._buffer[table]:
            arrow = schema.to_arrow(table, self._buffer[table])
            self._parquet[table].write_table(arrow)
            self._csv[table].write_table(arrow)
            self._buffer[table] = []

    def write_meta(self, meta: dict) -> None:
        """``run.json`` beside the tables: what made them, marked as an output of this tool."""
        meta = {"tool": TOOL, "format": FORMAT, **meta}
        (self.work_dir / RUN_META).write_text(json.dumps(meta, indent=1, default=str) + "\n")

    def commit(self, finish: Callable[[Path], object] | None = None) -> None:
        """Close every table, give organisations their run-wide entity, call ``finish`` on the finished folder
        (the report is written there), and put the folder where the output belongs, atomically; refused if
        something foreign appeared in the output folder meanwhile."""
        for table in schema.TABLES:
            self._flush(table)
        self._close(raise_errors=True)
        write_entities(self.work_dir)
        if finish:
            finish(self.work_dir)
        for path in self.work_dir.iterdir():
            with open(path, "rb") as f:
                os.fsync(f.fileno())
        self.work_dir.chmod(0o755)
        foreign = foreign_files(self.out_dir)
        if foreign:
            raise UnsafeOutput(
                f"{self.out_dir} changed during the run and now holds {', '.join(foreign[:5])}, "
                f"which this tool did not write; it was left as it was"
            )
        swap_into_place(self.work_dir, self.out_dir)

    def abort(self) -> None:
        """Drop the unfinished folder, whatever failed (a full disk too); the previous output stays as it
        was."""
        self._close(raise_errors=False)
        shutil.rmtree(self.work_dir, ignore_errors=True)

    def _close(self, raise_errors: bool) -> None:
        """Close every file; on a failure (a full disk) the writers are still released, so none closes again
        when it is garbage collected."""
        failure = None
        for writer in [*self._parquet.values(), *self._csv.values()]:
            try:
                writer.close()
            except Exception as err:  # noqa: BLE001  (the first failure is raised once all are released)
                failure = failure or err
                if hasattr(writer, "is_open"):
                    writer.is_open = False  # ParquetWriter.__del__ would close again and print a traceback
        self._parquet, self._csv = {}, {}
        if failure and raise_errors:
            raise failure


def write_entities(folder: Path) -> None:
    """Fill ``organisations.entity`` (one name per organisation across the run, from
    ``organisations.entities``) and write the ``entities`` table; tables are read a record batch at a time,
    so memory grows with the number of distinct names, not of rows."""
    counts: dict[str, list[int]] = {}
    for batch in _batches(folder / "organisation_summary.parquet"):
        count_organisations(counts, batch.to_pylist())
    entity_of = organisations.entities((name, m, a) for name, (m, a) in counts.items())
    names: dict[str, set[str]] = {}
    with _rewritten(folder, "organisations") as write:
        for batch in _batches(folder / "organisations.parquet"):
            write(with_entities(batch.to_pylist(), entity_of, names))
    with _rewritten(folder, "entities") as write:
        write(entity_rows(counts, entity_of, names))


def count_organisations(counts: dict[str, list[int]], summary_rows: list[dict]) -> None:
    """Add ``organisation_summary`` rows to {canonical: [mentions, articles]}."""
    for row in summary_rows:
        count = counts.setdefault(row["canonical"], [0, 0])
        count[0] += row["mentions"]
        count[1] += 1


def with_entities(rows: list[dict], entity_of: dict[str, str], names: dict[str, set[str]]) -> list[dict]:
    """``organisations`` rows with their ``entity``; each row's name is added to its entity's ``names``."""
    for row in rows:
        row["entity"] = entity_of.get(row["canonical"], row["canonical"])
        names.setdefault(row["entity"], set()).add(row["name"])
    return rows


def entity_rows(
    counts: dict[str, list[int]], entity_of: dict[str, str], names: dict[str, set[str]]
) -> list[dict]:
    """The ``entities`` table: each entity's names, and its mentions and articles summed over its
    canonicals."""
    totals: dict[str, list[int]] = {}
    for canonical, (mentions, in_articles) in counts.items():
        total = totals.setdefault(entity_of.get(canonical, canonical), [0, 0])
        total[0] += mentions
        total[1] += in_articles
    return [
        {
            "entity": e,
            "names": schema.NAMES_SEPARATOR.join(sorted(names.get(e, {e}))),
            "articles": a,
            "mentions": m,
        }
        for e, (m, a) in sorted(totals.items())
    ]


def _batches(path: Path):
    return pq.ParquetFile(path).iter_batches(ROW_GROUP, use_threads=False)


@contextmanager
def _rewritten(folder: Path, table: str):
    """A writer of rows for a new version of ``table`` in ``folder``, put in place of the old one on exit."""
    arrow_schema = schema.arrow_schema(table)
    parquet_path, csv_path = folder / f".{table}.parquet.new", folder / f".{table}.csv.new"
    with (
        pq.ParquetWriter(parquet_path, arrow_schema) as parquet,
        pacsv.CSVWriter(csv_path, arrow_schema) as csv,
    ):

        def write(rows: list[dict]) -> None:
            arrow = schema.to_arrow(table, rows)
            parquet.write_table(arrow)
            csv.write_table(arrow)

        yield write
    os.replace(parquet_path, folder / f"{table}.parquet")
    os.replace(csv_path, folder / f"{table}.csv")


def remove_stale(out_dir: Path) -> None:
    """Remove the temporary folders of earlier runs on ``out_dir`` that were killed (their process is gone),
    if they hold nothing but our files."""
    for path in out_dir.parent.glob(f".{out_dir.name}.*-*"):
        match = re.fullmatch(rf"\.{re.escape(out_dir.name)}\.(?:tmp|old)-(\d+)(?:-.*)?", path.name)
        if match and path.is_dir() and not path.is_symlink() and not _alive(int(match.group(1))):
            remove_output(path, marked=False)


def remove_output(folder: Path, marked: bool = True) -> None:
    """Delete a folder of ours: only the files this tool writes, then the folder if that left it empty;
    anything else stays. An unmarked folder (a killed run's) may lack ``run.json``."""
    if marked and not _ours(folder / RUN_META):
        return
    for name in OUR_FILES:
        path = folder / name
        if path.is_file() and not path.is_symlink():
            path.unlink()
    try:
        folder.rmdir()
    except OSError:
        pass  # something foreign is in it: it stays


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_into_place(new: Path, target: Path) -> None:
    """Make ``new`` the folder at ``target``; an existing ``target`` is exchanged in one step, then
    removed."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        remove_output(new, marked=False)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    os.rename(new, target)
    remove_output(old, marked=False)


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two paths atomically. False where the system has no such
    call."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE) == 0
