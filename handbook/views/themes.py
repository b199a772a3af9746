"""专题: the theme × jurisdiction matrix (/themes/) and one page per theme listing its
clauses, place by place.

A theme is a tag an editor puts on a clause (data/themes.yml, ``themes:`` of a clause);
both pages count and list the clauses of the current documents, as the role and
comparison pages do. Adding a theme or a jurisdiction is data only.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..index import Index, JurisdictionView
from ..model import Clause, Theme
from ..urls import Links
from .common import ClauseLink, Link, Pager, clause_link, pager, role_names
from .compare import PartLink, part_links

# Shading steps for non-zero counts (hb-heat-1 … hb-heat-4): fixed bands, so a colour
# means the same on every build, whatever the largest count.
BANDS = ((1, "1 条"), (2, "2–3 条"), (4, "4–7 条"), (8, "8 条及以上"))  # (lowest count, legend)
# Places per theme page: a theme's clauses in every place make one page of 1.4 MB at 200
# places; more places, more parts (each linked from the others and from the matrix).
PLACES_PER_PAGE = 25


@dataclass(frozen=True)
class Cell:
    count: int
    href: str | None  # the theme page at this jurisdiction's section; None when it has none
    shade: int  # 0 for none, else the band (1…4)


@dataclass(frozen=True)
class MatrixRow:
    theme: Theme
    href: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class ThemesIndex:
    title: str
    columns: tuple[JurisdictionView, ...]
    rows: tuple[MatrixRow, ...]
    legend: tuple[tuple[int, str], ...]  # (shade, what it means)


@dataclass(frozen=True)
class ThemeItem:
    link: ClauseLink
    roles: tuple[str, ...]  # short names of the roles it names


@dataclass(frozen=True)
class PlaceGroup:
    view: JurisdictionView
    anchor: str
    href: str  # the jurisdiction's page
    items: tuple[ThemeItem, ...]


@dataclass(frozen=True)
class ThemePage:
    title: str
    theme: Theme
    index_href: str
    parts: tuple[PartLink, ...]  # empty when every place fits on one page
    groups: tuple[PlaceGroup, ...]  # places of this part with clauses of the theme
    silent: tuple[Link, ...]  # places of this part whose current documents have none
    pager: Pager


def theme_clauses(ix: Index, theme: str, jurisdiction: str) -> list[Clause]:
    """The current clauses of a jurisdiction tagged with the theme, in source order."""
    return [c for c in ix.current_clauses(jurisdiction) if theme in c.themes]


def place_anchor(view: JurisdictionView) -> str:
    return f"in-{view.id}"


def place_chunks(ix: Index) -> list[list[JurisdictionView]]:
    """The places of each part of a theme page, in the order of the matrix's columns."""
    views = list(ix.jurisdictions.values())
    return [views[i : i + PLACES_PER_PAGE] for i in range(0, len(views), PLACES_PER_PAGE)] or [[]]


def theme_parts(ix: Index) -> int:
    return len(place_chunks(ix))


def shade(count: int) -> int:
    return sum(1 for lowest, _ in BANDS if count >= lowest)


def themes_index(ix: Index, links: Links) -> ThemesIndex:
    columns = tuple(ix.jurisdictions.values())
    counts = {theme: [len(theme_clauses(ix, theme, v.id)) for v in columns] for theme in ix.book.themes}
    part_of = {v.id: i for i, chunk in enumerate(place_chunks(ix)) for v in chunk}
    rows = tuple(
        MatrixRow(
            theme,
            links.to(urls.theme(theme.id)),
            tuple(
                Cell(n, links.to(urls.theme(theme.id, part_of[v.id]), place_anchor(v)) if n else None, shade(n))
                for n, v in zip(counts[theme.id], columns, strict=True)
            ),
        )
        for theme in ix.book.themes.values()
    )
    return ThemesIndex("专题", columns, rows, tuple((i + 1, label) for i, (_, label) in enumerate(BANDS)))


def theme_page(ix: Index, links: Links, theme: Theme, part: int = 0) -> ThemePage:
    chunks = place_chunks(ix)
    parts = part_links(links, chunks, [urls.theme(theme.id, i) for i in range(len(chunks))], part)
    groups, silent = [], []
    for view in chunks[part]:
        clauses = theme_clauses(ix, theme.id, view.id)
        href = links.to(urls.jurisdiction(view.id))
        if clauses:
            items = tuple(ThemeItem(clause_link(links, c), role_names(ix.book, c)) for c in clauses)
            groups.append(PlaceGroup(view, place_anchor(view), href, items))
        else:
            silent.append(Link(view.name, href))
    series = [(t.label, urls.theme(t.id)) for t in ix.book.themes.values()]
    return ThemePage(
        f"专题：{theme.label}",
        theme,
        links.to(urls.THEMES),
        parts,
        tuple(groups),
        tuple(silent),
        pager(links, series, urls.theme(theme.id)),
    )
