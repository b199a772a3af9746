"""Small helpers for the hand-written pages (home, about): counts and link tables.

Everything returned is escaped HTML built from the loaded data; data text is never fed
back into the template engine.
"""
from __future__ import annotations

from pathlib import Path

from markupsafe import Markup, escape

from handbook import DataError
from handbook.cache import load_cached
from handbook.index import Index

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
    directory_urls = env.conf.use_directory_urls

    def url(path: str) -> str:
        """Link from a top-level page (index.md, about.md) to a generated page source."""
        stem = path[:-3]
        if not directory_urls:
            return stem + ".html"
        target = stem[:-5] if stem.endswith("index") else stem + "/"
        return target if env.page.file.src_uri == "index.md" else "../" + target

    @env.macro
    def count(kind: str) -> int:
        return sum(1 for c in ix.current_clauses() if c.kind == kind)

    @env.macro
    def totals() -> Markup:
        docs = ix.book.documents.values()
        return Markup(f"{len(ix.jurisdictions)} 个地区、{len(docs)} 份文件、{len(ix.clauses)} 个条款")

    @env.macro
    def role_table() -> Markup:
        """Role × jurisdiction grid of links: the quickest way to one's own page."""
        views = list(ix.jurisdictions.values())
        head = "".join(f'<th scope="col">{escape(v.short)}</th>' for v in views)
        rows = []
        for role in ix.book.roles.values():
            cells = "".join(
                f'<td><a href="{url(f"roles/{role.id}/{v.id}.md")}">查看</a></td>' if ix.has_content(role.id, v.id)
                else '<td><span class="hb-empty">未规定</span></td>' for v in views)
            rows.append(f'<tr><th scope="row"><a href="{url(f"roles/{role.id}/index.md")}">{escape(role.label)}</a></th>{cells}</tr>')
        return Markup('<div class="hb-scroll" tabindex="0" role="region" aria-label="角色与地区"><table class="hb-table">'
                      f'<thead><tr><th scope="col">角色 \\ 地区</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')

    @env.macro
    def quality_notes() -> Markup:
        """Honest notes on the sources, computed from the data."""
        items = []
        for doc in ix.book.documents.values():
            name = escape(doc.short_title)
            if not doc.completeness.complete:
                items.append(f"《{name}》原文不完整：{escape(doc.completeness.note or '')}")
            if doc.jurisdiction.name.value is None:
                items.append(f"《{name}》未署地区名称：{escape(doc.jurisdiction.name.basis or '')}")
            elif not doc.jurisdiction.name.stated and doc.jurisdiction.name.certainty != "确定":
                items.append(f"《{name}》的地区“{escape(doc.jurisdiction.name.value)}”为编辑认定（{escape(doc.jurisdiction.name.certainty or '')}）：{escape(doc.jurisdiction.name.basis or '')}")
            fixes = sum(len(c.corrections) for c in doc.clauses)
            if fixes:
                items.append(f"《{name}》更正了 {fixes} 处录入或识别错误，原文可在<a href=\"{url(f'sources/{doc.id}.md')}\">原文页</a>逐条查看。")
        unverified = sum(1 for d in ix.book.documents.values() if not d.verified_on)
        if unverified:
            items.append(f"{unverified} 份文件尚未核实是否仍然有效；使用前请向发文机关确认。")
        return Markup("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
