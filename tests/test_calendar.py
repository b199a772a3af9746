"""Duty calendars: /calendar/ pages, downloads/calendar/*.ics, the checklist section, print.

Expected events are recomputed here from the loaded data (each rule's dates within its
anchor year, by what the rule means), never read back from the output; the .ics files are
parsed with the `icalendar` package and their RRULEs expanded with dateutil.
"""

from __future__ import annotations

import calendar as cal
import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin

import icalendar
import pytest
from dateutil.rrule import rrulestr

from conftest import ROOT, axe_problems, pdf_tool
from handbook.calendar import cadence_label, entry
from handbook.ics import escape_text, fold
from handbook.model import TimeRule

PERIOD = {"year": 12, "half_year": 6, "quarter": 3, "two_months": 2, "month": 1}
A4_PT = (210 / 25.4 * 72, 297 / 25.4 * 72)
BASE = "http://site.test/"


# -- expectations from the data --------------------------------------------------------


def time_clauses(index, role: str, jurisdiction: str) -> list:
    return [c for c in index.current_clauses(jurisdiction) if role in c.roles and c.time]


def calendars(index, book) -> list[tuple[str, str, list]]:
    found = []
    for view in index.jurisdictions.values():
        for role in book.roles:
            clauses = time_clauses(index, role, view.id)
            if clauses:
                found.append((view.id, role, clauses))
    return found


def anchor(book, document: str) -> int:
    """The document's year, else the year of the newest full date in the data."""
    value = book.documents[document].date.value or ""
    if re.match(r"\d{4}", value):
        return int(value[:4])
    full = [
        v
        for d in book.documents.values()
        for v in (d.date.value, d.effective, d.verified_on)
        if v and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)
    ]
    return int(max(full)[:4]) if full else 1970


def last_day(year: int, month: int) -> date:
    return date(year, month, cal.monthrange(year, month)[1])


def dates_in_year(rule: TimeRule, year: int) -> set[date] | None:
    """The days of `year` on which the rule's event falls; None when it has no calendar date."""
    if rule.every in ("event", "term") or rule.after or rule.within:
        return None
    if rule.due:
        month, day = map(int, rule.due.split("-"))
        return {date(year, month, day)}
    if rule.when == "year_start":
        return {date(year, 1, 1)}  # spanning January
    if rule.when:
        period = {"year_end": 12, "quarter_end": 3}.get(rule.when) or PERIOD.get(rule.every or "month", 1)
        return {last_day(year, m) for m in range(period, 13, period)}
    if rule.every == "week":
        return {
            date(year, 1, 1) + timedelta(weeks=k)
            for k in range(53)
            if (date(year, 1, 1) + timedelta(weeks=k)).year == year
        }
    if rule.every in PERIOD:
        return {date(year, m, 1) for m in range(1, 13, PERIOD[rule.every])}
    return None


def grid_months(rule: TimeRule) -> set[int]:
    """Months whose cell on the page must list the rule (dated rules due in at most 4 months)."""
    if rule.every == "event" or rule.after or rule.within:
        return set()
    if rule.due:
        return {int(rule.due[:2])}
    if rule.when == "year_start":
        return {1}
    if rule.when:
        period = {"year_end": 12, "quarter_end": 3}.get(rule.when) or PERIOD.get(rule.every or "month", 1)
        months = set(range(period, 13, period))
        return months if len(months) <= 4 else set()
    return set()


def public_url() -> str:
    match = re.search(r"^\s*public_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M)
    site_url = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M)
    found = site_url or match
    return found.group(1).rstrip("/") + "/" if found else ""


def ics_file(site: Path, jurisdiction: str, role: str) -> Path:
    return site / "downloads" / "calendar" / f"{jurisdiction}-{role}.ics"


def page_html(site: Path, jurisdiction: str, role: str) -> str:
    return (site / "calendar" / jurisdiction / role / "index.html").read_text("utf-8")


