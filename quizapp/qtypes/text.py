"""Normalising short text answers so that trivial differences never cost marks.

`normalise` folds case, drops accents and other diacritics, turns punctuation into
spaces (apostrophes vanish: "Lukashenko's" -> "lukashenkos"), collapses whitespace
and drops a leading article (a, an, the) when more words follow. Both the learner's
text and the teacher's accepted answers go through it, so they compare alike.
"""

from __future__ import annotations

import unicodedata

ARTICLES = frozenset({"a", "an", "the"})
TYPO_MIN_LETTERS = 5
_APOSTROPHES = "'’ʼ‘`´"
# Letters that carry no combining mark in Unicode but that people still type without.
_PLAIN_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i"})


def strip_format_characters(text: str) -> str:
    """`text` without invisible format characters (Unicode category Cf): the soft hyphen,
    zero-width spaces and joiners, direction marks, the byte order mark. Pasted text is
    full of them, and they mean nothing to a reader. Numbers are read through this too
    (`qtypes.numbers`), so text and numbers treat them alike."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def normalise(text: str) -> str:
    """The comparable form of a short answer: "  The Gómel! " -> "gomel"."""
    decomposed = unicodedata.normalize("NFKD", strip_format_characters(text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = bare.casefold().translate(_PLAIN_LETTERS)
    words = "".join(_keep_or_space(ch) for ch in folded).split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def _keep_or_space(ch: str) -> str:
    if ch in _APOSTROPHES:
        return ""
    return " " if unicodedata.category(ch)[0] in "PSZC" else ch


def within_one_edit(a: str, b: str) -> bool:
    """True when one edit at most separates `a` and `b`: a substitution, an insertion,
    a deletion, or two neighbouring letters swapped ("Gomle" for "Gomel"), the commonest
    slip on a keyboard."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    # Skip the common prefix; what remains must differ by one substitution or insertion.
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
        return a[i + 1:] == b[i + 1:] or (swapped and a[i + 2:] == b[i + 2:])
    return a[i:] == b[i + 1:]


def levenshtein(a: str, b: str) -> int:
    """Plain edit distance (insert, delete, substitute), for reports and tests."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def typo_match(response: str, accepted: str) -> bool:
    """Normalised texts equal up to one edit in each word where both the accepted word
    and the typed one have 5+ letters: "Gomell" and "Homel" are taken for "Gomel", but
    not "Gome" or "Omel", which are other, shorter words that happen to be close."""
    given, wanted = response.split(), accepted.split()
    if len(given) != len(wanted):
        return False
    return all(
        g == w or (min(len(w), len(g)) >= TYPO_MIN_LETTERS and within_one_edit(g, w))
        for g, w in zip(given, wanted, strict=True)
    )
