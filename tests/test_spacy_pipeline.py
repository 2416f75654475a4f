"""The extraction as a spaCy pipeline: load_nlp, nlp.pipe, doc.ents with values, displaCy,
to_disk/spacy.load."""

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from spacy import displacy

from pipeline import extract_text, load_nlp

ARTICLES = sorted(Path(__file__).parent.glob("gold/articles/*.txt"))[:6]
SENTENCE = (
    "DWP extends BT service contract worth £237 million for 10 years from 31 March 2014; "
    "BT shares rose 5 per cent last week."
)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def test_ents_are_the_final_mentions_with_their_values(nlp):
    doc = nlp.make_doc(SENTENCE)
    doc._.reference_date = date(2014, 4, 2)
    doc = nlp(doc)
    found = {(e.text, e.label_): e for e in doc.ents}
    assert set(found) == {
        ("DWP", "ORG"),
        ("BT", "ORG"),
        ("£237 million", "MONEY"),
        ("10 years", "DURATION"),
        ("31 March 2014", "DATE"),
        ("5 per cent", "PERCENT"),
        ("last week", "DATE"),
    }
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
    code = (
        "import spacy, sys; nlp = spacy.load(sys.argv[1]); "
        "print([(e.text, e.label_, e._.normalized) for e in nlp(sys.argv[2]).ents])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "pipeline"), SENTENCE],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == str([(e.text, e.label_, e._.normalized) for e in nlp(SENTENCE).ents])


def test_the_stages_are_the_pipelines_components(nlp):
    """Each stage is a component, in this order, registered for spacy.load through the package's entry
    points; the labels' normalisers are the last stages."""
    from importlib.metadata import entry_points

    from pipeline.labels import LABELS

    assert nlp.pipe_names == [
        "split_amounts",
        "senter",
        "ner",
        "contract_lone_names",
        "contract_rules",
        "contract_mentions",
        "contract_reference_date",
        "contract_organisations",
        "contract_money",
        "contract_percent",
        "contract_duration",
        "contract_date",
    ]
    assert nlp.pipe_names[-len(LABELS) :] == [label.normaliser for label in LABELS]
    registered = {e.name for e in entry_points(group="spacy_factories")}
    assert set(nlp.pipe_names) - {"senter", "ner"} <= registered


def test_the_reference_date_set_on_a_doc_survives_split_amounts(nlp):
    """ "£1.2bn" is split into tokens (a new Doc); the reference date set before still resolves "last
    week"."""
    doc = nlp.make_doc("BT paid £1.2bn last week.")
    doc._.reference_date = date(2014, 4, 2)
    doc = nlp(doc)
    assert [t.text for t in doc[2:5]] == ["£", "1.2", "bn"]
    assert {e.text: e._.normalized for e in doc.ents}["last week"] == "2014-W13"


def test_a_long_article_read_in_pieces_is_resolved_whole(nlp):
    """Read in pieces, an article's organisation stage still sees all of it: "DWP" in the last piece is the
    body named in full in the first; the mention ids run on across pieces and the offsets are the
    article's."""
    from pipeline.articles import Article
    from pipeline.reading import pieces, process

    text = (
        "The Department for Work and Pensions (DWP) awarded the contract on 3 May 2013.\n\n"
        + "The work will take place over the coming months in several regions.\n\n" * 40
        + "DWP said it would pay £5m (about $7.8m) for the first two years.\n"
    )
    assert len(pieces(text, 1000)) == 3
    article = Article("long", "<text>", "", text, "utf-8")
    rows = process(nlp, [(article, date(2013, 5, 10), "flag")], 1000)[0]
    assert [m["mention_id"] for m in rows["mentions"]] == list(range(len(rows["mentions"])))
    assert all(text[m["start"] : m["end"]] == m["text"] for m in rows["mentions"])
    last = max((m for m in rows["mentions"] if m["label"] == "ORG"), key=lambda m: m["start"])
    assert (last["text"], last["normalized"]) == ("DWP", "Department for Work and Pensions")
    money = {m["text"]: m for m in rows["money"]}
    assert money["$7.8m"]["restates"] == money["£5m"]["mention_id"]
