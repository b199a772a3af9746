"""Benchmark: the handbook build against a plain MkDocs twin of the same site.

The twin is the same generated pages written as Markdown files into ``twin-docs/`` (next to
the hand-written docs), built with the same theme and plugins but no hooks and no macros, so
the ratio shows what our data loading, page generation and PDFs add to MkDocs' own work.
The twin makes no PDFs. Handbook builds run with HANDBOOK_PDF=auto; "cold" deletes the PDF
cache (<project>/.cache/pdf/) first, "warm" keeps the previous build's cache. Runs alternate
twin, cold, warm; medians are reported. Targets: warm ≤ 1.3× twin, cold ≤ 2.5× twin.

Run: .venv/bin/python bench/build.py [--runs N] [--quick]
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from _common import (
    arguments,
    drop_pdf_cache,
    fresh_copy,
    html_pages,
    machine,
    main_guard,
    median,
    mkdocs_build,
    ratio_line,
    scratch,
    table,
)

TARGET_WARM, TARGET_COLD = 1.3, 2.5


def twin_config(text: str) -> str:
    """The real mkdocs.yml without `hooks:` and the macros plugin, building twin-docs/."""
    out, skip_indent = [], None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        if skip_indent is not None and (not line.strip() or indent > skip_indent or line.lstrip().startswith("#")):
            continue  # still inside the block being dropped
        skip_indent = None
        if line.startswith("hooks:") or re.match(r"\s*- macros:", line):
            skip_indent = indent
            continue
        out.append(line)
    text = "\n".join(out) + "\n"
    return re.sub(r"(?m)^docs_dir: .*$", "docs_dir: twin-docs", text)


def make_twin(root: Path) -> None:
    """Write twin-docs/ (hand-written docs + every generated page) and mkdocs-twin.yml in root."""
    # The installed (editable) handbook package: the copy's code is the same code.
    from mkdocs.config import load_config

    from handbook import load
    from handbook.index import Index
    from handbook.pages import Site
    from handbook.pdf import engine_problem

    # As hooks/handbook_pages.py builds it (the same URLs, the same PDF links).
    config = (root / "mkdocs.yml").read_text("utf-8")
    mkdocs_config = load_config(str(root / "mkdocs.yml"))
    site = Site(
        Index(load(root)),
        mkdocs_config.use_directory_urls,
        engine_problem() is None,
        mkdocs_config.extra.get("public_url", ""),
    )
    docs = root / "twin-docs"
    shutil.copytree(root / "docs", docs)
    for page in site.pages():
        path = docs / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, "utf-8")
    (root / "mkdocs-twin.yml").write_text(twin_config(config), "utf-8")


def main() -> None:
    parser = arguments(__doc__)
    args = parser.parse_args()
    runs = 1 if args.quick else max(args.runs, 1)
    print(f"bench/build.py — {machine()}")
    tmp = scratch("build")
    try:
        root = fresh_copy(tmp)
        make_twin(root)
        times: dict[str, list[float]] = {"twin": [], "cold": [], "warm": []}
        rss: dict[str, list[int]] = {"twin": [], "cold": [], "warm": []}
        cpu: dict[str, list[float]] = {"twin": [], "cold": [], "warm": []}
        for i in range(runs):
            for kind in times:
                if kind == "twin":
                    result = mkdocs_build(root, None, "mkdocs-twin.yml", "site-twin")
                else:
                    if kind == "cold":
                        drop_pdf_cache(root)
                    result = mkdocs_build(root, "auto")
                times[kind].append(result.seconds)
                rss[kind].append(result.rss_tree)
                cpu[kind].append(result.cpu)
                print(f"  run {i + 1}/{runs} {kind:<4} {result.seconds:6.1f} s, CPU {result.cpu:6.1f} s", flush=True)
        pdfs = len(list((root / "site").rglob("*.pdf")))
        pages = {"handbook": len(html_pages(root / "site")), "twin": len(html_pages(root / "site-twin"))}
        rows = [
            [
                kind,
                f"{median(t):.1f}",
                f"{min(t):.1f}–{max(t):.1f}",
                f"{median(cpu[kind]):.1f}",
                f"{max(rss[kind]) / 2**20:.0f}",
            ]
            for kind, t in times.items()
        ]
        print(
            f"\nHTML pages: handbook {pages['handbook']}, twin {pages['twin']}; PDFs (handbook only): {pdfs}; "
            f"runs per build: {runs}"
        )
        print(table(["build", "median s", "range s", "median CPU s", "peak RSS tree MB"], rows))
        twin = median(times["twin"])
        print(ratio_line("warm handbook / twin", median(times["warm"]) / twin, TARGET_WARM))
        print(ratio_line("cold handbook / twin", median(times["cold"]) / twin, TARGET_COLD))
        print(
            f"CPU: warm / twin {median(cpu['warm']) / median(cpu['twin']):.2f}×, cold / twin "
            f"{median(cpu['cold']) / median(cpu['twin']):.2f}× (wall-time ratios are the targets)"
        )
        # The cold build's work spread perfectly over every core: no schedule of the same work
        # can beat this; only less work can.
        cores = os.cpu_count() or 1
        print(
            f"cold floor: cold CPU / {cores} cores / twin wall = "
            f"{median(cpu['cold']) / cores / twin:.2f}× (the best any schedule of this work reaches here)"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main_guard(main))
