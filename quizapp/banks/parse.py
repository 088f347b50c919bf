"""Bank file bytes in; plain Python data and the line and column of every value out.

Bank files are YAML 1.2 read with ruamel.yaml. Rather than building ruamel's
round-trip objects (CommentedMap and friends, about 2.5 s per 1,000 questions), this
module composes ruamel's parser events itself: the events carry the same marks the
round-trip loader keeps, the composer refuses unsafe YAML the moment it sees it, and
it takes half the time on ruamel's pure-Python parser and a twelfth of that on its C
parser (the ruamel.yaml.clib package), which is used whenever it is installed.
Scalars are resolved with the YAML 1.2 core schema exactly as ruamel.yaml's 1.2
resolver does, so `no`, `on` and `Norway` stay text; a date stays the text it was
written as and the schema converts it.

Refused, each with one message carrying the file's line and column: files over the
size limit, bytes that are not UTF-8, control characters, anchors and aliases,
explicit tags, nesting deeper than `MAX_DEPTH`, duplicate keys, keys that are not
plain text, more than one document, and a top level that is not a mapping.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from quizapp.banks.messages import LintMessage
from quizapp.config import DEFAULT_MAX_BANK_BYTES

DEFAULT_MAX_BYTES = DEFAULT_MAX_BANK_BYTES  # the MAX_BANK_BYTES setting's default
MAX_DEPTH = 20

try:  # ruamel.yaml's C parser, from the ruamel.yaml.clib (or clibz) package
    from ruamel.yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on the installation
    _CParser = None
HAVE_C_PARSER = _CParser is not None


# -- positions --------------------------------------------------------------------
# Positions are the parser's mark objects (0-based `line` and `column`), turned into
# 1-based numbers only when a message needs them: most are never looked at.
class MapPos:
    """Where a mapping starts, and where each of its keys and values is."""

    __slots__ = ("keys", "mark", "values")

    def __init__(self, mark: Any, keys: dict[str, Any], values: dict[str, Any]) -> None:
        self.mark, self.keys, self.values = mark, keys, values


class SeqPos:
    """Where a sequence starts, and where each of its items is."""

    __slots__ = ("items", "mark")

    def __init__(self, mark: Any, items: list[Any]) -> None:
        self.mark, self.items = mark, items


# A scalar's position is its bare mark: there are many of them.
Pos = Any
Loc = Sequence[str | int]


def mark_point(mark: Any) -> tuple[int, int]:
    """1-based (line, column) of a parser mark."""
    return mark.line + 1, mark.column + 1


def node_point(node: Pos) -> tuple[int, int]:
    return mark_point(node.mark if isinstance(node, MapPos | SeqPos) else node)


class PositionMap:
    """Finds the line and column for a path into the data, as pydantic reports it."""

    def __init__(self, root: Pos) -> None:
        self.root = root

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The deepest node along `loc` that exists in the file.

        Path parts that are not in the file are skipped, not followed: pydantic puts
        the union tag into a location (`('questions', 3, 'numeric', 'answers')`) and
        names missing fields, neither of which has a place in the YAML. With
        `key=True` and a path ending at a mapping key, the key's own position is
        given (the place to point at for an unknown or misspelt key).
        """
        node = self.root
        key_mark: Any = None
        for part in loc:
            child, key_here = _child(node, part)
            if child is not None:
                node, key_mark = child, key_here
        if key and key_mark is not None:
            return mark_point(key_mark)
        return node_point(node)

    def node(self, loc: Loc) -> Pos | None:
        """The node at exactly `loc`, or None when any part of it is missing."""
        node: Pos | None = self.root
        for part in loc:
            if node is None:
                return None
            node, _ = _child(node, part)
        return node

    def has(self, loc: Loc) -> bool:
        return self.node(loc) is not None


def _child(node: Pos, part: str | int) -> tuple[Pos | None, Any]:
    if isinstance(node, MapPos) and isinstance(part, str) and part in node.values:
        return node.values[part], node.keys[part]
    if isinstance(node, SeqPos) and type(part) is int and 0 <= part < len(node.items):
        return node.items[part], None
    return None, None


