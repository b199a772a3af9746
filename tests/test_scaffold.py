"""The scaffolder (``./hb new``): a fresh scaffold of every entered source tiles it and
agrees with the editors' YAML on clause boundaries and ids; ``new`` end to end in a
project copy: check lists what is left to fill, a publishing check refuses drafts,
nothing is overwritten, drafts are marked on the rendered cards.

The agreement figures are printed (pytest -s) and written to test-artifacts/scaffold.txt.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fixtures.project import FIXTURES, ROOT, copy_project
from handbook.document import not_utf8
from handbook.load import load_report
from handbook.scaffold import cn_number, scaffold

MIN_AGREEMENT = 0.90
NEW_SOURCE = FIXTURES / "scaffold" / "unit-rules.txt"


def role_names() -> dict[str, list[str]]:
    roles = yaml.safe_load((ROOT / "data" / "roles.yml").read_text("utf-8"))["roles"]
    return {r["id"]: [r["label"], *r.get("aliases", ())] for r in roles}


@pytest.fixture(scope="module")
def scaffolds(book, tmp_path_factory):
    """doc id -> (entered Document, scaffold YAML text, problems, loaded scaffold Document or None).

    Each scaffold replaces its entered YAML in a copy of data/ and goes through the real loader."""
    root = tmp_path_factory.mktemp("scaffolds")
    shutil.copytree(ROOT / "data", root / "data")
    names = role_names()
    out = {}
    for doc in book.documents.values():
        raw = (ROOT / "data" / "sources" / doc.source).read_bytes()
        result = scaffold(doc.id, doc.source, raw.decode("utf-8"), hashlib.sha256(raw).hexdigest(), names)
        (root / "data" / "documents" / f"{doc.id}.yml").write_text(result.yaml, encoding="utf-8")
        loaded, problems = load_report(root, doc.id)
        out[doc.id] = (doc, result.yaml, problems, loaded.documents[doc.id] if loaded else None)
    return out


def test_every_scaffold_tiles_its_source(scaffolds):
    assert scaffolds, "no documents in data/documents"
    for doc_id, (_, _text, problems, loaded) in scaffolds.items():
        errors = [str(p) for p in problems if not p.warning]
        assert not errors, f"{doc_id}: the scaffold does not load:\n" + "\n".join(errors[:20])
        assert loaded is not None
        covered = sum(b - a for c in loaded.clauses for a, b in c.spans) + sum(
            b - a for i in loaded.ignored for a, b in i.spans
        )
        visible = len(re.sub(r"\s", "", loaded.source_text))
        assert covered >= visible  # spans include inner whitespace; the loader proved no gap and no overlap
        todo = [str(p) for p in problems if p.warning and "待填写" in p.message]
        assert todo, f"{doc_id}: a scaffold must list what is left to fill"


def agreement(entered, made) -> tuple[float, float, int, int]:
    """(share of clause boundaries that agree, share of ids that agree, entered, scaffolded).

    A boundary is where a clause's first quoted character sits in the source; both shares
    are divided by the larger count, so missing and surplus clauses both cost."""
    want = {min(c.spans)[0]: c.local_id for c in entered.clauses}
    got = {min(c.spans)[0]: c.local_id for c in made.clauses}
    both = want.keys() & got.keys()
    size = max(len(want), len(got))
    return len(both) / size, sum(want[k] == got[k] for k in both) / size, len(want), len(got)


def test_scaffold_agrees_with_entered_documents(scaffolds):
    rows, failures = [], []
    for doc_id, (entered, _, _, loaded) in sorted(scaffolds.items()):
        assert loaded is not None, f"{doc_id}: scaffold did not load"
        bounds, ids, n_entered, n_made = agreement(entered, loaded)
        rows.append(f"{doc_id:<24}{n_entered:>8}{n_made:>9}{bounds:>12.1%}{ids:>8.1%}")
        if bounds < MIN_AGREEMENT or ids < MIN_AGREEMENT:
            failures.append(doc_id)
    report = "\n".join([f"{'document':<24}{'entered':>8}{'scaffold':>9}{'boundaries':>12}{'ids':>8}", *rows])
    print("\nscaffold vs entered YAML\n" + report)
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "scaffold.txt").write_text(report + "\n", encoding="utf-8")
    assert not failures, f"below {MIN_AGREEMENT:.0%} agreement: {failures}\n{report}"


def test_chinese_numerals():
    assert [cn_number(t) for t in ("一", "十", "十二", "二十", "二十一", "一百零二", "12")] == [
        1,
        10,
        12,
        20,
        21,
        102,
        12,
    ]
    assert cn_number("条") is None


def test_scaffold_follows_the_printed_numbering_of_a_new_shape():
    """A unit's 实施办法: web header, 第X条, 1./1、 items, a 款 after a list."""
    text = NEW_SOURCE.read_text("utf-8")
    data = yaml.safe_load(scaffold("unit-rules", "unit-rules.txt", text, "0" * 64).yaml)
    clauses = {c["id"]: c for c in data["clauses"]}
    articles = [cn_number(n) for n in re.findall(r"^第(\S+?)条", text, re.M)]
    for n in articles:
        assert f"a{n}" in clauses or f"a{n}-p1" in clauses, f"article {n} missing"
    # 第三条 lists 1. 2. 3., 第四条 1、 2、: items hang under their article; the article is the lead-in
    assert clauses["a3"]["kind"] == "lead_in" and {"a3-i1", "a3-i2", "a3-i3"} <= clauses.keys()
    assert {"a4-i1", "a4-i2"} <= clauses.keys() and "a4-i3" not in clauses
    # 第五条: items, then a second paragraph (款) — the first becomes a5-p1 with its items
    assert {"a5-p1", "a5-p1-i1", "a5-p1-i2", "a5-p2"} <= clauses.keys()
    assert clauses["a5-p1-i1"]["kind"] == "trigger" and "links" in clauses["a5-p1-i1"]["draft"]
    assert clauses["a6"]["kind"] == "supplementary"
    ignored = {i["text"]: i["reason"] for i in data["ignored"] if "text" in i}
    assert "网站首页" in ignored and "通知公告" in ignored
    assert any("打印" in t for t in ignored)
    assert clauses["title"]["quote"].strip() in text and data["title"]["stated"] is True
    assert data["jurisdiction"]["level"] == "未知" and data["issuer"]["value"] is None


