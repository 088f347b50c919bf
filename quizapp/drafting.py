"""Drafting a bank from an article: facts found in the text, questions grounded by
construction.

Everything here is pure: an article's paragraphs in, draft questions (native question
dicts) and a report out. Every draft carries `draft: true` and an `evidence` quote of
at most 15 words cut from its paragraph around the fact, so it passes grounding as
written; a teacher reviews, edits and keeps what is worth keeping.

What is found, in order of value:

* quantities (`30,000 soldiers`, `1,520mm`, `7%`, `roughly 45,000`), read by
  quantulum3, become numeric questions with units, a tolerance suggested by the hedge
  before them and distractors from the article's other figures of the same kind and
  from common slips (a factor of ten);
* dates and periods (`February 16th`, `between March and September`, `in the
  autumn`), found by the patterns below and placed in time by dateparser relative to
  the article's date, become an ordering question over the article's events and
  numeric questions on years;
* names of people, places and organisations with what the article says they are
  (`Gomel, Belarus’s second city`) become matching and short-text questions;
* claims with hedges (`believed to`, `probably`, `ostensibly`) become true/false items
  on whether the article asserts or only reports them;
* per paragraph, a cloze of its sentence richest in facts, one blank per fact,
  flagged `rewrite: true` when seven or more words in a row would still be copied.

Sentences are split by pysbd (rule-based, knows "Mr." and decimals, no model to load).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

MAX_QUOTE_WORDS = 15
MAX_COPIED_RUN = 6  # seven or more words in a row from the article is copying

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_SEASON_MONTH = {"spring": 4, "summer": 7, "autumn": 10, "fall": 10, "winter": 1}
_APPROXIMATE = ("roughly", "around", "about", "some", "nearly", "almost", "approximately",
                "an estimated", "estimated", "up to", "at most", "no more than", "fewer than",
                "less than", "under", "more than", "over", "at least")
_UPPER_BOUNDS = ("up to", "at most", "no more than", "fewer than", "less than", "under")
_LOWER_BOUNDS = ("more than", "over", "at least")
HEDGES = ("believed to", "thought to", "said to", "reported to", "probably", "ostensibly",
          "apparently", "reportedly", "allegedly", "likely", "may", "might", "could",
          "seems to", "appears to")
_STOP = frozenset([
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "he", "her", "his", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she",
    "now", "still", "also", "already", "just", "only", "ago",
    "that", "the", "their", "them", "they", "this", "those", "to", "was", "were", "which",
    "who", "will", "with", "would", "between", "among", "along", "during", "since", "until",
    "than", "then", "there", "these"
])
# Capitalised words that start sentences or name months and days, not things.
_NOT_NAMES = frozenset(_MONTHS) | frozenset([
    "A", "An", "And", "As", "At", "But", "By", "For", "From", "He", "Her", "His", "However",
    "If", "In", "Into", "It", "Its", "Mr", "Ms", "Mrs", "Dr", "Not", "On", "Or", "Our", "She",
    "So", "The", "Their", "Then", "There", "These", "They", "This", "Those", "To", "Unlike",
    "What", "When", "Where", "Which", "While", "Who", "Why", "With", "Even", "After", "Before",
    "Despite", "According", "Only", "Its", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday"
])

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|" \
         r"November|December)"
_YEAR = r"(?:1[89]|20)\d\d"
_DATE_PATTERNS = (
    ("period", re.compile(rf"\b[Bb]etween ({_MONTH}|{_YEAR}) and ({_MONTH}|{_YEAR})"
                          rf"(?: (?:last|this) year| {_YEAR})?")),
    ("day", re.compile(rf"\b{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b(?:,? {_YEAR})?")),
    ("day", re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? {_MONTH}(?:,? {_YEAR})?")),
    ("month", re.compile(rf"\b(?:in |since |until |by |during )?{_MONTH}(?: {_YEAR})?\b")),
    ("season", re.compile(rf"\b(?:in |during |by )?the (?:spring|summer|autumn|fall|winter)"
                          rf"(?: of {_YEAR})?\b")),
    ("year", re.compile(rf"\b(?:(?:at|by) the (?:start|end|beginning|middle) of |in |since )?"
                        rf"{_YEAR}\b")),
    ("relative", re.compile(r"\b(?:last|this|next) year\b")),
)
_CAPITAL_WORD = r"[A-Z][\w’'-]*[a-z][\w’'-]*"
_NAME = re.compile(
    # "Bank of England", "University of Brasília": one word, "of", a name...
    rf"\b(?:(?:The )?[A-Z][a-z]+ of (?:the )?{_CAPITAL_WORD}(?: {_CAPITAL_WORD})*"
    # ...or a run of capitalised words, perhaps after a title. Scanning left to right,
    # "Emily Ferris of the Royal United Services Institute" gives the person, then
    # the institute.
    rf"|(?:(?:Mr|Mrs|Ms|Dr)\.? )?{_CAPITAL_WORD}(?: {_CAPITAL_WORD})*)"
)
_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")
# Single words that describe rather than name: Belarusian, Soviet-era, Western.
_DESCRIBING = re.compile(r"^(?:[A-Z]\w*(?:ian|ern|ese|ish|ic)|\w+-\w+)$")
# Hedges that mark a claim as reported or likely; modal verbs are weaker and commoner.
_STRONG_HEDGES = ("believed to", "thought to", "said to", "reported to", "probably",
                  "ostensibly", "apparently", "reportedly", "allegedly", "likely")
MAX_WEAK_HEDGE_DRAFTS = 2
# Commas and points inside figures ("4,000", "1.5") do not end a phrase.
_PHRASE = r"(?:[^,.;()—]|(?<=\d)[,.](?=\d))"
_PHRASE_END = r"(?:[,.](?!\d)|[;)—])"
_APPOSITIVE = re.compile(r"^,\s+((?:an?|the|one of the|[A-Z][\w’']+’s|[A-Z][\w’']+'s) "
                         rf"{_PHRASE}{{3,60}}?){_PHRASE_END}")
# "a nominally sovereign, ...": an adverb and an adjective, a description cut short.
_CUT_SHORT = re.compile(r"^an? \w+ly \w+$")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_MONEY = re.compile(r"^([£$€])\s?([\d.,]+)\s?(k|m|bn|million|billion)?$", re.IGNORECASE)
_SCALE_NAMES = {"k": "thousand", "m": "million", "million": "million", "bn": "billion",
                "billion": "billion"}
_CURRENCY = {"£": "pound sterling", "$": "dollar", "€": "euro"}
_OF_ORGANISATION = re.compile(rf"^ of (the [A-Z]{_PHRASE}{{3,60}}?){_PHRASE_END}")


@dataclass(frozen=True)
class Article:
    """A source text as drafting sees it: numbered paragraphs and what it is."""

    source_id: str
    title: str
    paragraphs: tuple[str, ...]
    published: date | None = None


@dataclass(frozen=True)
class Fact:
    kind: str  # quantity | date | name | hedge
    paragraph: int
    text: str  # as written in the paragraph
    start: int  # offsets in the paragraph
    end: int
    value: float | None = None
    unit: str | None = None  # quantulum3's unit name, or the counted noun
    entity: str | None = None  # what kind of quantity (length, mass, count...)
    noun: str = ""  # the words after a number that say what was counted
    hedge: str | None = None  # "roughly", "fewer than"...
    when: date | None = None  # for dates, placed in time
    role: str | None = None  # for names, what the article says they are

    @property
    def label(self) -> str:
        return f"{self.kind}: {self.text}" + (f" ({self.role})" if self.role else "")


@dataclass
class Draft:
    question: dict[str, Any]
    facts: list[Fact]
    paragraph: int


@dataclass
class ParagraphReport:
    number: int
    facts: list[Fact] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)


@dataclass
class DraftResult:
    drafts: list[Draft]
    report: list[ParagraphReport]

    def report_text(self) -> str:
        lines = []
        for entry in self.report:
            lines.append(f"Paragraph {entry.number}: {len(entry.facts)} facts, "
                         f"{len(entry.drafts)} drafts")
            lines += [f"  found {fact.label}" for fact in entry.facts]
            lines += [f"  drafted {draft_id}" for draft_id in entry.drafts]
            if entry.facts and not entry.drafts:
                lines.append("  no draft: write questions on this paragraph by hand")
        return "\n".join(lines)


# -- text helpers -------------------------------------------------------------------


@lru_cache(maxsize=256)
def sentences(paragraph: str) -> tuple[tuple[int, int], ...]:
    """(start, end) offsets of each sentence of a paragraph."""
    segmenter = _segmenter()
    spans = tuple((span.start, span.end) for span in segmenter.segment(paragraph))
    return spans or ((0, len(paragraph)),)


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _sentence_of(paragraph: str, start: int) -> tuple[int, int]:
    for span in sentences(paragraph):
        if span[0] <= start < span[1]:
            return span
    return 0, len(paragraph)


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def quote_around(paragraph: str, start: int, end: int,
                 max_words: int = MAX_QUOTE_WORDS) -> str:
    """At most `max_words` words of the paragraph's sentence that contain [start, end),
    without crossing a gap left by a lost link (" , ")."""
    s_start, s_end = _sentence_of(paragraph, start)
    words = [(a + s_start, b + s_start) for a, b in _words(paragraph[s_start:s_end])]
    inside = [i for i, (a, b) in enumerate(words) if b > start and a < end]
    if not inside:
        return paragraph[start:end]
    first, last = inside[0], inside[-1]
    while last - first + 1 < max_words:
        grew = False
        if first > 0 and not _is_gap(paragraph, words[first - 1]):
            first -= 1
            grew = True
        if last - first + 1 < max_words and last + 1 < len(words) \
                and not _is_gap(paragraph, words[last + 1]):
            last += 1
            grew = True
        if not grew:
            break
    text = paragraph[words[first][0]:words[last][1]]
    return text.strip(" ,;:—(").rstrip(" ,;:—(")


def _is_gap(paragraph: str, word: tuple[int, int]) -> bool:
    return paragraph[word[0]:word[1]] in (",", "—", "(", ")") or \
        paragraph[word[0]:word[1]].startswith("(")


def copied_run(text: str, source: str) -> int:
    """The longest run of words in `text` that stands in `source` word for word."""
    norm = [w.strip(".,;:!?“”\"'()—").lower() for w in text.split()]
    src = [w.strip(".,;:!?“”\"'()—").lower() for w in source.split()]
    positions: dict[str, list[int]] = {}
    for i, word in enumerate(src):
        positions.setdefault(word, []).append(i)
    best = 0
    for i in range(len(norm)):
        for j in positions.get(norm[i], ()):
            length = 0
            while (i + length < len(norm) and j + length < len(src)
                   and norm[i + length] == src[j + length] and norm[i + length]):
                length += 1
            best = max(best, length)
    return best


def _words_before(paragraph: str, start: int, count: int) -> str:
    s_start, _ = _sentence_of(paragraph, start)
    before = paragraph[s_start:start].split()
    return " ".join(before[-count:])


# -- finding facts ------------------------------------------------------------------


def find_quantities(article: Article) -> list[Fact]:
    import warnings

    with warnings.catch_warnings():
        # Without scikit-learn it says its optional classifier is missing; the rules
        # that read "30,000 soldiers" and "1,520mm" need none.
        warnings.simplefilter("ignore", UserWarning)
        from quantulum3 import parser as quantities

    facts: list[Fact] = []
    for number, paragraph in enumerate(article.paragraphs, start=1):
        for found in quantities.parse(paragraph):
            start, end = found.span
            surface = paragraph[start:end]
            if not re.search(r"\d", surface) or re.fullmatch(_YEAR, surface.strip()) \
                    or _ORDINAL.match(surface.strip()):
                continue  # number words ("two"), years and days of the month (dates)
            value, unit_name, entity = float(found.value), found.unit.name, \
                found.unit.entity.name
            if (money := _MONEY.match(surface.strip())) is not None:
                # "£2m" is two million pounds, not two metres; the answer is the figure
                # as written (2, in millions), the number its quote states.
                value = float(money.group(2).replace(",", ""))
                scale = (money.group(3) or "").lower()
                unit_name = _SCALE_NAMES.get(scale, _CURRENCY[money.group(1)])
                entity = f"currency {unit_name}"
            elif " per " in unit_name or re.search(r"\s(?:a|an)\s", surface):
                # "120 a decade ago": a count, not a rate.
                number_part = re.match(r"[\d.,]+", surface)
                if number_part is None:
                    continue
                end = start + number_part.end()
                surface = number_part.group(0)
                value = float(surface.replace(",", ""))
                unit_name, entity = "dimensionless", "dimensionless"
            noun = _counted_noun(paragraph[end:]) if unit_name == "dimensionless" else ""
            unit = noun.split()[-1] if noun else unit_name
            facts.append(Fact(
                "quantity", number, surface, start, end, value=value,
                unit=unit, entity=entity if not noun else f"count of {unit}",
                noun=noun or _unit_words(paragraph[end:], unit_name),
                hedge=_hedge_before(paragraph[:start]),
            ))
    return facts


def _counted_noun(after: str) -> str:
    """`30,000 soldiers—along...` -> "soldiers"; `100 Soviet-era tanks and` -> "Soviet-era
    tanks"."""
    words: list[str] = []
    for token in re.findall(r"[\w’'-]+|[^\w\s]", after)[:3]:
        if not re.fullmatch(r"[\w’'-]+", token) or token.lower() in _STOP:
            break  # punctuation or a little word ends the phrase
        words.append(token)
    return " ".join(words)


