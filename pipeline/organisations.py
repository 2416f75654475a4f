"""The organisation stage (``contract_organisations``), once per article: split conjoined names, clean each
name and reject what is not a body, take every other occurrence of a name as that organisation, give one
canonical name per organisation; and, across a run, one entity name per organisation (``entities``).

>>> clean_name("the Department for Work and Pensions's")
'Department for Work and Pensions'
>>> clean_name("BT Group CFO")
'BT Group'
>>> clean_name("ICT") is None, clean_name("Lancashire") is None, clean_name("Government") is None
(True, True, True)
>>> canonical_names(["Department for Work and Pensions", "DWP", "BT Group"])["DWP"]
'Department for Work and Pensions'
>>> canonical_names(["BT", "BT Group", "BT Global Services"])["BT"]
'BT Group'
>>> canonical_names(["One Connect Limited", "One Connect"])["One Connect Limited"]
'One Connect'
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import lexicons
from pipeline.mentions import (
    ELIDED_NAME,
    MENTIONS_KEY,
    MODEL_NAMES_KEY,
    WORKS_KEY,
    Mention,
    article_text,
    sentence_window,
    set_mentions,
)

GROUP_WORDS = lexicons.lowered("group_words")
LINK_WORDS = lexicons.lowered("link_words")
COUNCIL_KIND = re.compile(rf"\b({lexicons.alternation('council_kinds')}) (council)$", re.I)
QUOTES = "\"'“”‘’`"
NAME_ENDS = frozenset(lexicons.words("org_heads") + lexicons.words("name_ends"))
TITLES = lexicons.lowered("titles")  # a name ending in one of these is a title: "European Commissioner"


@lru_cache(maxsize=1)
def _held_at_pattern() -> re.Pattern:
    """A role held at a body, before the body's name: "Chief Executive of ", "leader of the "."""
    roles = sorted(lexicons.lowered("role_words") - TITLES - {"board"}, key=len, reverse=True)
    return re.compile(
        r"(?:(?:" + "|".join(re.escape(r) for r in roles) + r")\s+)+(?:of|at)\s+(?:the\s+)?(?=[A-Z])", re.I
    )


def _after_role(name: str) -> str:
    """The body a role is held at: "Chief Executive of Acme" -> "Acme"; a possessive followed by lower-case
    words or by capitalised words that end in no body's head word names the owner: "Acme’s billing system",
    "Acme’s Idaho Site" -> "Acme", a place's body is the body: "Britain's Office of Fair Trading";
    lower-case words after a name are no part of it: "SIM cards" -> "SIM"."""
    name = _held_at_pattern().sub("", name, count=1) if _held_at_pattern().match(name) else name
    name = re.sub(r"[’']s(?:\s+[a-z][\w-]*)+$", "", name)
    owned = re.fullmatch(r"(.+?)[’']s\s+([A-Z].*)", name)
    if owned:
        name = _owner_or_body(owned[1], owned[2]) or name
    words = name.split()
    while (
        len(words) > 1
        and words[-1][:1].islower()
        and not lexicons.is_legal_form(words[-1])
        and not ELIDED_NAME.match(words[-1])  # "Conseil Supérieur de l'Audiovisuel"
    ):
        words.pop()
    return " ".join(words)


def _owner_or_body(owner: str, owned: str) -> str | None:
    """Which name "owner's owned" stands for: a place's body ("Britain's Office of Fair Trading") is the body;
    a body's thing ("Department of Energy’s Idaho Site") or a thing that ends in no body's head word
    ("Gillette's Right Guard", "Arsenal's Edu") is its owner's; None keeps the whole ("Queen's Club", "U.S.
    Attorney's Office for the District of Columbia")."""
    if _place(owner):
        return owned if _ends_a_name(owned) or any(w in NAME_ENDS for w in owned.split()) else None
    if owned.split()[-1] in lexicons.words("org_not_heads"):  # "Henry's Arsenal", "Volvo Women's Open"
        return owner if any(w in lexicons.words("org_heads") for w in owner.split()) else None
    if _ends_a_name(owned) or owner.split()[-1] in lexicons.words("not_owners"):
        return None
    head = re.split(r"\s+(?:for|of|on)\s+", owned)[0]  # "Office" of "Office for the District of Columbia"
    if _ends_a_name(head) and not any(w in NAME_ENDS for w in owner.split()):
        return None  # an officer's office ("U.S. Attorney’s"), not a body's unit ("Department of Energy’s")
    return owner


def _ends_a_name(words: str) -> bool:
    """Whether words end as a body's name does: a head word ("Pakistan People's Party") or a legal form."""
    last = words.split()[-1].strip(".,")
    return last in NAME_ENDS or lexicons.is_legal_form(last)


@lru_cache(maxsize=1)
def _role_pattern() -> re.Pattern:
    roles = sorted(lexicons.words("role_words"), key=len, reverse=True)
    return re.compile(r"(?:[\s,]+(?:" + "|".join(re.escape(r) for r in roles) + r"))+$", re.I)


@lru_cache(maxsize=1)
def _state_abbreviations() -> str:
    return "|".join(re.escape(w) for w in lexicons.words("state_abbreviations"))


@lru_cache(maxsize=1)
def _lead_verbs() -> str:
    """The verbs that open a list item or headline before a name (``lead_verbs``), capitalised, as one
    alternation."""
    return "|".join(re.escape(w.capitalize()) for w in lexicons.words("lead_verbs"))


def _strip(text: str) -> str:
    """Without surrounding punctuation, a leading "the", a possessive, an unclosed "(ABC" or a place
    after a comma or "of" ("Thales of Italy", "Acme, New York"); a place after "of" stays part of a name that
    holds a body's head word ("Strategic Banking Corporation of Ireland", "Port of Barcelona", "U.S. District
    Court for the District of Maryland")."""
    name = re.sub(r"\s+", " ", text)
    name = re.sub(r"\s*\([^)]*$", "", name).strip(" \t.,;:!?-–—()[]/" + QUOTES)
    name = re.sub(r"[’']s?$", "", name)
    name = re.sub(rf"^(?:{_state_abbreviations()})\s+", "", name)  # "Ala. Earthrise Space Inc." after a town
    name = re.sub(r"^(?:the|The|THE)\s+", "", name)
    name = re.sub(rf"^(?:{_lead_verbs()})\s+(?=[A-Z])", "", name)  # a bullet's verb: "Supporting Acme Inc."
    name = re.sub(r"^(?:In the )?Matter of\s+", "", name)  # a case's title: "In the Matter of Acme, Inc."
    # a dateline's town before its dash: "WASHINGTON - Barrday Inc."
    name = re.sub(r"^[A-Z]{2,}(?:[ ,.]+[A-Z]{2,})*\s+[-–—]\s+(?=[A-Z])", "", name)
    name = re.sub(r"^(?:M|AT|SA|COMP)\.\s?\d+\s+(?:-\s+)?", "", name)  # an EU case number: "M.7630 FedEx"
    name = re.sub(r"^[A-Z]{2,}[’']s\s+(?=[A-Z])", "", name)  # "GSA's Federal Systems ... Center"
    based = re.match(r"(\S+)-[Bb]ased\s+(?=[A-Z])", name)  # a headline's "Texas-Based Energy Partners LLC"
    name = name[based.end() :] if based and _place(based[1]) else name
    match = re.fullmatch(r"(.+?)(,\s*| of )(.+)", name)
    if (
        match
        and (match[3].lower() in lexicons.lowered("places") or match[2] != " of " and _region(match[3]))
        and not (
            match[2] == " of "
            and any(w in NAME_ENDS | set(lexicons.words("municipal_heads")) for w in match[1].split())
        )
        and match[3] not in lexicons.words("org_regions")
        and match[1].lower() not in lexicons.lowered("org_generic")
    ):
        return match[1]
    return name


@lru_cache(maxsize=8192)
def clean_name(text: str) -> str | None:
    """The organisation name in a span, or None when the span is not an organisation (or is a title:
    "Business and Trade Secretary")."""
    quoted = _before_quoted(text)
    name = _before_person(_strip(_after_role(_portfolio(_strip(quoted))))) if quoted else None
    if name is None or name.lower() in lexicons.lowered("role_words"):  # "Chief Executive"
        return None
    role = _role_pattern().search(name)
    if role and role.group(0).strip(" ,").lower() in TITLES:
        return None
    if role and not _body_head(name[: role.start()], role.group(0).strip(" ,")):
        name = _role_pattern().sub("", name).strip(" ,.-" + QUOTES)
    if role and name.lower() in lexicons.lowered("role_modifiers"):  # "Acting Chief Executive"
        return None
    seat = re.fullmatch(r"(.+?) of (?:[A-Z][\w'’-]+ ?){1,2}", name)
    if seat and _names_its_seat(seat[1]) and not _ends_a_name(name):
        name = seat[1]  # "GreenMantra Technologies of Brantford": the company, then its town
    return name if _is_organisation(name) else None


def _before_quoted(text: str) -> str | None:
    """A name ends before a quoted title ("Pastoral Genomics Ltd ‘Commercialising Forage Biotechnologies’
    Partnership" -> "Pastoral Genomics Ltd"); a span that holds a quoted title's closing mark, after a letter
    other than a plural's "s" ("Apple Futures II’ Partnership"; not "Farmers’ Union"), is none."""
    opening = re.search(r"\s[‘“](?=\w)", text)
    text = text[: opening.start()] if opening else text
    return None if re.search(r"[^\Ws][’”](?=\s)", text) else text


def _names_its_seat(company: str) -> bool:
    """Whether "<company> of <X>" names a company's town: after a legal form that is no part of a longer name
    ("Inc.", "Ltd"; not "Co." nor "Corporation": "Aluminum Co. of America") or after a plural head
    ("Technologies")."""
    last = company.split()[-1].strip(",")
    if last.lower().rstrip(".") in ("co", "corp", "corporation", "company"):
        return False
    return lexicons.is_legal_form(last) or last.endswith("s") and last in lexicons.words("org_heads")


def _body_head(before: str, role: str) -> bool:
    """A role word that is also a body's head word ends the name of a body of several words ("International
    Rugby Board", "Surface Transportation Board"), not a company's ("the BT Board")."""
    words = before.split()
    return (
        role in lexicons.words("org_heads")
        and len(words) > 1
        and not before.isupper()
        and words[-1].lower() not in GROUP_WORDS  # "the Acme Group Board" is Acme's
        and not lexicons.is_legal_form(words[-1])
    )


def _portfolio(name: str) -> str:
    """A title with its portfolio is no body ("Minister of Agriculture" -> ""), unless a body follows
    ("Governor of the Bank of England" -> "Bank of England")."""
    match = re.match(r"(\w+)\s+(?:of|for)\s+(?:the\s+)?(.+)", name)
    if not match or match[1].lower() not in TITLES:
        return name
    body = any(w in lexicons.words("org_heads") or lexicons.is_legal_form(w) for w in match[2].split())
    return match[2] if body else ""


