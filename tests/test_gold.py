"""Accuracy on hand-labelled real articles (tests/gold): the pipeline must not fall below what it reaches.

Thresholds are set a little under the measured scores (see README, "Accuracy"), so that a change that
loses accuracy fails here; raise them when accuracy improves.
"""
import pytest

from conftest import ROOT
from pipeline.evaluate import evaluate
from pipeline.run import extract_folder

GOLD = ROOT / "tests" / "gold"
MIN_F1 = {"organisations": 0.85, "money": 0.95, "percentages": 0.95, "durations": 0.90, "dates": 0.95,
          "overall": 0.93}


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    out = tmp_path_factory.mktemp("gold") / "out"
    extract_folder(GOLD / "articles", out, workers=1)
    return evaluate(GOLD / "expected", out)


@pytest.mark.parametrize("label", MIN_F1)
def test_f1_on_gold_articles(scores, label):
    precision, recall, f1 = scores[label].prf
    assert f1 >= MIN_F1[label], f"{label}: P={precision:.3f} R={recall:.3f} F1={f1:.3f}"


def test_gold_files_are_consistent():
    """Every gold text occurs in its article, so a miss is the pipeline's, not the gold file's."""
    import json
    for path in sorted((GOLD / "expected").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (GOLD / "articles" / gold["article"]).read_text(encoding="utf-8")
        for table in ("money", "percentages", "durations", "dates"):
            for entry in gold.get(table, []):
                assert entry["text"] in text, (path.name, entry["text"])
