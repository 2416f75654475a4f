"""Shared fixtures: the real pipeline, loaded once, and a helper that runs the CLI."""
from __future__ import annotations

import subprocess
import sys
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
