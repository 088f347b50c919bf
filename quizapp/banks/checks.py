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
from typing import Any, get_args

from pydantic import ValidationError

from quizapp.banks import grounding, leaks
from quizapp.banks.errors import did_you_mean, relevant, translate
from quizapp.banks.messages import LintMessage, Severity
from quizapp.banks.parse import Loc, ParsedFile, PositionMap
from quizapp.banks.schema import BankFile, Quiz, Source, Topic, default_quiz, question_adapter
from quizapp.config import DEFAULT_MAX_QUESTIONS_PER_ATTEMPT
from quizapp.markdown import is_blank
from quizapp.qtypes.base import Difficulty, QuestionSpec

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
    # The id of each question by its index, as written, so every message about a
    # question can name it.
    question_ids: dict[int, str] = field(default_factory=dict)

    def add(self, severity: Severity, loc: Loc, message: str, hint: str | None = None,
            *, key: bool = False) -> None:
        line, col = self.positions.locate(loc, key=key)
        message = self.naming_question(loc, message)
        self.messages.append(LintMessage(self.path, line, col, severity, message, hint))

    def naming_question(self, loc: Loc, message: str) -> str:
        """`question 'gauge': ...` in front of a message about a question that does not
        name it already."""
        if len(loc) < 2 or loc[0] != "questions" or not isinstance(loc[1], int):
            return message
        question_id = self.question_ids.get(loc[1])
        if question_id is None:
            return message
        if f"question '{question_id}'" in message:
            return message
        return f"question '{question_id}': {message}"

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
    questions: list[tuple[int, QuestionSpec]]  # those with faults, repaired if they can be
    complete: bool  # every question validated
    # What `select:` reads of every question; None when that cannot be known, so
    # counting selections would be a guess.
    selectable: list[Selectable] | None = None
    # Questions checked without their faulty fields: a missing explanation there may be
    # a misspelt one, already reported.
    repaired: frozenset[int] = frozenset()


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
    questions = list(enumerate(bank.questions))
    return Parts(list(enumerate(bank.sources)), list(enumerate(bank.topics)), quizzes,
                 questions, complete=True,
                 selectable=[Selectable(q.id, q.topics, q.difficulty, q.exam_only)
                             for _, q in questions])


def repaired_question(raw: Any) -> QuestionSpec | None:
    """A question that did not validate, without its faulty fields, when it then validates.

    Its faults are reported already; the rest of it (its evidence, its own checks, its
    topics) is still checked, so no error hides another in the same question. A fault
    in a field the question cannot do without (its type, its answers) leaves None.
    """
    if not isinstance(raw, dict):
        return None
    validate = question_adapter().validate_python
    item = dict(raw)
    for _ in range(3):  # removing a field can only reveal a missing one, never more faults
        try:
            return validate(item)  # type: ignore[no-any-return]
        except (ValidationError, ValueError, TypeError) as exc:
            errors = exc.errors() if isinstance(exc, ValidationError) else []
            # Locations start with the type's tag: ("numeric", "points", ...).
            bad = {e["loc"][1] for e in errors if len(e["loc"]) > 1
                   and isinstance(e["loc"][1], str) and e["loc"][1] in item}
            if not bad or bad & {"id", "type"}:
                return None
            for key in bad:
                del item[key]
    return None


def _questions_with_repairs(raw: Any) -> list[tuple[int, QuestionSpec]]:
    if not isinstance(raw, list):
        return []
    questions = []
    for index, item in enumerate(raw):
        question = repaired_question(item)
        if question is not None:
            questions.append((index, question))
    return questions


@dataclass(frozen=True)
class Selectable:
    """What a quiz's `select:` reads of a question, taken from the file as written."""

    id: str
    topics: tuple[str, ...]
    difficulty: str
    exam_only: bool = False


# A question's difficulties and its default, as the question model defines them.
_DIFFICULTIES: tuple[str, ...] = get_args(Difficulty)
_DEFAULT_DIFFICULTY: str = QuestionSpec.model_fields["difficulty"].default


def selectable_questions(raw: Any) -> list[Selectable] | None:
    """Every question as selection sees it, even those with faults elsewhere; None when
    one of them has a faulty id, topics or difficulty, so counting would be a guess."""
    if not isinstance(raw, list):
        return None
    result = []
    for item in raw:
        if not isinstance(item, dict):
            return None
        question_id, topics = item.get("id"), item.get("topics", [])
        difficulty = item.get("difficulty", _DEFAULT_DIFFICULTY)
        if (not isinstance(question_id, str) or not isinstance(topics, list)
                or not all(isinstance(t, str) for t in topics)
                or difficulty not in _DIFFICULTIES):
            return None
        result.append(Selectable(question_id, tuple(topics), difficulty,
                                 item.get("exam_only") is True))
    return result


