"""Reading numbers the way people type them.

`read_quantity("about 1,520 mm", {"mm": 1, "m": 1000})` gives the value in the
answer's unit (the unit whose multiplier is 1), the unit typed and a plain-words
reading. Anything that could mean two different numbers is refused rather than
guessed: `1,5` (decimal comma or a typo for 1,500?), `10 20`, `12abc`.

Accepted forms: digits with `,` or space-like thousands separators in groups of three
(`1,520`, `1 520`, non-breaking and thin spaces too), a decimal point, an exponent
(`1.5e3`), a sign (also the Unicode minus), a scale word (`45k`, `45 thousand`,
`1.5 million`, `2bn`), number words up to the billions (`forty-five thousand`,
`one hundred and twenty`), a percent sign or word, a declared unit, and a leading
word of approximation (`about`, `around`, `roughly`, `~`...).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from quizapp.qtypes.base import ResponseError
from quizapp.qtypes.text import strip_format_characters

MAX_NUMBER_TEXT = 200
PERCENT = "%"

# The minus sign, figure dash, en dash, hyphen, non-breaking hyphen, small and full-width
# hyphen-minus: all typed for a minus.
_MINUS_SIGNS = "\u2212\u2012\u2013\u2010\u2011\ufe63\uff0d"
_APPROX_RE = re.compile(
    r"^(?:(?:about|around|roughly|approximately|approx\.?|circa|ca\.|c\.|some|nearly|almost)\s+"
    r"|[~≈]\s*)",
    re.IGNORECASE,
)
# Thousands groups must be exactly three digits and use one separator throughout: the
# one grouping rule for learners' answers and for numbers in evidence quotes
# (`banks.grounding`). Written with `\ ` for the space so it also holds in re.VERBOSE.
COMMA_GROUPS = r"\d{1,3}(?:,\d{3})+"
SPACE_GROUPS = r"\d{1,3}(?:\ \d{3})+"
# The lookaheads stop "1,5200" or "1 52" from being half-read as a group.
_NUMBER_RE = re.compile(
    r"""
    (?P<sign>[-+])?\s*
    (?P<int>""" + COMMA_GROUPS + r"(?![\d,])|" + SPACE_GROUPS + r"""(?!\d)|\d+)?
    (?P<frac>\.\d+)?
    (?P<exp>[eE][-+]?\d{1,3}(?!\d))?
    """,
    re.VERBOSE,
)
# Scale words after a number, typed or quoted: the one list both scoring and the
# linter's reading of evidence quotes use (`banks.grounding`). `m` is not one: "45m"
# may be metres, so it is only ever a unit a question declares.
SCALE_WORDS: dict[str, int] = {
    "k": 10**3,
    "thousand": 10**3,
    "hundred": 100,
    "mn": 10**6,
    "mln": 10**6,
    "million": 10**6,
    "bn": 10**9,
    "billion": 10**9,
    "trillion": 10**12,
}
_SCALES = SCALE_WORDS
_SCALE_RE = re.compile(r"^(?P<word>[a-z]+)(?![a-z])\s*", re.IGNORECASE)
_PERCENT_WORDS = ("percent", "per cent", "pct", "%")
# Spelled-out names of common unit symbols: "1520 millimetres" means mm wherever the
# question declares mm. A name the question declares itself is matched first.
_UNIT_NAMES = {
    "millimetre": "mm", "millimeter": "mm", "centimetre": "cm", "centimeter": "cm",
    "metre": "m", "meter": "m", "kilometre": "km", "kilometer": "km",
    "gram": "g", "kilogram": "kg", "kilo": "kg", "tonne": "t", "metric ton": "t",
}

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
# The scales number words may carry ("forty-five thousand"), from the one list above.
_WORD_SCALES = {word: SCALE_WORDS[word] for word in ("thousand", "million", "billion", "trillion")}
_NUMBER_WORDS = {*_ONES, *_TEENS, *_TENS, *_WORD_SCALES, "hundred"}


@dataclass(frozen=True)
class Quantity:
    """A number read from a response.

    `number` is what was typed with any scale word applied (`1.52` for "1.52 m"),
    `unit` the declared unit it was given in (None for a bare number), `value` the
    number in the answer's unit (1520.0 for "1.52 m" when `m: 1000`).
    """

    value: float
    number: float
    unit: str | None
    reading: str
    approximate: bool = False


# Whole numbers in this range read as years ("At the start of 2022") and are never
# grouped; "1520 mm" is as clear as "1,520 mm", and one rule keeps every page agreeing.
YEARS = range(1000, 2101)


def is_year(value: float | Decimal) -> bool:
    number = float(value)
    return number == int(number) and int(number) in YEARS


def format_number(value: float | Decimal, *, plain: bool | None = None) -> str:
    """The one way numbers are printed: `30000` -> "30,000", `1.52` -> "1.52", no float
    noise. `plain=True` never groups digits (a bank's `plain: true`); the default groups
    every number except a year (`2022`); `plain=False` groups years too."""
    number = float(value)
    if not math.isfinite(number):
        return str(number)  # "inf": a quote's run of 400 digits reads as no finite float
    if plain is None:
        plain = is_year(number)
    if number == int(number) and abs(number) < 1e15:
        return str(int(number)) if plain else f"{int(number):,}"
    return f"{number:.12g}" if plain else f"{number:,.12g}"


def read_quantity(
    text: str,
    units: Mapping[str, float] | None = None,
    unit_required: bool = False,
) -> Quantity:
    """Read one number with an optional unit; `ResponseError` says what went wrong."""
    units = dict(units or {})
    cleaned = _clean(text)
    body, approximate = _strip_approximation(cleaned)
    if not body:
        raise ResponseError("Type a number.")
    number, tail = _read_number(body)
    if not tail:
        _refuse_dot_thousands(body)
    # A declared unit wins over a scale word, so a bank may declare "k" or "bn" itself.
    if tail and _match_unit(tail, units) is None:
        number, tail = _apply_scale(number, tail)
    unit = _read_unit(tail, units, number)
    if unit is None and unit_required and units:
        raise ResponseError(f"Give the unit too ({_unit_list(units)}).")
    return _quantity(number, unit, units, approximate)


def _clean(text: str) -> str:
    if not isinstance(text, str):
        raise ResponseError("Type a number.")
    if len(text) > MAX_NUMBER_TEXT:
        raise ResponseError(f"That is too long for a number (at most {MAX_NUMBER_TEXT} characters)")
    # NFKC turns non-breaking, thin and narrow spaces into plain ones, full-width digits too.
    text = unicodedata.normalize("NFKC", strip_format_characters(text))
    for sign in _MINUS_SIGNS:
        text = text.replace(sign, "-")
    text = " ".join(text.split())
    return text[:-1].rstrip() if text.endswith(".") and len(text) > 1 else text


def _strip_approximation(text: str) -> tuple[str, bool]:
    match = _APPROX_RE.match(text)
    if not match:
        return text, False
    return text[match.end():].strip(), True


def _read_number(body: str) -> tuple[Decimal, str]:
    """The number at the start of `body` and what follows it."""
    match = _NUMBER_RE.match(body)
    if match and (match["int"] or match["frac"]):
        number = _digits_value(match)
        tail = body[match.end():]
        _refuse_ambiguous(body, tail)
        return number, tail.strip()
    return _read_words(body)


def _digits_value(match: re.Match[str]) -> Decimal:
    digits = (match["int"] or "0").replace(",", "").replace(" ", "")
    literal = f"{match['sign'] or ''}{digits}{match['frac'] or ''}{match['exp'] or ''}"
    return Decimal(literal)


def _refuse_ambiguous(body: str, tail: str) -> None:
    if re.match(r"^,\d", tail):
        raise ResponseError(
            f"Could not read {body!r}: a comma must separate groups of three digits "
            "(1,520). For a decimal, use a point (1.5)."
        )
    if re.match(r"^\.\d", tail) or re.match(r"^\s*,?\s*[-+]?\s*\d", tail):
        raise ResponseError(f"Could not read {body!r}: give one number, not two.")


# "65.000": sixty-five thousand where a dot groups thousands, 65 where it is a decimal
# point. Only a bare number is in doubt: a unit or scale word after it ("1.520 m",
# "1.500 million") says the dot is a decimal point.
_DOT_THOUSANDS = re.compile(r"[-+]?\s*[1-9]\d{0,2}\.\d{3}")


def _refuse_dot_thousands(body: str) -> None:
    if not _DOT_THOUSANDS.fullmatch(body):
        return
    sign = "-" if body.lstrip().startswith("-") else ""
    whole, _, part = body.lstrip("+- ").partition(".")
    decimal = f"{sign}{whole}" if part == "000" else f"{sign}{whole}.{part}0"
    read_as_decimal = f"{sign}{whole}" + (f".{part.rstrip('0')}" if part.rstrip("0") else "")
    raise ResponseError(
        f"Could not read {body!r}: is it {read_as_decimal} or "
        f"{sign}{whole},{part}? Write {sign}{whole},{part} for the thousands, or "
        f"{decimal} for the decimal.")


def _apply_scale(number: Decimal, tail: str) -> tuple[Decimal, str]:
    match = _SCALE_RE.match(tail)
    if not match or match["word"].casefold() not in _SCALES:
        return number, tail
    scale = _SCALES[match["word"].casefold()]
    return number * scale, tail[match.end():].strip()


def _read_words(body: str) -> tuple[Decimal, str]:
    tokens = body.casefold().replace("-", " ").split()
    negative = bool(tokens) and tokens[0] in {"minus", "negative"}
    tokens = tokens[1:] if negative else tokens
    value, used = _words_value(tokens)
    if used == 0:
        raise ResponseError(f"Could not read {body!r} as a number.")
    rest = tokens[used:]
    if rest and (rest[0] in _NUMBER_WORDS or re.match(r"^[-+]?\d", rest[0])):
        raise ResponseError(f"Could not read {body!r}: give one number, not two.")
    tail = _original_tail(body, len(body.replace("-", " ").split()) - len(rest))
    return Decimal(-value if negative else value), tail


def _original_tail(body: str, skip: int) -> str:
    """The words after the number, with their original case (units are case-sensitive)."""
    words = body.replace("-", " ").split()
    return " ".join(words[skip:])


def _words_value(tokens: list[str]) -> tuple[int, int]:
    """Value of the number words at the start of `tokens` and how many were used."""
    total, group, last, last_scale, used = 0, 0, "start", 10**15, 0
    for index, token in enumerate(tokens):
        step = _word_step(token, last, group, last_scale)
        if step is None:
            break
        kind, value = step
        if kind == "scale":
            total, group, last_scale = total + group * value, 0, value
        elif kind == "hundred":
            group *= 100
        elif kind != "and":
            group += value
        last = kind
        if kind not in {"and", "a"}:
            used = index + 1
    return total + group, used


def _word_step(token: str, last: str, group: int, last_scale: int) -> tuple[str, int] | None:
    """How one number word continues the number so far; None when it cannot."""
    after_group = last in {"start", "hundred", "scale", "and"}
    if token == "a" and last == "start":
        return "a", 1
    if token == "and" and last in {"hundred", "scale"}:
        return "and", 0
    if token == "zero" and last == "start":
        return "zero", 0
    if token in _ONES and token != "zero" and (after_group or last == "tens"):
        return "ones", _ONES[token]
    if token in _TEENS and after_group:
        return "teen", _TEENS[token]
    if token in _TENS and after_group:
        return "tens", _TENS[token]
    if token == "hundred" and last in {"ones", "teen", "tens", "a"} and group % 100 == group:
        return "hundred", 100
    if token in _WORD_SCALES and last in {"ones", "teen", "tens", "hundred", "a"}:
        scale = _WORD_SCALES[token]
        return ("scale", scale) if scale < last_scale else None
    return None


def _read_unit(tail: str, units: dict[str, float], number: Decimal) -> str | None:
    if not tail:
        return None
    found = _match_unit(tail, units)
    if found is not None:
        return found
    if any(ch.isdigit() for ch in tail):
        raise ResponseError(
            f"Could not read {tail!r} after {format_number(number)}: give one number."
        )
    if not units:
        raise ResponseError(
            f"Could not read {tail!r} after {format_number(number)}: "
            "this question takes a number without a unit."
        )
    raise ResponseError(f"{tail!r} is not a unit this question accepts ({_unit_list(units)}).")


def _match_unit(typed: str, units: dict[str, float]) -> str | None:
    """The declared unit `typed` names: exact, then ignoring case, then singular/plural."""
    typed = typed.strip()
    if typed.casefold() in _PERCENT_WORDS:
        typed = PERCENT
    normal = {unicodedata.normalize("NFKC", u).strip(): u for u in units}
    if typed in normal:
        return normal[typed]
    folded = [u for n, u in normal.items() if n.casefold() == typed.casefold()]
    if len(folded) == 1:
        return folded[0]
    if len(typed) >= 3:
        plural = [u for n, u in normal.items() if _same_but_plural(n.casefold(), typed.casefold())]
        if len(plural) == 1:
            return plural[0]
    name = " ".join(typed.casefold().split())
    symbol = _UNIT_NAMES.get(name) or _UNIT_NAMES.get(name.removesuffix("s"))
    return normal.get(symbol) if symbol else None


def _same_but_plural(declared: str, typed: str) -> bool:
    return declared + "s" == typed or typed + "s" == declared


def _unit_list(units: Mapping[str, float]) -> str:
    return "accepted units: " + ", ".join(units) if units else "no unit"


def _quantity(number: Decimal, unit: str | None, units: dict[str, float], approx: bool) -> Quantity:
    try:
        multiplier = Decimal(str(units[unit])) if unit is not None else Decimal(1)
        value = float(number * multiplier)
    except (InvalidOperation, ArithmeticError, ValueError) as exc:
        raise ResponseError("That number is too large.") from exc
    if not math.isfinite(value) or abs(value) > 1e300 or not math.isfinite(float(number)):
        raise ResponseError("That number is too large.")
    reading = _reading(number, unit, value, units, approx)
    return Quantity(value, float(number), unit, reading, approximate=approx)


def _reading(number: Decimal, unit: str | None, value: float, units: dict[str, float],
             approx: bool) -> str:
    text = format_number(number)
    if unit == PERCENT:
        text += PERCENT
    elif unit is not None:
        text += f" {unit}"
        if units[unit] != 1:
            base = next((u for u, m in units.items() if m == 1), "")
            text += f" = {format_number(value)}{' ' + base if base else ''}"
    return f"about {text}" if approx else text
