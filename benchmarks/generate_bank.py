"""Write large, valid bank files for benchmarks: N questions over every question type.

    python benchmarks/generate_bank.py OUT_DIR [--questions 10000] [--per-file 1000]

Questions cycle through all eight types and cite the Economist article in
shared/sources, with quotes that really are in the cited paragraph, so a lint run
with grounding switched on checks every one of them and finds nothing to report.
Each file stays under the 1 MB limit. The output is the same for the same arguments.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

TOPICS = ("rail", "supplies", "troops", "opinion", "people", "places")
DIFFICULTIES = ("easy", "medium", "hard")

HEADER = """\
id: {bank}
title: Benchmark bank {number}
description: |
  Generated questions for measuring how fast banks load. Every question is valid.
language: en
sources:
  - id: economist-belarus
    title: "How Belarus's role in the invasion of Ukraine could grow"
    publisher: The Economist
    date: 2023-03-17
    url: https://www.economist.com/the-economist-explains/2023/03/17/how-belaruss-role-in-the-invasion-of-ukraine-could-grow
    file: economist-2023-03-17-belarus-role.md
topics:
{topics}
quizzes:
  - id: {bank}-practice
    title: Practice on {topic_a} and {topic_b}
    mode: practice
    select:
      topics: [{topic_a}, {topic_b}]
      count: {practice_count}
  - id: {bank}-exam
    title: Exam on everything
    mode: exam
    select:
      count: {exam_count}
    time_limit: 30
    attempts_allowed: 2
    grading: last
    pass_mark: 70
questions:
"""

COMMON = """\
  - id: {qid}
    type: {qtype}
    prompt: |
      Question {n}: {prompt}
    explanation: Paragraph {paragraph} of the article says so, in plain words.
    evidence:
      source: economist-belarus
      paragraph: {paragraph}
      quote: "{quote}"
    topics: [{topic}]
    difficulty: {difficulty}
    points: {points}
"""


def single_choice(n: int) -> tuple[str, int, str, str]:
    body = """\
    options:
      - text: "1,520 mm"
        correct: true
        feedback: Right, the Russian gauge.
      - text: "1,435 mm"
        feedback: That is the standard gauge of most of Europe.
      - text: "1,668 mm"
"""
    return "What gauge do Belarus's railways use?", 3, "use Russia’s 1,520mm gauge", body


def true_false(n: int) -> tuple[str, int, str, str]:
    body = """\
    answer: false
    feedback_true: No; he said he would send soldiers only if attacked.
    feedback_false: Right; only if Belarus were attacked.
"""
    return ("Mr Lukashenko has sent Belarusian soldiers to fight in Ukraine.", 6,
            "he would send soldiers to fight in Ukraine only if attacked", body)


def multiple_response(n: int) -> tuple[str, int, str, str]:
    body = """\
    all_or_nothing: false
    options:
      - text: Ammunition
        correct: true
      - text: Military-grade components
        correct: true
      - text: Fighter jets
        feedback: Jets went the other way, from Russia to Belarus.
"""
    return ("What has Belarus provided to Russia's army?", 3,
            "It has provided ammunition and military-grade components", body)


def numeric(n: int) -> tuple[str, int, str, str]:
    body = """\
    answers:
      - value: 45000
        fraction: 1
      - value: 45000
        tolerance: 5000
        fraction: 0.5
        feedback: Close; the article says roughly 45,000.
      - min: 30000
        max: 60000
        fraction: 0.25
    units:
      soldiers: 1
    unit_required: false
"""
    return ("How many soldiers is Belarus's standing army believed to have?", 7,
            "roughly 45,000 soldiers", body)


def short_text(n: int) -> tuple[str, int, str, str]:
    body = """\
    answers:
      - accept: [Gomel, Homel, Homiel, Гомель]
        fraction: 1
      - regex: "^(the )?city of gomel$"
        fraction: 1
      - accept: [Minsk]
        fraction: 0
        feedback: Minsk is the capital; the article names Belarus's second city.
    typo_tolerance: true
