"""MkDocs adapter: load the data once, add generated pages, write downloads.

The domain work lives in the ``handbook`` package; this hook only maps it onto MkDocs
events. On bad data a build stops with the editor-facing messages (no traceback); under
``mkdocs serve`` the last good data stays on screen and the errors go to the terminal.

PDFs follow ``extra.pdf`` (see handbook.pdf). A build starts rendering the missing PDFs as
soon as the pages are generated, in worker processes that use the second core while MkDocs
writes the pages, and collects them at the end. Under ``mkdocs serve`` a save never waits
for them: cached PDFs are copied at once and missing ones are rendered in the background.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError
from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

from handbook import DataError, urls
from handbook.cache import load_cached
from handbook.export import to_csv, to_json
from handbook.ics import to_ics
from handbook.index import Index
from handbook.load import data_epoch
from handbook.outline import toc_tokens, web_body
from handbook.pages import BYTECODE, Page, Rendered, Site
from handbook.pdf import PdfCache, PdfJob, check_mode, engine_problem
from handbook.search import user_dictionary
from handbook.urls import Urls

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("HANDBOOK_CACHE_DIR") or ROOT / ".cache")

log = logging.getLogger("mkdocs.hooks.handbook")
state: dict = {"command": "build", "book": None, "said": set(), "generation": 0}
# One background renderer for the dev server, so saves in quick succession queue up
# instead of competing for the two cores.
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handbook-pdf")
SETTLE_SECONDS = 3


def on_startup(command, dirty):
    state["command"] = command


def say_once(message: str) -> None:
    """Log at INFO (a warning would abort a strict build) once per process."""
    if message not in state["said"]:
        state["said"].add(message)
        log.info(message)


# Before the search plugin's on_config, which loads the jieba user dictionary set here.
@event_priority(50)
def on_config(config):
    try:
        mode = config.extra.get("pdf", "auto")
        # !ENV parses its value as YAML, where a bare off is the boolean false.
        state["pdf_mode"] = check_mode("off" if mode is False else str(mode))
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    try:
        book = load_cached(ROOT)
    except DataError as exc:
        errors = sum(not p.warning for p in exc.problems)
        if state["command"] == "serve" and state["book"] is not None:
            # Logged warnings would make strict mode abort this rebuild, and the dev server then
            # holds every request until a build succeeds: print instead, and rebuild with the
            # last good data so the preview keeps answering.
            for problem in exc.problems:
                print(str(problem), file=sys.stderr, flush=True)
            print(
                f"数据有 {errors} 个错误，网站继续显示上一次正确的数据；改正后自动恢复。", file=sys.stderr, flush=True
            )
            use_search_words(config, state["book"])
            return config
        for problem in exc.problems:
            (log.warning if problem.warning else log.error)(str(problem))
        log.error(f"data/ 中有 {errors} 个错误（见上），网站未生成。改正后重新构建。")
        raise SystemExit(2) from None  # exit status 2 for data errors, as python -m handbook (MkDocs would exit 1)
    if book is not state["book"]:
        for problem in book.warnings:
            log.info(str(problem))
    # MkDocs stamps sitemap.xml.gz (and page.update_date) with the build date unless
    # SOURCE_DATE_EPOCH is set: use the newest date in the data, so the same data gives
    # a byte-identical site on any day.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(data_epoch(book)))
    state["book"] = book
    use_search_words(config, book)
    if state["command"] == "serve":
        reuse_search_entries(config)
    return config


def use_search_words(config, book) -> None:
    """Point Material's search plugin at a jieba user dictionary of the data's terms
    (handbook.search), written once under the cache directory."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if plugin is None or not hasattr(plugin.config, "jieba_dict_user"):
        return
    text = user_dictionary(book)
    # Named by its content: builds of different data sharing the cache never read each other's.
    path = CACHE / "search" / f"jieba-user-dict-{hashlib.sha256(text.encode()).hexdigest()[:16]}.txt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, "utf-8")
        temporary.replace(path)
    plugin.config.jieba_dict_user = str(path)


# Dev server only. Material's search plugin parses every page and segments its Chinese text
# with jieba on every rebuild: a third of a save's rebuild, though a save changes a few pages.
# A page's entries depend only on what the plugin reads from the page, its settings and
# jieba's dictionary, so they are kept under a hash of those and reused unchanged: this
# build's and the previous build's (what no build asked for since is let go).
_search_entries: dict[str, dict[str, list[dict]]] = {"current": {}, "previous": {}}


