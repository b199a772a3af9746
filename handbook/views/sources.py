"""The sources index (原文) and each source's page: the text clause by clause, in source order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import urls
from ..index import Index
from ..model import Clause, Document, Ignored
from ..tiling import fold_space
from ..urls import Links
from .common import DocFacts, Link, doc_facts


@dataclass(frozen=True)
class SourceRow:
    doc: Document
    href: str
    place: str  # its jurisdiction's name
    corrections: int


@dataclass(frozen=True)
class SourcesIndex:
    title: str
    rows: tuple[SourceRow, ...]


def sources_index(ix: Index, links: Links) -> SourcesIndex:
    return SourcesIndex(
        "原文",
        tuple(
            SourceRow(
                d,
                links.to(urls.source(d.id)),
                ix.jurisdictions[d.jurisdiction.id].name,
                sum(len(c.corrections) for c in d.clauses),
            )
            for d in ix.book.documents.values()
        ),
    )


@dataclass(frozen=True)
class Pattern:
    """A regex-declared ignorable (Markdown markers), summarised once at the top."""

    kind = "pattern"  # for the template
    ignored: Ignored


@dataclass(frozen=True)
class Skipped:
    """Ignored text between clauses, where it stands."""

    kind = "skipped"  # for the template
    ignored: Ignored
    text: str


@dataclass(frozen=True)
class Continuation:
    """Where a clause interrupted by other clauses resumes."""

    kind = "continuation"  # for the template
    clause: Clause
    text: str


@dataclass(frozen=True)
class SourceClause:
    kind = "clause"
    clause: Clause
    roles: tuple[str, ...]  # short names
    themes: tuple[Link, ...]  # each theme's page
    inner: tuple[Ignored, ...]  # ignored text inside the clause (page numbers glued into a sentence)
    structured: tuple[Link, ...]  # the clause on each role's page
    place_href: str | None  # a current clause naming no role: on its jurisdiction's page


Item = Pattern | Skipped | Continuation | SourceClause


@dataclass(frozen=True)
class SourcePage:
    title: str
    doc: Document
    facts: DocFacts
    newer_href: str | None  # the version replacing it …
    newer_changes_href: str | None  # … and the comparison with it
    items: tuple[Item, ...]


def source_sequence(doc: Document, show: Callable[[Clause, tuple[Ignored, ...]], SourceClause]) -> list[Item]:
    """The source as a sequence of clauses and ignored spans, in source order.

    A clause is shown (by ``show``, given the ignored text inside it) where it starts;
    ignored text lying inside a clause (page numbers glued into a sentence) is listed
    with that clause; a clause interrupted by other clauses gets a continuation entry
    where it resumes. Regex-declared ignorables (Markdown markers) are summarised once
    at the top.
    """
    events: list[tuple[int, str, Clause | Ignored, tuple[int, int]]] = []
    for c in doc.clauses:
        for k, (start, end) in enumerate(c.spans):
            events.append((start, "clause" if k == 0 else "continuation", c, (start, end)))
    ranges = [(c.spans[0][0], c.spans[-1][1], c) for c in doc.clauses if c.spans]
    inner: dict[str, list[Ignored]] = {}
    sequence: list[Item] = []
    for ig in doc.ignored:
        if len(ig.spans) > 1:
            sequence.append(Pattern(ig))
            continue
        start, end = ig.spans[0]
        owner = next((c for a, b, c in ranges if a < start and end <= b), None)
        if owner is not None:
            inner.setdefault(owner.id, []).append(Ignored(ig.document, ig.spans, ig.reason, doc.source_text[start:end]))
        else:
            events.append((start, "ignored", ig, (start, end)))
    events.sort(key=lambda e: e[0])
    last_started = None
    for _start, kind, item, (a, b) in events:
        if isinstance(item, Ignored):
            sequence.append(Skipped(item, doc.source_text[a:b].strip()))
        elif kind == "clause":
            sequence.append(show(item, tuple(inner.get(item.id, []))))
            last_started = item.id
        elif kind == "continuation" and last_started != item.id:
            sequence.append(Continuation(item, fold_space(doc.source_text[a:b])))
    return sequence


def source_page(ix: Index, links: Links, doc: Document) -> SourcePage:
    book = ix.book

    def show(c: Clause, inner: tuple[Ignored, ...]) -> SourceClause:
        return SourceClause(
            c,
            tuple(book.roles[r].short for r in c.roles),
            tuple(Link(book.themes[t].label, links.to(urls.theme(t))) for t in c.themes),
            inner,
            tuple(
                Link(f"{book.roles[r].short}手册", links.to(urls.role_jurisdiction(r, c.jurisdiction), c.anchor))
                for r in c.roles
            ),
            links.to(urls.jurisdiction(c.jurisdiction), c.anchor) if doc.current and not c.roles else None,
        )

    newer = doc.superseded_by
    return SourcePage(
        f"原文：{doc.short_title}",
        doc,
        doc_facts(links, doc),
        links.to(urls.source(newer)) if newer else None,
        links.to(urls.changes(newer)) if newer else None,
        tuple(source_sequence(doc, show)),
    )
