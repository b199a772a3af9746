"""Benchmark: the build at N synthetic jurisdictions (bench/synthetic.py), N = 5, 50, 200.

For each N, builds with HANDBOOK_PDF=off (for older code, which ignores the variable,
bench/_common.py hides the fonts instead) give the time (median of --runs, sizes
alternating), the peak RSS of the build's process tree, the page count, the largest HTML
page and the search index (site/search/search_index.json) raw and gzipped. One extra cold build with
HANDBOOK_PDF=auto at N = 5 and 50 gives the PDF count and time.
Targets: t(200)/t(50) ≤ 4.4 (linear plus 10 %), peak RSS at 200 ≤ 1.5 GB, no HTML page
over 1 MB, search index gzip at N=5 ≤ 1 MB.

Run: .venv/bin/python bench/scale.py [--sizes 5 50 200] [--runs N] [--quick]
N=200 takes minutes per build: on the shared machine use --runs 1 for it.
"""

from __future__ import annotations

import gzip
import shutil
import sys
from pathlib import Path
from typing import TypedDict

from _common import (
    Run,
    arguments,
    drop_pdf_cache,
    fresh_copy,
    html_pages,
    knows_pdf_setting,
    machine,
    main_guard,
    mb,
    median,
    mkdocs_build,
    ratio_line,
    scratch,
    table,
)
from synthetic import make_jurisdictions

PDF_SIZES = (5, 50)
MAX_PAGE, MAX_RSS, MAX_SEARCH_GZIP = 2**20, 1.5 * 2**30, 2**20


class SiteFigures(TypedDict):
    pages: int
    largest: str  # path of the largest HTML page, relative to the site
    largest_bytes: int
    search_raw: int  # bytes of search/search_index.json
    search_gzip: int  # the same, gzip-compressed


def site_figures(site: Path) -> SiteFigures:
    pages = html_pages(site)
    largest = max(pages, key=lambda p: p.stat().st_size)
    raw = (site / "search" / "search_index.json").read_bytes()
    return {
        "pages": len(pages),
        "largest": largest.relative_to(site).as_posix(),
        "largest_bytes": largest.stat().st_size,
        "search_raw": len(raw),
        "search_gzip": len(gzip.compress(raw, 6)),
    }


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 50, 200], help="numbers of jurisdictions")
    args = parser.parse_args()
    sizes = [5, 10] if args.quick else sorted(set(args.sizes))
    runs = 1 if args.quick else max(args.runs, 1)
    print(f"bench/scale.py — {machine()}")
    tmp = scratch("scale")
    try:
        roots = {n: fresh_copy(tmp, f"n{n}") for n in sizes}
        for n, root in roots.items():
            make_jurisdictions(root, n)
        if not knows_pdf_setting(roots[sizes[0]]):
            print("note: this code ignores HANDBOOK_PDF; off = fonts hidden + mkdocs build --no-strict")
        builds: dict[int, list[Run]] = {n: [] for n in sizes}
        for i in range(runs):
            for n in sizes:
                builds[n].append(mkdocs_build(roots[n], "off"))
                print(f"  run {i + 1}/{runs} N={n:<4} {builds[n][-1].seconds:7.1f} s", flush=True)
        figures = {n: site_figures(roots[n] / "site") for n in sizes}
        pdf: dict[int, tuple[Run, int]] = {}
        for n in [n for n in sizes if n in PDF_SIZES]:
            drop_pdf_cache(roots[n])
            result = mkdocs_build(roots[n], "auto")
            pdf[n] = result, len(list((roots[n] / "site").rglob("*.pdf")))
            print(f"  PDF pass N={n:<4} {result.seconds:7.1f} s", flush=True)

        rows = []
        for n in sizes:
            f, t = figures[n], median([b.seconds for b in builds[n]])
            pdf_run, pdf_count = pdf.get(n, (None, None))
            rows.append(
                [
                    n,
                    f"{t:.1f}",
                    mb(max(b.rss_tree for b in builds[n])),
                    mb(max(b.rss_proc for b in builds[n])),
                    f["pages"],
                    f"{f['largest']} {f['largest_bytes'] / 1024:.0f} KB",
                    f"{f['search_raw'] / 1024:.0f} KB",
                    f"{f['search_gzip'] / 1024:.0f} KB",
                    "-" if pdf_run is None else pdf_count,
                    "-" if pdf_run is None else f"{pdf_run.seconds:.1f} ({pdf_run.seconds - t:+.1f})",
                ]
            )
        print(
            f"\nHANDBOOK_PDF=off builds, median of {runs}; PDF pass: one cold HANDBOOK_PDF=auto build "
            "(in parentheses: its extra time over the off build)"
        )
        print(
            table(
                [
                    "N",
                    "time s",
                    "peak RSS tree",
                    "peak RSS proc",
                    "pages",
                    "largest HTML page",
                    "search raw",
                    "search gzip",
                    "PDFs",
                    "PDF pass s",
                ],
                rows,
            )
        )
        small, big = sizes[0], sizes[-1]
        if len(sizes) > 1:
            prev = sizes[-2]
            growth = median([b.seconds for b in builds[big]]) / median([b.seconds for b in builds[prev]])
            print(ratio_line(f"t({big}) / t({prev})", growth, round(1.1 * big / prev, 2)))
        peak = max(b.rss_tree for b in builds[big])
        print(ratio_line(f"peak RSS tree at N={big} (GB)", peak / 2**30, MAX_RSS / 2**30, " GB"))
        print(
            ratio_line(
                "largest HTML page, any N (MB)",
                max(f["largest_bytes"] for f in figures.values()) / 2**20,
                MAX_PAGE / 2**20,
                " MB",
            )
        )
        print(
            ratio_line(
                f"search index gzip at N={small} (MB)",
                figures[small]["search_gzip"] / 2**20,
                MAX_SEARCH_GZIP / 2**20,
                " MB",
            )
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main_guard(main))
