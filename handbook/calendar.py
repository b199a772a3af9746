"""Duty calendars: what a role owes in which month and quarter, computed from `time` rules.

Pure functions over the Index; the pages lay out these records and ``ics.py`` writes them
as iCalendar text. Every time rule of a clause becomes one Entry, placed by its structure
only (never by parsing the phrase), so new rules and documents need no code change:

- dated (``due`` MM-DD, or ``when`` year_start / year_end / quarter_end / month_end): in
  the months it falls in; ``*_end`` is the last day of the period's last month, year_start
  is the whole of January (年初 names no day);
- periodic without a date (``every`` year … week): listed under its frequency, never given
  an invented month; in the .ics it is a reminder on the first day of each period;
- event-relative (``every: event``, ``after``/``within``): grouped by the event ("当…时");
- term (任期内) and rules with no frequency: listed, but not in the .ics (no period to repeat).

Which year: recurrences start in the year of the clause's document (its date as recorded),
or, when that date is unknown, in the year of the newest full date in the data — never the
build day, so the same data always gives the same calendar. They repeat from there on.
"""

from __future__ import annotations

import calendar as _cal
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from .index import Index, JurisdictionView
from .model import Clause, Handbook, Role, Theme, TimeRule

PERIOD_MONTHS = {"year": 12, "half_year": 6, "quarter": 3, "two_months": 2, "month": 1}
# Order of the frequency lists on the pages, shortest period first.
FREQUENCY_ORDER = ("week", "month", "two_months", "quarter", "half_year", "year", "term", "other")
# TimeRule.every in readers' words.
CADENCE_LABELS = {
    "year": "每年",
    "half_year": "每半年",
    "quarter": "每季度",
    "two_months": "每两个月",
    "month": "每月",
    "week": "每周",
    "term": "任期内",
    "event": "事件后",
}
FREQUENCY_HEADINGS = {**CADENCE_LABELS, "other": "其他时间要求"}
PERIOD_PREFIX = {
    "year": "本年度内",
    "half_year": "本半年内",
    "quarter": "本季度内",
    "two_months": "本两个月内",
    "month": "本月内",
    "week": "本周内",
}
RRULE_OF_PERIOD = {
    "year": "FREQ=YEARLY",
    "half_year": "FREQ=MONTHLY;INTERVAL=6",
    "quarter": "FREQ=MONTHLY;INTERVAL=3",
    "two_months": "FREQ=MONTHLY;INTERVAL=2",
    "month": "FREQ=MONTHLY",
    "week": "FREQ=WEEKLY",
}
DURATION_UNITS = {"Y": "年", "M": "个月", "W": "周", "D": "日"}
QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
# A dated rule falling in more months than this is listed under its frequency, not in the
# month grid (每月月底 would fill all twelve cells with the same line).
GRID_MAX_MONTHS = 4


@dataclass(frozen=True)
class Recurrence:
    """An all-day event: [start, end) and its RRULE value; the .ics writer only formats it."""

    start: date
    end: date
    rrule: str
    reminder: bool  # True: the text gives no date, the event only marks the period's start


@dataclass(frozen=True)
class Entry:
    clause: Clause
    rule: TimeRule
    index: int  # position of the rule in clause.time: part of the stable UID
    label: str  # the cadence in plain Chinese, e.g. 每年1月15日前
    placement: str  # dated | periodic | event | term | other
    frequency: str  # a FREQUENCY_ORDER key
    months: tuple[int, ...] = ()  # dated: the months it falls in
    recurrence: Recurrence | None = None

    @property
    def uid_key(self) -> str:
        return f"{self.clause.id}/{self.index}"

    @property
    def short_label(self) -> str:
        """Under an event's heading only the deadline is needed."""
        return deadline_words(self.rule) if self.placement == "event" else self.label

    @property
    def summary(self) -> str:
        """One-line event title for a calendar app."""
        head = PERIOD_PREFIX[self.frequency] + "：" if self.placement == "periodic" else ""
        return f"{head}{self.clause.title}（{self.rule.phrase}）"


@dataclass(frozen=True)
class Month:
    number: int
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Quarter:
    name: str
    months: tuple[Month, ...]


