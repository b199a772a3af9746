"""The page list: which generated pages the site has, in what order, and the view and
template of each.

Returns plain (path, rendered) pairs; the MkDocs hook only turns them into files. What a
page shows is its view model (handbook.views), where it lives is handbook.urls, and the
Jinja environment is handbook.render.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import calendar, urls
from .index import Index
from .pdf import PdfJob
from .quiz import Quiz, quiz, quiz_keys
from .render import BYTECODE, Rendered, Renderer
from .urls import Urls
from .views.calendar import calendar_index, calendar_page
from .views.changes import changes_page, diff_rows
from .views.checklist import checklist_page
from .views.compare import COMPARISONS, compare_index, compare_page, compare_parts
from .views.downloads import downloads_page
from .views.glossary import glossary_page
from .views.jurisdictions import jurisdiction_page, jurisdictions_index
from .views.quiz import quiz_page as quiz_view
from .views.role_jurisdiction import role_jurisdiction_page
from .views.roles import role_page, roles_index
from .views.sources import source_page, sources_index
from .views.themes import theme_page, theme_parts, themes_index

__all__ = ["BYTECODE", "COMPARISONS", "Page", "Rendered", "Site", "checklist_keys", "diff_rows", "pdf_key"]


@dataclass(frozen=True)
class Page:
    path: str  # docs-relative source path, e.g. "roles/secretary/yiwu.md"
    rendered: Rendered
    in_nav: bool = False
    view: Any = None  # the view model the template laid out

    @property
    def markdown(self) -> str:
        """The page as a Markdown file with front matter (what a hand-written page would be)."""
        return f"---\n{self.rendered.front_matter}---\n\n{self.rendered.body}"


class Site:
    """One build's generated pages: the page list, the checklists and their PDFs."""

    def __init__(self, index: Index, directory_urls: bool = True, with_pdfs: bool = False, site_url: str = ""):
        self.ix = index
        # MkDocs' site_url: the address printed on cards and encoded in their QR codes.
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self._checklists: dict[tuple, Page] = {}
        self._quizzes: dict[tuple, Quiz] = {}
        self.book = index.book
        self.urls = Urls(directory_urls, self.site_url)
        self.renderer = Renderer(index.book)
        # Each role's duty calendar in each place: its pages, its links, its .ics file.
        self.calendars = {(cal.view.id, cal.role.id): cal for cal in calendar.calendars(index)}
        # "<jurisdiction>-<role or all>" -> PDF file name, for the checklists whose PDF is made
        self.pdfs = {pdf_key(j, r): pdf_key(j, r) + ".pdf" for j, r in checklist_keys(index)} if with_pdfs else {}
        # "<jurisdiction>-<role>" -> {paper: file under downloads/}, for the quizzes whose PDFs are made
        self.quiz_pdfs = (
            {f"{j}-{r}": {paper: f"quizzes/{j}-{r}-{paper}.pdf" for paper in QUIZ_PAPERS} for j, r in quiz_keys(index)}
            if with_pdfs
            else {}
        )

    # -- rendering ----------------------------------------------------------------

    def view_page(self, src: str, template: str, view: Any, in_nav: bool = False, searchable: bool = True) -> Page:
        """A page whose template lays out a view model (``view.title`` is its title)."""
        return Page(src, self.renderer.page(template, view.title, searchable, page=view), in_nav, view)

    def checklist(self, jurisdiction: str, role: str | None) -> Page:
        """A role's checklist, or (role None) the jurisdiction's booklet of all its roles.

        Rendered once per build: the web page and the PDF share this body."""
        key = (jurisdiction, role)
        if key not in self._checklists:
            src = urls.checklist(jurisdiction, role)
            view = checklist_page(
                self.ix,
                self.urls.at(src),
                self.ix.jurisdictions[jurisdiction],
                self.book.roles[role] if role else None,
                self.pdfs.get(pdf_key(jurisdiction, role)),
                self.quiz_pdfs,
                self.site_url,
            )
            self._checklists[key] = self.view_page(src, "checklist.md.j2", view, searchable=False)
        return self._checklists[key]

    def checklist_body(self, jurisdiction: str, role: str | None) -> str:
        """The checklist HTML alone (for the PDF), identical to the web page's."""
        return self.checklist(jurisdiction, role).rendered.body

    def quiz(self, jurisdiction: str, role: str) -> Quiz:
        if (jurisdiction, role) not in self._quizzes:
            self._quizzes[jurisdiction, role] = quiz(self.ix, jurisdiction, self.book.roles[role])
        return self._quizzes[jurisdiction, role]

    def quiz_page(self, jurisdiction: str, role: str, paper: str | None = None) -> Page:
        """The quiz as a web page (answers revealed on tap), or (paper "a6"/"a4") the body of
        its PDF: questions first, the answer key on pages of its own, then a notes area."""
        q = self.quiz(jurisdiction, role)
        src = urls.quiz(jurisdiction, role)
        view = quiz_view(self.ix, self.urls.at(src), q, paper, self.quiz_pdfs.get(q.key, {}))
        return self.view_page(src, "quiz.md.j2", view, searchable=False)

    def pdf_jobs(self) -> list[PdfJob]:
        """Every PDF this build links (names relative to downloads/): the complete HTML
        WeasyPrint renders, or for a booklet the cards it is made of."""
        jobs: list[PdfJob] = []
        cards: list[PdfJob] = []  # the role cards of the place in hand, for its booklet
        for jurisdiction, role in checklist_keys(self.ix):
            key = pdf_key(jurisdiction, role)
            if key not in self.pdfs:
                continue
            name, title = "checklists/" + self.pdfs[key], f"{jurisdiction} {role or 'all'}"
            if role is None and cards:
                # The booklet is the place's role cards (its web page shows the same sheets).
                jobs.append(PdfJob(name, parts=tuple(cards), title=title))
            else:
                sheet = Markup(self.checklist_body(jurisdiction, role))
                jobs.append(PdfJob(name, self.renderer.text("checklist_pdf.html.j2", title=title, body=sheet)))
            cards = [] if role is None else [*cards, jobs[-1]]
        for jurisdiction, role in quiz_keys(self.ix):
            for paper, name in self.quiz_pdfs.get(f"{jurisdiction}-{role}", {}).items():
                body = self.quiz_page(jurisdiction, role, paper).rendered.body
                jobs.append(
                    PdfJob(
                        name,
                        self.renderer.text(
                            "checklist_pdf.html.j2", title=f"{jurisdiction} {role} quiz {paper}", body=Markup(body)
                        ),
                    )
                )
        return jobs

    def pages(self) -> list[Page]:
        """Every generated page, in order."""
        ix, at, out = self.ix, self.urls.at, []
        calendars = self.calendars
        out.append(self.view_page(urls.ROLES, "roles.md.j2", roles_index(ix, at(urls.ROLES)), in_nav=True))
        for role in self.book.roles.values():
            src = urls.role(role.id)
            out.append(self.view_page(src, "role.md.j2", role_page(ix, at(src), role)))
            for view in ix.role_jurisdictions(role.id):
                src = urls.role_jurisdiction(role.id, view.id)
                # Its clauses are indexed on their source page; the role page is found by name.
                cal = calendars.get((view.id, role.id))
                out.append(
                    self.view_page(
                        src,
                        "role_jurisdiction.md.j2",
                        role_jurisdiction_page(ix, at(src), role, view, cal.page if cal else None),
                        searchable=False,
                    )
                )
        out.append(
            self.view_page(
                urls.JURISDICTIONS, "jurisdictions.md.j2", jurisdictions_index(ix, at(urls.JURISDICTIONS)), in_nav=True
            )
        )
        for view in ix.jurisdictions.values():
            src = urls.jurisdiction(view.id)
            out.append(self.view_page(src, "jurisdiction.md.j2", jurisdiction_page(ix, at(src), view)))
        out.append(self.view_page(urls.SOURCES, "sources.md.j2", sources_index(ix, at(urls.SOURCES)), in_nav=True))
        for doc in self.book.documents.values():
            src = urls.source(doc.id)
            out.append(self.view_page(src, "source.md.j2", source_page(ix, at(src), doc)))
            if doc.supersedes:
                src = urls.changes(doc.id)
                out.append(
                    self.view_page(
                        src, "changes.md.j2", changes_page(at(src), doc, self.book.documents[doc.supersedes])
                    )
                )
        out.append(self.view_page(urls.COMPARE, "compare_index.md.j2", compare_index(at(urls.COMPARE)), in_nav=True))
        for slug in COMPARISONS:
            for part in range(compare_parts(ix, slug)):
                src = urls.compare(slug, part)
                out.append(self.view_page(src, "compare.md.j2", compare_page(ix, at(src), slug, part)))
        out += self.theme_pages()
        out.append(self.view_page(urls.GLOSSARY, "glossary.md.j2", glossary_page(ix, at(urls.GLOSSARY)), in_nav=True))
        keys = checklist_keys(ix)
        out += [self.checklist(jurisdiction, role) for jurisdiction, role in keys]
        out += [self.quiz_page(jurisdiction, role) for jurisdiction, role in quiz_keys(ix)]
        out += self.calendar_pages(list(calendars.values()))
        pdfs = {(j, r): self.pdfs[pdf_key(j, r)] for j, r in keys if pdf_key(j, r) in self.pdfs}
        out.append(
            self.view_page(
                urls.DOWNLOADS,
                "downloads.md.j2",
                downloads_page(
                    ix,
                    at(urls.DOWNLOADS),
                    keys,
                    pdfs,
                    quiz_keys(ix),
                    self.quiz_pdfs,
                    [cal for cal in calendars.values() if cal.has_events],
                ),
                in_nav=True,
            )
        )
        return out

    def theme_pages(self) -> list[Page]:
        """/themes/ (the theme × jurisdiction matrix) and one page per theme."""
        at = self.urls.at
        out = [self.view_page(urls.THEMES, "themes.md.j2", themes_index(self.ix, at(urls.THEMES)), in_nav=True)]
        for theme in self.book.themes.values():
            for part in range(theme_parts(self.ix)):
                src = urls.theme(theme.id, part)
                # Its clauses are indexed on their source pages; the page is found by its name.
                out.append(self.view_page(src, "themes_page.md.j2", theme_page(self.ix, at(src), theme, part)))
        return out

    def calendar_pages(self, calendars: list[calendar.RoleCalendar]) -> list[Page]:
        """/calendar/ (all calendars and the cadence comparison) and one page per role and jurisdiction."""
        at = self.urls.at
        index = calendar_index(self.ix, at(urls.CALENDAR), calendars, calendar.cadence_comparison(self.ix))
        out = [self.view_page(urls.CALENDAR, "calendar_index.md.j2", index, in_nav=True)]
        # A role's calendar repeats its clauses' titles, which are indexed on the source pages.
        out += [
            self.view_page(cal.page, "calendar.md.j2", calendar_page(at(cal.page), cal), searchable=False)
            for cal in calendars
        ]
        return out


def checklist_keys(ix: Index) -> list[tuple[str, str | None]]:
    """Every checklist of the site, in page order: each role of each jurisdiction that has
    content for it, then (role None) the jurisdiction's booklet of all its roles."""
    keys: list[tuple[str, str | None]] = []
    for view in ix.jurisdictions.values():
        keys += [(view.id, role.id) for role in ix.book.roles.values() if ix.has_content(role.id, view.id)]
        keys.append((view.id, None))
    return keys


QUIZ_PAPERS = ("a6", "a4")


def pdf_key(jurisdiction: str, role: str | None) -> str:
    return f"{jurisdiction}-{role or 'all'}"
