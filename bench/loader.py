"""Benchmark: how much the C YAML parser and the skeleton index save, as ratios.

Run: .venv/bin/python bench/loader.py  (prints ratios measured in this one run; no
thresholds: machines here are shared and noisy).
"""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from handbook import load
from handbook.index import Index
from handbook.pages import Site
from handbook.tiling import Skeleton, locate

ROOT = Path(__file__).resolve().parent.parent


def best(fn, repeat=5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "data" / "documents").glob("*.yml"))]
    c_parse = best(lambda: [yaml.compose(t, Loader=yaml.CSafeLoader) for t in texts])
    py_parse = best(lambda: [yaml.compose(t, Loader=yaml.SafeLoader) for t in texts])
    print(f"YAML compose, pure-Python / C parser: {py_parse / c_parse:.1f}x")

    book = load(ROOT)
    quotes = [(d.source_text, c.quote[0]) for d in book.documents.values() for c in d.clauses]
    skeletons = {d.source_text: Skeleton.of(d.source_text) for d in book.documents.values()}
    cached = best(lambda: [locate(skeletons[s], q) for s, q in quotes])
    rebuilt = best(lambda: [locate(Skeleton.of(s), q) for s, q in quotes], repeat=2)
    print(f"locating {len(quotes)} quotes, skeleton rebuilt per quote / built once per source: {rebuilt / cached:.1f}x")

    whole = best(lambda: load(ROOT), repeat=3)
    render = best(lambda: Site(Index(book)).pages(), repeat=3)
    print(f"rendering all pages / loading and validating all data: {render / whole:.1f}x")


if __name__ == "__main__":
    main()
