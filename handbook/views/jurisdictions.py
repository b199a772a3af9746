"""The jurisdictions index (按地区查阅) and each jurisdiction's page."""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..index import Index, JurisdictionView
from ..model import Document, Role
from ..urls import Links
from .common import Card, DocFacts, Link, cards, current_sources, doc_facts
from .currency import CentralRules, central_rules


@dataclass(frozen=True)
class JurisdictionRow:
    view: JurisdictionView
    href: str
    sources: tuple[Link, ...]  # current documents
    roles: tuple[str | None, ...]  # per role of the book: its page here, or None


@dataclass(frozen=True)
class JurisdictionsIndex:
    title: str
    role_names: tuple[str, ...]  # column heads (short names)
    rows: tuple[JurisdictionRow, ...]


def role_href(ix: Index, links: Links, role: str, jurisdiction: str) -> str | None:
    """The role's page in the jurisdiction, when the jurisdiction has content for the role."""
    return links.to(urls.role_jurisdiction(role, jurisdiction)) if ix.has_content(role, jurisdiction) else None


def jurisdictions_index(ix: Index, links: Links) -> JurisdictionsIndex:
    roles = ix.book.roles.values()
    return JurisdictionsIndex(
        f"按{ix.places}查阅",
        tuple(r.short for r in roles),
        tuple(
            JurisdictionRow(
                v,
                links.to(urls.jurisdiction(v.id)),
                current_sources(links, v.documents),
                tuple(role_href(ix, links, r.id, v.id) for r in roles),
            )
            for v in ix.jurisdictions.values()
        ),
    )


@dataclass(frozen=True)
class DocSection:
    doc: Document
    href: str  # its source page
    facts: DocFacts
    changes_href: str | None  # 新旧条文对照, when it replaces an older version
    newer_changes_href: str | None  # … and when a newer version replaces it


@dataclass(frozen=True)
class RoleRow:
    role: Role
    duties: int
    triggers: int
    sanctions: int
    page_href: str | None  # None: no content for the role here
    checklist_href: str | None


@dataclass(frozen=True)
class JurisdictionPage:
    title: str
    documents: tuple[DocSection, ...]
    central: CentralRules  # the central rules note, compared with this place's documents
    roles: tuple[RoleRow, ...]
    has_accountability: bool
    compare_triggers_href: str
    general: tuple[Card, ...]  # clauses naming no role
    word: str = "地区"  # 地区, or the unit's level (单位, 部门, 系统): "本单位的文件"


def jurisdiction_page(ix: Index, links: Links, view: JurisdictionView) -> JurisdictionPage:
    def role_row(role: Role) -> RoleRow:
        here = ix.has_content(role.id, view.id)
        return RoleRow(
            role,
            len(ix.for_role(role.id, view.id, ["duty"])),
            len(ix.for_role(role.id, view.id, ["trigger"])),
            len(ix.sanctions_for(role.id, view.id)),
            role_href(ix, links, role.id, view.id),
            links.to(urls.checklist(view.id, role.id)) if here else None,
        )

    return JurisdictionPage(
        title=view.name,
        documents=tuple(
            DocSection(
                d,
                links.to(urls.source(d.id)),
                doc_facts(links, d),
                links.to(urls.changes(d.id)) if d.supersedes else None,
                links.to(urls.changes(d.superseded_by)) if d.superseded_by else None,
            )
            for d in view.documents
        ),
        central=central_rules(ix.book, view.name, view.documents),
        roles=tuple(map(role_row, ix.book.roles.values())),
        has_accountability=ix.has_accountability(view.id),
        compare_triggers_href=links.to(urls.compare("triggers")),
        general=cards(ix, links, [c for c in ix.current_clauses(view.id) if not c.roles]),
        word=view.word,
    )
