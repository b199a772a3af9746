"""Safe and reproducible builds with ``python -m handbook build``.

A build goes into a temporary folder and replaces the site only on success: broken data
(or a failing MkDocs run) leaves the last good site exactly as it was. Two builds of
the same data are byte-identical, file by file (PDFs and sitemap.xml.gz included).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import struct
import uuid
from pathlib import Path

import pytest

from conftest import PDFS, build_site, pdf_jobs_as_built, pdfs_built
from fixtures.project import copy_project
from handbook import load
from handbook.load import data_epoch

pytestmark = pytest.mark.slow  # every test here uses a project copy built with PDFs

# Files that may legitimately differ between two builds of the same data, with the reason.
# Keep this empty unless a file truly cannot be made deterministic (documented in docs/guide.md).
NOT_REPRODUCIBLE: dict[str, str] = {}


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory, site) -> Path:
    """A project copy built with PDFs. Built after the shared site (``site``), whose build
    fills the PDF cache: in a fresh clone this build then copies its PDFs from there instead
    of rendering all of them a second time, on the other core, at the same moment."""
    root = copy_project(tmp_path_factory.mktemp("safe") / "project")
    result = build_site(root, root / "site", pdf=PDFS)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "网站已生成" in result.stdout
    return root


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".build-") or p.name == "site.old")


def test_good_build(project):
    site = project / "site"
    for page in (
        "index.html",
        "roles/committee/yiwu/index.html",
        "sources/hubei/index.html",
        "compare/duties/index.html",
        "checklists/yiwu/all/index.html",
        "downloads/handbook.json",
        "downloads/handbook.csv",
        "sitemap.xml.gz",
        "search/search_index.json",
    ):
        assert (site / page).is_file(), page
    assert leftovers(project) == []


def test_broken_data_keeps_the_old_site(project):
    site = project / "site"
    before = snapshot(site)
    doc = project / "data/documents/yiwu.yml"
    good = doc.read_text("utf-8")
    assert good.count("    title: 加强组织领导\n") == 1
    doc.write_text(good.replace("    title: 加强组织领导\n", "    titel: 加强组织领导\n"), "utf-8")
    try:
        result = build_site(project, site)
    finally:
        doc.write_text(good, "utf-8")
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-3000:]
    assert "Traceback" not in output
    line = good.splitlines().index("    title: 加强组织领导") + 1
    assert re.search(
        rf"data/documents/yiwu.yml:{line}:5: 错误: 未知的键 `titel`（位置：clauses\[\d+\]） — 是否应为：`title`", output
    )
    assert "网站未生成" in output and "保持上一次成功构建的内容" in result.stderr
    assert snapshot(site) == before  # same files, same bytes
    assert leftovers(project) == []


def test_failing_mkdocs_run_keeps_the_old_site(project):
    """Data is fine but MkDocs fails (a hand-written page clashes with a generated one)."""
    site = project / "site"
    before = snapshot(site)
    clash = project / "docs/roles/index.md"
    clash.parent.mkdir(exist_ok=True)
    clash.write_text("# 手写的页面\n", "utf-8")
    try:
        result = build_site(project, site)
    finally:
        shutil.rmtree(clash.parent)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-3000:]
    assert "docs/roles/index.md 与生成的页面同名" in output
    assert "构建失败" in result.stderr and "保持上一次成功构建的内容" in result.stderr
    assert snapshot(site) == before
    assert leftovers(project) == []


def test_two_builds_are_byte_identical(project, tmp_path):
    first = snapshot(project / "site")
    again = tmp_path / "site"
    result = build_site(project, again, pdf=PDFS)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pdfs_built(project / "site")  # PDFs are part of what must be reproducible
    pdfs = [name for name in first if name.endswith(".pdf")]
    # Nothing changed, so nothing is rendered again: every PDF comes from the cache.
    assert f"{len(pdfs)} 份，其中新生成 0 份" in result.stdout + result.stderr
    second = snapshot(again)
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name] and name not in NOT_REPRODUCIBLE)
    assert differing == [], f"not byte-identical: {differing[:20]}"
    # The calendars whatever NOT_REPRODUCIBLE says: the same UIDs and DTSTAMPs, so re-importing
    # updates events instead of duplicating them (test_calendar counts on this check).
    calendars = [name for name in first if name.endswith(".ics")]
    assert calendars and [n for n in calendars if first[n] != second[n]] == []
    for name in pdfs:
        assert b"/CreationDate" not in first[name] and b"/ModDate" not in first[name], name


def test_sitemap_gzip_time_comes_from_the_data_not_the_clock(project):
    """MkDocs writes the build date into sitemap.xml.gz; the build pins it (SOURCE_DATE_EPOCH)."""
    raw = (project / "site/sitemap.xml.gz").read_bytes()
    mtime = struct.unpack("<I", raw[4:8])[0]
    expected = int(os.environ.get("SOURCE_DATE_EPOCH") or data_epoch(load(project)))
    assert mtime == expected - expected % 86400  # MkDocs keeps the day of that time
    assert expected > 0
    gzip.decompress(raw)  # still a valid archive


def test_a_data_edit_renders_only_the_pdfs_whose_content_changed(project, tmp_path):
    """PDFs are cached by what they render: after one clause title changes, the build renders
    exactly the PDFs whose HTML changed (recomputed here) and copies the others."""
    pdfs_built(project / "site")
    before = pdf_jobs_as_built(project)
    doc = project / "data/documents/yiwu.yml"
    good = doc.read_text("utf-8")
    # A clause on few cards (its place's 纪委 card and the all-roles card, in no quiz today):
    # every changed PDF is rendered afresh, and rendering is the slow part of this test.
    assert good.count("    title: 深化作风督查\n") == 1
    doc.write_text(
        # A title no earlier run has used: the shared PDF cache must not know these PDFs yet.
        good.replace(
            "    title: 深化作风督查\n",
            f"    title: 深化作风督查（测试 {uuid.uuid4().hex[:8]}）\n    title_editorial: true\n",
        ),
        "utf-8",
    )
    try:
        after = pdf_jobs_as_built(project)
        changed = {name for name in after if after[name] != before.get(name)}
        assert changed and len(changed) < len(after)
        result = build_site(project, tmp_path / "site", pdf=PDFS)
    finally:
        doc.write_text(good, "utf-8")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"{len(after)} 份，其中新生成 {len(changed)} 份" in result.stdout + result.stderr
    for name in set(after) - changed:
        assert (tmp_path / "site/downloads" / name).read_bytes() == (project / "site/downloads" / name).read_bytes(), (
            name
        )