def reuse_search_entries(config) -> None:
    search = config.plugins.get("material/search")
    index = getattr(search, "search_index", None)
    if index is None or not hasattr(index, "add_entry_from_context"):
        return  # another search plugin, or Material changed: index as it does
    add_entry = index.add_entry_from_context
    _search_entries["previous"], _search_entries["current"] = _search_entries["current"], {}

    def add_entry_from_context(page) -> None:
        key = search_key(page, search.config)
        entries = _search_entries["current"].get(key, _search_entries["previous"].get(key))
        if entries is None:
            start = len(index.entries)
            add_entry(page)
            entries = index.entries[start:]
        else:
            index.entries.extend(entries)  # the plugin only reads entries after making them
        _search_entries["current"][key] = entries

    index.add_entry_from_context = add_entry_from_context


def search_key(page, settings) -> str:
    import jieba

    def toc(items) -> list:
        return [(item.id, item.title, item.url, toc(item.children)) for item in items]

    parts = (page.url, page.title, page.content, toc(page.toc), page.meta, dict(settings))
    dictionary = (jieba.dt.total, len(jieba.dt.FREQ), jieba.dt.dictionary)
    return hashlib.sha256(repr((parts, dictionary)).encode()).hexdigest()


def pdfs_wanted() -> bool:
    """Whether this build makes PDFs; says once what is missing, or fails in require mode."""
    mode = state["pdf_mode"]
    if mode == "off":
        return False
    problem = engine_problem()
    if problem is None:
        return True
    if mode == "require":
        raise PluginError(f"{problem}。本次构建要求生成 PDF（extra.pdf / HANDBOOK_PDF = require），网站未生成。")
    say_once(f"{problem}。PDF 清单本次未生成，网页不链接 PDF；其余内容照常生成。")
    return False


def on_files(files, config):
    if not config.site_url:
        say_once("mkdocs.yml 未设置 site_url（网站的发布地址）：口袋清单不印网址和二维码。设置后自动加上。")
    site = Site(Index(state["book"]), config.use_directory_urls, pdfs_wanted(), config.site_url or "")
    state["site"] = site
    state["bodies"] = {}
    state["pdfs"] = None
    try:
        pages = site.pages()
        jobs = site.pdf_jobs()
        state["pages"], state["template_error"] = pages, None
        state["pdfs"] = start_pdfs(jobs, config)
    except TemplateError as exc:
        # Under serve a raised error makes the dev server hold every request until a build
        # succeeds: answer with error pages instead and say what to fix in the terminal.
        state["template_error"] = message = template_problem(exc)
        if state["command"] != "serve":
            raise PluginError(message) from None
        print(message, file=sys.stderr, flush=True)
        pages = error_pages(message, state.get("pages") or (), config)
    for page in pages:
        existing = files.get_file_from_path(page.path)
        if existing is not None:  # a hand-written page with the same path would silently win
            raise PluginError(f"docs/{page.path} 与生成的页面同名，请删除或改名该文件。")
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        # Only the front matter goes through Markdown; the body, HTML from our templates,
        # replaces the (empty) converted content in on_page_content: a Markdown pass over
        # it would change nothing and cost a third of the build.
        files.append(
            File.generated(config, page.path, content=f"---\n{page.rendered.front_matter}---\n", inclusion=inclusion)
        )
        state["bodies"][page.path] = page.rendered.body
    return files


def start_pdfs(jobs: list[PdfJob], config) -> tuple[PdfCache, Future | None] | None:
    """The build's PDF cache and, for a build (not the dev server), the missing PDFs
    already rendering in the background; on_post_build collects them."""
    if not jobs:
        return None
    docs = Path(config.docs_dir)
    cache = PdfCache(
        CACHE / "pdf",
        (docs / "assets" / "print.css").read_text("utf-8"),
        str(docs),
        jobs,
        extra_chars="".join(document.source_text for document in state["book"].documents.values()),
    )
    if state["command"] == "serve":
        return cache, None
    return cache, _background.submit(cache.render_missing)


def on_build_error(error):
    if state.get("pdfs"):
        state["pdfs"][0].cancel()  # the build is lost: do not keep its process alive for PDFs


