"""Rule components: rule patterns as data (JSONL under ``models/patterns``), run by a spaCy Matcher.

A pattern line is spaCy's SpanRuler format, ``{"label": "MONEY", "id": "...", "pattern": [...]}``; inside a
token pattern, ``{"IN": "@scales"}`` stands for the words of ``models/lexicons/scales.*``.
Labels: ORG, MONEY, PERCENT, DURATION, DATE, and IGNORE (a span no other rule or model may claim).
A token pattern may name, in ``"focus": [i, ...]``, which of its token dicts match the mention itself; the
others are its cue: ``(NYSE: ACME)`` after a company's name, ``according to the`` before a paper's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.pipeline import TrainablePipe
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc, Span, Token
from spacy.util import compile_prefix_regex, compile_suffix_regex

from pipeline import labels, lexeme_flags, lexicons

LABELS = (*labels.NAMES, "IGNORE")
SPANS_KEY = "rules"
SYMBOL_START = re.compile(r"^[£$€¥₹\d]")
# One token each, never split: ISO dates and date-times (2020-06-30, 2021-04-05T09:00:00Z), numeric dates
# (03/14/2012, 14.3.2012), fractions (1/2, 2½), period codes (3Q18, 1H25, Q3FY24, FY2023) and clock times
# with seconds (3:07:35).
# The pattern ends in a newline, so that a ")" put after it is not read as part of its last comment.
DATE_TOKEN = re.compile(
    r"""
    \d{4}-\d\d-\d\d                                                 # 2020-06-30
      (?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?      # T09:00:00Z, T09:00+01:00
    |\d{1,2}([./-])\d{1,2}\1(?:\d{4}|\d\d)                          # 03/14/2012, 14.3.2012
    |\d{1,2}/\d{1,2}                                                # 1/2
    |\d*[½¼¾]                                                       # 2½
    |\d{4}-?[QH][1-4]                                               # 2013-H1
    |[1-4][QH](?:\d\d|\d{4})?                                       # 3Q18, 1H25
    |[QH][1-4](?:FY)?(?:\d\d|\d{4})?                                # Q3FY24
    |FY-?(?:\d\d|\d{4})                                             # FY2023
    |\d{1,2}:[0-5]\d:[0-5]\d(?:\.\d+)?                                # 3:07:35 (a running time)
    """,
    re.I | re.VERBOSE,
)
VULGAR_NUMBER = re.compile(r"\d*[½¼¾]")  # "2½", "¾"
KEEP_WHOLE = re.compile(
    r"^\d+(?:st|nd|rd|th|s)$|^[\d,.]+$|^(?:" + DATE_TOKEN.pattern + r")$", re.I | re.VERBOSE
)


# Token attributes of the word alone, which patterns may test as {"_": {"legal_form": true}}: a company's
# legal form. The rules check them as lexeme flags (``lexeme_flags``).
WORD_EXTENSIONS = {"legal_form": lexicons.is_legal_form}
Token.set_extension("legal_form", getter=lambda token: lexicons.is_legal_form(token.text), force=True)


# Token attributes patterns may test, as {"_": {"opens_clause": true}}: the token starts its sentence or
# follows punctuation; it ends its sentence or comes before punctuation.
Token.set_extension(
    "opens_clause", getter=lambda t: t.i == 0 or t.is_sent_start or t.nbor(-1).is_punct, force=True
)
Token.set_extension("ends_clause", getter=lambda t: t.i == len(t.doc) - 1 or t.nbor(1).is_punct, force=True)
# The token ends its line: the last of the text, or before a line break.
Token.set_extension("ends_line", getter=lambda t: t.i == len(t.doc) - 1 or "\n" in t.nbor(1).text, force=True)


class RuleError(ValueError):
    """A bad line in a pattern file; the message names the file and line."""


def _expand(value, where: str, attr: str = ""):
    """Replace "@lexicon" references by the lexicon's words (in lower case under LOWER and NORM)."""
    if isinstance(value, dict):
        return {
            k: _expand(v, where, k if k.isupper() and k not in ("IN", "NOT_IN") else attr)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_expand(v, where, attr) for v in value]
    if isinstance(value, str) and value.startswith("@"):
        if not lexicons.exists(value[1:]):
            raise RuleError(
                f"{where}: unknown lexicon {value!r} (no models/lexicons/{value[1:]}.txt or .tsv)"
            )
        entries = lexicons.words(value[1:])
        return sorted({w.lower() for w in entries} if attr in ("LOWER", "NORM") else set(entries))
    return value


def read_patterns(path: str | Path) -> list[dict]:
    """The patterns of one JSONL file, lexicons expanded; RuleError names the first bad line."""
    path = Path(path)
    if not path.is_file():
        raise RuleError(f"{path}: no such pattern file")
    patterns = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path}:{number}"
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as err:
            raise RuleError(f"{where}: bad JSON: {err.msg} at column {err.colno}") from None
        patterns.append(_checked(entry, where))
    return patterns


