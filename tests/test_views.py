"""View models without a build or a browser: the accountability chain each role page
shows, links that land on real pages and anchors, and templates that only lay out."""

from __future__ import annotations

import dataclasses
import posixpath
import re
from pathlib import Path

import pytest

from handbook import urls
from handbook.calendar import calendars
from handbook.pages import Page, Site
from handbook.urls import Urls
from handbook.views import home
from handbook.views.role_jurisdiction import role_jurisdiction_page

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "html-files"])
def site(request, index):
    return Site(index, directory_urls=request.param, with_pdfs=True)


@pytest.fixture(scope="module")
def pages(site) -> list[Page]:
    return site.pages()


def hrefs(view, path=()):
    """Every link a view model holds: fields named href or *_href, at any depth."""
    if dataclasses.is_dataclass(view) and not isinstance(view, type):
        for f in dataclasses.fields(view):
            value = getattr(view, f.name)
            if (f.name == "href" or f.name.endswith("_href")) and value is not None:
                yield (*path, f.name), value
            else:
                yield from hrefs(value, (*path, f.name))
    elif isinstance(view, tuple | list):
        for i, item in enumerate(view):
            yield from hrefs(item, (*path, i))


def resolve(site: Site, page: str, href: str) -> tuple[str, str]:
    """(site URL, anchor) a relative link on ``page`` points to."""
    target, _, anchor = href.partition("#")
    here = site.urls.url_of(page)
    base = here if here == "" or here.endswith("/") else posixpath.dirname(here)
    url = posixpath.normpath(posixpath.join("/" + base, target)) if target else "/" + here
    return url.strip("/"), anchor


def test_every_link_of_every_view_lands_on_a_page_or_file_and_anchor(site, pages):
    by_url = {site.urls.url_of(p.path).strip("/"): p for p in pages}
    files = {urls.DATA_JSON, urls.DATA_CSV} | {urls.checklist_pdf(name) for name in site.pdfs.values()}
    files |= {f"downloads/{name}" for papers in site.quiz_pdfs.values() for name in papers.values()}
    files |= {cal.ics_path for cal in calendars(site.ix) if cal.has_events}  # written by the hook
    # The home page's data-driven pieces are views too.
    home_links = site.urls.at("index.md")
    extra = [("index.md", home.role_table(site.ix, home_links)), ("index.md", home.quality_notes(site.ix, home_links))]
    checked = 0
    for path, view in [(p.path, p.view) for p in pages if p.view is not None] + extra:
        for where, href in hrefs(view):
            url, anchor = resolve(site, path, href)
            assert url in by_url or url in files, (path, where, href)
            if anchor:
                assert f'id="{anchor}"' in by_url[url].rendered.body, (path, where, href)
            checked += 1
    assert checked > len(pages)


def test_every_page_has_a_view(pages):
    assert all(p.view is not None for p in pages)
    assert all(p.rendered.front_matter.startswith("title: ") for p in pages)


def test_each_duty_shows_the_chain_the_data_declares(index, book):
    """Duty → triggers that link it and name the role → sanctions that apply to one of those
    triggers (or the article it is in) and fit the role: all shown, each once, on the page."""
    links = Urls().at("x.md")
    current = [c for d in book.documents.values() if d.current for c in d.clauses]
    for role in book.roles.values():
        for view in index.role_jurisdictions(role.id):
            page = role_jurisdiction_page(index, links, role, view)
            on_page = {card.clause.id for cards in (page.triggers, page.sanctions) for card in cards}
            assert [d.card.clause for d in page.duties] == [
                c for c in current if c.jurisdiction == view.id and c.kind == "duty" and role.id in c.roles
            ]
            for duty in page.duties:
                triggers = [c for c in current if duty.card.clause.id in c.links and role.id in c.roles]
                assert [t.clause for t in duty.triggers] == triggers, (role.id, duty.card.clause.id)
                sanctions = {
                    c.id
                    for c in current
                    if c.kind == "sanction"
                    and c.sanction
                    and c.jurisdiction == view.id
                    and (role.id in c.roles or not c.roles)
                    and any(
                        ref == t.id or t.id.startswith(ref + "-") for t in triggers for ref in c.sanction.applies_to
                    )
                }
                shown = [s.clause.id for s in duty.sanctions]
                assert len(shown) == len(set(shown)) and set(shown) == sanctions, (role.id, duty.card.clause.id)
                for link in duty.triggers + duty.sanctions:
                    assert link.href == f"#{link.clause.anchor}" and link.clause.id in on_page


def test_url_rules_match_mkdocs_for_both_url_styles():
    for directory_urls, expect in (
        (True, {"index.md": "", "roles/index.md": "roles/", "glossary.md": "glossary/", "roles/a/b.md": "roles/a/b/"}),
        (
            False,
            {
                "index.md": "index.html",
                "roles/index.md": "roles/index.html",
                "glossary.md": "glossary.html",
                "roles/a/b.md": "roles/a/b.html",
            },
        ),
    ):
        rules = Urls(directory_urls)
        assert {src: rules.url_of(src) for src in expect} == expect
    assert Urls().href("roles/a/b.md", "roles/a/index.md") == "../"
    assert Urls().href("roles/index.md", "roles/index.md", "x") == "./#x"
    assert Urls(False).href("roles/a/b.md", "sources/s.md", "c") == "../../sources/s.html#c"
    assert Urls().file_href("downloads.md", urls.DATA_JSON) == "handbook.json"  # downloads.md is downloads/
    assert Urls().file_href("index.md", urls.DATA_JSON) == "downloads/handbook.json"


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.j2")))
def test_templates_only_lay_out(template):
    text = (TEMPLATES / template).read_text("utf-8")
    assert not re.search(r"\bix\.", text), "templates take view models, not the index"
    assert "namespace(" not in text, "accumulation belongs in the view model"
    assert not re.search(r"\blink\(|\bclause_link\(|\bfile_link\(", text), "links come computed (handbook.urls)"
