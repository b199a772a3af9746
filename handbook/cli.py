"""Command line: ``python -m handbook check`` validates data/ and prints coverage;
``python -m handbook new DOC SOURCE`` copies a source and writes a draft document YAML.

Exit status: 0 when everything holds, 2 when the data has errors (never a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import re
import sys
from pathlib import Path

import yaml

from . import sitedir
from .document import not_utf8
from .load import LoadRun, load_report
from .problems import suggest
from .revision_scaffold import scaffold_delta
from .scaffold import scaffold
from .tiling import strip_space

SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def coverage_rows(book) -> list[tuple]:
    rows = []
    for doc in book.documents.values():
        total = len(strip_space(doc.source_text))
        clauses = sum(len(strip_space(doc.source_text[a:b])) for c in doc.clauses for a, b in c.spans)
        ignored = sum(len(strip_space(doc.source_text[a:b])) for i in doc.ignored for a, b in i.spans)
        rows.append(
            (doc.source, len(doc.clauses), total, clauses, ignored, (clauses + ignored) / total, ignored / total)
        )
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


def new(root: Path, doc_id: str, source: Path, revises: str | None = None) -> int:
    """Copy a source into data/sources/<doc_id>.txt and write a draft data/documents/<doc_id>.yml
    (with ``revises``: a delta against that document, see revision_scaffold.py)."""

    def fail(message: str) -> int:
        print(f"错误: {message}", file=sys.stderr)
        return 2

    if not SLUG.fullmatch(doc_id):
        return fail(f"文档标识 `{doc_id}` 不合格式 — 只用小写英文字母、数字和连字符，以字母开头，如 yiwu-2016")
    target_source = root / "data" / "sources" / f"{doc_id}.txt"
    target_yaml = root / "data" / "documents" / f"{doc_id}.yml"
    try:
        raw = source.read_bytes()
    except OSError as exc:
        return fail(f"原文文件 {source} 无法读取（{exc.strerror or exc.__class__.__name__}） — 检查文件名和路径")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        message, fix = not_utf8(str(source), raw, exc)
        return fail(f"{message} — {fix}")
    if not strip_space(text):
        return fail(f"原文文件 {source} 是空的 — 把完整原文粘贴进去，保存为 UTF-8")
    same_file = target_source.exists() and target_source.resolve() == source.resolve()
    for path in (target_yaml,) if same_file else (target_yaml, target_source):
        if path.exists():
            return fail(
                f"{path.relative_to(root)} 已存在，不会覆盖 — 换一个文档标识；修订版本用新标识（如 {doc_id}-2）"
            )
    if revises is not None:
        base = revised_document(root, revises)
        if base is None:
            return 2
        delta = scaffold_delta(base, doc_id, target_source.name, text, hashlib.sha256(raw).hexdigest())
        if not same_file:
            target_source.write_bytes(raw)
        target_yaml.write_text(delta.yaml, encoding="utf-8")
        print(f"已复制原文：{target_source.relative_to(root)}")
        print(
            f"已生成修订版草稿：{target_yaml.relative_to(root)}（与 {revises} 相比：修改 {len(delta.amended)} 条，"
            f"新增 {len(delta.added)} 条，删除 {len(delta.removed)} 条，重新编号 {len(delta.renumbered)} 条）"
        )
        print("下一步：运行 ./hb check，核对推测的变化并补全“待填写”各项（见 /guide/ “修订版：只写变化”）。")
        return 0
    role_names: dict[str, list[str]] = {}
    try:
        roles = yaml.safe_load((root / "data" / "roles.yml").read_text("utf-8"))
        role_names = {r["id"]: [r["label"], *r.get("aliases", ())] for r in roles["roles"]}
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        pass  # roles only help name lists of duties; ./hb check reports a broken roles.yml
    result = scaffold(doc_id, target_source.name, text, hashlib.sha256(raw).hexdigest(), role_names)
    if not same_file:
        target_source.write_bytes(raw)
    target_yaml.write_text(result.yaml, encoding="utf-8")
    print(f"已复制原文：{target_source.relative_to(root)}")
    print(f"已生成草稿：{target_yaml.relative_to(root)}（{result.clauses} 个条款，{result.ignored} 处忽略片段）")
    print("下一步：运行 ./hb check，按“待填写”提示逐项补全（见 /guide/ “用 ./hb new 新建文档”）。")
    return 0


def revised_document(root: Path, doc_id: str) -> dict | None:
    """The full YAML data (a delta merged) of the document a new revision revises, or None
    after printing why not: it must exist and pass ./hb check."""
    run = LoadRun(root, only=doc_id)
    run.load_vocabularies()
    run.load_documents()
    errors = [p for p in run.problems if not p.warning]
    if not (root / "data" / "documents" / f"{doc_id}.yml").is_file():
        known = sorted(p.stem for p in (root / "data" / "documents").glob("*.yml"))
        print(f"错误: --revises 指向不存在的文档 `{doc_id}` — {suggest(doc_id, known)}", file=sys.stderr)
        return None
    if errors or doc_id not in run.files:
        for problem in errors:
            print(problem, file=sys.stderr)
        print(f"错误: 被修订的 `{doc_id}` 有错误 — 先改正它（./hb check --only {doc_id}）", file=sys.stderr)
        return None
    return run.files[doc_id].data


def build(root: Path, site_dir: Path, offline: bool, publish: bool = False) -> int:
    """Build into a temporary folder, then swap it in: a failed build never destroys the
    last good site. The data is loaded and checked once, inside the build (the hook
    reports every problem and stops it; see sitedir.py for the lock and the swap)."""
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    try:
        sitedir.refuse_protected(root, site_dir)
        with sitedir.exclusive(site_dir):
            sitedir.clean_leftovers(site_dir)
            temp = sitedir.new_temp(site_dir)
            try:
                # NO_MKDOCS_2_WARNING: Material prints its end-of-life banner on every build;
                # the project tracks that date (README), editors need not read it each time.
                env = dict(os.environ, HANDBOOK_OFFLINE="true" if offline else "false", NO_MKDOCS_2_WARNING="1")
                if publish:  # what readers get: every PDF, no unfinished draft
                    env.update(HANDBOOK_PDF="require", HANDBOOK_PUBLISH="true")
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
    p_build.add_argument("--publish", action="store_true", help="发布用构建：必须生成全部 PDF，不允许草稿")
    p_new = sub.add_parser("new", help="复制原文并生成文档数据草稿 data/documents/<DOC>.yml")
    p_new.add_argument("doc_id", metavar="DOC", help="新文档的标识（小写字母、数字、连字符）")
    p_new.add_argument("source", type=Path, help="原文 .txt 文件（UTF-8）")
    p_new.add_argument("--root", type=Path, default=Path("."), help="项目目录")
    p_new.add_argument("--revises", metavar="BASE", help="新文件是 BASE 的修订版：只生成与 BASE 不同之处（修订版草稿）")
    args = parser.parse_args(argv)
    try:
        if args.command == "new":
            return new(args.root, args.doc_id, args.source, args.revises)
        if args.command == "build":
            return build(args.root.resolve(), args.site_dir, args.offline, args.publish)
        return check(args.root, args.only)
    except KeyboardInterrupt:
        return 130
