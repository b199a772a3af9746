"""Render every generated page of the site from the index with Jinja templates.

Returns plain (path, Markdown) pairs; the MkDocs hook only turns them into files. Data
text is escaped by Jinja's autoescaping and sits in raw HTML blocks, so neither
Markdown nor the macros plugin ever interprets it.
"""
from __future__ import annotations

import difflib
import functools
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import segno
from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from . import model
from .cards import card
from .index import Index
from .pdf import PdfJob
from .quiz import Quiz, quiz, quiz_keys
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


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the life of the process. Under ``mkdocs serve`` every
    save builds a new Site; without this each build would compile every template again.
    Jinja checks each entry against its template's source, so an edited template is
    compiled afresh."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


BYTECODE = MemoryBytecodeCache()


@dataclass(frozen=True)
class Rendered:
    """A generated page's front matter (YAML) and HTML body, kept apart: the body is HTML
    already, so the hook hands it to MkDocs without a Markdown pass, and a checklist's PDF
    takes the body alone."""

    front_matter: str
    body: str


@dataclass(frozen=True)
class Page:
    path: str  # docs-relative source path, e.g. "roles/secretary/yiwu.md"
    rendered: Rendered
    in_nav: bool = False

    @property
    def markdown(self) -> str:
        """The page as a Markdown file with front matter (what a hand-written page would be)."""
        return f"---\n{self.rendered.front_matter}---\n\n{self.rendered.body}"