def _checked(entry, where: str) -> dict:
    if not isinstance(entry, dict) or "pattern" not in entry or "label" not in entry:
        raise RuleError(f'{where}: a pattern line needs "label" and "pattern"')
    if entry["label"] not in LABELS:
        raise RuleError(f"{where}: unknown label {entry['label']!r}; use one of {', '.join(LABELS)}")
    entry = {**entry, "pattern": _expand(entry["pattern"], where)}
    focus = entry.get("focus")
    indexes = range(len(entry["pattern"])) if isinstance(entry["pattern"], list) else ()
    if focus is not None and not (isinstance(focus, list) and focus and all(i in indexes for i in focus)):
        raise RuleError(f'{where}: "focus" must list indexes of the token pattern\'s dicts')
    if isinstance(entry["pattern"], list):
        problems = validate_token_pattern(entry["pattern"])
        if problems:
            raise RuleError(f"{where}: bad token pattern: {'; '.join(problems)}")
    elif not isinstance(entry["pattern"], str):
        raise RuleError(f'{where}: "pattern" must be a list of token patterns or a phrase string')
    return entry


NAME_LIST = "name_list"  # the id prefix of a name list's matches


def gazetteer_patterns(lexicon: str, kind: str = "gazetteer") -> list[dict]:
    """Phrase patterns for the organisation names in a lexicon, with the id "<kind>:<lexicon>"."""
    return [{"label": "ORG", "id": f"{kind}:{lexicon}", "pattern": name} for name in lexicons.words(lexicon)]


@Language.factory(
    "contract_rules",
    default_config={"pattern_files": [], "org_gazetteers": [], "org_name_lists": [], "base_dir": None},
)
def make_contract_rules(
    nlp: Language,
    name: str,
    pattern_files: list[str],
    org_gazetteers: list[str],
    org_name_lists: list[str],
    base_dir: str | None,
) -> ContractRules:
    """The rules, writing to ``doc.spans["rules"]``, loaded from pattern files, gazetteers (names taken
    wherever written) and name lists (names taken where the model finds no organisation)."""
    base = Path(base_dir) if base_dir else lexicons.MODELS_DIR
    patterns = [p for f in pattern_files for p in read_patterns(base / f)]
    patterns += [p for lexicon in org_gazetteers for p in gazetteer_patterns(lexicon)]
    patterns += [p for lexicon in org_name_lists for p in gazetteer_patterns(lexicon, NAME_LIST)]
    return ContractRules(nlp, name, patterns)


