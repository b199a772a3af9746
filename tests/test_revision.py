"""Rule changes: a revised document supersedes the old one.

tests/fixtures/revision/ holds a made-up revision of the Lianyungang measures
(lianyungang-2024: a5-i4, a5-i8 and a5-i10 changed, a5-i7 removed, a5-i11 added), written
as a delta (``revises: lianyungang``, see tests/test_revision_delta.py for the delta form
itself). It is added to a project copy and the site built once.
"""

from __future__ import annotations

import html as htmllib
import re

import pytest

from conftest import build_site
from fixtures.project import FIXTURES, add_document, copy_project
from handbook.load import load
from handbook.pages import diff_rows

pytestmark = pytest.mark.slow  # the module builds a project copy of its own

NEW, OLD = "lianyungang-2024", "lianyungang"
OLD_A5_I8 = "（八）对开展党风廉政建设巡察工作不重视、不支持、不配合的；"
NEW_A5_I8 = "（八）对开展党风廉政建设巡视巡察工作不重视、不支持、不配合，或者整改不力的；"
REMOVED = "权力制约和监督体系不完善"
ADDED = "对责任制检查考核中发现的问题拒不整改的"


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("revision") / "project")
    add_document(root, FIXTURES / "revision")
    result = build_site(root, root / "site")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root


def page(root, url: str) -> str:
    path = root / "site" / url.strip("/") / "index.html"
    assert path.is_file(), f"{url} was not generated"
    return path.read_text("utf-8")


def plain(html: str) -> str:
    """Visible text: glossary terms are wrapped in <abbr>, so tags are dropped first."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", html))


def row(html: str, clause: str) -> str:
    found = re.search(rf'<tr class="hb-(\w+)" id="diff-{clause}">(.*?)</tr>', html, re.S)
    assert found, f"no row for {clause}"
    return found.group(1), found.group(2)


def test_loader_links_the_versions(root):
    book = load(root)
    assert book.documents[NEW].supersedes == OLD
    assert book.documents[OLD].superseded_by == NEW
    assert book.documents[NEW].current and not book.documents[OLD].current
    assert book.documents[NEW].effective == "2024-02-01"


def test_diff_rows_by_stable_id(root):
    book = load(root)
    rows = {r["id"]: r for r in diff_rows(book.documents[OLD], book.documents[NEW])}
    assert rows["a5-i11"]["status"] == "added"
    assert rows["a5-i7"]["status"] == "removed"
    assert {i for i, r in rows.items() if r["status"] == "changed"} == {"a5-i4", "a5-i8", "a5-i10"}
    assert ("insert", "巡视") in rows["a5-i8"]["new_parts"]
    assert sum(r["status"] == "same" for r in rows.values()) == len(book.documents[OLD].clauses) - 4


@pytest.mark.parametrize(
    "url, full_text",
    [
        (f"/roles/committee/{OLD}/", True),
        (f"/roles/secretary/{OLD}/", True),
        ("/compare/triggers/", False),
        (f"/checklists/{OLD}/committee/", False),
    ],
)
def test_current_pages_use_the_new_version(root, url, full_text):
    text = plain(page(root, url))
    assert "检查考核发现的问题拒不整改" in text  # the added clause's title
    assert REMOVED not in text  # the removed clause is gone
    assert OLD_A5_I8 not in text
    if full_text:  # pages that quote the clauses
        assert NEW_A5_I8 in text and ADDED in text


def test_role_page_cites_the_new_document(root):
    html = page(root, f"/roles/committee/{OLD}/")
    assert f"sources/{NEW}/" in html
    assert f'href="../../../sources/{OLD}/"' not in html


def test_old_source_page_is_reachable_and_says_superseded(root):
    html = page(root, f"/sources/{OLD}/")
    assert "旧版本" in html and "已被" in html and "取代" in html
    assert f"../{NEW}/" in html  # link to the new version
    assert f"../../changes/{NEW}/" in html  # link to the comparison
    assert OLD_A5_I8 in plain(html) and REMOVED in plain(html)  # still the old text
    assert "（旧版本）" in page(root, "/sources/")


def test_new_source_page(root):
    html = page(root, f"/sources/{NEW}/")
    text = plain(html)
    assert NEW_A5_I8 in text and ADDED in text
    assert "2024-02-01" in text
    assert "修订版" in text and f"../{OLD}/" in html  # link to the version it revises
    assert f"../../changes/{NEW}/" in html  # link to the comparison


def test_jurisdiction_page_links_the_comparison(root):
    html = page(root, f"/jurisdictions/{OLD}/")
    assert f"changes/{NEW}/" in html
    assert f"../../sources/{NEW}/" in html and f"../../sources/{OLD}/" in html
    assert "旧版本" in plain(html)


def test_changes_page_lists_added_removed_changed(root):
    html = page(root, f"/changes/{NEW}/")
    assert "新增 1 条；修改 3 条；删除 1 条" in html
    status, cells = row(html, "a5-i11")
    assert status == "added" and f"<ins>（十一）{ADDED}。</ins>" in cells
    status, cells = row(html, "a5-i7")
    assert status == "removed" and "<del>（七）权力制约和监督体系不完善" in cells
    status, cells = row(html, "a5-i8")
    assert status == "changed"
    assert "<ins>巡视</ins>" in cells and "<ins>，或者整改不力</ins>" in cells
    status, cells = row(html, "a5-i10")
    assert status == "changed" and "<del>。</del>" in cells and "<ins>；</ins>" in cells
    status, cells = row(html, "a5-i4")
    assert "<ins>及其实施细则</ins>" in cells
    # unchanged clauses are not listed
    assert 'id="diff-a5-i1"' not in html
    # links to both versions
    assert f"../../sources/{OLD}/" in html and f"../../sources/{NEW}/" in html
