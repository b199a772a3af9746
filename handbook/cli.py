"""Command line: ``python -m handbook check`` validates data/ and prints coverage.

Exit status: 0 when everything holds, 2 when the data has errors (never a traceback).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .load import load_report
from .tiling import strip_space


def coverage_rows(book) -> list[tuple]:
    rows = []
    for doc in book.documents.values():
        total = len(strip_space(doc.source_text))
        clauses = sum(len(strip_space(doc.source_text[a:b])) for c in doc.clauses for a, b in c.spans)
        ignored = sum(len(strip_space(doc.source_text[a:b])) for i in doc.ignored for a, b in i.spans)
        rows.append((doc.source, len(doc.clauses), total, clauses, ignored, (clauses + ignored) / total, ignored / total))
    return rows


def check(root: Path, only: str | None = None) -> int:
    book, problems = load_report(root, only)
    for problem in problems:
        print(problem)
    if book is None:
        errors = sum(not p.warning for p in problems)
        print(f"\n共 {errors} 个错误。改正后重新运行 python -m handbook check。", file=sys.stderr)
        return 2
    print(f"{'source':<24}{'clauses':>8}{'chars':>8}{'quoted':>8}{'ignored':>8}{'tiled':>9}{'ignored%':>9}")
    for name, n, total, quoted, ignored, tiled, share in coverage_rows(book):
        print(f"{name:<24}{n:>8}{total:>8}{quoted:>8}{ignored:>8}{tiled:>9.1%}{share:>9.1%}")
    print(f"\n全部通过：{len(book.documents)} 份原文 100% 覆盖，无重叠；数据版本 {book.version}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook", description="两个责任手册的数据工具")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="校验 data/ 并打印每份原文的覆盖情况")
    p_check.add_argument("--root", type=Path, default=Path("."), help="项目目录（含 data/）")
    p_check.add_argument("--only", metavar="DOC", help="只校验 data/documents/DOC.yml")
    args = parser.parse_args(argv)
    try:
        return check(args.root, args.only)
    except KeyboardInterrupt:
        return 130