class ContractRules:
    """A Matcher for the token patterns and a PhraseMatcher for the phrases. A match of a pattern with a
    ``focus`` gives the tokens its focused dicts matched; any other match gives its whole span.

    A pattern that needs a rare word (``lexeme_flags.anchor``) is in a Matcher of its own word test, run only
    where a word passes it: around each such word, as far as the gate's longest pattern reaches (the whole
    Doc if a pattern has no bound); the others share one Matcher, so that each test of a word runs once per
    token."""

    def __init__(self, nlp: Language, name: str, patterns: list[dict]):
        stop_words = nlp.Defaults.stop_words
        common = [*stop_words, *(w.capitalize() for w in stop_words), *lexeme_flags.COMMON_TOKENS]
        anchors = [lexeme_flags.anchor(p["pattern"], WORD_EXTENSIONS, common) for p in patterns]
        patterns = lexeme_flags.compile_patterns(nlp.vocab, patterns, WORD_EXTENSIONS)
        self.matcher = Matcher(nlp.vocab, validate=False)
        self.gated: dict[str, tuple[Callable[[str], bool], Matcher]] = {}  # word test key -> (test, Matcher)
        self.reach: dict[str, int | None] = {}  # word test key -> longest match of its patterns, or None
        self.anchors_of_word: dict[int, frozenset[str]] = {}  # word (orth) -> keys of the tests it passes
        self.phrases = PhraseMatcher(nlp.vocab)
        self.keys: dict[int, tuple[str, str, frozenset[int] | None]] = {}
        phrases: dict[str, list[str]] = {}
        for number, (entry, anchor) in enumerate(zip(patterns, anchors)):
            span_id, label, focus = entry.get("id", ""), entry["label"], entry.get("focus")
            key = f"{label}|{span_id}" + (f"#{number}" if focus else "")
            self.keys[nlp.vocab.strings.add(key)] = (span_id, label, frozenset(focus) if focus else None)
            if isinstance(entry["pattern"], str):
                phrases.setdefault(key, []).append(entry["pattern"])
            elif anchor:
                gate = self.gated.setdefault(anchor[0], (anchor[1], Matcher(nlp.vocab, validate=False)))
                gate[1].add(key, [entry["pattern"]])
                self.reach[anchor[0]] = _longest(self.reach.get(anchor[0], 0), entry["pattern"])
            else:
                self.matcher.add(key, [entry["pattern"]])
        trained = [n for n, pipe in nlp.pipeline if isinstance(pipe, TrainablePipe)]
        with nlp.select_pipes(disable=trained):  # phrases need tokens only, not (maybe unloaded) models
            for key, texts in phrases.items():
                self.phrases.add(key, list(nlp.pipe(texts)))

    def _matches(self, doc: Doc) -> list[tuple]:
        """(match id, start, end, alignments) of the token patterns, the gated ones where their word is."""
        matches = self.matcher(doc, with_alignments=True)
        for key, where in self._anchors_in(doc).items():
            matcher, reach = self.gated[key][1], self.reach[key]
            windows = [(0, len(doc))] if reach is None else _windows(where, reach, len(doc))
            for start, end in windows:
                found = matcher(doc[start:end], with_alignments=True)
                matches += [(match_id, s + start, e + start, aligned) for match_id, s, e, aligned in found]
        return matches

    def _anchors_in(self, doc: Doc) -> dict[str, list[int]]:
        """{key of a gating word test: the positions of the Doc's words that pass it}."""
        found: dict[str, list[int]] = {}
        for i, orth in enumerate(doc.to_array(ORTH).tolist()):
            anchors = self.anchors_of_word.get(orth)
            if anchors is None:
                word = doc.vocab.strings[orth]
                anchors = frozenset(key for key, (test, _) in self.gated.items() if test(word))
                self.anchors_of_word[orth] = anchors
            for key in anchors:
                found.setdefault(key, []).append(i)
        return found

    def __call__(self, doc: Doc) -> Doc:
        whole, focused = set(), {}
        for match_id, start, end, aligned in self._matches(doc):
            span_id, label, focus = self.keys[match_id]
            if focus is None:
                whole.add(Span(doc, start, end, label=label, span_id=span_id))
                continue
            kept = [start + k for k, i in enumerate(aligned) if i in focus]
            if kept:
                focused[(kept[0], kept[-1] + 1, span_id)] = label
        for match_id, start, end in self.phrases(doc):
            span_id, label, _ = self.keys[match_id]
            whole.add(Span(doc, start, end, label=label, span_id=span_id))
        doc.spans[SPANS_KEY] = sorted(whole) + [
            Span(doc, s, e, label=label, span_id=span_id) for (s, e, span_id), label in focused.items()
        ]
        return doc


def _longest(reach: int | None, pattern: list[dict]) -> int | None:
    """The larger of ``reach`` and the most tokens the pattern can match; None if either has no bound."""
    if reach is None:
        return None
    most = 0
    for spec in pattern:
        op = spec.get("OP", "")
        if op in ("+", "*") or op.endswith(",}"):
            return None
        most += int(op.strip("{}").split(",")[-1]) if op.startswith("{") else 1
    return max(reach, most)


def _windows(where: list[int], reach: int, length: int) -> list[tuple[int, int]]:
    """The token ranges a match of at most ``reach`` tokens that holds a word at one of ``where`` can lie in,
    overlapping ranges joined."""
    windows: list[tuple[int, int]] = []
    for i in where:
        start, end = max(0, i - reach + 1), min(length, i + reach)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def keep_dates_whole(nlp: Language) -> None:
    """Make the tokenizer keep a date, fraction or period code (``DATE_TOKEN``) one token, whatever its
    hyphens, slashes and colons, so that "2020-06-30" is never read as the years 2020 and 2006.

    The tokenizer's ``token_match`` becomes one compiled regex (the model's own, if any, as an alternative),
    so that ``nlp.to_disk`` can save it."""
    previous = nlp.tokenizer.token_match
    patterns = [f"(?ix:{DATE_TOKEN.pattern})"] + ([previous.__self__.pattern] if previous else [])
    nlp.tokenizer.token_match = re.compile("|".join(f"(?:{p})" for p in patterns) + r"\Z").match


