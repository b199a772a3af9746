"""The shipped data: sources byte-identical, every clause tiled, accountability structured."""

from __future__ import annotations

import hashlib
import re

from conftest import ROOT
from handbook.cli import coverage_rows
from handbook.tiling import strip_space

SHARED = ROOT.parent / "shared" / "sources"

# The bytes as received (shared/sources); a change here is a change of the evidence.
SOURCE_SHA256 = {
    "hubei.txt": "417681fcedad20970e36873ad3d4b1ef89a9cae8de154d4d7d90e2c1c95b965f",
    "lianyungang.txt": "ceb628a94d6be74a515f629cf164f6c2947e2dd13c33687c73357a751cf4ea16",
    "mentougou.txt": "7eef36fde6bdcce01a44484b0393c4fda4984266d045a565118d9bd9b2a234e3",
    "province-opinions.txt": "5659298ac3f55d79ffeeac2a8fe90e1beab0bc0f38cfb2ead0b099c0ad5654d4",
    "yiwu.txt": "fba77671c2421222f9ddf84a326578483f6fc6500c8e703160a8ef10bff10c0c",
}
ACCOUNTABILITY_ITEM = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")


def test_sources_are_the_received_bytes():
    for name, digest in SOURCE_SHA256.items():
        assert hashlib.sha256((ROOT / "data" / "sources" / name).read_bytes()).hexdigest() == digest, name
        if SHARED.exists():
            assert (SHARED / name).read_bytes() == (ROOT / "data" / "sources" / name).read_bytes()


def test_every_source_is_tiled_completely(book):
    rows = {r[0]: r for r in coverage_rows(book)}
    # every source in data/sources/ (whatever its number), not a fixed list
    assert set(rows) == {path.name for path in (ROOT / "data" / "sources").glob("*.txt")}
    for name, _n, total, quoted, ignored, _tiled, share in rows.values():
        assert quoted + ignored == total, name
        assert share < 0.05, name


def test_spans_reproduce_quotes_and_never_overlap(book):
    for doc in book.documents.values():
        owned = []
        for clause in doc.clauses:
            pieces = "".join(doc.source_text[a:b] for a, b in clause.spans)
            assert strip_space(pieces) == strip_space((clause.heading or "") + "".join(clause.quote)), clause.id
            owned += clause.spans
        owned += [s for i in doc.ignored for s in i.spans]
        owned.sort()
        for (a1, b1), (a2, b2) in zip(owned, owned[1:]):
            assert b1 <= a2, (doc.id, (a1, b1), (a2, b2))
        covered = sum(len(strip_space(doc.source_text[a:b])) for a, b in owned)
        assert covered == len(strip_space(doc.source_text)), doc.id


def test_ids_are_ascii_unique_and_derived_from_numbering(book):
    seen = set()
    for doc in book.documents.values():
        for clause in doc.clauses:
            assert re.fullmatch(r"[a-z][a-z0-9-]*/[a-z0-9]+(-[a-z0-9]+)*", clause.id), clause.id
            assert clause.id not in seen
            seen.add(clause.id)
            if clause.locator.startswith("第") and "条" in clause.locator and clause.kind != "heading":
                assert re.match(r"a\d+", clause.local_id), (clause.id, clause.locator)


def test_every_accountability_item_is_its_own_clause_with_roles(book):
    """Each (一)(二)… item of an article that lists 追究/从重/从轻/一案双查 cases is a clause."""
    kinds = {"trigger", "aggravating", "mitigating", "exemption", "double_accountability"}
    for doc in book.documents.values():
        for lead in (c for c in doc.clauses if c.kind == "lead_in"):
            items = [
                c for c in doc.clauses if re.fullmatch(re.escape(lead.local_id) + r"-i\d+", c.local_id)
            ]  # not sentences (-s)
            if not any(i.kind in kinds for i in items):
                continue
            for item in items:
                assert ACCOUNTABILITY_ITEM.match(item.text), item.id
                assert item.kind in kinds, item.id
                assert item.roles, item.id


def test_triggers_and_duties_have_themes_and_links_point_to_duties(book, index):
    for clause in index.clauses.values():
        if clause.kind in ("duty", "trigger"):
            assert clause.themes, clause.id
        if clause.kind == "trigger":
            for target in clause.links:
                assert index.clauses[target].kind == "duty", (clause.id, target)
                assert index.clauses[target].jurisdiction == clause.jurisdiction


def test_sanctions_are_structured(book, index):
    sanctions = [c for c in index.clauses.values() if c.kind == "sanction"]
    assert sanctions
    for clause in sanctions:
        s = clause.sanction
        assert s is not None, clause.id
        assert s.ladder or s.measures or s.combinable or s.restrictions, clause.id
        for ref in s.applies_to:
            assert ref in index.clauses, (clause.id, ref)
        for step in s.ladder:
            assert step.measures and all(m in book.measures for m in step.measures), clause.id


def test_graded_sanction_texts_are_graded_in_data(index):
    """Where a sanction text says 情节较轻/较重/严重, the ladder carries those steps."""
    for clause in index.clauses.values():
        if "sanction" not in clause.aspects:
            continue
        grades = {"情节较轻": "minor", "情节较重": "serious", "情节严重": "grave"}
        written = {sev for word, sev in grades.items() if word in clause.text}
        steps = {step.severity for step in clause.sanction.ladder}
        assert written <= steps, (clause.id, written, steps)


def test_stated_cadences_are_structured(index):
    """Clauses whose text states a cadence carry a time entry quoting it."""
    cadence = re.compile(r"每年|每季度|每半年|每月|年初|年底|月底前|日前|个月内|周内")
    for clause in index.clauses.values():
        if cadence.search(clause.text) and clause.kind in ("duty", "system", "procedure"):
            assert clause.time, clause.id
        for rule in clause.time:
            assert strip_space(rule.phrase) in strip_space(clause.text) or strip_space(rule.phrase) in strip_space(
                clause.original
            )


def test_corrections_apply_and_keep_the_original(index):
    corrected = [c for c in index.clauses.values() if c.corrections]
    assert len(corrected) >= 20
    for clause in corrected:
        for fix in clause.corrections:
            assert fix.original in clause.original and fix.why
    known = {"冀组": "党组", "墨政": "廉政", "诺干": "若干", "总那么": "总则"}
    found = {f.original: f.corrected for c in corrected for f in c.corrections}
    for wrong, right in known.items():
        assert found.get(wrong) == right, wrong


def test_metadata_does_not_invent_facts(book):
    hubei, province = book.documents["hubei"], book.documents["province-opinions"]
    assert not hubei.completeness.complete and hubei.completeness.truncated_in == "hubei/a16-p2"
    assert hubei.jurisdiction.name.as_written == "XX省" and not hubei.jurisdiction.name.stated
    assert hubei.number.as_written == "鄂发(2023)11号" and not hubei.number.stated
    assert province.jurisdiction.name.value is None and province.jurisdiction.name.basis
    for doc in book.documents.values():
        for fact in (doc.title, doc.issuer, doc.number, doc.date, doc.jurisdiction.name):
            if not fact.stated:
                assert fact.basis and fact.certainty, (doc.id, fact)
