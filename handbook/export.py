"""The published dataset: downloads/handbook.json and downloads/handbook.csv.

Output is deterministic (stable order, no timestamps) so two builds of the same data
are byte-identical.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from .model import Clause, Document, Fact, Handbook


def _fact(fact: Fact) -> dict:
    return {k: v for k, v in asdict(fact).items() if v is not None}


def document_record(doc: Document) -> dict:
    return {
        "id": doc.id,
        "source": f"data/sources/{doc.source}",
        "sha256": doc.sha256,
        "title": _fact(doc.title),
        "short_title": doc.short_title,
        "jurisdiction": {
            "id": doc.jurisdiction.id,
            "name": _fact(doc.jurisdiction.name),
            "level": doc.jurisdiction.level,
        },
        "issuer": _fact(doc.issuer),
        "number": _fact(doc.number),
        "date": _fact(doc.date),
        "status": doc.status,
        "effective": doc.effective,
        "supersedes": doc.supersedes,
        "superseded_by": doc.superseded_by,
        # A revision written as a delta: the clauses (local ids) it states it amended, added, …
        "changes": asdict(doc.delta) if doc.delta else None,
        "verified_on": doc.verified_on,
        "completeness": asdict(doc.completeness),
        "notes": list(doc.notes),
    }


def clause_record(clause: Clause) -> dict:
    record = {
        "id": clause.id,
        "document": clause.document,
        "jurisdiction": clause.jurisdiction,
        "kind": clause.kind,
        "aspects": list(clause.aspects),  # a trigger stating its own sanction is also a sanction
        "roles": list(clause.roles),
        "actors": list(clause.actors),
        "themes": list(clause.themes),
        "title": clause.title,
        "title_editorial": clause.title_editorial,
        "locator": clause.locator,
        "heading": clause.heading,
        "text": clause.text,
        "quote": list(clause.quote),
        "spans": [list(s) for s in clause.spans],
        "corrections": [{"from": c.original, "to": c.corrected, "why": c.why} for c in clause.corrections],
        "links": list(clause.links),
    }
    if clause.sanction:
        record["sanction"] = asdict(clause.sanction)
    if clause.time:
        record["time"] = [{k: v for k, v in asdict(t).items() if v not in (None, False)} for t in clause.time]
    if clause.note:
        record["note"] = clause.note
    return record


def dataset(book: Handbook) -> dict:
    docs = sorted(book.documents.values(), key=lambda d: d.id)
    return {
        "version": book.version,
        "documents": [document_record(d) for d in docs],
        "themes": [asdict(t) for t in book.themes.values()],
        "roles": [asdict(r) for r in book.roles.values()],
        "measures": [asdict(x) for x in book.measures.values()],
        # An editorial note (we hold none of these texts): see data/central_rules.yml.
        "central_rules": {"basis": book.central_rules_basis, "rules": [asdict(r) for r in book.central_rules.values()]},
        "clauses": [clause_record(c) for d in docs for c in d.clauses],
        "ignored": [
            {"document": i.document, "spans": [list(s) for s in i.spans], "reason": i.reason}
            for d in docs
            for i in d.ignored
        ],
    }


def to_json(book: Handbook) -> str:
    return json.dumps(dataset(book), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


CSV_COLUMNS = [
    "id",
    "document",
    "jurisdiction",
    "kind",
    "roles",
    "themes",
    "title",
    "locator",
    "text",
    "quote",
    "spans",
    "corrections",
    "links",
    "aspects",
    "sanction",
]


# A spreadsheet evaluates a cell starting with one of these (=HYPERLINK(…) can send other
# cells' values away); a leading apostrophe makes it plain text (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def sanction_cell(sanction: dict | None) -> str:
    """A clause's sanction in one cell: severity:measure+measure steps, then plain measures."""
    if not sanction:
        return ""
    steps = [f"{st['severity']}:{'+'.join(st['measures'])}" for st in sanction["ladder"]]
    return "|".join(steps + (["measures:" + "+".join(sanction["measures"])] if sanction["measures"] else []))


def to_csv(book: Handbook) -> str:
    """One row per clause; list cells joined with '|' (spans as start-end); cells a
    spreadsheet would evaluate as a formula start with ' (the JSON keeps the exact text)."""
    out = io.StringIO()
    # CRLF rows (RFC 4180): the writer then also quotes cells holding a bare CR, which
    # would otherwise split a row in two.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in dataset(book)["clauses"]:
        writer.writerow(
            neutralise(cell)
            for cell in [
                record["id"],
                record["document"],
                record["jurisdiction"],
                record["kind"],
                "|".join(record["roles"]),
                "|".join(record["themes"]),
                record["title"],
                record["locator"],
                record["text"],
                "|".join(record["quote"]),
                "|".join(f"{a}-{b}" for a, b in record["spans"]),
                "|".join(f"{c['from']}→{c['to']}" for c in record["corrections"]),
                "|".join(record["links"]),
                "|".join(record["aspects"]),
                sanction_cell(record.get("sanction")),
            ]
        )
    # BOM so that Excel (common among editors) opens the Chinese text correctly.
    return "\ufeff" + out.getvalue()