# -- results ----------------------------------------------------------------------
@dataclass(slots=True)
class ParsedFile:
    """`data` is the top-level mapping, or None when the file was refused."""

    path: str
    data: dict[str, Any] | None
    positions: PositionMap | None
    messages: list[LintMessage]

    @property
    def ok(self) -> bool:
        return self.data is not None


class Refusal(Exception):
    """Stops reading at the first problem; YAML cannot be read on past one."""

    def __init__(self, line: int, col: int, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.line, self.col, self.message, self.hint = line, col, message, hint


# -- scalars: the YAML 1.2 core schema, as ruamel.yaml's 1.2 resolver has it ----------
_BOOL_RE = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_FLOAT_RE = re.compile(
    r"""(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))\Z""",
    re.VERBOSE,
)
_INT_RE = re.compile(
    r"(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)\Z"
)
_NULL_RE = re.compile(r"(?:~|null|Null|NULL)\Z")


def _to_bool(text: str) -> bool:
    return text[0] in "tT"


def _to_int(text: str) -> int | str:
    digits = text.replace("_", "")
    sign = -1 if digits[:1] == "-" else 1
    digits = digits.lstrip("-+")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if digits.startswith(prefix):
            body = digits[2:]
            return sign * int(body, base) if 0 < len(body) <= 300 else text
    if not digits:  # "_" or "+_": the pattern allows it, no number does
        return text
    if len(digits) > 300:  # no bank needs it, and Python refuses to read 4,300+ digits
        return text
    return sign * int(digits)


def _to_float(text: str) -> float | str:
    plain = text.replace("_", "").lower()
    if plain.endswith(".inf"):
        return float("-inf") if plain.startswith("-") else float("inf")
    if plain == ".nan":
        return float("nan")
    try:
        return float(plain)
    except ValueError:  # "1._" and the like: text, not a number
        return text


# Which resolvers apply by first character, in ruamel's order.
_RESOLVERS: dict[str, tuple[tuple[re.Pattern[str], Any], ...]] = {}
for _chars, _entry in (
    ("tTfF", (_BOOL_RE, _to_bool)),
    ("-+0123456789.", (_FLOAT_RE, _to_float)),
    ("-+0123456789", (_INT_RE, _to_int)),
    ("~nN", (_NULL_RE, lambda _text: None)),
):
    for _char in _chars:
        _RESOLVERS[_char] = (*_RESOLVERS.get(_char, ()), _entry)


def plain_scalar(text: str) -> Any:
    """The value of an unquoted scalar: bool, int, float, None or the text itself.

    Timestamps are deliberately left as text, so `date: 2023-03-17` reaches the
    schema as written and a title such as `2023-03-17` stays a title.
    """
    if not text:
        return None
    for pattern, build in _RESOLVERS.get(text[0], ()):
        if pattern.match(text):
            return build(text)
    return text


# -- reading the bytes ----------------------------------------------------------------
# Characters YAML 1.2 allows in a stream; anything else is refused with its position.
# The separators U+0085, U+2028 and U+2029 are refused too: the parsers count them as
# line breaks and editors mostly do not, so every line number after one would be off.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise Refusal(
            line, col,
            f"the file is not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset "
            f"{exc.start} (line {line}, byte {col} of the line) cannot be read",
            "save the file as UTF-8 in your editor",
        ) from None
    # One line ending for everyone, so line numbers match what every editor shows.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        raise Refusal(
            line, col,
            f"the file contains the invisible character U+{ord(bad.group()):04X}",
            "delete it; it often comes from text pasted from another program",
        )
    return text


def _check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise Refusal(
            1, 1,
            f"the file is {len(data):,} bytes; a bank file may have at most {max_bytes:,}",
            "split the questions into several bank files",
        )


# -- composing events into data -------------------------------------------------------
def _tag_text(tag: Any) -> str:
    text = str(tag)
    return "!!" + text.removeprefix("tag:yaml.org,2002:") if text.startswith("tag:") else text


def _refuse_node(event: Any, depth: int) -> None:
    """Raise for an anchor, a tag or too deep a nesting on a node's event."""
    line, col = event.start_mark.line + 1, event.start_mark.column + 1
    if event.anchor is not None:
        raise Refusal(
            line, col, f"YAML anchors (&{event.anchor}) are not allowed in bank files",
            "write the value out in full where it is needed",
        )
    if event.tag is not None:
        raise Refusal(
            line, col, f"YAML tags such as '{_tag_text(event.tag)}' are not allowed in bank files",
            "remove the tag; put the value in quotes if it must be text",
        )
    if depth > MAX_DEPTH:
        raise Refusal(
            line, col, f"the data is nested more than {MAX_DEPTH} levels deep",
            "a bank file never needs this much nesting; check the indentation",
        )


