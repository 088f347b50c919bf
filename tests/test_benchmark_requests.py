"""benchmarks/run.py: the requests each wrk thread replays, formatted before wrk starts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
_spec = importlib.util.spec_from_file_location("benchmark_run", _RUN)
assert _spec is not None and _spec.loader is not None
benchmark_run = importlib.util.module_from_spec(_spec)
# Registered first: its dataclasses look their module up by name.
sys.modules[_spec.name] = benchmark_run
_spec.loader.exec_module(benchmark_run)

HOST = "127.0.0.1:8123"


def thread_files(tmp_path: Path, lines: list[str], threads: int) -> list[list[bytes]]:
    """Each thread's records, as wrk/replay.lua splits them (on NUL bytes)."""
    listing = benchmark_run.write_requests(tmp_path, "list", lines)
    prefix = benchmark_run.thread_requests(listing, threads, HOST)
    return [Path(f"{prefix}.{n}").read_bytes().split(b"\0") for n in range(1, threads + 1)]


def answer(n: int) -> str:
    return f"POST\t/attempt/{n}/q/1\tsession=s{n}\tcsrf_token=t&r=caf\u00e9"


def test_answers_are_shared_out_once_each_in_turn(tmp_path: Path) -> None:
    files = thread_files(tmp_path, [answer(n) for n in range(10)], threads=4)
    assert [records[0] for records in files] == [b"once"] * 4
    paths = [[record.split(b" ")[1] for record in records[1:]] for records in files]
    assert paths == [
        [b"/attempt/0/q/1", b"/attempt/4/q/1", b"/attempt/8/q/1"],
        [b"/attempt/1/q/1", b"/attempt/5/q/1", b"/attempt/9/q/1"],
        [b"/attempt/2/q/1", b"/attempt/6/q/1"],
        [b"/attempt/3/q/1", b"/attempt/7/q/1"],
    ]


def test_an_answer_is_sent_as_a_whole_form_post(tmp_path: Path) -> None:
    (records,) = thread_files(tmp_path, [answer(7)], threads=1)
    head, body = records[1].split(b"\r\n\r\n")
    assert head.split(b"\r\n") == [
        b"POST /attempt/7/q/1 HTTP/1.1", f"Host: {HOST}".encode(), b"Cookie: session=s7",
        b"Content-Type: application/x-www-form-urlencoded", b"Content-Length: 20",
    ]
    # The length counts bytes (20), not characters (19): "é" is two.
    assert body == "csrf_token=t&r=caf\u00e9".encode() and len(body) == 20


def test_a_page_is_a_get_without_a_body(tmp_path: Path) -> None:
    (records,) = thread_files(tmp_path, ["GET\t/progress\tsession=p\t"], threads=1)
    assert records == [b"cycle", f"GET /progress HTTP/1.1\r\nHost: {HOST}\r\n"
                                 "Cookie: session=p\r\n\r\n".encode()]


def test_a_short_list_of_pages_goes_whole_to_every_thread(tmp_path: Path) -> None:
    pages = ["GET\t/\tsession=a\t", "GET\t/api/v1/quizzes\tsession=a\t"]
    files = thread_files(tmp_path, pages, threads=4)
    assert all(len(records) == 3 and records[0] == b"cycle" for records in files)
    assert len({tuple(records) for records in files}) == 1


def test_a_longer_list_of_pages_is_shared_out(tmp_path: Path) -> None:
    pages = [f"GET\t/attempt/{n}/q/1\tsession=a\t" for n in range(6)]
    files = thread_files(tmp_path, pages, threads=4)
    assert [len(records) - 1 for records in files] == [2, 2, 1, 1]
