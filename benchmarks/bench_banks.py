"""Benchmark: lint and first sync of 10,000 questions, and a resync with no change.

    python benchmarks/bench_banks.py [--questions 10000] [--runs 3]

Targets on a 2-core machine: lint + first sync under 2 s; a resync when nothing
changed under 0.1 s. A sync lints every file as it loads it (the same loader as
`quizapp lint`), so `first_sync` already includes a full lint; `lint` is the
stand-alone `quizapp lint` run, and `lint_then_first_sync` the two run one after
the other, as a teacher checking files before loading them would. Each figure is
also reported as a ratio against a baseline measured in the same run: scanning the
same files with ruamel.yaml's C parser, the least any loader that keeps line numbers
must do. Results go to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ruamel.yaml.cyaml import CParser

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_bank import write_banks  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.banks.lint import lint_paths  # noqa: E402
from quizapp.banks.sync import sync_folder  # noqa: E402
from quizapp.database import upgrade_database  # noqa: E402
from quizapp.extensions import db  # noqa: E402

SOURCES = HERE.parent.parent / "shared" / "sources"


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def parse_only(folder: Path) -> None:
    """The floor: every YAML event of every file, from ruamel.yaml's C parser."""
    for path in sorted(folder.glob("*.yaml")):
        for _event in iter(CParser(path.read_text(encoding="utf-8")).get_event, None):
            pass


def one_run(folder: Path, work: Path, run: int) -> dict[str, float]:
    app = create_app({
        "INSTANCE_DIR": str(work / f"instance-{run}"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / f'bench-{run}.sqlite3'}",
        "QUESTIONS_DIR": str(folder),
    })
    with app.app_context():
        upgrade_database()
        baseline = timed(lambda: parse_only(folder))
        lint = timed(lambda: lint_paths([folder], sources_dir=SOURCES))
        first = timed(lambda: sync_folder(db.session, folder))
        resync = timed(lambda: sync_folder(db.session, folder))
        db.engine.dispose()
    return {"parse_baseline": baseline, "lint": lint, "first_sync": first, "resync": resync}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "questions"
        write_banks(folder, questions=args.questions)
        runs = [one_run(folder, work, n) for n in range(args.runs)]
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    base = median["parse_baseline"]
    result = {
        "questions": args.questions,
        "runs": args.runs,
        "median_seconds": {k: round(v, 4) for k, v in median.items()},
        "ratio_to_parse_baseline": {
            k: round(v / base, 2) for k, v in median.items() if k != "parse_baseline"
        },
        "lint_then_first_sync_seconds": round(median["lint"] + median["first_sync"], 3),
        "targets_seconds": {"first_sync_with_lint": 2.0, "resync": 0.1},
        "meets": {
            "first_sync_with_lint": median["first_sync"] < 2.0,
            "lint_then_first_sync": median["lint"] + median["first_sync"] < 2.0,
            "resync": median["resync"] < 0.1,
        },
    }
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "banks.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