def split_affixes(nlp: Language) -> None:
    """Make the tokenizer split off the full stop after "09:00:00Z." and the slashes around a name, as wire
    services credit themselves ("/PRNewswire/")."""
    prefixes = list(nlp.Defaults.prefixes or []) + [r"/(?=[A-Z])"]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    suffixes = list(nlp.Defaults.suffixes or []) + [r"(?<=\d[Zz])\.", r"(?<=[A-Za-z])/"]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


def dotted_legal_forms() -> list[str]:
    """Legal forms written with inner dots, as news capitalises them ("S.p.A.", "S.P.A", "N.V."), from
    cleanco: the tokenizer keeps each one token, so "Telespazio S.p.A" is not cut to "Telespazio S.p"."""
    from cleanco.termdata import terms_by_country, terms_by_type  # noqa: PLC0415

    terms = {t for table in (terms_by_type, terms_by_country) for ts in table.values() for t in ts}
    forms = set()
    for term in (t.rstrip(".") for t in terms if re.fullmatch(r"(?:[a-z]\.)+[a-z]\.?", t)):
        letters = term.split(".")
        for cased in (term.upper(), ".".join([letters[0].upper(), *letters[1:-1], letters[-1].upper()])):
            forms |= {cased, cased + "."}
    return sorted(f for f in forms if lexicons.is_legal_form(f))


def keep_legal_forms_whole(nlp: Language) -> None:
    """Tokenizer special cases for the dotted legal forms, those written in lower case ("inc.") and the
    ``whole_words`` ("Co-operative")."""
    kept = (
        dotted_legal_forms()
        + list(lexicons.words("lower_case_legal_forms"))
        + list(lexicons.words("whole_words"))
    )
    for form in kept:
        nlp.tokenizer.add_special_case(form, [{"ORTH": form}])


UNSURE_NAME = "NAME"  # the label of a one-word name the model calls a person with no sign of one


@Language.component("contract_lone_names")
def lone_names(doc: Doc) -> Doc:
    """A one-word name the model calls a person, with no sign of a person anywhere in the article, loses that
    label (it becomes ``UNSURE_NAME``), so that the rules' context cues may read it as a business: "Novartis
    said that it would ...", "Multiplex reporting a rise". A sign of a person: the word is part of a longer
    name the model calls a person ("Federer" after "Roger Federer"), some occurrence follows an honorific, a
    title or a person's description ("Mr Glazer", "President Putin", "rapper Nelly") or a personal pronoun
    follows one ("Mourinho said he ...")."""
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    lone = {e.text for e in people if len(e) == 1 and e.text[:1].isupper()}
    if not lone:
        return doc
    lone -= {t.text for e in people if len(e) > 1 for t in e}
    lone -= {t.text for t in doc[1:] if t.text in lone and _person_before(t.nbor(-1))}
    lone -= {e.text for e in people if e.text in lone and _person_after(e)}
    if lone:
        doc.ents = [
            Span(doc, e.start, e.end, label=UNSURE_NAME) if e.label_ == "PERSON" and e.text in lone else e
            for e in doc.ents
        ]
    return doc


PERSONAL_PRONOUNS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
PERSON_TITLES = lexicons.lowered("role_words") | lexicons.lowered("titles")  # "President", "Secretary"


def _person_after(name: Span) -> bool:
    """A personal pronoun follows the name within a few words of its sentence: "Mourinho said he ..."."""
    after = name.doc[name.end : min(name.end + 6, name.sent.end)]
    return any(t.lower_ in PERSONAL_PRONOUNS for t in after)


def _person_before(token) -> bool:
    """An honorific ("Mr"), a title ("President", "Secretary") or a person's description ("rapper")."""
    word = token.lower_.rstrip(".")
    return (
        word in lexicons.lowered("honorifics")
        or token.is_title
        and word in PERSON_TITLES
        or token.is_lower
        and word in lexicons.lowered("person_nouns")
    )


