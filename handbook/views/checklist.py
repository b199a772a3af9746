"""口袋清单: a role's pocket card in one jurisdiction, or the booklet of all its roles.

The web page and the A6 PDF share this body. The cards are handbook.cards'; this adds the
links (PDF, quizzes), each card's time table, and the online address printed on it with
its QR code.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import segno
from markupsafe import Markup

from .. import urls
from ..calendar import Entry, role_calendar
from ..cards import Card, card
from ..index import Index, JurisdictionView
from ..model import Role
from ..urls import Links
from .common import Link
from .currency import DocStatus, statuses


@dataclass(frozen=True)
class Sheet:
    """One role's card as printed."""

    card: Card
    agenda: tuple[Entry, ...]  # its time table (handbook.calendar's reading order); empty when none
    online: str  # the role's page for the place, in full; "" without a site address
    qr: Markup  # that address as an inline SVG QR code; empty without one


@dataclass(frozen=True)
class QuizLink:
    role: str  # short name
    href: str
    pdfs: tuple[Link, ...]  # paper label and file, when this build makes the PDFs


@dataclass(frozen=True)
class ChecklistPage:
    title: str
    jurisdiction: str
    role: str  # the role's id, or "all" for the booklet
    pdf_href: str | None  # None when this build makes no PDF of it
    quizzes: tuple[QuizLink, ...]  # each card's role
    currency: tuple[DocStatus, ...]  # of the place's current documents, in the order of each card's documents
    sheets: tuple[Sheet, ...]


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str) -> str:
    """Inline SVG QR code of a URL. Encoding takes ~30 ms (mask search), and under
    mkdocs serve the same URLs come back on every save."""
    # omitsize: a viewBox only, so the stylesheet's size scales the code instead of clipping it.
    return segno.make(url, error="m").svg_inline(dark="#000", omitsize=True)


def sheet(ix: Index, links: Links, role: Role, view: JurisdictionView, site_url: str) -> Sheet:
    """``site_url``: MkDocs' site_url ending in "/", or "" (then no address is printed)."""
    online = site_url + links.urls.url_of(urls.role_jurisdiction(role.id, view.id)) if site_url else ""
    return Sheet(
        card(ix, role, view),
        role_calendar(ix, view.id, role.id).agenda,
        online,
        Markup(qr_svg(online)) if online else Markup(""),
    )


def checklist_page(
    ix: Index,
    links: Links,
    view: JurisdictionView,
    role: Role | None,
    pdf: str | None,
    quiz_pdfs: dict[str, dict[str, str]],
    site_url: str,
) -> ChecklistPage:
    """``role`` None: the booklet of every role with content in the place; ``pdf``: the PDF's
    file name when this build makes it; ``quiz_pdfs``: "<jurisdiction>-<role>" -> {paper:
    file under downloads/} of the quizzes whose PDFs this build makes."""
    roles = [role] if role else [r for r in ix.book.roles.values() if ix.has_content(r.id, view.id)]
    return ChecklistPage(
        title=f"口袋清单：{role.short} · {view.name}" if role else f"口袋清单：{view.name}（全部角色）",
        jurisdiction=view.id,
        role=role.id if role else "all",
        pdf_href=links.file(urls.checklist_pdf(pdf)) if pdf else None,
        quizzes=tuple(
            QuizLink(
                r.short,
                links.to(urls.quiz(view.id, r.id)),
                tuple(
                    Link(paper.upper(), links.file(f"downloads/{name}"))
                    for paper, name in quiz_pdfs.get(f"{view.id}-{r.id}", {}).items()
                ),
            )
            for r in roles
        ),
        currency=statuses(links, [d for d in view.documents if d.current]),
        sheets=tuple(sheet(ix, links, r, view, site_url) for r in roles),
    )
