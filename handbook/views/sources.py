"""The sources index (原文) and each source's page: the document as printed.

A source page reads like the document: its facts, an outline (chapters and their
articles), then the source text paragraph by paragraph in source order, taken from the
clauses' spans over the source (so the source's own numbering and line breaks stay).
Each clause is a block under a small heading carrying its anchor (one search entry per
clause); corrections are marked inline with the original kept beside the corrected text;
ignored text between clauses (web chrome) is shown muted and labelled, ignored text
inside a clause (page numbers, Markdown markers) is left out and counted in the header.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .. import urls
from ..index import Index
from ..model import Clause, Correction, Document, Ignored
from ..tiling import fold_space, strip_space
from ..urls import Links
from .common import Citation, DocFacts, Link, citation, doc_facts


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


# -- the printed text -------------------------------------------------------------------


@dataclass(frozen=True)
class Fix:
    """A corrected passage: the corrected text is read, the original stays beside it."""

    original: str
    corrected: str
    why: str


Segment = str | Fix
Line = tuple[Segment, ...]
Paragraph = tuple[Line, ...]


def paragraphs(doc: Document, spans: tuple[tuple[int, int], ...]) -> list[list[str]]:
    """The text of consecutive spans of one clause: paragraphs, each a list of its lines.

    Lines are the source's. A line starts a paragraph after a blank line or when it is
    indented (as printed texts start paragraphs); other lines continue the paragraph (a
    printed text wrapped by hand). Between two spans of the same clause a line break
    counts only if nothing but whitespace lies there: a break next to ignored text (a web
    page's paragraph number, a page number) is the web page's, and the sentence runs on."""
    raw: list[str] = []
    for k, (start, end) in enumerate(spans):
        if k:
            gap = doc.source_text[spans[k - 1][1] : start]
            raw.append("" if strip_space(gap) else gap)
        raw.append(doc.source_text[start:end])
    out: list[list[str]] = []
    blank = True
    for part in "".join(raw).split("\n"):
        line = fold_space(part)
        if not line:
            blank = True
            continue
        if blank or not out or part[:1].isspace():
            out.append([line])
        else:
            out[-1].append(line)
        blank = False
    return out


def mark_corrections(lines: list[str], corrections: tuple[Correction, ...]) -> tuple[list[Line], int]:
    """The lines with each correction marked wherever its original text stands (as
    ``str.replace`` applied it), and how many corrections were placed at least once."""
    out: list[list[Segment]] = [[line] for line in lines]
    placed = 0
    for fix in corrections:
        found = False
        for line in out:
            pieces: list[Segment] = []
            for seg in line:
                if isinstance(seg, Fix) or fix.original not in seg:
                    pieces.append(seg)
                    continue
                for i, part in enumerate(seg.split(fix.original)):
                    if i:
                        pieces.append(Fix(fix.original, fix.corrected, fix.why))
                        found = True
                    if part:
                        pieces.append(part)
            line[:] = pieces
        placed += found
    return [tuple(line) for line in out], placed


def corrected_text(lines: list[Line]) -> str:
    return "".join(s.corrected if isinstance(s, Fix) else s for line in lines for s in line)


@dataclass(frozen=True)
class Printed:
    """A clause's text as printed: paragraphs of lines of text and marked corrections."""

    paragraphs: tuple[Paragraph, ...]


def printed(doc: Document, clause: Clause, spans: tuple[tuple[int, int], ...]) -> Printed:
    """The text of a clause's block. Its corrections are marked where they stand; when they
    cannot all be (one spans a line break, or corrects what an earlier one produced), the
    whole block is one marked correction: the corrected clause, with the original beside it."""
    paras = paragraphs(doc, spans)
    lines = [line for para in paras for line in para]
    if not clause.corrections:
        return Printed(tuple(tuple((line,) for line in para) for para in paras))
    marked, placed = mark_corrections(lines, clause.corrections)
    flat = strip_space(corrected_text(marked)).replace(strip_space(clause.heading or ""), "", 1)
    interrupted = len(spans) < len(clause.spans)  # each part of an interrupted clause marks its own
    if interrupted or (placed == len(clause.corrections) and flat == strip_space(clause.text)):
        regrouped, at = [], 0
        for para in paras:
            regrouped.append(tuple(marked[at : at + len(para)]))
            at += len(para)
        return Printed(tuple(regrouped))
    why = "；".join(f"“{f.original}”改为“{f.corrected}”：{f.why}" for f in clause.corrections)
    corrected = f"{clause.heading} {clause.text}" if clause.heading else clause.text
    return Printed((((Fix(" ".join(lines), corrected, why),),),))


# -- the page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    """Ignored text between clauses (web chrome), shown muted where it stands."""

    kind = "skipped"  # for the template
    ignored: Ignored
    text: str


@dataclass(frozen=True)
class Continuation:
    """Where a clause interrupted by other clauses resumes."""

    kind = "continuation"  # for the template
    clause: Clause
    text: Printed


@dataclass(frozen=True)
class SourceClause:
    kind = "clause"
    clause: Clause
    text: Printed
    heading: bool  # a heading of the document (title, chapter): shown as one
    structured: tuple[Link, ...]  # the clause on each role's page
    place_href: str | None  # a current clause naming no role: on its jurisdiction's page
    cite: Citation
    themes: tuple[Link, ...]  # each theme's page


Item = Skipped | Continuation | SourceClause


@dataclass(frozen=True)
class OutlineEntry:
    label: str  # article number (locator up to its 条), or the whole locator
    title: str
    href: str


@dataclass(frozen=True)
class OutlineSection:
    clause: Clause  # the heading clause
    href: str
    entries: tuple[OutlineEntry, ...]


@dataclass(frozen=True)
class SourcePage:
    title: str
    doc: Document
    facts: DocFacts
    newer_href: str | None  # the version replacing it …
    newer_changes_href: str | None  # … and the comparison with it
    older_href: str | None  # the version it replaces …
    changes_href: str | None  # … and the comparison with that one
    omitted: tuple[tuple[str, int], ...]  # ignored text left out of the printed text: (reason, times)
    outline: tuple[OutlineSection, ...]
    items: tuple[Item, ...]


# What follows an article's number in an item's locator: 第六条|第（一）项, 第三条|第一款,
# 第十条|(一)1., 第二十条|（第二处）, 二、3.|（1）
_BELOW_ARTICLE = re.compile(r"(?<=条)[第（(].*$|(?<=\.)[（(].*$")


def article_of(locator: str) -> str:
    """The article a locator belongs to (第六条 for 第六条第（一）项), or the locator itself."""
    return _BELOW_ARTICLE.sub("", locator) or locator


def outline(doc: Document, links: Links) -> tuple[OutlineSection, ...]:
    """Chapters (the document's heading clauses) and, under each, its articles: one entry
    per article, at its first clause. Headings with nothing under them (a 文号 line) are
    left out."""
    sections: list[tuple[Clause, list[OutlineEntry]]] = []
    last = None
    for c in doc.clauses:
        if c.kind == "heading":
            sections.append((c, []))
            last = None
            continue
        article = article_of(c.locator)
        if sections and article != last:
            sections[-1][1].append(OutlineEntry(article, c.title, links.to(urls.source(doc.id), c.anchor)))
        last = article
    return tuple(
        OutlineSection(h, links.to(urls.source(doc.id), h.anchor), tuple(entries)) for h, entries in sections if entries
    )


def source_sequence(doc: Document) -> list[tuple[str, Clause | Ignored, tuple[tuple[int, int], ...]]]:
    """The source in order as ("clause" | "continuation" | "skipped" | "inner", owner, spans).

    A clause's block holds its spans up to the first span of another clause (or of ignored
    text between clauses); where it resumes after them it gets a continuation. Ignored text
    inside a clause ("inner": page numbers) and regex-declared ignorables (Markdown
    markers) are not printed and do not interrupt it."""
    pieces: list[tuple[int, int, Clause | Ignored]] = [(a, b, c) for c in doc.clauses for a, b in c.spans]
    pieces += [(a, b, ig) for ig in doc.ignored for a, b in ig.spans]
    pieces.sort(key=lambda p: p[0])
    ranges = [(c.spans[0][0], c.spans[-1][1]) for c in doc.clauses if c.spans]
    out: list[tuple[str, Clause | Ignored, tuple[tuple[int, int], ...]]] = []
    seen: set[str] = set()
    current: int | None = None  # the open clause block in out
    for a, b, owner in pieces:
        if isinstance(owner, Ignored):
            inner = len(owner.spans) > 1 or any(x < a and b <= y for x, y in ranges)
            out.append(("inner" if inner else "skipped", owner, ((a, b),)))
            current = current if inner else None
        elif current is not None and out[current][1] is owner:
            kind, _, spans = out[current]
            out[current] = (kind, owner, spans + ((a, b),))
        else:
            out.append(("continuation" if owner.id in seen else "clause", owner, ((a, b),)))
            seen.add(owner.id)
            current = len(out) - 1
    return out


def source_page(ix: Index, links: Links, doc: Document) -> SourcePage:
    book = ix.book
    items: list[Item] = []
    omitted: Counter[str] = Counter()
    for kind, owner, spans in source_sequence(doc):
        if isinstance(owner, Ignored):
            if kind == "inner":
                omitted[owner.reason] += 1
            else:
                items.append(Skipped(owner, fold_space(doc.source_text[spans[0][0] : spans[0][1]])))
        elif kind == "continuation":
            items.append(Continuation(owner, printed(doc, owner, spans)))
        else:
            c = owner
            items.append(
                SourceClause(
                    c,
                    printed(doc, c, spans),
                    c.kind == "heading",
                    tuple(
                        Link(
                            f"{book.roles[r].short}手册", links.to(urls.role_jurisdiction(r, c.jurisdiction), c.anchor)
                        )
                        for r in c.roles
                    ),
                    links.to(urls.jurisdiction(c.jurisdiction), c.anchor) if doc.current and not c.roles else None,
                    citation(book, links, c),
                    tuple(Link(book.themes[t].label, links.to(urls.theme(t))) for t in c.themes),
                )
            )
    newer = doc.superseded_by
    return SourcePage(
        f"原文：{doc.short_title}",
        doc,
        doc_facts(links, doc),
        links.to(urls.source(newer)) if newer else None,
        links.to(urls.changes(newer)) if newer else None,
        links.to(urls.source(doc.supersedes)) if doc.supersedes else None,
        links.to(urls.changes(doc.id)) if doc.supersedes else None,
        tuple(omitted.items()),
        outline(doc, links),
        tuple(items),
    )