def _partial_parts(data: dict[str, Any]) -> Parts:
    raw_questions = data.get("questions")
    questions = _questions_with_repairs(raw_questions)
    valid = {index for index, _ in _valid_items(raw_questions, question_adapter().validate_python)}
    return Parts(
        _valid_items(data.get("sources"), Source.model_validate),
        _valid_items(data.get("topics"), Topic.model_validate),
        _valid_items(data.get("quizzes"), Quiz.model_validate),
        questions,
        complete=False,
        selectable=selectable_questions(raw_questions),
        repaired=frozenset(index for index, _ in questions if index not in valid),
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
                topics: list[str], ids: list[str]) -> None:
    loc: tuple[str | int, ...] = ("quizzes", index, "select")
    for position, topic in enumerate(quiz.select.topics):
        _declared_topic(report, (*loc, "topics", position), topic, topics)
    for position, question_id in enumerate(quiz.select.ids):
        if question_id not in ids:
            report.error((*loc, "ids", position),
                         f"there is no question '{question_id}' in this bank",
                         did_you_mean(question_id, ids))
    if parts.selectable is None:
        return  # counts would be a guess while some question's selection fields are faulty
    matched = len([q for q in parts.selectable if quiz.draws(q)])
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
    ids = declared_ids(data, "questions")  # as written, faulty questions included
    for index, quiz in parts.quizzes:
        _check_quiz(report, index, quiz, parts, topics, ids)
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
    blank: list[tuple[tuple[str | int, ...], str]] = [
        (("description",), d) for d in [data.get("description")]
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
        if index in parts.repaired and (question.explanation is None
                                        or question.evidence is None):
            continue  # the field may be there, misspelt: that is reported already
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
    # A quote that states numbers, none of them the answer, is a typo on one side or
    # the other (1,453 for 1,435): learners would be marked against the wrong number.
    # A quote without numbers may state it in words or another unit: advice only.
    report.add("error" if stated else "warning", ("questions", index, "evidence", "quote"),
               f"the answer {shown} is not among the numbers of its evidence quote"
               if stated else f"the answer {shown} does not appear in the evidence quote",
               hint)


# -- grounding against the source texts -------------------------------------------------------
def cited_sources(parts: Parts) -> set[str]:
    return {q.evidence.source for _, q in parts.questions if q.evidence is not None}


def check_grounding(report: Reporter, parts: Parts,
                    sources_dir: Path | None) -> dict[int, Source]:
    """Check every quote against its source text; the sources completed from their
    files' front matter, by index (only those that changed)."""
    cited = cited_sources(parts)
    _check_titles(report, parts)
    if sources_dir is None:
        for index, source in parts.sources:
            if source.id in cited and source.file is not None:
                report.warning(("sources", index, "file"),
                               f"no folder of source texts was given, so quotes from "
                               f"'{source.id}' are not checked",
                               "give `--sources DIR`, or set QUIZAPP_SOURCES_DIR")
        return {}
    texts = _source_texts(report, parts, sources_dir, cited)
    for index, question in parts.questions:
        evidence = question.evidence
        if evidence is not None and evidence.source in texts:
            _check_quote(report, index, evidence, texts[evidence.source])
    return _completed_sources(report, parts, texts)


def _check_titles(report: Reporter, parts: Parts) -> None:
    for index, source in parts.sources:
        if source.title is None and source.file is None:
            report.error(("sources", index), f"source '{source.id}' has no title",
                         "add `title:`, or a `file:` whose front matter or `# ` heading "
                         "gives it")


def _source_texts(report: Reporter, parts: Parts, folder: Path,
                  cited: set[str]) -> dict[str, grounding.Grounds]:
    texts = {}
    for index, source in parts.sources:
        if source.file is None:
            if source.id in cited:
                report.warning(("sources", index), f"source '{source.id}' has no `file`, so "
                               "quotes from it are not checked",
                               "add `file:` naming its text in the sources folder")
            continue
        text = grounding.load_source(folder / source.file)
        if text is None:
            report.warning(("sources", index, "file"),
                           f"source file '{source.file}' is not in {folder}, so quotes "
                           f"from '{source.id}' are not checked",
                           "fix `file`, or add the text to the folder (teachers can upload "
                           "it on the banks page)")
            continue
        document = getattr(text, "document", None)  # a fingerprint has none
        for problem in document.problems if document is not None else ():
            report.warning(("sources", index, "file"), f"source file '{source.file}': {problem}")
        texts[source.id] = text
    return texts


# The fields a source file's front matter can supply, and what it shows learners.
_FRONT_FIELDS = ("title", "author", "publisher", "date", "url", "licence")


def _completed_sources(report: Reporter, parts: Parts,
                       texts: dict[str, grounding.Grounds]) -> dict[int, Source]:
    completed: dict[int, Source] = {}
    for index, source in parts.sources:
        document = getattr(texts.get(source.id), "document", None)
        if document is None:
            continue
        from_file = {name: getattr(document.front, name) for name in _FRONT_FIELDS}
        update: dict[str, Any] = {}
        if source.title is None and document.title is not None:
            update["title"] = document.title  # the `# ` heading only fills a gap
        for name, value in from_file.items():
            here = getattr(source, name)
            if value is None or here == value or (
                    isinstance(here, str) and grounding.fold(here) == grounding.fold(str(value))):
                continue
            if here is not None:
                report.warning(("sources", index, name),
                               f"source '{source.id}': `{name}` is '{here}' here but "
                               f"'{value}' in {source.file}",
                               "learners are shown the file's; make them agree or remove "
                               "it here")
            update[name] = value
        if update:
            completed[index] = source.model_copy(update=update)
    return completed


def _check_quote(report: Reporter, index: int, evidence: Any,
                 text: grounding.Grounds) -> None:
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


# -- answers given away by other questions ---------------------------------------------------
QuizGroup = tuple[str, Loc, list[tuple[int, QuestionSpec]]]


def _quiz_groups(parts: Parts, data: dict[str, Any]) -> list[QuizGroup]:
    """(quiz id, where to report, its questions) for each quiz; the whole bank without any."""
    if not parts.quizzes:
        bank_id = data.get("id") if isinstance(data.get("id"), str) else "this bank"
        return [(str(bank_id), ("id",), parts.questions)]
    return [(quiz.id, ("quizzes", index, "id"),
             [(i, q) for i, q in parts.questions if quiz.select.matches(q)])
            for index, quiz in parts.quizzes]


def _describe(loc: Loc) -> str:
    words = [str(part) for part in loc if not isinstance(part, int)]
    return {"prompt": "prompt", "text": "text"}.get(words[0], " ".join(words))


MAX_LISTED = 8


def check_leaks(report: Reporter, parts: Parts, data: dict[str, Any]) -> None:
    """Warnings: an answer printed in other questions of the same quiz (one warning per
    answer, naming every place); a fact asked by more than two questions of one quiz."""
    found: dict[tuple[int, str], dict[int, leaks.Leak]] = {}
    quizzes: dict[tuple[int, str], list[str]] = {}
    for quiz_id, quiz_loc, questions in _quiz_groups(parts, data):
        for leak in leaks.find_leaks(questions):
            key = (leak.source_index, leak.answer)
            found.setdefault(key, {})[leak.shown_index] = leak
            if quiz_id not in quizzes.setdefault(key, []):
                quizzes[key].append(quiz_id)
        for fact in leaks.repeated_facts(questions):
            report.warning(quiz_loc, f"quiz '{quiz_id}' asks for '{fact.fact}' in "
                           f"{len(fact.question_ids)} questions: {', '.join(fact.question_ids)}",
                           "ask each fact once or twice; the rest test memory of the quiz")
    for (source_index, answer), shown in found.items():
        places = sorted(shown.values(), key=lambda leak: leak.shown_index)
        source_id = places[0].source_id
        listed = ", ".join(
            f"'{leak.shown_id}' ({_describe(leak.loc)}, line "
            f"{report.line_of(('questions', leak.shown_index, *leak.loc))})"
            for leak in places[:MAX_LISTED])
        more = f" and {len(places) - MAX_LISTED} more" if len(places) > MAX_LISTED else ""
        named = quizzes[(source_index, answer)]
        where = ("quiz " if len(named) == 1 else "quizzes ") + ", ".join(f"'{q}'" for q in named)
        report.warning(("questions", source_index, "id"),
                       f"question '{source_id}': its answer '{answer}' is printed in "
                       f"{len(places)} other question{'s' if len(places) != 1 else ''} of "
                       f"{where}: {listed}{more}",
                       "reword them, or put the questions in different quizzes")


# -- drafts -----------------------------------------------------------------------------------
def check_drafts(report: Reporter, parts: Parts) -> None:
    """Drafts load but are never served: each is a reminder to review it."""
    for index, question in parts.questions:
        if question.draft:
            report.warning(("questions", index, "draft"),
                           f"question '{question.id}' is a draft to review: students never "
                           "see it", "check it against the article, edit it, then remove "
                           "`draft: true`")
        if question.rewrite:
            report.warning(("questions", index, "rewrite"),
                           f"question '{question.id}' still copies seven or more words of "
                           "the article in a row", "put it in your own words, then remove "
                           "`rewrite: true`")


# -- all together --------------------------------------------------------------------------
def check_parsed(parsed: ParsedFile,
                 sources_dir: Path | None = None) -> tuple[BankFile | None, list[LintMessage]]:
    """The bank (None when any error) and every message about a parsed file."""
    if parsed.data is None or parsed.positions is None:
        return None, list(parsed.messages)
    report = Reporter(parsed.path, parsed.positions, list(parsed.messages),
                      dict(raw_ids(parsed.data, "questions")))
    bank, parts = validate(report, parsed.data)
    check_ids(report, parsed.data)
    check_references(report, parts, parsed.data)
    check_quizzes(report, parts, parsed.data)
    check_types(report, parts)
    check_markdown(report, parsed.data)
    check_evidence(report, parts)
    check_drafts(report, parts)
    completed = check_grounding(report, parts, sources_dir)
    check_leaks(report, parts, parsed.data)
    has_error = any(m.is_error for m in report.messages)
    if has_error or bank is None:
        return None, report.messages
    if completed:
        sources = tuple(completed.get(i, source) for i, source in enumerate(bank.sources))
        bank = bank.model_copy(update={"sources": sources})
    return bank, report.messages
