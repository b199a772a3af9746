"""新旧条文对照: a document against the version it replaces, clause by stable id.

When the new version is written as a delta (``revises:``, see revision.py) the rows are
what the delta states — amended, added, removed, renumbered — and every other clause is
the same by construction; a full copy (``supersedes:``) is compared text by text."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .. import urls
from ..model import Clause, Document
from ..urls import Links

STATUS_LABELS = {"same": "未变", "changed": "修改", "added": "新增", "removed": "删除", "renumbered": "重新编号"}


def diff_rows(old: Document, new: Document) -> list[dict]:
    """Clause-by-clause comparison by stable id: added, removed, changed or renumbered
    (with a character diff), same."""
    old_by = {c.local_id: c for c in old.clauses}
    new_by = {c.local_id: c for c in new.clauses}
    order = [c.local_id for c in new.clauses] + [c.local_id for c in old.clauses if c.local_id not in new_by]
    rows = []
    for cid in order:
        a, b = old_by.get(cid), new_by.get(cid)
        if new.delta is not None:
            status = new.delta.status(cid)
        elif a and b:
            status = "same" if a.text == b.text else "changed"
        else:
            status = "added" if b else "removed"
        ops = []
        if a and b and status in ("changed", "renumbered"):
            ops = difflib.SequenceMatcher(None, a.text, b.text, autojunk=False).get_opcodes()
        rows.append(
            {
                "id": cid,
                "old": a,
                "new": b,
                "status": status,
                "old_parts": [(tag, a.text[i1:i2]) for tag, i1, i2, _, _ in ops] if a else [],
                "new_parts": [(tag, b.text[j1:j2]) for tag, _, _, j1, j2 in ops] if b else [],
            }
        )
    return rows


@dataclass(frozen=True)
class Row:
    """A clause that differs between the versions."""

    id: str  # local id, the same in both
    status: str
    label: str
    clause: Clause  # the new one, or the old one when removed
    href: str
    old: Clause | None
    new: Clause | None
    old_parts: tuple[tuple[str, str], ...]  # (difflib tag, text) of a changed clause
    new_parts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ChangesPage:
    title: str
    doc: Document
    old: Document
    doc_href: str
    old_href: str
    counts: tuple[tuple[str, int], ...]  # (label, clauses) for added, changed, removed, (renumbered,) same
    rows: tuple[Row, ...]  # the differing ones, in new order then the removed


def changes_page(links: Links, doc: Document, old: Document) -> ChangesPage:
    rows = diff_rows(old, doc)
    differing = tuple(
        Row(
            r["id"],
            r["status"],
            STATUS_LABELS[r["status"]],
            r["new"] or r["old"],
            links.clause(r["new"] or r["old"]),
            r["old"],
            r["new"],
            tuple(r["old_parts"]),
            tuple(r["new_parts"]),
        )
        for r in rows
        if r["status"] != "same"
    )
    counted = ("added", "changed", "removed", "renumbered", "same")
    counts = tuple(
        (STATUS_LABELS[s], n)
        for s in counted
        if (n := sum(1 for r in rows if r["status"] == s)) or s != "renumbered"  # renumbering is rare: shown when any
    )
    return ChangesPage(
        f"新旧条文对照：{doc.short_title}",
        doc,
        old,
        links.to(urls.source(doc.id)),
        links.to(urls.source(old.id)),
        counts,
        differing,
    )
