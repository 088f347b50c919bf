"""GIFT, Moodle's plain-text question format, read into native questions.

The reading follows Moodle's own importer (question/format/gift/format.php): questions
are separated by blank lines; `//` lines are comments; `::name::` names a question;
the answer block `{...}` decides the type (`#` numerical, `~` multiple choice, `=` with
`->` matching, `T`/`F` true/false, otherwise short answer; an empty block is an essay
and no block a description); `\\~ \\= \\# \\{ \\} \\:` and `\\n` are escapes; a block
inside the sentence is a "missing word" question; `$CATEGORY:` sets the category of
what follows. Where Moodle would store something this app cannot express, the
question is still imported and a note says what changed; where the input is
malformed, the whole file is refused with every problem found and its line.

A quizapp export adds `// quizapp: {...}` comment lines carrying what GIFT has no
syntax for (evidence, topics, difficulty...); Moodle ignores them, this importer
reads them back so that a bank survives the round trip.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from quizapp.banks.interchange import (
    DEFAULT_MAX_IMPORT_BYTES,
    IdMaker,
    ImportedBank,
    ImportFailure,
    Problem,
    decode,
    one_line,
    slug,
    to_markdown,
    words_for_id,
)

META_PREFIX = "// quizapp:"
BANK_META_PREFIX = "// quizapp-bank:"
TEXT_FORMATS = ("moodle", "html", "plain", "markdown")
MISSING_WORD = "_____"
# Where a missing-word block stood, kept out of the Markdown conversion's way.
_GAP = "\ue0ff"

# Escaped characters become private-use code points while the question is parsed,
# so that `\=` inside an answer is never taken for a separator (as Moodle does).
_ESCAPES = {":": "\ue03a", "#": "\ue023", "=": "\ue03d", "{": "\ue07b", "}": "\ue07d",
            "~": "\ue07e", "n": "\ue00a"}
_BACKSLASH = "\ue05c"
_UNESCAPE = {v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()} | {_BACKSLASH: "\\"}
_WEIGHT = re.compile(r"^%(-*)([0-9]{1,3}(?:\.[0-9]*)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def escape_placeholders(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for char, placeholder in _ESCAPES.items():
        text = text.replace("\\" + char, placeholder)
    return text


def unescape(text: str) -> str:
    for placeholder, char in _UNESCAPE.items():
        text = text.replace(placeholder, char)
    return text


@dataclass
class _Block:
    line: int
    lines: list[str]
    meta: dict[str, Any]


def read_gift(data: bytes, *, max_bytes: int = DEFAULT_MAX_IMPORT_BYTES) -> ImportedBank:
    """Read a GIFT file; `ImportFailure` lists every malformed question with its line."""
    lines = decode(data, max_bytes)
    imported = ImportedBank()
    problems: list[Problem] = []
    ids = IdMaker()
    category: str | None = None
    found_any = False
    for block in _blocks(lines, imported, problems):
        found_any = True
        text = escape_placeholders("\n".join(block.lines))
        if text.startswith("$CATEGORY:"):
            first, _, rest = text.partition("\n")
            category = _add_category(imported, unescape(first[len("$CATEGORY:"):]).strip())
            if not rest.strip():
                continue
            text, block.line = rest, block.line + 1
        try:
            question = _read_question(text, block, imported)
        except _Malformed as exc:
            problems.append(Problem(block.line + exc.offset, exc.message))
            continue
        if question is None:
            continue
        name = question.pop("_name", "")
        words = words_for_id(question.get("text", question["prompt"]).replace("{{gap}}", " "))
        question["id"] = ids.make(name or words, "question")
        if category and "topics" not in block.meta:
            question["topics"] = [category]
        apply_meta(question, block.meta)
        imported.lines[question["id"]] = block.line
        imported.questions.append(_ordered(question))
    if not found_any and not problems:
        problems.append(Problem(1, "the file holds no question (it is empty or only comments)"))
    if problems:
        raise ImportFailure(problems)
    return imported


def _blocks(lines: list[str], imported: ImportedBank, problems: list[Problem]) -> list[_Block]:
    """Blank-line separated groups of lines, comments removed, meta comments kept."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            current = None
            continue
        if line.startswith(BANK_META_PREFIX):
            imported.bank.update(_meta(line[len(BANK_META_PREFIX):], number, problems))
            continue
        if current is None:
            current = _Block(number, [], {})
            blocks.append(current)
        if line.startswith(META_PREFIX):
            current.meta.update(_meta(line[len(META_PREFIX):], number, problems))
        elif line.startswith("//"):
            if not current.lines:
                current.line = number + 1
        else:
            current.lines.append(line)
    return [b for b in blocks if b.lines]


