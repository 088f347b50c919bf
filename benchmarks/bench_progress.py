"""How long the progress page takes for learners with 500, 5,000 and 50,000 past answers.

    python benchmarks/bench_progress.py [--runs 60] [--sizes 500 5000 50000] [--out DIR]

Each learner's history is written straight into a fresh SQLite database in bulk:
finished attempts of ten answers each, spread over the last year, with the
per-quiz, per-topic and per-day aggregates and review cards that the answer
service would have kept (computed the same way). The page is then timed through
the Flask test client, logged in as each learner: a few warm-up requests, then
`--runs` rounds of one request per learner, and the median of each. Ratios are
against the smallest learner measured in the same run. The target is that all are
within 20% of each other: the page reads aggregates, not history. Results go to
benchmarks/results/progress.{json,md}.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, insert, select

from quizapp import create_app, scheduling
from quizapp.banks.sync import sync_folder
from quizapp.database import upgrade_database
from quizapp.extensions import db
from quizapp.models import (
    Answer,
    Attempt,
    AttemptItem,
    DayStat,
    Question,
    QuestionVersion,
    Quiz,
    QuizStat,
    ReviewCard,
    TopicStat,
)
from quizapp.services.accounts import create_user
from quizapp.services.progress import RECENT_WINDOW

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
QUESTIONS = 60
TOPICS = ("rail", "supplies", "troops", "opinion", "people", "places")
ITEMS_PER_ATTEMPT = 10
CHUNK = 5_000
RESULTS = Path(__file__).resolve().parent / "results"


def bank_text() -> str:
    topics = "".join(f"  - {{id: {t}, title: {t.title()}}}\n" for t in TOPICS)
    questions = "".join(
        f"""  - id: q{n}
    type: single_choice
    prompt: Which letter is number {n}?
    options:
      - {{id: a, text: Alpha, correct: true}}
      - {{id: b, text: Beta}}
    topics: [{TOPICS[n % len(TOPICS)]}]
"""
        for n in range(1, QUESTIONS + 1)
    )
    return f"""\
id: bench
title: Benchmark bank
topics:
{topics}quizzes:
  - id: bench-practice
    title: Benchmark practice
    mode: practice
  - id: bench-exam
    title: Benchmark exam
    mode: exam
    grading: average