def _before_person(name: str) -> str | None:
    """A name glued by a job title to the person who holds it ends before the title: "BT Group CEO Jane Smith"
    -> "BT Group"; None when nothing is left or the title comes first ("Group CEO Jane Smith")."""
    words = name.split()
    roles = lexicons.lowered("role_words")
    for i, word in enumerate(words[:-1]):
        person = words[i + 1 :]
        if (
            word.lower() in roles
            and all(w[:1].isupper() and w.lower() not in roles for w in person)
            and not (i and words[i - 1].lower() in LINK_WORDS)  # "Association of Chief Police Officers"
        ):
            head = " ".join(words[:i])
            return head if head and head.lower() not in lexicons.lowered("org_generic") else None
    return name


def generic_head(text: str) -> str | None:
    """ "the Commission" -> "Commission": a capitalised generic noun that may refer back to a named body."""
    name = _strip(text)
    return (
        name
        if " " not in name and name[:1].isupper() and name.lower() in lexicons.lowered("org_generic")
        else None
    )


def antecedent(head: str, names: list[str]) -> str | None:
    """The one name among ``names`` that ``head`` ("Commission", "Department") can stand for, or None."""
    matches = {
        n for n in names if head.lower() in (w.lower() for w in n.split()) and n.lower() != head.lower()
    }
    return matches.pop() if len(matches) == 1 else None


def _is_organisation(name: str) -> bool:
    """False for empty or lower-case text, places (or places joined: "ON - Canada"), generic nouns, field
    acronyms, numbers, provisions ("Article 81") and names of things ("Autumn Budget"; not "Office of
    Management and Budget")."""
    if len(name) < 2 or len(name) > 100 or not re.search(r"[A-Z]", name) or "\n" in name:
        return False
    lower = name.lower()
    if (
        lower in lexicons.lowered("org_generic")
        or lower in lexicons.lowered("places")
        or _key(name) in lexicons.lowered("org_generic")
    ):  # "Services Ltd"
        return False
    if name in lexicons.words("not_org_acronyms") or re.fullmatch(r"[\d\W]+", name):
        return False
    if (" " in name or not name.isupper()) and all(
        lexicons.is_legal_form(w) or w.lower() in ("pty", "pte", "pvt", "sdn") for w in name.split()
    ):
        return False  # "Pty Ltd", "Limited" alone (not "SES", which is also a legal form)
    parts = re.split(r"\s*[-–—&/]\s*|\s+and\s+", name)
    if len(parts) > 1 and all(_place(p) for p in parts):
        return False  # "ON - Canada", "Devon and Cornwall"
    words = name.split()
    body_of = len(words) > 2 and words[0] in lexicons.words("org_heads") and words[1] in ("of", "for")
    if (words[-1] in lexicons.words("org_not_heads") and not body_of) or any(
        w in lexicons.words("org_not_heads") and nxt in ("for", "of", "on")
        for w, nxt in zip(words, words[1:])
    ):
        return False
    code = "-" in name or len(name) > 6 or re.fullmatch(r"\d+[A-Z]|[A-Z]{1,2}\d{2,}", name)
    if len(words) == 1 and re.search(r"\d", name) and code:
        return False  # codes: "HC-130J", "W58RGZ-11-G-0011"; "3D", "5G"; models "M27", "A380"; not "O2", "3i"
    if len(words) > 1 and words[0] in lexicons.words("provision_words") and words[1][0].isdigit():
        return False  # a law's provision: "Sections 5(a)", "Article 81"
    if re.fullmatch(r"\d+", words[0]) and len(words) > 1 and words[-1].endswith("s"):
        return False  # a count of bodies: "24 Community Futures Development Corporations"
    return name.split()[0].lower() not in {"a", "an", "this", "that", "these", "its", "their", "our"}


class WordIndex:
    """Where each run of word characters (and ``joiners``) starts in a text, so that a name's whole-word
    occurrences are found without a scan of the text per name (that made a 1 MB article quadratic)."""

    def __init__(self, text: str, joiners: str):
        self.text, self.run = text, re.compile(rf"[\w{joiners}]+")
        self.starts: dict[str, list[int]] = {}
        for match in self.run.finditer(text):
            self.starts.setdefault(match.group(), []).append(match.start())

    def spans(self, name: str) -> list[tuple[int, int]]:
        """(start, end) of every occurrence of ``name`` not inside a longer run of word characters."""
        first = self.run.match(name)
        if first is None:
            return []
        found = []
        for start in self.starts.get(first.group(), ()):
            end = start + len(name)
            if self.text.startswith(name, start) and not self.run.match(self.text, end, end + 1):
                found.append((start, end))
        return found


@lru_cache(maxsize=4)
def word_index(text: str, joiners: str = "-") -> WordIndex:
    """The index of an article's text (built once per text and kind; a string's hash is cached)."""
    return WordIndex(text, joiners)


def is_common_word(name: str, text: str) -> bool:
    """A one-word name the article also writes in lower case ("Wait", "Measures") is a word, not a body."""
    if " " in name or name.isupper() or not name[:1].isupper():
        return False
    return bool(word_index(text).spans(name.lower()))


# A capitalised honorific and one word after it that no other capitalised word follows: "Mr Ebbers said".
TITLED_SURNAME = re.compile(
    rf"\b(?:{'|'.join(re.escape(w.title()) for w in lexicons.lowered('honorifics'))})\.?\s+([A-Z][\w'’-]+)\b"
    r"(?!\s+[A-Z]|[’']s\s+[A-Z])"
)


def is_titled_surname(name: str, text: str) -> bool:
    """A name of two or three capitalised words whose last the article writes after an honorific is a
    person's: "Bernie Ebbers" beside "Mr Ebbers", "Nicola Sturgeon" beside "Ms Sturgeon"; not a name with a
    head word or legal form ("Morgan Stanley Bank")."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(re.fullmatch(r"[A-Z][A-Za-z'’-]*[a-z]", w) for w in words):
        return False
    if any(w in NAME_ENDS or lexicons.is_legal_form(w) for w in words):
        return False
    return words[-1] in _titled_surnames(text)


@lru_cache(maxsize=4)
def _titled_surnames(text: str) -> frozenset[str]:
    return frozenset(re.sub(r"['’]s$", "", m[1]) for m in TITLED_SURNAME.finditer(text))


def names_a_thing(name: str, text: str) -> bool:
    """An acronym the article defines as a law, plan, standard or device ("Government Buying Standards (GBS)",
    "RFMG (Radio Frequency Mass Gauge)") or as a common noun ("area of responsibility (AOR)", "RSS (really
    simple syndication)")."""
    if not name.isupper():
        return False
    for start, end in word_index(text).spans(name):
        defined = re.search(r"([\w,-]+(?:\s+[\w,-]+){0,8})\s*\(\s*$", text[max(0, start - 200) : start])
        if defined and re.match(r"\s*\)", text[end : end + 20]):
            thing = defined.group(1).split()[-1] in lexicons.words("org_not_heads")
            return thing or _common_noun(long_form(name, defined.group(1).replace(",", " ").split()))
        expanded = re.match(r"\s*\(\s*([A-Za-z][\w ,-]{2,80})\)", text[end : end + 90])
        if expanded and _spells_a_thing(name, expanded.group(1).replace(",", " ").split()):
            return True
    return False


def _spells_a_thing(acronym: str, words: list[str]) -> bool:
    """The first words of an expansion that an acronym abbreviates are a common noun ("really simple
    syndication") or end in a thing's word ("NDL (Navigation Doppler Lidar for Precise Velocity ...)")."""
    for k in range(1, len(words) + 1):
        form = long_form(acronym, words[:k])
        if form:
            return _common_noun(form) or form[-1] in lexicons.words("org_not_heads")
    return False


def _common_noun(words: list[str]) -> bool:
    """A long form in lower case ("area of responsibility"), not a name ("the World Anti-Doping Agency")."""
    return bool(words) and words[0].islower()


def long_form(acronym: str, before: list[str]) -> list[str]:
    """The words just before an acronym that it abbreviates, one initial per word (or per part of a hyphenated
    word); a link word may give a letter or be skipped, and the longest reading wins: "Office of National
    Statistics" for "ONS", "area of responsibility" for "AOR"; [] when they do not spell it."""
    letters = [c for c in acronym.lower() if c.isalpha()]

    def read(i: int, k: int) -> list[str] | None:  # words before[:i] spelling letters[:k]
        if k == 0:
            return []
        if i == 0:
            return None
        word, readings = before[i - 1], []
        for initials in {word[:1].lower(), "".join(part[:1] for part in word.lower().split("-"))}:
            if k >= len(initials) and "".join(letters[k - len(initials) : k]) == initials:
                readings.append(read(i - 1, k - len(initials)))
        if word.lower() in LINK_WORDS and k < len(letters):
            readings.append(read(i - 1, k))
        found = [r + [word] for r in readings if r is not None]
        return max(found, key=len) if found else None

    return read(len(before), len(letters)) or []


def in_a_title(before: str, after: str) -> bool:
    """Part of a job title: "Business and Trade Secretary", "Commerce and Consumer Affairs Minister",
    "Minister for Defence Procurement", or the constituency of a member's ("Member of Parliament for
    Windsor—Tecumseh", "MLA for Regina")."""
    return bool(
        re.match(
            r"(?:(?:,|\s+and|\s+&)(?:\s+[A-Z][\w-]*){1,3})*\s+(?:Secretary|Minister|Commissioner)\b", after
        )
        or re.search(
            r"\b(?:Member of (?:Parliament|the \w+ Assembly)|Member|M[PLHN]{1,2}A?|MSP) for\s+$", before
        )
        or re.search(
            r"""
            \b(?:Minister|Secretary|Commissioner|Vice-President|Spokesperson|Director)  # Minister
            (?:[ ]of[ ]State)?[ ](?:for|of)\s+                  # " of State for ", " for "
            (?:(?:[A-Z][\w-]*[ ]?){1,3}(?:,\s+|[ ]and\s+))*$    # "Minister of Energy and Natural
                                                                # Resources", "for Employment, Social Affairs"
            """,
            before,
            re.VERBOSE,
        )
    )


def is_place(name: str, after: str) -> bool:
    """A name followed by ", <state or country>" that has no organisation word is a town ("Franklin,
    Massachusetts"); "Naval Sea Systems Command, Washington", "the Federal Court, Sydney" stay
    organisations."""
    match = re.match(r",\s*([A-Z][\w.]*(?: [A-Z][\w.]*)*)", after)
    words = match.group(1).split() if match else []
    # the place is all the capitalised words, or those up to an abbreviation's full stop: "Pa." in ", Pa. The
    # Draper Laboratory", not "Texas" in ", Texas Instruments"
    places = [
        " ".join(words[:k]) for k in range(1, len(words) + 1) if k == len(words) or words[k - 1][-1] == "."
    ]
    if not any(_place(p) or _place(p.rstrip(".")) for p in places):  # "Pa." or "Alabama." ending a sentence
        return False
    state = re.match(r",\s*([A-Z][\w.]*(?: [A-Z][\w.]*)*)", after[match.end() :])
    if state and (_region(state[1]) or _region(state[1].rstrip("."))):
        return False  # "FedEx, Washington, D.C.": a town and its state follow, so the name is no town
    heads = lexicons.lowered("org_heads")
    return not any(w.lower().strip(".,") in heads or lexicons.is_legal_form(w) for w in name.split())


def _place(words: str) -> bool:
    """A place of the lexicon, or a state, province or region (``_region``)."""
    return words.lower() in lexicons.lowered("places") or _region(words)