def template_problem(exc: TemplateError) -> str:
    """``templates/x.j2:12: 模板错误：…`` from a Jinja error (syntax or rendering)."""
    where = f"templates/{exc.name}:{exc.lineno}" if isinstance(exc, TemplateSyntaxError) and exc.name else ""
    for frame, line in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename.endswith(".j2"):  # Jinja maps rendering frames to template lines
            where = f"templates/{Path(frame.f_code.co_filename).name}:{line}"
    return f"{where or 'templates/'}: 模板错误：{exc.message or exc.__class__.__name__} — 改正模板后保存，页面自动恢复"


def error_pages(message: str, last_good, config) -> list[Page]:
    """Every page that existed (or, on a first build, every nav entry) showing the error."""
    paths = [(p.path, p.in_nav) for p in last_good]
    if not paths:

        def nav_files(items):
            for item in items if isinstance(items, list) else [items]:
                values = item.values() if isinstance(item, dict) else [item]
                for value in values:
                    yield from nav_files(value) if isinstance(value, (list, dict)) else [value]

        paths = [
            (p, True)
            for p in nav_files(config.nav or [])
            if isinstance(p, str) and not (Path(config.docs_dir) / p).exists()
        ]
    body = (
        f'<div class="admonition failure"><p class="admonition-title">模板错误，页面暂时无法生成</p>'
        f"<p>{escape(message)}</p></div>\n"
    )
    return [Page(path, Rendered("title: 模板错误\n", body), in_nav) for path, in_nav in paths]


def on_env(env, config, files):
    # Material's templates are the same on every build of a dev-server session.
    env.bytecode_cache = BYTECODE
    return env


def on_page_content(html, page, config, files):
    body = state["bodies"].get(page.file.src_uri)
    if body is None:
        return html
    # The body skipped Markdown, so MkDocs saw none of its headings: give Material the
    # contents (its right sidebar on wide screens; phones get a box at the top, as Material's
    # drawer shows contents only for nav pages) and the permalinks, from the headings themselves.
    body, headings = web_body(body, state["site"].renderer)
    page.toc = get_toc(toc_tokens(headings))  # type: ignore[arg-type]
    return body


def on_post_build(config):
    if state.get("template_error"):  # serve is showing error pages; nothing to export
        return
    book, site = state["book"], state["site"]
    out = Path(config.site_dir) / "downloads"
    out.mkdir(parents=True, exist_ok=True)
    (out / "handbook.json").write_text(to_json(book), "utf-8")
    (out / "handbook.csv").write_text(to_csv(book), "utf-8")
    # Calendar events link to the online clause only when the site's address is known
    # (site.site_url); the published site has directory URLs whatever this build uses.
    online = Urls(directory_urls=True)
    clause_url = (
        (lambda c: site.site_url + online.url_of(urls.source(c.document)) + "#" + c.anchor)
        if site.site_url
        else (lambda c: None)
    )
    (out / "calendar").mkdir(exist_ok=True)
    for cal in site.calendars.values():
        if cal.has_events:
            (out / "calendar" / f"{cal.slug}.ics").write_bytes(to_ics(cal, book, clause_url).encode("utf-8"))
    if state["pdfs"] is None:
        return
    cache, rendering = state["pdfs"]
    target = out  # job names are paths under downloads/: checklists/…, quizzes/…
    if rendering is None:  # the dev server
        absent = cache.install(target)
        if absent:
            state["generation"] += 1
            _background.submit(render_later, cache, target, state["generation"])
            say_once(f"{len(absent)} 份 PDF 在后台生成，完成前下载链接暂时无效。")
        return
    rendered = rendering.result()
    cache.install(target)
    log.info(f"PDF（口袋清单与学习会测验）：{len(cache.jobs)} 份，其中新生成 {rendered} 份，其余取自缓存。")


def render_later(cache: PdfCache, target: Path, generation: int) -> None:
    """Dev server only: render what is missing, unless a newer save has superseded this build.
    It waits a moment first and renders at low priority, so that an editor saving again and
    again gets each page at once and the PDFs follow when the edits pause."""
    time.sleep(SETTLE_SECONDS)
    if generation != state["generation"]:
        return
    try:
        cache.render_missing(nice=10)
        if generation == state["generation"]:
            cache.install(target)
            log.info(f"后台 PDF 已生成（{len(cache.jobs)} 份）。")
    except Exception as exc:  # a background failure must not go unseen, nor kill the server
        log.error(f"后台生成 PDF 失败：{exc.__class__.__name__}: {exc}")