questions:
{questions}"""


def make_app(folder: Path) -> Flask:
    questions = folder / "questions"
    questions.mkdir()
    (questions / "bench.yaml").write_text(bank_text(), encoding="utf-8")
    app = create_app({
        "TESTING": True,
        "INSTANCE_DIR": str(folder / "instance"),
        "QUESTIONS_DIR": str(questions),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        "CLOCK": lambda: NOW,
    })
    with app.app_context():
        upgrade_database()
        sync_folder(db.session, questions)
    return app


@dataclass
class Totals:
    """Running aggregates, kept exactly as the answer and finish services keep them."""

    quiz: dict[int, dict[str, Any]]
    topics: dict[str, list[float]]  # topic -> [answered, correct, recent]
    days: dict[date, list[int]]  # day -> [answered, correct]
    cards: dict[int, tuple[datetime, float]]  # question -> (last answered, fraction)

    def answer(self, topic: str, question_id: int, right: int, when: datetime) -> None:
        stat = self.topics.setdefault(topic, [0, 0, 0.0])
        step = min(stat[0] + 1, RECENT_WINDOW)
        stat[2] += (right - stat[2]) / step
        stat[0] += 1
        stat[1] += right
        day = self.days.setdefault(when.date(), [0, 0])
        day[0] += 1
        day[1] += right
        self.cards[question_id] = (when, float(right))

    def finish(self, quiz_id: int, percent: float) -> None:
        stat = self.quiz.setdefault(quiz_id, {"attempts": 0, "first": percent, "best": percent,
                                              "sum": 0.0, "last": percent})
        stat["attempts"] += 1
        stat["best"] = max(stat["best"], percent)
        stat["sum"] += percent
        stat["last"] = percent


def build_learner(app: Flask, name: str, answers: int, seed: int) -> int:
    """A learner with `answers` past answers, written in bulk; returns the user id."""
    rng = random.Random(seed)
    with app.app_context():
        session = db.session
        user_id = create_user(session, name, "benchmark password").id
        versions = session.execute(
            select(QuestionVersion.id, Question.id, QuestionVersion.spec)
            .join(Question, Question.current_version_id == QuestionVersion.id)
        ).all()
        quiz_ids = list(session.scalars(select(Quiz.id).order_by(Quiz.id)))
        next_attempt = (session.scalar(select(func.max(Attempt.id))) or 0) + 1
        next_item = (session.scalar(select(func.max(AttemptItem.id))) or 0) + 1
        totals = Totals({}, {}, {}, {})
        attempts, items, rows = [], [], []
        count = answers // ITEMS_PER_ATTEMPT
        for index in range(count):
            # Spread over the last year, oldest first, ending today.
            when = NOW - timedelta(minutes=int(525_600 * (count - index) / count))
            quiz_id = quiz_ids[index % len(quiz_ids)]
            score = 0
            for position, (version_id, question_id, spec) in enumerate(
                rng.sample(versions, ITEMS_PER_ATTEMPT), start=1
            ):
                right = 1 if rng.random() < 0.7 else 0
                score += right
                items.append({"id": next_item, "attempt_id": next_attempt, "position": position,
                              "question_version_id": version_id, "points": 1.0,
                              "flagged": False})
                rows.append({"item_id": next_item, "response": "a", "fraction": float(right),
                             "points": float(right), "outcome": {"fraction": float(right)},
                             "answered_at": when})
                for topic in spec.get("topics") or ():
                    totals.answer(topic, question_id, right, when)
                next_item += 1
            attempts.append({"id": next_attempt, "user_id": user_id, "quiz_id": quiz_id,
                             "kind": "quiz", "mode": "practice", "feedback": "immediate",
                             "seed": index + 1, "started_at": when, "finished_at": when,
                             "score": float(score), "max_score": float(ITEMS_PER_ATTEMPT),
                             "last_position": ITEMS_PER_ATTEMPT, "deadline": None})
            totals.finish(quiz_id, 100.0 * score / ITEMS_PER_ATTEMPT)
            next_attempt += 1
        for model, data in ((Attempt, attempts), (AttemptItem, items), (Answer, rows)):
            for start in range(0, len(data), CHUNK):
                session.execute(insert(model), data[start:start + CHUNK])
        write_aggregates(session, user_id, totals, versions[0])
        session.commit()
        return user_id


def write_aggregates(session: Any, user_id: int, totals: Totals, version: Any) -> None:
    bank_id = session.scalar(select(Question.bank_id).where(Question.id == version[1]))
    session.execute(insert(QuizStat), [
        {"user_id": user_id, "quiz_id": quiz_id, "attempts": s["attempts"],
         "first_percent": s["first"], "last_percent": s["last"], "best_percent": s["best"],
         "sum_percent": s["sum"]}
        for quiz_id, s in totals.quiz.items()
    ])
    session.execute(insert(TopicStat), [
        {"user_id": user_id, "bank_id": bank_id, "topic": topic, "answered": int(s[0]),
         "correct": int(s[1]), "recent": s[2]}
        for topic, s in totals.topics.items()
    ])
    session.execute(insert(DayStat), [
        {"user_id": user_id, "day": day, "answered": s[0], "correct": s[1]}
        for day, s in totals.days.items()
    ])
    cards = []
    for question_id, (when, fraction) in totals.cards.items():
        state = scheduling.review(None, fraction, when)
        cards.append({"user_id": user_id, "question_id": question_id, "card": state,
                      "due": scheduling.due_of(state), "last_correct": fraction >= 0.999,
                      "last_answered_at": when})
    session.execute(insert(ReviewCard), cards)


def logged_in(app: Flask, user_id: int) -> FlaskClient:
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = str(user_id)
        flask_session["_fresh"] = True
    for _ in range(5):  # warm-up: templates compiled, caches filled
        assert client.get("/progress").status_code == 200
    return client


def time_once(client: FlaskClient) -> float:
    # Collect first and pause the collector, so no request pays for another's garbage.
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        response = client.get("/progress")
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        gc.enable()
    assert response.status_code == 200
    return elapsed


def run(sizes: list[int], runs: int) -> list[dict[str, Any]]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        clients = []
        for size in sizes:
            started = time.perf_counter()
            user_id = build_learner(app, f"learner{size}", size, size)
            print(f"built a learner with {size:,} answers in {time.perf_counter() - started:.1f} s")
            clients.append((size, logged_in(app, user_id)))
        # Round robin, one request per learner per round, so any drift in the
        # machine's speed (other work on it) hits every size alike.
        samples: dict[int, list[float]] = {size: [] for size in sizes}
        for _ in range(runs):
            for size, client in clients:
                samples[size].append(time_once(client))
        with app.app_context():
            db.engine.dispose()
    base = statistics.median(samples[sizes[0]])
    for size in sizes:
        median = statistics.median(samples[size])
        results.append({"answers": size, "median_ms": round(median, 2),
                        "p90_ms": round(statistics.quantiles(samples[size], n=10)[-1], 2),
                        "runs": len(samples[size]), "ratio": round(median / base, 3)})
    return results


def report(results: list[dict[str, Any]]) -> str:
    worst = max(r["ratio"] for r in results) / min(r["ratio"] for r in results)
    lines = [
        "# Progress page time by history length",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.python_implementation()} "
        f"{platform.python_version()}, SQLite, Flask test client; median of each learner's "
        "runs. Target: within 20% of each other.",
        "",
        "| past answers | median (ms) | p90 (ms) | runs | ratio to the first |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['answers']:,} | {r['median_ms']:.2f} | {r['p90_ms']:.2f} | {r['runs']} | "
        f"{r['ratio']:.2f} |"
        for r in results
    ]
    verdict = "within" if worst <= 1.2 else "NOT within"
    lines += ["", f"Largest over smallest median: {worst:.2f} ({verdict} the 20% target)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5_000, 50_000])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    results = run(args.sizes, args.runs)
    text = report(results)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "progress.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "progress.md").write_text(text)


if __name__ == "__main__":
    main()
