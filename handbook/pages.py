"""Render every generated page of the site from the index with Jinja templates.

Returns plain (path, Markdown) pairs; the MkDocs hook only turns them into files. Data
text is escaped by Jinja's autoescaping and sits in raw HTML blocks, so neither
Markdown nor the macros plugin ever interprets it.
"""
from __future__ import annotations

import difflib
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from . import calendar, model
from .index import Index
from .tiling import fold_space

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

COMPARISONS = {
    # slug: (title, kinds, split by role)
    "duties": ("职责对照", ("duty",), True),
    "triggers": ("追究情形对照", ("trigger",), True),
    "sanctions": ("追究方式对照", ("sanction",), False),
    "circumstances": ("从重、从轻、免责与一案双查对照", ("aggravating", "mitigating", "exemption", "double_accountability"), False),
    "systems": ("保障制度对照", ("system",), False),
}


@dataclass(frozen=True)
class Page:
    path: str  # docs-relative source path, e.g. "roles/secretary/yiwu.md"
    markdown: str
    in_nav: bool = False


class Site:
    """URL arithmetic and template environment for one build."""

    def __init__(self, index: Index, directory_urls: bool = True, checklists_pdf: dict | None = None,
                 public_url: str = ""):
        self.ix = index
        self.public_url = public_url.rstrip("/") + "/" if public_url else ""
        self._checklists: dict[tuple, Page] = {}
        self.book = index.book
        self.directory_urls = directory_urls
        self.pdfs = checklists_pdf or {}
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True,
                               default_for_string=True), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True)
        self.env.filters["terms"] = self.mark_terms
        self.env.tests["contains"] = lambda seq, item: item in seq
        self.env.filters["tojson_str"] = lambda s: Markup(json.dumps(str(s), ensure_ascii=False))
        self.env.globals.update(ix=index, book=self.book, m=model, COMPARISONS=COMPARISONS)
        terms = sorted({t for term in self.book.terms.values() for t in (term.term, *term.variants)}, key=len, reverse=True)
        self.term_of = {t: term for term in self.book.terms.values() for t in (term.term, *term.variants)}
        self.term_re = re.compile("|".join(map(re.escape, terms))) if terms else None

    # -- links --------------------------------------------------------------------

    def url_of(self, src: str) -> str:
        """Site URL of a docs source path, as MkDocs computes it."""
        stem = src[:-3]
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index" or stem.endswith("/index"):
            return stem[:-5]
        return stem + "/"

    def href(self, page: str, target: str, anchor: str | None = None) -> str:
        """Relative link from the page with source ``page`` to source ``target``."""
        here, there = self.url_of(page), self.url_of(target)
        here_dir = here if here == "" or here.endswith("/") else posixpath.dirname(here)
        rel = posixpath.relpath("/" + there, "/" + here_dir)
        if there == "" or there.endswith("/"):
            rel = rel + "/" if rel != "." else "./"
        return rel + (f"#{anchor}" if anchor else "")

    def file_href(self, page: str, path: str) -> str:
        """Relative link from a page to a plain file of the built site (downloads)."""
        here = self.url_of(page)
        here_dir = here if here == "" or here.endswith("/") else posixpath.dirname(here)
        return posixpath.relpath("/" + path, "/" + here_dir)

    def clause_src(self, clause: model.Clause) -> str:
        return f"sources/{clause.document}.md"

    # -- text ---------------------------------------------------------------------

    def mark_terms(self, text: str) -> Markup:
        """Escape text and wrap glossary terms in <abbr> (Chinese has no word boundaries)."""
        escaped = str(escape(text))
        if not self.term_re:
            return Markup(escaped)
        return Markup(self.term_re.sub(
            lambda m_: f'<abbr title="{escape(self.term_of[m_.group(0)].definition)}">{m_.group(0)}</abbr>', escaped))

    # -- rendering ----------------------------------------------------------------

    def render(self, template: str, page: str, title: str, **context) -> str:
        link = lambda target, anchor=None: self.href(page, target, anchor)  # noqa: E731
        file_link = lambda path: self.file_href(page, path)  # noqa: E731
        clause_link = lambda c: self.href(page, self.clause_src(c), c.anchor)  # noqa: E731
        body = self.env.get_template(template).render(page=page, link=link, clause_link=clause_link, title=title,
                                                      pdfs=self.pdfs, file_link=file_link, **context)
        # MkDocs themes do not autoescape page.title, so the title is escaped here.
        front = f"---\ntitle: {json.dumps(str(escape(title)), ensure_ascii=False)}\n---\n\n"
        return front + body

    def checklist(self, jurisdiction: str, role: str | None) -> Page:
        """A role's checklist, or (role None) the jurisdiction's booklet of all its roles.

        Rendered once per build: the web page and the PDF share this Markdown."""
        key = (jurisdiction, role)
        if key not in self._checklists:
            view = self.ix.jurisdictions[jurisdiction]
            roles = [self.book.roles[role]] if role else [r for r in self.book.roles.values()
                                                           if self.ix.has_content(r.id, jurisdiction)]
            title = f"口袋清单：{roles[0].short} · {view.name}" if role else f"口袋清单：{view.name}（全部角色）"
            src = f"checklists/{jurisdiction}/{role or 'all'}.md"
            markdown = self.render("checklist.md.j2", src, title, role=self.book.roles.get(role), view=view, roles=roles,
                                   calendars={r.id: calendar.role_calendar(self.ix, jurisdiction, r.id) for r in roles},
                                   **self.qr_codes(jurisdiction, roles))
            self._checklists[key] = Page(src, markdown)
        return self._checklists[key]

    def checklist_body(self, jurisdiction: str, role: str | None) -> str:
        """The checklist HTML alone (for the PDF), identical to the web page's."""
        return self.checklist(jurisdiction, role).markdown.split("---\n\n", 1)[1]

    def pages(self) -> list[Page]:
        ix, out = self.ix, []
        roles, views = self.book.roles, ix.jurisdictions
        calendars = {(cal.view.id, cal.role.id): cal for cal in calendar.calendars(ix)}
        out.append(Page("roles/index.md", self.render("roles.md.j2", "roles/index.md", "按角色查阅"), True))
        for role in roles.values():
            src = f"roles/{role.id}/index.md"
            out.append(Page(src, self.render("role.md.j2", src, f"{role.label}：各地职责与追究", role=role)))
            for view in ix.role_jurisdictions(role.id):
                src = f"roles/{role.id}/{view.id}.md"
                out.append(Page(src, self.render("role_jurisdiction.md.j2", src, f"{role.short} · {view.name}",
                                                 role=role, view=view, calendar=calendars.get((view.id, role.id)))))
        out.append(Page("jurisdictions/index.md", self.render("jurisdictions.md.j2", "jurisdictions/index.md", "按地区查阅"), True))
        for view in views.values():
            src = f"jurisdictions/{view.id}.md"
            out.append(Page(src, self.render("jurisdiction.md.j2", src, view.name, view=view)))
        out.append(Page("sources/index.md", self.render("sources.md.j2", "sources/index.md", "原文"), True))
        for doc in self.book.documents.values():
            src = f"sources/{doc.id}.md"
            out.append(Page(src, self.render("source.md.j2", src, f"原文：{doc.short_title}", doc=doc,
                                             view=views[doc.jurisdiction.id], sequence=source_sequence(doc))))
            if doc.supersedes:
                src = f"changes/{doc.id}.md"
                old = self.book.documents[doc.supersedes]
                out.append(Page(src, self.render("changes.md.j2", src, f"新旧条文对照：{doc.short_title}",
                                                 doc=doc, old=old, rows=diff_rows(old, doc))))
        out.append(Page("compare/index.md", self.render("compare_index.md.j2", "compare/index.md", "跨地区对照"), True))
        for slug, (title, kinds, by_role) in COMPARISONS.items():
            src = f"compare/{slug}.md"
            out.append(Page(src, self.render("compare.md.j2", src, title, slug=slug, kinds=kinds, by_role=by_role,
                                             summary=compare_summary(ix, slug), ladder_cells=self.ladder_cells)))
        out.append(Page("glossary.md", self.render("glossary.md.j2", "glossary.md", "术语", usage=self.term_usage()), True))
        for view in views.values():
            out += [self.checklist(view.id, role.id) for role in roles.values() if ix.has_content(role.id, view.id)]
            out.append(self.checklist(view.id, None))
        out += self.calendar_pages(list(calendars.values()))
        out.append(Page("downloads.md", self.render("downloads.md.j2", "downloads.md", "下载", calendars=calendars.values()), True))
        return out

    def calendar_pages(self, calendars: list) -> list[Page]:
        """/calendar/ (all calendars and the cadence comparison) and one page per role and jurisdiction."""
        out = [Page("calendar/index.md", self.render("calendar_index.md.j2", "calendar/index.md", "履责日历",
                                                     calendars=calendars, comparison=calendar.cadence_comparison(self.ix)), True)]
        for cal in calendars:
            out.append(Page(cal.page, self.render("calendar.md.j2", cal.page, f"履责日历：{cal.name}", cal=cal)))
        return out

    # -- page-specific data ---------------------------------------------------------

    def ladder_cells(self, jurisdiction: str, target: str, severity: str) -> list[tuple]:
        """(sanction clause, measures) for one cell of the sanction-ladder comparison."""
        cells = []
        for c in self.ix.current_clauses(jurisdiction):
            s = c.sanction
            if c.kind != "sanction" or not s or s.target not in (target, "both"):
                continue
            for step in s.ladder:
                if step.severity == severity:
                    cells.append((c, step.measures))
            if severity == "any" and s.measures and not s.ladder:
                cells.append((c, s.measures))
        return cells

    def term_usage(self) -> dict[str, list[model.Clause]]:
        usage = {}
        for term in self.book.terms.values():
            words = (term.term, *term.variants)
            usage[term.id] = [c for c in self.ix.current_clauses() if any(w in c.text for w in words)]
        return usage

    def qr_codes(self, jurisdiction: str, roles) -> dict:
        """Inline SVG QR codes pointing at each role's online page (needs extra.public_url)."""
        qr, online = {}, {}
        for role in roles:
            url = self.public_url + f"roles/{role.id}/{jurisdiction}/" if self.public_url else ""
            online[role.id] = url or "（未配置网址）"
            svg = segno.make(url, error="m").svg_inline(scale=2, dark="#000", omitsize=False) if url else ""
            qr[role.id] = Markup(svg)
        return {"qr": qr, "online": online}


