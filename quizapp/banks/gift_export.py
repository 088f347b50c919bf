"""A native bank written as GIFT that Moodle imports.

Text goes out in Moodle's `[markdown]` format, escaped the way Moodle's own exporter
escapes (`\\ # = ~ { } :` and line breaks). What GIFT has no syntax for is either
listed as left out (ordering questions, cloze passages with several blanks, regular
expression answers) or listed as changed for Moodle (units, all-or-nothing scoring),
never dropped silently. Everything else a quizapp bank holds (evidence, topics,
difficulty, option ids...) rides along in `// quizapp:` comments, which Moodle ignores
and `quizapp import` reads back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from quizapp.banks.gift import BANK_META_PREFIX, META_PREFIX
from quizapp.banks.schema import BankFile

# The fields each type's GIFT body carries; the rest of a question goes in its comment.
_COMMON_BODY = {"id", "type", "prompt", "explanation"}
_BODY_FIELDS = {
    "single_choice": {"options"},
    "true_false": {"answer", "feedback_true", "feedback_false"},
    "multiple_response": {"options"},
    "numeric": {"answers"},
    "short_text": {"answers"},
    "matching": {"pairs", "distractors"},
    "cloze": {"text", "blanks"},
}


@dataclass
class GiftExport:
    text: str
    # (question id, what happened): questions left out, and questions changed for Moodle.
    left_out: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)


class _LeftOut(Exception):
    pass


def escape(text: str) -> str:
    """Moodle's `repchar`: reserved characters escaped, line breaks as `\\n`."""
    for char in ("\\", "#", "=", "~", "{", "}", ":"):
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _weight(fraction: float) -> str:
    return f"%{round(fraction * 100, 5):g}%"


def export_gift(bank: BankFile) -> GiftExport:
    result = GiftExport("")
    blocks: list[str] = []
    for question in bank.questions:
        data = question.model_dump(mode="json")
        try:
            body = _question(data, result)
        except _LeftOut as exc:
            result.left_out.append((data["id"], str(exc)))
            continue
        blocks.append(body)
    header = {
        "id": bank.id, "title": bank.title, "description": bank.description,
        "language": bank.language,
        "sources": [s.model_dump(mode="json") for s in bank.sources],
        "topics": [t.model_dump(mode="json") for t in bank.topics],
    }
    if not result.left_out:
        # Quizzes select questions by id; with any question left out they would not load.
        header["quizzes"] = [q.model_dump(mode="json", exclude_defaults=True)
                             for q in bank.quizzes]
    lines = [
        f"// {bank.title}: exported by quizapp for Moodle's GIFT import.",
        BANK_META_PREFIX + " " + json.dumps(header, ensure_ascii=False, sort_keys=True),
        "",
        f"$CATEGORY: $course$/top/{bank.title.replace('/', '-')}",
        "",
    ]
    result.text = "\n".join(lines + [b + "\n" for b in blocks])
    return result


def _question(data: dict[str, Any], result: GiftExport) -> str:
    kind = data["type"]
    if kind not in _BODY_FIELDS:
        raise _LeftOut(f"GIFT has no {kind.replace('_', ' ')} question")
    meta = {k: v for k, v in data.items()
            if k not in _COMMON_BODY | _BODY_FIELDS[kind] and v not in (None, [], {})}
    writer = globals()[f"_{kind}"]
    answer_block = writer(data, meta, result)
    general = f"\t####{escape(data['explanation'])}\n" if data.get("explanation") else ""
    lines = [META_PREFIX + " " + json.dumps(meta, ensure_ascii=False, sort_keys=True)]
    prompt = "[markdown]" + escape(data["prompt"])
    if kind == "cloze":
        before, body, after = answer_block
        lines.append(f"::{data['id']}::[markdown]{before}{{\n{body}{general}}}{after}")
    else:
        lines.append(f"::{data['id']}::{prompt}{{\n{answer_block}{general}}}")
    return "\n".join(lines)


def _feedback(text: str | None) -> str:
    return f"#{escape(text)}" if text else ""