def _unit_words(after: str, unit_name: str) -> str:
    match = re.match(r"\s*of (?:the |a |an |their |its )?([a-z][\w-]*)", after)
    return match.group(1) if match else ""


def _hedge_before(before: str) -> str | None:
    tail = before.lower().rstrip()[-20:]
    for hedge in sorted(_APPROXIMATE, key=len, reverse=True):
        if re.search(rf"\b{hedge}$", tail):
            return hedge
    return None


def find_dates(article: Article) -> list[Fact]:
    facts: list[Fact] = []
    for number, paragraph in enumerate(article.paragraphs, start=1):
        taken: list[tuple[int, int]] = []
        for kind, pattern in _DATE_PATTERNS:
            for match in pattern.finditer(paragraph):
                start, end = match.span()
                if any(a < end and start < b for a, b in taken):
                    continue
                if kind == "month" and match.group(0) == "May" and not re.match(
                        r"\s+(?:\d|of)", paragraph[end:]):
                    continue  # the verb "may" at a sentence start
                taken.append((start, end))
                facts.append(Fact("date", number, match.group(0), start, end,
                                  when=place_in_time(match.group(0), article.published),
                                  value=_year_value(match.group(0))))
    return sorted(facts, key=lambda f: (f.paragraph, f.start))


def _year_value(text: str) -> float | None:
    match = re.search(_YEAR, text)
    return float(match.group(0)) if match else None


