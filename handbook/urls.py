"""Where every page lives: its docs source path, its URL, and links between pages.

The one place that knows MkDocs' URL rules (``use_directory_urls``) and the source path of
each generated page type. Views, the page list, the checklist code and the macros of the
hand-written pages all ask here; nothing else builds a path or a relative link.
"""

from __future__ import annotations

import posixpath

from .model import Clause

# -- source paths of the generated pages (docs-relative, as MkDocs names them) ---------

ROLES = "roles/index.md"
JURISDICTIONS = "jurisdictions/index.md"
SOURCES = "sources/index.md"
COMPARE = "compare/index.md"
GLOSSARY = "glossary.md"
DOWNLOADS = "downloads.md"
CALENDAR = "calendar/index.md"
THEMES = "themes/index.md"

# -- plain files of the built site (written by the hook, not pages) ---------------------

DATA_JSON = "downloads/handbook.json"
DATA_CSV = "downloads/handbook.csv"


def role(role_id: str) -> str:
    return f"roles/{role_id}/index.md"


def role_jurisdiction(role_id: str, jurisdiction: str) -> str:
    return f"roles/{role_id}/{jurisdiction}.md"


def jurisdiction(jurisdiction_id: str) -> str:
    return f"jurisdictions/{jurisdiction_id}.md"


def source(document: str) -> str:
    return f"sources/{document}.md"


def changes(document: str) -> str:
    return f"changes/{document}.md"


def compare(slug: str, part: int = 0) -> str:
    """A comparison's first part (all jurisdictions up to a page's width), then its others."""
    return f"compare/{slug}.md" if part == 0 else f"compare/{slug}/{part + 1}.md"


def theme(theme_id: str, part: int = 0) -> str:
    """A theme's page: its first part, then (many places) its others, as for comparisons."""
    return f"themes/{theme_id}.md" if part == 0 else f"themes/{theme_id}/{part + 1}.md"


def quiz(jurisdiction_id: str, role_id: str) -> str:
    return f"quizzes/{jurisdiction_id}/{role_id}.md"


def checklist(jurisdiction_id: str, role_id: str | None) -> str:
    return f"checklists/{jurisdiction_id}/{role_id or 'all'}.md"


def checklist_pdf(name: str) -> str:
    """A checklist PDF (``name`` as handbook.pages.pdf_key gives it, plus .pdf)."""
    return f"downloads/checklists/{name}"


class Urls:
    """MkDocs' URL rules for one build (directory URLs or ``.html`` files)."""

    def __init__(self, directory_urls: bool = True, site_url: str = ""):
        self.directory_urls = directory_urls
        # The published address (mkdocs.yml site_url, ending in /), for citations; "" when unset.
        self.site_url = site_url

    def url_of(self, src: str) -> str:
        """Site URL of a docs source path, as MkDocs computes it."""
        stem = src[:-3]
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index" or stem.endswith("/index"):
            return stem[:-5]
        return stem + "/"

    def _dir_of(self, page: str) -> str:
        here = self.url_of(page)
        return here if here == "" or here.endswith("/") else posixpath.dirname(here)

    def href(self, page: str, target: str, anchor: str | None = None) -> str:
        """Relative link from the page with source ``page`` to source ``target``."""
        there = self.url_of(target)
        rel = posixpath.relpath("/" + there, "/" + self._dir_of(page))
        if there == "" or there.endswith("/"):
            rel = rel + "/" if rel != "." else "./"
        return rel + (f"#{anchor}" if anchor else "")

    def file_href(self, page: str, path: str) -> str:
        """Relative link from a page to a plain file of the built site (downloads)."""
        return posixpath.relpath("/" + path, "/" + self._dir_of(page))

    def at(self, page: str) -> Links:
        """The links of one page."""
        return Links(self, page)


class Links:
    """Relative links from one page (source path ``page``) to pages, anchors and files."""

    def __init__(self, urls: Urls, page: str):
        self.urls = urls
        self.page = page

    def to(self, target: str, anchor: str | None = None) -> str:
        return self.urls.href(self.page, target, anchor)

    def file(self, path: str) -> str:
        return self.urls.file_href(self.page, path)

    def clause(self, clause: Clause) -> str:
        """A clause where it stands in full: its anchor on its source page."""
        return self.to(source(clause.document), clause.anchor)

    def absolute_clause(self, clause: Clause) -> str | None:
        """The clause's published address (for citations), or None when site_url is unset.
        The published site has directory URLs whatever this build uses (offline builds)."""
        if not self.urls.site_url:
            return None
        return self.urls.site_url + Urls(True).url_of(source(clause.document)) + "#" + clause.anchor
