"""loader.py: the one loader, from a path, from bytes, and over a folder."""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path

import pytest
from test_banks_lint import CASES
from test_banks_support import BASE, edited, sources_dir

from quizapp.banks import (
    file_hash,
    load_bank,
    load_bank_text,
    load_folder,
    load_paths,
    load_texts,
    loader,
    parse,
)


def test_load_bank_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(BASE, encoding="utf-8")
    loaded = load_bank(path, sources_dir=sources_dir())
    assert loaded.ok and loaded.bank is not None and loaded.bank.id == "demo"
    assert loaded.path == str(path) and loaded.bank_id == "demo"
    assert loaded.file_hash == hashlib.sha256(BASE.encode()).hexdigest() == file_hash(BASE.encode())
    assert [q.id for q in loaded.bank.questions] == ["gauge", "city"]


def test_load_bank_text_names_messages_after_the_name() -> None:
    broken = load_bank_text("upload.yaml", edited({29: "    points: ten"}).encode(),
                            sources_dir=sources_dir())
    assert broken.bank is None and broken.bank_id is None
    assert [(m.path, m.severity) for m in broken.messages] == [("upload.yaml", "error")]
    warned = load_bank_text("upload.yaml", edited({36: "    # gone"}).encode(),
                            sources_dir=sources_dir())
    assert warned.bank is not None and warned.errors == []
    # Named unlike its bank, and a question without an explanation.
    assert [(m.line, m.col) for m in warned.warnings] == [(1, 5), (33, 5)]


def test_a_missing_file_is_a_message_not_an_exception(tmp_path: Path) -> None:
    loaded = load_bank(tmp_path / "gone.yaml")
    assert loaded.bank is None
    assert "cannot read the file" in loaded.messages[0].message


def test_a_file_over_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"id: big\n" + b"#" * 5_000)
    loaded = load_bank(path, max_bytes=1_000)
    assert loaded.bank is None
    assert loaded.messages[0].message == ("the file is 5,008 bytes; a bank file may have at "
                                          "most 1,000")
    assert load_bank_text("big.yaml", path.read_bytes(), max_bytes=1_000).bank is None


def test_load_folder_reads_yaml_and_yml_sorted_and_flags_the_second_clash(
        tmp_path: Path) -> None:
    (tmp_path / "b.yml").write_text(BASE, encoding="utf-8")
    (tmp_path / "demo.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "other.yaml").write_text(edited({1: "id: other"}), encoding="utf-8")
    (tmp_path / "readme.txt").write_text("not a bank", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.yaml").write_text(BASE, encoding="utf-8")
    loaded = load_folder(tmp_path)
    assert [Path(item.path).name for item in loaded] == ["b.yml", "demo.yaml", "other.yaml"]
    assert loaded[0].bank is not None  # the first file to declare `demo` keeps it
    assert loaded[1].bank is None
    clash = [m for m in loaded[1].messages if m.severity == "error"]
    assert [(m.line, m.col) for m in clash] == [(1, 5)]
    assert "already declared by" in clash[0].message and "b.yml" in clash[0].message
    assert loaded[2].bank is not None


def test_the_garbage_collector_is_switched_back_on() -> None:
    assert gc.isenabled()
    load_bank_text("demo.yaml", BASE.encode())
    load_bank_text("demo.yaml", b"\xff")
    assert gc.isenabled()
    gc.disable()
    try:
        load_bank_text("demo.yaml", BASE.encode())
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_loaded_banks_are_immutable() -> None:
    loaded = load_bank_text("demo.yaml", BASE.encode())
    assert loaded.bank is not None
    with pytest.raises(Exception):  # noqa: B017 - frozen dataclass or frozen model
        loaded.bank.questions[0].id = "x"  # type: ignore[misc]


@pytest.mark.skipif(not parse.HAVE_C_PARSER,
                    reason="ruamel.yaml.clib (the C parser) is not installed")
@pytest.mark.parametrize("edits", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_both_parsers_give_the_same_messages(edits: dict[int, str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    data = edited(edits).encode()
    fast = load_bank_text("demo.yaml", data, sources_dir=sources_dir())
    monkeypatch.setattr(parse, "HAVE_C_PARSER", False)
    pure = load_bank_text("demo.yaml", data, sources_dir=sources_dir())
    assert fast.messages == pure.messages


def test_many_banks_load_the_same_in_parallel(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [edited({1: f"id: demo{n}"}) for n in range(3)] + ["id: [broken"]
    paths = []
    for number, text in enumerate(texts):
        paths.append(tmp_path / f"demo{number}.yaml")
        paths[-1].write_text(text, encoding="utf-8")
    items = [(p.name, p.read_bytes()) for p in paths]
    one_by_one = [load_bank_text(name, data) for name, data in items]
    assert load_texts(items) == one_by_one  # small: loaded here
    monkeypatch.setattr(loader, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(loader.threading, "active_count", lambda: 1)
    assert load_texts(items) == one_by_one
    by_path = load_paths(paths)
    assert [b.bank for b in by_path] == [b.bank for b in one_by_one]
    assert [b.messages for b in load_paths(paths, keep_banks=False)] == [
        b.messages for b in by_path]
    assert all(b.bank is None for b in load_paths(paths, keep_banks=False))


def test_no_workers_in_a_threaded_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(loader.threading, "active_count", lambda: 3)
    assert loader.worker_count(10_000_000, 8) == 1
