"""iCalendar (RFC 5545) text for a role's duty calendar, written by hand.

Deterministic: no clock, no random UIDs. DTSTAMP is the newest date in the data, so two
builds of the same data are byte-identical; UIDs are "<clause id>/<rule index>@UID_DOMAIN",
built only from stable ids, so re-importing an updated file replaces events instead of
duplicating them. Every event is all-day (VALUE=DATE, floating: a duty falls on the same
day in any time zone). Lines end in CRLF and are folded at 75 octets without splitting a
UTF-8 character (RFC 5545 §3.1).

The URL of the online clause is added only when the site's address is known (``base_url``):
a relative link means nothing inside a calendar app, so without it the DESCRIPTION names
the document and article instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .calendar import RoleCalendar, data_date
from .model import Clause, Handbook

# Fixed forever: a different domain would make every UID new and duplicate imported events.
UID_DOMAIN = "two-responsibilities.handbook"
PRODID = "-//Two Responsibilities Handbook//Duty Calendar//ZH"
FOLD_OCTETS = 75


def escape_text(value: str) -> str:
    """TEXT value escaping (§3.3.11): backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into CRLF-joined pieces of at most 75 octets (continuations start with a space)."""
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, FOLD_OCTETS - 1  # the leading space counts
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _date(day: date) -> str:
    return day.strftime("%Y%m%d")


def to_ics(cal: RoleCalendar, book: Handbook, clause_url: Callable[[Clause], str | None]) -> str:
    """The calendar as iCalendar text (only entries with a recurrence become events)."""
    stamp = data_date(book).strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text('履责日历：' + cal.name)}",
        "X-WR-CALDESC:"
        + escape_text(
            f"{cal.role.label}在{cal.view.name}的定期职责和期限，依据本地区现行文件整理。"
            "事件后的期限（如整改方案1个月内报送）无固定日期，请查看网页。"
        ),
    ]
    for e in cal.entries:
        if not e.recurrence:
            continue
        r, c = e.recurrence, e.clause
        doc = book.documents[c.document]
        url = clause_url(c)
        description = [f"{e.label}。", f"“{c.text}”", f"——《{doc.short_title}》{c.locator}"]
        if r.reminder:
            description.append("原文未规定具体日期，本提醒放在每个周期的第一天。")
        if url:
            description.append(f"在线查看：{url}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid_key}@{UID_DOMAIN}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(r.start)}",
            f"DTEND;VALUE=DATE:{_date(r.end)}",
            f"RRULE:{r.rrule}",
            f"SUMMARY:{escape_text(e.summary)}",
            f"DESCRIPTION:{escape_text(chr(10).join(description))}",
            "TRANSP:TRANSPARENT",
        ]
        if url:
            lines.append(f"URL:{url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