def links_of(html: str, page_url: str) -> set[str]:
    return {urljoin(page_url, href) for href in re.findall(r'href="([^"]+)"', html)}


def clause_url(clause, base: str = BASE) -> str:
    return f"{base}sources/{clause.document}/#{clause.anchor}"


# -- the .ics files ------------------------------------------------------------------


def test_every_ics_parses_and_matches_the_data(site, index, book):
    expected_files = set()
    online = public_url()
    for jurisdiction, role, clauses in calendars(index, book):
        expected = {}
        for c in clauses:
            for k, rule in enumerate(c.time):
                days = dates_in_year(rule, anchor(book, c.document))
                if days is not None:
                    expected[f"{c.id}/{k}@two-responsibilities.handbook"] = (c, rule, days)
        path = ics_file(site, jurisdiction, role)
        if not expected:
            assert not path.exists(), path
            continue
        expected_files.add(path.name)
        raw = path.read_bytes()
        assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), f"{path.name}: not CRLF"
        assert max(len(line) for line in raw.split(b"\r\n")) <= 75, f"{path.name}: line longer than 75 octets"
        parsed = icalendar.Calendar.from_ical(raw)
        assert parsed["VERSION"] == "2.0" and parsed.get("PRODID")
        events = parsed.walk("VEVENT")
        uids = [str(e["UID"]) for e in events]
        assert len(uids) == len(set(uids)), f"{path.name}: duplicate UIDs"
        assert set(uids) == set(expected), path.name
        for event in events:
            c, rule, days = expected[str(event["UID"])]
            start = event.decoded("DTSTART")
            assert type(start) is date, "all-day events (VALUE=DATE)"
            assert start.year == anchor(book, c.document), (event["UID"], start)
            end = event.decoded("DTEND")
            assert end == (date(start.year, 2, 1) if rule.when == "year_start" else start + timedelta(days=1))
            rule_text = event["RRULE"].to_ical().decode()
            occurrences = rrulestr(rule_text, dtstart=datetime.combine(start, datetime.min.time()))
            in_year = {
                d.date()
                for d in occurrences.between(datetime(start.year, 1, 1), datetime(start.year, 12, 31), inc=True)
            }
            assert in_year == days, (event["UID"], rule_text, sorted(in_year), sorted(days))
            assert occurrences.after(datetime(start.year + 5, 1, 1)) is not None, "repeats in later years"
            summary, description = str(event["SUMMARY"]), str(event["DESCRIPTION"])
            assert c.title in summary and rule.phrase in summary
            assert c.text in description and c.locator in description
            assert cadence_label(rule) in description
            if online:
                assert str(event["URL"]) == clause_url(c, online)
                assert clause_url(c, online) in description
            else:
                assert "URL" not in event
    found = {p.name for p in (site / "downloads" / "calendar").glob("*.ics")}
    assert found == expected_files


# A second build of the same data gives byte-identical calendars (the same UIDs and DTSTAMPs:
# re-importing updates events instead of duplicating them): test_safe_build's
# test_two_builds_are_byte_identical builds the data twice and compares every file, the .ics
# files by name.


def test_text_is_escaped_and_folded_per_rfc5545():
    text = "第一，第二；路径 C:\\文件\n下一行 " + "长" * 80
    line = fold("DESCRIPTION:" + escape_text(text))
    pieces = line.split("\r\n")
    assert len(pieces) > 1 and all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    parsed = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTAMP:20150101T000000Z\r\n"
        f"{line}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert str(parsed.walk("VEVENT")[0]["DESCRIPTION"]) == text


def test_without_a_site_address_events_carry_no_url(index, book):
    from handbook.calendar import calendars as make_calendars
    from handbook.ics import to_ics

    cal_ = next(c for c in make_calendars(index) if c.has_events)
    text = to_ics(cal_, book, lambda c: None)
    event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert "URL" not in event and "http" not in text
    with_url = to_ics(cal_, book, clause_url)
    assert icalendar.Calendar.from_ical(with_url).walk("VEVENT")[0]["URL"].startswith(BASE)