def place_in_time(expression: str, published: date | None) -> date | None:
    """When an expression points to, read from the article's date: "in November" in a
    March 2023 article is November 2022; "last year" is the year before."""
    base = datetime.combine(published or date.today(), datetime.min.time())
    text = expression.lower()
    if "last year" in text:
        year = base.year - 1
        month = re.search(_MONTH.lower(), text)
        return date(year, _MONTHS.index(month.group(0).title()) + 1 if month else 1, 1)
    year_only = re.fullmatch(rf"(?:(?:at|by) the (start|end|beginning|middle) of |in |since )?"
                             rf"({_YEAR})", text)
    if year_only:
        part = year_only.group(1) or "start"
        return date(int(year_only.group(2)), {"end": 12, "middle": 7}.get(part, 1), 1)
    season = next((s for s in _SEASON_MONTH if s in text), None)
    if season:
        year_match = re.search(_YEAR, text)
        season_month = _SEASON_MONTH[season]
        year = int(year_match.group(0)) if year_match else (
            base.year if season_month <= base.month else base.year - 1)
        return date(year, season_month, 1)
    import dateparser

    cleaned = re.sub(r"\b(?:in|on|since|until|by|during|between|at|the|start|end|"
                     r"beginning|middle|of)\b", " ", expression, flags=re.IGNORECASE)
    cleaned = cleaned.split(" and ")[0]
    parsed = dateparser.parse(cleaned.strip(), languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first",
    })
    return parsed.date() if parsed else None


