"""MkDocs adapter: load the data once, add generated pages, write downloads.

The domain work lives in the ``handbook`` package; this hook only maps it onto MkDocs
events. On bad data a build stops with the editor-facing messages (no traceback); under
``mkdocs serve`` the last good data stays on screen and the errors go to the terminal.
"""
from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError
from markupsafe import escape

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs imports hooks by path; make the package importable
    sys.path.insert(0, str(ROOT))

from handbook import DataError, load  # noqa: E402
from handbook.export import to_csv, to_json  # noqa: E402
from handbook.index import Index  # noqa: E402
from handbook.pages import Page, Site  # noqa: E402
from handbook.pdf import build_checklist_pdfs, pdf_plan  # noqa: E402

log = logging.getLogger("mkdocs.hooks.handbook")
state: dict = {"command": "build", "book": None}


def on_startup(command, dirty):
    state["command"] = command


def on_config(config):
    try:
        book = load(ROOT)
    except DataError as exc:
        errors = sum(not p.warning for p in exc.problems)
        if state["command"] == "serve" and state["book"] is not None:
            # Logged warnings would make strict mode abort this rebuild, and the dev server then
            # holds every request until a build succeeds: print instead, and rebuild with the
            # last good data so the preview keeps answering.
            for problem in exc.problems:
                print(str(problem), file=sys.stderr, flush=True)
            print(f"数据有 {errors} 个错误，网站继续显示上一次正确的数据；改正后自动恢复。", file=sys.stderr, flush=True)
            return config
        for problem in exc.problems:
            (log.warning if problem.warning else log.error)(str(problem))
        log.error(f"data/ 中有 {errors} 个错误（见上），网站未生成。改正后重新构建。")
        raise SystemExit(2)  # exit status 2 for data errors, as python -m handbook (MkDocs would exit 1)
    for problem in book.warnings:
        log.info(str(problem))
    state["book"] = book
    return config


def on_files(files, config):
    index = Index(state["book"])
    site = Site(index, config.use_directory_urls, pdf_plan(index), config.extra.get("public_url", ""))
    state["site"] = site
    try:
        pages = site.pages()
        state["pages"], state["template_error"] = pages, None
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
        files.append(File.generated(config, page.path, content=page.markdown, inclusion=inclusion))
    return files


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
        paths = [(p, True) for p in nav_files(config.nav or []) if isinstance(p, str)
                 and not (Path(config.docs_dir) / p).exists()]
    body = f'---\ntitle: 模板错误\n---\n\n<div class="admonition failure"><p class="admonition-title">模板错误，页面暂时无法生成</p><p>{escape(message)}</p></div>\n'
    return [Page(path, body, in_nav) for path, in_nav in paths]


def on_post_build(config):
    if state.get("template_error"):  # serve is showing error pages; nothing to export
        return
    book, site = state["book"], state["site"]
    out = Path(config.site_dir) / "downloads"
    out.mkdir(parents=True, exist_ok=True)
    (out / "handbook.json").write_text(to_json(book), "utf-8")
    (out / "handbook.csv").write_text(to_csv(book), "utf-8")
    for message in build_checklist_pdfs(site, out / "checklists", Path(config.docs_dir)):
        log.warning(message)
