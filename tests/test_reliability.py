"""Nothing lost, nothing half-written: killed runs, incremental runs, many files, odd files."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, extract_folder, read_tables, run_in_process, start_cli

from pipeline.articles import read_article
from pipeline.schema import TABLES, arrow_schema

GOLD_ARTICLES = ROOT / "tests" / "gold" / "articles"


def copy_gold(dest: Path, n: int | None = None, pattern: str = "*.txt") -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(GOLD_ARTICLES.glob(pattern))[:n]:
        shutil.copy(path, dest / path.name)
    shutil.copy(GOLD_ARTICLES / "manifest.csv", dest / "manifest.csv")
    return dest


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def assert_same_tables(a: Path, b: Path) -> None:
    for table, frame in read_tables(a).items():
        pd.testing.assert_frame_equal(
            frame.drop(columns=["path"], errors="ignore"),
            read_tables(b)[table].drop(columns=["path"], errors="ignore"),
            obj=table,
        )


def test_incremental_run_gives_the_rows_of_a_full_run(tmp_path):
    articles = copy_gold(tmp_path / "articles")
    out = tmp_path / "out"
    assert run_in_process("extract", articles, "--out", out, "--quiet").returncode == 0
    (articles / "govuk_phe_one_you.txt").unlink()
    changed = articles / "govuk_frank_adverts.txt"
    changed.write_text(changed.read_text() + "\nThe campaign will cost £2.5m over three years.\n")
    (articles / "new").mkdir()
    (articles / "new" / "fresh.txt").write_text(
        "Capita plc won a £40m contract from the Home Office in 2012.\n"
    )
    again = run_in_process("extract", articles, "--out", out, "--quiet", "--incremental")
    assert again.returncode == 0 and "(20 reused)" in again.stderr
    full = tmp_path / "full"
    assert run_in_process("extract", articles, "--out", full, "--quiet").returncode == 0
    assert_same_tables(out, full)  # the reused rows kept their types: dates and categoricals compare equal
    for table in TABLES:
        assert pq.read_schema(out / f"{table}.parquet").equals(arrow_schema(table), check_metadata=False)


def test_changed_rules_or_reference_date_are_not_reused(tmp_path):
    articles = copy_gold(tmp_path / "articles", pattern="seed_*.txt")
    out = tmp_path / "out"
    assert run_in_process("extract", articles, "--out", out, "--quiet").returncode == 0
    rules = tmp_path / "mine.jsonl"
    rules.write_text('{"label": "ORG", "pattern": [{"LOWER": "widgets"}]}\n')
    assert (
        "reused"
        not in run_in_process(
            "extract", articles, "--out", out, "--quiet", "--incremental", "--rules", rules
        ).stderr
    )
    flagged = run_in_process(
        "extract",
        articles,
        "--out",
        out,
        "--quiet",
        "--incremental",
        "--rules",
        rules,
        "--reference-date",
        "2020-01-01",
    )
    assert "(1 reused)" in flagged.stderr  # seeds 001 and 003 have no manifest row: the flag is theirs now


def _rows_written(folder: Path) -> bool:
    """A run's half-written output under ``folder`` holds mention rows (a row group was flushed)."""
    for part in folder.glob(".out.tmp-*/mentions.csv"):
        with part.open("rb") as f:
            if len(f.read(1 << 16).splitlines()) > 1:
                return True
    return False


def test_killed_run_leaves_the_previous_output(tmp_path):
    out = tmp_path / "out"
    small = copy_gold(tmp_path / "small", n=2)
    assert run_in_process("extract", small, "--out", out, "--quiet").returncode == 0
    before = digests(out)
    big = tmp_path / "big"
    big.mkdir()
    text = (GOLD_ARTICLES / "seed_000_ed3064653d8ac52c.txt").read_text()
    for i in range(400):
        (big / f"copy_{i:04}.txt").write_text(text)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "extract", big, "--out", out, "--quiet", "--workers", "2"],
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 300
    while not _rows_written(tmp_path) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)  # until the run has flushed rows into its half-written folder
    assert proc.poll() is None, "the run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert digests(out) == before
    assert len(read_tables(out)["articles"]) == 2
    assert list(tmp_path.glob(".out.tmp-*"))  # the killed run's half-written folder ...
    assert run_in_process("extract", tmp_path / "small", "--out", out, "--quiet").returncode == 0
    assert not list(tmp_path.glob(".out.tmp-*"))  # ... is cleared by the next run


def test_ten_thousand_tiny_files_in_deep_folders(tmp_path):
    articles = tmp_path / "articles"
    for i in range(10_000):
        folder = articles / f"d{i % 10}" / f"e{i % 7}" / "f" / "g"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"n{i:05}.txt").write_text(f"Acme Ltd won a £{i % 90 + 1}m deal in {2000 + i % 20}.\n")
    deep = articles.joinpath(*[f"level{i}" for i in range(40)])
    deep.mkdir(parents=True)
    (deep / "deepest.txt").write_text("BT paid £5m.\n")
    out = tmp_path / "out"
    result = run_in_process("extract", articles, "--out", out, "--quiet", "--workers", "2")
    assert result.returncode == 0, result.stderr
    tables = read_tables(out)
    assert len(tables["articles"]) == 10_001 and (tables["articles"].status == "ok").all()
    assert len(tables["money"]) == 10_001