def find_names(article: Article) -> list[Fact]:
    facts: list[Fact] = []
    for number, paragraph in enumerate(article.paragraphs, start=1):
        for match in _NAME.finditer(paragraph):
            start = match.start()
            words = _POSSESSIVE.sub("", match.group(0)).split()
            while words and words[0] in _NOT_NAMES and not (
                    words[0] in ("Mr", "Mrs", "Ms", "Dr") and len(words) > 1):
                start = paragraph.index(words[1], start) if len(words) > 1 else start
                words = words[1:]
            if not words:
                continue
            text = " ".join(words)
            if len(words) == 1 and (start in {a for a, _ in sentences(paragraph)}
                                    or _DESCRIBING.match(text)):
                continue  # a sentence's first word, or a word like "Belarusian"
            after = paragraph[start + len(text):]
            role = None
            if (appositive := _APPOSITIVE.match(after)) is not None \
                    and not _CUT_SHORT.match(appositive.group(1)):
                # "a nominally sovereign, ..." is a description cut short, not a role.
                role = appositive.group(1).strip()
            elif (organisation := _OF_ORGANISATION.match(after)) is not None:
                role = "of " + organisation.group(1).strip()
            facts.append(Fact("name", number, text, start, start + len(text), role=role))
    return facts


def find_hedges(article: Article) -> list[Fact]:
    facts: list[Fact] = []
    for number, paragraph in enumerate(article.paragraphs, start=1):
        for start, end in sentences(paragraph):
            sentence = paragraph[start:end]
            for hedge in HEDGES:
                match = re.search(rf"\b{hedge}\b", sentence)
                if match is not None:
                    facts.append(Fact("hedge", number, hedge, start + match.start(),
                                      start + match.end(), hedge=hedge))
                    break
    return facts


