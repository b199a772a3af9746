"""MkDocs adapter: load the data once, add generated pages, write downloads.

The domain work lives in the ``handbook`` package; this hook only maps it onto MkDocs
events. On bad data a build stops with the editor-facing messages (no traceback); under
``mkdocs serve`` the last good data stays on screen and the errors go to the terminal.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs imports hooks by path; make the package importable
    sys.path.insert(0, str(ROOT))

from handbook import DataError, load  # noqa: E402
from handbook.calendar import calendars  # noqa: E402
from handbook.export import to_csv, to_json  # noqa: E402
from handbook.ics import to_ics  # noqa: E402
from handbook.index import Index  # noqa: E402
from handbook.pages import Site  # noqa: E402
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
        raise PluginError(f"data/ 中有 {errors} 个错误（见上），网站未生成。改正后重新构建。") from None
    for problem in book.warnings:
        log.info(str(problem))
    state["book"] = book
    return config


def on_files(files, config):
    index = Index(state["book"])
    site = Site(index, config.use_directory_urls, pdf_plan(index), config.extra.get("public_url", ""))
    state["site"] = site
    for page in site.pages():
        existing = files.get_file_from_path(page.path)
        if existing is not None:  # a hand-written page with the same path would silently win
            raise PluginError(f"docs/{page.path} 与生成的页面同名，请删除或改名该文件。")
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, page.path, content=page.markdown, inclusion=inclusion))
    return files


def on_post_build(config):
    book, site = state["book"], state["site"]
    out = Path(config.site_dir) / "downloads"
    out.mkdir(parents=True, exist_ok=True)
    (out / "handbook.json").write_text(to_json(book), "utf-8")
    (out / "handbook.csv").write_text(to_csv(book), "utf-8")
    # Calendars link to the online clause (directory URLs, even from an offline build) only
    # when the site's address is known.
    base = (config.site_url or config.extra.get("public_url") or "").rstrip("/")
    clause_url = (lambda c: f"{base}/sources/{c.document}/#{c.anchor}") if base else (lambda c: None)
    (out / "calendar").mkdir(exist_ok=True)
    for cal in calendars(site.ix):
        if cal.has_events:
            (out / "calendar" / f"{cal.slug}.ics").write_bytes(to_ics(cal, book, clause_url).encode("utf-8"))
    for message in build_checklist_pdfs(site, out / "checklists", Path(config.docs_dir)):
        log.warning(message)
