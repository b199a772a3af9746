"""Small helpers for the hand-written pages (home, about): counts and link tables.

The data come as view models (handbook.views.home) and are laid out by the macros of
templates/home.html.j2, with Jinja's autoescaping; data text is never fed back into the
template engine of the page.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from handbook import DataError
from handbook.cache import load_cached
from handbook.index import Index
from handbook.render import Renderer
from handbook.urls import Links, Urls
from handbook.views import currency, home

ROOT = Path(__file__).resolve().parent.parent

_last_good: Index | None = None  # under mkdocs serve: the last good data, kept when an edit breaks it


def define_env(env):
    global _last_good
    try:
        ix = _last_good = Index(load_cached(ROOT))
    except DataError:
        if _last_good is None:
            return  # no page can be rendered: the hook reports the problems and stops the build
        ix = _last_good  # the hook reports the problems; serve goes on with the last good data
    urls = Urls(env.conf.use_directory_urls)
    layout = Renderer(ix.book).env.get_template("home.html.j2").module

    def links() -> Links:
        """Links from the page being rendered."""
        return urls.at(env.page.file.src_uri)

    @env.macro
    def count(kind: str) -> int:
        return sum(1 for c in ix.current_clauses() if c.kind == kind)

    @env.macro
    def totals() -> str:
        return f"{len(ix.jurisdictions)} 个{ix.places}、{len(ix.book.documents)} 份文件、{len(ix.clauses)} 个条款"

    @env.macro
    def who_is_who() -> Markup:
        """Every role of data/roles.yml: name, other names, description, link."""
        return Markup(layout.who_is_who(home.who_is_who(ix, links())))  # type: ignore[attr-defined]

    @env.macro
    def role_table() -> Markup:
        """Role × jurisdiction grid of links: the quickest way to one's own page."""
        return Markup(layout.role_table(home.role_table(ix, links())))  # type: ignore[attr-defined]

    @env.macro
    def central_rules() -> Markup:
        """The editorial note on the central rules (data/central_rules.yml) and whom they postdate."""
        return Markup(layout.central_rules(currency.central_rules(ix.book)))  # type: ignore[attr-defined]

    @env.macro
    def quality_notes() -> Markup:
        """Honest notes on the sources, computed from the data."""
        return Markup(layout.quality_notes(home.quality_notes(ix, links())))  # type: ignore[attr-defined]
