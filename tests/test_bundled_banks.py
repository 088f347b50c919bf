"""The question banks shipped in `questions/` are clean, grounded and complete.

Two layers of checks:

* the project's own bank linter, with grounding against the source articles, must
  report nothing at all (no error and no warning), so no quiz prints one question's
  answer in another question and no quiz asks the same fact more than twice;
* an independent reading of the YAML that re-checks what the content brief asks for:
  enough questions, every type and difficulty used, every topic covered, every
  question explained and backed by a short quote that really is in the paragraph it
  cites, numbers stated in their quotes, distractors that carry feedback, and
  questions written in the project's own words rather than copied from the article,
  a spread of reading skills beyond recall, a reading-check quiz of one question per
  fact, and an exam drawn from a fixed list that holds every exam-only question.

The articles are not part of this repository: CI and developer machines have them in
`../shared/sources/` next to the project root. A fresh clone has only their
fingerprints (`questions/sources/`), which the linter grounds against all the same;
the checks that need the article's own words skip there.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from quizapp.qtypes import QUESTION_TYPES as REGISTERED_TYPES

REPO_ROOT = Path(__file__).resolve().parents[1]
QUESTIONS_DIR = REPO_ROOT / "questions"
SOURCES_DIR = Path(os.environ.get("QUIZAPP_TEST_SOURCES_DIR")
                   or Path(__file__).resolve().parents[2] / "shared" / "sources")
FINGERPRINTS_DIR = QUESTIONS_DIR / "sources"
BANK_FILE = QUESTIONS_DIR / "belarus-role.yaml"

MIN_QUESTIONS = 95
MIN_PER_TYPE = 6
MAX_QUOTE_WORDS = 15
# A run of this many words shared with the article, outside the evidence quote, means
# a sentence was copied rather than written in the project's own words.
COPIED_RUN = 7

# Every registered type, so a new type is shown in the bundled bank too.
QUESTION_TYPES = tuple(REGISTERED_TYPES)
REQUIRED_TOPICS = (
    "rail-logistics", "polls-opinion", "troops-capacity", "supplies", "casualties",
    "people-institutions", "places", "timeline", "sanctions-trade",
)
DIFFICULTIES = ("easy", "medium", "hard")
# Roughly 35/40/25 is the aim; these bounds leave room for editing.
DIFFICULTY_SHARE = {"easy": (0.25, 0.45), "medium": (0.30, 0.50), "hard": (0.15, 0.35)}
SKILLS = ("recall", "inference", "main_idea", "vocabulary", "evidence", "cause_effect")
# Recall may be at most half of the bank; every other skill needs enough questions to
# practise it.
MAX_RECALL_SHARE = 0.5
MIN_PER_SKILL = 5
# The reading check asks each key point once; a teacher sets it after a first reading.
CORE_SIZE = (25, 30)
# Words whose meaning in context the bank must ask about.
VOCABULARY = ("nominally", "ostensibly", "botched", "faltered")


# -- reading the files, independently of the app ------------------------------------------
_FOLD = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
    "\u2014": "-", "\u2013": "-", "\u2011": "-", "\u2010": "-", "\u00a0": " ",
})


def fold(text: str) -> str:
    """Whitespace, curly quotes, dashes and case folded, as the grounding check does."""
    return " ".join(text.translate(_FOLD).split()).casefold()


def paragraphs_of(text: str) -> list[str]:
    """Body paragraphs: every non-blank line except headings, images and the date line."""
    paragraphs = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or re.fullmatch(r"!\[[^\]]*\]\([^)]*\)", line):
            continue
        if line.startswith(">") and len(line) <= 40 and re.search(r"\b(19|20)\d\d\b", line):
            continue
        paragraphs.append(line)
    return paragraphs


def numbers_in(text: str) -> set[float]:
    """Numbers written in a quote: `1,520mm` -> 1520, `7%` -> 7, `16th` -> 16."""
    return {float(m.replace(",", "")) for m in re.findall(r"\d{1,3}(?:,\d{3})+|\d+", text)}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9'%-]+", fold(text).replace(",", ""))


@cache
def sources_dir() -> Path:
    """What the linter grounds against: the articles when present, else their fingerprints."""
    return SOURCES_DIR if SOURCES_DIR.is_dir() else FINGERPRINTS_DIR


def article_dir() -> Path:
    if not SOURCES_DIR.is_dir():
        pytest.skip(f"needs the article itself in {SOURCES_DIR}; the linter still checks "
                    "every quote against the committed fingerprint")
    return SOURCES_DIR


@cache
def bank_data() -> dict[str, Any]:
    assert BANK_FILE.is_file(), f"{BANK_FILE} is missing"
    data = YAML(typ="safe").load(BANK_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{BANK_FILE.name} does not hold a mapping"
    return data


def questions() -> list[dict[str, Any]]:
    return list(bank_data()["questions"])


@cache
def source_paragraphs() -> dict[str, list[str]]:
    """Source id -> its paragraphs, for every source of the bank that names a file."""
    found = {}
    for source in bank_data()["sources"]:
        path = article_dir() / source["file"]
        if not path.is_file():
            pytest.fail(f"source file {path} is missing")
        found[source["id"]] = paragraphs_of(path.read_text(encoding="utf-8"))
    return found


class FingerprintParagraphs:
    """A source's fingerprint where the checks below expect its list of paragraphs."""

    def __init__(self, printed: Any) -> None:
        self.printed = printed

    def __len__(self) -> int:
        return len(self.printed.paragraphs)

    def holds(self, number: int, quote: str) -> bool:
        return number in self.printed.paragraphs_with(quote)