def _meta(text: str, line: int, problems: list[Problem]) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        problems.append(Problem(line, "a `// quizapp:` comment must hold a JSON object"))
        return {}
    return value


def _add_category(imported: ImportedBank, path: str) -> str | None:
    """`$CATEGORY: $course$/top/Rail/Gauges` becomes the topic "Gauges" (rail-gauges)."""
    parts = [p.strip() for p in path.split("/") if p.strip()]
    parts = [p for p in parts if not (p.startswith("$") and p.endswith("$"))]
    if parts and parts[0].lower() == "top":
        parts = parts[1:]
    if not parts:
        return None
    topic_id = slug("-".join(parts), "topic")
    if all(t["id"] != topic_id for t in imported.topics):
        imported.topics.append({"id": topic_id, "title": parts[-1][:200]})
    return topic_id


class _Malformed(Exception):
    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index)


def _read_question(text: str, block: _Block, imported: ImportedBank) -> dict[str, Any] | None:
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end != -1:
            name = unescape(text[2:end]).strip()
            text = text[end + 2:].strip()
    start, finish = text.find("{"), text.find("}")
    if start == -1 and finish == -1:
        imported.skipped.append(Problem(block.line, "a description (no answer block) has "
                                                    "no score: skipped"))
        return None
    if finish == -1:
        raise _Malformed("the answer block '{' is never closed with '}'", _line_of(text, start))
    if start == -1 or finish < start:
        raise _Malformed("a '}' with no '{' before it (write \\} for a literal brace)",
                         _line_of(text, finish))
    nested = text.find("{", start + 1)
    if nested != -1 and nested < finish:
        raise _Malformed("braces inside an answer block (write \\{ and \\} for literal ones)",
                         _line_of(text, nested))
    rest = text[finish + 1:]
    if "{" in rest or "}" in rest:
        where = finish + 1 + min(i for i in (rest.find("{"), rest.find("}")) if i != -1)
        raise _Malformed("a question has one answer block; a second '{' or '}' follows it",
                         _line_of(text, where))
    answer = text[start + 1:finish].strip()
    missing_word = bool(text[finish + 1:].strip())
    question_text = (text[:start] + (_GAP if missing_word else "") + text[finish + 1:])
    general = ""
    if (cut := answer.rfind("####")) != -1:
        general, answer = answer[cut + 4:], answer[:cut].strip()
    text_format, question_text = _format_of(question_text.strip(), "moodle")
    prompt = to_markdown(unescape(question_text.strip()), text_format)
    if not answer:
        imported.skipped.append(Problem(block.line, "an essay (empty answer block) has no "
                                                    "automatic score: skipped"))
        return None
    if not prompt:
        raise _Malformed("the question has no text")
    fmt = _Formatter(text_format)
    question: dict[str, Any] = {"_name": name, "prompt": prompt}
    general_format, general_text = _format_of(general.strip(), text_format)
    if general_text:
        question["explanation"] = to_markdown(unescape(general_text.strip()), general_format)
    notes: list[str] = []
    if answer.startswith("#"):
        body = _numerical(answer[1:], fmt, notes)
    elif "~" in answer:
        body = _multichoice(answer, fmt, notes)
    elif "=" in answer and "->" in answer:
        body = _matching(answer, fmt)
    elif _true_false_word(answer) is not None:
        body = _true_false(answer, fmt)
    elif "->" in answer:
        raise _Malformed("a matching pair must start with '=' (=left -> right)")
    else:
        body = _short_answer(answer, fmt, notes)
    question.update(body)
    if missing_word:
        question = _as_cloze(question, notes)
    imported.notes.extend(Problem(block.line, note) for note in notes)
    return question


