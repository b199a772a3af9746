"""跨地区对照: one theme × jurisdiction table per kind of clause, a summary computed from
the data, and for sanctions each place's ladders, clause by clause in the source's words."""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..index import Index, JurisdictionView
from ..model import Clause
from ..urls import Links
from .common import ClauseLink, Ladder, Link, Pager, clause_link, ladder

# The kinds /compare/circumstances/ mixes, in the words a reader uses: each entry is tagged
# with one, the summary table has a column for each and the page a table for each.
CIRCUMSTANCE_KINDS = {
    "double_accountability": "一案双查",
    "aggravating": "从重",
    "mitigating": "从轻减轻",
    "exemption": "免责",
}
COMPARISONS = {
    # slug: (title, kinds, split by role)
    "duties": ("职责对照", ("duty",), True),
    "triggers": ("追究情形对照", ("trigger",), True),
    "sanctions": ("追究方式对照", ("sanction",), False),
    "circumstances": ("从重、从轻、免责与一案双查对照", tuple(CIRCUMSTANCE_KINDS), False),
    "systems": ("保障制度对照", ("system",), False),
}
TARGETS = {"collective": "领导班子", "individual": "领导干部", "both": "领导班子和领导干部"}
# Jurisdictions side by side on one comparison page. A wider table cannot be read, and a
# page of all of them grows with the data (2 MB at 200 places): more places, more parts,
# each a plain page readable without JavaScript.
COLUMNS_PER_PAGE = 10


@dataclass(frozen=True)
class CompareIndex:
    title: str
    comparisons: tuple[Link, ...]


def compare_index(links: Links) -> CompareIndex:
    return CompareIndex(
        "跨地区对照",
        tuple(Link(title, links.to(urls.compare(slug))) for slug, (title, _kinds, _by_role) in COMPARISONS.items()),
    )


@dataclass(frozen=True)
class GridRow:
    theme: str  # label
    cells: tuple[tuple[ClauseLink, ...], ...]  # per column


@dataclass(frozen=True)
class Grid:
    anchor: str
    heading: str
    caption: str
    rows: tuple[GridRow, ...]
    kind_tags: dict[str, str]  # kind -> its tag on each entry, when the page mixes kinds


@dataclass(frozen=True)
class KindCount:
    count: int
    href: str  # the first such clause, in its source


@dataclass(frozen=True)
class KindRow:
    place: JurisdictionView
    cells: tuple[KindCount | None, ...]  # per kind of KindSummary.kinds; None: 未规定


@dataclass(frozen=True)
class KindSummary:
    """Who has what, per place: a count per kind, linked; the first thing the page answers."""

    kinds: tuple[tuple[str, str], ...]  # (kind, label), the columns
    rows: tuple[KindRow, ...]


@dataclass(frozen=True)
class ClauseLadder:
    """One sanction clause with its own ladder, steps worded as the source words them."""

    link: ClauseLink
    target: str | None  # whom it is for (领导班子, 领导干部, both), when the data say
    ladder: Ladder


@dataclass(frozen=True)
class PlaceLadders:
    place: JurisdictionView
    clauses: tuple[ClauseLadder, ...]


@dataclass(frozen=True)
class PartLink:
    label: str  # the first and last place of the part
    href: str
    current: bool


@dataclass(frozen=True)
class ComparePage:
    title: str
    parts: tuple[PartLink, ...]  # empty when every place fits on one page
    columns: tuple[JurisdictionView, ...]  # jurisdictions with such clauses first, the others last
    missing: tuple[JurisdictionView, ...]  # those without, when some have them
    summary: tuple[str, ...]
    kinds: KindSummary | None  # circumstances only
    ladders: tuple[PlaceLadders, ...]  # sanctions only: the places of this part that have any
    grids: tuple[Grid, ...]

    @property
    def pager(self) -> Pager:
        """The previous and next part of a comparison split by place."""
        at = next((i for i, p in enumerate(self.parts) if p.current), None)
        if at is None:
            return Pager(None, None)
        near = [self.parts[i] if 0 <= i < len(self.parts) else None for i in (at - 1, at + 1)]
        previous, following = (Link(f"{self.title}（{p.label}）", p.href) if p else None for p in near)
        return Pager(previous, following)


def acts_as(clause: Clause, kinds) -> bool:
    """A trigger stating its own sanction is compared both as a trigger and as a sanction."""
    return any(a in kinds for a in clause.aspects)


