"""The tiling proof bites: removing any clause, or shortening any quote by one character,
makes the check fail and name the source, the line and the uncovered text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from handbook import DataError, load
from handbook.tiling import Miss, Piece, Skeleton, check_tiling, locate

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(p.stem for p in (ROOT / "data" / "documents").glob("*.yml"))


@pytest.fixture
def data_copy(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


def errors_after(root: Path, doc: str, data: dict) -> list[str]:
    path = root / "data" / "documents" / f"{doc}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    try:
        load(root, only=doc)
    except DataError as exc:
        return [str(p) for p in exc.problems if not p.warning]
    return []


def original(doc: str) -> dict:
    return yaml.safe_load((ROOT / "data" / "documents" / f"{doc}.yml").read_text("utf-8"))


def _last_fragment(clause: dict):
    """(container, key) of the clause's last quoted fragment, to edit it in place."""
    quote = clause["quote"]
    if isinstance(quote, str):
        return clause, "quote"
    last = quote[-1]
    return (last, "text") if isinstance(last, dict) else (quote, len(quote) - 1)


def pieces_of(doc, skip: str | None = None, shorten: str | None = None) -> list[Piece]:
    """Skeleton ranges of a loaded document's clauses and ignored spans."""
    skel = Skeleton.of(doc.source_text)
    pieces = []
    for clause in doc.clauses:
        if clause.id == skip:
            continue
        for k, (a, b) in enumerate(clause.spans):
            first, stop = skel.skeleton_index(a), skel.skeleton_index(b)
            if clause.id == shorten and k == len(clause.spans) - 1:
                stop -= 1
            pieces.append(Piece(clause.id, first, stop))
    for ignored in doc.ignored:
        pieces += [Piece("ignored", skel.skeleton_index(a), skel.skeleton_index(b)) for a, b in ignored.spans]
    return pieces


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_removing_any_clause_leaves_exactly_its_text_uncovered(book, doc_id):
    doc = book.documents[doc_id]
    skel = Skeleton.of(doc.source_text)
    assert check_tiling(skel, pieces_of(doc)) == []
    for clause in doc.clauses:
        flaws = check_tiling(skel, pieces_of(doc, skip=clause.id))
        assert flaws and all(f.kind == "gap" for f in flaws), clause.id
        uncovered = "".join(skel.text[f.first : f.stop] for f in flaws)
        assert uncovered == "".join(skel.text[skel.skeleton_index(a) : skel.skeleton_index(b)] for a, b in clause.spans)


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_shortening_any_quote_by_one_character_leaves_a_gap(book, doc_id):
    doc = book.documents[doc_id]
    skel = Skeleton.of(doc.source_text)
    for clause in doc.clauses:
        flaws = check_tiling(skel, pieces_of(doc, shorten=clause.id))
        assert [(f.kind, f.stop - f.first) for f in flaws] == [("gap", 1)], clause.id


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_loader_reports_a_removed_clause_with_source_line_and_text(data_copy, doc):
    broken = original(doc)
    middle = len(broken["clauses"]) // 2
    removed = broken["clauses"].pop(middle)
    errors = errors_after(data_copy, doc, broken)
    gaps = [e for e in errors if "没有被任何条款或忽略片段覆盖" in e]
    assert len(gaps) == 1, errors
    assert f"data/sources/{broken['source']}" in gaps[0] and "行" in gaps[0]
    first = removed.get("heading") or (
        removed["quote"]
        if isinstance(removed["quote"], str)
        else str(removed["quote"][0] if isinstance(removed["quote"][0], str) else removed["quote"][0]["text"])
    )
    assert "".join(first.split())[:8] in gaps[0]


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_loader_reports_a_quote_shortened_by_one_character(data_copy, doc):
    broken = original(doc)
    holder, key = _last_fragment(broken["clauses"][1])
    text = holder[key].rstrip()
    holder[key] = text[:-1]
    errors = errors_after(data_copy, doc, broken)
    assert any("1 个字没有被任何条款" in e and f"“{text[-1]}”" in e for e in errors), errors


def test_overlaps_and_gaps_are_located():
    skel = Skeleton.of("第一条 甲乙丙。\n第二条 丁戊。")
    a = Piece("条款 a1", *locate(skel, "第一条 甲乙丙。第二"))
    b = Piece("条款 a2", *locate(skel, "第二条 丁"))
    flaws = check_tiling(skel, [a, b])
    assert [(f.kind, skel.text[f.first : f.stop]) for f in flaws] == [("overlap", "第二"), ("gap", "戊。")]
    assert skel.line_col(flaws[1].first) == (2, 6)


def test_ambiguous_and_missing_quotes_are_explained():
    skel = Skeleton.of("其他情形。\n其他情形。\n第三条 责任追究。")
    assert isinstance(locate(skel, "其他情形。"), Miss) and locate(skel, "其他情形。").reason == "ambiguous"
    assert locate(skel, "其他情形。", context="其他情形。第三条") == (5, 10)
    miss = locate(skel, "第三条 责任追完。")
    assert miss.reason == "missing" and "前 6 字" in miss.hint and "追究" in miss.hint