def _format_of(text: str, default: str) -> tuple[str, str]:
    """`[html]Some text` -> ("html", "Some text"); an unknown name is kept as text."""
    if text.startswith("["):
        end = text.find("]")
        if end != -1 and text[1:end] in TEXT_FORMATS:
            return text[1:end], text[end + 1:]
    return default, text


class _Formatter:
    """Options and feedback take the question text's format unless they name their own."""

    def __init__(self, default: str) -> None:
        self.default = default

    def __call__(self, text: str) -> str:
        text_format, body = _format_of(text.strip(), self.default)
        return to_markdown(unescape(body.strip()), text_format)


def _weight(text: str) -> tuple[float | None, str]:
    """`%50%rest` -> (0.5, "rest"); no weight -> (None, text)."""
    match = _WEIGHT.match(text)
    if not match:
        return None, text
    value = float(match.group(2)) * (-1 if match.group(1) else 1)
    if value > 100:
        raise _Malformed(f"a weight of {match.group(2)}% is above 100%")
    return value / 100, text[match.end():]


def _comment(text: str, fmt: _Formatter) -> tuple[str, str | None]:
    answer, _, feedback = text.partition("#")
    return answer, (fmt(feedback) or None) if feedback.strip() else None


def _split(answer: str, separator: str) -> list[str]:
    parts = [p.strip() for p in answer.split(separator)]
    if parts and not parts[0]:
        parts = parts[1:]
    return parts


def _multichoice(answer: str, fmt: _Formatter, notes: list[str]) -> dict[str, Any]:
    single = "=" in answer
    parts = _split(answer.replace("=", "~="), "~")
    if len(parts) < 2:
        raise _Malformed("a multiple-choice question needs at least two options")
    options: list[dict[str, Any]] = []
    weights: list[float] = []
    for part in parts:
        if part.startswith("="):
            weight, part = 1.0, part[1:]
        else:
            found, part = _weight(part)
            weight = found if found is not None else 0.0
        text, feedback = _comment(part, fmt)
        text = one_line(fmt(text))
        if not text:
            raise _Malformed("an option has no text")
        option: dict[str, Any] = {"text": text}
        weights.append(weight)
        if feedback:
            option["feedback"] = feedback
        options.append(option)
    if single:
        return _single_choice(options, weights, notes)
    return _multiple_response(options, weights, notes)


def _single_choice(options: list[dict[str, Any]], weights: list[float],
                   notes: list[str]) -> dict[str, Any]:
    full = [i for i, w in enumerate(weights) if w >= 1]
    if len(full) != 1:
        raise _Malformed(f"a single-answer question needs exactly one answer marked '=' "
                         f"(found {len(full)}); give other right answers a ~%weight%")
    for i, weight in enumerate(weights):
        if 0 < weight < 1:
            notes.append(f"option {options[i]['text']!r} earned {weight:.0%} in Moodle; here "
                         "a single-choice option is right or wrong, so it scores 0")
        if i in full:
            options[i] = {"text": options[i]["text"], "correct": True,
                          **({k: v for k, v in options[i].items() if k == "feedback"})}
    return {"type": "single_choice", "options": options}


def _multiple_response(options: list[dict[str, Any]], weights: list[float],
                       notes: list[str]) -> dict[str, Any]:
    positive = [w for w in weights if w > 0]
    total = sum(positive)
    if not positive:
        raise _Malformed("no option has a positive weight: mark right answers with "
                         "~%50% (weights adding up to 100%) or one with '='")
    # Moodle rounds the sum to two decimals of a fraction before it checks it.
    if round(total, 2) != 1:
        raise _Malformed(f"the weights of the right options add up to {total * 100:g}%, "
                         "not 100%")
    right = len(positive)
    wrong = len(weights) - right
    equal_right = all(abs(w - 1 / right) < 0.005 for w in positive)
    negative = [w for w in weights if w <= 0]
    equal_wrong = all(abs(w + 1 / wrong) < 0.005 for w in negative) if wrong else True
    if not (equal_right and equal_wrong):
        notes.append("Moodle scores this by each option's weight; here every right option "
                     "earns an equal share and every wrong one takes an equal share away")
    for option, weight in zip(options, weights, strict=True):
        if weight > 0:
            option["correct"] = True
    ordered = [{k: o[k] for k in ("text", "correct", "feedback") if k in o} for o in options]
    return {"type": "multiple_response", "options": ordered}