def find_facts(article: Article) -> list[Fact]:
    dates = find_dates(article)
    # "3 May 2021": the 3 is part of a date, not a quantity.
    quantities = [q for q in find_quantities(article)
                  if not any(d.paragraph == q.paragraph and d.start < q.end and q.start < d.end
                             for d in dates)]
    return quantities + dates + find_names(article) + find_hedges(article)


# -- drafting questions -------------------------------------------------------------


class _Ids:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, *parts: str) -> str:
        base = "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts if p)
        base = base[:60].strip("-") or "draft"
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate


def _evidence(article: Article, fact: Fact) -> dict[str, Any]:
    paragraph = article.paragraphs[fact.paragraph - 1]
    return {"source": article.source_id, "paragraph": fact.paragraph,
            "quote": quote_around(paragraph, fact.start, fact.end)}


def _base(question_id: str, kind: str, prompt: str, explanation: str, evidence: dict[str, Any],
          skill: str) -> dict[str, Any]:
    return {"id": question_id, "type": kind, "prompt": prompt, "explanation": explanation,
            "evidence": evidence, "skill": skill, "draft": True}


def _plain_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _unit_map(fact: Fact) -> dict[str, float]:
    known: dict[str, dict[str, float]] = {
        "millimetre": {"mm": 1, "cm": 10, "m": 1000},
        "centimetre": {"cm": 1, "mm": 0.1, "m": 100},
        "metre": {"m": 1, "km": 1000, "cm": 0.01},
        "kilometre": {"km": 1, "m": 0.001},
        "tonne": {"tonnes": 1, "t": 1, "tons": 1},
        "kilogram": {"kg": 1, "t": 1000},
        "percentage": {"%": 1, "percent": 1},
        "dollar": {"$": 1, "dollars": 1},
        "thousand": {"thousand": 1, "k": 1},
        "million": {"million": 1, "m": 1},
        "billion": {"billion": 1, "bn": 1},
    }
    if fact.unit in known:
        return known[fact.unit]
    if fact.noun:
        return {fact.noun.split()[-1].lower(): 1}
    return {}


def draft_quantity(article: Article, fact: Fact, others: Sequence[Fact], ids: _Ids) -> Draft:
    paragraph = article.paragraphs[fact.paragraph - 1]
    value = float(fact.value or 0)
    before = _words_before(paragraph, fact.start, 7)
    unit_text = re.sub(r"^[\d.,\s]+", "", fact.text)
    glued = unit_text and not fact.text[len(fact.text) - len(unit_text) - 1].isspace()
    gap = "___" + ("" if glued or not unit_text else " ") + unit_text
    if fact.noun and fact.noun not in unit_text:
        gap += (" of " if unit_text and fact.unit != "percentage" else " ") + fact.noun
    prompt = f"Paragraph {fact.paragraph} says: “…{before} {gap}…”. What figure belongs in the gap?"
    rule: dict[str, Any] = {"value": value}
    note = ""
    if fact.hedge in _UPPER_BOUNDS:
        note = f" The article gives it as an upper bound (“{fact.hedge}”)."
    elif fact.hedge in _LOWER_BOUNDS:
        note = f" The article gives it as a lower bound (“{fact.hedge}”)."
    elif fact.hedge:
        rule["tolerance_percent"] = 10.0
        note = f" The article hedges it (“{fact.hedge}”), so answers within 10% count."
    tolerance = abs(value) * 0.1 if "tolerance_percent" in rule else 0.0
    distractors: list[dict[str, Any]] = []
    for other in others:
        if other is fact or other.entity != fact.entity or other.value is None:
            continue
        if abs(other.value - value) <= tolerance or any(d["value"] == other.value
                                                         for d in distractors):
            continue
        distractors.append({"value": other.value, "fraction": 0.0, "feedback":
                            f"That is another figure in the article (paragraph "
                            f"{other.paragraph}: {other.text})."})
        if len(distractors) == 2:
            break
    for slip in (value * 10, value / 10):
        if slip.is_integer() and slip and not any(d["value"] == slip for d in distractors):
            distractors.append({"value": slip, "fraction": 0.0,
                                "feedback": "Check the number of zeros."})
    question = _base(
        ids.make("figure", f"p{fact.paragraph}", fact.noun, fact.text),
        "numeric", prompt,
        f"The article gives {fact.text} {fact.noun}".rstrip() + "." + note,
        _evidence(article, fact), "recall",
    )
    question["answers"] = [rule, *distractors]
    units = _unit_map(fact)
    if units:
        question["units"] = units
    return Draft(question, [fact], fact.paragraph)