def quote_in_paragraph(texts: Any, number: int, quote: str) -> bool:
    if isinstance(texts, FingerprintParagraphs):
        return texts.holds(number, quote)
    return fold(quote) in fold(texts[number - 1])


def learner_texts(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """(location, text) of every string a learner sees, leaving out the evidence."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "evidence":
                yield from learner_texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from learner_texts(item, f"{where}[{index}]")
    elif isinstance(value, str):
        yield where, value


def full_marks_numbers(rules: list[dict[str, Any]]) -> list[float]:
    return [float(r["value"]) for r in rules if "value" in r and r.get("fraction", 1) >= 1]


# -- the project's linter ------------------------------------------------------------------------
def test_linter_reports_nothing() -> None:
    lint = pytest.importorskip("quizapp.banks.lint")
    messages = lint.lint_paths([QUESTIONS_DIR], sources_dir=sources_dir())
    assert not messages, "\n".join(m.format() for m in messages)


def test_loader_reads_every_question() -> None:
    loader = pytest.importorskip("quizapp.banks.loader")
    loaded = loader.load_bank(BANK_FILE, sources_dir=sources_dir())
    assert loaded.bank is not None, "\n".join(m.format() for m in loaded.messages)
    assert not loaded.messages, "\n".join(m.format() for m in loaded.messages)
    assert len(loaded.bank.questions) == len(questions())
    for question in loaded.bank.questions:
        outcome = question.score(question.reference_response())
        assert outcome.fraction == 1, f"{question.id}: its own answer does not score 1"


# Answers people type, and what they should earn.
TYPED_ANSWERS = [
    ("gauge-width", "1520", 1.0),
    ("gauge-width", "1,520 mm", 1.0),
    ("gauge-width", "152 cm", 1.0),
    ("gauge-width", "1.52 m", 1.0),
    ("gauge-width", "1524", 0.5),
    ("gauge-width", "1435 mm", 0.0),
    ("ammo-tonnes", "65,000 tonnes", 1.0),
    ("ammo-tonnes", "65k", 1.0),
    ("ammo-tonnes", "60000", 0.5),
    ("tanks-count", "100 tanks", 1.0),
    ("armoured-vehicles-count", "20 vehicles", 1.0),
    ("russian-troops-2022", "30,000 soldiers", 1.0),
    ("russian-troops-2022", "thirty thousand", 1.0),
    ("russian-troops-2022", "20000", 0.0),
    ("standing-army-size", "45k troops", 1.0),
    ("combat-ready-count", "10,000", 1.0),
    ("ukraine-northern-troops", "20,000 troops", 1.0),
    ("poll-support-share", "7%", 1.0),
    ("poll-support-share", "7 per cent", 1.0),
    ("poll-support-share", "8%", 0.5),
    ("bodies-city", "Gomel", 1.0),
    ("bodies-city", "Homel", 1.0),
    ("bodies-city", "Homiel", 1.0),
    ("bodies-city", "Гомель", 1.0),
    ("bodies-city", "Minsk", 0.0),
    ("kyiv-attack", "Kiev", 1.0),
    ("kyiv-attack", "Київ", 1.0),
    ("lukashenko-name", "Lukashenka", 1.0),
    ("lukashenko-name", "Alexander Lukashenko", 1.0),
    ("lukashenko-name", "Putin", 0.0),
    ("rusi-name", "RUSI", 1.0),
    ("rusi-name", "the Royal United Services Institute", 1.0),
    ("rusi-name", "Chatham House", 0.0),
    ("lukashenko-statement-date", "16 February", 1.0),
    ("lukashenko-statement-date", "February 16th", 1.0),
    ("lukashenko-statement-date", "February", 0.5),
    # What the prompts invite people to type, units and all.
    ("armoured-vehicles-count", "20 armoured vehicles", 1.0),
    ("armoured-vehicles-count", "20 armored vehicles", 1.0),
    ("russian-troops-2022", "30,000 Russian soldiers", 1.0),
    ("standing-army-size", "45,000 Belarusian soldiers", 1.0),
    ("combat-ready-count", "10,000 soldiers", 1.0),
    ("ukraine-northern-troops", "20,000 Ukrainian troops", 1.0),
    ("tanks-count", "100 Soviet-era tanks", 1.0),
    ("poll-group", "Belarus Change Tracker", 1.0),
    ("poll-group", "Belarusian Change Tracker", 1.0),
    ("poll-group", "RUSI", 0.0),
    # The article's own phrase, "smuggle in", fills the blank before "goods in".
    ("sanctions-cloze", "verb = smuggle in; country = China; how = directly", 1.0),
    ("sanctions-cloze", "verb = smuggle; country = China; how = directly", 1.0),
    ("sanctions-cloze", "verb = import; country = China; how = directly", 5 / 6),
    ("sanctions-cloze", "verb = export; country = Iran; how = by sea", 0.0),
]


@pytest.mark.parametrize(("question_id", "typed", "expected"), TYPED_ANSWERS)
def test_typed_answers_score_as_intended(question_id: str, typed: str, expected: float) -> None:
    loader = pytest.importorskip("quizapp.banks.loader")
    loaded = loader.load_bank(BANK_FILE, sources_dir=sources_dir())
    assert loaded.bank is not None, "\n".join(m.format() for m in loaded.messages)
    question = next(q for q in loaded.bank.questions if q.id == question_id)
    outcome = question.score(question.parse_text([typed]))
    assert outcome.fraction == pytest.approx(expected), f"{question_id}: {typed!r}"


# -- independent checks of the content -----------------------------------------------------------
def test_file_name_is_the_bank_id() -> None:
    assert BANK_FILE.stem == bank_data()["id"]


def test_source_is_declared_as_required() -> None:
    (source,) = bank_data()["sources"]
    assert source["id"] == "economist-belarus"
    assert source["file"] == "economist-2023-03-17-belarus-role.md"
    assert str(source["date"]) == "2023-03-17"
    assert source["publisher"] == "The Economist"
    from quizapp.banks.grounding import load_source

    source_text = load_source(sources_dir() / source["file"])
    assert source_text is not None, f"neither {source['file']} nor its fingerprint"
    assert len(source_text.paragraphs) == 8


def test_enough_questions_with_unique_ids() -> None:
    ids = [q["id"] for q in questions()]
    assert len(ids) >= MIN_QUESTIONS, f"only {len(ids)} questions"
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    bad = [i for i in ids if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", i)]
    assert not bad, f"ids that are not slugs: {bad}"


def test_every_type_is_used_often_enough() -> None:
    counts = Counter(q["type"] for q in questions())
    short = {t: counts[t] for t in QUESTION_TYPES if counts[t] < MIN_PER_TYPE}
    assert not short, f"types used fewer than {MIN_PER_TYPE} times: {short}"


def test_difficulties_are_spread() -> None:
    counts = Counter(q.get("difficulty", "medium") for q in questions())
    total = sum(counts.values())
    for level in DIFFICULTIES:
        low, high = DIFFICULTY_SHARE[level]
        share = counts[level] / total
        assert low <= share <= high, f"{level}: {counts[level]} of {total} ({share:.0%})"


def test_every_required_topic_is_declared_and_covered() -> None:
    declared = {t["id"] for t in bank_data()["topics"]}
    missing = [t for t in REQUIRED_TOPICS if t not in declared]
    assert not missing, f"topics not declared: {missing}"
    used = Counter(t for q in questions() for t in q.get("topics", []))
    thin = {t: used[t] for t in REQUIRED_TOPICS if used[t] < 6}
    assert not thin, f"topics with fewer than 6 questions: {thin}"
    for question in questions():
        topics = question.get("topics", [])
        assert 1 <= len(topics) <= 2, f"{question['id']}: give it one or two topics"
        assert set(topics) <= declared, f"{question['id']}: undeclared topic in {topics}"


def test_quizzes_cover_topics_whole_article_and_exam() -> None:
    quizzes = {q["id"]: q for q in bank_data()["quizzes"]}
    practice_topics = {
        t for q in quizzes.values() if q.get("mode", "practice") == "practice"
        for t in q.get("select", {}).get("topics", [])
    }
    declared = {t["id"] for t in bank_data()["topics"]}
    assert practice_topics == declared, "every topic needs its own practice quiz"

    # The whole-article quiz is a shorter random mix of the reading check, so it is as
    # free of give-aways as the reading check itself.
    whole = quizzes["whole-article"]
    assert whole["mode"] == "practice"
    assert whole["select"] == {"ids": quizzes["core"]["select"]["ids"], "count": 15}
    assert whole["shuffle_questions"] is True

    exam = quizzes["belarus-role-exam"]
    assert exam["mode"] == "exam"
    assert exam["feedback"] == "deferred"
    assert exam["attempts_allowed"] == 2
    assert exam["grading"] == "highest"
    assert exam["pass_mark"] == 60
    assert exam["time_limit"] > 0


def test_exam_draws_from_a_fixed_list_holding_every_exam_only_question() -> None:
    quizzes = {q["id"]: q for q in bank_data()["quizzes"]}
    select = quizzes["belarus-role-exam"]["select"]
    assert set(select) == {"ids", "count"}, "the exam draws from a fixed list of ids"
    ids = select["ids"]
    assert len(ids) == len(set(ids)), "an id is listed twice"
    known = {q["id"] for q in questions()}
    assert set(ids) <= known, f"unknown ids: {set(ids) - known}"
    # A list well beyond the draw, so two attempts see different questions.
    assert 15 <= select["count"] <= len(ids) - 10
    exam_only = {q["id"] for q in questions() if q.get("exam_only")}
    assert len(exam_only) >= 6, "keep some questions for exams only"
    assert exam_only <= set(ids), f"exam-only questions no quiz draws: {exam_only - set(ids)}"
    for quiz in quizzes.values():
        if quiz.get("mode", "practice") == "practice":
            listed = set(quiz.get("select", {}).get("ids", ()))
            assert not listed & exam_only, f"{quiz['id']} lists exam-only questions"


def test_core_quiz_asks_each_fact_once() -> None:
    leaks = pytest.importorskip("quizapp.banks.leaks")
    quizzes = {q["id"]: q for q in bank_data()["quizzes"]}
    core = quizzes["core"]
    assert core["mode"] == "practice"
    assert set(core["select"]) == {"ids"}, "the reading check lists its questions"
    ids = core["select"]["ids"]
    low, high = CORE_SIZE
    assert low <= len(ids) <= high, f"the reading check has {len(ids)} questions"
    assert len(ids) == len(set(ids))
    by_id = {q["id"]: q for q in questions()}
    assert not [i for i in ids if by_id[i].get("exam_only")], "exam-only questions in core"
    quotes = Counter(fold(by_id[i]["evidence"]["quote"]) for i in ids)
    assert not [q for q, n in quotes.items() if n > 1], f"two questions on one quote: {quotes}"
    skills = Counter(by_id[i]["skill"] for i in ids)
    assert skills["recall"] <= len(ids) * MAX_RECALL_SHARE, skills
    assert set(skills) == set(SKILLS), f"the reading check should exercise every skill: {skills}"
    # The same answer asked twice is one fact asked twice.
    loader = pytest.importorskip("quizapp.banks.loader")
    bank = loader.load_bank(BANK_FILE, sources_dir=sources_dir()).bank
    assert bank is not None
    specs = {q.id: q for q in bank.questions}
    answers = Counter(fact.key for i in ids for fact in leaks.answer_facts(specs[i]))
    assert not [a for a, n in answers.items() if n > 1], answers


def test_no_quiz_prints_an_answer_of_another_question() -> None:
    """Counting exam-only questions in practice quizzes too: the strictest reading."""
    leaks = pytest.importorskip("quizapp.banks.leaks")
    loader = pytest.importorskip("quizapp.banks.loader")
    bank = loader.load_bank(BANK_FILE, sources_dir=sources_dir()).bank
    assert bank is not None
    problems = []
    for quiz in bank.quizzes:
        chosen = [(i, q) for i, q in enumerate(bank.questions) if quiz.select.matches(q)]
        problems += [f"{quiz.id}: the answer {leak.answer!r} of {leak.source_id} is printed "
                     f"in {leak.shown_id} ({'/'.join(map(str, leak.loc))})"
                     for leak in leaks.find_leaks(chosen)]
        problems += [f"{quiz.id}: {fact.fact!r} is asked by {', '.join(fact.question_ids)}"
                     for fact in leaks.repeated_facts(chosen)]
    assert not problems, "\n".join(problems)


def test_every_question_names_its_reading_skill() -> None:
    missing = [q["id"] for q in questions() if q.get("skill") not in SKILLS]
    assert not missing, f"questions without a reading skill: {missing}"
    counts = Counter(q["skill"] for q in questions())
    total = sum(counts.values())
    assert counts["recall"] <= total * MAX_RECALL_SHARE, (
        f"{counts['recall']} of {total} questions test recall; at most half may")
    thin = {s: counts[s] for s in SKILLS if counts[s] < MIN_PER_SKILL}
    assert not thin, f"skills with fewer than {MIN_PER_SKILL} questions: {thin}"


def test_words_in_context_are_asked() -> None:
    vocabulary = " ".join(q["prompt"].casefold() for q in questions()
                          if q.get("skill") == "vocabulary")
    missing = [w for w in VOCABULARY if w not in vocabulary]
    assert not missing, f"no vocabulary question on {missing}"


def test_every_question_is_explained_and_grounded() -> None:
    """Independently of the linter when the article is at hand, else via its fingerprint."""
    from quizapp.banks.grounding import load_source

    if SOURCES_DIR.is_dir():
        paragraphs = source_paragraphs()
    else:
        printed = {s["id"]: load_source(FINGERPRINTS_DIR / s["file"])
                   for s in bank_data()["sources"]}
        paragraphs = {key: FingerprintParagraphs(value) for key, value in printed.items()
                      if value is not None}
    problems = []
    for question in questions():
        qid = question["id"]
        explanation = question.get("explanation") or ""
        if "the article" not in explanation.casefold() and "paragraph" not in explanation:
            problems.append(f"{qid}: the explanation should cite the article")
        evidence = question.get("evidence")
        if not evidence:
            problems.append(f"{qid}: no evidence")
            continue
        quote, number = evidence["quote"], evidence["paragraph"]
        if len(quote.split()) > MAX_QUOTE_WORDS:
            problems.append(f"{qid}: the quote has {len(quote.split())} words")
        texts = paragraphs.get(evidence["source"])
        if texts is None:
            problems.append(f"{qid}: unknown source {evidence['source']!r}")
        elif not 1 <= number <= len(texts):
            problems.append(f"{qid}: there is no paragraph {number}")
        elif not quote_in_paragraph(texts, number, quote):
            problems.append(f"{qid}: the quote is not in paragraph {number}: {quote!r}")
    assert not problems, "\n".join(problems)


def test_numbers_in_answers_are_stated_in_their_quotes() -> None:
    problems = []
    for question in questions():
        if question["type"] == "numeric":
            wanted = full_marks_numbers(question["answers"])
        elif question["type"] == "cloze":
            wanted = [n for blank in question["blanks"].values() if blank["type"] == "numeric"
                      for n in full_marks_numbers(blank["answers"])]
        else:
            continue
        stated = numbers_in(question["evidence"]["quote"])
        missing = [n for n in wanted if n not in stated]
        if missing:
            problems.append(f"{question['id']}: {missing} not in {question['evidence']['quote']!r}")
    assert not problems, "\n".join(problems)


def test_numeric_questions_accept_units_and_give_partial_credit() -> None:
    for question in questions():
        if question["type"] != "numeric":
            continue
        rules = question["answers"]
        value = full_marks_numbers(rules)[0]
        if 1900 <= value <= 2100:
            continue  # a year takes no unit and earns nothing for being close
        assert question.get("units"), f"{question['id']}: declare the units people type"
        assert any(0 < r.get("fraction", 1) < 1 for r in rules), (
            f"{question['id']}: give partial credit for a near answer")


def test_cloze_blanks_mix_all_kinds() -> None:
    kinds = Counter(b["type"] for q in questions() if q["type"] == "cloze"
                    for b in q["blanks"].values())
    assert set(kinds) == {"choice", "short_text", "numeric"}, kinds
    for question in questions():
        if question["type"] == "cloze":
            names = re.findall(r"\{\{\s*([a-z0-9_-]+)\s*\}\}", question["text"])
            assert sorted(names) == sorted(question["blanks"]), question["id"]


def test_wrong_options_explain_the_misconception() -> None:
    problems = []
    for question in questions():
        qid = question["id"]
        if question["type"] in ("single_choice", "multiple_response"):
            options = question["options"]
        elif question["type"] == "cloze":
            options = [o for b in question["blanks"].values() if b["type"] == "choice"
                       for o in b["options"]]
        else:
            options = []
        problems += [f"{qid}: no feedback on wrong option {o['text']!r}"
                     for o in options if not o.get("correct") and not o.get("feedback")]
        if question["type"] == "true_false" and not (
                question.get("feedback_true") and question.get("feedback_false")):
            problems.append(f"{qid}: give feedback for both answers")
        if question["type"] == "short_text":
            wrong = [r for r in question["answers"] if r.get("fraction", 1) == 0]
            if not wrong or not all(r.get("feedback") for r in wrong):
                problems.append(f"{qid}: list likely wrong answers, with feedback")
            right = [a for r in question["answers"] if r.get("fraction", 1) >= 1
                     for a in r.get("accept", [])]
            if len(right) < 2:
                problems.append(f"{qid}: list the other spellings people use")
    assert not problems, "\n".join(problems)


def test_questions_are_written_in_own_words() -> None:
    runs = set()
    for texts in source_paragraphs().values():
        for paragraph in texts:
            article = words(paragraph)
            runs.update(tuple(article[i:i + COPIED_RUN])
                        for i in range(len(article) - COPIED_RUN + 1))
    problems = []
    for question in questions():
        for where, text in learner_texts(question):
            ours = words(text)
            copied = [" ".join(ours[i:i + COPIED_RUN]) for i in range(len(ours) - COPIED_RUN + 1)
                      if tuple(ours[i:i + COPIED_RUN]) in runs]
            if copied:
                problems.append(f"{question['id']}{where}: copies {copied[0]!r}")
    assert not problems, "\n".join(problems)


def test_required_facts_are_asked() -> None:
    """Every figure and date in the article is the answer to, or cited by, some question."""
    quotes = " | ".join(fold(q["evidence"]["quote"]) for q in questions())
    for fact in ("1,520mm", "30,000", "65,000 tonnes", "100 soviet-era tanks",
                 "20 armoured vehicles", "between march and september", "7%", "in november",
                 "in march", "20,000 troops", "45,000", "10,000", "february 16th",
                 "in january", "in the autumn", "post-imperialistic trauma", "huge liability",
                 "pit the two countries", "western officials", "belarus change tracker",
                 "independent belarusian researchers", "such as china", "smuggle",
                 "gomel", "hospitals and morgues", "kyiv", "nominally", "ostensibly",
                 "botched", "faltered", "in power, for now", "wary of taking a more active role",
                 "forthcoming", "its own capabilities are limited",
                 "could step up its support"):
        assert fold(fact) in quotes, f"no question cites {fact!r}"