def _matching(answer: str, fmt: _Formatter) -> dict[str, Any]:
    pairs: list[dict[str, str]] = []
    distractors: list[str] = []
    for part in _split(answer, "="):
        if "->" not in part:
            raise _Malformed(f"a matching pair needs '->' between its two sides: {part!r}")
        left, _, right = part.partition("->")
        right_text = one_line(fmt(right))
        if not right_text:
            raise _Malformed("a matching pair has nothing after '->'")
        left_text = one_line(fmt(left))
        if left_text:
            pairs.append({"left": left_text, "right": right_text})
        else:
            # Moodle's "= -> answer": an extra right-hand item that matches nothing.
            distractors.append(right_text)
    if len(pairs) < 2:
        raise _Malformed(f"a matching question needs at least two pairs (found {len(pairs)})")
    body: dict[str, Any] = {"type": "matching", "pairs": pairs}
    if distractors:
        body["distractors"] = distractors
    return body


def _true_false_word(answer: str) -> bool | None:
    word = answer.split("#", 1)[0].strip()
    return _TRUE_FALSE.get(word)


def _true_false(answer: str, fmt: _Formatter) -> dict[str, Any]:
    bits = answer.split("#", 2)
    value = _TRUE_FALSE[bits[0].strip()]
    wrong = fmt(bits[1]) if len(bits) > 1 else ""
    right = fmt(bits[2]) if len(bits) > 2 else ""
    body: dict[str, Any] = {"type": "true_false", "answer": value}
    feedback_true, feedback_false = (right, wrong) if value else (wrong, right)
    if feedback_true:
        body["feedback_true"] = feedback_true
    if feedback_false:
        body["feedback_false"] = feedback_false
    return body


def _short_answer(answer: str, fmt: _Formatter, notes: list[str]) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    for part in _split(answer, "="):
        weight, part = _weight(part)
        if weight is not None and weight < 0:
            notes.append("a negative weight on a short answer scores 0 here")
            weight = 0.0
        text, feedback = _comment(part, fmt)
        accepted = one_line(unescape(text))
        if not accepted:
            raise _Malformed("a short answer is empty")
        rule: dict[str, Any] = {}
        # The text is kept as the answer shown to learners, as Moodle shows it.
        rule["accept"] = [accepted]
        if "*" in accepted:
            rule["regex"] = _wildcard(accepted)
            notes.append(f"the wildcard answer {accepted!r} became a regular expression")
        if weight is not None and weight != 1:
            rule["fraction"] = weight
        if feedback:
            rule["feedback"] = feedback
        rules.append(rule)
    if not rules:
        raise _Malformed("a short-answer question needs at least one answer")
    return {"type": "short_text", "answers": _merge_accepts(rules)}