def _region(words: str) -> bool:
    """A state, province or region, or the postal code of a US state or Canadian province ("ON")."""
    return words.lower() in lexicons.regions() and (len(words) > 2 or words.isupper())


def _bare_words(name: str, drop_group_words: bool) -> list[str]:
    """The words of a name without its legal form (cleanco's list: "plc", "Pty Ltd", "& Co.") and, when asked,
    group words: "BT Group plc" -> ["BT"]."""
    words = name.split()
    while len(words) > 1:
        cut = lexicons.legal_tail(words) or int(drop_group_words and _plain(words[-1]) in GROUP_WORDS)
        if not cut:
            break
        words = words[:-cut]
    while len(words) > 1 and words[-1] in ("&", "and", ","):
        words.pop()
    return words


def _plain(word: str) -> str:
    return re.sub(r"[.,'’]", "", word.lower())


def _key(name: str) -> str:
    """A name without case, punctuation, legal form or group words: "BT Group plc" -> "bt"."""
    words = " ".join(_bare_words(name, drop_group_words=True)).replace("&", " and ")
    return " ".join(_plain(w) for w in words.split() if _plain(w))


ACRONYM = re.compile(r"[A-Z][A-Z&]{1,7}")  # "IMF", "M&S"


def _initials(name: str) -> str:
    """The letters an acronym of ``name`` spells: each word's first, or all of a word that is itself an
    acronym ("UK Space Agency" -> "UKSA", "NHS England" -> "NHSE")."""
    words = (w for w in re.findall(r"[A-Za-z][\w-]*", name) if w.lower() not in LINK_WORDS)
    return "".join(w if ACRONYM.fullmatch(w) else w[0] for w in words).upper()


def _display(names: list[str]) -> str:
    """The canonical form of a cluster: its longest name, without its legal form."""
    bare = (" ".join(_bare_words(n, drop_group_words=False)).rstrip(",") for n in names)
    return max(bare, key=lambda n: (len(n.split()) if not n.isupper() else 0, len(n)))


def canonical_names(names: list[str]) -> dict[str, str]:
    """{name: canonical name} for the organisation names of one article."""
    clusters: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        clusters.setdefault(_key(name), []).append(name)
    keys = list(clusters)
    for key in keys:
        target = _link_target(key, clusters)
        if target and target != key:
            clusters[target].extend(clusters.pop(key))
    return {name: _display(members) for members in clusters.values() for name in members}


def _link_target(key: str, clusters: dict[str, list[str]]) -> str | None:
    """The cluster an acronym ("DWP") or a short council name ("Lancashire Council") belongs to."""
    members = clusters.get(key, [])
    acronym = next((n for n in members if re.fullmatch(r"[A-Z][A-Z&]{1,7}", n)), None)
    if acronym:
        matches = [k for k, ns in clusters.items() if k != key and any(_initials(n) == acronym for n in ns)]
        return matches[0] if len(matches) == 1 else None
    if key.endswith(" council") and not COUNCIL_KIND.search(key):
        stem = key[: -len(" council")]
        matches = [k for k in clusters if COUNCIL_KIND.search(k) and COUNCIL_KIND.sub("", k).strip() == stem]
        return matches[0] if len(matches) == 1 else None
    return None


def is_common_phrase(name: str, text: str) -> bool:
    """A name all of whose words the article also writes in lower case ("Customer Service")."""
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", name) if w.lower() not in LINK_WORDS]
    return len(words) > 1 and all(word_index(text).spans(w.lower()) for w in words)


def _article_checks(text: str):
    """Text-wide checks on a name, done once per distinct name of an article."""

    @lru_cache(maxsize=None)
    def rejects(name: str, trusted: bool) -> bool:
        return (
            is_common_word(name, text)
            or names_a_thing(name, text)
            or is_titled_surname(name, text)
            or (not trusted and is_common_phrase(name, text))
        )

    return rejects


def _name_at(text: str, start: int, end: int, trusted: bool, rejects) -> str | None:
    """The organisation name of the span text[start:end], or None; ``trusted`` (found by a rule) spans may be
    made of common words."""
    name = _without_defined_thing(clean_name(text[start:end]), text)
    if (
        name is None
        or rejects(name, trusted)
        or in_a_title(text[max(0, start - 80) : start], text[end : end + 60])
        or is_place(name, text[end : end + 40])
        or _titled(name, text[max(0, start - 16) : start], text[end : end + 16])
        or _described_as_holder(text[end : end + 60])
        or _in_a_code(name, text[end : end + 2])
        or COURT_CITATION.search(text[max(0, start - 8) : end]) is not None
        or _in_a_defined_thing(name, text[end : end + 200])
        or _is_a_seat(name, text[max(0, start - 40) : start])
        or _seat_set_off(name, text[max(0, start - 60) : start], text[end : end + 12])
        or _a_place_by_use(name, text[max(0, start - 1) : start], text[end : end + 30])
        or (not trusted and _a_town_by_use(name, text[max(0, start - 30) : start], text[end : end + 3]))
    ):
        return None
    return name


DATELINE_DATE = re.compile(r",\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\b")  # ", September 14" after a dateline's town


def _a_place_by_use(name: str, before: str, after: str) -> bool:
    """A name used as a place: before "-based" ("Dayton-based TesTech, Inc."), or a dateline's town in
    capitals at the start of a line, before the date ("OTTAWA, September 14, 2012 —")."""
    return after.startswith("-based") or (
        name.isupper() and before in ("", "\n") and DATELINE_DATE.match(after) is not None
    )


# "in"/"near" before a town; not a holding's "stake in", "shares in"
TOWN_CUE = re.compile(
    r"(?<!\bstake)(?<!\bstakes)(?<!\bshares)(?<!\binterest)(?<!\binvested)\s+(?:in|near)\s+$"
)


def _a_town_by_use(name: str, before: str, after: str) -> bool:
    """A town's one-word name (lexicons/towns.txt) after "in" or "near": "a gasification plant in Vaasa",
    "ruptured near Huntsville"; not a listed company's ("Toyota"), nor a name before another ("in Toyota
    Corollas") or its possessive, nor a holding's ("a 22% stake in Wembley")."""
    return (
        " " not in name
        and name.lower() in lexicons.lowered("towns")
        and name.lower() not in lexicons.lowered("listed_companies")
        and TOWN_CUE.search(before) is not None
        and re.match(r"\s+[A-Z]|['’]s\b", after) is None
    )


def _is_a_seat(name: str, before: str) -> bool:
    """A name with no body's head word or legal form right after "<company> of " is the company's town: "3E
    Nano Inc. of Kitchener"; not "B P Australia Pty Ltd of Woolworths Limited"."""
    match = re.search(r"(\S+) of $", before)
    return bool(match) and _names_its_seat(match[1]) and not _ends_a_name(name)


def _seat_set_off(name: str, before: str, after: str) -> bool:
    """A town set off by commas after a company's legal form, before the sentence goes on in lower case: "UK
    Gaming Computers Ltd, Colchester, neglected to pay", "The Clothing Works Ltd (ceased trading), Corby,
    ..."; not a list's member before its last ("Airbus New Zealand Ltd, Beca, and Marops")."""
    company = re.search(r"(\S+)(?:\s+\([^()]*\))?,\s+$", before)
    return (
        bool(company)
        and lexicons.is_legal_form(company[1].strip(","))
        and not _ends_a_name(name)
        and re.match(r",\s+(?!(?:and|or)\s+[A-Z])[a-z]", after) is not None
    )


def _without_defined_thing(name: str | None, text: str) -> str | None:
    """A name glued to an acronym the article defines as a thing ends before it: "NAVFAC Southwest AOR"."""
    if name and " " in name:
        head, last = name.rsplit(" ", 1)
        if names_a_thing(last, text):
            return clean_name(head)
    return name


def _described_as_holder(after: str) -> bool:
    """A name followed by the office its holder has is a person's: "Elżbieta Bieńkowska, European
    Commissioner for Internal Market", "Lana Payne, National President, Unifor" (a job, then its
    employer); not "the Treasury, Chancellor George Osborne said"."""
    match = re.match(r",\s+(?:the\s+)?(?:[A-Z][\w-]*\s+){0,3}?(\w+)(?=\s+(?:for|of)\b|\s*[,.;]|$)", after)
    if not match:
        return False
    employer = re.match(r",\s+[A-Z]", after[match.end() :]) is not None
    return match[1].lower() in TITLES or employer and match[1].lower() in lexicons.lowered("role_words")


# The rest of a title-case run up to the acronym it defines, on the same line: ", Surveillance and
# Reconnaissance (ISR)"; an acronym has two capitals or digits at least ("C4I", "DoD"; not "(Missiles)").
RUN_TO_ACRONYM = re.compile(
    r"((?:,?[ \t]+(?:and[ \t]+|&[ \t]+)?[A-Z][\w/-]*)*)[ \t]*"
    r"\(((?=(?:[a-z]*[A-Z0-9]){2})[A-Z][A-Za-z0-9]{1,9})\)"
)


def _in_a_defined_thing(name: str, after: str) -> bool:
    """A name inside the long form of an acronym that names a thing, not a body: "Control" in "the Command,
    Control, Communications, Computers and Intelligence (C4I) system" (C4 is four words with a C). The name
    and the words after it must fit the acronym's letters ("Google" in "Google, Apple and International
    Business Machines (IBM)" does not); the long form of a body ends in its head word ("Naval Sea Systems
    Command (NAVSEA)")."""
    run = RUN_TO_ACRONYM.match(after)
    if not run or not run.group(1):
        return False
    words = re.findall(r"[A-Z][\w/-]*", run.group(1))
    letters = sum(int(c) - 1 if c.isdigit() and c != "0" else c.isalpha() for c in run.group(2))
    return len(name.split()) + len(words) <= letters and words[-1] not in lexicons.words("org_heads")


# A federal court's district and state in a case citation: "(S.D. Cal.)", "(D. Mass.)"
COURT_CITATION = re.compile(r"\((?:[NSEWMC]\.)?D\.\s?[A-Z][\w.]*$")


def _in_a_code(name: str, after: str) -> bool:
    """A one-word name glued by a hyphen to a number is the head of a code: "SPRDL1-16-D-0013"."""
    return " " not in name and re.match(r"-\d", after) is not None


def _titled(name: str, before: str, after: str) -> bool:
    """A person's name: it starts with, or follows, an honorific ("Mr Balls"), a title ("Secretary
    Vilsack") or a description in lower case ("nominee Darrell Castle", "rapper Jay-Z"; not "the
    billionaire Bhs owner", where a role follows)."""
    honorifics = lexicons.lowered("honorifics")
    previous = before.split()[-1:] or [""]
    described = previous[0] in lexicons.lowered("person_nouns") and not _before_role_word(after)
    return (
        name.split()[0].lower().rstrip(".") in honorifics
        or name.split()[0] in lexicons.lowered("person_nouns")  # "historian Darcy Richardson"
        or previous[0].lower().rstrip(".") in honorifics
        or previous[0][:1].isupper()
        and previous[0].lower() in TITLES  # "Agriculture Secretary Vilsack"
        or described
    )


def _before_role_word(after: str) -> bool:
    """The next word is a role in lower case: " owner", " chief"."""
    word = re.match(r"\s+([a-z][\w-]*)", after)
    return bool(word) and word[1] in lexicons.lowered("role_words")