def compare_summary(ix: Index, slug: str) -> list[str]:
    """A few sentences on real differences, computed from the data."""
    views = list(ix.jurisdictions.values())
    name = {v.id: v.short for v in views}
    kinds = COMPARISONS[slug][1]
    places = ix.places
    counts = {v.id: sum(1 for c in ix.current_clauses(v.id) if acts_as(c, kinds)) for v in views}
    lines = ["条数：" + "，".join(f"{name[j]} {n}" for j, n in counts.items()) + "。"]
    missing = [name[j] for j, n in counts.items() if n == 0]
    if missing:
        lines.append(f"没有这类条文的{places}：" + "、".join(missing) + "。")
    grid = ix.grid(kinds)
    everywhere = [
        ix.book.themes[t].label for t, row in grid.items() if all(row.get(v.id) for v in views if counts[v.id])
    ]
    if everywhere:
        lines.append(f"有这类条文的{places}都涉及的主题：" + "、".join(everywhere) + "。")
    only = [f"{ix.book.themes[t].label}（仅{name[next(iter(row))]}）" for t, row in grid.items() if len(row) == 1]
    if only:
        lines.append(f"只有一个{places}规定的主题：" + "、".join(only) + "。")
    if slug in ("circumstances", "sanctions"):
        for kind, label in (
            ("exemption", "免责（免予追究、不承担责任）"),
            ("aggravating", "从重情节"),
            ("mitigating", "从轻减轻情节"),
        ):
            having = [name[v.id] for v in views if any(c.kind == kind for c in ix.current_clauses(v.id))]
            lines.append(f"规定{label}的{places}：{'、'.join(having) if having else '无'}。")
        restricted = [
            name[v.id] for v in views if any(c.sanction and c.sanction.restrictions for c in ix.current_clauses(v.id))
        ]
        if slug == "sanctions":
            lines.append(f"规定受追究后任职限制期的{places}：{'、'.join(restricted) if restricted else '无'}。")
    return lines


def kind_summary(ix: Index, links: Links, columns: list[JurisdictionView]) -> KindSummary:
    def cell(view: JurisdictionView, kind: str) -> KindCount | None:
        found = [c for c in ix.current_clauses(view.id) if c.kind == kind]
        return KindCount(len(found), links.clause(found[0])) if found else None

    return KindSummary(
        tuple(CIRCUMSTANCE_KINDS.items()),
        tuple(KindRow(v, tuple(cell(v, kind) for kind in CIRCUMSTANCE_KINDS)) for v in columns),
    )


def place_ladders(ix: Index, links: Links, view: JurisdictionView) -> PlaceLadders:
    """A place's sanction clauses in source order, each with its ladder."""
    return PlaceLadders(
        view,
        tuple(
            ClauseLadder(
                clause_link(links, c),
                TARGETS.get(c.sanction.target or "") if c.sanction else None,
                lad,
            )
            for c in ix.current_clauses(view.id)
            if "sanction" in c.aspects and (lad := ladder(ix.book, c))
        ),
    )


def compare_columns(ix: Index, slug: str) -> tuple[list[JurisdictionView], list[JurisdictionView]]:
    """(every jurisdiction in column order, those without such clauses). Jurisdictions with
    such clauses come first and those without last, so that on a phone the columns first in
    view are not all “未规定”."""
    kinds = COMPARISONS[slug][1]
    having = [v for v in ix.jurisdictions.values() if any(acts_as(c, kinds) for c in ix.current_clauses(v.id))]
    missing = [v for v in ix.jurisdictions.values() if v not in having]
    return having + missing, (missing if having else [])


def part_links(links: Links, chunks: list[list[JurisdictionView]], pages: list[str], part: int) -> tuple[PartLink, ...]:
    """The links between the parts of a page split by place (none when it is one part):
    each labelled by its first and last place, ``pages`` their source paths."""
    if len(chunks) < 2:
        return ()
    return tuple(
        PartLink(
            f"{chunk[0].short}—{chunk[-1].short}" if len(chunk) > 1 else chunk[0].short,
            links.to(page),
            i == part,
        )
        for i, (chunk, page) in enumerate(zip(chunks, pages, strict=True))
    )


def compare_parts(ix: Index, slug: str) -> int:
    return max(1, -(-len(ix.jurisdictions) // COLUMNS_PER_PAGE))


def compare_page(ix: Index, links: Links, slug: str, part: int = 0) -> ComparePage:
    title, kinds, by_role = COMPARISONS[slug]
    everyone, without = compare_columns(ix, slug)
    chunks = [everyone[i : i + COLUMNS_PER_PAGE] for i in range(0, len(everyone), COLUMNS_PER_PAGE)] or [[]]
    columns = chunks[part]
    missing = [v for v in columns if v in without]
    parts = part_links(links, chunks, [urls.compare(slug, i) for i in range(len(chunks))], part)

    tags = CIRCUMSTANCE_KINDS if slug == "circumstances" else {}

    def grid(anchor: str, heading: str, caption: str, table: dict[str, dict[str, list[Clause]]]) -> Grid:
        return Grid(
            anchor,
            heading,
            caption,
            tuple(
                GridRow(
                    ix.book.themes[theme].label,
                    tuple(tuple(clause_link(links, c) for c in row.get(v.id, [])) for v in columns),
                )
                for theme, row in table.items()
            ),
            tags,
        )

    ladders = tuple(p for v in columns if (p := place_ladders(ix, links, v)).clauses) if slug == "sanctions" else ()
    if by_role:
        grids = tuple(
            grid(role.id, role.label, f"{role.label}：{title}", table)
            for role in ix.book.roles.values()
            if (table := ix.grid(kinds, role.id))
        )
    elif slug == "circumstances":
        grids = tuple(
            grid(kind, label, f"{label}：各地对照", table)
            for kind, label in CIRCUMSTANCE_KINDS.items()
            if (table := ix.grid((kind,)))
        )
    else:
        grids = (grid("by-theme", "按主题", title, ix.grid(kinds)),)
    return ComparePage(
        title,
        parts,
        tuple(columns),
        tuple(missing),
        tuple(compare_summary(ix, slug)),
        kind_summary(ix, links, columns) if slug == "circumstances" else None,
        ladders,
        grids,
    )