def source_sequence(doc: model.Document) -> list[dict]:
    """The source as a sequence of clauses and ignored spans, in source order.

    A clause is shown where it starts; ignored text lying inside a clause (page numbers
    glued into a sentence) is listed with that clause; a clause interrupted by other
    clauses gets a continuation entry where it resumes. Regex-declared ignorables
    (Markdown markers) are summarised once at the top.
    """
    events = []
    for c in doc.clauses:
        for k, (start, end) in enumerate(c.spans):
            events.append((start, "clause" if k == 0 else "continuation", c, (start, end)))
    ranges = [(c.spans[0][0], c.spans[-1][1], c) for c in doc.clauses if c.spans]
    inner: dict[str, list] = {}
    top = []
    for ig in doc.ignored:
        if len(ig.spans) > 1:
            top.append({"kind": "pattern", "ignored": ig})
            continue
        start, end = ig.spans[0]
        owner = next((c for a, b, c in ranges if a < start and end <= b), None)
        if owner is not None:
            inner.setdefault(owner.id, []).append(model.Ignored(ig.document, ig.spans, ig.reason, doc.source_text[start:end]))
        else:
            events.append((start, "ignored", ig, (start, end)))
    events.sort(key=lambda e: e[0])
    sequence, last_started = list(top), None
    for start, kind, item, (a, b) in events:
        if kind == "clause":
            sequence.append({"kind": "clause", "clause": item, "inner": inner.get(item.id, [])})
            last_started = item.id
        elif kind == "continuation" and last_started != item.id:
            sequence.append({"kind": "continuation", "clause": item, "text": fold_space(doc.source_text[a:b])})
        elif kind == "ignored":
            sequence.append({"kind": "ignored", "ignored": item, "text": doc.source_text[a:b].strip()})
    return sequence


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
    everywhere = [ix.book.themes[t].label for t, row in grid.items() if all(row.get(v.id) for v in views if counts[v.id])]
    if everywhere:
        lines.append("有这类条文的地区都涉及的主题：" + "、".join(everywhere) + "。")
    only = [f"{ix.book.themes[t].label}（仅{name[next(iter(row))]}）" for t, row in grid.items() if len(row) == 1]
    if only:
        lines.append("只有一个地区规定的主题：" + "、".join(only) + "。")
    if slug in ("circumstances", "sanctions"):
        for kind, label in (("exemption", "免责（免予追究、不承担责任）"), ("aggravating", "从重情节"), ("mitigating", "从轻减轻情节")):
            having = [name[v.id] for v in views if any(c.kind == kind for c in ix.current_clauses(v.id))]
            lines.append(f"规定{label}的地区：{'、'.join(having) if having else '无'}。")
        restricted = [name[v.id] for v in views if any(c.sanction and c.sanction.restrictions for c in ix.current_clauses(v.id))]
        if slug == "sanctions":
            lines.append(f"规定受追究后任职限制期的地区：{'、'.join(restricted) if restricted else '无'}。")
    return lines


def diff_rows(old: model.Document, new: model.Document) -> list[dict]:
    """Clause-by-clause comparison by stable id: added, removed, changed (with char diff), same."""
    old_by = {c.local_id: c for c in old.clauses}
    new_by = {c.local_id: c for c in new.clauses}
    order = [c.local_id for c in new.clauses] + [c.local_id for c in old.clauses if c.local_id not in new_by]
    rows = []
    for cid in order:
        a, b = old_by.get(cid), new_by.get(cid)
        if a and b and a.text == b.text:
            status, ops = "same", []
        elif a and b:
            status = "changed"
            ops = difflib.SequenceMatcher(None, a.text, b.text, autojunk=False).get_opcodes()
        else:
            status, ops = ("added" if b else "removed"), []
        rows.append({"id": cid, "old": a, "new": b, "status": status,
                     "old_parts": [(tag, a.text[i1:i2]) for tag, i1, i2, _, _ in ops] if ops else [],
                     "new_parts": [(tag, b.text[j1:j2]) for tag, _, _, j1, j2 in ops] if ops else []})
    return rows