# Where one span holds two names or a name and more: a slash between names ("Norsk Hydro / Alumetal",
# "SES/Intelsat", merger cases; "Union Pacific Corp./Southern Pacific Rail Corp."), a spaced dash, which
# ends a name in headlines and lists ("Sika / MBCC: Cementing ...", "Liberty Media/Dorna Sports - How ..."),
# a sentence that starts after an abbreviation's full stop, "v" between the parties of a court case
# ("Alphabet v Commission") or a headline's verb ("FTC Approves Sycamore Partners II, L.P.") or a verb in
# lower case ("Federal Court ordered Dodo Services Pty Ltd", "ACCC said").
VERBS = (*lexicons.words("headline_verbs"), *lexicons.words("org_cue_verbs"), *lexicons.words("past_verbs"))
PARTS = re.compile(
    r"""
    \s+/\s+ | (?<=[\w.])/(?=[A-Z])(?!.*\b(?:JV|Joint\ Venture)\b)  # a slash between names, not in
                                                  # the name of their joint venture ("Black/Mace JV")
    | \s+[-–—]\s+                                  # a spaced dash
    | (?<=\.)\s+(?=(?:The|This|These|Its|It|In|On|A|An)\s)  # a sentence's start after an abbreviation
                                                  # ("Alltel Corp. The Department of Justice ...")
    | \s+(?:v|vs|v\.|vs\.|V\.|VS\.)\s+(?=[A-Z])     # a court case (in a caption's capitals: "V.")
    | (?<=\w)[’'](?:s\b)?\s+(?=[A-Z])                 # a possessive: "Justice Department’s Criminal Division"
    | \s+(?:"""
    + "|".join(re.escape(v) for w in lexicons.words("headline_verbs") for v in (w, w.upper()))
    + r""")(?:\s+|$)                                 # a headline's verb ("Approves", "APPROVES")
    | \s+(?:"""
    + "|".join(re.escape(w.lower()) for w in VERBS)
    + r"""|said|says|(?!(?:limited|incorporated|united|registered|chartered)\b)[a-z]{3,}(?<!e)ed)(?:\s+|$)
                                                  # a verb: "Federal Court ordered Dodo Services Pty Ltd"
    """,
    re.VERBOSE,
)


def split_parts(text: str, found: list[Mention], people: frozenset[str] = frozenset()) -> list[Mention]:
    """Each ORG mention cut into the names it holds (``PARTS``, where ``_cuts``); ``people``: the names the
    model calls a person or a place in the article."""
    out = []
    for m in found:
        bounds, end = [m.start], m.end
        for gap in PARTS.finditer(text, m.start, m.end) if m.label == "ORG" and not _known(m) else ():
            cut = _cuts(gap.group(), text[bounds[-1] : gap.start()], text[gap.end() : m.end], people)
            if cut == "none":
                bounds = []  # no part is a name
                break
            if cut == "end":
                end = gap.start()
                break
            if cut:
                bounds += [gap.start(), gap.end()]
        if len(bounds) == 1 and end == m.end:
            out.append(m)
            continue
        parts = zip(bounds[::2], bounds[1::2] + [end])
        out += [Mention("ORG", a, b, m.source, m.sentence) for a, b in parts if _may_be_part(text[a:b])]
    return out


PUNCTUATION = ".,;:!?()[]\"'’"


def _cuts(gap: str, before: str, after: str, people: frozenset[str]) -> bool | str:
    """Whether the gap separates two names, or "end" where the name ends there. A possessive cuts between a
    body and its part ("Justice Department’s Criminal Division", "Department of Commerce’s Economic
    Development Administration"). A spaced dash ends a name before what is no
    name ("SES/Intelsat - merger control", "X - The ...", "X – Programme"), and is no cut between two
    ("Wood - Ireland" in a team list); after a thing's name it cuts, the thing being no body ("Biosecurity
    Innovation Award - Jacson3 Limited"). An unspaced slash cuts between names ("FedEx/TNT", "Liberty
    Media/Dorna Sports", merger cases), not between two acronyms ("TCP/IP") nor after a letter ("Blue
    Gene/L"); between two people or places the model names elsewhere in the article ("Brown/Blair") there is
    no name: "none"."""
    if gap[0] in "’'":  # both end as bodies' names do; not "Association of Children's Hospices"
        return _ends_a_name(after) and (_ends_a_name(before) or _body_of(before) and " " in after.strip())
    if gap.strip() in ("-", "–", "—") and before.endswith("/"):
        return True  # a dateline's wire service before the text: "/CNW Telbec/ - Canada Economic ..."
    if gap.strip() in ("-", "–", "—"):
        things = lexicons.words("org_not_heads")
        if before.split() and before.split()[-1] in things:
            return True  # an award and its winner: "Biosecurity Innovation Award - Jacson3 Limited"
        first = after.split()[0] if after.split() else ""
        thing = first.strip(PUNCTUATION) in things
        return "end" if not after[:1].isupper() or first.lower() in STOP_WORDS or thing else False
    if gap == "/" and not before.endswith("."):
        if not before.split() or not after.split():
            return False  # nothing on one side: no second name
        sides = (before.split()[-1].strip(PUNCTUATION), after.split()[0].strip(PUNCTUATION))
        if all(w in people for w in sides):
            return "none"  # "Collins/Parker": a ticket of two people, no body
        return not (
            any(len(w) < 2 or w in people for w in sides) or all(w.isupper() and len(w) < 5 for w in sides)
        )
    return True


def _body_of(name: str) -> bool:
    """A name of the form "<body's head word> of/for ...": "Department of Commerce", "Bank of England"."""
    words = name.split()
    return any(w in lexicons.words("org_heads") and nxt in ("of", "for") for w, nxt in zip(words, words[1:]))


def _may_be_part(part: str) -> bool:
    """A name: capitalised, no sentence word ("How" in "X - How ...") nor place ("OTTAWA, ON - Canada")."""
    lower = part.lower()
    return (
        part[:1].isupper()
        and lower not in STOP_WORDS
        and lower not in lexicons.lowered("places")
        and not _region(part)
    )


def split_conjoined(text: str, found: list[Mention], people: frozenset[str] = frozenset()) -> list[Mention]:
    """ "BT and Lancashire County Council" is two organisations when the first is named on its own elsewhere,
    when the first ends in a legal form ("Apple Inc. and Microsoft Corp.", and before "of": "B P Australia
    Pty Ltd of Woolworths Limited"), when both are names of two words or more ending in a head word ("Alpha
    Bank and Piraeus Bank"), or when the second is one word named on its own elsewhere, joined by "and"
    ("University of Auckland and AIST").
    A person's full name (``people``) before "and" is no organisation: "Dennis O'Neill and Martini Limited"
    is the company alone."""

    orgs = [(m.start, m.end) for m in found if m.label == "ORG"]

    def alone(name: str, within: tuple[int, int]) -> bool:
        """Named on its own elsewhere: not joined to more ("Procter" in "Procter & Gamble") nor followed by a
        capitalised word other than a legal form ("Competition" in "Director for Competition Enforcement";
        "DK-Spec Inc." is alone), not the end of another organisation's name ("Space" in "Lockheed Martin
        Space Systems Co.") and not a word the article writes in lower case ("Business and Trade
        Secretary"), nor one letter, an initial elsewhere ("J" of "J & J Contractors" beside "J. O.
        Collins")."""
        return (
            len(name) > 1
            and not is_common_word(name, text)
            and any(
                not re.match(r"\s+(?:and|&)\s+", text[end : end + 6])
                and not _before_a_name(text, end)
                and not within[0] <= start < within[1]  # "Johnson & Johnson": not its own second word
                and not any(a < start and end <= b and (a, b) != within for a, b in orgs)
                for start, end in word_index(text).spans(name)
            )
        )

    heads = lexicons.words("org_heads")
    out = []
    for m in found:
        span = text[m.start : m.end]
        match = re.search(r"\s+(?:and|&)\s+", span) if m.label == "ORG" and not _known(m) else None
        if match and _a_middle_member(text, m):
            match = None  # its "and" is its own: "A, Virginia Polytechnic Institute and State University, B"
        owned = re.search(r"\s+of\s+(?=[A-Z])", span) if m.label == "ORG" and not match else None
        after = span[owned.end() :] if owned else ""
        if owned and lexicons.is_legal_form(span[: owned.start()].split()[-1]) and not _place(after):
            match = owned  # "B P Australia Pty Ltd of Woolworths Limited": a company's other party
        first, second = (span[: match.start()], span[match.end() :]) if match else ("", "")
        spelled_and = match is not None and match.group().strip() == "and"
        person = spelled_and and _a_person_before(first, second, people)
        if (
            match
            and not lexicons.is_legal_form(second.split()[0])  # "Morgan Stanley & Co."
            and (
                alone(first, (m.start, m.end))
                or lexicons.is_legal_form(first.split()[-1])
                or _headed(first, heads)
                and _headed(second, heads)
                or spelled_and
                and " " not in second
                and alone(second, (m.start, m.end))
                or person
            )
        ):
            if not person:
                out.append(Mention("ORG", m.start, m.start + match.start(), m.source, m.sentence))
            out.append(Mention("ORG", m.start + match.end(), m.end, m.source, m.sentence))
        else:
            out.append(m)
    return out


def _a_person_before(first: str, second: str, people: frozenset[str]) -> bool:
    """A person's full name before a company's own name ("Dennis O'Neill and Martini Limited"), not before the
    rest of a partnership's ("John Smith and Sons Ltd")."""
    return _a_person(first, people) and second.split()[0].lower() not in lexicons.lowered("org_generic")


def _a_person(name: str, people: frozenset[str]) -> bool:
    """A person's full name: one the model calls a person (or place) that starts with a first name."""
    return _full_name(name, people) and name.split()[0].lower() in lexicons.lowered("first_names")


def _before_a_name(text: str, end: int) -> bool:
    """A capitalised word other than a legal form follows: the name goes on ("Competition Enforcement")."""
    word = re.match(r"[ \t]+([A-Z][\w.&-]*)", text[end : end + 40])
    return bool(word) and not lexicons.is_legal_form(word[1])


LIST_NAME = r"[A-Z][\w&+-]*(?:['’.][\w&+-]+)*(?: (?:[A-Z][\w&+-]*(?:['’.][\w&+-]+)*|&))*"
ASIDE = r"(?:\s\([^()]{1,40}\))?"  # a member's bracketed country: "Petrobras (Brazil), ..."
LIST_SEP = rf"(?:{ASIDE}(?:,\s+(?:and\s+)?|\s+and\s+))"
# after a member, more members: ", B", ", and the B"; in a list, "and" comes before the last member only, so a
# member followed by more holds its own "and" (", Mead and Hunt, ")
MORE_MEMBERS = rf"{ASIDE},\s+(?:and\s+)?(?:the\s+)?[A-Z]"
# the gap between two list members: ", Sanford and the ", ", Mead and Hunt, "
LIST_AFTER = re.compile(
    rf"{ASIDE},\s+({LIST_NAME}(?:\s+and\s+{LIST_NAME}(?={ASIDE},))?){LIST_SEP}(?:the\s+)?$"
)
# "..., and NAME" after the last member found, unless NAME is joined to more ("Brown and Williamson") or more
# members follow ("Vaughan College of Aeronautics and Technology, ...": the found member's own "and")
LIST_LAST = re.compile(rf",?\s+and\s+({LIST_NAME})\b(?!\s+(?:and|&)\s+[A-Z]|{MORE_MEMBERS})")
# "to NAME, ..." or "with NAME, NAME, ..." before the first member found; "the NAME, ..." may be a product
# ("the GMC Savana, Sierra")
LIST_FIRST = re.compile(rf"\b(?!(?:the|a|an)\b)[a-z]+,?\s+((?:{LIST_NAME}{ASIDE},\s+)+)$")


