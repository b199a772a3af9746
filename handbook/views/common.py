"""View-model pieces shared by several page types: clause cards, sanction ladders,
document facts and plain links."""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..index import Index
from ..model import SEVERITY_LABELS, Clause, Document, Handbook
from ..urls import Links
from .currency import DATE_KINDS


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class LadderRow:
    condition: str  # 情节, as the source words it when it does
    measures: str  # labels joined with 、


@dataclass(frozen=True)
class RestrictionRow:
    """A restriction after a sanction: not a step of the ladder, so never under its 情节 header."""

    after: str  # the measures it follows, labels joined with 、
    rule: str  # as the source words it


@dataclass(frozen=True)
class Ladder:
    """A sanction clause's measures: by severity, without severity, and the restrictions after
    (a table of their own: their first column is a sanction, not a 情节)."""

    steps: tuple[LadderRow, ...]
    plain: str | None  # measures named without a ladder
    restrictions: tuple[RestrictionRow, ...]
    combinable: bool


@dataclass(frozen=True)
class Citation:
    """A clause cited for a report: 《document title》locator，见 link. Built here, never in JS;
    ``url`` is the published address when site_url is set, else the page's script fills in
    the address the reader's browser resolves from ``href``."""

    text: str  # 《title》locator
    href: str  # the clause on its source page, relative to this page
    url: str | None  # its absolute address, when known at build time


@dataclass(frozen=True)
class Card:
    """A clause as shown on a structured page: its text, tags, time rules and ladder."""

    clause: Clause
    href: str  # the clause on its source page
    roles: tuple[str, ...]  # short names of the roles it names
    ladder: Ladder | None
    cite: Citation


@dataclass(frozen=True)
class ClauseLink:
    """A link to a clause, shown as its title and locator."""

    clause: Clause
    href: str


@dataclass(frozen=True)
class DocFacts:
    """A document's metadata table (and the link to the version replacing it)."""

    doc: Document
    newer_href: str | None
    date_kind: str = ""  # what its date is, in a reader's words (currency.DATE_KINDS); "" when unknown


def measure_labels(book: Handbook, ids: tuple[str, ...]) -> str:
    return "、".join(book.measures[x].label for x in ids)


def ladder(book: Handbook, clause: Clause) -> Ladder | None:
    s = clause.sanction
    if s is None:
        return None
    return Ladder(
        steps=tuple(
            LadderRow(step.as_written or SEVERITY_LABELS[step.severity], measure_labels(book, step.measures))
            for step in s.ladder
        ),
        plain=measure_labels(book, s.measures) if s.measures and not s.ladder else None,
        restrictions=tuple(RestrictionRow(measure_labels(book, r.after), r.rule) for r in s.restrictions),
        combinable=s.combinable,
    )


def role_names(book: Handbook, clause: Clause) -> tuple[str, ...]:
    return tuple(book.roles[r].short for r in clause.roles)


def citation(book: Handbook, links: Links, clause: Clause) -> Citation:
    doc = book.documents[clause.document]
    title = doc.title.value or doc.short_title
    return Citation(f"《{title}》{clause.locator}", links.clause(clause), links.absolute_clause(clause))


def card(ix: Index, links: Links, clause: Clause) -> Card:
    return Card(
        clause,
        links.clause(clause),
        role_names(ix.book, clause),
        ladder(ix.book, clause),
        citation(ix.book, links, clause),
    )


def cards(ix: Index, links: Links, clauses: list[Clause]) -> tuple[Card, ...]:
    return tuple(card(ix, links, c) for c in clauses)


def clause_link(links: Links, clause: Clause) -> ClauseLink:
    return ClauseLink(clause, links.clause(clause))


def doc_facts(links: Links, doc: Document) -> DocFacts:
    return DocFacts(
        doc,
        links.to(urls.source(doc.superseded_by)) if doc.superseded_by else None,
        DATE_KINDS.get(doc.date_kind or "", "") if doc.date.value else "",
    )


def current_sources(links: Links, docs: tuple[Document, ...]) -> tuple[Link, ...]:
    """Links to the source pages of the current documents among ``docs``."""
    return tuple(Link(d.short_title, links.to(urls.source(d.id))) for d in docs if d.current)


@dataclass(frozen=True)
class Pager:
    """The previous and next page of a series the site nav does not list (a role's
    places, the parts of a comparison, the themes): generated pages are outside the nav,
    so Material's footer cannot link them."""

    previous: Link | None
    next: Link | None


def pager(links: Links, series: list[tuple[str, str]], current: str) -> Pager:
    """``series``: (label, source path) in reading order; ``current``: this page's path."""
    paths = [src for _, src in series]
    if current not in paths:
        return Pager(None, None)
    at = paths.index(current)

    def link(i: int) -> Link | None:
        return Link(series[i][0], links.to(series[i][1])) if 0 <= i < len(series) else None

    return Pager(link(at - 1), link(at + 1))
