"""Everything checked about a parsed bank file beyond YAML syntax.

The schema comes first; then the checks that need the whole bank (ids unique, topics
and sources declared, quizzes that select something), each type's own `check()`,
Markdown that renders to nothing, evidence, and grounding against the source texts.
A bank with schema errors still gets the other checks for the parts that validated,
so a teacher sees every problem in one run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from quizapp.banks import grounding
from quizapp.banks.errors import did_you_mean, relevant, translate
from quizapp.banks.messages import LintMessage, Severity
from quizapp.banks.parse import Loc, ParsedFile, PositionMap
from quizapp.banks.schema import BankFile, Quiz, Source, Topic, default_quiz, question_adapter
from quizapp.config import DEFAULT_MAX_QUESTIONS_PER_ATTEMPT
from quizapp.markdown import is_blank
from quizapp.qtypes.base import QuestionSpec

# Keys whose text is Markdown shown to learners; blank output there is a mistake.
MARKDOWN_KEYS = frozenset({
    "prompt", "explanation", "description", "feedback", "feedback_true", "feedback_false",
    "text",
})
# Text with a letter and none of these characters renders visibly; only the rest
# goes through the full Markdown renderer (links, images, code fences...). Digits
# alone are not enough: `1.` is an empty list item and renders to nothing.
_RISKY = re.compile(r"[\[`~<&\\]")
_VISIBLE = re.compile(r"[^\W\d_]")


@dataclass
class Reporter:
    """Collects messages for one file, turning data paths into lines and columns."""

    path: str
    positions: PositionMap
    messages: list[LintMessage] = field(default_factory=list)

    def add(self, severity: Severity, loc: Loc, message: str, hint: str | None = None,
            *, key: bool = False) -> None:
        line, col = self.positions.locate(loc, key=key)
        self.messages.append(LintMessage(self.path, line, col, severity, message, hint))

    def error(self, loc: Loc, message: str, hint: str | None = None, *, key: bool = False) -> None:
        self.add("error", loc, message, hint, key=key)

    def warning(self, loc: Loc, message: str, hint: str | None = None) -> None:
        self.add("warning", loc, message, hint)

    def line_of(self, loc: Loc) -> int:
        return self.positions.locate(loc)[0]


@dataclass
class Parts:
    """The pieces of a bank that validated, each with its index in the file."""

    sources: list[tuple[int, Source]]
    topics: list[tuple[int, Topic]]
    quizzes: list[tuple[int, Quiz]]
    questions: list[tuple[int, QuestionSpec]]
    complete: bool  # every question validated, so counting selections is meaningful


# -- schema ---------------------------------------------------------------------------
def _schema_messages(report: Reporter, exc: ValidationError) -> None:
    for error in relevant(exc.errors(include_url=False)):
        friendly = translate(error)
        report.error(friendly.loc, friendly.message, friendly.hint, key=friendly.at_key)


def _valid_items(raw: Any, validate: Any) -> list[tuple[int, Any]]:
    """Entries of a list that validate on their own; the others were reported already."""
    if not isinstance(raw, list):
        return []
    valid = []
    for index, item in enumerate(raw):
        try:
            valid.append((index, validate(item)))
        except (ValidationError, ValueError, TypeError):
            continue
    return valid


def _parts_of(bank: BankFile, data: dict[str, Any]) -> Parts:
    # The default quiz is not in the file, so it has no place to point at.
    quizzes = list(enumerate(bank.quizzes)) if data.get("quizzes") else []
    return Parts(list(enumerate(bank.sources)), list(enumerate(bank.topics)), quizzes,
                 list(enumerate(bank.questions)), complete=True)


def _partial_parts(data: dict[str, Any]) -> Parts:
    raw_questions = data.get("questions")
    questions = _valid_items(raw_questions, question_adapter().validate_python)
    return Parts(
        _valid_items(data.get("sources"), Source.model_validate),
        _valid_items(data.get("topics"), Topic.model_validate),
        _valid_items(data.get("quizzes"), Quiz.model_validate),
        questions,
        complete=isinstance(raw_questions, list) and len(questions) == len(raw_questions),
    )


def validate(report: Reporter, data: dict[str, Any]) -> tuple[BankFile | None, Parts]:
    try:
        bank = BankFile.model_validate(data)
    except ValidationError as exc:
        _schema_messages(report, exc)
        return None, _partial_parts(data)
    return bank, _parts_of(bank, data)


# -- ids --------------------------------------------------------------------------------
def raw_ids(data: dict[str, Any], name: str) -> list[tuple[int, str]]:
    """(index, id) of the entries under `name` as written, whether they validate or not:
    an entry with a bad field still declares its id, and still clashes with another."""
    items = data.get(name)
    if not isinstance(items, list):
        return []
    return [(index, item["id"]) for index, item in enumerate(items)
            if isinstance(item, dict) and isinstance(item.get("id"), str)]


def declared_ids(data: dict[str, Any], name: str) -> list[str]:
    return [item_id for _, item_id in raw_ids(data, name)]


def _unique(report: Reporter, data: dict[str, Any], where: str, what: str) -> None:
    first: dict[str, int] = {}
    for index, item_id in raw_ids(data, where):
        if item_id in first:
            line = report.line_of((where, first[item_id], "id"))
            report.error((where, index, "id"), f"duplicate {what} id '{item_id}': it is "
                         f"already used on line {line}", f"give each {what} its own id")
        else:
            first[item_id] = index


def check_ids(report: Reporter, data: dict[str, Any]) -> None:
    _unique(report, data, "sources", "source")
    _unique(report, data, "topics", "topic")
    _unique(report, data, "quizzes", "quiz")
    _unique(report, data, "questions", "question")


# -- references between parts ---------------------------------------------------------------
def _declared_topic(report: Reporter, loc: Loc, topic: str, known: Sequence[str]) -> None:
    if topic not in known:
        hint = did_you_mean(topic, known) or "declare it under `topics:` at the top of the file"
        report.error(loc, f"topic '{topic}' is not declared in this bank's `topics`", hint)


def check_references(report: Reporter, parts: Parts, data: dict[str, Any]) -> None:
    topics = declared_ids(data, "topics")
    sources = declared_ids(data, "sources")
    for index, question in parts.questions:
        for position, topic in enumerate(question.topics):
            _declared_topic(report, ("questions", index, "topics", position), topic, topics)
        if question.evidence is not None and question.evidence.source not in sources:
            hint = did_you_mean(question.evidence.source, sources) or (
                "declare it under `sources:` at the top of the file")
            report.error(("questions", index, "evidence", "source"),
                         f"source '{question.evidence.source}' is not declared in this "
                         "bank's `sources`", hint)


# -- quizzes ------------------------------------------------------------------------------
def _check_quiz(report: Reporter, index: int, quiz: Quiz, parts: Parts,
                topics: list[str]) -> None:
    loc: tuple[str | int, ...] = ("quizzes", index, "select")
    for position, topic in enumerate(quiz.select.topics):
        _declared_topic(report, (*loc, "topics", position), topic, topics)
    ids = [q.id for _, q in parts.questions]
    for position, question_id in enumerate(quiz.select.ids):
        if question_id not in ids:
            report.error((*loc, "ids", position),
                         f"there is no question '{question_id}' in this bank",
                         did_you_mean(question_id, ids))
    if not parts.complete:
        return  # counts would be wrong while some questions do not validate
    matched = sum(1 for _, q in parts.questions if quiz.draws(q))
    count = quiz.select.count
    if matched == 0:
        report.error(loc if report.positions.has(loc) else ("quizzes", index),
                     f"quiz '{quiz.id}' selects no questions",
                     "check its `select:` topics, difficulty and ids (questions with "
                     "`exam_only: true` are drawn only by exams)")
    elif count is not None and count > matched:
        report.error((*loc, "count"), f"quiz '{quiz.id}' draws {count} questions, but only "
                     f"{matched} match its selection", f"lower `count` to {matched} or less")
    else:
        _over_cap(report, loc if report.positions.has(loc) else ("quizzes", index),
                  quiz.id, min(matched, count or matched))


def _over_cap(report: Reporter, loc: Loc, quiz_id: str, drawn: int) -> None:
    """Attempts are capped (MAX_QUESTIONS_PER_ATTEMPT) so a huge quiz stays usable."""
    cap = DEFAULT_MAX_QUESTIONS_PER_ATTEMPT
    if drawn > cap:
        report.warning(loc, f"quiz '{quiz_id}' would draw {drawn} questions; an attempt "
                       f"shows at most {cap} by default, drawn at random",
                       f"set `select: count:` to {cap} or less, or add quizzes by topic")


def check_quizzes(report: Reporter, parts: Parts, data: dict[str, Any]) -> None:
    topics = declared_ids(data, "topics")
    for index, quiz in parts.quizzes:
        _check_quiz(report, index, quiz, parts, topics)
    if parts.quizzes and parts.complete:
        _check_unused(report, parts)
    elif parts.complete and parts.questions:
        # No `quizzes:`: the bank's one quiz draws every question.
        default = default_quiz("bank", "bank")
        drawn = sum(1 for _, q in parts.questions if default.draws(q))
        _over_cap(report, ("questions",), str(data.get("id", "bank")), drawn)


def _check_unused(report: Reporter, parts: Parts) -> None:
    quizzes = [quiz for _, quiz in parts.quizzes]
    for index, question in parts.questions:
        if not any(quiz.draws(question) for quiz in quizzes):
            report.warning(("questions", index, "id"),
                           f"question '{question.id}' is in no quiz",
                           "add its topic or id to a quiz's `select:`")


# -- each type's own checks ------------------------------------------------------------------
def check_types(report: Reporter, parts: Parts) -> None:
    for index, question in parts.questions:
        try:
            problems = question.check()
        except Exception as exc:  # a type's bug must not hide the other messages
            report.error(("questions", index), f"this question could not be checked "
                         f"({type(exc).__name__}: {exc})")
            continue
        for problem in problems:
            report.add(problem.severity, ("questions", index, *problem.loc), problem.message)


# -- Markdown ------------------------------------------------------------------------------
def renders_blank(text: str) -> bool:
    if _RISKY.search(text) is None and _VISIBLE.search(text) is not None:
        return False  # plain words always show
    return is_blank(text)


def _flatten(link: tuple[Any, ...]) -> tuple[str | int, ...]:
    """A location kept as nested (parent, part) pairs, as a flat path."""
    parts: list[str | int] = []
    while link:
        link, part = link
        parts.append(part)
    return tuple(reversed(parts))


def markdown_texts(root: Any, name: str) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """(location, text) of every Markdown text under `root`, which sits at `name`.

    Locations are built as (parent, part) pairs and flattened only for a text that
    is reported, since nearly all are fine.
    """
    stack: list[tuple[Any, tuple[Any, ...]]] = [(root, ((), name))]
    while stack:
        value, link = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if type(item) is str:
                    if key in MARKDOWN_KEYS and item and renders_blank(item):
                        yield _flatten((link, key)), item
                elif isinstance(item, dict | list):
                    stack.append((item, (link, key)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict | list):
                    stack.append((item, (link, index)))


def check_markdown(report: Reporter, data: dict[str, Any]) -> None:
    blank = [(("description",), d) for d in [data.get("description")]
             if isinstance(d, str) and d and renders_blank(d)]
    for name in ("quizzes", "questions"):
        blank.extend(markdown_texts(data.get(name), name))
    # Empty text is the schema's to report; whitespace or markup alone is ours.
    for loc, _text in blank:
        report.error(loc, f"`{loc[-1]}` renders to nothing visible",
                     "write some text, or remove the field")


# -- evidence ---------------------------------------------------------------------------------
def check_evidence(report: Reporter, parts: Parts) -> None:
    for index, question in parts.questions:
        loc = ("questions", index)
        if question.explanation is None:
            report.warning(loc, f"question '{question.id}' has no explanation",
                           "add `explanation:` saying why the answer is right")
        evidence = question.evidence
        if evidence is None:
            report.warning(loc, f"question '{question.id}' has no evidence",
                           "add `evidence:` with the source, paragraph and quote")
            continue
        words = grounding.quote_words(evidence.quote)
        if words > grounding.MAX_QUOTE_WORDS:
            report.error((*loc, "evidence", "quote"),
                         f"the quote has {words} words; at most {grounding.MAX_QUOTE_WORDS} "
                         "may be quoted", "quote only the phrase that proves the answer")
        _check_numbers(report, index, question)


def _answer_numbers(question: QuestionSpec) -> list[float]:
    try:
        return list(question.answer_numbers())
    except Exception:  # grounding is advice; a type's bug is reported by check_types
        return []


def _check_numbers(report: Reporter, index: int, question: QuestionSpec) -> None:
    assert question.evidence is not None
    quote = question.evidence.quote
    missing = [n for n in _answer_numbers(question) if not grounding.number_in_quote(n, quote)]
    if not missing:
        return
    stated = sorted(grounding.numbers_in(quote))
    hint = ("the quote states " + ", ".join(grounding.format_number(n) for n in stated)
            if stated else "quote the phrase that states the number")
    shown = ", ".join(grounding.format_number(n) for n in missing)
    report.warning(("questions", index, "evidence", "quote"),
                   f"the answer {shown} does not appear in the evidence quote", hint)


# -- grounding against the source texts -------------------------------------------------------
def check_grounding(report: Reporter, parts: Parts, sources_dir: Path | None) -> None:
    if sources_dir is None:
        return
    texts = _source_texts(report, parts, sources_dir)
    for index, question in parts.questions:
        evidence = question.evidence
        if evidence is not None and evidence.source in texts:
            _check_quote(report, index, evidence, texts[evidence.source])


def _source_texts(report: Reporter, parts: Parts,
                  folder: Path) -> dict[str, grounding.SourceText]:
    texts = {}
    for index, source in parts.sources:
        if source.file is None:
            continue
        text = grounding.load_source(folder / source.file)
        if text is None:
            report.warning(("sources", index, "file"),
                           f"source file '{source.file}' is not in {folder}, so quotes from "
                           "it are not checked")
        else:
            texts[source.id] = text
    return texts


def _check_quote(report: Reporter, index: int, evidence: Any,
                 text: grounding.SourceText) -> None:
    loc = ("questions", index, "evidence")
    count = len(text.paragraphs)
    if evidence.paragraph > count:
        report.error((*loc, "paragraph"), f"source '{evidence.source}' has {count} paragraphs, "
                     f"not {evidence.paragraph}")
        return
    found = text.paragraphs_with(evidence.quote)
    if evidence.paragraph in found:
        return
    if found:
        where = ", ".join(str(n) for n in found)
        report.error((*loc, "paragraph"), f"the quote is not in paragraph "
                     f"{evidence.paragraph} of '{evidence.source}'; it is in paragraph {where}",
                     f"set `paragraph: {found[0]}`")
    else:
        report.error((*loc, "quote"), f"the quote does not occur in '{evidence.source}' "
                     f"(paragraph {evidence.paragraph} or any other)",
                     "copy the words exactly as the article has them")


# -- all together --------------------------------------------------------------------------
def check_parsed(parsed: ParsedFile,
                 sources_dir: Path | None = None) -> tuple[BankFile | None, list[LintMessage]]:
    """The bank (None when any error) and every message about a parsed file."""
    if parsed.data is None or parsed.positions is None:
        return None, list(parsed.messages)
    report = Reporter(parsed.path, parsed.positions, list(parsed.messages))
    bank, parts = validate(report, parsed.data)
    check_ids(report, parsed.data)
    check_references(report, parts, parsed.data)
    check_quizzes(report, parts, parsed.data)
    check_types(report, parts)
    check_markdown(report, parsed.data)
    check_evidence(report, parts)
    check_grounding(report, parts, sources_dir)
    has_error = any(m.is_error for m in report.messages)
    return (None if has_error else bank), report.messages