def test_a_pipe_named_txt_is_an_error_row_not_a_hang(tmp_path):
    (tmp_path / "fifo.txt").unlink(missing_ok=True)
    os.mkfifo(tmp_path / "fifo.txt")
    article = read_article(tmp_path / "fifo.txt", tmp_path)
    assert article.status == "error" and "regular file" in article.error


def _poisoned_run(tmp_path, monkeypatch, harm, workers: int) -> tuple[pd.DataFrame, Path, Path]:
    """A run over the gold articles plus one whose text makes ``harm`` happen during extraction, and a run
    without it; returns the poisoned run's articles table and both output folders."""
    from pipeline import reading

    clean = copy_gold(tmp_path / "clean")
    poisoned = copy_gold(tmp_path / "poisoned")
    (poisoned / "poison.txt").write_text("POISON: BT paid £5m.\n")
    real = reading.process

    def process(nlp, batch, limit, *rest):
        if any("POISON" in article.text for article, _, _ in batch):
            harm()
        return real(nlp, batch, limit, *rest)

    monkeypatch.setattr(reading, "process", process)  # forked workers inherit it
    extract_folder(clean, tmp_path / "clean_out", workers=workers)
    extract_folder(poisoned, tmp_path / "poisoned_out", workers=workers)
    table = read_tables(tmp_path / "poisoned_out")["articles"].set_index("article_id")
    return table, tmp_path / "clean_out", tmp_path / "poisoned_out"


def _without(out: Path, article_id: str) -> dict[str, pd.DataFrame]:
    return {
        t: f[f.article_id != article_id].reset_index(drop=True).drop(columns=["path"], errors="ignore")
        for t, f in read_tables(out).items()
        if "article_id" in f
    }


def _assert_others_unchanged(clean: Path, poisoned: Path) -> None:
    """The other articles' rows are those of the run without the poison (a category met only in its row,
    "error", may stay in the poisoned run's dtypes)."""
    for name, frame in _without(clean, "poison").items():
        pd.testing.assert_frame_equal(
            frame, _without(poisoned, "poison")[name], obj=name, check_categorical=False
        )


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_on_one_article_is_its_error_row_only(tmp_path, monkeypatch, workers):
    def fail():
        raise RuntimeError("a bug met on this text")

    table, clean, poisoned = _poisoned_run(tmp_path, monkeypatch, fail, workers)
    assert table.loc["poison", "error"] == "extraction failed: RuntimeError: a bug met on this text"
    assert (table.drop(index="poison").status == "ok").all() and len(table) == 23
    _assert_others_unchanged(clean, poisoned)


def test_a_worker_process_that_dies_loses_only_its_article(tmp_path, monkeypatch):
    parent = os.getpid()

    def die():
        if os.getpid() != parent:  # as the out-of-memory killer would end a worker
            os.kill(os.getpid(), signal.SIGKILL)

    table, clean, poisoned = _poisoned_run(tmp_path, monkeypatch, die, workers=2)
    assert table.loc["poison", "status"] == "error" and "worker process died" in table.loc["poison", "error"]
    assert (table.drop(index="poison").status == "ok").all() and len(table) == 23
    _assert_others_unchanged(clean, poisoned)


@pytest.mark.parametrize("signum,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stopped_run_cleans_up_stops_its_workers_and_exits_with_the_signal_code(tmp_path, signum, code):
    articles = copy_gold(tmp_path / "articles")
    for n in range(60):
        shutil.copy(articles / "govuk_frank_adverts.txt", articles / f"copy_{n}.txt")
    proc = start_cli("extract", articles, "--out", tmp_path / "out", "--workers", "2", "--quiet")
    workers = []
    while len(workers) < 2 and proc.poll() is None:
        workers = _children_of(proc.pid)
        time.sleep(0.05)
    proc.send_signal(signum)
    assert proc.wait(timeout=30) == code and "interrupted" in proc.stderr.read()
    assert len(workers) == 2 and not any(map(_running, workers))
    assert not list(tmp_path.glob(".out*")) and not (tmp_path / "out").exists()


def _children_of(pid: int) -> list[int]:
    return [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and _stat(int(p.name))[1:2] == [str(pid)]
    ]


def _running(pid: int) -> bool:
    return _stat(pid)[:1] not in ([], ["Z"])


def _stat(pid: int) -> list[str]:
    """State, parent pid, ... of a process from /proc; empty when it is gone."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def test_a_damaged_previous_output_is_redone_not_an_error(tmp_path):
    articles = copy_gold(tmp_path / "articles", pattern="seed_*.txt")
    out = tmp_path / "out"
    assert run_in_process("extract", articles, "--out", out, "--quiet").returncode == 0
    (out / "money.parquet").write_bytes(b"not parquet")
    again = run_in_process("extract", articles, "--out", out, "--quiet", "--incremental")
    assert again.returncode == 0 and "reused" not in again.stderr
    assert len(read_tables(out)["money"]) > 0  # every table readable again