@dataclass(frozen=True)
class Group:
    heading: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class RoleCalendar:
    view: JurisdictionView
    role: Role
    entries: tuple[Entry, ...]  # every time rule of the role's current clauses, in clause order
    quarters: tuple[Quarter, ...]  # the year grid (dated entries)
    frequencies: tuple[Group, ...]  # undated recurring duties (and too-frequent dated ones)
    events: tuple[Group, ...]  # "当…时", by event

    @property
    def slug(self) -> str:
        return f"{self.view.id}-{self.role.id}"

    @property
    def page(self) -> str:
        return f"calendar/{self.view.id}/{self.role.id}.md"

    @property
    def ics_path(self) -> str:
        return f"downloads/calendar/{self.slug}.ics"

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(dict.fromkeys(e.clause for e in self.entries))

    @property
    def has_events(self) -> bool:
        return any(e.recurrence for e in self.entries)

    @property
    def name(self) -> str:
        return f"{self.role.short} · {self.view.name}"

    @property
    def agenda(self) -> tuple[Entry, ...]:
        """All entries in reading order for a short list: dated by month, then by frequency, then events."""
        rank = {f: k for k, f in enumerate(FREQUENCY_ORDER)}
        return tuple(
            sorted(
                self.entries, key=lambda e: (e.placement == "event", e.months[0] if e.months else 13, rank[e.frequency])
            )
        )


@dataclass(frozen=True)
class ThemeRow:
    theme: Theme
    cells: tuple[tuple[JurisdictionView, tuple[Entry, ...]], ...]


# -- dates of the data ----------------------------------------------------------------


def data_date(book: Handbook) -> date:
    """The newest full date (YYYY-MM-DD) recorded in the data; 1970-01-01 when there is none."""
    newest = date(1970, 1, 1)
    for doc in book.documents.values():
        for value in (doc.date.value, doc.effective, doc.verified_on):
            if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                try:
                    newest = max(newest, date.fromisoformat(value))
                except ValueError:
                    continue
    return newest


def anchor_year(book: Handbook, document: str) -> int:
    """The year recurrences start in: the document's own year, else the data date's."""
    value = book.documents[document].date.value or ""
    return int(value[:4]) if re.match(r"\d{4}", value) else data_date(book).year


# -- one rule ----------------------------------------------------------------------


def duration_words(iso: str) -> str:
    """P1M -> 1个月, P7D -> 7日, P1Y2M -> 1年2个月."""
    return "".join(f"{n}{DURATION_UNITS[u]}" for n, u in re.findall(r"(\d+)([YMWD])", iso))


def _due(rule: TimeRule) -> tuple[int, int] | None:
    """(month, day) of a valid MM-DD deadline (checked against a leap year), else None."""
    if not rule.due:
        return None
    month, day = (int(x) for x in rule.due.split("-"))
    if not 1 <= month <= 12 or not 1 <= day <= _cal.monthrange(2000, month)[1]:
        return None
    return month, day


def end_period(rule: TimeRule) -> int | None:
    """Length in months of the period whose end a ``when: *_end`` rule names."""
    if rule.when == "year_end":
        return 12
    if rule.when == "quarter_end":
        return 3
    if rule.when == "month_end":
        return PERIOD_MONTHS.get(rule.every or "month", 1)
    return None


def event_words(rule: TimeRule) -> str:
    """The event a relative deadline runs from, ending in 后: 民主生活会召开后."""
    after = rule.after or "有关事项发生"
    return after if after.endswith("后") else after + "后"


def deadline_words(rule: TimeRule) -> str:
    """An event-relative deadline alone: 1个月内."""
    return duration_words(rule.within) + "内" if rule.within else "未规定期限"


def cadence_label(rule: TimeRule) -> str:
    """The rule in a reader's words, from its structure (the phrase is shown beside it)."""
    if rule.every == "event" or rule.after or rule.within:
        return event_words(rule) + (deadline_words(rule) if rule.within else "")
    due = _due(rule)
    if due:
        return f"每年{due[0]}月{due[1]}日前"
    every = CADENCE_LABELS.get(rule.every or "", "")
    if rule.when == "year_start":
        return "每年年初"
    if rule.when == "year_end":
        return "每年年底"
    if rule.when == "quarter_end":
        return "每季度末"
    if rule.when == "month_end":
        return f"{every or '每月'}月底"
    if not every:
        return rule.phrase
    if rule.count:
        return f"{every}{'至少' if rule.at_least else ''}{rule.count}次"
    return every


def _last_day(year: int, month: int) -> date:
    return date(year, month, _cal.monthrange(year, month)[1])