# A list of recipients: "The recipients are A, B and C", "Other contractors include A, B and C", or of
# companies: "producers, namely A, B and C", "firms such as A, B and C", "the car parts suppliers A, B and C",
# "the four producers of foam - A, B and C", or of the parties a competition authority fines: "has fined A, B
# and C a total of". Its items are capitalised words, with the small words of French and English names
# between them ("Atelier d'usinage Gélinas", "Chambre de commerce et d'industrie"), each maybe with a
# bracketed other name.
LIST_WORD = r"[A-ZÀ-ÖØ-Þ](?:[\w&’'+‑-]|\.(?=\w))*"  # a full stop only inside a word: a sentence ends at one
LIST_ITEM = (
    rf"{LIST_WORD}(?:(?:\s+[-–]\s+|\s+(?:(?:de|du|des|la|le|les|et|à|of|for)\s+)*)(?:{LIST_WORD}|[dl]['’][\w‑-]+))*"
    r"(?:\s+\d{1,4}\b)?"  # a number or year ending a name: "Models 1", "Triton 2001"
)
COMPANY_KINDS = (
    r"(?:companies|firms|competitors|rivals|producers|manufacturers|makers|suppliers|retailers|lenders|banks"
    r"|insurers|carmakers|automakers|airlines|carriers|operators|chains|businesses|start-?ups|undertakings"
    r"|agencies|organi[sz]ations|associations|institutions|universities|charities)"
)
# A count of the companies listed: "fines on nine companies – A, B, ..."
COUNT = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
# What a list's kind of company may say about them before the list: "the 17 undertakings fined: A, B, ..."
LISTED_AS = r"(?:\s+(?:fined|involved|concerned|named|sanctioned|selected))?"
LISTED = (
    rf"((?:{LIST_ITEM})(?:\s\([^()]{{1,60}}\))?(?:{LIST_SEP}(?:the\s+)?(?:{LIST_ITEM})"
    r"(?:\s\([^()]{1,60}\))?)+)"
)
LIST_CUE = (
    r"(?:\b(?:recipients|beneficiaries|contractors|subcontractors|awardees|grantees)\s+(?:are|were|include|included)"
    rf"|\b{COMPANY_KINDS},?\s+(?:such\s+as|including|namely|like|led\s+by|e\.g\.,?)"
    rf"|\b(?:[Tt]he|[Ii]ts|[Tt]heir|{COUNT})\s+(?:[a-z\d][\w-]*\s+){{0,3}}{COMPANY_KINDS}(?:\s+of(?:\s+[a-z][\w-]*){{1,4}})?"
    rf"{LISTED_AS}(?:\s+(?:are|were|include|included))?(?:\s+[-–—:]|:|(?=\s+(?:the\s+)?[A-Z])))"
)
RECIPIENTS = re.compile(rf"{LIST_CUE} ?:? (?:the\s+)?{LISTED}")
# A list whose items are set apart by semicolons, as style guides have it when items hold commas or are long:
# each item is a whole name, whatever its small words ("A; Groupement coopératif de la Ristigouche; and the
# B"), up to the sentence's end.
SEMICOLON_LISTED = re.compile(
    rf"{LIST_CUE} ?:? ((?:[^;\n]{{2,120}};\s+){{2,}}[^;\n]{{2,120}}?)(?=\.(?:\s|$))"
)
SEMICOLON_SOURCE = "rule:org_cue_semicolon_list"
# What follows the name in a list item: its place or a description (" in Alvin", ", an Amentum Company",
# ", both of Houston"); after a name already found, also " of <place>" (" of Houston"; an item's own "of" may
# be its name's: "University of Texas").
ITEM_TAIL = re.compile(r",?\s+in\s+[A-Z]|,\s+(?:a|an|the|both)\s")
PLACE_TAIL = re.compile(r",?\s+(?:of|in|at)\s+[A-Z]|,\s+(?:a|an|the|both)\s")
SEMICOLON_ITEM = re.compile(r"(?:and\s+)?(?:the\s+)?([A-ZÀ-ÖØ-Þ].*?)(?:\s+\([^()]*\))?\s*$")
FINED = re.compile(rf"\bfined (?:the\s+)?{LISTED}(?=\s+a\s+(?:total|combined)\b)")
# A list in brackets after its kind of company: "Bitumen suppliers (BP, Esha, Shell, Total and Wintershall)"
BRACKETED = re.compile(rf"\b{COMPANY_KINDS}\s+\({LISTED}\)")


def coordinated(text: str, found: list[Mention], people: frozenset[str] = frozenset()) -> list[Mention]:
    """The unknown capitalised names of a list whose other members (two or more) are organisations:
    "contracts went to Acme Dynamics, Brightwater and Kestrel Systems", and of a list of recipients ("The
    recipients are A, B and C"); a model span "Brightwater and Kestrel Systems" after "Acme Dynamics, " is
    split there. An item of a semicolon list of recipients or a table's cell is one name, in place of the
    model's pieces. The other party "between" an organisation "and" B is one, unless B is a person's full name
    (``people``). A member missed between two found takes the list's last member with it, and counts as found
    before the list's tail; neither is taken when it is a person's full name with a first name."""
    listed = _recipients(text)
    whole = [span for span, (_, source) in listed.items() if source in (SEMICOLON_SOURCE, TABLE_SOURCE)]
    placed = [span for span in whole if any(_placed_in(text, m, span) for m in found if m.label == "ORG")]
    listed = {span: value for span, value in listed.items() if span not in placed}
    whole = [span for span in whole if span not in placed]
    found = [m for m in found if m.label != "ORG" or not any(s <= m.start and m.end <= e for s, e in whole)]
    lines = [span for span, (_, source) in listed.items() if source == LINE_SOURCE]
    items = [span for span, (_, source) in listed.items() if source == "rule:org_cue_list"]
    found = [m for m in found if m.label != "ORG" or not _holds_items(text, m, items)]
    found = [m for m in found if m.label != "ORG" or not any(_on_the_line(text, m, span) for span in lines)]
    orgs = sorted((m for m in found if m.label == "ORG"), key=lambda m: m.start)
    orgs = [part for i, m in enumerate(orgs) for part in _list_split(text, m, orgs[i - 1] if i else None)]
    spans = {span: sentence for span, (sentence, _) in listed.items()}  # a new member -> a sentence
    # the members missed between two found, which count as found before a list's tail
    inferred: list[Mention] = []
    for first, second in zip(orgs, orgs[1:]):
        gap = text[first.end : second.start]
        if _joins_members(gap):
            before = LIST_FIRST.search(text, max(0, first.start - 120), first.start)
            before = before if before and _asides_placed(before[1]) else None
            after = LIST_LAST.match(text, second.end)
            if before:
                names = re.finditer(rf"{LIST_NAME}(?={ASIDE},)", before[1])
                spans.update(
                    {(before.start(1) + n.start(), before.start(1) + n.end()): first.sentence for n in names}
                )
            if after:
                spans[after.span(1)] = first.sentence
        middle = LIST_AFTER.match(gap) if gap.startswith((",", " (")) and _asides_placed(gap) else None
        if middle and not _a_person(middle[1], people):
            at = (first.end + middle.start(1), first.end + middle.end(1))
            spans[at] = first.sentence
            inferred.append(Mention("ORG", *at, "rule:org_cue_list", first.sentence))
            last = LIST_LAST.match(text, second.end)  # "A, B, C, and D" with B missed: D too
            if last and not _a_person(last[1], people):
                spans[last.span(1)] = first.sentence
    for m in orgs:  # "a partnership between the University of Nottingham and GlaxoSmithKline"
        party = LIST_LAST.match(text, m.end) if BETWEEN.search(text, max(0, m.start - 16), m.start) else None
        if party and not _before_role(text, party.end(1)) and not _full_name(party[1], people):
            spans[party.span(1)] = m.sentence
    spans.update(_list_tails(text, sorted(orgs + inferred, key=lambda m: m.start)))
    taken = sorted((m.start, m.end) for m in found)  # disjoint, so their ends are in order too
    ends = [end for _, end in taken]

    def free(start: int, end: int) -> bool:
        i = bisect.bisect_right(ends, start)
        return i == len(taken) or taken[i][0] >= end

    added = [
        Mention("ORG", start, end, listed.get((start, end), ("", "rule:org_cue_list"))[1], sentence)
        for (start, end), sentence in _without_overlaps(spans)
        if free(start, end) and _may_be_member(text[start:end])
    ]
    return [m for m in found if m.label != "ORG"] + orgs + added


# The rest of a list after its members found: ", Penso Consulting, Westfield Sportscars and Williams ...";
# not one ending in its acronym, a name of many words ("Control, ..., Surveillance and Reconnaissance (ISR)")
LIST_TAIL = re.compile(
    rf"((?:,\s+{LIST_NAME})*,?\s+and\s+{LIST_NAME})\b(?!\s+(?:and|&)\s+[A-Z]|\s*\([A-Z\d]{{2,}}\))"
)


PLACE_LABELS = {"GPE", "LOC"}
PLACE_LIST_CUE = re.compile(r"\b(?:in|across|throughout|around|near)\s+$")
LIST_RUN = re.compile(rf"{LIST_NAME}(?:{LIST_SEP}{LIST_NAME})+")


def _without_listed_places(
    text: str, found: list[Mention], places: frozenset[tuple[int, int]]
) -> list[Mention]:
    """A list's members share a kind: in a list after "in" with two or more places, or of more places than
    other members, the model's one-word names are places too ("food waste in Christchurch, Nelson, Napier,
    Northland, Dunedin, Queenstown and Auckland"); not a name that heads a list of its places ("Raytheon,
    Tucson, Arizona") or one with a body's head word or legal form."""
    dropped = set()
    for run in LIST_RUN.finditer(text):
        unbracketed = re.sub(r"\([^()]*\)", lambda aside: " " * len(aside[0]), run[0])  # offsets kept
        members = [n.span() for n in re.finditer(LIST_NAME, unbracketed)]
        placed = sum(
            1
            for s, e in members
            if (run.start() + s, run.start() + e) in places or _place_or_town(run[0][s:e])
        )
        cued = PLACE_LIST_CUE.search(text, max(0, run.start() - 12), run.start())
        if placed >= 2 and (cued or 2 * placed > len(members)):
            first = run.start() if cued else run.start() + members[0][1]
            dropped.update(
                id(m) for m in found if _a_bare_name(text, m) and first <= m.start < m.end <= run.end()
            )
    return [m for m in found if id(m) not in dropped]


