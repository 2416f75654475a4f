"""Make rule patterns cheap to match: tests that depend on the word alone become lexeme flags, and a pattern
that needs a rare word runs only on Docs that hold it.

spaCy's Matcher runs a Python call for every set, regex and extension test, on every token, for every test
a pattern could start with; a lexeme flag is a bit the Matcher checks in C, computed once per word of the
vocabulary. ``compile_patterns`` rewrites a pattern's ``{"LOWER": {"IN": [...]}}``, ``{"TEXT": {"REGEX":
...}}`` and word-level ``{"_": {"legal_form": true}}`` into ``{"FLAG<n>": true}``, as many as the 45 free
flag bits allow (tests a pattern may start with first), and makes the other extension tests lazy (checked
only where the pattern got to). The Matcher's cost also grows with its number of patterns: ``anchor`` finds
a word test a pattern cannot do without and no common word passes ("percent", a currency code), so that the
rules run the pattern only on a Doc with a word that passes it. What a pattern matches does not change.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Callable, Iterable, Iterator

from spacy.vocab import Vocab

FREE_BITS = range(19, 64)  # spaCy's own lexical flags use the bits below 19
LEXEME_ATTRS = ("ORTH", "TEXT", "LOWER")
OPERATORS = {"REGEX", "IN", "NOT_IN"}


class WordTest:
    """A test of one word (a vocabulary entry's text), usable as a lexeme flag getter; ``key`` names it."""

    def __init__(self, key: str, test: Callable[[str], bool]):
        self.key, self.test = key, test

    def __call__(self, word: str) -> bool:
        return bool(self.test(word))


def attribute_test(attr: str, condition: dict) -> Callable[[str], bool]:
    """The test ``{attr: condition}`` of a token pattern, as a function of the word."""
    tests = [operator_test(attr == "LOWER", operator, value) for operator, value in condition.items()]
    return tests[0] if len(tests) == 1 else lambda word: all(test(word) for test in tests)


def operator_test(lower: bool, operator: str, value) -> Callable[[str], bool]:
    """One operator's test of the word (of its lower case if ``lower``)."""
    if operator == "REGEX":
        search = re.compile(value).search
        return (lambda w: search(w.lower()) is not None) if lower else (lambda w: search(w) is not None)
    words = frozenset(value)
    if operator == "IN":
        return (lambda w: w.lower() in words) if lower else words.__contains__
    return (lambda w: w.lower() not in words) if lower else (lambda w: w not in words)


def word_tests(
    spec: dict, word_extensions: dict[str, Callable[[str], bool]]
) -> Iterator[tuple[str, Callable]]:
    """(key, test) for each test of a token dict that depends on the word alone."""
    for attr, condition in spec.items():
        if attr in LEXEME_ATTRS and isinstance(condition, dict) and set(condition) <= OPERATORS:
            yield f"{attr}:{json.dumps(condition, sort_keys=True)}", attribute_test(attr, condition)
    for name, value in spec.get("_", {}).items():
        if name in word_extensions and isinstance(value, bool):
            yield f"_:{name}", word_extensions[name]


# Tokens every article holds, besides its language's stop words: no pattern is gated on a test they pass.
COMMON_TOKENS = ("0", "10", "2015", "1,000", ",", ".", "-", "%", "$", "(", ")", "'s")


def anchor(
    pattern: list[dict] | str, word_extensions: dict[str, Callable[[str], bool]], common: Iterable[str]
) -> tuple[str, Callable[[str], bool]] | None:
    """(key, test) of a word test of a token dict the pattern cannot skip, which no ``common`` word passes,
    the shortest word list first; None if there is none (or the pattern is a phrase). A Doc without a word
    that passes it holds no match of the pattern."""
    if isinstance(pattern, str):
        return None
    common = list(common)
    needed = (spec for spec in pattern if spec.get("OP") in (None, "+"))
    rare = [
        (key, test)
        for spec in needed
        for key, test in word_tests(spec, word_extensions)
        if not any(test(word) for word in common)
    ]
    return min(rare, key=lambda kt: _breadth(kt[0]), default=None)


def _breadth(key: str) -> int:
    """How many words a test's list holds; a regex or an extension counts as more than any list."""
    attr, _, condition = key.partition(":")
    words = json.loads(condition).get("IN") if attr in LEXEME_ATTRS else None
    return len(words) if isinstance(words, list) else 1 << 30


def opening_dicts(pattern: list[dict]) -> Iterator[dict]:
    """The token dicts a match may start with: the first, and the next ones while the earlier are optional."""
    for spec in pattern:
        yield spec
        if spec.get("OP") not in ("?", "*"):
            return


def flag_bits(vocab: Vocab, wanted: Iterable[tuple[str, Callable]]) -> dict[str, int]:
    """{test key: flag bit} for the tests, in order, while bits are free; a test already set up in this
    vocabulary keeps its bit."""
    bits = {g.key: bit for bit, g in vocab.lex_attr_getters.items() if isinstance(g, WordTest)}
    free = [bit for bit in FREE_BITS if bit not in vocab.lex_attr_getters]
    for key, test in wanted:
        if key not in bits and free:
            bits[key] = free.pop(0)
            vocab.add_flag(WordTest(key, test), flag_id=bits[key])
    return bits


def compile_patterns(
    vocab: Vocab, patterns: list[dict], word_extensions: dict[str, Callable[[str], bool]]
) -> list[dict]:
    """The patterns with their word tests as lexeme flags (the most used opening tests first) and their other
    ``_`` tests lazy. ``word_extensions``: the token extensions that depend on the word alone."""
    token_patterns = [p["pattern"] for p in patterns if isinstance(p["pattern"], list)]
    opening = Counter(
        k for p in token_patterns for s in opening_dicts(p) for k, _ in word_tests(s, word_extensions)
    )
    anywhere = Counter(k for p in token_patterns for s in p for k, _ in word_tests(s, word_extensions))
    tests = dict(t for p in token_patterns for s in p for t in word_tests(s, word_extensions))
    order = sorted(tests, key=lambda k: (not k.startswith("_:"), -opening[k], -anywhere[k]))
    bits = flag_bits(vocab, ((k, tests[k]) for k in order))
    return [
        {**p, "pattern": [_compiled(s, bits, word_extensions) for s in p["pattern"]]}
        if isinstance(p["pattern"], list)
        else p
        for p in patterns
    ]


def _compiled(spec: dict, bits: dict[str, int], word_extensions: dict) -> dict:
    out = dict(spec)
    for key, _ in word_tests(spec, word_extensions):
        if key in bits:
            attr, _, rest = key.partition(":")
            if attr == "_":
                out[f"FLAG{bits[key]}"] = bool(spec["_"][rest])
                out["_"] = {k: v for k, v in out["_"].items() if k != rest}
            else:
                out[f"FLAG{bits[key]}"] = True
                del out[attr]
    if (
        "_" in out
    ):  # an extension tested as a value is computed for every token; as a predicate, only where needed
        out["_"] = {k: {"==": int(v)} if isinstance(v, bool) else v for k, v in out["_"].items()}
        if not out["_"]:
            del out["_"]
    return out