def _merge_accepts(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Neighbouring answers with the same weight and feedback share one rule."""
    merged: list[dict[str, Any]] = []
    for rule in rules:
        last = merged[-1] if merged else None
        if (last is not None and "accept" in rule and "accept" in last
                and last.get("fraction") == rule.get("fraction")
                and last.get("feedback") == rule.get("feedback")):
            last["accept"].extend(rule["accept"])
        else:
            merged.append(rule)
    return merged


def _wildcard(text: str) -> str:
    """Moodle's `*` matches any characters; answers are compared normalised here."""
    from quizapp.qtypes.text import normalise

    pieces = [re.escape(normalise(piece)) for piece in text.split("*")]
    return "^" + ".*".join(pieces) + "$"


def _number(text: str, what: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise _Malformed(f"{what} {text.strip()!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise _Malformed(f"{what} {text.strip()!r} is not a number")
    return value


def _numerical(answer: str, fmt: _Formatter, notes: list[str]) -> dict[str, Any]:
    wrong_feedback = ""
    if (cut := answer.find("~")) != -1:
        answer, wrong_feedback = answer[:cut], answer[cut:]
    parts = _split(answer, "=")
    if not parts:
        raise _Malformed("a numerical question needs an answer after '#', such as {#1822:5}")
    rules: list[dict[str, Any]] = []
    for part in parts:
        weight, part = _weight(part)
        text, feedback = _comment(part, fmt)
        text = unescape(text).strip()
        rule: dict[str, Any] = {}
        if text.find("..") > 0:
            low, _, high = text.partition("..")
            rule["min"], rule["max"] = _number(low, "the minimum"), _number(high, "the maximum")
            if rule["min"] > rule["max"]:
                raise _Malformed(f"the range {text!r} has its minimum above its maximum")
        elif ":" in text:
            value, _, tolerance = text.partition(":")
            rule["value"] = _number(value, "the answer")
            tol = _number(tolerance, "the tolerance")
            if tol < 0:
                raise _Malformed(f"the tolerance {tolerance.strip()!r} is negative")
            if tol:
                rule["tolerance"] = tol
        else:
            if not text:
                raise _Malformed("a numerical answer is empty")
            rule["value"] = _number(text, "the answer")
        if weight is not None and weight < 0:
            notes.append("a negative weight on a numerical answer scores 0 here")
            weight = 0.0
        if weight is not None and weight != 1:
            rule["fraction"] = weight
        if feedback:
            rule["feedback"] = feedback
        rules.append(rule)
    if wrong_feedback.strip("~ "):
        notes.append("the feedback for any other answer (~#...) is not kept: this app "
                     "shows the explanation instead")
    return {"type": "numeric", "answers": rules}


def _as_cloze(question: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """A missing-word question: the sentence with one gap, when the gap's type allows."""
    kind = question["type"]
    blank: dict[str, Any]
    if kind == "single_choice":
        blank = {"type": "choice", "options": question.pop("options")}
    elif kind == "short_text":
        blank = {"type": "short_text", "answers": question.pop("answers")}
    elif kind == "numeric":
        blank = {"type": "numeric", "answers": question.pop("answers")}
    else:
        notes.append("a missing-word question of this type keeps the gap as _____ in its text")
        question["prompt"] = question["prompt"].replace(_GAP, MISSING_WORD)
        return question
    text = question["prompt"].replace(_GAP, "{{gap}}", 1)
    question.update(type="cloze", prompt="Fill in the blank.", text=text, blanks={"gap": blank})
    return question


def apply_meta(question: dict[str, Any], meta: dict[str, Any]) -> None:
    """Fields a quizapp export carried in a `// quizapp:` comment, put back in place.

    Keys starting with `_` say where: `_option_ids` names the options (or the cloze
    choice blank's options), `_prompt` and `_blank` are a cloze's instruction and its
    blank's name, `_blank_fields` the blank's own fields beyond its answers.
    """
    meta = dict(meta)
    option_ids = meta.pop("_option_ids", None)
    prompt = meta.pop("_prompt", None)
    blank_name = meta.pop("_blank", None)
    blank_fields = meta.pop("_blank_fields", None)
    blanks = question.get("blanks")
    if isinstance(blanks, dict) and len(blanks) == 1:
        (name, blank), = blanks.items()
        if isinstance(blank_fields, dict):
            blank.update(blank_fields)
        if isinstance(option_ids, list) and "options" in blank:
            _name_options(blank["options"], option_ids)
        if isinstance(blank_name, str) and blank_name != name:
            question["blanks"] = {blank_name: blank}
            question["text"] = question["text"].replace("{{" + name + "}}",
                                                        "{{" + blank_name + "}}")
        if isinstance(prompt, str):
            question["prompt"] = prompt
    elif isinstance(option_ids, list) and "options" in question:
        _name_options(question["options"], option_ids)
    question.update(meta)


def _name_options(options: list[dict[str, Any]], ids: list[Any]) -> None:
    if len(ids) == len(options):
        for option, option_id in zip(options, ids, strict=True):
            options[options.index(option)] = {"id": option_id, **option}


_KEY_ORDER = ("id", "type", "prompt", "text")


def _ordered(question: dict[str, Any]) -> dict[str, Any]:
    """Common fields first, as a teacher would write them."""
    first = {k: question[k] for k in _KEY_ORDER if k in question}
    return first | {k: v for k, v in question.items() if k not in first}