def _without_table_places(text: str, found: list[Mention]) -> list[Mention]:
    """No organisation of the model's inside a table's column of places ("Communities to be connected":
    "Elmvale, Fergus Hill Estate, ...") or in the header row over it."""
    if "|" not in text:
        return found
    cells = list(_table_column(text, PLACE_HEADER)) + [
        row.span()
        for row in TABLE_ROW.finditer(text)
        if any(PLACE_HEADER.fullmatch(c.strip()) for c in row.group().strip().strip("|").split("|"))
    ]
    return [m for m in found if m.source != "model" or not any(s <= m.start and m.end <= e for s, e in cells)]


def _place_or_town(words: str) -> bool:
    """A country, region or town."""
    return _place(words) or words.lower() in lexicons.lowered("towns")


def _a_bare_name(text: str, m: Mention) -> bool:
    """A one-word organisation of the model's, with no body's head word or legal form."""
    name = text[m.start : m.end]
    return m.label == "ORG" and m.source == "model" and " " not in name and not _ends_a_name(name)


def _joins_members(gap: str) -> bool:
    """Whether the text between two names is a list's separator, with places only in its brackets."""
    return re.fullmatch(LIST_SEP, gap) is not None and _asides_placed(gap)


def _asides_placed(text: str) -> bool:
    """Whether every bracketed aside in a list's text is a place ("Petrobras (Brazil), ..."), not a club of a
    team sheet ("B O'Driscoll (Leinster), ...")."""
    return all(_place(aside) for aside in re.findall(r"\(([^()]*)\)", text))


def _list_tails(text: str, orgs: list[Mention]) -> dict[tuple[int, int], str]:
    """The members of a list that follow three organisations in a row: "led by BMW, CNH Industrial, Ford
    Motor Company, Jaguar Land Rover, Penso Consulting, Westfield Sportscars and Williams Advanced
    Engineering" (the model: the last three a person, a place and a person). After two in a row it would take
    people from lists of nominees and team sheets."""
    out = {}
    for a, b, c in zip(orgs, orgs[1:], orgs[2:]):
        if not all(_joins_members(text[x.end : y.start]) for x, y in ((a, b), (b, c))):
            continue
        tail = LIST_TAIL.match(text, c.end)
        for name in re.finditer(LIST_NAME, tail[1]) if tail else ():
            out[(c.end + name.start(), c.end + name.end())] = c.sentence
    return out


def _recipients(text: str) -> dict[tuple[int, int], tuple[str, str]]:
    """The items of each list of recipients, of parties fined or in brackets after their kind, outside their
    own brackets, of each list one a line and of each table's organisations' column: (the list's own text as
    sentence, the source). A semicolon list's items are whole, whatever commas they hold."""
    out = {}
    for lists, source in (
        (RECIPIENTS, "rule:org_cue_list"),
        (FINED, "rule:org_cue_fined_list"),
        (BRACKETED, "rule:org_cue_bracket_list"),
    ):
        for run in lists.finditer(text):
            start, listed = run.start(1), run.group(1)
            for item in re.finditer(LIST_ITEM, listed):
                if listed.rfind("(", 0, item.start()) <= listed.rfind(")", 0, item.start()):
                    out[(start + item.start(), start + item.end())] = (run.group(), source)
    out.update(dict.fromkeys(_line_listed(text), ("", LINE_SOURCE)))
    out.update(dict.fromkeys(_table_column(text), ("", TABLE_SOURCE)))
    out.update(dict.fromkeys(_cell_lines_column(text), ("", TABLE_SOURCE)))
    for run in SEMICOLON_LISTED.finditer(text):
        out = {(s, e): v for (s, e), v in out.items() if e <= run.start(1) or s >= run.end(1)}
        out.update(dict.fromkeys(_semicolon_items(run), (run.group(), SEMICOLON_SOURCE)))
    return out


# A line announcing a list of organisations, one a line: "The selected companies are:", "The awardees, from
# eight states, are:"
LISTED_KINDS = (
    rf"(?i:{COMPANY_KINDS}|recipients|beneficiaries|contractors|subcontractors|awardees|grantees|bidders"
    r"|signatories|partners|providers)"
)
LINE_LIST_CUE = re.compile(rf"^[^\n]*\b{LISTED_KINDS}\b[^\n]*:[ \t]*\n", re.MULTILINE)
# A sentence announcing the list that follows it, one name a paragraph: "Each of the following companies
# committed to offer ... ."
FOLLOWING_CUE = re.compile(
    rf"^[^\n]*\b[Ff]ollowing\s+(?:[\w-]+\s+){{0,2}}{LISTED_KINDS}\b[^\n]*\.[ \t]*\n", re.MULTILINE
)
BULLET = re.compile(r"[•*·▪-]\s+")
# What ends the name on a list line: its place or description after a dash, comma or colon
LINE_NAME_END = re.compile(r"\s+[–—-]\s+|,\s+|:")
# A seat after "of" at a list line's end: " of Dulles, Virginia"
LINE_SEAT = re.compile(r"\s+of\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}(?:,\s+[A-Z][\w. ]+)?$")
LINE_SOURCE = "rule:org_cue_line_list"


def _on_the_line(text: str, m: Mention, item: tuple[int, int]) -> bool:
    """``m`` starts in a list line's name and runs on past it on its line ("Blue Origin – Kent" of "Blue
    Origin – Kent, Washington"): the line's name replaces it."""
    return item[0] <= m.start < item[1] < m.end and "\n" not in text[item[1] : m.end]


def _line_listed(text: str) -> Iterator[tuple[int, int]]:
    """The name on each line of a list of organisations, one a line, after a line announcing it ("The
    selected companies are:"): up to its place or description ("Blue Origin – Kent, Washington", "Orbital ATK
    of Dulles, Virginia"); lines that describe an item ("One descent element study") are skipped. A list of
    bullets goes on past blank lines and short headings ("British Columbia") to its last bullet, a list of
    awardees and their seats past a blank line before another such line (one a paragraph, as web pages
    copied give them), and a list announced by a sentence ("Each of the following companies committed to
    ...") past a blank line before a short line ("Breezeline")."""
    cues = [(cue, False) for cue in LINE_LIST_CUE.finditer(text)]
    cues += [(cue, True) for cue in FOLLOWING_CUE.finditer(text)]
    for cue, following in cues:
        start, bullets = cue.end(), False
        lines = list(re.finditer(r"^.*$", text[start : start + 4000], re.MULTILINE))
        for i, line in enumerate(lines):
            body = line.group().strip()
            bullet = BULLET.match(body) is not None
            bullets |= bullet
            if not bullet and (bullets and _a_heading(body) or not body and line.start() <= 1):
                continue  # a heading between groups of bullets, or the blank line after the cue
            item = _next_line(lines, i)
            if not body and not bullets and (_an_item_line(item) or following and _a_heading(item)):
                continue  # a blank line between items
            if not body or bullets and not bullet:
                break
            name = _line_name(body)
            if name:
                at = start + line.start() + line.group().index(name)
                yield at, at + len(name)


def _next_line(lines: list[re.Match], i: int) -> str:
    """The next line after ``lines[i]`` that is not blank, stripped."""
    return next((line.group().strip() for line in lines[i + 1 :] if line.group().strip()), "")


def _an_item_line(line: str) -> bool:
    """A line that names an awardee and its seat, as award lists write one a paragraph: "HeroX, Wilmington,
    Delaware", "Capital Consulting Corp., Fairfax, Virginia" (not a heading such as "North East")."""
    return SEATED_ITEM.fullmatch(line) is not None and line[-1] not in ".!?:"


SEATED_ITEM = re.compile(r"[A-Z][^,\n]{0,80}(?:,\s*[A-Z][^,\n]{0,40}){1,3}")


def _a_heading(line: str) -> bool:
    """A blank line or a short heading without a sentence's end ("British Columbia", "Quebec")."""
    return not line or (len(line.split()) <= 5 and line[-1] not in ".!?:" and line[0].isupper())


def _a_seat(words: str) -> bool:
    """A town, maybe with its state: at most three words, or ending in a state or province."""
    return len(words.split()) <= 3 or _region(words.rsplit(",", 1)[-1].strip())


# A table's column of organisations, by its header: "| Organisation | Fuel type | Funding |" (tables as
# trafilatura and GOV.UK's Markdown write them, cells between "|")
TABLE_HEADER = re.compile(
    r"(?i)(?:lead\s+)?(?:(?:(?:service\s+)?provider|organi[sz]ation|compan(?:y|ie)|firm|supplier|vendor|operator"
    r"|recipient|awardee|grantee|applicant|proponent|partner|contractor|lender|borrower|bidder|manufacturer)s?"
    r"|business(?:es)?|beneficiar(?:y|ies))(?:\s+name)?"
)
# A table header over places: "Communities to be connected", "Location", "Region"
PLACE_HEADER = re.compile(
    r"(?i)(?:communit(?:y|ies)|locations?|cit(?:y|ies)|towns?|regions?|provinces?|states?|countries|country"
    r"|places?|areas?|sites?)\b.*"
)
TABLE_SOURCE = "rule:org_cue_table_column"
TABLE_ROW = re.compile(r"^[^\n|]*\|.*$", re.MULTILINE)


def _table_column(text: str, header: re.Pattern = TABLE_HEADER) -> Iterator[tuple[int, int]]:
    """The cells under a table header that names organisations ("Organisation", "Lead applicant", "Provider";
    or another ``header``), row by row to the table's end: each a name when it starts with a capital."""
    rows = list(TABLE_ROW.finditer(text))
    for i, top in enumerate(rows):
        cells = [c.strip() for c in top.group().strip().strip("|").split("|")]
        column = next((k for k, c in enumerate(cells) if header.fullmatch(c)), None)
        if column is None or i and not text[rows[i - 1].end() : top.start()].strip():
            continue  # no organisations' column, or a row of a table whose header came before
        for row in _table_rows(text, rows[i + 1 :], top.end()):
            cell = _table_cell(row, column)
            if cell and cell[2][:1].isupper():
                yield cell[0], cell[1]


def _cell_lines_column(text: str) -> Iterator[tuple[int, int]]:
    """The organisations' column of a table copied from a web page one cell a line: a paragraph of short
    header lines ("Applicant", "Project", "Government co-funding"), then a paragraph a row; a one-line
    sub-heading ("Off-road") is passed over, and the table ends at a paragraph too short for a row (a first
    column's row may run over, as a long description does)."""
    paragraphs = list(re.finditer(r"[^\n]+(?:\n[^\n]+)*", text))
    for i, top in enumerate(paragraphs):
        cells = [c.strip() for c in top.group().split("\n")]
        column = next((k for k, c in enumerate(cells) if TABLE_HEADER.fullmatch(c)), None)
        if column is None or len(cells) < 2 or any(len(c) > 60 for c in cells):
            continue
        for row in paragraphs[i + 1 :]:
            lines = row.group().split("\n")
            if len(lines) == 1 and _a_heading(lines[0].strip()):
                continue
            if len(lines) < len(cells) or column and len(lines) != len(cells):
                break
            cell = lines[column].strip()
            if cell[:1].isupper() and not TABLE_HEADER.fullmatch(cell):
                at = row.start() + sum(len(line) + 1 for line in lines[:column]) + lines[column].index(cell)
                yield at, at + len(cell)


def _table_rows(text: str, rows: list[re.Match], after: int) -> Iterator[re.Match]:
    """The rows that follow a header, line by line or with blank lines between (as the text of a web page
    has them), without the "|---|" rule under it."""
    for row in rows:
        if text[after : row.start()].strip():
            return
        after = row.end()
        if not re.fullmatch(r"[\s|:-]*", row.group()):
            yield row


