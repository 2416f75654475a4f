"""Write the tables as Parquet and CSV, streamed in row groups into a temporary folder that replaces the
output folder only when every table is complete: a killed run leaves the previous output as it was."""
from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipeline import schema

RENAME_EXCHANGE = 2
ROW_GROUP = 4_096  # rows buffered per table before they are written: the parent's memory stays flat


class TableWriter:
    """Appends batches of rows to every table; ``commit`` swaps the finished folder into place."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(self.out_dir)
        self.work_dir = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.tmp-{os.getpid()}-",
                                              dir=self.out_dir.parent))
        self._parquet = {t: pq.ParquetWriter(self.work_dir / f"{t}.parquet", schema.arrow_schema(t))
                         for t in schema.TABLES}
        self._csv = {t: pacsv.CSVWriter(self.work_dir / f"{t}.csv", schema.arrow_schema(t)) for t in schema.TABLES}
        self._buffer: dict[str, list[dict]] = {t: [] for t in schema.TABLES}

    def write(self, rows: dict[str, list[dict]]) -> None:
        """Append rows ({table: [row, ...]}) to their tables; they are written a row group at a time."""
        for table, table_rows in rows.items():
            self._buffer[table] += table_rows
            if len(self._buffer[table]) >= ROW_GROUP:
                self._flush(table)

    def _flush(self, table: str) -> None:
        if self._buffer[table]:
            arrow = schema.to_arrow(table, self._buffer[table])
            self._parquet[table].write_table(arrow)
            self._csv[table].write_table(arrow)
            self._buffer[table] = []

    def write_meta(self, name: str, meta: dict) -> None:
        """A small JSON file beside the tables (what made them)."""
        (self.work_dir / name).write_text(json.dumps(meta, indent=1) + "\n")

    def commit(self) -> None:
        """Close every table and put the finished folder where the output belongs, atomically."""
        for table in schema.TABLES:
            self._flush(table)
        self._close()
        for path in self.work_dir.iterdir():
            with open(path, "rb") as f:
                os.fsync(f.fileno())
        self.work_dir.chmod(0o755)
        swap_into_place(self.work_dir, self.out_dir)

    def abort(self) -> None:
        """Drop the unfinished folder; the previous output stays as it was."""
        self._close()
        shutil.rmtree(self.work_dir, ignore_errors=True)

    def _close(self) -> None:
        for writer in [*self._parquet.values(), *self._csv.values()]:
            writer.close()
        self._parquet, self._csv = {}, {}


def remove_stale(out_dir: Path) -> None:
    """Remove the temporary folders of earlier runs on ``out_dir`` that were killed (their process is gone)."""
    for path in out_dir.parent.glob(f".{out_dir.name}.*-*"):
        match = re.fullmatch(rf"\.{re.escape(out_dir.name)}\.(?:tmp|old)-(\d+)(?:-.*)?", path.name)
        if match and path.is_dir() and not _alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_into_place(new: Path, target: Path) -> None:
    """Make ``new`` the folder at ``target``; an existing ``target`` is exchanged in one step, then removed."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two paths atomically. False where the system has no such call."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE) == 0
