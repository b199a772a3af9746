"""下载: the dataset files, every checklist with its PDF, every quiz with its PDFs."""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..calendar import RoleCalendar
from ..index import Index, JurisdictionView
from ..urls import Links
from .currency import chinese_date


@dataclass(frozen=True)
class Checklist:
    label: str
    href: str
    pdf_href: str | None  # None when this build makes no PDF of it


@dataclass(frozen=True)
class JurisdictionChecklists:
    view: JurisdictionView
    checklists: tuple[Checklist, ...]  # each role with content, then the booklet of all


@dataclass(frozen=True)
class QuizLink:
    label: str  # the role
    href: str
    pdfs: tuple[tuple[str, str], ...]  # (paper label, href); empty when this build makes no PDF


@dataclass(frozen=True)
class JurisdictionQuizzes:
    view: JurisdictionView
    quizzes: tuple[QuizLink, ...]


@dataclass(frozen=True)
class CalendarLink:
    name: str  # role · place
    file: str  # the .ics file's name
    ics_href: str
    href: str  # the calendar's web page


@dataclass(frozen=True)
class DownloadsPage:
    title: str
    data_date: str | None  # e.g. 2026年11月23日: when data/ was last committed; None when unknown
    json_href: str
    csv_href: str
    jurisdictions: tuple[JurisdictionChecklists, ...]
    quizzes: tuple[JurisdictionQuizzes, ...]
    calendars: tuple[CalendarLink, ...]


def downloads_page(
    ix: Index,
    links: Links,
    checklists: list[tuple[str, str | None]],
    pdfs: dict[tuple[str, str | None], str],
    quizzes: list[tuple[str, str]],
    quiz_pdfs: dict[str, dict[str, str]],
    calendars: list[RoleCalendar],
) -> DownloadsPage:
    """``checklists``: (jurisdiction, role or None) of every checklist, in page order;
    ``pdfs``: the PDF file name of those that have one in this build; ``quizzes``:
    (jurisdiction, role) of every quiz; ``quiz_pdfs``: "<jurisdiction>-<role>" -> {paper:
    file under downloads/} of those whose PDFs this build makes; ``calendars``: those with
    an .ics file."""

    def entry(jurisdiction: str, role: str | None) -> Checklist:
        pdf = pdfs.get((jurisdiction, role))
        return Checklist(
            ix.book.roles[role].short if role else "全部角色合订本",
            links.to(urls.checklist(jurisdiction, role)),
            links.file(urls.checklist_pdf(pdf)) if pdf else None,
        )

    def quiz_link(jurisdiction: str, role: str) -> QuizLink:
        files = quiz_pdfs.get(f"{jurisdiction}-{role}", {})
        return QuizLink(
            ix.book.roles[role].short,
            links.to(urls.quiz(jurisdiction, role)),
            tuple((f"{paper.upper()} PDF", links.file(f"downloads/{name}")) for paper, name in files.items()),
        )

    return DownloadsPage(
        "下载",
        chinese_date(ix.book.data_date) if ix.book.data_date else None,
        links.file(urls.DATA_JSON),
        links.file(urls.DATA_CSV),
        tuple(
            JurisdictionChecklists(v, tuple(entry(j, r) for j, r in checklists if j == v.id))
            for v in ix.jurisdictions.values()
        ),
        tuple(
            JurisdictionQuizzes(v, tuple(quiz_link(j, r) for j, r in quizzes if j == v.id))
            for v in ix.jurisdictions.values()
        ),
        tuple(
            CalendarLink(cal.name, f"{cal.slug}.ics", links.file(cal.ics_path), links.to(cal.page)) for cal in calendars
        ),
    )
