"""Where a page's server time goes: cProfile over repeated requests, in one process.

    python benchmarks/profile_pages.py [--requests 300] [--top 25] [--learners 20]

Seeds a database as benchmarks/run.py does (fewer learners by default), logs in with
Flask's test client and profiles the question page, the answer POST, the progress page
(5,000 past answers) and the class gradebook. Prints the time per request of each and
the functions with the most cumulative time; docs/performance.md reads these.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import PASSWORD, TEACHER, answer_slots, seed  # noqa: E402


class Client:
    """A logged-in test client that keeps the form token of its last page."""

    def __init__(self, app, username: str) -> None:  # type: ignore[no-untyped-def]
        self.client = app.test_client()
        page = self.client.get("/login").get_data(as_text=True)
        self.client.post("/login", data={"csrf_token": token_of(page), "username": username,
                                         "password": PASSWORD})

    def token(self, path: str) -> str:
        return token_of(self.client.get(path).get_data(as_text=True))


def token_of(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if match is None:
        raise RuntimeError("no form token")
    return match.group(1)


def profile(name: str, calls: list, top: int) -> None:  # type: ignore[type-arg]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for call in calls:
        call()
    profiler.disable()
    elapsed = (time.perf_counter() - started) / len(calls) * 1000
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(f"\n=== {name}: {elapsed:.2f} ms per request over {len(calls)} (profiled) ===")
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--learners", type=int, default=20)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="quizapp-profile-"))
    seed(data, args.learners)
    from run import Browser  # noqa: F401  (same module; keeps the import list honest)

    from quizapp import create_app

    app = create_app()
    learner = Client(app, "learner000")
    home = learner.client.get("/").get_data(as_text=True)
    token = token_of(home)
    for quiz_id in sorted({int(m) for m in re.findall(r"/quiz/(\d+)", home)}):
        learner.client.post(f"/quiz/{quiz_id}/start", data={"csrf_token": token})
    cookie = learner.client.get_cookie("session")
    holder = type("B", (), {"cookie_header": lambda self: "", "form_token": token})()
    slots = answer_slots(data, {"learner000": holder})
    del cookie
    posts = [(line.split("\t")[1], line.split("\t")[3]) for line in slots][:args.requests]
    question = posts[0][0]
    history = Client(app, "history5000")
    teacher = Client(app, TEACHER)
    class_id = re.findall(r"/teach/classes/(\d+)",
                          teacher.client.get("/teach/classes").get_data(as_text=True))[0]
    gradebook = f"/teach/classes/{class_id}/gradebook"

    def get(client: Client, path: str):  # type: ignore[no-untyped-def]
        return lambda: client.client.get(path)

    def post(path: str, body: str):  # type: ignore[no-untyped-def]
        return lambda: learner.client.post(
            path, data=body, content_type="application/x-www-form-urlencoded")

    profile("question page", [get(learner, question)] * args.requests, args.top)
    profile("answer POST", [post(path, body) for path, body in posts], args.top)
    profile("progress, 5,000 answers", [get(history, "/progress")] * args.requests, args.top)
    profile("class gradebook", [get(teacher, gradebook)] * max(args.requests // 10, 10),
            args.top)



if __name__ == "__main__":
    main()