# A "\ud800" escape gives half a character, which no later step can encode. The C
# parser refuses it while scanning; the pure-Python one lets it through, so it is
# caught here and both say the same.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogate(event: Any) -> None:
    raise Refusal(
        event.start_mark.line + 1, event.start_mark.column + 1,
        "this backslash escape is not valid in a double-quoted text",
        "write the character itself, double the backslash (\\\\), or use single quotes",
    )


def _refuse_alias(event: Any) -> None:
    raise Refusal(
        event.start_mark.line + 1, event.start_mark.column + 1,
        f"YAML aliases (*{event.anchor}) are not allowed in bank files",
        "write the value out in full where it is needed",
    )


def _refuse_document(event: Any) -> None:
    raise Refusal(
        event.start_mark.line + 1, event.start_mark.column + 1,
        "a bank file holds one YAML document, and a second one starts here",
        "remove the '---' line, or move the second bank to a file of its own",
    )


def _refuse_duplicate(key: str, mark: Any, first: Any) -> None:
    raise Refusal(
        mark.line + 1, mark.column + 1,
        f"duplicate key '{key}': it is already given on line {first.line + 1}",
        "keep one of the two",
    )


def _refuse_complex_key(event: Any) -> None:
    raise Refusal(
        event.start_mark.line + 1, event.start_mark.column + 1,
        "a key must be a plain name, not a list or a mapping",
        "check the indentation and the ':' on this line",
    )


def _compose_events(events: Iterable[Any]) -> tuple[Any, Any]:
    """Plain data and its position tree from a stream of parser events.

    One flat loop with the open container's state in local variables, because it
    runs for every event of every bank file. Positions are kept as the parser's own
    mark objects and turned into numbers only when a message needs one.
    """
    stack: list[tuple[Any, ...]] = []  # the enclosing containers' saved states
    container: Any = None  # the open dict or list; None at the top
    is_map = False
    keys: dict[str, Any] = {}
    values: dict[str, Any] = {}
    items: list[Any] = []
    key: str | None = None  # a mapping's key waiting for its value
    node_pos: Any = None
    root: Any = None
    root_pos: Any = None
    documents = 0
    resolvable = _RESOLVERS
    for event in events:
        kind = type(event)
        if kind is ScalarEvent:
            # `ctag`, not `tag`: the same value without a property call per scalar.
            if event.anchor is not None or event.ctag is not None:
                _refuse_node(event, 0)
            if event.style == '"' and _SURROGATE.search(event.value):
                _refuse_surrogate(event)
            if is_map and key is None:
                # Keys stay the text they were written as: a unit named `no` is a name.
                key = event.value
                if key in keys:
                    _refuse_duplicate(key, event.start_mark, keys[key])
                keys[key] = event.start_mark
                continue
            value: Any = event.value
            # Only plain scalars are resolved; quoted and block scalars are always text.
            if event.implicit[0] and (not value or value[0] in resolvable):
                value = plain_scalar(value)
            pos: Any = event.start_mark
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.ctag is not None or len(stack) >= MAX_DEPTH:
                _refuse_node(event, len(stack) + 1)
            if is_map and key is None:
                _refuse_complex_key(event)
            stack.append((container, is_map, keys, values, items, key, node_pos))
            key = None
            if kind is MappingStartEvent:
                container, keys, values, is_map = {}, {}, {}, True
                node_pos = MapPos(event.start_mark, keys, values)
            else:
                container, items, is_map = [], [], False
                node_pos = SeqPos(event.start_mark, items)
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value, pos = container, node_pos
            container, is_map, keys, values, items, key, node_pos = stack.pop()
        elif kind is AliasEvent:
            _refuse_alias(event)
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                _refuse_document(event)
            continue
        elif kind is StreamEndEvent:
            break
        else:
            continue
        if container is None:
            root, root_pos = value, pos
        elif is_map:
            container[key] = value
            values[key] = pos  # type: ignore[index]
            key = None
        else:
            container.append(value)
            items.append(pos)
    return root, root_pos


