"""The formats table: one row per real-world form of a value, with what it must normalise to.

Rows live in ``tests/formats/*.tsv`` (price-parser style), one file per class, columns:
``label`` (MONEY, PERCENT, DURATION, DATE), ``text`` (a sentence or short article), ``expected`` (the
``normalized`` strings of every mention of that label in the text, in order, joined by `` | ``; ``-`` for
none), ``reference_date`` (ISO, or empty) and ``source`` (the style guide or spec the form comes from).
"""

import csv
from pathlib import Path

import pytest

import pipeline

FOLDER = Path(__file__).parent / "formats"


def _rows():
    for path in sorted(FOLDER.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(
                csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), start=2
            ):
                yield pytest.param(row, id=f"{path.stem}:{line}")


@pytest.mark.parametrize("row", list(_rows()))
def test_format(row):
    tables = pipeline.extract_text(row["text"], reference_date=row["reference_date"] or None)
    mentions = tables["mentions"]
    found = [str(v) for v in mentions.loc[mentions["label"] == row["label"], "normalized"]]
    expected = [] if row["expected"].strip() == "-" else [v.strip() for v in row["expected"].split("|")]
    assert found == expected, f"{row['text']!r} ({row['source']})"
