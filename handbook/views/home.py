"""The pieces of the hand-written home page (docs/index.md) that come from the data:
谁是谁 (every role of roles.yml), the role × jurisdiction table of links and the notes on
the sources."""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..index import Index
from ..model import Role
from ..urls import Links
from .common import Link
from .jurisdictions import role_href


@dataclass(frozen=True)
class WhoEntry:
    role: Role
    also: tuple[str, ...]  # other names: the aliases not already part of the label
    href: str  # the role's page


def who_is_who(ix: Index, links: Links) -> tuple[WhoEntry, ...]:
    """谁是谁: each role with its other names and description, in roles.yml order."""
    return tuple(
        WhoEntry(
            role,
            tuple(a for a in role.aliases if a not in role.label and a != role.short),
            links.to(urls.role(role.id)),
        )
        for role in ix.book.roles.values()
    )


@dataclass(frozen=True)
class RoleRow:
    role: Role
    href: str
    cells: tuple[str | None, ...]  # per jurisdiction: the role's page there, or None


@dataclass(frozen=True)
class RoleTable:
    places: tuple[str, ...]  # column heads (short names)
    rows: tuple[RoleRow, ...]


def role_table(ix: Index, links: Links) -> RoleTable:
    """Role × jurisdiction grid of links: the quickest way to one's own page."""
    views = list(ix.jurisdictions.values())
    return RoleTable(
        tuple(v.short for v in views),
        tuple(
            RoleRow(role, links.to(urls.role(role.id)), tuple(role_href(ix, links, role.id, v.id) for v in views))
            for role in ix.book.roles.values()
        ),
    )


@dataclass(frozen=True)
class Note:
    text: str
    link: Link | None = None  # follows the text
    after: str = ""  # follows the link


def quality_notes(ix: Index, links: Links) -> tuple[Note, ...]:
    """Honest notes on the sources, computed from the data."""
    notes = []
    for doc in ix.book.documents.values():
        name, place = doc.short_title, doc.jurisdiction.name
        if not doc.completeness.complete:
            notes.append(Note(f"《{name}》原文不完整：{doc.completeness.note or ''}"))
        if place.value is None:
            notes.append(Note(f"《{name}》未署地区名称：{place.basis or ''}"))
        elif not place.stated and place.certainty != "确定":
            notes.append(
                Note(f"《{name}》的地区“{place.value}”为编辑认定（{place.certainty or ''}）：{place.basis or ''}")
            )
        fixes = sum(len(c.corrections) for c in doc.clauses)
        if fixes:
            notes.append(
                Note(
                    f"《{name}》更正了 {fixes} 处录入或识别错误，原文可在",
                    Link("原文页", links.to(urls.source(doc.id))),
                    "逐条查看。",
                )
            )
    unverified = sum(1 for d in ix.book.documents.values() if not d.verified_on)
    if unverified:
        notes.append(Note(f"{unverified} 份文件尚未核实是否仍然有效；使用前请向发文机关确认。"))
    return tuple(notes)