def _choices(options: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    ids = [o["id"] for o in options]
    if ids != [chr(ord("a") + i) for i in range(len(ids))]:
        meta["_option_ids"] = ids
    return "".join(
        f"\t{'=' if o['correct'] else '~'}{escape(o['text'])}{_feedback(o.get('feedback'))}\n"
        for o in options
    )


def _single_choice(data: dict[str, Any], meta: dict[str, Any], result: GiftExport) -> str:
    return _choices(data["options"], meta)


def _true_false(data: dict[str, Any], meta: dict[str, Any], result: GiftExport) -> str:
    value = data["answer"]
    right = data.get("feedback_true") if value else data.get("feedback_false")
    wrong = data.get("feedback_false") if value else data.get("feedback_true")
    text = "TRUE" if value else "FALSE"
    if wrong:
        text += "#" + escape(wrong)
    elif right:
        text += "#"
    if right:
        text += "#" + escape(right)
    return f"\t{text}\n"


def _multiple_response(data: dict[str, Any], meta: dict[str, Any], result: GiftExport) -> str:
    options = data["options"]
    right = sum(1 for o in options if o["correct"])
    wrong = len(options) - right
    if data.get("all_or_nothing"):
        result.changed.append((data["id"], "all-or-nothing scoring: Moodle gives partial "
                                            "credit"))
    ids = [o["id"] for o in options]
    if ids != [chr(ord("a") + i) for i in range(len(ids))]:
        meta["_option_ids"] = ids
    # Each right option earns an equal share and each wrong one takes one away: the
    # same partial credit this app gives.
    return "".join(
        f"\t~{_weight(1 / right) if o['correct'] else _weight(-1 / wrong)}"
        f"{escape(o['text'])}{_feedback(o.get('feedback'))}\n"
        for o in options
    )


def _numeric_rules(rules: list[dict[str, Any]], value_of: Any) -> str:
    lines = []
    for rule in rules:
        if rule.get("min") is not None:
            answer = f"{_number(rule['min'])}..{_number(rule['max'])}"
        else:
            answer = f"{_number(rule['value'])}:{_number(value_of(rule))}"
        lines.append(f"\t={_weight(rule.get('fraction', 1.0))}{answer}"
                     f"{_feedback(rule.get('feedback'))}\n")
    return "".join(lines)


def _numeric(data: dict[str, Any], meta: dict[str, Any], result: GiftExport) -> str:
    if data.get("units"):
        result.changed.append((data["id"], "units: Moodle's GIFT numerical takes bare "
                                            "numbers in the answer's unit"))
    return "#\n" + _numeric_rules(data["answers"], lambda rule: _tolerance(rule, data["id"]))


def _tolerance(rule: dict[str, Any], question_id: str) -> float:
    if rule.get("tolerance_percent") is not None:
        raise _LeftOut("a tolerance in percent has no GIFT form")
    return float(rule.get("tolerance") or 0)


def _text_rules(data: dict[str, Any], question_id: str) -> str:
    lines = []
    for rule in data["answers"]:
        if rule.get("regex"):
            raise _LeftOut("a regular-expression answer has no GIFT form")
        for text in rule["accept"]:
            lines.append(f"\t={_weight(rule.get('fraction', 1.0))}{escape(text)}"
                         f"{_feedback(rule.get('feedback'))}\n")
    return "".join(lines)


def _short_text(data: dict[str, Any], meta: dict[str, Any], result: GiftExport) -> str:
    return _text_rules(data, data["id"])


def _matching(data: dict[str, Any], meta: dict[str, Any], result: GiftExport) -> str:
    pairs = "".join(f"\t={escape(p['left'])} -> {escape(p['right'])}\n" for p in data["pairs"])
    extra = "".join(f"\t= -> {escape(d)}\n" for d in data.get("distractors") or ())
    return pairs + extra


def _cloze(data: dict[str, Any], meta: dict[str, Any],
           result: GiftExport) -> tuple[str, str, str]:
    blanks = data["blanks"]
    if len(blanks) != 1:
        raise _LeftOut(f"a passage with {len(blanks)} blanks has no GIFT form (GIFT's "
                       "missing-word questions have one)")
    (name, blank), = blanks.items()
    marker = "{{" + name + "}}"
    before, _, after = data["text"].partition(marker)
    if not after.strip():
        raise _LeftOut("a blank at the very end of the passage reads as a plain question "
                       "in GIFT")
    meta["_prompt"] = data["prompt"]
    if name != "gap":
        meta["_blank"] = name
    kind = blank["type"]
    extra = {k: v for k, v in blank.items()
             if k not in ("type", "answers", "options") and v not in (None, [], {}, False)}
    if extra:
        meta["_blank_fields"] = extra
    if kind == "choice":
        body = _choices(blank["options"], meta)
    elif kind == "numeric":
        if blank.get("units"):
            result.changed.append((data["id"], "units: Moodle's GIFT numerical takes bare "
                                                "numbers in the answer's unit"))
        body = "#\n" + _numeric_rules(blank["answers"], lambda r: _tolerance(r, data["id"]))
    else:
        body = _text_rules(blank, data["id"])
    # Moodle's missing-word block: the answer block sits where the blank was.
    return escape(before), body, escape(after)
