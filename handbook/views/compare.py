"""跨地区对照: one theme × jurisdiction table per kind of clause, a summary computed from
the data, and for sanctions the ladder of measures by severity."""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..index import Index, JurisdictionView
from ..model import SEVERITY_LABELS, Clause
from ..urls import Links
from .common import ClauseLink, Link, Pager, clause_link, measure_labels

COMPARISONS = {
    # slug: (title, kinds, split by role)
    "duties": ("职责对照", ("duty",), True),
    "triggers": ("追究情形对照", ("trigger",), True),
    "sanctions": ("追究方式对照", ("sanction",), False),
    "circumstances": (
        "从重、从轻、免责与一案双查对照",
        ("aggravating", "mitigating", "exemption", "double_accountability"),
        False,
    ),
    "systems": ("保障制度对照", ("system",), False),
}
TARGETS = (("collective", "领导班子"), ("individual", "领导干部"))
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


@dataclass(frozen=True)
class LadderCell:
    measures: str  # labels joined with 、
    href: str  # the sanction clause


@dataclass(frozen=True)
class LadderRow:
    target: str  # label
    severity: str  # label
    cells: tuple[tuple[LadderCell, ...], ...]  # per column


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
    ladder: tuple[LadderRow, ...]  # sanctions only
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


def compare_summary(ix: Index, slug: str) -> list[str]:
    """A few sentences on real differences, computed from the data."""
    views = list(ix.jurisdictions.values())
    name = {v.id: v.short for v in views}
    kinds = COMPARISONS[slug][1]
    counts = {v.id: sum(1 for c in ix.current_clauses(v.id) if c.kind in kinds) for v in views}
    lines = ["条数：" + "，".join(f"{name[j]} {n}" for j, n in counts.items()) + "。"]
    missing = [name[j] for j, n in counts.items() if n == 0]
    if missing:
        lines.append("没有这类条文的地区：" + "、".join(missing) + "。")
    grid = ix.grid(kinds)
    everywhere = [
        ix.book.themes[t].label for t, row in grid.items() if all(row.get(v.id) for v in views if counts[v.id])
    ]
    if everywhere:
        lines.append("有这类条文的地区都涉及的主题：" + "、".join(everywhere) + "。")
    only = [f"{ix.book.themes[t].label}（仅{name[next(iter(row))]}）" for t, row in grid.items() if len(row) == 1]
    if only:
        lines.append("只有一个地区规定的主题：" + "、".join(only) + "。")
    if slug in ("circumstances", "sanctions"):
        for kind, label in (
            ("exemption", "免责（免予追究、不承担责任）"),
            ("aggravating", "从重情节"),
            ("mitigating", "从轻减轻情节"),
        ):
            having = [name[v.id] for v in views if any(c.kind == kind for c in ix.current_clauses(v.id))]
            lines.append(f"规定{label}的地区：{'、'.join(having) if having else '无'}。")
        restricted = [
            name[v.id] for v in views if any(c.sanction and c.sanction.restrictions for c in ix.current_clauses(v.id))
        ]
        if slug == "sanctions":
            lines.append(f"规定受追究后任职限制期的地区：{'、'.join(restricted) if restricted else '无'}。")
    return lines


def ladder_cells(ix: Index, jurisdiction: str, target: str, severity: str) -> list[tuple[Clause, tuple[str, ...]]]:
    """(sanction clause, measures) for one cell of the sanction-ladder comparison."""
    cells = []
    for c in ix.current_clauses(jurisdiction):
        s = c.sanction
        if c.kind != "sanction" or not s or s.target not in (target, "both"):
            continue
        for step in s.ladder:
            if step.severity == severity:
                cells.append((c, step.measures))
        if severity == "any" and s.measures and not s.ladder:
            cells.append((c, s.measures))
    return cells


def compare_columns(ix: Index, slug: str) -> tuple[list[JurisdictionView], list[JurisdictionView]]:
    """(every jurisdiction in column order, those without such clauses). Jurisdictions with
    such clauses come first and those without last, so that on a phone the columns first in
    view are not all “未规定”."""
    kinds = COMPARISONS[slug][1]
    having = [v for v in ix.jurisdictions.values() if any(c.kind in kinds for c in ix.current_clauses(v.id))]
    missing = [v for v in ix.jurisdictions.values() if v not in having]
    return having + missing, (missing if having else [])


def compare_parts(ix: Index, slug: str) -> int:
    return max(1, -(-len(ix.jurisdictions) // COLUMNS_PER_PAGE))


def compare_page(ix: Index, links: Links, slug: str, part: int = 0) -> ComparePage:
    title, kinds, by_role = COMPARISONS[slug]
    everyone, without = compare_columns(ix, slug)
    chunks = [everyone[i : i + COLUMNS_PER_PAGE] for i in range(0, len(everyone), COLUMNS_PER_PAGE)] or [[]]
    columns = chunks[part]
    missing = [v for v in columns if v in without]
    parts = (
        tuple(
            PartLink(
                f"{chunk[0].short}—{chunk[-1].short}" if len(chunk) > 1 else chunk[0].short,
                links.to(urls.compare(slug, i)),
                i == part,
            )
            for i, chunk in enumerate(chunks)
        )
        if len(chunks) > 1
        else ()
    )

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
        )

    ladder = (
        tuple(
            LadderRow(
                target_label,
                label,
                tuple(
                    tuple(
                        LadderCell(measure_labels(ix.book, measures), links.clause(c))
                        for c, measures in ladder_cells(ix, v.id, target, severity)
                    )
                    for v in columns
                ),
            )
            for target, target_label in TARGETS
            for severity, label in SEVERITY_LABELS.items()
        )
        if slug == "sanctions"
        else ()
    )
    if by_role:
        grids = tuple(
            grid(role.id, role.label, f"{role.label}：{title}", table)
            for role in ix.book.roles.values()
            if (table := ix.grid(kinds, role.id))
        )
    else:
        grids = (grid("by-theme", "按主题", title, ix.grid(kinds)),)
    return ComparePage(title, parts, tuple(columns), tuple(missing), tuple(compare_summary(ix, slug)), ladder, grids)