def _table_cell(row: re.Match, column: int) -> tuple[int, int, str] | None:
    """The start, end and text of a row's cell (counted as the header counts them), stripped."""
    line = row.group()
    bars = [m.start() for m in re.finditer(r"\|", line)]
    edges = (
        ([] if line.lstrip().startswith("|") else [-1])
        + bars
        + ([] if line.rstrip().endswith("|") else [len(line)])
    )
    if column + 1 >= len(edges):
        return None
    raw = line[edges[column] + 1 : edges[column + 1]]
    cell = raw.strip()
    start = row.start() + edges[column] + 1 + (len(raw) - len(raw.lstrip()))
    return (start, start + len(cell), cell) if cell else None


def _line_name(body: str) -> str | None:
    """The name a list line starts with, or None for a line that is no list item: a description ("One
    descent element study"), a table row, or a programme ("Catalyst for Growth (University of Chester –
    Programme)")."""
    body = BULLET.sub("", body, count=1) if BULLET.match(body) else body
    bracket = re.search(r"\(([^()]*)\)", body)
    things = lexicons.words("org_not_heads")
    if "|" in body or "\t" in body or bracket and any(w in things for w in bracket[1].split()):
        return None
    end = LINE_NAME_END.search(body)
    # a field's label ("Project: Effect of ..."), not a seat after a colon ("Draper: Cambridge, Mass.")
    if end and end.group() == ":" and not _a_seat(body[end.end() :].strip()):
        return None
    name = body[: end.start()] if end else body
    if end and end.group().startswith(",") and lexicons.is_legal_form(body[end.end() :].split()[0]):
        name = body[: end.end()] + body[end.end() :].split()[0]  # "Acme, Inc., Dayton, Ohio"
    name = re.sub(r"\s+\([^()]*$", "", name)  # a bracket the name's end cut open
    seat = LINE_SEAT.search(name)
    if seat and not _body_of(name[: seat.end()]):
        name = name[: seat.start()]
    words = name.split()
    if (
        not words
        or len(words) > 8
        or not name[0].isupper()
        or words[0].lower() in STOP_WORDS
        or words[0].lower() in lexicons.mapping("numbers")
        or name[-1] in ".!?"
        or _place(name)
    ):
        return None
    return name


def _semicolon_items(run: re.Match) -> Iterator[tuple[int, int]]:
    """The span of each item of a semicolon list, without a leading "and the", a bracket or a tail."""
    for part in re.finditer(r"[^;]+", run.group(1)):
        item = SEMICOLON_ITEM.match(part.group().strip())
        if item:
            start = run.start(1) + part.start() + len(part.group()) - len(part.group().lstrip())
            tail = ITEM_TAIL.search(item.group(1))
            yield start + item.start(1), start + (item.start(1) + tail.start() if tail else item.end(1))


def _placed_in(text: str, m: Mention, item: tuple[int, int]) -> bool:
    """``m`` is the name in a list item, the rest being its place or a description."""
    return item[0] <= m.start and m.end <= item[1] and PLACE_TAIL.match(text, m.end, item[1]) is not None


def _full_name(name: str, people: frozenset[str]) -> bool:
    """A name the model calls a person or place, of two words or more ("Martin Scorsese")."""
    return " " in name and name in people