# -- the pages ---------------------------------------------------------------------------


def test_calendar_pages_link_every_time_clause_and_place_dated_rules_by_month(site, index, book):
    for jurisdiction, role, clauses in calendars(index, book):
        page_url = f"{BASE}calendar/{jurisdiction}/{role}/"
        html = page_html(site, jurisdiction, role)
        links = links_of(html, page_url)
        for c in clauses:
            assert clause_url(c) in links, (jurisdiction, role, c.id)
            for rule in c.time:
                assert f"原文“{rule.phrase}”" in html, (c.id, rule.phrase)
        cells = dict(re.findall(r'<div class="hb-month" data-month="(\d+)">(.*?)</div>', html, re.S))
        assert sorted(map(int, cells)) == list(range(1, 13))
        for month, cell in cells.items():
            wanted = {clause_url(c) for c in clauses for rule in c.time if int(month) in grid_months(rule)}
            assert {u for u in links_of(cell, page_url) if "/sources/" in u} == wanted, (jurisdiction, role, month)
        for c in clauses:
            for rule in c.time:
                if rule.every == "event" or rule.after:
                    after = rule.after if rule.after.endswith("后") else rule.after + "后"
                    assert f"<h3>{after}</h3>" in html, (c.id, after)
        if ics_file(site, jurisdiction, role).exists():
            assert f"{BASE}downloads/calendar/{jurisdiction}-{role}.ics" in links
        role_page = (site / "roles" / role / jurisdiction / "index.html").read_text("utf-8")
        assert page_url in links_of(role_page, f"{BASE}roles/{role}/{jurisdiction}/")
        index_links = links_of((site / "calendar" / "index.html").read_text("utf-8"), f"{BASE}calendar/")
        assert page_url in index_links


def test_downloads_page_links_every_ics(site):
    links = links_of((site / "downloads" / "index.html").read_text("utf-8"), f"{BASE}downloads/")
    files = sorted((site / "downloads" / "calendar").glob("*.ics"))
    assert files
    for path in files:
        assert f"{BASE}downloads/calendar/{path.name}" in links
    nav = (site / "index.html").read_text("utf-8")
    assert f"{BASE}calendar/" in links_of(nav, BASE)


