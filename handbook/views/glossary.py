"""术语: each glossary term with where the current clauses use it."""

from __future__ import annotations

from dataclasses import dataclass

from ..index import Index
from ..model import Term
from ..urls import Links
from .common import Link

SHOWN_USES = 12  # links listed per term; beyond that only the count


@dataclass(frozen=True)
class TermEntry:
    term: Term
    uses: tuple[Link, ...]  # the first SHOWN_USES clauses using it (jurisdiction and locator)
    count: int  # all clauses using it


@dataclass(frozen=True)
class GlossaryPage:
    title: str
    terms: tuple[TermEntry, ...]


def glossary_page(ix: Index, links: Links) -> GlossaryPage:
    entries = []
    for term in ix.book.terms.values():
        words = (term.term, *term.variants)
        using = [c for c in ix.current_clauses() if any(w in c.text for w in words)]
        entries.append(
            TermEntry(
                term,
                tuple(
                    Link(f"{ix.jurisdictions[c.jurisdiction].short} {c.locator}", links.clause(c))
                    for c in using[:SHOWN_USES]
                ),
                len(using),
            )
        )
    return GlossaryPage("术语", tuple(entries))