def _without_overlaps(spans: dict[tuple[int, int], str]) -> list[tuple[tuple[int, int], str]]:
    """The spans in text order, a shorter one dropped where it overlaps a longer one ("Hunt" of "Mead and
    Hunt")."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda se: (se[0] - se[1], se[0])):
        if all(end <= a or b <= start for a, b in kept):
            kept.append((start, end))
    return [(span, spans[span]) for span in sorted(kept)]


def _may_be_member(name: str) -> bool:
    """Not a sentence word ("However"), a possessive ("Spain's Iberia"; not a body's name such as "Pacific
    Prawn Fishermen's Association"), a person's initial and surname ("D Parks" of a team sheet) nor a job
    title ("National President" of "Lana Payne, National President, Unifor")."""
    possessive = re.search(r"['’]s ", name) and not _ends_a_name(name)
    initial = INITIAL_SURNAME.fullmatch(name)
    role = name.split()[-1].lower() in lexicons.lowered("role_words")
    return name.split()[0].lower() not in STOP_WORDS and not possessive and not initial and not role


BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$")
INITIAL_SURNAME = re.compile(r"[A-Z]\.? [A-Z][\w'’-]+")


def _before_role(text: str, end: int) -> bool:
    """The name ends before a job title: it says where a person works."""
    word = re.match(r"\s+([\w-]+)", text[end : end + 40])
    return bool(word) and word[1].lower() in lexicons.lowered("role_words")


def _list_split(text: str, m: Mention, previous: Mention | None) -> list[Mention]:
    """A span "B and C" right after "A, " is two list members, and so is one right after "between" ("a joint
    venture between Recticel and Greiner Holding AG"), unless it holds another "and" or its first
    part is a place ("Australia and New Zealand Banking Group Limited")."""
    joined = [] if _known(m) else list(re.finditer(r"\s+and\s+", text[m.start : m.end]))
    if joined and _place(text[m.start : m.start + joined[0].start()]):
        return [m]
    listed = previous is not None and re.fullmatch(r",\s+", text[previous.end : m.start])
    if listed and _a_middle_member(text, m):
        return [m]  # "A, Mead and Hunt, B": the "and" is the name's
    between = (
        len(joined) == 1
        and BETWEEN.search(text, max(0, m.start - 12), m.start)
        and not re.match(r"\s+and\s+(?:the\s+)?[A-Z]", text[m.end : m.end + 12])  # the other party follows
        and not _before_role(text, m.end)  # "between Oil and Natural Gas Corporation chairman X"
    )
    if not joined or not (listed or between):
        return [m]
    joined = joined[0]
    return [
        Mention("ORG", m.start, m.start + joined.start(), m.source, m.sentence),
        Mention("ORG", m.start + joined.end(), m.end, m.source, m.sentence),
    ]


def _holds_items(text: str, m: Mention, items: list[tuple[int, int]]) -> bool:
    """Whether a found name holds two or more items of a list of recipients, and so is the list, not a name
    ("organisations including the National Theatre and Royal Shakespeare Company"); items of one word do not
    count ("Marks and Spencer")."""
    held = [(a, b) for a, b in items if m.start <= a and b <= m.end and " " in text[a:b].strip()]
    return not _known(m) and len(held) >= 2


def _a_middle_member(text: str, m: Mention) -> bool:
    """Whether the span stands between two members of a comma list: after ", " and before more members."""
    return (
        text[max(0, m.start - 2) : m.start] == ", "
        and re.match(MORE_MEMBERS, text[m.end : m.end + 60]) is not None
    )


def _headed(name: str, heads: tuple[str, ...]) -> bool:
    words = name.split()
    return len(words) > 1 and words[-1] in heads


def _abbreviates_a_thing(text: str, acronym: str, named: set[str]) -> bool:
    """Whether the article writes an acronym in brackets right after the words it abbreviates, and those words
    hold no body's head word, legal form or place and are no organisation the article names ("Australian
    Consumer Law (ACL)", "Dual Band Radar (DBR)"; not "Competition and Markets Authority (CMA)", "Athletics
    Kenya (AK)", nor "International Business Machines (IBM)" where the model names the company)."""
    for start, end in word_index(text).spans(acronym):
        defined = re.search(r"((?:[\w&’'-]+\s+){0,8}[\w&’'-]+)\s*\(\s*$", text[max(0, start - 200) : start])
        if defined and re.match(r"\s*\)", text[end : end + 5]):
            words = long_form(acronym, defined.group(1).split())
            full, bare = " ".join(words), [re.sub(r"[’']s?$", "", w) for w in words]  # "Operator’s"
            return (
                len(words) > 1
                and all(w[:1].isupper() or w.lower() in LINK_WORDS for w in words)
                and not any(w in NAME_ENDS or lexicons.is_legal_form(w) for w in bare)
                and not _place(words[-1])  # "Athletics Kenya (AK)"
                and not any(full in n or n in full for n in named if " " in n)
            )
    return False


def _known(m: Mention) -> bool:
    """Found in a gazetteer: one name, never cut ("U.S. Immigration and Customs Enforcement")."""
    return m.source.startswith("rule:gazetteer")


def _trusted(m: Mention) -> bool:
    """Found by a rule that names a body by its form ("... Council", "... Ltd"), not by its context."""
    return m.source.startswith("rule:") and not m.source.startswith("rule:org_cue")


def _propagated(
    text: str, names: set[str], found: list[Mention], sentences: list[tuple[int, int]]
) -> list[Mention]:
    """The other whole-word occurrences of ``names`` that overlap no mention found."""
    index = word_index(text, "&-")
    candidates = sorted(
        {span for name in names for span in index.spans(name)}, key=lambda se: (se[0], -se[1])
    )
    taken = sorted((m.start, m.end) for m in found)
    starts = [s for s, _ in sentences]
    added, k, last_end = [], 0, -1
    for start, end in candidates:
        while k < len(taken) and taken[k][1] <= start:
            k += 1
        if start < last_end or (k < len(taken) and taken[k][0] < end):
            continue
        i = bisect.bisect_right(starts, start) - 1
        sentence = sentence_window(text, *sentences[i], start) if i >= 0 else text[start:end]
        added.append(Mention("ORG", start, end, "propagated", sentence))
        last_end = end
    return added


@dataclass
class Organisations:
    """An article's mentions after the organisation stage."""

    mentions: list[Mention]  # every mention, in text order; spans that are no organisation dropped
    names: dict[int, tuple[str, str]]  # start of each organisation mention -> (name, canonical name)


# Cues a person's surname meets as often as a company's name does: a list's member, a business verb's subject
SURNAME_CUES = frozenset({"rule:org_cue_list", "rule:org_cue_business_verb"})


def _drop_cued_surnames(found: list[Mention], names: dict[int, str | None], people: frozenset[str]) -> None:
    """No name for a word that ends a person's full name (``people``) and only those cues took: "charges
    Franklin, Raabe, ..." beside "James E. Franklin", "Hillman raised"; "Ford, the US car company" stays."""
    surnames = {n.rsplit(" ", 1)[1] for n in people if " " in n}
    sources: dict[str, set[str]] = {}
    for m in found:
        if names.get(id(m)):
            sources.setdefault(names[id(m)], set()).add(m.source)
    for m in found:
        if names.get(id(m)) in surnames and sources[names[id(m)]] <= SURNAME_CUES:
            names[id(m)] = None


def resolve_article(
    text: str,
    found: list[Mention],
    sentences: list[tuple[int, int]],
    people: frozenset[str] = frozenset(),
    works: frozenset[str] = frozenset(),
    places: frozenset[tuple[int, int]] = frozenset(),
) -> Organisations:
    """The organisation stage of one article: conjoined names split, each span's name cleaned (or the span
    rejected), every other occurrence of a name taken as that organisation, one canonical name per
    organisation; a generic noun ("the Commission") stands for the one named body it can refer to.
    ``people``: the names the model calls a person or place; ``works``: the titles of works; ``places``: the
    spans the model calls a place."""
    rejects = _article_checks(text)
    found = _without_listed_places(text, found, places)
    found = _without_table_places(text, found)
    found = coordinated(text, split_conjoined(text, split_parts(text, found, people), people), people)
    names = {id(m): _name_at(text, m.start, m.end, _trusted(m), rejects) for m in found if m.label == "ORG"}
    for m in found:  # the party fined that the model names a person in full is one ("fined John Terry")
        if (
            m.source.startswith("rule:org_cue_fined")
            and " " in (names.get(id(m)) or "")
            and names[id(m)] in people
        ):
            names[id(m)] = None
    _drop_cued_surnames(found, names, people)
    named = {n for n in names.values() if n}
    things = {n for n in named if n.isupper() and _abbreviates_a_thing(text, n, named)} | works
    for m in found:  # an acronym of a thing ("Photonics Mast Variant (PMV)"), a title ("film Vera Drake")
        if names.get(id(m)) in things:
            names[id(m)] = None
    spread = {text[m.start : m.end] for m in found if names.get(id(m)) and m.end - m.start > 1}
    added = _propagated(text, spread, found, sentences)
    names.update((id(m), _name_at(text, m.start, m.end, False, rejects)) for m in added)
    found = sorted(found + added, key=lambda m: m.start)
    canonical = canonical_names([names[id(m)] for m in found if names.get(id(m))])
    mentions, resolved = [], {}
    for m in found:
        if m.label == "ORG":
            pair = _resolved(text, m, names[id(m)], canonical)
            if pair is None:
                continue
            resolved[m.start] = pair
        mentions.append(m)
    return Organisations(mentions, resolved)


@Language.component("contract_organisations")
def resolve_organisations(doc: Doc) -> Doc:
    """The organisation stage on the Doc of a whole article: its ORG mentions become the organisations found,
    each with ``span._.name`` and ``span._.canonical`` (also its ``normalized``); the other mentions stay."""
    spans = {(s.start_char, s.end_char): s for s in doc.spans[MENTIONS_KEY]}
    found = [
        Mention(s.label_, s.start_char, s.end_char, s._.source, s._.sentence, s._.partner)
        for s in spans.values()
    ]
    sentences = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else []
    named = doc.spans.get(MODEL_NAMES_KEY, [])
    surnames = {s[-1].text for s in named if s.label_ == "PERSON"}
    people = frozenset(s.text for s in named) | surnames
    works = frozenset(s.text for s in doc.spans.get(WORKS_KEY, []))
    places = frozenset((s.start_char, s.end_char) for s in named if s.label_ in PLACE_LABELS)
    stage = resolve_article(article_text(doc), found, sentences, people, works, places)
    set_mentions(
        doc,
        [
            _organisation(doc, m, *stage.names[m.start]) if m.label == "ORG" else spans[m.start, m.end]
            for m in stage.mentions
        ],
    )
    return doc


def _organisation(doc: Doc, m: Mention, name: str, canonical: str) -> Span:
    """An organisation's span, widened to whole tokens where its name ends inside one (``span._.bounds`` then
    holds the name's own offsets)."""
    span = doc.char_span(m.start, m.end, label="ORG", alignment_mode="expand")
    exact = (span.start_char, span.end_char) == (m.start, m.end)
    span._.source, span._.sentence, span._.bounds = m.source, m.sentence, None if exact else (m.start, m.end)
    span._.name, span._.canonical, span._.normalized = name, canonical, canonical
    return span


def _resolved(text: str, m: Mention, name: str | None, canonical: dict[str, str]) -> tuple[str, str] | None:
    """(name, canonical name) of one organisation mention, or None."""
    if name:
        return name, canonical[name]
    head = generic_head(text[m.start : m.end])
    target = antecedent(head, list(canonical)) if head else None
    if target:
        return head, canonical[target]
    if head in lexicons.words("institutions") and re.search(
        r"\bthe\s+$", text[max(0, m.start - 5) : m.start]
    ):
        return head, head
    return None


# One name per organisation across a run ------------------------------------------------------------------

COUNTRY_PREFIXES = {"us", "u.s.", "uk", "u.k."}  # SPEC section 1: "US Federal Reserve" is "Federal Reserve"
# A short form joins the likeliest long name only if it is used in this many times more articles.
DOMINANCE = 2
# A short form used in more than this many times the articles of the long name it would stand for is a name
# of its own: across the 2,225 BBC articles "NHS" (18 articles) is not "Norfolk High School" (1), while
# "CBI" (8) is the "Confederation of British Industry" (3).
OWN_NAME = 3


def entities(names: Iterable[tuple[str, int, int]]) -> dict[str, str]:
    """{canonical name: entity}: one name per organisation across a run, from (canonical name, mentions,
    articles) triples (a name given twice has its counts added). Joined are names that differ only by case,
    spacing, punctuation, legal form or group word ("WorldCom"/"Worldcom", "Time Warner"/"TimeWarner",
    "Capita plc"/"Capita Group"), a "US"/"UK" prefix ("US Federal Reserve"/"Federal Reserve"), an acronym
    ("IMF"/"International Monetary Fund") or a first word clipped to half or less ("Fed"/"Federal Reserve");
    an acronym or clipping that fits several organisations joins the one named in ``DOMINANCE`` times more
    articles than the next, else none. The entity is the group's full name used in the most articles (then
    mentions, length, alphabet). Pure and independent of input order; memory grows with the number of distinct
    names.

    >>> entities([("Fed", 9, 6), ("Federal Reserve", 5, 4), ("US Federal Reserve", 1, 1), ("WorldCom", 3, 2),
    ...           ("Worldcom", 1, 1), ("Federal Express", 1, 1)])["Fed"]
    'Federal Reserve'
    """
    stats: dict[str, list[int]] = {}
    for name, mentions, articles in names:
        counts = stats.setdefault(name, [0, 0])
        counts[0] += mentions
        counts[1] += articles
    groups = _Groups(sorted(stats))
    by_key: dict[str, str] = {}
    for name in groups.names:
        key = _squeezed(name)
        groups.union(by_key.setdefault(key, name), name)
    prefixed: dict[str, list[str]] = {}  # "Federal Reserve" -> ["US Federal Reserve"]
    for name in groups.names:
        words = name.split()
        if (
            len(words) > 1
            and words[0].lower() in COUNTRY_PREFIXES
            and _squeezed(" ".join(words[1:])) in by_key
        ):
            prefixed.setdefault(by_key[_squeezed(" ".join(words[1:]))], []).append(name)
    for bare, variants in prefixed.items():
        if len({_plain(v.split()[0]) for v in variants}) == 1:  # "US Treasury" and "UK Treasury" are two
            for name in variants:
                groups.union(bare, name)
    long_forms = _LongForms(groups.names)
    named = {_squeezed(n) for n in groups.names if " " in n}  # "LG" is "LG Group", short for nothing else
    for name in (n for n in groups.names if " " not in n and _squeezed(n) not in named):
        candidates = long_forms(name)
        target = _dominant(candidates, groups, stats)
        long_names = [n for n in candidates if target is not None and groups.root(n) == target]
        if target is not None and not _own_name(name, long_names, stats):
            groups.union(target, name, short_form=name)
    return {name: _entity_name(groups.members(name), groups.short_forms, stats) for name in groups.names}


class _Groups:
    """Union-find over names, remembering which names joined as a short form (acronym or clipping)."""

    def __init__(self, names: list[str]):
        self.names = names
        self.parent = {n: n for n in names}
        self.short_forms: set[str] = set()
        self._members: dict[str, list[str]] | None = None

    def root(self, name: str) -> str:
        while self.parent[name] != name:
            self.parent[name] = self.parent[self.parent[name]]
            name = self.parent[name]
        return name

    def union(self, a: str, b: str, short_form: str | None = None) -> None:
        ra, rb = sorted((self.root(a), self.root(b)))
        self.parent[rb] = ra
        if short_form:
            self.short_forms.add(short_form)

    def members(self, name: str) -> list[str]:
        if self._members is None:
            self._members = {}
            for n in self.names:
                self._members.setdefault(self.root(n), []).append(n)
        return self._members[self.root(name)]


def _squeezed(name: str) -> str:
    """A name's key without spaces or hyphens: "Time Warner Inc" and "TimeWarner" -> "timewarner"."""
    return re.sub(r"[\s-]", "", _key(name))


class _LongForms:
    """The names a short form may abbreviate: it spells their initials ("IMF"), or clips their first word
    ("Fed" of "Federal Reserve"); looked up in indexes, not by scanning every name."""

    def __init__(self, names: list[str]):
        self.by_initials: dict[str, list[str]] = {}
        by_first: dict[str, list[str]] = {}
        for name in (n for n in names if " " in n):
            self.by_initials.setdefault(_initials(name), []).append(name)
            by_first.setdefault(name.split()[0], []).append(name)
        self.first_words = sorted(by_first)
        self.by_first = by_first

    def __call__(self, short: str) -> list[str]:
        if ACRONYM.fullmatch(short):  # "M&S" spells "Marks & Spencer", not "Morgan Stanley"
            return [
                n
                for n in self.by_initials.get(short.replace("&", ""), [])
                if ("&" in short) == bool(re.search(r" (?:&|and) ", n))
            ]
        if len(short) < 3 or not short.istitle():
            return []
        i = bisect.bisect_right(self.first_words, short)  # first words that start with it, itself excluded
        found = []
        while i < len(self.first_words) and self.first_words[i].startswith(short):
            if len(self.first_words[i]) >= 2 * len(short):  # a clipping, not a name that begins another
                found += self.by_first[self.first_words[i]]  # ("Ford" is not "Fordham University")
            i += 1
        return found


def _dominant(candidates: list[str], groups: _Groups, stats: dict[str, list[int]]) -> str | None:
    """The candidate group named in ``DOMINANCE`` times more articles than any other, or None."""
    articles: dict[str, int] = {}
    for name in candidates:
        root = groups.root(name)
        articles[root] = articles.get(root, 0) + stats[name][1]
    ranked = sorted(articles.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or (len(ranked) > 1 and ranked[0][1] < DOMINANCE * ranked[1][1]):
        return None
    return ranked[0][0]


def _own_name(short: str, long_names: list[str], stats: dict[str, list[int]]) -> bool:
    """Whether an acronym or clipping is a name of its own: used in more than ``OWN_NAME`` times the articles
    of the names it would stand for ("Apple" in 51 articles is not short for "Applegate's Charity", named
    once)."""
    return stats[short][1] > OWN_NAME * sum(stats[n][1] for n in long_names)


def _entity_name(members: list[str], short_forms: set[str], stats: dict[str, list[int]]) -> str:
    """The group's full name used in the most articles, then mentions, the longest, alphabetically."""
    return min(
        members,
        key=lambda n: (
            n in short_forms,
            _has_country_prefix(n, members),
            -stats[n][1],
            -stats[n][0],
            -len(n),
            n,
        ),
    )


def _has_country_prefix(name: str, members: list[str]) -> bool:
    """Whether ``name`` is a country prefix on another member's name ("US Federal Reserve"), and not a prefix
    that belongs to the name, as an acronym among the members spelling it shows ("UKIP", "UK Independence
    Party")."""
    words = name.split()
    if len(words) < 2 or words[0].lower() not in COUNTRY_PREFIXES or " ".join(words[1:]) not in members:
        return False
    return _initials(name) not in members