class Site:
    """URL arithmetic and template environment for one build."""

    def __init__(self, index: Index, directory_urls: bool = True, with_pdfs: bool = False, site_url: str = ""):
        self.ix = index
        # MkDocs' site_url: the address printed on cards and encoded in their QR codes.
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self._checklists: dict[tuple, Page] = {}
        self._quizzes: dict[tuple, Quiz] = {}
        self.book = index.book
        self.directory_urls = directory_urls
        # "<jurisdiction>-<role or all>" -> PDF file name, for the checklists whose PDF is made
        self.pdfs = {pdf_key(j, r): pdf_key(j, r) + ".pdf" for j, r in checklist_keys(index)} if with_pdfs else {}
        # "<jurisdiction>-<role>" -> {paper: file under downloads/}, for the quizzes whose PDFs are made
        self.quiz_pdfs = {f"{j}-{r}": {paper: f"quizzes/{j}-{r}-{paper}.pdf" for paper in QUIZ_PAPERS}
                          for j, r in quiz_keys(index)} if with_pdfs else {}
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True,
                               default_for_string=True), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True, bytecode_cache=BYTECODE)
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

    def render(self, template: str, page: str, title: str, searchable: bool = True, **context) -> Rendered:
        link = lambda target, anchor=None: self.href(page, target, anchor)  # noqa: E731
        file_link = lambda path: self.file_href(page, path)  # noqa: E731
        clause_link = lambda c: self.href(page, self.clause_src(c), c.anchor)  # noqa: E731
        body = self.env.get_template(template).render(page=page, link=link, clause_link=clause_link, title=title,
                                                      pdfs=self.pdfs, quiz_pdfs=self.quiz_pdfs, file_link=file_link, **context)
        # MkDocs themes do not autoescape page.title, so the title is escaped here.
        front = f"title: {json.dumps(str(escape(title)), ensure_ascii=False)}\n"
        if not searchable:  # its text is indexed where it stands in full (the source page)
            front += "search:\n  exclude: true\n"
        return Rendered(front, body)

    def checklist(self, jurisdiction: str, role: str | None) -> Page:
        """A role's checklist, or (role None) the jurisdiction's booklet of all its roles.

        Rendered once per build: the web page and the PDF share this body."""
        key = (jurisdiction, role)
        if key not in self._checklists:
            view = self.ix.jurisdictions[jurisdiction]
            roles = [self.book.roles[role]] if role else [r for r in self.book.roles.values()
                                                           if self.ix.has_content(r.id, jurisdiction)]
            title = f"口袋清单：{roles[0].short} · {view.name}" if role else f"口袋清单：{view.name}（全部角色）"
            src = f"checklists/{jurisdiction}/{role or 'all'}.md"
            rendered = self.render("checklist.md.j2", src, title, searchable=False, role=self.book.roles.get(role) if role else None, view=view, roles=roles,
                                   cards=[card(self.ix, r, view) for r in roles], **self.qr_codes(jurisdiction, roles))
            self._checklists[key] = Page(src, rendered)
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
        src = f"quizzes/{jurisdiction}/{role}.md"
        return Page(src, self.render("quiz.md.j2", src, f"学习会测验：{q.running}", searchable=False, quiz=q, paper=paper))

    def pdf_jobs(self) -> list[PdfJob]:
        """Every PDF this build links (names relative to downloads/), as the complete HTML
        WeasyPrint renders."""
        shell = self.env.get_template("checklist_pdf.html.j2")
        jobs = []
        for jurisdiction, role in checklist_keys(self.ix):
            key = pdf_key(jurisdiction, role)
            if key in self.pdfs:
                html = shell.render(title=f"{jurisdiction} {role or 'all'}", body=Markup(self.checklist_body(jurisdiction, role)))
                jobs.append(PdfJob("checklists/" + self.pdfs[key], html))
        for jurisdiction, role in quiz_keys(self.ix):
            for paper, name in self.quiz_pdfs.get(f"{jurisdiction}-{role}", {}).items():
                body = self.quiz_page(jurisdiction, role, paper).rendered.body
                jobs.append(PdfJob(name, shell.render(title=f"{jurisdiction} {role} quiz {paper}", body=Markup(body))))
        return jobs

    def pages(self) -> list[Page]:
        ix, out = self.ix, []
        roles, views = self.book.roles, ix.jurisdictions
        out.append(Page("roles/index.md", self.render("roles.md.j2", "roles/index.md", "按角色查阅"), True))
        for role in roles.values():
            src = f"roles/{role.id}/index.md"
            out.append(Page(src, self.render("role.md.j2", src, f"{role.label}：各地职责与追究", role=role)))
            for view in ix.role_jurisdictions(role.id):
                src = f"roles/{role.id}/{view.id}.md"
                # Its clauses are indexed on their source page; the role page is found by name.
                out.append(Page(src, self.render("role_jurisdiction.md.j2", src, f"{role.short} · {view.name}",
                                                 searchable=False, role=role, view=view)))
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
        out += [self.checklist(jurisdiction, role) for jurisdiction, role in checklist_keys(ix)]
        out += [self.quiz_page(jurisdiction, role) for jurisdiction, role in quiz_keys(ix)]
        out.append(Page("downloads.md", self.render("downloads.md.j2", "downloads.md", "下载"), True))
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
        """Each card's online address (the role's page for the place, with every clause in
        full) and its QR code as inline SVG. Without site_url there is no address to print:
        both are empty and the card shows neither."""
        qr, online = {}, {}
        for role in roles:
            url = self.site_url + self.url_of(f"roles/{role.id}/{jurisdiction}.md") if self.site_url else ""
            online[role.id] = url
            qr[role.id] = Markup(qr_svg(url)) if url else Markup("")
        return {"qr": qr, "online": online}


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str) -> str:
    """Inline SVG QR code of a URL. Encoding takes ~30 ms (mask search), and under
    mkdocs serve the same URLs come back on every save."""
    # omitsize: a viewBox only, so the stylesheet's size scales the code instead of clipping it.
    return segno.make(url, error="m").svg_inline(dark="#000", omitsize=True)


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


def source_sequence(doc: model.Document) -> list[dict]:
    """The source as a sequence of clauses and ignored spans, in source order.

    A clause is shown where it starts; ignored text lying inside a clause (page numbers
    glued into a sentence) is listed with that clause; a clause interrupted by other
    clauses gets a continuation entry where it resumes. Regex-declared ignorables
    (Markdown markers) are summarised once at the top.
    """
    events: list[tuple[int, str, model.Clause | model.Ignored, tuple[int, int]]] = []
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
    for _start, kind, item, (a, b) in events:
        if isinstance(item, model.Ignored):
            sequence.append({"kind": "ignored", "ignored": item, "text": doc.source_text[a:b].strip()})
        elif kind == "clause":
            sequence.append({"kind": "clause", "clause": item, "inner": inner.get(item.id, [])})
            last_started = item.id
        elif kind == "continuation" and last_started != item.id:
            sequence.append({"kind": "continuation", "clause": item, "text": fold_space(doc.source_text[a:b])})
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
                     "old_parts": [(tag, a.text[i1:i2]) for tag, i1, i2, _, _ in ops] if a and b else [],
                     "new_parts": [(tag, b.text[j1:j2]) for tag, _, _, j1, j2 in ops] if a and b else []})
    return rows
