"""A role's page in one jurisdiction: its duties, each with the accountability it leads to,
the collective duties it leads as 第一责任人 (``leads`` in roles.yml), then the red lines,
sanctions and everything else that names the role. A part the documents leave out is named
in one line (``absent``), not shown as an empty heading."""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..index import Index, JurisdictionView
from ..model import Clause, Document, Role
from ..urls import Links
from .common import Card, ClauseLink, Link, Pager, card, cards, current_sources, pager
from .currency import DocStatus, statuses


@dataclass(frozen=True)
class Duty:
    """A duty and the chain it leads to: duty → triggers (linked to it) → their sanctions."""

    card: Card
    triggers: tuple[ClauseLink, ...]  # anchors on this page
    sanctions: tuple[ClauseLink, ...]  # anchors on this page, each once


@dataclass(frozen=True)
class LedDuty:
    clause: Clause
    href: str  # the duty on the collective role's page here
    source_href: str


@dataclass(frozen=True)
class Led:
    """The duties of a collective role that this role leads as 第一责任人, in one jurisdiction."""

    role: Role  # the collective role
    href: str  # its page in this jurisdiction
    duties: tuple[LedDuty, ...]


@dataclass(frozen=True)
class AlsoRole:
    """A role this person also is one of (``is_also``), with what it is given here."""

    role: Role
    href: str  # its page in this jurisdiction
    triggers: int
    sanctions: int


@dataclass(frozen=True)
class RoleJurisdictionPage:
    title: str
    role: Role
    place: Link  # the jurisdiction's page
    sources: tuple[Link, ...]  # its current documents
    current: tuple[Document, ...]  # for their truncation notices
    currency: tuple[DocStatus, ...]  # of the current documents
    checklist_href: str
    calendar_href: str | None  # None when the role owes nothing dated here
    role_href: str  # the role in other jurisdictions
    has_accountability: bool
    compare_triggers_href: str
    compare_sanctions_href: str
    duties: tuple[Duty, ...]
    led: tuple[Led, ...]  # only those with duties here
    absent: tuple[str, ...]  # the parts with nothing for the role here, by name (职责, 追究情形, …)
    also: tuple[AlsoRole, ...]  # only those with a page here
    triggers: tuple[Card, ...]
    sanctions: tuple[Card, ...]
    circumstances: tuple[Card, ...]
    doubles: tuple[Card, ...]
    procedures: tuple[Card, ...]
    systems: tuple[Card, ...]
    others: tuple[Card, ...]  # what names the role and fits none of the above
    pager: Pager  # the role's previous and next place
    # triggers stating their own sanction: shown (with their ladder) among the red lines and
    # linked from 追究方式, so that each clause is on the page once
    sanctioning_triggers: tuple[ClauseLink, ...] = ()
    word: str = "地区"  # 地区, or the unit's level (单位, 部门, 系统): "本单位的文件"


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


def led_duties(ix: Index, links: Links, role: Role, jurisdiction: str) -> tuple[Led, ...]:
    """Every duty of each collective role ``role`` leads, linked on that role's page here."""
    out = []
    for led_id in role.leads:
        duties = ix.for_role(led_id, jurisdiction, ["duty"])
        if duties:
            page = urls.role_jurisdiction(led_id, jurisdiction)
            out.append(
                Led(
                    ix.book.roles[led_id],
                    links.to(page),
                    tuple(LedDuty(c, links.to(page, c.anchor), links.clause(c)) for c in duties),
                )
            )
    return tuple(out)


def absent_parts(has_accountability: bool, parts: dict[str, list[Clause]]) -> tuple[str, ...]:
    """Names of the empty parts. Without any accountability text the accountability parts
    are covered by one notice of their own, so only the others are named."""
    accountability = ("追究情形", "追究方式", "从重从轻和免责情节", "一案双查")
    return tuple(
        name for name, found in parts.items() if not found and (has_accountability or name not in accountability)
    )


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

    has_accountability = ix.has_accountability(view.id)
    parts = {
        "职责": duties,
        "追究情形": triggers,
        "追究方式": sanctions,
        "从重从轻和免责情节": circumstances,
        "一案双查": doubles,
    }
    return RoleJurisdictionPage(
        title=f"{role.short} · {view.name}",
        role=role,
        place=Link(view.name, links.to(urls.jurisdiction(view.id))),
        sources=current_sources(links, view.documents),
        current=tuple(d for d in view.documents if d.current),
        currency=statuses(links, [d for d in view.documents if d.current]),
        checklist_href=links.to(urls.checklist(view.id, role.id)),
        calendar_href=links.to(calendar_page) if calendar_page else None,
        role_href=links.to(urls.role(role.id)),
        has_accountability=has_accountability,
        compare_triggers_href=links.to(urls.compare("triggers")),
        compare_sanctions_href=links.to(urls.compare("sanctions")),
        duties=tuple(map(duty, duties)),
        led=led_duties(ix, links, role, view.id),
        absent=absent_parts(has_accountability, parts),
        also=tuple(
            AlsoRole(
                ix.book.roles[r],
                links.to(urls.role_jurisdiction(r, view.id)),
                len(ix.for_role(r, view.id, ["trigger"])),
                len(ix.sanctions_for(r, view.id)),
            )
            for r in role.is_also
            if ix.has_content(r, view.id)
        ),
        triggers=cards(ix, links, triggers),
        sanctions=cards(ix, links, [s for s in sanctions if s not in triggers]),
        circumstances=cards(ix, links, circumstances),
        doubles=cards(ix, links, doubles),
        procedures=cards(ix, links, procedures),
        systems=cards(ix, links, systems),
        others=cards(ix, links, others),
        sanctioning_triggers=tuple(on_page(t) for t in triggers if t in sanctions),
        word=view.word,
        pager=pager(
            links,
            [
                (f"{role.short} · {v.name}", urls.role_jurisdiction(role.id, v.id))
                for v in ix.role_jurisdictions(role.id)
            ],
            urls.role_jurisdiction(role.id, view.id),
        ),
    )
