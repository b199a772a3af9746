"""What a reader gets in a real browser (Chromium driven by Playwright), against the
built site served on 127.0.0.1: Chinese search, no foreign hosts, phones, axe, and
data text that never runs. Screenshots of every page type go to test-artifacts/screens/.

One browser per session and one page per viewport keep this well under a minute or
two (plus one extra site build for the injection test).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import axe_problems

pytestmark = pytest.mark.browser

# One page of each type: name -> site path (directory URLs).
PAGES = {
    "home": "",
    "roles": "roles/",
    "role": "roles/secretary/",
    "role-jurisdiction": "roles/secretary/yiwu/",
    "jurisdiction": "jurisdictions/yiwu/",
    "source": "sources/yiwu/",
    "compare-duties": "compare/duties/",
    "compare-sanctions": "compare/sanctions/",
    "glossary": "glossary/",
    "downloads": "downloads/",
    "checklist": "checklists/yiwu/secretary/",
    "quiz": "quizzes/yiwu/secretary/",
    "guide": "guide/",
    # every other generated page type (sourcedoc: no sideways scroll and axe on all of them)
    "jurisdictions": "jurisdictions/",
    "sources": "sources/",
    "compare-index": "compare/",
    "compare-circumstances": "compare/circumstances/",
    "calendar-index": "calendar/",
    "calendar": "calendar/yiwu/secretary/",
    "checklist-all": "checklists/yiwu/all/",
    "about": "about/",
    "themes": "themes/",
    "theme": "themes/leadership/",
}
# Pages on which the desktop test also uses the search box (its requests are the same
# everywhere: the index and the worker): a hand-written page and a generated one.
SEARCHED = ("home", "source")
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOT_MAX_HEIGHT = 5000  # px of the page top kept per screenshot (source pages are very long)


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def visit(page, url: str) -> None:
    page.goto(url, wait_until="load")


def screenshot(page, artifacts: Path, name: str, width: int) -> None:
    out = artifacts / "screens"
    out.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(
        path=str(out / f"{name}-{width}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": min(height, SCREENSHOT_MAX_HEIGHT)},
    )


# -- 1. Chinese search ----------------------------------------------------------------

RESULT_LINKS = """() => [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')]
  .map(item => [...item.querySelectorAll('a')].map(a => ({href: a.href, text: a.innerText.replace(/\\u200b/g, '')})))"""


@pytest.mark.parametrize("word", ["三重一大", "一岗双责", "诫勉谈话"])
def test_search_finds_chinese_word(desktop, server, word):
    """?q=<word> opens the search pre-filled; a clause quoting the word is among the top
    results, and the results are about the word (not every text with its first character)."""
    page = desktop
    visit(page, f"{server}?q={word}")
    page.wait_for_selector(".md-search-result__list > .md-search-result__item", timeout=15000)
    results = page.evaluate(RESULT_LINKS)
    assert results, f"no results for {word}"
    # A hit lands on the clause: a source page's section, with the clause's anchor.
    clause_hits = [
        link
        for item in results[:6]
        for link in item
        if re.search(r"/sources/[^/]+/.*#", link["href"]) and word in link["text"]
    ]
    assert clause_hits, f"no clause on a /sources/ page quoting {word} among the top results: {results[:6]}"
    # The best result is about the word itself (later ones may match only a part of it,
    # as 谈话 for 诫勉谈话: Material's search ranks them lower, it does not drop them).
    assert any(word in link["text"] for link in results[0]), results[0]
    meta = page.locator(".md-search-result__meta").inner_text()
    found = int(re.search(r"\d+", meta).group()) if re.search(r"\d+", meta) else 0
    assert 0 < found <= 60, f"{word}: {meta} (too many results means the query was split into single characters)"


# -- 2, 4, 5. Every page type at desktop width: only the site's own host, axe, screenshot


@pytest.fixture(scope="module")
def desktop_requests(desktop) -> list[tuple[str, str]]:
    """(page, request URL) of every request the desktop page makes in this module: a request
    a script starts late is still seen, by the next page's test or by the last test."""
    seen: list[tuple[str, str]] = []
    desktop.on("request", lambda r: seen.append((desktop.url, r.url)))
    return seen


def foreign(requests: list[tuple[str, str]], server: str) -> list[str]:
    return [f"{page} → {url}" for page, url in requests if not url.startswith((server, "data:", "blob:"))]


@pytest.mark.parametrize("name", PAGES)
def test_desktop_page(desktop, desktop_requests, server, artifacts, name):
    """Loading the page (and, on the SEARCHED pages, using its search box) requests nothing from another host;
    axe finds no serious or critical violation; the screenshot is saved."""
    start = len(desktop_requests)
    visit(desktop, server + PAGES[name])  # over http the search index loads at once
    # axe on the page as loaded: run after the search dialog's closing animation it
    # would sometimes see a half-faded dialog (a flaky contrast failure).
    problems = axe_problems(desktop)
    screenshot(desktop, artifacts, name, DESKTOP["width"])
    # The contents in the right sidebar list every section heading of the page, each
    # linking to a heading that is there (generated pages included: issue 12).
    sections = desktop.evaluate("[...document.querySelectorAll('.md-content h2[id]')].map(h => h.id)")
    toc = desktop.evaluate("""[...document.querySelectorAll(
        '.md-sidebar--secondary .md-nav--secondary .md-nav__link')].map(a => decodeURIComponent(a.hash.slice(1)))""")
    assert set(sections) <= set(toc), f"{name}: sections missing from the contents: {set(sections) - set(toc)}"
    missing = desktop.evaluate("(ids) => ids.filter(id => !document.getElementById(id))", toc)
    assert not missing, f"{name}: the contents link to no heading: {missing}"
    if name in SEARCHED:  # the search box is the same script on every page
        desktop.locator(".md-search__input").fill("责任")
        desktop.locator(".md-search__input").press("End")  # Material reads the query on keyup
        desktop.wait_for_selector(".md-search-result__item", timeout=15000)
        desktop.keyboard.press("Escape")
    requests = desktop_requests[start:]
    elsewhere = foreign(requests, server)
    assert requests and not elsewhere, f"{name}: requests to other hosts: {elsewhere}"
    assert desktop.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_no_desktop_page_reached_another_host_later(desktop, desktop_requests, server):
    """After the last page, once the network has been idle for half a second: no request
    any page's scripts started late went to another host (one wait for all the pages)."""
    visit(desktop, server)  # the home page last (or alone, when this test runs by itself)
    desktop.wait_for_load_state("networkidle")
    assert any(url.startswith(server + "search/") for _page, url in desktop_requests)
    elsewhere = foreign(desktop_requests, server)
    assert not elsewhere, elsewhere


# -- 3, 4, 5. Phone: no sideways scroll, wide tables scroll in their box; axe; screenshots

# Layouts that differ on a phone, and the calendar index (its check at both widths lives here,
# not in a second page visit of test_calendar).
PHONE_AXE = {"home", "role-jurisdiction", "compare-sanctions", "checklist", "calendar-index"}


@pytest.mark.parametrize("name", PAGES)
def test_phone_page(phone, server, artifacts, name):
    visit(phone, server + PAGES[name])
    width = phone.evaluate("document.documentElement.scrollWidth")
    screenshot(phone, artifacts, name, PHONE["width"])
    assert width <= PHONE["width"], f"{name}: page is {width}px wide at {PHONE['width']}px"
    boxes = phone.evaluate("""() => [...document.querySelectorAll('.hb-scroll')].map(e => {
        const r = e.getBoundingClientRect();
        return {left: r.left, right: r.right, overflow: getComputedStyle(e).overflowX}; })""")
    for box in boxes:
        assert box["left"] >= 0 and box["right"] <= PHONE["width"] + 0.5, (name, box)
        assert box["overflow"] in ("auto", "scroll"), (name, box)
    loose = phone.evaluate(f"""() => [...document.querySelectorAll('.md-content table')]
        .filter(t => t.getBoundingClientRect().width > {PHONE["width"]}
                     && !t.closest('.hb-scroll, .md-typeset__scrollwrap'))
        .map(t => t.className)""")
    assert not loose, f"{name}: wide tables outside a scroll box: {loose}"
    if name in PHONE_AXE:
        problems = axe_problems(phone)
        assert not problems, f"{name} (phone):\n" + "\n".join(problems)


def test_compare_table_scrolls_inside_its_box(phone, server):
    visit(phone, server + "compare/duties/")
    box = phone.locator(".hb-scroll").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth"), "the comparison table should be wider than a phone"
    box.evaluate("e => e.scrollLeft = 200")
    assert box.evaluate("e => e.scrollLeft") > 0
    assert phone.evaluate("window.scrollX") == 0


def test_search_dialog_has_a_name_and_passes_axe(desktop, server):
    visit(desktop, f"{server}?q=一岗双责")
    desktop.wait_for_selector(".md-search-result__item", timeout=15000)
    assert desktop.locator(".md-search[role=dialog]").get_attribute("aria-label")
    problems = axe_problems(desktop)
    assert not problems, "\n".join(problems)


def test_the_axe_check_reports_what_it_must(desktop):
    """axe_problems (violations only, for speed) still names a serious and a critical
    violation: without this, every "no axe problem" above could be a check that sees nothing."""
    desktop.set_content(
        '<html lang="zh"><title>t</title><body><main><img src="data:,">'
        '<p style="color:#bbb;background:#fff">浅灰色的字</p></main></body></html>'
    )
    found = " ".join(axe_problems(desktop))
    assert "image-alt (critical" in found and "color-contrast (serious" in found, found


# -- 6. Data text is never executed: tests/test_hostile_data.py (hostile strings in every field).
