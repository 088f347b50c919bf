"""How long a quiz's statistics page takes, against the question page, in the same run.

    python benchmarks/bench_stats.py [--students 200] [--questions 30] [--runs 40] [--out DIR]

A fresh SQLite database gets one quiz of `--questions` questions (single choice,
short text and numbers, a third each) and `--students` learners with one finished
attempt each, every question answered, written in bulk: a learner's ability sets
the chance of each right answer, so the statistics have something to find. Then,
through the Flask test client and alternating the two pages in each round, the
statistics page (`/teach/quizzes/<id>/statistics`, all attempts) is timed for a
teacher and the question page (`/attempt/<id>/q/1`) for a learner with an open
attempt. The target: the statistics page's median under twice the question page's.
Each round also times the statistics page with its cached sums removed, as the first
view after new attempts, a regrade or a bank change sees it.
Results go to benchmarks/results/stats.{json,md}.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, insert, select
from werkzeug.security import generate_password_hash

from quizapp import create_app
from quizapp.banks.sync import sync_folder
from quizapp.database import upgrade_database
from quizapp.extensions import db
from quizapp.models import (
    Answer,
    Attempt,
    AttemptItem,
    Question,
    QuestionVersion,
    Quiz,
    StatsCache,
    User,
)
from quizapp.services.accounts import create_user
from quizapp.services.attempts import spec_of, start_attempt

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
RESULTS = Path(__file__).resolve().parent / "results"
TARGET = 2.0
PASSWORD = "benchmark password 2026"


def bank_text(count: int) -> str:
    parts = []
    for n in range(1, count + 1):
        if n % 3 == 1:
            parts.append(f"""  - id: q{n}
    type: single_choice
    prompt: Which letter is number {n}?
    options:
      - {{id: a, text: Alpha, correct: true}}
      - {{id: b, text: Beta}}
      - {{id: c, text: Gamma}}
      - {{id: d, text: Delta}}
""")
        elif n % 3 == 2:
            parts.append(f"""  - id: q{n}
    type: short_text
    prompt: Which city is number {n}?
    answers:
      - accept: [Gomel]
""")
        else:
            parts.append(f"""  - id: q{n}
    type: numeric
    prompt: How many millimetres is number {n}?
    answers:
      - value: 1520
    units: {{mm: 1, m: 1000}}
""")
    return ("id: bench\ntitle: Benchmark bank\nquizzes:\n  - id: bench-quiz\n"
            "    title: Benchmark quiz\n    mode: practice\n    shuffle_questions: false\n"
            "questions:\n" + "".join(parts))


RIGHT = {"single_choice": ["a"], "short_text": ["Gomel", "gomel", "Gomel "],
         "numeric": ["1520", "1520 mm", "1.52 m"]}
WRONG = {"single_choice": ["b", "c", "d"], "short_text": ["Homel", "Minsk", "Brest"],
         "numeric": ["1435", "1,524", "1 m"]}


def make_app(folder: Path, questions: int) -> Flask:
    bank_dir = folder / "questions"
    bank_dir.mkdir()
    (bank_dir / "bench.yaml").write_text(bank_text(questions), encoding="utf-8")
    app = create_app({
        "TESTING": True,
        "INSTANCE_DIR": str(folder / "instance"),
        "QUESTIONS_DIR": str(bank_dir),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        "CLOCK": lambda: NOW,
    })
    with app.app_context():
        upgrade_database()
        sync_folder(db.session, bank_dir)
    return app


def build_class(app: Flask, students: int, seed: int = 7) -> int:
    """`students` learners with one finished attempt each; returns the quiz id."""
    rng = random.Random(seed)
    with app.app_context():
        session = db.session
        quiz_id = session.scalar(select(Quiz.id))
        versions = session.execute(
            select(QuestionVersion).join(Question, Question.current_version_id
                                         == QuestionVersion.id).order_by(Question.position)
        ).scalars().all()
        next_attempt = (session.scalar(select(func.max(Attempt.id))) or 0) + 1
        next_item = (session.scalar(select(func.max(AttemptItem.id))) or 0) + 1
        attempts, items, answers = [], [], []
        # One password hash for everyone: hashing 200 passwords would dominate the set-up.
        digest = generate_password_hash(PASSWORD)
        first_user = (session.scalar(select(func.max(User.id))) or 0) + 1
        session.execute(insert(User), [
            {"id": first_user + n, "username": f"student{n}", "username_key": f"student{n}",
             "password_hash": digest, "role": "student", "created_at": NOW}
            for n in range(students)
        ])
        for number in range(students):
            user_id = first_user + number
            ability = rng.random()
            score = 0.0
            for position, version in enumerate(versions, start=1):
                spec = spec_of(version)
                right = rng.random() < 0.2 + 0.7 * ability
                response = rng.choice((RIGHT if right else WRONG)[spec.type])
                outcome = spec.score(response)
                score += outcome.fraction
                items.append({"id": next_item, "attempt_id": next_attempt, "position": position,
                              "question_version_id": version.id, "points": 1.0,
                              "flagged": False})
                answers.append({"item_id": next_item, "response": response,
                                "fraction": outcome.fraction, "points": outcome.fraction,
                                "outcome": {"fraction": outcome.fraction,
                                            "reading": outcome.reading},
                                "answered_at": NOW})
                next_item += 1
            attempts.append({"id": next_attempt, "user_id": user_id, "quiz_id": quiz_id,
                             "kind": "quiz", "mode": "practice", "feedback": "immediate",
                             "seed": number + 1, "started_at": NOW, "finished_at": NOW,
                             "score": score, "max_score": float(len(versions)),
                             "last_position": len(versions), "deadline": None})
            next_attempt += 1
        for model, rows in ((Attempt, attempts), (AttemptItem, items), (Answer, answers)):
            for start in range(0, len(rows), 5_000):
                session.execute(insert(model), rows[start:start + 5_000])
        session.commit()
        return quiz_id


def logged_in(app: Flask, username: str) -> FlaskClient:
    """A client logged in through the login form, as a person would be."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": token.group(1)})
    assert response.status_code == 302, f"could not log in as {username}"
    return client


