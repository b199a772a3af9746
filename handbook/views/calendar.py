"""履责日历: the calendars index (with the cadence comparison) and each role's calendar.

The calendars themselves are handbook.calendar's records; this adds the links (each entry's
clause, the .ics file, the pages around) and what the index groups by jurisdiction.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..calendar import Entry, RoleCalendar, ThemeRow
from ..index import Index
from ..model import Theme
from ..urls import Links
from .common import Link, role_names
from .currency import DocStatus, statuses


@dataclass(frozen=True)
class Line:
    """A time rule as a calendar lists it, linked to its clause."""

    entry: Entry
    href: str  # the clause on its source page


@dataclass(frozen=True)
class MonthLines:
    number: int
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class QuarterLines:
    name: str
    months: tuple[MonthLines, ...]


@dataclass(frozen=True)
class LineGroup:
    heading: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class CalendarPage:
    title: str
    calendar: RoleCalendar
    place: Link  # the jurisdiction's page
    sources: tuple[str, ...]  # short titles of the place's current documents
    currency: tuple[DocStatus, ...]  # of those documents
    ics_href: str | None  # None when nothing of it goes into an .ics file
    role_href: str  # the role's page in the place
    index_href: str  # the other calendars
    quarters: tuple[QuarterLines, ...]
    frequencies: tuple[LineGroup, ...]
    events: tuple[LineGroup, ...]


@dataclass(frozen=True)
class CalendarItem:
    """One calendar on the index."""

    role: str  # short name
    count: int  # its entries
    href: str
    ics_href: str | None


@dataclass(frozen=True)
class PlaceCalendars:
    name: str
    id: str
    calendars: tuple[CalendarItem, ...]


@dataclass(frozen=True)
class CadenceLine:
    entry: Entry
    href: str  # the clause on its source page
    roles: tuple[str, ...]  # short names of the roles the clause names


@dataclass(frozen=True)
class CadenceCell:
    place: str  # the jurisdiction's short name
    lines: tuple[CadenceLine, ...]


@dataclass(frozen=True)
class CadenceRow:
    theme: Theme
    cells: tuple[CadenceCell, ...]  # the jurisdictions with entries under the theme
    silent: tuple[str, ...]  # short names of those without


@dataclass(frozen=True)
class CalendarIndex:
    title: str
    places: tuple[PlaceCalendars, ...]  # jurisdictions with at least one calendar
    rows: tuple[CadenceRow, ...]


def line(links: Links, e: Entry) -> Line:
    return Line(e, links.clause(e.clause))


def lines_of(links: Links, entries: tuple[Entry, ...]) -> tuple[Line, ...]:
    return tuple(line(links, e) for e in entries)


def calendar_page(links: Links, cal: RoleCalendar) -> CalendarPage:
    return CalendarPage(
        title=f"履责日历：{cal.name}",
        calendar=cal,
        place=Link(cal.view.name, links.to(urls.jurisdiction(cal.view.id))),
        sources=tuple(d.short_title for d in cal.view.documents if d.current),
        currency=statuses(links, [d for d in cal.view.documents if d.current]),
        ics_href=links.file(cal.ics_path) if cal.has_events else None,
        role_href=links.to(urls.role_jurisdiction(cal.role.id, cal.view.id)),
        index_href=links.to(urls.CALENDAR),
        quarters=tuple(
            QuarterLines(q.name, tuple(MonthLines(m.number, lines_of(links, m.entries)) for m in q.months))
            for q in cal.quarters
        ),
        frequencies=tuple(LineGroup(g.heading, lines_of(links, g.entries)) for g in cal.frequencies),
        events=tuple(LineGroup(g.heading, lines_of(links, g.entries)) for g in cal.events),
    )


def cadence_row(ix: Index, links: Links, row: ThemeRow) -> CadenceRow:
    return CadenceRow(
        row.theme,
        tuple(
            CadenceCell(
                v.short,
                tuple(CadenceLine(e, links.clause(e.clause), role_names(ix.book, e.clause)) for e in entries),
            )
            for v, entries in row.cells
            if entries
        ),
        tuple(v.short for v, entries in row.cells if not entries),
    )


def calendar_index(ix: Index, links: Links, calendars: list[RoleCalendar], comparison: list[ThemeRow]) -> CalendarIndex:
    """``calendars``: every role calendar; ``comparison``: handbook.calendar.cadence_comparison."""
    places = []
    for v in ix.jurisdictions.values():
        items = tuple(
            CalendarItem(
                cal.role.short,
                len(cal.entries),
                links.to(cal.page),
                links.file(cal.ics_path) if cal.has_events else None,
            )
            for cal in calendars
            if cal.view.id == v.id
        )
        if items:
            places.append(PlaceCalendars(v.name, v.id, items))
    return CalendarIndex("履责日历", tuple(places), tuple(cadence_row(ix, links, row) for row in comparison))
