"""The offline build (``python -m handbook build --offline``) works from disk (file://),
search included, with the committed iframe-worker shim and no request to any host,
and builds without network. The default (online) build does not use the shim at all.
"""

from __future__ import annotations

import html.parser
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT

VENDOR = "assets/vendor/iframe-worker"  # docs-relative, as named in hooks/offline_shim.py


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("offline") / "site"
    # Nothing to fetch: npm, npx and node on PATH only record that they were called, and
    # any HTTP(S) request would go to a closed local port.
    fakes = tmp_path_factory.mktemp("no-npm")
    for tool in ("npm", "npx", "node"):
        (fakes / tool).write_text(f"#!/bin/sh\necho {tool} >> '{fakes}/called'\nexit 1\n")
        (fakes / tool).chmod(0o755)
    closed = "http://127.0.0.1:9"
    no_network = {
        "PATH": f"{fakes}{os.pathsep}{os.environ.get('PATH', '')}",
        "HTTP_PROXY": closed,
        "HTTPS_PROXY": closed,
        "http_proxy": closed,
        "https_proxy": closed,
        "NO_PROXY": "",
        "no_proxy": "",
    }
    result = subprocess.run(
        [sys.executable, "-m", "handbook", "build", "--offline", "--root", str(ROOT), "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env=dict(os.environ, HANDBOOK_OFFLINE="true", HANDBOOK_PDF="off", **no_network),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert not (fakes / "called").exists(), (fakes / "called").read_text()
    return out


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def links_of(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text("utf-8"))
    return parser.urls


def test_offline_build_uses_the_committed_shim(offline_site):
    committed = ROOT / "docs" / VENDOR
    assert (offline_site / VENDOR / "shim.js").read_bytes() == (committed / "shim.js").read_bytes()
    assert "Permission is hereby granted, free of charge" in (offline_site / VENDOR / "LICENSE").read_text("utf-8")
    # the shim is what the offline plugin looks for: it replaces Worker on file:// pages
    assert 'location.protocol==="file:"&&(window.Worker=' in (committed / "shim.js").read_text("utf-8")
    index = (offline_site / "index.html").read_text("utf-8")
    assert f'<script src="{VENDOR}/shim.js">' in index
    assert (offline_site / "search" / "search_index.js").is_file()
    for page in offline_site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert "unpkg.com" not in text, page
        external = [u for u in links_of(page) if u.startswith(("http:", "https:", "//"))]
        assert not external, f"{page}: {external[:5]}"


def test_offline_links_point_at_files(offline_site):
    """Without directory URLs every link must name a file: a link to a folder opens a
    file listing (or nothing) from disk."""
    broken = []
    for page in offline_site.rglob("*.html"):
        if page.name == "404.html" and page.parent == offline_site:
            continue  # served by a web server for any missing path, so its links are absolute
        for url in links_of(page):
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "//")) or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(offline_site)} → {url}")
    assert not broken, f"{len(broken)} broken links, e.g. {broken[:10]}"


def test_online_build_does_not_use_the_shim(site):
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert "iframe-worker" not in text and "unpkg.com" not in text, page


@pytest.mark.browser
def test_offline_site_from_disk(browser, offline_site, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((offline_site / "index.html").as_uri())
        # the home page's role table: click through to one role's page
        page.locator('a[href="roles/secretary/yiwu.html"]').first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/roles/secretary/yiwu.html"), page.url
        assert "义乌" in page.locator("h1").inner_text()
        # and on to a clause in the source, through a relative link
        page.locator('a[href^="../../sources/yiwu.html#"]').first.click()
        page.wait_for_load_state("load")
        assert page.url.split("#")[0].endswith("/sources/yiwu.html"), page.url
        # search from file:// runs in the iframe-worker shim; it starts when search opens
        page.locator(".md-search__input").click()
        meta = page.locator(".md-search-result__meta")
        page.wait_for_function(
            """() => {
            const m = document.querySelector('.md-search-result__meta');
            return m && !m.textContent.includes('正在初始化');
        }""",
            timeout=30000,
        )
        page.locator(".md-search__input").fill("三重一大")
        page.locator(".md-search__input").press("End")  # Material reads the query on keyup, as after an IME
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        texts = page.locator(".md-search-result__item").all_inner_texts()
        assert any("三重一大" in t.replace("\u200b", "") for t in texts), texts[:3]
        assert "符合条件" in meta.inner_text()
        page.screenshot(path=str(artifacts / "offline-search.png"))
        page.locator(".md-search-result__item a").first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith("file://") and ".html" in page.url, page.url
    finally:
        context.close()
    remote = [u for u in requests if not u.startswith(("file://", "data:", "blob:", "about:"))]
    assert not remote, f"requests that left the disk: {remote}"
    assert not errors, errors