def time_once(client: FlaskClient, url: str) -> float:
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        gc.enable()
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def run(students: int, questions: int, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder), questions)
        started = time.perf_counter()
        quiz_id = build_class(app, students)
        print(f"built {students} attempts x {questions} questions in "
              f"{time.perf_counter() - started:.1f} s")
        with app.app_context():
            create_user(db.session, "teacher", PASSWORD, "teacher")
            learner_id = create_user(db.session, "learner", PASSWORD).id
            attempt_id = start_attempt(db.session, learner_id, quiz_id, NOW, seed=1).id
        pages = {
            "statistics": (logged_in(app, "teacher"), f"/teach/quizzes/{quiz_id}/statistics"),
            "question": (logged_in(app, "learner"), f"/attempt/{attempt_id}/q/1"),
        }
        for client, url in pages.values():
            for _ in range(5):  # warm-up: templates compiled, caches filled
                time_once(client, url)
        samples: dict[str, list[float]] = {name: [] for name in (*pages, "recomputed")}
        for _ in range(runs):
            for name, (client, url) in pages.items():
                samples[name].append(time_once(client, url))
            # The first view after new attempts: the cached sums are gone, so recomputed.
            with app.app_context():
                db.session.execute(delete(StatsCache))
                db.session.commit()
            samples["recomputed"].append(time_once(*pages["statistics"]))
        with app.app_context():
            db.engine.dispose()
    medians = {name: statistics.median(values) for name, values in samples.items()}
    return {
        "students": students, "questions": questions, "runs": runs,
        "statistics_median_ms": round(medians["statistics"], 2),
        "question_median_ms": round(medians["question"], 2),
        "recomputed_median_ms": round(medians["recomputed"], 2),
        "recomputed_ratio": round(medians["recomputed"] / medians["question"], 3),
        "ratio": round(medians["statistics"] / medians["question"], 3),
    }


def report(result: dict[str, Any]) -> str:
    verdict = "within" if result["ratio"] < TARGET else "NOT within"
    return "\n".join([
        "# Statistics page time against the question page",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.python_implementation()} "
        f"{platform.python_version()}, SQLite, Flask test client; {result['students']} "
        f"finished attempts of {result['questions']} questions; median of {result['runs']} "
        "alternating runs.",
        "",
        "| page | median (ms) |",
        "| --- | ---: |",
        f"| quiz statistics | {result['statistics_median_ms']:.2f} |",
        f"| question page | {result['question_median_ms']:.2f} |",
        f"| quiz statistics, first view after a change | {result['recomputed_median_ms']:.2f} |",
        "",
        f"Ratio: {result['ratio']:.2f} ({verdict} the target of {TARGET:g}x). The first "
        "view after new attempts, a regrade or a bank change recomputes the sums: ratio "
        f"{result['recomputed_ratio']:.2f}.",
    ]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    result = run(args.students, args.questions, args.runs)
    text = report(result)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "stats.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / "stats.md").write_text(text)


if __name__ == "__main__":
    main()
