"""What made an output, recorded in its ``run.json``: the options, the model, the rule files and the
versions of the libraries the rows depend on."""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata
from pathlib import Path

from pipeline import __version__
from pipeline.lexicons import MODELS_DIR

# The libraries whose version can change the rows (tokens and entities, dates, money, the exchange rates, the
# tables themselves).
KEY_LIBRARIES = (
    "spacy",
    "dateparser",
    "python-dateutil",
    "price-parser",
    "babel",
    "cleanco",
    "currencyconverter",
    "pandas",
    "pyarrow",
)


def describe(nlp, options: dict) -> dict:
    """The run's provenance: ``options`` as given, our version, Python's, the model's name and version, every
    rule and lexicon file (built-in and ``options["rules"]``) with its sha256, the key libraries' versions."""
    return {
        "version": __version__,
        "python": platform.python_version(),
        "model": nlp.meta.get("name"),
        "model_version": nlp.meta.get("version"),
        "model_package": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}",
        "libraries": {name: _version(name) for name in KEY_LIBRARIES},
        "rule_files": rule_files(options.get("rules", ())),
        "options": options,
    }


def rule_files(extra_rules) -> list[dict]:
    """Every file under ``models/`` (config, patterns, lexicons) and each ``--rules`` file, and its sha256."""
    built_in = [
        (str(p.relative_to(MODELS_DIR.parent)), p) for p in sorted(MODELS_DIR.rglob("*")) if p.is_file()
    ]
    files = built_in + [(str(p), Path(p)) for p in extra_rules]
    return [{"file": name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()} for name, path in files]


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