def draft_year(article: Article, fact: Fact, ids: _Ids) -> Draft:
    paragraph = article.paragraphs[fact.paragraph - 1]
    year = float(fact.value or 0)
    start = paragraph.index(_plain_number(year), fact.start)
    before = _words_before(paragraph, start, 7)
    prompt = (f"Paragraph {fact.paragraph} says: “…{before} ___…”. Which year belongs "
              "in the gap?")
    evidence = _evidence(article, fact)
    question = _base(ids.make("year", f"p{fact.paragraph}", _plain_number(year)), "numeric",
                     prompt, f"The article says {fact.text}.", evidence, "recall")
    question["answers"] = [{"value": year},
                           {"value": year - 1, "fraction": 0.0, "feedback": "A year too early."},
                           {"value": year + 1, "fraction": 0.0, "feedback": "A year too late."}]
    return Draft(question, [fact], fact.paragraph)


def _event_text(article: Article, fact: Fact) -> str:
    """A few words saying what happened at a date: the clause right after the date, or
    the one before it when the date ends its sentence."""
    paragraph = article.paragraphs[fact.paragraph - 1]
    s_start, s_end = _sentence_of(paragraph, fact.start)
    after = _clause(paragraph[fact.end:s_end].lstrip(" ,;:—"))
    before = " ".join(_CLAUSE_BREAK.split(paragraph[s_start:fact.start])[-1].split()
                      [-MAX_COPIED_RUN:])
    ranked = [after] if after and after.split()[0].lower() not in _STOP else []
    ranked += [before, after]
    chosen = next((c for c in ranked if len(c.split()) >= 3), max(ranked, key=len))
    return _capital(chosen) + "…"


# Punctuation that ends a clause; not the comma or point inside "30,000" or "1.5".
_CLAUSE_BREAK = re.compile(r"(?<!\d)[,.](?!\d)|[;:—(]")


def _clause(text: str) -> str:
    clause = _CLAUSE_BREAK.split(text)[0]
    return " ".join(clause.split()[:MAX_COPIED_RUN])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def draft_ordering(article: Article, dates: Sequence[Fact], ids: _Ids) -> Draft | None:
    placed = sorted((f for f in dates if f.when is not None), key=lambda f: f.when or date.min)
    events: list[Fact] = []
    for fact in placed:
        if all(fact.when != e.when for e in events):
            events.append(fact)
    if len(events) < 3:
        return None
    events = events[:6]
    items = [_event_text(article, e) for e in events]
    if len(set(items)) != len(items):
        return None
    question = _base(ids.make("order", "events"), "ordering",
                     "Put these moments from the article in the order they happened.",
                     "In time order: " + "; ".join(f"{e.text} (paragraph {e.paragraph})"
                                                    for e in events) + ".",
                     _evidence(article, events[0]), "recall")
    question["items"] = items
    return Draft(question, list(events), events[0].paragraph)


def _name_variants(name: str) -> list[str]:
    words = name.split()
    variants = [name]
    if words[0] in ("Mr", "Mrs", "Ms", "Dr") and len(words) > 1:
        variants.append(" ".join(words[1:]))
    elif len(words) == 2 and words[0][0].isupper() and words[1][0].isupper():
        variants.append(words[1])
    return variants


def draft_name(article: Article, fact: Fact, ids: _Ids) -> Draft:
    role = fact.role or ""
    asked = (f"Who does paragraph {fact.paragraph} name as being {role}?"
             if role.startswith("of ") else
             f"Who or what does paragraph {fact.paragraph} describe as “{role}”?")
    question = _base(ids.make("who", f"p{fact.paragraph}", fact.text), "short_text", asked,
                     f"The article names {fact.text}, {fact.role}.",
                     _evidence(article, fact), "recall")
    question["answers"] = [{"accept": _name_variants(fact.text)}]
    question["typo_tolerance"] = True
    return Draft(question, [fact], fact.paragraph)


def draft_matching(article: Article, names: Sequence[Fact], ids: _Ids) -> Draft | None:
    pairs: list[dict[str, str]] = []
    used: list[Fact] = []
    for fact in names:
        role = fact.role or ""
        if role and all(p["left"] != fact.text and p["right"] != role for p in pairs):
            pairs.append({"left": fact.text, "right": role[:1].upper() + role[1:]})
            used.append(fact)
    if len(pairs) < 3:
        return None
    pairs = pairs[:6]
    question = _base(ids.make("match", "names"), "matching",
                     "Match each name in the article with what the article says it is.",
                     "; ".join(f"{p['left']}: {p['right'].lower()}" for p in pairs) + ".",
                     _evidence(article, used[0]), "recall")
    question["pairs"] = pairs
    return Draft(question, used[: len(pairs)], used[0].paragraph)


