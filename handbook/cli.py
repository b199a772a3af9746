"""Command line: ``python -m handbook check`` validates data/ and prints coverage.

Exit status: 0 when everything holds, 2 when the data has errors (never a traceback).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import re
import sys
from pathlib import Path

from . import sitedir
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


def data_epoch(root: Path) -> int:
    """Seconds since 1970 of the newest full date (YYYY-MM-DD) in data/documents, or 0."""
    book, _ = load_report(root)
    newest = 0
    for doc in book.documents.values() if book else ():
        for value in (doc.date.value, doc.effective, doc.verified_on):
            if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                try:
                    day = datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.timezone.utc)
                except ValueError:
                    continue
                newest = max(newest, int(day.timestamp()))
    return newest


def build(root: Path, site_dir: Path, offline: bool) -> int:
    """Check, build into a temporary folder, then swap it in: a failed build never
    destroys the last good site (see sitedir.py for the lock and the swap)."""
    if check(root) != 0:
        print(f"网站未更新，{site_dir} 保持上一次成功构建的内容。", file=sys.stderr)
        return 2
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    try:
        sitedir.refuse_protected(root, site_dir)
        with sitedir.exclusive(site_dir):
            sitedir.clean_leftovers(site_dir)
            temp = sitedir.new_temp(site_dir)
            try:
                env = dict(os.environ, HANDBOOK_OFFLINE="true" if offline else "false")
                # MkDocs stamps sitemap.xml.gz (and page.update_date) with the build date unless
                # SOURCE_DATE_EPOCH is set: use the newest date in the data, so the same data gives
                # a byte-identical site on any day.
                env.setdefault("SOURCE_DATE_EPOCH", str(data_epoch(root)))
                if sitedir.run(mkdocs_command(temp), root, env, site_dir) != 0:
                    print(f"构建失败（见上），{site_dir} 保持上一次成功构建的内容。", file=sys.stderr)
                    return 2
                sitedir.swap(temp, site_dir)
            finally:
                if temp.exists():  # failed or interrupted; if this fails too, the next build removes it
                    with contextlib.suppress(OSError):
                        sitedir.remove_tree(temp)
    except sitedir.SiteError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"网站已生成：{site_dir}")
    return 0


def mkdocs_command(site_dir: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook", description="两个责任手册的数据工具")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="校验 data/ 并打印每份原文的覆盖情况")
    p_check.add_argument("--root", type=Path, default=Path("."), help="项目目录（含 data/）")
    p_check.add_argument("--only", metavar="DOC", help="只校验 data/documents/DOC.yml")
    p_build = sub.add_parser("build", help="校验后构建网站；失败时保留上一次的网站")
    p_build.add_argument("--root", type=Path, default=Path("."), help="项目目录")
    p_build.add_argument("--site-dir", type=Path, default=Path("site"), help="输出目录")
    p_build.add_argument("--offline", action="store_true", help="构建可从本地磁盘打开的离线版")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            return build(args.root.resolve(), args.site_dir, args.offline)
        return check(args.root, args.only)
    except KeyboardInterrupt:
        return 130