"""
    return ("Through which city were the buses believed to carry bodies?", 4,
            "transporting bodies through Gomel, Belarus’s second city", body)


def matching(n: int) -> tuple[str, int, str, str]:
    body = """\
    pairs:
      - left: Philipp Bikanau
        right: Belarus Change Tracker
      - left: Emily Ferris
        right: Royal United Services Institute
    distractors: [Chatham House]
"""
    quote = "says Emily Ferris of the Royal United Services Institute"
    return "Match each person to their organisation.", 7, quote, body


def ordering(n: int) -> tuple[str, int, str, str]:
    body = """\
    items:
      - Russia sends 30,000 soldiers to Belarus
      - Russia attacks Kyiv from the north
      - Belarusian officers help train mobilised reservists
"""
    return ("Put these events in order.", 2,
            "At the start of 2022 Russia sent 30,000 soldiers", body)


def cloze(n: int) -> tuple[str, int, str, str]:
    body = """\
    text: |
      Belarus, kept in power by Russia under {{who}}, has railways with a {{gauge}} mm
      gauge, and bodies of Russian soldiers were moved through {{city}}.
    blanks:
      gauge:
        type: numeric
        answers: [{value: 1520}]
        units: {mm: 1}
      city:
        type: short_text
        answers: [{accept: [Gomel, Homel]}]
      who:
        type: choice
        options:
          - {text: Alexander Lukashenko, correct: true}
          - {text: Vladimir Putin}
"""
    quote = "Its airfields and railways (which use Russia’s 1,520mm gauge)"
    return "Fill in the gaps.", 3, quote, body


MAKERS: tuple[Callable[[int], tuple[str, int, str, str]], ...] = (
    single_choice, true_false, multiple_response, numeric, short_text, matching, ordering, cloze,
)


def question(n: int) -> str:
    maker = MAKERS[n % len(MAKERS)]
    prompt, paragraph, quote, body = maker(n)
    head = COMMON.format(
        qid=f"q{n:05d}", qtype=maker.__name__, n=n, prompt=prompt, paragraph=paragraph,
        quote=quote, topic=TOPICS[n % len(TOPICS)], difficulty=DIFFICULTIES[n % 3],
        points=1 + n % 3,
    )
    return head + body


def bank_text(number: int, first: int, count: int) -> str:
    topics = "".join(f"  - id: {t}\n    title: Topic {t}\n" for t in TOPICS)
    bank = f"bench-{number:03d}"
    # The practice quiz takes the topics of the file's first two questions, so it
    # always matches something, and neither quiz draws more than match.
    chosen = {TOPICS[first % len(TOPICS)], TOPICS[(first + 1) % len(TOPICS)]}
    matching = sum(1 for n in range(first, first + count) if TOPICS[n % len(TOPICS)] in chosen)
    topic_a, topic_b = TOPICS[first % len(TOPICS)], TOPICS[(first + 1) % len(TOPICS)]
    header = HEADER.format(bank=bank, number=number, topics=topics, topic_a=topic_a,
                           topic_b=topic_b, practice_count=min(10, matching),
                           exam_count=min(20, count))
    return header + "".join(question(n) for n in range(first, first + count))


def write_banks(out: Path, questions: int = 10_000, per_file: int = 1_000) -> list[Path]:
    """Write the bank files; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, first in enumerate(range(0, questions, per_file)):
        count = min(per_file, questions - first)
        path = out / f"bench-{number:03d}.yaml"
        path.write_text(bank_text(number, first, count), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the bank files into")
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--per-file", type=int, default=1_000)
    args = parser.parse_args(argv)
    paths = write_banks(args.out, args.questions, args.per_file)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {args.questions} questions in {len(paths)} files ({size:,} bytes) to {args.out}")


if __name__ == "__main__":
    main()
