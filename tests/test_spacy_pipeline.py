"""The extraction as a spaCy pipeline: load_nlp, nlp.pipe, doc.ents with values, displaCy, to_disk/spacy.load."""
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from spacy import displacy

from pipeline import extract_text, load_nlp

ARTICLES = sorted(Path(__file__).parent.glob("gold/articles/*.txt"))[:6]
SENTENCE = ("DWP extends BT service contract worth £237 million for 10 years from 31 March 2014; "
            "BT shares rose 5 per cent last week.")


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def test_ents_are_the_final_mentions_with_their_values(nlp):
    doc = nlp.make_doc(SENTENCE)
    doc._.reference_date = date(2014, 4, 2)
    doc = nlp(doc)
    found = {(e.text, e.label_): e for e in doc.ents}
    assert set(found) == {("DWP", "ORG"), ("BT", "ORG"), ("£237 million", "MONEY"), ("10 years", "DURATION"),
                          ("31 March 2014", "DATE"), ("5 per cent", "PERCENT"), ("last week", "DATE")}
    money = found["£237 million", "MONEY"]
    assert (money._.amount, money._.currency, money._.normalized) == (237_000_000, "GBP", "GBP 237000000")
    assert found["10 years", "DURATION"]._.iso == "P10Y"
    assert found["5 per cent", "PERCENT"]._.value == 5
    assert found["last week", "DATE"]._.value == "2014-W13"  # relative to the reference date
    assert list(doc.spans["mentions"]) == list(doc.ents)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_pipe_gives_what_the_tables_give(nlp, path):
    """nlp.pipe over articles finds the mentions and values that extract_text puts in the tables; a mention
    that ends inside a token ("DTRA" in "DTRA-funded") is widened to whole tokens."""
    text = path.read_text(encoding="utf-8")
    doc = next(nlp.pipe([text]))
    rows = extract_text(text)["mentions"].astype(object)
    rows = rows.where(rows.notna(), None)
    assert len(doc.spans["mentions"]) == len(rows)
    for span, row in zip(doc.spans["mentions"], rows.itertuples()):
        assert (span.label_, span._.normalized) == (row.label, row.normalized)
        if (span.start_char, span.end_char) != (row.start, row.end):
            assert doc.char_span(row.start, row.end) is None
            assert span.start_char <= row.start < row.end <= span.end_char


def test_displacy_shows_the_final_mentions(nlp):
    html = displacy.render(nlp("Lancashire County Council paid £40m."), style="ent")
    assert "£40m" in html and "MONEY" in html and "Lancashire County Council" in html


def test_saved_pipeline_loads_in_a_new_process(nlp, tmp_path):
    """nlp.to_disk, then spacy.load in a fresh Python (factories found through the package's entry points)
    gives the same mentions and values."""
    nlp.to_disk(tmp_path / "pipeline")
    code = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); "
            "print([(e.text, e.label_, e._.normalized) for e in nlp(sys.argv[2]).ents])")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "pipeline"), SENTENCE],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == str([(e.text, e.label_, e._.normalized) for e in nlp(SENTENCE).ents])