def test_cadence_comparison_lists_every_time_clause_under_its_main_theme(site, index, book):
    html = (site / "calendar" / "index.html").read_text("utf-8")
    sections = dict(re.findall(r'<h3 id="compare-([a-z_]+)">.*?</h3>(.*?)(?=<h3|</article>)', html, re.S))
    for c in index.current_clauses():
        if c.time and c.themes:
            rows = dict(re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', sections[c.themes[0]], re.S))
            row = rows[index.jurisdictions[c.jurisdiction].short]
            assert clause_url(c) in links_of(row, f"{BASE}calendar/"), c.id


def test_reader_pages_have_no_developer_words(site, index, book):
    raw_values = {"half_year", "two_months", "year_start", "year_end", "quarter_end", "month_end", "at_least"}
    for jurisdiction, role, _ in calendars(index, book):
        text = re.sub(
            r"<[^>]+>", " ", page_html(site, jurisdiction, role).split("<article", 1)[1].split("</article>")[0]
        )
        assert not raw_values & set(re.findall(r"[a-z_]+", text)), (jurisdiction, role)
        assert not re.search(r"\bP\d+[YMWD]\b", text)


@pytest.mark.parametrize("every", [None, *PERIOD, "week", "term", "event"])
@pytest.mark.parametrize("when", [None, "year_start", "year_end", "quarter_end", "month_end"])
def test_cadence_labels_are_plain_chinese(index, every, when):
    clause = index.current_clauses()[0]  # placement reads only the rule
    for extra in ({}, {"count": 2, "at_least": True}, {"due": "01-15"}, {"within": "P1M", "after": "巡视反馈"}):
        rule = TimeRule(phrase="原话", every=every, when=when, **extra)
        label = cadence_label(rule)
        assert label and not re.search(r"[A-Za-z_]", label), (rule, label)
        if extra.get("within"):
            assert label == "巡视反馈后1个月内"
        placed = entry(clause, 0, rule, 2015)
        assert placed.placement in ("dated", "periodic", "event", "term", "other")


def test_pocket_card_has_a_calendar_section(site, index, book):
    for jurisdiction, role, clauses in calendars(index, book):
        html = (site / "checklists" / jurisdiction / role / "index.html").read_text("utf-8")
        # the web page's heading ends with its ¶ permalink (the PDF's does not)
        section = re.split(r'时间表(?:<a class="headerlink"[^>]*>¶</a>)?</h2>', html, maxsplit=1)
        assert len(section) == 2, (jurisdiction, role)
        for c in clauses:
            assert c.title in section[1].split("</ul>", 1)[0], (jurisdiction, role, c.id)


# -- browser -----------------------------------------------------------------------------


def busiest_of(index, book) -> tuple[str, str]:
    """The calendar with the most time rules (the hardest to lay out)."""
    jurisdiction, role, _ = max(calendars(index, book), key=lambda x: sum(len(c.time) for c in x[2]))
    return jurisdiction, role


@pytest.fixture(scope="module")
def busiest(index, book) -> tuple[str, str]:
    return busiest_of(index, book)


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_calendar_page_screenshot(server, browser, artifacts, busiest, width):
    jurisdiction, role = busiest
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{server}calendar/{jurisdiction}/{role}/", wait_until="load")
    page.screenshot(path=str(artifacts / f"calendar-{jurisdiction}-{role}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "page scrolls sideways"
    assert not axe_problems(page)
    quarters = page.locator(".hb-quarter")
    assert quarters.count() == 4
    boxes = [quarters.nth(k).bounding_box() for k in range(4)]
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= width for b in boxes)
    if width >= 1280:  # side by side on a desktop, stacked on a phone
        assert boxes[0]["y"] == boxes[1]["y"]
    else:
        assert boxes[1]["y"] > boxes[0]["y"] + boxes[0]["height"] - 1
    context.close()


# The calendar index (/calendar/) at 360 and 1280 px — no sideways scroll, axe, screenshots —
# is one of test_browser.PAGES, checked at both widths there.


@pytest.mark.browser
def test_every_calendar_prints_on_one_a4_page(server, browser, artifacts, index, book, busiest, tmp_path):
    pdfinfo = pdf_tool("pdfinfo")
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    for jurisdiction, role, clauses in calendars(index, book):
        page.goto(f"{server}calendar/{jurisdiction}/{role}/", wait_until="load")
        page.emulate_media(media="print")
        target = tmp_path / f"{jurisdiction}-{role}.pdf"
        page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
        page.emulate_media(media="screen")
        info = dict(
            line.split(":", 1)
            for line in subprocess.run(
                [pdfinfo, str(target)], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if ":" in line
        )
        assert info["Pages"].strip() == "1", (jurisdiction, role, info["Pages"])
        width, height = (float(x) for x in re.findall(r"[\d.]+", info["Page size"])[:2])
        assert abs(width - A4_PT[0]) < 3 and abs(height - A4_PT[1]) < 3, (width, height)
        text = subprocess.run(
            [pdf_tool("pdftotext"), str(target), "-"], capture_output=True, text=True, check=True
        ).stdout
        squeezed = re.sub(r"\s+", "", text)
        for c in clauses:
            assert re.sub(r"\s+", "", c.title) in squeezed, (jurisdiction, role, c.id)
        if (jurisdiction, role) == busiest:
            (artifacts / f"calendar-{jurisdiction}-{role}-a4.pdf").write_bytes(target.read_bytes())
    context.close()