def draft_hedge(article: Article, fact: Fact, ids: _Ids) -> Draft | None:
    paragraph = article.paragraphs[fact.paragraph - 1]
    _, s_end = _sentence_of(paragraph, fact.start)
    claim_words = paragraph[fact.end:s_end].split()[:10]
    claim = " ".join(claim_words).strip(" ,;:.—")
    if len(claim_words) < 3:
        return None
    question = _base(
        ids.make("hedge", f"p{fact.paragraph}", fact.text), "true_false",
        f"True or false: paragraph {fact.paragraph} presents this as established fact, "
        f"without hedging: “…{claim}…”.",
        f"The article hedges the claim with “{fact.text}”: it reports it as likely or "
        "believed, not as certain.",
        {"source": article.source_id, "paragraph": fact.paragraph,
         "quote": quote_around(paragraph, fact.start, fact.end)},
        "evidence",
    )
    question["answer"] = False
    question["feedback_true"] = f"Look again at “{fact.text}” in that sentence."
    return Draft(question, [fact], fact.paragraph)


def draft_cloze(article: Article, number: int, facts: Sequence[Fact], ids: _Ids) -> Draft | None:
    """The paragraph's sentence with the most facts, one blank per fact."""
    paragraph = article.paragraphs[number - 1]
    usable = [f for f in facts if f.kind in ("quantity", "name")
              or (f.kind == "date" and f.value is not None)]
    by_sentence: dict[tuple[int, int], list[Fact]] = {}
    for fact in usable:
        by_sentence.setdefault(_sentence_of(paragraph, fact.start), []).append(fact)
    if not by_sentence:
        return None
    span, candidates = max(by_sentence.items(), key=lambda item: (
        sum(f.kind != "name" for f in item[1]), sum(bool(f.role) for f in item[1]),
        len(item[1]), -item[0][0]))
    chosen = _within_one_quote(paragraph, sorted(candidates, key=_blank_value))
    text, blanks, cursor = "", {}, span[0]
    for index, fact in enumerate(chosen, start=1):
        if fact.start < cursor:
            continue
        name = f"b{index}"
        text += paragraph[cursor:fact.start] + "{{" + name + "}}"
        cursor = fact.end
        blanks[name] = _blank(fact)
    text += paragraph[cursor:span[1]]
    text = _trim_around_blanks(re.sub(r"\s*\([^)]*\)", "", text).strip())
    question = _base(ids.make("cloze", f"p{number}"), "cloze",
                     f"Fill in the blanks from paragraph {number}.",
                     f"Paragraph {number} gives " + ", ".join(f.text for f in chosen) + ".",
                     {"source": article.source_id, "paragraph": number,
                      "quote": quote_around(paragraph, chosen[0].start, chosen[-1].end)},
                     "recall")
    question["text"] = text
    question["blanks"] = blanks
    plain = re.sub(r"\{\{\w+\}\}", " | ", text)
    if max((copied_run(part, paragraph) for part in plain.split("|")), default=0) \
            > MAX_COPIED_RUN:
        question["rewrite"] = True
    return Draft(question, list(chosen), number)


def _trim_around_blanks(text: str, context: int = 4) -> str:
    """Only a few words either side of the blanks: shorter to read, less copied."""
    words = text.split(" ")
    marked = [i for i, w in enumerate(words) if "{{" in w]
    first, last = max(marked[0] - context, 0), min(marked[-1] + context, len(words) - 1)
    trimmed = " ".join(words[first:last + 1]).strip(" ,;:—")
    trimmed = _capital(trimmed) if first == 0 else trimmed
    return ("…" if first > 0 else "") + trimmed + ("…" if last < len(words) - 1 else "")


def _blank_value(fact: Fact) -> tuple[int, int]:
    """Figures and dates make the best blanks, then names the article explains."""
    return ({"quantity": 0, "date": 1}.get(fact.kind, 3 if not fact.role else 2), fact.start)


def _within_one_quote(paragraph: str, facts: Sequence[Fact]) -> list[Fact]:
    """Up to three facts, in text order, that one evidence quote can hold."""
    chosen: list[Fact] = []
    for fact in facts:
        trial = sorted([*chosen, fact], key=lambda f: f.start)
        words = len(paragraph[trial[0].start:trial[-1].end].split())
        if words <= MAX_QUOTE_WORDS and all(f.end <= g.start or g.end <= f.start
                                            for f in chosen for g in [fact]):
            chosen = trial
        if len(chosen) == 3:
            break
    return chosen


