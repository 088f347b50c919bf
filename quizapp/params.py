"""Reading numbers from URLs: crafted input is refused with a 4xx, never a 500."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

# The largest id a database integer column holds (PostgreSQL `integer`); a larger
# number in a URL names nothing, so it is a 404 rather than an overflow.
MAX_ID = 2**31 - 1
# Page numbers in query strings: at most six ASCII digits, from 1.
MAX_PAGE = 999_999


class BoundedIntConverter(IntegerConverter):
    """Flask's `int` route converter, bounded so `/quiz/99999999999999999999` is a 404."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def whole_number(raw: str, largest: int) -> int | None:
    """`raw` as a whole number from 0 to `largest`, or None when it is not one.

    `str.isdigit` alone accepts "²", which `int` then refuses: only ASCII digits count.
    """
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(largest)):
        return None
    number = int(raw)
    return number if number <= largest else None


def page_number(raw: str | None) -> int | None:
    """A `?page=` value as a number from 1 (1 when absent), or None when it is not one."""
    if raw is None:
        return 1
    number = whole_number(raw, MAX_PAGE)
    return number if number else None
