"""Contract-news extraction: organisations, money, percentages, durations and dates as tables."""

__version__ = "0.1.0"


def extract(folder, out_dir, **options):
    """Extract every article under ``folder`` into the output folder ``out_dir``, as ``python -m pipeline
    extract`` does (it calls this); ``options`` are those of ``pipeline.run.extract_folder`` (``reference``,
    ``workers``, ``convert_to``...). Returns the run's summary."""
    from pipeline.run import extract_folder

    return extract_folder(folder, out_dir, **options)


def load(out_dir):
    """Every table of an output folder as typed pandas DataFrames (see ``pipeline.api.load``)."""
    from pipeline.api import load as _load

    return _load(out_dir)


def extract_text(text, reference_date=None, model=None, convert_to="USD"):
    """The tables for one string (see ``pipeline.api.extract_text``)."""
    from pipeline.api import extract_text as _extract_text

    return _extract_text(text, reference_date, model, convert_to=convert_to)


def load_nlp(model=None, rules=()):
    """The extraction as a spaCy pipeline: ``nlp(text).ents`` are the final mentions, with their values as
    extension attributes (``span._.amount``...); its stages are ``nlp.pipe_names`` (``pipeline.nlp``)."""
    from pipeline.nlp import build

    return build(model, tuple(rules))
