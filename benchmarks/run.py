"""The whole-app benchmark: quizapp under load, against a bare Flask app, in one run.

    python benchmarks/run.py [--duration 10] [--repeats 3] [--connections 16 64]
                             [--settings serve gthread2x4] [--learners 200]

It seeds a database (the bundled banks, `--learners` learners who have each started
every practice quiz, a teacher whose class holds every learner with three assignments
each learner has finished, and learners with 500, 5,000 and 50,000 past answers), then for
each repetition and each gunicorn setting (`serve`: what `quizapp serve` uses, four
synchronous workers; `gthread2x4`: the threaded workers it used before; any `syncN` or
`gthreadNxT`) it serves the app with that setting and drives wrk at each
connection count against the question page, the answer POST (scored and stored: each
request answers a fresh question), the progress page, the class gradebook, the item
analysis of an assigned quiz, the home page and the API, and a bare Flask "hello" app
served with the same setting, run just before each endpoint. Ratios are each
endpoint's requests per second over its hello run's; figures are medians over the
repetitions. After each answer run it checks that every acknowledged answer is stored
exactly once. Results go to benchmarks/results/run.{json,md}; see docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PASSWORD = "benchmark password 2026"
CHOICE_TYPES = ("single_choice", "true_false")
HISTORY_SIZES = (500, 5_000, 50_000)


# -- seeding --------------------------------------------------------------------------


def environment(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"QUIZAPP_DATA_DIR": str(data), "QUIZAPP_INSTANCE_DIR": str(data),
                "QUIZAPP_DATABASE_URL": f"sqlite:///{data / 'quizapp.sqlite3'}",
                # Benchmark learners log in many at once from one address.
                "QUIZAPP_LOGIN_LIMIT_PER_ADDRESS": "100000"})
    return env


def seed(data: Path, learners: int) -> None:
    """The database: bundled banks, learners, and learners with long histories."""
    os.environ.update(environment(data))
    sys.path.insert(0, str(HERE))
    from bench_progress import build_learner
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from quizapp import create_app
    from quizapp.banks.sync import sync_folder
    from quizapp.database import upgrade_database
    from quizapp.extensions import db
    from quizapp.models import User

    app = create_app()
    with app.app_context():
        upgrade_database()
        sync_folder(db.session, Path(app.config["QUESTIONS_DIR"]))
        bundled = app.config.get("BUNDLED_QUESTIONS_DIR")
        if bundled:
            sync_folder(db.session, Path(bundled))
        known = set(db.session.scalars(select(User.username_key)))
        password_hash = generate_password_hash(PASSWORD)
        rows = [{"username": f"learner{n:03d}", "username_key": f"learner{n:03d}",
                 "password_hash": password_hash, "role": "student"}
                for n in range(learners) if f"learner{n:03d}" not in known]
        if rows:
            db.session.execute(insert(User), rows)
        db.session.commit()
        db.engine.dispose()
    seed_class(app, learners)
    for size in HISTORY_SIZES:
        user_id = build_learner(app, f"history{size}", size, seed=size)
        with app.app_context():
            user = db.session.get(User, user_id)
            user.password_hash = generate_password_hash(PASSWORD)
            db.session.commit()
    with app.app_context():
        db.engine.dispose()


TEACHER = "teacher0"
ASSIGNMENTS = 3


def seed_class(app: Any, learners: int) -> None:
    """A class of every learner with ASSIGNMENTS assignments, each finished by all of
    them through the same services the pages use, so the gradebook has results."""
    from datetime import timedelta

    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from quizapp.clock import now as clock_now
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services import assignments, attempts, classes

    with app.app_context():
        session = db.session
        teacher = User(username=TEACHER, username_key=TEACHER, role="teacher",
                       password_hash=generate_password_hash(PASSWORD))
        session.add(teacher)
        session.commit()
        now = clock_now()
        school_class = classes.create_class(session, teacher.id, "Benchmark class", now)
        students = session.scalars(select(User).where(User.role == "student")
                                   .order_by(User.username)).all()[:learners]
        for student in students:
            classes.add_student(session, school_class, student.id, now)
        session.commit()
        # Practice quizzes without an attempt limit, so the assigned attempts take
        # nothing from the open practice attempts the answer runs use.
        quizzes = [q for q in assignments.assignable_quizzes(session)
                   if q.settings.get("mode", "practice") == "practice"
                   and not q.settings.get("attempts_allowed")][:ASSIGNMENTS]
        made = [assignments.assign(session, school_class, quiz.id, now - timedelta(days=7),
                                   now + timedelta(days=7)) for quiz in quizzes]
        for student in students:
            for assignment in made:
                attempt = assignments.start_assigned(session, student.id, assignment.id, now)
                for item in attempt.items:
                    if item.position % 3 == 0:
                        continue  # some left unanswered, so grades differ
                    attempts.submit_answer(
                        session, student.id, attempt.id, item.position,
                        lambda spec, _seed: spec.reference_response(), now)
                attempts.finish_attempt(session, student.id, attempt.id, now)
        session.commit()
        db.engine.dispose()


# -- a small HTTP client for setting up sessions -------------------------------------


@dataclass
class Browser:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    form_token: str = ""

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie_header()}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def csrf(self, path: str) -> str:
        _, _, page = self.request("GET", path)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        if match is None:
            raise RuntimeError(f"no form token on {path}")
        return match.group(1)

    def login(self, username: str) -> None:
        token = self.csrf("/login")
        status, _, _ = self.request("POST", "/login", {"csrf_token": token,
                                                       "username": username,
                                                       "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"logging in {username} gave {status}")


def log_in_all(port: int, names: list[str]) -> dict[str, Browser]:
    def one(name: str) -> tuple[str, Browser]:
        browser = Browser(port)
        browser.login(name)
        return name, browser

    with ThreadPoolExecutor(8) as pool:
        return dict(pool.map(one, names))


def start_practice(browser: Browser, quiz_ids: list[int]) -> None:
    token = browser.csrf("/")
    for quiz_id in quiz_ids:
        status, _, _ = browser.request("POST", f"/quiz/{quiz_id}/start", {"csrf_token": token})
        if status not in (302, 303):
            raise RuntimeError(f"starting quiz {quiz_id} gave {status}")


def practice_quiz_ids(data: Path) -> set[int]:
    import sqlite3

    connection = sqlite3.connect(data / "quizapp.sqlite3")
    try:
        rows = connection.execute("SELECT id, settings FROM quizzes").fetchall()
    finally:
        connection.close()
    return {int(quiz_id) for quiz_id, settings in rows
            if json.loads(settings).get("mode", "practice") == "practice"}


def assigned_quiz_id(data: Path) -> int:
    import sqlite3

    connection = sqlite3.connect(data / "quizapp.sqlite3")
    try:
        row = connection.execute("SELECT quiz_id FROM assignments ORDER BY id LIMIT 1").fetchone()
    finally:
        connection.close()
    return int(row[0])


def answer_slots(data: Path, browsers: dict[str, Browser]) -> list[str]:
    """One prepared POST per unanswered choice question of every open attempt."""
    os.environ.update(environment(data))
    from sqlalchemy import select

    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.models import Attempt, AttemptItem, QuestionVersion, User
    from quizapp.qtypes import get_type
    from quizapp.services.attempts import item_seed

    app = create_app()
    lines: list[str] = []
    with app.app_context():
        rows = db.session.execute(
            select(User.username, Attempt, AttemptItem, QuestionVersion)
            .join(Attempt, Attempt.user_id == User.id)
            .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
            .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
            .where(Attempt.finished_at.is_(None), QuestionVersion.qtype.in_(CHOICE_TYPES))
        ).all()
        for username, attempt, item, version in rows:
            browser = browsers.get(username)
            if browser is None:
                continue
            spec = get_type(version.qtype).model_validate(version.spec)
            key = spec.display_response(spec.reference_response(), item_seed(attempt, item))
            form = {"csrf_token": browser.form_token, "r": str(key)}
            # The page's hidden sequence number, as a browser posts it.
            form["seq"] = str(item.sequence)
            lines.append("\t".join(["POST", f"/attempt/{attempt.id}/q/{item.position}",
                                    browser.cookie_header(), urllib.parse.urlencode(form)]))
        db.engine.dispose()
    return lines


# -- serving and measuring ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, which: str, settings: str, data: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "serve_app.py"), which, settings, str(self.port)],
            env=environment(data), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                # Answered by a worker, not just accepted by gunicorn's master: the
                # workers have built their apps, so no run measures their start.
                for _ in range(4):
                    Browser(self.port).request("GET", "/login")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{which} did not start on port {self.port}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def settle(port: int, limit: float = 120.0) -> None:
    """Wait until the server answers a page promptly again.

    Requests still queued from the previous run (wrk has hung up, but a worker cannot
    know until it writes the response) would otherwise be served during the next
    run and counted against the next endpoint.
    """
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/login")
            connection.getresponse().read()
            connection.close()
        except OSError:
            continue
        if time.monotonic() - started < 0.5:
            return


def wrk(port: int, requests_file: Path, connections: int, duration: int) -> dict[str, Any]:
    threads = min(connections, 4)
    per_thread = thread_requests(requests_file, threads, f"127.0.0.1:{port}")
    settle(port)
    output = subprocess.run(
        # A 10 s timeout: wrk's 2 s default would count slow answers as errors and
        # cap the percentiles at 2 s.
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
         "--timeout", "10s",
         "--latency", "-s", str(HERE / "wrk" / "replay.lua"), f"http://127.0.0.1:{port}"],
        env={**os.environ, "REQUESTS": str(per_thread)},
        capture_output=True, text=True, timeout=duration + 120, check=True).stdout
    line = next(ln for ln in output.splitlines() if ln.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def warm_up(port: int, request_files: list[Path], connections: int) -> None:
    """A second of each page, not counted, once per server start: every worker has
    compiled its templates and filled its caches before anything is measured, as a
    server that has been up for a while has."""
    for requests_file in request_files:
        wrk(port, requests_file, connections, 1)


def write_requests(folder: Path, name: str, lines: list[str]) -> Path:
    """A list of requests, one a line: METHOD<TAB>PATH<TAB>COOKIE<TAB>BODY."""
    path = folder / f"{name}.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def thread_requests(requests_file: Path, threads: int, host: str) -> Path:
    """Each wrk thread's share of a list, formatted whole, for wrk/replay.lua.

    Thread n (from 1) gets the list's lines n, n + threads, ... in `<prefix>.n`: whole
    HTTP requests separated by NUL bytes, after a record saying "once" (a list of
    answers: each is sent once) or "cycle" (pages). A list of pages shorter than the
    number of threads goes whole to every thread. Formatting here leaves wrk's init()
    almost nothing to do (replay.lua says why that matters).
    """
    lines = [line for line in requests_file.read_text(encoding="utf-8").splitlines() if line]
    posting = lines[0].startswith("POST\t")
    prefix = requests_file.with_suffix(".wrk")
    for index in range(threads):
        share = lines if not posting and len(lines) < threads else lines[index::threads]
        records = [b"once" if posting else b"cycle", *(http_request(line, host) for line in share)]
        Path(f"{prefix}.{index + 1}").write_bytes(b"\0".join(records))
    return prefix


def http_request(line: str, host: str) -> bytes:
    """One line of a list as the request wrk sends (as wrk.format would make it)."""
    method, path, cookie, body = line.split("\t")
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Cookie: {cookie}"]
    payload = body.encode("utf-8")
    if payload:
        head += ["Content-Type: application/x-www-form-urlencoded",
                 f"Content-Length: {len(payload)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("utf-8") + payload


def stored_answers(data: Path) -> tuple[int, int]:
    """(answers stored, items answered more than once) in the database now."""
    import sqlite3

    connection = sqlite3.connect(data / "quizapp.sqlite3")
    try:
        total = connection.execute("SELECT count(*) FROM answers").fetchone()[0]
        twice = connection.execute(
            "SELECT count(*) FROM (SELECT item_id FROM answers GROUP BY item_id "
            "HAVING count(*) > 1)").fetchone()[0]
    finally:
        connection.close()
    return int(total), int(twice)


def snapshot(data: Path, keep: Path) -> None:
    """The seeded data folder, to start every answer run from the same state."""
    import sqlite3

    connection = sqlite3.connect(data / "quizapp.sqlite3")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    shutil.rmtree(keep, ignore_errors=True)
    shutil.copytree(data, keep)


def restore(keep: Path, data: Path) -> None:
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(keep, data)


# -- the run --------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--settings", nargs="+", default=["serve", "gthread2x4"],
                        help="serve (quizapp serve's defaults), syncN or gthreadNxT")
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--out", type=Path, default=None,
                        help=f"where run.json and run.md go (default {RESULTS}; with "
                        "--only, benchmarks/out, so a partial run leaves the results be)")
    parser.add_argument("--only", nargs="+", metavar="WORD", default=[],
                        help="measure only the endpoints whose names hold one of these "
                        "words (gradebook, analysis, question, answer, progress, home, "
                        "api); hello runs always")
    args = parser.parse_args()
    if args.out is None:
        args.out = HERE / "out" if args.only else RESULTS
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")

    work = Path(tempfile.mkdtemp(prefix="quizapp-bench-"))
    data, pristine = work / "data", work / "pristine"
    data.mkdir(mode=0o700)
    print(f"Seeding {args.learners} learners and histories of "
          f"{', '.join(f'{n:,}' for n in HISTORY_SIZES)} answers in {work} ...", flush=True)
    seed(data, args.learners)

    names = [f"learner{n:03d}" for n in range(args.learners)]
    server = Server("quizapp", "serve", data)
    try:
        browsers = log_in_all(server.port, names + [f"history{n}" for n in HISTORY_SIZES]
                              + [TEACHER])
        class_ids = re.findall(r"/teach/classes/(\d+)",
                               browsers[TEACHER].request("GET", "/teach/classes")[2])
        if not class_ids:
            raise RuntimeError("the seeded class is not on the teacher's page")
        gradebook = f"/teach/classes/{class_ids[0]}/gradebook"
        status, _, page = browsers[TEACHER].request("GET", gradebook)
        if status != 200 or page.count("<tr") < args.learners:
            raise RuntimeError(f"the gradebook gave {status} without a row per learner")
        # The item analysis of the first assigned quiz: every learner finished it.
        analysis = f"/teach/quizzes/{assigned_quiz_id(data)}/statistics"
        status, _, _ = browsers[TEACHER].request("GET", analysis)
        if status != 200:
            raise RuntimeError(f"the item analysis page gave {status}")
        # Practice quizzes only: an open exam would refuse practice answers to the
        # questions it shares, and exam answers give no feedback to measure.
        practice = practice_quiz_ids(data)
        quiz_ids = sorted({int(m) for m in re.findall(
            r"/quiz/(\d+)", browsers[names[0]].request("GET", "/")[2])} & practice)
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda n: start_practice(browsers[n], quiz_ids), names))
        for browser in browsers.values():
            browser.form_token = browser.csrf("/")
        api = "/api/v1/quizzes" if browsers[names[0]].request(
            "GET", "/api/v1/quizzes")[0] == 200 else "/api/quizzes"
    finally:
        server.stop()
    slots = answer_slots(data, {n: browsers[n] for n in names})
    snapshot(data, pristine)
    print(f"{len(slots):,} answer slots prepared.", flush=True)

    cookies = [browsers[n].cookie_header() for n in names]
    first_questions = [line.split("\t")[1] for line in slots]
    gets = {
        "question page": [f"GET\t{path}\t{cookie}\t" for path, cookie in
                          zip(first_questions, [s.split("\t")[2] for s in slots],
                              strict=True)][:5_000],
        "home page": [f"GET\t/\t{c}\t" for c in cookies],
        "api quizzes": [f"GET\t{api}\t{c}\t" for c in cookies],
        f"class gradebook, {args.learners} learners": [
            f"GET\t{gradebook}\t{browsers[TEACHER].cookie_header()}\t"],
        f"item analysis, {args.learners} learners": [
            f"GET\t{analysis}\t{browsers[TEACHER].cookie_header()}\t"],
        "progress, 5,000 answers": [
            f"GET\t/progress\t{browsers['history5000'].cookie_header()}\t"],
    }
    progress_sizes = {f"progress, {n:,} answers": [
        f"GET\t/progress\t{browsers[f'history{n}'].cookie_header()}\t"] for n in HISTORY_SIZES}
    hello = [f"GET\t/\t{cookies[0]}\t"]
    files = {name: write_requests(work, re.sub(r"\W+", "-", name), lines)
             for name, lines in {**gets, **progress_sizes, "hello": hello}.items()}
    half = len(slots) // len(args.connections)

    runs: list[dict[str, Any]] = []
    for repeat in range(1, args.repeats + 1):
        for settings in args.settings:
            for connections in args.connections:
                restore(pristine, data)
                # Both served at once (the idle one waits in accept): each endpoint's run
                # comes right after a hello run of its own, so a change in the machine's
                # speed during the repetition moves both figures of a ratio alike.
                hello_server = Server("hello", settings, data)
                app = Server("quizapp", settings, data)
                tags = {"repeat": repeat, "settings": settings, "connections": connections}
                try:
                    warm_up(hello_server.port, [files["hello"]], connections)
                    names_here = list(gets) + (list(progress_sizes) if connections ==
                                               args.connections[0] else [])
                    warm_up(app.port, [files[n] for n in names_here if wanted(args, n)],
                            connections)
                    for name in dict.fromkeys(n for n in names_here if wanted(args, n)):
                        base = wrk(hello_server.port, files["hello"], connections,
                                   args.duration)
                        runs.append({**tags, "endpoint": "hello", "before": name, **base})
                        result = wrk(app.port, files[name], connections, args.duration)
                        runs.append({"repeat": repeat, "settings": settings,
                                     "connections": connections, "endpoint": name,
                                     "hello_rps": base["rps"], **result})
                        refused = {k: v for k, v in result["statuses"].items()
                                   if not k.startswith("2")}
                        if refused:
                            print(f"  !! {name} answered {refused}", flush=True)
                        print(f"  {repeat} {settings:5} c{connections:<3} {name:26} "
                              f"{result['rps']:8.1f} req/s  p99 {result['p99_us'] / 1000:7.1f}"
                              f" ms  ({result['rps'] / base['rps']:.3f} x hello)", flush=True)
                    if not wanted(args, "answer POST"):
                        continue
                    index = args.connections.index(connections)
                    answer_file = write_requests(work, f"answers-{connections}",
                                                 slots[index * half:(index + 1) * half])
                    base = wrk(hello_server.port, files["hello"], connections, args.duration)
                    runs.append({**tags, "endpoint": "hello", "before": "answer POST", **base})
                    before, _ = stored_answers(data)
                    result = wrk(app.port, answer_file, connections, args.duration)
                finally:
                    app.stop()
                    hello_server.stop()
                after, twice = stored_answers(data)
                acknowledged = sum(n for status, n in result["statuses"].items()
                                   if status.startswith(("2", "3")))
                result.update(acknowledged=acknowledged, stored=after - before,
                              stored_twice=twice)
                runs.append({"repeat": repeat, "settings": settings,
                             "connections": connections, "endpoint": "answer POST",
                             "hello_rps": base["rps"], **result})
                print(f"  {repeat} {settings:5} c{connections:<3} {'answer POST':26} "
                      f"{result['rps']:8.1f} req/s  p99 {result['p99_us'] / 1000:7.1f} ms  "
                      f"({result['rps'] / base['rps']:.3f} x hello); acknowledged "
                      f"{acknowledged}, stored {after - before}, twice {twice}", flush=True)
                # Answers still in flight when wrk stops are stored without being counted
                # as acknowledged; an acknowledged answer must be stored, and only once.
                if acknowledged > after - before or twice:
                    print("  !! an acknowledged answer is missing or stored twice", flush=True)
    report(runs, args, args.out)
    shutil.rmtree(work, ignore_errors=True)


def wanted(args: argparse.Namespace, endpoint: str) -> bool:
    return not args.only or any(word in endpoint for word in args.only)


def report(runs: list[dict[str, Any]], args: argparse.Namespace, out: Path) -> None:
    rows = []
    keys = sorted({(r["settings"], r["connections"], r["endpoint"]) for r in runs
                   if r["endpoint"] != "hello"}, key=lambda k: (k[0], k[2], k[1]))
    for settings, connections, endpoint in keys:
        ratios, rps, p50, p99 = [], [], [], []
        for repeat in range(1, args.repeats + 1):
            match = [r for r in runs if (r["repeat"], r["settings"], r["connections"],
                                         r["endpoint"]) == (repeat, settings, connections,
                                                            endpoint)]
            if match:
                # Against the hello run just before this one.
                ratios.append(match[0]["rps"] / match[0]["hello_rps"])
                rps.append(match[0]["rps"])
                p50.append(match[0]["p50_us"] / 1000)
                p99.append(match[0]["p99_us"] / 1000)
        if rps:
            rows.append({"settings": settings, "connections": connections,
                         "endpoint": endpoint, "rps": statistics.median(rps),
                         "ratio": statistics.median(ratios), "p50_ms": statistics.median(p50),
                         "p99_ms": statistics.median(p99)})
    spread = {}
    for settings in args.settings:
        sizes = [r for r in rows if r["settings"] == settings and
                 r["endpoint"].startswith("progress, ") and
                 r["connections"] == args.connections[0]]
        if sizes:
            values = [r["rps"] for r in sizes]
            spread[settings] = max(values) / min(values)
    out.mkdir(parents=True, exist_ok=True)
    meta = {"machine": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "duration_s": args.duration,
            "repeats": args.repeats, "learners": args.learners}
    (out / "run.json").write_text(json.dumps({"meta": meta, "rows": rows,
                                              "progress_spread": spread, "runs": runs},
                                             indent=2), encoding="utf-8")
    lines = [f"Medians of {args.repeats} runs of {args.duration} s on {os.cpu_count()} CPUs; "
             "ratio = requests per second over a bare Flask app's with the same settings, "
             "run just before.",
             "", "| settings | connections | endpoint | req/s | × hello | p50 ms | p99 ms |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {r['settings']} | {r['connections']} | {r['endpoint']} | {r['rps']:.0f} | "
              f"{r['ratio']:.3f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} |" for r in rows]
    lines += ["", "Progress page, fastest over slowest of 500 / 5,000 / 50,000 answers: "
              + ", ".join(f"{s} {v:.2f}" for s, v in spread.items())]
    (out / "run.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
