"""A role's page in one jurisdiction: its duties, each with the accountability it leads to,
then the red lines, sanctions and everything else that names the role."""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..index import Index, JurisdictionView
from ..model import Clause, Document, Role
from ..urls import Links
from .common import Card, ClauseLink, Link, Pager, card, cards, current_sources, pager


@dataclass(frozen=True)
class Duty:
    """A duty and the chain it leads to: duty → triggers (linked to it) → their sanctions."""

    card: Card
    triggers: tuple[ClauseLink, ...]  # anchors on this page
    sanctions: tuple[ClauseLink, ...]  # anchors on this page, each once


@dataclass(frozen=True)
class RoleJurisdictionPage:
    title: str
    role: Role
    place: Link  # the jurisdiction's page
    sources: tuple[Link, ...]  # its current documents
    current: tuple[Document, ...]  # for their truncation notices
    checklist_href: str
    calendar_href: str | None  # None when the role owes nothing dated here
    role_href: str  # the role in other jurisdictions
    has_accountability: bool
    compare_triggers_href: str
    compare_sanctions_href: str
    duties: tuple[Duty, ...]
    triggers: tuple[Card, ...]
    sanctions: tuple[Card, ...]
    circumstances: tuple[Card, ...]
    doubles: tuple[Card, ...]
    procedures: tuple[Card, ...]
    systems: tuple[Card, ...]
    others: tuple[Card, ...]  # what names the role and fits none of the above
    pager: Pager  # the role's previous and next place


def chain(ix: Index, duty: Clause, role: str) -> tuple[list[Clause], list[Clause]]:
    """The triggers linked to a duty that name the role, and the sanctions of those
    triggers for the role, each sanction once, in the order first met."""
    triggers = [t for t in ix.triggers_for_duty(duty) if role in t.roles]
    sanctions: list[Clause] = []
    for t in triggers:
        sanctions += [s for s in ix.sanctions_of_trigger(t, role) if s not in sanctions]
    return triggers, sanctions


def on_page(c: Clause) -> ClauseLink:
    return ClauseLink(c, f"#{c.anchor}")


def role_jurisdiction_page(
    ix: Index, links: Links, role: Role, view: JurisdictionView, calendar_page: str | None = None
) -> RoleJurisdictionPage:
    """``calendar_page``: the source path of the role's duty calendar here, if it has one."""
    duties = ix.for_role(role.id, view.id, ["duty"])
    triggers = ix.for_role(role.id, view.id, ["trigger"])
    sanctions = ix.sanctions_for(role.id, view.id)
    circumstances = ix.circumstances_for(role.id, view.id)
    doubles = ix.double_accountability(view.id, role.id)
    procedures = ix.of_kind_for_role("procedure", role.id, view.id)
    systems = ix.of_kind_for_role("system", role.id, view.id)
    shown = duties + triggers + sanctions + circumstances + doubles + procedures + systems
    others = [c for c in ix.current_clauses(view.id) if role.id in c.roles and c not in shown]

    def duty(c: Clause) -> Duty:
        linked, their_sanctions = chain(ix, c, role.id)
        return Duty(card(ix, links, c), tuple(map(on_page, linked)), tuple(map(on_page, their_sanctions)))

    return RoleJurisdictionPage(
        title=f"{role.short} · {view.name}",
        role=role,
        place=Link(view.name, links.to(urls.jurisdiction(view.id))),
        sources=current_sources(links, view.documents),
        current=tuple(d for d in view.documents if d.current),
        checklist_href=links.to(urls.checklist(view.id, role.id)),
        calendar_href=links.to(calendar_page) if calendar_page else None,
        role_href=links.to(urls.role(role.id)),
        has_accountability=ix.has_accountability(view.id),
        compare_triggers_href=links.to(urls.compare("triggers")),
        compare_sanctions_href=links.to(urls.compare("sanctions")),
        duties=tuple(map(duty, duties)),
        triggers=cards(ix, links, triggers),
        sanctions=cards(ix, links, sanctions),
        circumstances=cards(ix, links, circumstances),
        doubles=cards(ix, links, doubles),
        procedures=cards(ix, links, procedures),
        systems=cards(ix, links, systems),
        others=cards(ix, links, others),
        pager=pager(
            links,
            [
                (f"{role.short} · {v.name}", urls.role_jurisdiction(role.id, v.id))
                for v in ix.role_jurisdictions(role.id)
            ],
            urls.role_jurisdiction(role.id, view.id),
        ),
    )