def run(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "handbook", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def test_hb_new_end_to_end(tmp_path):
    root = copy_project(tmp_path / "project")
    yml = root / "data" / "documents" / "unit-rules.yml"
    made = run(root, "new", "unit-rules", str(NEW_SOURCE))
    assert made.returncode == 0, made.stdout + made.stderr
    copied = root / "data" / "sources" / "unit-rules.txt"
    assert copied.read_bytes() == NEW_SOURCE.read_bytes()
    assert f"sha256: {hashlib.sha256(NEW_SOURCE.read_bytes()).hexdigest()}" in yml.read_text("utf-8")

    check = run(root, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    todo = [line for line in check.stdout.splitlines() if "待填写" in line]
    assert todo and all(line.startswith("data/documents/unit-rules.yml:") for line in todo)
    lines = yml.read_text("utf-8").splitlines()
    for line in todo:
        number = int(line.split(":")[1])
        assert lines[number - 1].lstrip().startswith("draft:"), line  # the line number points at the draft marker
    assert "提示: 待填写" in todo[0]

    published = run(root, "check", HANDBOOK_PUBLISH="true")
    assert published.returncode == 2
    assert "错误: 待填写" in published.stdout and "Traceback" not in published.stdout + published.stderr

    # nothing is overwritten: neither the document nor the source
    before = yml.read_bytes()
    again = run(root, "new", "unit-rules", str(NEW_SOURCE))
    assert again.returncode == 2 and "已存在" in again.stderr and yml.read_bytes() == before
    (root / "data" / "sources" / "taken.txt").write_text("第一条 已有原文。\n", encoding="utf-8")
    clash = run(root, "new", "taken", str(NEW_SOURCE))
    assert clash.returncode == 2 and "taken.txt 已存在" in clash.stderr
    assert (root / "data" / "sources" / "taken.txt").read_text("utf-8") == "第一条 已有原文。\n"
    assert not (root / "data" / "documents" / "taken.yml").exists()


def test_hb_new_refuses_bad_input(tmp_path):
    root = copy_project(tmp_path / "project")
    gbk = tmp_path / "gbk.txt"
    raw = "第一条 为加强党风廉政建设，制定本办法。".encode("gb18030")
    gbk.write_bytes(raw)
    result = run(root, "new", "gbk-doc", str(gbk))
    assert result.returncode == 2
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        message, fix = not_utf8(str(gbk), raw, exc)
    assert message in result.stderr and "GB18030" in result.stderr  # the loader's own wording
    for bad in ("Unit_Rules", "1abc", "规则"):
        result = run(root, "new", bad, str(NEW_SOURCE))
        assert result.returncode == 2 and "文档标识" in result.stderr, bad
    assert not list((root / "data" / "documents").glob("gbk-doc*"))
    assert not (root / "data" / "sources" / "gbk-doc.txt").exists()


def test_draft_cards_are_marked(tmp_path):
    """Ordinary (serve) builds show draft clauses, marked 草稿（待编辑）."""
    from handbook.index import Index
    from handbook.pages import Site

    root = copy_project(tmp_path / "project")
    assert run(root, "new", "unit-rules", str(NEW_SOURCE)).returncode == 0
    book, problems = load_report(root)
    assert book is not None, [str(p) for p in problems if not p.warning]
    drafts = [c for c in book.documents["unit-rules"].clauses if c.draft]
    assert drafts
    pages = Site(Index(book)).pages()
    marked = {p.path for p in pages if "草稿（待编辑）" in p.markdown}
    assert "jurisdictions/unit-rules.md" in marked, sorted(marked)
    assert not any("草稿（待编辑）" in p.markdown for p in Site(Index(load_report(ROOT)[0])).pages())