def entry(clause: Clause, index: int, rule: TimeRule, year: int) -> Entry:
    """Place one time rule: months for the grid, a recurrence for the .ics."""
    label = cadence_label(rule)
    if rule.every == "event" or rule.after or rule.within:
        return Entry(clause, rule, index, label, "event", "other")
    due, period = _due(rule), end_period(rule)
    if due:
        start = date(year, *due)
        return Entry(
            clause,
            rule,
            index,
            label,
            "dated",
            "year",
            (due[0],),
            Recurrence(start, start + timedelta(days=1), "FREQ=YEARLY", False),
        )
    if rule.when == "year_start":
        return Entry(
            clause,
            rule,
            index,
            label,
            "dated",
            "year",
            (1,),
            Recurrence(date(year, 1, 1), date(year, 2, 1), "FREQ=YEARLY", False),
        )
    if period:
        start = _last_day(year, period)
        rrule = (
            "FREQ=YEARLY"
            if period == 12
            else ("FREQ=MONTHLY;BYMONTHDAY=-1" if period == 1 else f"FREQ=MONTHLY;INTERVAL={period};BYMONTHDAY=-1")
        )
        frequency = next(k for k, v in PERIOD_MONTHS.items() if v == period)
        return Entry(
            clause,
            rule,
            index,
            label,
            "dated",
            frequency,
            tuple(range(period, 13, period)),
            Recurrence(start, start + timedelta(days=1), rrule, False),
        )
    if rule.every in RRULE_OF_PERIOD:
        start = date(year, 1, 1)
        return Entry(
            clause,
            rule,
            index,
            label,
            "periodic",
            rule.every,
            (),
            Recurrence(start, start + timedelta(days=1), RRULE_OF_PERIOD[rule.every], True),
        )
    if rule.every == "term":
        return Entry(clause, rule, index, label, "term", "term")
    return Entry(clause, rule, index, label, "other", "other")


# -- a role's year ------------------------------------------------------------------


def time_clauses(ix: Index, role: str, jurisdiction: str) -> list[Clause]:
    """Current clauses of the jurisdiction that name the role and carry structured time."""
    return [c for c in ix.current_clauses(jurisdiction) if role in c.roles and c.time]


def entries_of(ix: Index, clauses) -> tuple[Entry, ...]:
    return tuple(entry(c, k, rule, anchor_year(ix.book, c.document)) for c in clauses for k, rule in enumerate(c.time))


def role_calendar(ix: Index, jurisdiction: str, role: str) -> RoleCalendar:
    entries = entries_of(ix, time_clauses(ix, role, jurisdiction))
    in_grid = [e for e in entries if e.placement == "dated" and len(e.months) <= GRID_MAX_MONTHS]
    quarters = tuple(
        Quarter(
            QUARTER_NAMES[q],
            tuple(Month(m, tuple(e for e in in_grid if m in e.months)) for m in range(3 * q + 1, 3 * q + 4)),
        )
        for q in range(4)
    )
    listed = [e for e in entries if e not in in_grid and e.placement != "event"]
    frequencies = tuple(
        Group(FREQUENCY_HEADINGS[f], tuple(e for e in listed if e.frequency == f))
        for f in FREQUENCY_ORDER
        if any(e.frequency == f for e in listed)
    )
    by_event: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.placement == "event":
            by_event[event_words(e.rule)].append(e)
    events = tuple(Group(after, tuple(es)) for after, es in by_event.items())
    return RoleCalendar(ix.jurisdictions[jurisdiction], ix.book.roles[role], entries, quarters, frequencies, events)


def calendars(ix: Index) -> list[RoleCalendar]:
    """One calendar per jurisdiction and role that has at least one time-bearing clause."""
    return [
        role_calendar(ix, view.id, role)
        for view in ix.jurisdictions.values()
        for role in ix.book.roles
        if time_clauses(ix, role, view.id)
    ]


def cadence_comparison(ix: Index) -> list[ThemeRow]:
    """Per theme, how often each jurisdiction requires something (all roles), for the index page.

    A clause counts under its first (main) theme only, so each rule appears once."""
    entries = entries_of(ix, [c for c in ix.current_clauses() if c.time])
    views = list(ix.jurisdictions.values())
    rows = []
    for theme in ix.book.themes.values():
        cells = tuple(
            (v, tuple(e for e in entries if e.clause.themes[:1] == (theme.id,) and e.clause.jurisdiction == v.id))
            for v in views
        )
        if any(found for _, found in cells):
            rows.append(ThemeRow(theme, cells))
    return rows
