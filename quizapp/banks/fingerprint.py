"""Fingerprints of source texts: checking quotes against an article that cannot be shared.

A fingerprint stands in for a source text that may not be copied (a newspaper
article): it keeps, per paragraph, salted hashes of every run of `RUN_WORDS`
consecutive words and the numbers the paragraph states, plus the paragraph count.
A quote is in a paragraph when every run of its words is among the paragraph's
hashes and every number it states is among the paragraph's numbers.

The article cannot be read back from it:

* no word is stored, only hashes of word runs, salted with a random key per file,
  so precomputed tables are useless;
* hashes are cut to `HASH_BITS` bits, so about one guess in 500 matches a
  paragraph's set by chance. Rebuilding a paragraph word by word from a
  dictionary of 50,000 words leaves about a hundred candidates at every step,
  which compound; checking a real quote is unaffected, since a wrong quote must
  match several runs by chance at once (a changed word inside a quote changes
  three runs: about one chance in ten million);
* each paragraph's hashes are stored sorted, so the order of the runs is gone.

Numbers are stored plainly: they are facts, not the article's wording.

Comparisons use the words of the folded text (see `grounding.fold`) and ignore
punctuation, so a quote must consist of whole words, at least `RUN_WORDS` of them.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.banks import grounding

FORMAT = "quizapp-source-fingerprint"
VERSION = 1
RUN_WORDS = 3
HASH_BITS = 16
SALT_BYTES = 16
SUFFIX = ".fingerprint.json"
_WORD = re.compile(r"\w+")


class FingerprintError(ValueError):
    """A fingerprint file that cannot be used, worded for the person who made it."""


def fingerprint_path(source: Path) -> Path:
    """Where the fingerprint of `source` is kept: beside it, `<stem>.fingerprint.json`."""
    return source.with_name(source.stem + SUFFIX)


def words_of(text: str) -> list[str]:
    """The words of a text as fingerprints compare them: folded, punctuation dropped."""
    return _WORD.findall(grounding.fold(text))


def _run_hash(salt: bytes, run: Sequence[str]) -> int:
    digest = hashlib.blake2b("\x1f".join(run).encode(), key=salt, digest_size=8).digest()
    return int.from_bytes(digest, "big") >> (64 - HASH_BITS)


def run_hashes(salt: bytes, words: Sequence[str]) -> set[int]:
    return {_run_hash(salt, words[i:i + RUN_WORDS]) for i in range(len(words) - RUN_WORDS + 1)}


@dataclass(frozen=True)
class ParagraphPrint:
    runs: frozenset[int]
    numbers: frozenset[float]


@dataclass(frozen=True)
class SourceFingerprint:
    """Answers what `grounding.SourceText` answers: how many paragraphs, which hold a quote."""

    salt: bytes
    paragraphs: tuple[ParagraphPrint, ...]

    def paragraphs_with(self, quote: str) -> list[int]:
        """1-based numbers of the paragraphs holding every word run and number of the quote.

        A quote of fewer than `RUN_WORDS` words has no run to look for and is found nowhere.
        """
        wanted = run_hashes(self.salt, words_of(quote))
        if not wanted:
            return []
        numbers = grounding.numbers_in(quote)
        return [n for n, paragraph in enumerate(self.paragraphs, start=1)
                if wanted <= paragraph.runs and numbers <= paragraph.numbers]

    def to_json(self, source_name: str) -> str:
        document: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "source": source_name,
            "run_words": RUN_WORDS,
            "hash_bits": HASH_BITS,
            "salt": self.salt.hex(),
            "paragraphs": [
                {"runs": sorted(p.runs),
                 "numbers": [grounding.format_number(n) for n in sorted(p.numbers)]}
                for p in self.paragraphs
            ],
        }
        # One paragraph a line: short enough to read, diff and review.
        paragraphs = document.pop("paragraphs")
        head = json.dumps(document, indent=1)[:-2]
        body = ",\n  ".join(json.dumps(p, separators=(",", ":")) for p in paragraphs)
        return f'{head},\n "paragraphs": [\n  {body}\n ]\n}}\n'



def fingerprint_text(text: str, salt: bytes | None = None) -> SourceFingerprint:
    """The fingerprint of a source text, paragraphs numbered as `grounding` numbers them."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    paragraphs = tuple(
        ParagraphPrint(frozenset(run_hashes(salt, words_of(paragraph))),
                       frozenset(grounding.numbers_in(paragraph)))
        for paragraph in grounding.split_paragraphs(text)
    )
    return SourceFingerprint(salt, paragraphs)


def parse_fingerprint(data: Any) -> SourceFingerprint:
    """A fingerprint from its JSON document; `FingerprintError` when it is not one."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FingerprintError(f"not a source fingerprint (no \"format\": \"{FORMAT}\")")
    if (data.get("version"), data.get("run_words"), data.get("hash_bits")) != (
            VERSION, RUN_WORDS, HASH_BITS):
        raise FingerprintError("made by another version of quizapp; make it again with "
                               "`quizapp sources fingerprint`")
    try:
        salt = bytes.fromhex(data["salt"])
        paragraphs = tuple(
            ParagraphPrint(frozenset(int(h) for h in p["runs"]),
                           frozenset(float(n) for n in p["numbers"]))
            for p in data["paragraphs"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise FingerprintError(f"the fingerprint is damaged ({exc})") from None
    return SourceFingerprint(salt, paragraphs)


def load_fingerprint(path: Path) -> SourceFingerprint | None:
    """The fingerprint at `path`, None when there is none; `FingerprintError` when damaged."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise FingerprintError(f"{path} is not valid JSON ({exc})") from None
    return parse_fingerprint(data)


def write_fingerprint(source: Path, output: Path | None = None) -> tuple[Path, SourceFingerprint]:
    """Fingerprint the text at `source` into `output` (default: beside it)."""
    target = output if output is not None else fingerprint_path(source)
    printed = fingerprint_text(source.read_text(encoding="utf-8"))
    target.write_text(printed.to_json(source.name), encoding="utf-8")
    return target, printed
