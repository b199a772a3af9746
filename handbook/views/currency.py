"""Currency: how binding, how old and how current the texts a page draws on are.

Two view models, each laid out by one macro of templates/_currency.html.j2:

- :func:`statuses` — for each document a page draws on, its status (试行/暂行/…), its
  date and what that date is (印发 or only a web page's publication), and whether
  anyone has verified it is still in force. Every page type that gives a reader duties
  (role, role × place, checklist and its PDF, quiz, calendar) shows it.
- :func:`central_rules` — the editorial note on the central rules that now govern the
  field (data/central_rules.yml); on a jurisdiction's page, also whether each rule
  postdates that place's documents, compared on the dates the data give (a year is
  compared as a year: 2016 is neither before nor after 2016-03).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import urls
from ..model import CentralRule, Document, Handbook
from ..urls import Links

DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")

# What a document's date is (its ``date_kind``), as a reader reads it.
DATE_KINDS = {
    "印发": "印发日期",
    "网页发布": "网页发布日期，不是印发日期",
    "施行": "施行日期",
}


def date_parts(value: str) -> tuple[int, ...] | None:
    """(year[, month[, day]]) of a YYYY[-MM[-DD]] value; None for anything else."""
    match = DATE.fullmatch(value)
    return tuple(int(p) for p in match.groups() if p) if match else None


def chinese_date(value: str) -> str:
    """2015-02-04 → 2015年2月4日, 2014-09 → 2014年9月, 2014 → 2014年; other text as it is."""
    parts = date_parts(value)
    if parts is None:
        return value
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))


@dataclass(frozen=True)
class DocStatus:
    """One document's currency, in reader's words."""

    name: str  # short title
    href: str  # the document's facts on its jurisdiction page
    status: str  # as the document calls itself: 试行/暂行/施行; 未标明
    date: str | None  # e.g. 2015年2月4日; None when unknown
    date_kind: str  # e.g. 印发日期; "" when the data do not say
    date_event: str  # the same, as a verb after the date on a card: 印发, 网页发布; "" when unknown
    inferred: str | None  # certainty when an editor inferred the date, else None
    verified_on: str | None  # when someone confirmed it is still in force
    verified_note: str | None
    newer: bool  # a newer version replaces it


def status(links: Links, doc: Document) -> DocStatus:
    d = doc.date
    return DocStatus(
        name=doc.short_title,
        href=links.to(urls.jurisdiction(doc.jurisdiction.id), f"doc-{doc.id}"),
        status=doc.status,
        date=chinese_date(d.value) if d.value else None,
        date_kind=DATE_KINDS.get(doc.date_kind or "", ""),
        date_event=doc.date_kind or "",
        inferred=None if d.stated else (d.certainty or "未注明确定程度"),
        verified_on=doc.verified_on,
        verified_note=doc.verified_note,
        newer=not doc.current,
    )


def statuses(links: Links, docs: tuple[Document, ...] | list[Document]) -> tuple[DocStatus, ...]:
    """The currency of each document a page draws on, in the order given."""
    return tuple(status(links, d) for d in docs)


@dataclass(frozen=True)
class Versus:
    """How a central rule's dates stand to one local document's date."""

    place: str  # the document's jurisdiction (short name)
    verdict: str  # a sentence naming the document and its date
    later: bool | None  # the rule (or its latest revision) is later; None: cannot tell


@dataclass(frozen=True)
class RuleLine:
    rule: CentralRule
    dates: str  # 2016年印发，2019年修订
    versus: tuple[Versus, ...]  # one per current document compared

    @property
    def later_than(self) -> tuple[str, ...]:
        """The places whose documents the rule (or its latest revision) postdates."""
        return tuple(dict.fromkeys(v.place for v in self.versus if v.later))

    @property
    def undecided(self) -> tuple[str, ...]:
        """The places with a document whose date cannot be compared with it."""
        return tuple(dict.fromkeys(v.place for v in self.versus if v.later is None))


@dataclass(frozen=True)
class CentralRules:
    basis: str
    rules: tuple[RuleLine, ...]
    place: str | None  # the jurisdiction compared with, or None (home page)


def order(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    """1 when a is later than b, -1 when earlier, 0 when the shared precision cannot tell."""
    n = min(len(a), len(b))
    return (a[:n] > b[:n]) - (a[:n] < b[:n])


def verdict(rule: CentralRule, doc: Document) -> Versus:
    place = doc.jurisdiction.short
    doc_parts = date_parts(doc.date.value) if doc.date.value else None
    if doc.date.value is None or doc_parts is None:
        why = f"（{doc.date.basis}）" if doc.date.basis else ""
        return Versus(place, f"《{doc.short_title}》的日期不详{why}，无法判断它与该规定的先后。", None)
    kind = DATE_KINDS.get(doc.date_kind or "", "")
    name = f"《{doc.short_title}》（{chinese_date(doc.date.value)}{'，' + kind if kind else ''}）"
    first, last = rule.dates[0], rule.dates[-1]
    first_order = order(date_parts(first.value) or (), doc_parts)
    last_order = order(date_parts(last.value) or (), doc_parts)
    # A web page's date is only the latest the text can have been issued: it proves the
    # rule came later, never that the text came later.
    web_only = doc.date_kind == "网页发布"
    if first_order > 0:
        return Versus(place, f"该规定{chinese_date(first.value)}{first.event}，晚于{name}。", True)
    if last_order > 0:
        return Versus(place, f"该规定{chinese_date(last.value)}{last.event}，晚于{name}。", True)
    if last_order < 0 and not web_only:
        return Versus(place, f"{name}晚于该规定的{last.event}（{chinese_date(last.value)}）。", False)
    return Versus(place, f"现有日期不足以判断{name}与该规定的先后。", None)


def rule_dates(rule: CentralRule) -> str:
    return "，".join(f"{chinese_date(d.value)}{d.event}" for d in rule.dates)


def central_rules(book: Handbook, place: str | None = None, docs: tuple[Document, ...] | None = None) -> CentralRules:
    """The central rules note, each rule compared with each current document: those of
    ``place`` (a jurisdiction's page, given ``docs``), or every document (home page)."""
    if docs is None:
        docs = tuple(book.documents.values())
    return CentralRules(
        book.central_rules_basis,
        tuple(
            RuleLine(rule, rule_dates(rule), tuple(verdict(rule, d) for d in docs if d.current))
            for rule in book.central_rules.values()
        ),
        place,
    )