def _blank(fact: Fact) -> dict[str, Any]:
    if fact.kind == "name":
        return {"type": "short_text", "answers": [{"accept": _name_variants(fact.text)}],
                "typo_tolerance": True}
    value = float(fact.value or 0)
    blank: dict[str, Any] = {"type": "numeric", "answers": [{"value": value}]}
    units = _unit_map(fact) if fact.kind == "quantity" else {}
    if units:
        blank["units"] = units
    return blank


def draft_bank(article: Article, *, max_questions: int | None = None) -> DraftResult:
    """Every draft the article supports, most valuable kinds first, and the report."""
    facts = find_facts(article)
    ids = _Ids()
    quantities = [f for f in facts if f.kind == "quantity"]
    dates = [f for f in facts if f.kind == "date"]
    names = _first_mentions([f for f in facts if f.kind == "name"])
    hedges = [f for f in facts if f.kind == "hedge"]
    drafts: list[Draft] = [draft_quantity(article, f, quantities, ids) for f in quantities]
    ordering = draft_ordering(article, dates, ids)
    drafts += [ordering] if ordering else []
    drafts += [draft_year(article, f, ids) for f in _unique_years(dates)]
    matching = draft_matching(article, names, ids)
    drafts += [matching] if matching else []
    drafts += [draft_name(article, f, ids) for f in names if f.role]
    strong = [f for f in hedges if f.hedge in _STRONG_HEDGES]
    weak = [f for f in hedges if f.hedge not in _STRONG_HEDGES][:MAX_WEAK_HEDGE_DRAFTS]
    drafts += [d for f in strong + weak if (d := draft_hedge(article, f, ids)) is not None]
    for number in range(1, len(article.paragraphs) + 1):
        cloze = draft_cloze(article, number, [f for f in facts if f.paragraph == number], ids)
        if cloze is not None:
            drafts.append(cloze)
    if max_questions is not None:
        drafts = drafts[:max_questions]
    report = [ParagraphReport(n) for n in range(1, len(article.paragraphs) + 1)]
    for fact in facts:
        report[fact.paragraph - 1].facts.append(fact)
    for draft in drafts:
        report[draft.paragraph - 1].drafts.append(draft.question["id"])
    return DraftResult(drafts, report)


def _first_mentions(names: Iterable[Fact]) -> list[Fact]:
    """Each name once: its mention with a role if any, else its first."""
    chosen: dict[str, Fact] = {}
    for fact in names:
        if fact.text not in chosen or (fact.role and not chosen[fact.text].role):
            chosen[fact.text] = fact
    return sorted(chosen.values(), key=lambda f: (f.paragraph, f.start))


def _unique_years(dates: Iterable[Fact]) -> list[Fact]:
    seen: set[float] = set()
    years = []
    for fact in dates:
        if fact.value is not None and fact.value not in seen and re.search(_YEAR, fact.text):
            seen.add(fact.value)
            years.append(fact)
    return years


# -- reading an article, writing a bank -----------------------------------------------


@dataclass(frozen=True)
class ArticleInfo:
    """What a bank's `sources:` entry says about the article."""

    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    url: str | None = None


def article_info(text: str) -> ArticleInfo:
    """The title, publisher, date and link a source text states: YAML front matter
    first, then the first `# ` heading for the title and a `> Mar 17th 2023` line for
    the date."""
    front = _front_matter(text)
    title = front.get("title") or next(
        (line[2:].strip() for line in text.splitlines() if line.startswith("# ")), None)
    published = _as_date(front.get("date"))
    if published is None:
        line = next((ln for ln in text.splitlines()
                     if ln.startswith(">") and re.search(_YEAR, ln)), None)
        published = _as_date(line.lstrip("> ").strip()) if line else None
    return ArticleInfo(title, front.get("publisher"), published, front.get("url"))


def _front_matter(text: str) -> dict[str, Any]:
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---", 4)
    if end == -1:
        return {}
    from ruamel.yaml import YAML

    try:
        data = YAML(typ="safe").load(text[4:end])
    except Exception:  # a broken header is the linter's to report, not drafting's
        return {}
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        import dateparser

        parsed = dateparser.parse(value, languages=["en"])
        return parsed.date() if parsed else None
    return None


def bank_document(result: DraftResult, *, bank_id: str, title: str,
                  source: dict[str, Any]) -> dict[str, Any]:
    """The bank around the drafts: its source, and every draft question."""
    return {"id": bank_id, "title": title, "sources": [source],
            "questions": [d.question for d in result.drafts]}
