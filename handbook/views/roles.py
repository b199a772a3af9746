"""The roles index (按角色查阅) and each role's page across jurisdictions."""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..index import Index
from ..model import Clause, Role
from ..urls import Links
from .common import Link
from .currency import DocStatus, statuses


@dataclass(frozen=True)
class RoleEntry:
    role: Role
    href: str
    places: tuple[Link, ...]  # the role's page in each jurisdiction that has content for it


@dataclass(frozen=True)
class RolesIndex:
    title: str
    roles: tuple[RoleEntry, ...]


def places(ix: Index, links: Links, role: Role) -> tuple[Link, ...]:
    return tuple(Link(v.name, links.to(urls.role_jurisdiction(role.id, v.id))) for v in ix.role_jurisdictions(role.id))


def roles_index(ix: Index, links: Links) -> RolesIndex:
    return RolesIndex(
        "按角色查阅",
        tuple(
            RoleEntry(role, links.to(urls.role(role.id)), places(ix, links, role)) for role in ix.book.roles.values()
        ),
    )


@dataclass(frozen=True)
class Item:
    """A clause in a role's list: linked on the role's page of its jurisdiction."""

    clause: Clause
    href: str  # the clause on the role's page of its jurisdiction
    place: str  # short name of its jurisdiction
    source_href: str


@dataclass(frozen=True)
class ThemeGroup:
    anchor: str
    label: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str
    groups: tuple[ThemeGroup, ...]


@dataclass(frozen=True)
class RolePage:
    title: str
    role: Role
    places: tuple[Link, ...]
    currency: tuple[DocStatus, ...]  # of the current documents it draws on
    sections: tuple[Section, ...]  # duties, then triggers, by theme
    sanctions: tuple[Item, ...]


SECTIONS = (("职责", "duty"), ("追究情形", "trigger"))


def role_page(ix: Index, links: Links, role: Role) -> RolePage:
    def item(c: Clause) -> Item:
        return Item(
            c,
            links.to(urls.role_jurisdiction(role.id, c.jurisdiction), c.anchor),
            ix.jurisdictions[c.jurisdiction].short,
            links.clause(c),
        )

    sections = tuple(
        Section(
            kind,
            heading,
            tuple(
                ThemeGroup(
                    f"{kind}-{theme or 'other'}",
                    ix.book.themes[theme].label if theme else "其他",
                    tuple(item(c) for c in clauses),
                )
                for theme, clauses in ix.by_theme(ix.for_role(role.id, None, [kind]))
            ),
        )
        for heading, kind in SECTIONS
    )
    sanctions = tuple(item(c) for v in ix.role_jurisdictions(role.id) for c in ix.sanctions_for(role.id, v.id))
    docs = [d for v in ix.role_jurisdictions(role.id) for d in v.documents if d.current]
    return RolePage(
        f"{role.label}：各地职责与追究", role, places(ix, links, role), statuses(links, docs), sections, sanctions
    )
