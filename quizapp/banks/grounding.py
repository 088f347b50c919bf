"""Checking evidence against the source articles: is the quote really there?

Source files are read by `quizapp.banks.sources.parse_source`, which states the
paragraph numbering rule (front matter, headings, the byline and date lines are not
paragraphs; every other non-blank line is one, numbered from 1).

Quotes are compared after folding: runs of whitespace become one space, curly
quotes become straight ones, the dashes — – and the non-breaking hyphen become `-`,
and case is ignored. So a teacher can type plain quotes and hyphens.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from quizapp.banks.fingerprint import SourceFingerprint

from quizapp.banks.sources import SourceDocument, parse_source
from quizapp.qtypes import numbers
from quizapp.qtypes.numbers import COMMA_GROUPS, SCALE_WORDS, SPACE_GROUPS
from quizapp.qtypes.text import strip_format_characters

MAX_QUOTE_WORDS = 15

_FOLD_TABLE = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201f": '"', "\u2033": '"',
    "\u2014": "-", "\u2013": "-", "\u2011": "-", "\u2010": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """The form quotes and paragraphs are compared in."""
    return _SPACES.sub(" ", strip_format_characters(text).translate(_FOLD_TABLE)).strip().casefold()


def quote_words(quote: str) -> int:
    return len(quote.split())


def split_paragraphs(text: str) -> tuple[str, ...]:
    """The numbered paragraphs of a source text, as written."""
    return tuple(p.text for p in parse_source(text).paragraphs)


@dataclass(frozen=True)
class SourceText:
    document: SourceDocument
    folded: tuple[str, ...]

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.document.paragraphs)

    def paragraphs_with(self, quote: str) -> list[int]:
        """1-based numbers of the paragraphs containing the quote, after folding."""
        wanted = fold(quote)
        return [n for n, text in enumerate(self.folded, start=1) if wanted and wanted in text]


def source_text(text: str) -> SourceText:
    document = parse_source(text)
    return SourceText(document, tuple(fold(p.text) for p in document.paragraphs))


if TYPE_CHECKING:
    # What a quote can be checked against: the text itself, or its fingerprint.
    Grounds: TypeAlias = SourceText | SourceFingerprint


@lru_cache(maxsize=64)
def _read_source(path: str, mtime_ns: int, size: int) -> SourceText:
    # Keyed by modification time and size, so an edited article is read again.
    return source_text(Path(path).read_text(encoding="utf-8", errors="replace"))


def load_source(path: Path) -> SourceText | SourceFingerprint | None:
    """The source text at `path`, else its fingerprint beside it, else None.

    A fingerprint (see `fingerprint.py`) answers the same questions as the text, so
    banks on articles that cannot be shared are checked all the same.
    """
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is None or not path.is_file():
        from quizapp.banks.fingerprint import fingerprint_path, load_fingerprint

        return load_fingerprint(fingerprint_path(path))
    return _read_source(str(path), stat.st_mtime_ns, stat.st_size)


def sources_folder(sources_dir: str | os.PathLike[str] | None) -> Path | None:
    """The folder to ground against, as a path; None (or "") when none was given.

    The folder is always a parameter: the app passes its SOURCES_DIR setting and
    `quizapp lint` passes `--sources` or the same setting, so one place (config.py)
    reads QUIZAPP_SOURCES_DIR and checking a bank never depends on the environment.
    """
    return Path(sources_dir) if sources_dir else None


# -- numbers in quotes --------------------------------------------------------------
# One list of scale words for quotes and for learners' answers (qtypes.numbers).
_SCALE_WORDS = {word: float(scale) for word, scale in SCALE_WORDS.items()}
_SCALE_PATTERN = "|".join(sorted(_SCALE_WORDS, key=len, reverse=True))
# A number with thousands groups (`1,520`, `1 520`) or plain digits, an optional
# decimal part, then optionally a scale word glued or spaced (`45k`, `30 thousand`).
_NUMBER = re.compile(
    r"(?<![\d.,])(?P<num>" + COMMA_GROUPS + "|" + SPACE_GROUPS + r"|\d+)(?P<frac>\.\d+)?"
    r"(?![\d,]\d)(?:\s?(?P<scale>" + _SCALE_PATTERN + r")\b)?",
    re.IGNORECASE,
)


def numbers_in(text: str) -> set[float]:
    """Every number a quote states, read several ways so none is missed.

    `1,520mm` gives 1520, `7%` gives 7, `30 thousand` gives 30 and 30000, `1 520`
    gives 1520 and also 1 and 520 (a space might separate two numbers).
    """
    found: set[float] = set()
    for match in _NUMBER.finditer(fold(text)):
        digits = match.group("num")
        base = float(digits.replace(",", "").replace(" ", "") + (match.group("frac") or ""))
        found.add(base)
        scale = match.group("scale")
        if scale:
            found.add(base * _SCALE_WORDS[scale.lower()])
        if " " in digits:
            found.update(float(part) for part in digits.split())
    return found


def number_in_quote(value: float, quote: str) -> bool:
    return any(math.isclose(value, n, rel_tol=1e-9, abs_tol=1e-9) for n in numbers_in(quote))


def format_number(value: float) -> str:
    """A number as lint messages and fingerprints write it: `45000`, `1.52`, never grouped
    (`qtypes.numbers.format_number` is the one formatter)."""
    return numbers.format_number(value, plain=True)