@Language.component("split_amounts")
def split_amounts(doc: Doc) -> Doc:
    """Split tokens that glue a number to its currency, scale or sign: "1.2bn", "20m-£30m", "21%".

    Runs first, on bare tokens, and rebuilds the Doc once (in linear time) when anything was split, with what
    was set on it (``doc._.reference_date``)."""
    words, spaces, changed = [], [], False
    for token in doc:
        parts = amount_parts(token.text, bool(words) and words[-1][-1:].isdigit())
        changed |= len(parts) > 1
        words += parts
        spaces += [False] * (len(parts) - 1) + [bool(token.whitespace_)]
    for word in (w for w in words if w[-1:] in ("½", "¼", "¾")):
        if VULGAR_NUMBER.fullmatch(word):
            doc.vocab[word].like_num = True  # "2½" is a number, as "2.5" is (spaCy's LIKE_NUM says no)
    return Doc(doc.vocab, words=words, spaces=spaces, user_data=doc.user_data) if changed else doc


def _a_model_code(prefix: str) -> bool:
    """Capitals before a number that are no currency code nor a symbol written so: "RS" of the "RS68" engine
    is no "Rs" (rupees); "USD", "RM" are currencies."""
    return (
        len(prefix) > 1
        and prefix.isupper()
        and prefix.lower() not in lexicons.mapping("currency_codes")
        and prefix not in lexicons.words("currencies")
    )


def amount_parts(text: str, after_number: bool = False) -> list[str]:
    """The pieces of a glued amount, or ``[text]``.

    >>> amount_parts("20m-£30m"), amount_parts("USD3.14"), amount_parts("3.14US$"), amount_parts("NT$3bn")
    (['20', 'm', '-', '£', '30', 'm'], ['USD', '3.14'], ['3.14', 'US$'], ['NT$', '3', 'bn'])
    >>> amount_parts("m.", after_number=True), amount_parts("1990s")
    (['m', '.'], ['1990s'])
    >>> amount_parts("14.03.2012"), amount_parts("A400M")
    (['14.03.2012'], ['A400M'])
    >>> amount_parts("MSEK"), amount_parts("kEUR"), amount_parts("MOST"), amount_parts("Musd")
    (['M', 'SEK'], ['k', 'EUR'], ['MOST'], ['Musd'])
    >>> amount_parts("c.£15k"), amount_parts("RS68"), amount_parts("RM50")
    (['c.', '£', '15', 'k'], ['RS68'], ['RM', '50'])
    """
    if (
        len(text) == 4
        and text[0] in lexicons.words("currency_code_prefixes")
        and text[1:].lower() in lexicons.mapping("currency_codes")
        and text[1:].isupper()
    ):
        return [text[0], text[1:]]  # "MEUR": a scale glued to a code
    if text.isalpha() or len(text) < 2:
        return [text]
    if after_number and re.fullmatch(r"(?:m|bn|k|p|mn|tn)\.", text, re.I):
        return [text[:-1], "."]
    circa = re.fullmatch(r"(ca?\.)([£$€¥₹]\d.*)", text)
    if circa:
        return [circa[1], *amount_parts(circa[2])]  # "c.£15k": circa glued to an amount
    code = re.fullmatch(r"([A-Za-z]{1,3}\.?\$?)(\d.*)", text)
    forms = ("currencies", "currency_codes")
    if (
        code
        and not _a_model_code(code.group(1))
        and (
            any(code.group(1).lower() in lexicons.mapping(name) for name in forms)
            or code.group(1) in lexicons.words("currency_letters")
        )
    ):
        rest = amount_parts(code.group(2))
        return [code.group(1), *rest] if len(rest) > 1 or KEEP_WHOLE.match(code.group(2)) else [text]
    if not SYMBOL_START.match(text) or KEEP_WHOLE.match(text):
        return [text]
    parts = re.findall(r"\d*[½¼¾]|\d[\d,.]*\d|\d|[A-Za-z]{1,3}\$|[^\W\d_]+|[^\w\s]", text)
    if re.fullmatch(r"\d{1,3}[A-Z]\w{0,3}", text) and not any(map(_amount_word, parts[1:])):
        return [text]  # "3E Nano Inc.", "7UP": a name that starts with a number
    if re.fullmatch(r"\dG", text):
        return [text]  # a mobile network's generation: "3G", "5G" ("Hutchison 3G UK Limited")
    return parts if "".join(parts) == text else [text]


def _amount_word(word: str) -> bool:
    """A scale, currency or currency code glued to a number: "bn", "M", "US$", "EUR"."""
    if word in lexicons.words("currency_letters"):
        return True
    return any(word.lower() in lexicons.mapping(n) for n in ("scales", "currencies", "currency_codes"))
