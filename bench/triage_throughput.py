"""Triage throughput on one core: the dev corpus repeated, against a tokenising baseline.

usage: python bench/triage_throughput.py [--repeat N] [--corpus PATH]

The baseline is the cheapest pass any triage needs (lowercase and a regex
tokenisation of the same texts), measured in the same run so that the ratio does not
depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.triage import build_triage  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared/data/triage/dev.jsonl"
_WORDS = re.compile(r"\w+")


def _posts(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as f:
        return [(d["text"], d["channel"]) for d in map(json.loads, f) if d]


def _rate(label: str, run, posts: list[tuple[str, str]], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for text, channel in posts:
            run(text, channel)
    elapsed = time.perf_counter() - start
    rate = repeat * len(posts) / elapsed
    print(f"{label}: {rate:,.0f} posts/s ({repeat * len(posts)} posts in {elapsed:.2f} s)")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    posts = _posts(args.corpus)
    started = time.perf_counter()
    engine = build_triage()
    print(f"load: {time.perf_counter() - started:.2f} s")
    # The first pass fills the morphology cache, as a long-running service would have.
    cold = _rate("triage, first pass", engine.assess, posts, 1)
    triage = _rate("triage", engine.assess, posts, args.repeat)
    baseline = _rate("baseline (lower + regex tokens)", lambda t, _c: _WORDS.findall(t.lower()), posts, args.repeat)
    print(f"triage / baseline: {triage / baseline:.4f} (baseline is {baseline / triage:,.0f}x faster)")
    print(f"first-pass triage / baseline: {cold / baseline:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
