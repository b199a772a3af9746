"""Revisions written as deltas (handbook/revision.py): what carries over, what the
新旧条文对照 lists, and what an editor is told when a delta does not fit.

Fixtures: tests/fixtures/revision/ (lianyungang-2024 revises lianyungang: amended, added,
removed) and tests/fixtures/revision-chain/ (lianyungang-2025 revises lianyungang-2024,
a delta of a delta: the items after the removed one are renumbered). Expectations are
read from the YAML files themselves (plain PyYAML), never from the loader's output.
"""

from __future__ import annotations

import functools
import html as htmllib
import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import pytest
import yaml
from test_browser import DESKTOP, PHONE, screenshot
from test_editor_errors import check, edit, failed, line_of

from conftest import ROOT, _QuietHandler, build_site
from fixtures.project import FIXTURES, add_document, copy_project
from handbook import cli
from handbook.load import load
from handbook.views.changes import diff_rows

BASE, REV, REV2 = "lianyungang", "lianyungang-2024", "lianyungang-2025"
DOCS = "data/documents"
# Clause fields the delta does not restate: an unchanged clause must carry the base's.
CARRIED = ("locator", "kind", "title", "title_editorial", "roles", "actors", "themes", "links", "note", "time")


def yaml_of(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def with_fixtures(root: Path, chain: bool = True) -> Path:
    add_document(root, FIXTURES / "revision")
    if chain:
        add_document(root, FIXTURES / "revision-chain")
    return root


@pytest.fixture(scope="module")
def data_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("delta") / "project"
    shutil.copytree(ROOT / "data", root / "data")
    return with_fixtures(root)


@pytest.fixture(scope="module")
def book(data_root):
    return load(data_root)


def delta_yaml(doc: str) -> dict:
    folder = "revision" if doc == REV else "revision-chain"
    return yaml_of(FIXTURES / folder / f"{doc}.yml")


def stated(delta: dict) -> dict[str, set[str]]:
    """What a delta YAML says changed, by status as the comparison page names them."""
    return {
        "changed": {e["id"] for e in delta.get("amended", ()) if "quote" in e},
        "added": {c["id"] for group in delta.get("added", ()) for c in group["clauses"]},
        "removed": set(delta.get("removed", ())),
        "renumbered": {e["id"] for e in delta.get("renumbered", ())},
    }


# -- merging ------------------------------------------------------------------------


def test_unchanged_clauses_carry_the_base_data(book):
    base = {c["id"]: c for c in yaml_of(ROOT / DOCS / f"{BASE}.yml")["clauses"]}
    delta = delta_yaml(REV)
    changes = stated(delta)
    new = {c.local_id: c for c in book.documents[REV].clauses}
    untouched = set(base) - changes["changed"] - changes["removed"]
    assert untouched and untouched <= set(new)
    for cid in untouched:
        clause, written = new[cid], base[cid]
        for key in CARRIED:
            got = getattr(clause, key)
            want = written.get(key)
            if key == "links":
                want = [ref if "/" in ref else f"{BASE}/{ref}" for ref in want or ()]
            if key == "time":
                got = [{k: v for k, v in vars(t).items() if v is not None and v is not False} for t in got]
            if isinstance(got, tuple) or key in ("links", "time"):
                got, want = list(got), list(want or ())
            assert got == want or (want is None and not got), f"{cid}.{key}: {got!r} != {want!r}"
        assert [(f.original, f.corrected) for f in clause.corrections] == [
            (f["from"], f["to"]) for f in written.get("corrections", ())
        ]
    # at least one carried clause has each kind of data worth carrying
    assert any(base[c].get("corrections") for c in untouched)
    assert any(base[c].get("roles") and base[c].get("themes") for c in untouched)


def test_amended_clauses_inherit_what_they_do_not_restate(book):
    base = {c["id"]: c for c in yaml_of(ROOT / DOCS / f"{BASE}.yml")["clauses"]}
    new = {c.local_id: c for c in book.documents[REV].clauses}
    for entry in delta_yaml(REV)["amended"]:
        clause = new[entry["id"]]
        assert clause.original == re.sub(r"\s+", "", entry["quote"]) or entry["quote"] in clause.original
        for key in ("title", "roles", "themes", "locator"):
            want = entry.get(key, base[entry["id"]].get(key))
            got = getattr(clause, key)
            assert (list(got) if isinstance(got, tuple) else got) == want, (entry["id"], key)


def test_added_removed_and_order(book):
    delta = delta_yaml(REV)
    ids = [c.local_id for c in book.documents[REV].clauses]
    for cid in delta["removed"]:
        assert cid not in ids
    for group in delta["added"]:
        at = ids.index(group["after"])
        assert ids[at + 1 : at + 1 + len(group["clauses"])] == [c["id"] for c in group["clauses"]]
    # the merged version tiles its own source: clauses follow the new text in order
    starts = [c.spans[0][0] for c in book.documents[REV].clauses]
    assert starts == sorted(starts)


def test_delta_of_a_delta(book):
    """lianyungang-2025 revises lianyungang-2024, itself a delta: a renumbered clause keeps
    its id and takes the new locator; what it carries comes from wherever it was written."""
    first, second = delta_yaml(REV), delta_yaml(REV2)
    doc = book.documents[REV2]
    assert doc.supersedes == REV and book.documents[REV].superseded_by == REV2
    assert doc.current and not book.documents[REV].current and not book.documents[BASE].current
    new = {c.local_id: c for c in doc.clauses}
    added = {c["id"]: c for group in first["added"] for c in group["clauses"]}
    amended = {e["id"]: e for e in first["amended"]}
    for entry in second["renumbered"]:
        clause = new[entry["id"]]
        assert clause.locator == entry["locator"] and clause.text == entry["quote"]
        if entry["id"] in added:  # written in the first delta's added
            assert list(clause.themes) == added[entry["id"]]["themes"]
        if "title" in amended.get(entry["id"], {}):  # written in the first delta's amended
            assert clause.title == amended[entry["id"]]["title"]
    assert doc.title.value == first["title"]["value"]  # title inherited through the chain
    assert doc.short_title == second["short_title"]


@pytest.mark.parametrize("doc", [REV, REV2])
def test_comparison_rows_are_the_delta(book, doc):
    new = book.documents[doc]
    rows = diff_rows(book.documents[new.supersedes], new)
    got: dict[str, set[str]] = {}
    for row in rows:
        if row["status"] != "same":
            got.setdefault(row["status"], set()).add(row["id"])
    assert got == {k: v for k, v in stated(delta_yaml(doc)).items() if v}


def test_full_copy_form_still_works(tmp_path, book):
    """The older form — a whole document with ``supersedes`` — gives the same version and,
    compared text by text, the same rows the delta states."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    add_document(root, FIXTURES / "revision")
    full = yaml_of(ROOT / DOCS / f"{BASE}.yml")
    delta = delta_yaml(REV)
    by_id = {c["id"]: c for c in full["clauses"]}
    for entry in delta["amended"]:
        by_id[entry["id"]] = {**by_id[entry["id"]], **entry}
    clauses = [by_id[c["id"]] for c in full["clauses"] if c["id"] not in delta["removed"]]
    for group in delta["added"]:
        at = next(i for i, c in enumerate(clauses) if c["id"] == group["after"])
        clauses[at + 1 : at + 1] = group["clauses"]
    full.update({k: v for k, v in delta.items() if k not in ("revises", "amended", "added", "removed")})
    full["supersedes"], full["clauses"] = BASE, clauses
    (root / DOCS / f"{REV}.yml").write_text(yaml.safe_dump(full, allow_unicode=True, sort_keys=False), "utf-8")
    copied = load(root)
    doc = copied.documents[REV]
    assert doc.delta is None and doc.supersedes == BASE
    assert [(c.local_id, c.text, c.themes) for c in doc.clauses] == [
        (c.local_id, c.text, c.themes) for c in book.documents[REV].clauses
    ]
    statuses = {r["id"]: r["status"] for r in diff_rows(copied.documents[BASE], doc) if r["status"] != "same"}
    delta_statuses = {r["id"]: r["status"] for r in diff_rows(book.documents[BASE], book.documents[REV])}
    assert statuses == {k: v for k, v in delta_statuses.items() if v != "same"}


# -- what the editor is told ----------------------------------------------------------

REV_YML = f"{DOCS}/{REV}.yml"
REV2_YML = f"{DOCS}/{REV2}.yml"


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    for path in (root / "data").rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return with_fixtures(root)


@pytest.mark.parametrize(
    "old, new, at, needles",
    [
        ("revises: lianyungang\n", "revises: lianyungan\n", "revises:", ["revises 指向不存在的文档", "`lianyungang`"]),
        ("  - id: a5-i4\n", "  - id: a5-i44\n", "id: a5-i44", ["amended 中的条款 `a5-i44` 不在", "`a5-i4`"]),
        ("  - a5-i7\n", "  - a5-i77\n", "- a5-i77", ["removed 中的条款 `a5-i77` 不在"]),
        ("      - id: a5-i11\n", "      - id: a5-i7\n", "id: a5-i7", ["`a5-i7` 已在", "永不复用"]),
        ("      - id: a5-i11\n", "      - id: a5-i9\n", "id: a5-i9", ["`a5-i9` 已在", "amended"]),
        ("after: a5-i10", "after: a5-i7", "after: a5-i7", ["after", "`a5-i7`", "已在 removed 中删除"]),
        ("after: a5-i10", "after: a5-i100", "after: a5-i100", ["after", "不存在", "`a5-i10`"]),
        ("removed:\n  - a5-i7\n", "removed:\n  - a5-i7\n  - a5-i4\n", "id: a5-i4", ["`a5-i4` 在 removed 中已经列过"]),
        (
            "    title: 不重视不支持巡视巡察工作\n",
            "    tilte: 不重视不支持巡视巡察工作\n",
            "tilte:",
            ["未知的键 `tilte`", "`title`"],
        ),
        (
            "removed:\n",
            "clauses: [{id: x, locator: x, kind: heading, title: x, quote: x}]\nremoved:\n",
            "clauses: [{id: x",
            ["不能再写 `clauses`"],
        ),
    ],
)
def test_delta_errors(root, capsys, old, new, at, needles):
    edit(root, REV_YML, old, new)
    report = failed(root, capsys)
    report.one(REV_YML, line_of(root, REV_YML, at), *needles)


def test_inherited_quote_not_in_the_new_text_names_the_clause(root, capsys):
    """Dropping a5-i8 from amended leaves its old quote, not found in the new text: the
    error stands at ``revises`` and says where the quote was written and what to list."""
    text = (root / REV_YML).read_text("utf-8")
    entry = re.search(r"  - id: a5-i8\n(    .*\n)+", text)
    assert entry
    (root / REV_YML).write_text(text.replace(entry.group(0), ""), "utf-8")
    base_line = line_of(root, f"{DOCS}/{BASE}.yml", "quote: （八）对开展党风廉政建设巡察工作")
    report = failed(root, capsys)
    report.one(
        REV_YML,
        line_of(root, REV_YML, "revises:"),
        "引文无法在原文中定位",
        f"{DOCS}/{BASE}.yml:{base_line}",
        "`a5-i8`",
        "amended",
    )


def test_inherited_through_a_chain_names_the_file_it_was_written_in(root, capsys):
    """a5-i11 was added by the first delta: when the second no longer finds its quote, the
    error points at the first delta's line, not at the original document."""
    edit(
        root,
        REV2_YML,
        "  - {id: a5-i11, locator: 第五条第（十）项, quote: （十）对责任制检查考核中发现的问题拒不整改的。}\n",
        "",
    )
    written = line_of(root, REV_YML, "quote: （十一）对责任制检查考核")
    report = failed(root, capsys)
    report.one(REV2_YML, line_of(root, REV2_YML, "revises:"), f"{REV_YML}:{written}", "`a5-i11`", "amended")


def test_a_loop_of_revisions_is_refused(root, capsys):
    edit(root, REV_YML, "revises: lianyungang\n", "revises: lianyungang-2025\n")
    report = failed(root, capsys)
    report.one(REV2_YML, line_of(root, REV2_YML, "revises:"), "revises 形成循环")


def test_delta_keys_need_revises(root, capsys):
    edit(root, f"{DOCS}/yiwu.yml", "clauses:\n", "removed: [a1]\nclauses:\n")
    report = failed(root, capsys)
    report.one(f"{DOCS}/yiwu.yml", line_of(root, f"{DOCS}/yiwu.yml", "removed: [a1]"), "只用于修订版", "revises")


def test_unchanged_quote_under_amended_is_a_warning(root, capsys):
    """An amended quote equal to the old one is not a change: a warning, the data still loads."""
    base = {c["id"]: c for c in yaml_of(root / DOCS / f"{BASE}.yml")["clauses"]}
    edit(root, REV_YML, "  - id: a5-i4\n", f"  - id: a5-i5\n    quote: {base['a5-i5']['quote']}\n  - id: a5-i4\n")
    report = check(root, capsys)
    assert report.code == 0, report.out
    report.one(REV_YML, line_of(root, REV_YML, "id: a5-i5") + 1, "a5-i5", "完全相同", level="提示")


# -- the built site ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_root(tmp_path_factory) -> Path:
    root = with_fixtures(copy_project(tmp_path_factory.mktemp("delta-site") / "project"))
    result = build_site(root, root / "site")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root


def page(root: Path, url: str) -> str:
    path = root / "site" / url.strip("/") / "index.html"
    assert path.is_file(), f"{url} was not generated"
    return path.read_text("utf-8")


def test_changes_page_lists_exactly_the_delta(site_root):
    for doc in (REV, REV2):
        html = page(site_root, f"/changes/{doc}/")
        rows = dict((cid, status) for status, cid in re.findall(r'<tr class="hb-(\w+)" id="diff-([\w-]+)">', html))
        want = {cid: status for status, ids in stated(delta_yaml(doc)).items() for cid in ids}
        assert rows == want


def test_dataset_states_the_changes(site_root):
    data = json.loads((site_root / "site/downloads/handbook.json").read_text("utf-8"))
    docs = {d["id"]: d for d in data["documents"]}
    assert docs[BASE]["changes"] is None
    for doc in (REV, REV2):
        changes = docs[doc]["changes"]
        assert changes["revises"] == delta_yaml(doc)["revises"]
        got = {"changed": changes["amended"], **{k: changes[k] for k in ("added", "removed", "renumbered")}}
        assert {k: set(v) for k, v in got.items()} == stated(delta_yaml(doc))


def test_renumbered_rows_show_the_old_number(site_root):
    html = page(site_root, f"/changes/{REV2}/")
    assert f"重新编号 {len(delta_yaml(REV2)['renumbered'])} 条" in html
    old = {c["id"]: c for c in delta_yaml(REV)["added"][0]["clauses"]}
    for entry in delta_yaml(REV2)["renumbered"]:
        row = re.search(rf'id="diff-{entry["id"]}">(.*?)</tr>', html, re.S)
        assert row and entry["locator"] in row.group(1) and "原第五条" in row.group(1)
        if entry["id"] in old:
            assert f"原{old[entry['id']]['locator']}" in htmllib.unescape(row.group(1))


def test_both_versions_link_the_comparison(site_root):
    old, new = page(site_root, f"/sources/{BASE}/"), page(site_root, f"/sources/{REV}/")
    assert f'href="../../changes/{REV}/"' in old and f'href="../{REV}/"' in old
    assert f'href="../../changes/{REV}/"' in new and f'href="../{BASE}/"' in new
    # the middle version of the chain links both of its comparisons
    assert f'href="../../changes/{REV2}/"' in new and f'href="../{REV2}/"' in new
    jurisdiction = page(site_root, f"/jurisdictions/{BASE}/")
    for doc in (REV, REV2):
        assert jurisdiction.count(f'href="../../changes/{doc}/"') == 2  # from the newer and the older section


# -- the guide's examples -----------------------------------------------------------------


def test_the_guides_delta_examples_load(tmp_path):
    """The two delta examples in docs/guide.md, pasted as an editor would (with the fixtures'
    source texts), load and say what the fixtures say."""
    guide = (ROOT / "docs/guide.md").read_text("utf-8")
    section = guide[guide.index("### 修订版：只写变化") : guide.index("### 另一种写法")]
    examples = re.findall(r"```yaml\n(.*?)```", section, re.S)
    assert len(examples) == 2
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    with_fixtures(root)
    for example in examples:
        doc = yaml.safe_load(example)["id"]
        (root / DOCS / f"{doc}.yml").write_text(example, "utf-8")
    book = load(root)
    for doc in (REV, REV2):
        new = book.documents[doc]
        rows = {r["id"]: r["status"] for r in diff_rows(book.documents[new.supersedes], new)}
        assert {k for k, v in rows.items() if v != "same"} == set().union(*stated(delta_yaml(doc)).values())


# -- in a browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def delta_server(site_root):
    handler = functools.partial(_QuietHandler, directory=str(site_root / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("width", [PHONE["width"], DESKTOP["width"]])
def test_revision_pages_in_a_browser(browser, delta_server, artifacts, width):
    """The comparison and both source pages on a phone and a desktop: the comparison is
    reachable from each source page, and nothing but the table scrolls sideways."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        for name, url in (
            ("changes-delta", f"changes/{REV}/"),
            ("changes-renumbered", f"changes/{REV2}/"),
            ("source-revised", f"sources/{REV}/"),
            ("jurisdiction-revised", f"jurisdictions/{BASE}/"),
        ):
            page.goto(delta_server + url, wait_until="load")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}px"
            screenshot(page, artifacts, name, width)
        for source in (BASE, REV):
            page.goto(delta_server + f"sources/{source}/", wait_until="load")
            page.get_by_role("link", name="查看新旧条文对照").first.click()
            page.wait_for_load_state("load")
            assert "/changes/" in page.url and page.locator("table.hb-diff").is_visible()
    finally:
        context.close()


# -- ./hb new --revises ---------------------------------------------------------------------


def scaffold_new(root: Path, doc: str, source: Path, base: str, capsys) -> tuple[int, str]:
    code = cli.main(["new", doc, str(source), "--revises", base, "--root", str(root)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out + captured.err


@pytest.mark.parametrize("doc", [REV, REV2])
def test_new_revises_finds_the_fixtures_changes(tmp_path, capsys, doc):
    """Scaffolding each fixture's new text against the version it revises proposes exactly
    the changes its hand-written delta states, and the draft passes ./hb check."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    if doc == REV2:
        add_document(root, FIXTURES / "revision")
    folder = FIXTURES / ("revision" if doc == REV else "revision-chain")
    written = delta_yaml(doc)
    code, out = scaffold_new(root, doc, folder / f"{doc}.txt", written["revises"], capsys)
    assert code == 0, out
    draft = yaml_of(root / DOCS / f"{doc}.yml")
    assert stated(draft) == stated(written)
    for key in ("renumbered", "removed"):
        assert draft.get(key) == written.get(key)
    report = check(root, capsys)
    assert report.code == 0, report.out
    assert any("待填写" in p[4] for p in report.problems)  # metadata left to fill, as drafts


def test_new_revises_on_a_real_text(tmp_path, capsys):
    """A revision of yiwu made here: one item reworded, one deleted, one line inserted.
    The clauses are picked from yiwu.yml (whole-line quotes), the changes made to the text."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    base = yaml_of(ROOT / DOCS / "yiwu.yml")
    text = (ROOT / "data/sources/yiwu.txt").read_text("utf-8")
    lines = text.split("\n")
    whole = [
        c
        for c in base["clauses"]
        if isinstance(c["quote"], str)
        and "\n" not in c["quote"].strip()
        and len(c["quote"]) > 30
        and sum(line.strip() == c["quote"].strip() for line in lines) == 1
        and not c.get("corrections")
    ]
    reworded, deleted, anchor = whole[3], whole[8], whole[14]
    at = {c["id"]: next(i for i, line in enumerate(lines) if line.strip() == c["quote"].strip()) for c in whole}
    old = lines[at[reworded["id"]]]
    lines[at[reworded["id"]]] = old[:10] + "切实" + old[10:]
    inserted = "各级党组织每年向上级党组织书面报告履行主体责任情况，并在一定范围内公开。"
    lines[at[anchor["id"]]] += "\n" + inserted
    del lines[at[deleted["id"]]]
    new_source = tmp_path / "yiwu-2026.txt"
    new_source.write_text("\n".join(lines), "utf-8")
    code, out = scaffold_new(root, "yiwu-2026", new_source, "yiwu", capsys)
    assert code == 0, out
    draft = yaml_of(root / DOCS / "yiwu-2026.yml")
    assert [e["id"] for e in draft["amended"] if "quote" in e] == [reworded["id"]]
    # clauses that stay but refer to the deleted one get their references trimmed (data only)
    refers = {
        c["id"]
        for c in base["clauses"]
        if deleted["id"] in c.get("links", ()) or deleted["id"] in (c.get("sanction") or {}).get("applies_to", ())
    }
    assert {e["id"] for e in draft["amended"] if "quote" not in e} == refers
    assert draft["removed"] == [deleted["id"]]
    assert [(g["after"], [c["quote"] for c in g["clauses"]]) for g in draft["added"]] == [(anchor["id"], [inserted])]
    assert "renumbered" not in draft
    report = check(root, capsys)
    assert report.code == 0, report.out


def test_new_revises_refuses_an_unknown_base(tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    code, out = scaffold_new(root, REV, FIXTURES / "revision" / f"{REV}.txt", "lianyungan", capsys)
    assert code == 2 and "--revises 指向不存在的文档 `lianyungan`" in out and "`lianyungang`" in out
    assert not (root / DOCS / f"{REV}.yml").exists() and not (root / "data/sources" / f"{REV}.txt").exists()
