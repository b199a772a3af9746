"""The roles index (按角色查阅) and each role's page across jurisdictions: its own duties and
triggers by theme, the collective duties it leads (``leads`` in roles.yml), its sanctions.
Parts no document gives the role are named in one line (``absent``), not as empty headings."""

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
class LedSection:
    """The duties of a collective role this role leads: where they are, place by place (the
    duties themselves are on that role's pages; listing them all again here made this page
    the largest of the site, 1.3 MB at 200 places)."""

    role: Role  # the collective role
    anchor: str
    places: tuple[tuple[Link, int], ...]  # the collective role's page in a place, its duties there


@dataclass(frozen=True)
class RolePage:
    title: str
    role: Role
    places: tuple[Link, ...]
    currency: tuple[DocStatus, ...]  # of the current documents it draws on
    sections: tuple[Section, ...]  # duties, then triggers, by theme; only those with clauses
    led: tuple[LedSection, ...]  # only those with duties
    sanctions: tuple[Item, ...]
    absent: tuple[str, ...]  # the parts no document gives the role, by name
    also: tuple[Link, ...]  # the pages of the roles this person also is one of (is_also)


SECTIONS = (("职责", "duty"), ("追究情形", "trigger"))


def themed(ix: Index, links: Links, role_id: str, kind: str, anchor: str, heading: str) -> Section:
    """The role's clauses of one kind in every jurisdiction, by theme, each linked on the
    role's page of its jurisdiction."""

    def item(c: Clause) -> Item:
        return Item(
            c,
            links.to(urls.role_jurisdiction(role_id, c.jurisdiction), c.anchor),
            ix.jurisdictions[c.jurisdiction].short,
            links.clause(c),
        )

    return Section(
        anchor,
        heading,
        tuple(
            ThemeGroup(
                f"{anchor}-{theme or 'other'}",
                ix.book.themes[theme].label if theme else "其他",
                tuple(item(c) for c in clauses),
            )
            for theme, clauses in ix.by_theme(ix.for_role(role_id, None, [kind]))
        ),
    )


def role_page(ix: Index, links: Links, role: Role) -> RolePage:
    sections = [themed(ix, links, role.id, kind, kind, heading) for heading, kind in SECTIONS]
    own = {v.id for v in ix.role_jurisdictions(role.id)}
    led = tuple(
        LedSection(ix.book.roles[r], f"led-{r}", where)
        for r in role.leads
        if (
            where := tuple(
                # this role's own page there lists them (led-…); else the collective role's
                (
                    Link(v.name, links.to(urls.role_jurisdiction(role.id, v.id), f"led-{r}"))
                    if v.id in own
                    else Link(v.name, links.to(urls.role_jurisdiction(r, v.id), "duties")),
                    n,
                )
                for v in ix.role_jurisdictions(r)
                if (n := len(ix.for_role(r, v.id, ["duty"])))
            )
        )
    )
    sanctions = tuple(
        Item(c, links.to(urls.role_jurisdiction(role.id, v.id), c.anchor), v.short, links.clause(c))
        for v in ix.role_jurisdictions(role.id)
        for c in ix.sanctions_for(role.id, v.id)
    )
    absent = tuple(s.heading for s in sections if not s.groups) + (() if sanctions else ("追究方式",))
    docs = [d for v in ix.role_jurisdictions(role.id) for d in v.documents if d.current]
    return RolePage(
        f"{role.label}：各地职责与追究",
        role,
        places(ix, links, role),
        statuses(links, docs),
        tuple(s for s in sections if s.groups),
        led,
        sanctions,
        absent,
        tuple(Link(ix.book.roles[r].label, links.to(urls.role(r))) for r in role.is_also),
    )
