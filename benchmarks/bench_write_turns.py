"""Writers taking turns (quizapp/write_turns.py) against SQLite's busy wait alone.

    python benchmarks/bench_write_turns.py [--workers 4] [--seconds 5]

Each worker process repeats what an answer does: about a millisecond of work
outside any transaction (reading, scoring), then a write transaction of six
statements, committed. It runs once with the engine as quizapp configures it
(writers take turns) and once with SQLite's busy handler alone, and prints the
transactions per second and the 50th, 99th and 99.9th percentile of the time from
the first write to the commit, waiting included.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text


def work(database: str, turns: bool, seconds: float, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from quizapp import database as setup
    from quizapp import write_turns

    engine = create_engine(f"sqlite:///{database}")
    if turns:
        setup.configure_engine(engine, 5000)
    else:
        original = write_turns.take_turns
        write_turns.take_turns = lambda *_args: None  # type: ignore[assignment]
        setup.configure_engine(engine, 5000)
        write_turns.take_turns = original
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    with engine.connect() as connection:
        while time.monotonic() < stop:
            spin = time.perf_counter() + 0.001
            while time.perf_counter() < spin:
                pass
            started = time.perf_counter()
            connection.execute(text("UPDATE counter SET n = n + 1 WHERE id = 1"))
            for _ in range(5):
                connection.execute(text("INSERT INTO rows (value) VALUES (:v)"), {"v": "x" * 200})
            connection.commit()
            latencies.append(time.perf_counter() - started)
    engine.dispose()
    queue.put(latencies)


def run(turns: bool, workers: int, seconds: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="quizapp-turns-"))
    database = folder / "bench.sqlite3"
    engine = create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(text("PRAGMA journal_mode=WAL"))
        connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (1, 0)"))
        connection.execute(text("CREATE TABLE rows (id INTEGER PRIMARY KEY, value TEXT)"))
    engine.dispose()
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    processes = [multiprocessing.Process(target=work, args=(str(database), turns, seconds, queue))
                 for _ in range(workers)]
    for process in processes:
        process.start()
    latencies = sorted(x for _ in processes for x in queue.get())
    for process in processes:
        process.join()

    def at(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

    label = "writers take turns" if turns else "busy handler alone"
    print(f"{label:20} {len(latencies) / seconds:7.0f} tx/s   p50 {at(0.5):6.2f} ms"
          f"   p99 {at(0.99):7.2f} ms   p99.9 {at(0.999):7.2f} ms"
          f"   mean {statistics.fmean(latencies) * 1000:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    for turns in (False, True, False, True):
        run(turns, args.workers, args.seconds)


if __name__ == "__main__":
    main()