# -- YAML errors in teacher language --------------------------------------------------
_YAML_HINTS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"mapping values are not allowed"),
     "a ':' here would start a new field, but no field can start at this place",
     "check the indentation of this line, or put the text in quotes if it contains ': '"),
    (re.compile(r"escape|hexdecimal"),
     "this backslash escape is not valid in a double-quoted text",
     "write the character itself, double the backslash (\\\\), or use single quotes"),
    (re.compile(r"end of stream.*quoted scalar"),
     "a quoted text is not closed",
     "add the closing quote mark"),
    (re.compile(r"expected ',' or '\]'"),
     "a list in [square brackets] is not closed here",
     "add the closing ']' or put texts containing commas in quotes"),
    (re.compile(r"expected ',' or '\}'"),
     "a mapping in {curly braces} is not closed here",
     "add the closing '}'"),
    (re.compile(r"block end|expected '-' indicator|expected <block|expected key"),
     "this line does not line up with the lines around it",
     "give the fields of one item the same indentation, with spaces"),
    (re.compile(r"could not find expected ':'"),
     "a field name here is missing its ':'",
     "write it as `name: value`"),
)


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n")
    if 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


def _yaml_refusal(exc: MarkedYAMLError, text: str) -> Refusal:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = f"{exc.problem or ''} {exc.context or ''}"
    char = _char_at(text, line, col)
    if char == "\t":
        return Refusal(line, col, "a tab character is used here, and YAML does not allow tabs "
                       "for indentation", "indent with spaces")
    if "cannot start any token" in problem:
        return Refusal(line, col, f"a value cannot start with '{char}'",
                       "put the whole text in quotes")
    for pattern, message, hint in _YAML_HINTS:
        if pattern.search(problem):
            return Refusal(line, col, message, hint)
    detail = (exc.problem or exc.context or "unreadable YAML").strip()
    return Refusal(line, col, f"YAML syntax error: {detail}")


# -- entry point ----------------------------------------------------------------------
@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bank loads.

    Loading builds hundreds of thousands of small containers, none in a cycle; with
    the collector on, it walks the growing heap again and again for nothing, which
    more than doubles the time of a large bank. Reference counting still frees
    everything as usual. Nested uses and other threads are fine: the collector is
    switched back on only by the use that found it on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _events(text: str, pure: bool) -> Iterable[Any]:
    if pure or _CParser is None:
        events: Iterable[Any] = YAML(typ="safe", pure=True).parse(text)
        return events
    # The C parser's own method, called once per event: half the cost of YAML.parse().
    return iter(_CParser(text).get_event, None)


def _compose(text: str, pure: bool) -> tuple[dict[str, Any], PositionMap]:
    try:
        root, root_pos = _compose_events(_events(text, pure))
    except MarkedYAMLError as exc:
        raise _yaml_refusal(exc, text) from None
    except YAMLError as exc:
        raise Refusal(1, 1, f"YAML error: {str(exc).splitlines()[0]}") from None
    if root_pos is None:
        raise Refusal(1, 1, "the file is empty",
                      "a bank file starts with `id:`, `title:` and `questions:`")
    if not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else "a single value"
        line, col = node_point(root_pos)
        raise Refusal(line, col, f"the top level of a bank file must be fields "
                      f"(id:, title:, questions: ...), but this file holds {kind}")
    return root, PositionMap(root_pos)


def parse_bytes(
    path: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, pure: bool | None = None
) -> ParsedFile:
    """Read one bank file. Never raises for bad input: problems come back as messages.

    `pure=True` forces ruamel.yaml's pure-Python parser (the default uses the C
    parser when ruamel.yaml.clib is installed); both give the same data and marks.
    """
    use_pure = not HAVE_C_PARSER if pure is None else pure
    try:
        _check_size(data, max_bytes)
        with gc_paused():
            root, positions = _compose(_decode(data), use_pure)
    except Refusal as refusal:
        message = LintMessage(path, refusal.line, refusal.col, "error", refusal.message,
                              refusal.hint)
        return ParsedFile(path, None, None, [message])
    return ParsedFile(path, root, positions, [])
