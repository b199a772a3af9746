"""Finding things in a real browser (Chromium via Playwright): Chinese search that lands on
the clause, single characters, no spurious 缺少 line; the contents on desktop and phone;
screenshots of a role page's contents and a search panel (the theme pages' are test_browser's)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from test_browser import desktop, phone, screenshot, visit  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
RESULT = ".md-search-result__list > .md-search-result__item"
# Each result item: its articles (the page, then its sections) with link, text and 缺少 line.
ARTICLES = """() => [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')]
  .map(item => [...item.querySelectorAll('a.md-search-result__link')].map(a => ({
    href: a.getAttribute('href'),
    text: a.innerText.replace(/\\u200b/g, ''),
    marks: [...a.querySelectorAll('mark')].map(m => m.innerText.replace(/\\u200b/g, '')),
    missing: a.querySelector('.md-search-result__terms')?.innerText || ''
  })))"""


def glossary_terms() -> set[str]:
    terms = yaml.safe_load((ROOT / "data" / "glossary.yml").read_text("utf-8"))["terms"]
    return {w for t in terms for w in (t["term"], *(t.get("variants") or ()))}


def source_text() -> str:
    return "".join(p.read_text("utf-8") for p in (ROOT / "data" / "sources").glob("*.txt"))


def search(page, server: str, query: str) -> list[list[dict]]:
    visit(page, f"{server}?q={query}")
    page.wait_for_selector(RESULT, timeout=15000)
    return page.evaluate(ARTICLES)


def lands_on_entry(article: dict) -> bool:
    """A clause on its source page or a glossary entry: a link with an anchor."""
    return bool(re.search(r"/(sources/[^/]+|glossary)/[^#]*#.+", article["href"]))


@pytest.mark.parametrize("term", ["一岗双责", "三重一大", "约谈"])
def test_a_term_finds_a_clause_or_entry_quoting_it_whole(desktop, server, term):  # noqa: F811
    # The expectation comes from the data: a glossary term the sources quote.
    assert term in glossary_terms() and term in source_text()
    items = search(desktop, server, term)
    hits = [a for item in items[:3] for a in item if lands_on_entry(a) and term in a["text"]]
    assert hits, f"no clause or glossary entry quoting {term} in the first three results: {items[:3]}"
    for hit in hits:
        assert "缺少" not in hit["missing"], hit
        assert term in hit["marks"], f"{term} is not highlighted whole: {hit['marks']}"


def test_a_search_hit_opens_at_the_clause_highlighted(desktop, server):  # noqa: F811
    term = "一岗双责"
    items = search(desktop, server, term)
    hit = next(a for item in items for a in item if "/sources/" in a["href"] and "#" in a["href"] and term in a["text"])
    anchor = hit["href"].split("#", 1)[1]
    desktop.locator(f'a.md-search-result__link[href="{hit["href"]}"]').first.click()
    desktop.wait_for_url(re.compile("#"), timeout=15000)
    assert desktop.evaluate("decodeURIComponent(location.hash.slice(1))") == anchor
    target = desktop.evaluate(
        """(id) => { const el = document.getElementById(id); const box = el.closest('.hb-clause, .hb-para');
        return {top: el.getBoundingClientRect().top, bg: getComputedStyle(box).backgroundColor,
                other: getComputedStyle([...document.querySelectorAll('.hb-clause, .hb-para')].find(c => !c.contains(el))).backgroundColor}; }""",
        anchor,
    )
    assert 0 <= target["top"] < desktop.viewport_size["height"], "the clause is not in view"
    assert target["bg"] not in ("rgba(0, 0, 0, 0)", "transparent"), "the target clause is not highlighted"
    assert target["other"] in ("rgba(0, 0, 0, 0)", "transparent"), "other clauses are highlighted too"
    # Material highlights the query on the page it opens: the whole term, not its characters.
    # It does so a moment after the page has loaded; on a busy machine the marks came late.
    desktop.wait_for_selector("mark[data-md-highlight]", timeout=15000)
    marks = desktop.evaluate("[...document.querySelectorAll('mark[data-md-highlight]')].map(m => m.innerText)")
    assert term in marks, marks


def test_a_single_character_finds_results(desktop, server):  # noqa: F811
    char = "诫"
    assert char in source_text()  # the expectation: the sources use it
    items = search(desktop, server, char)
    assert any(char in a["text"] for item in items for a in item)
    # Every result contains it, so none lists it as missing.
    assert not [a for item in items for a in item if char in a["text"] and "缺少" in a["missing"]]


def test_contents_show_in_the_sidebar_on_desktop_and_above_the_body_on_phones(desktop, phone, server):  # noqa: F811
    url = f"{server}roles/secretary/"
    visit(desktop, url)
    sidebar = desktop.locator(".md-sidebar--secondary .md-nav--secondary a.md-nav__link")
    assert sidebar.count() > 0 and sidebar.first.is_visible()
    assert not desktop.locator("details.hb-toc").is_visible()
    visit(phone, url)
    box = phone.locator("details.hb-toc")
    assert box.is_visible()
    box.locator("summary").click()
    first = box.locator("a").first
    anchor = first.get_attribute("href").lstrip("#")
    first.click()
    phone.wait_for_timeout(300)
    assert phone.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top", anchor) < 200


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_finding_pages(browser, server, artifacts, width):
    context = browser.new_context(
        viewport={"width": width, "height": 780 if width < 600 else 900}, is_mobile=width < 600, locale="zh-CN"
    )
    page = context.new_page()
    # The theme pages at both widths are in test_browser.PAGES (screens/themes-*, theme-*).
    visit(page, server + "roles/secretary/")
    if width < 600:
        page.locator("details.hb-toc summary").click()
    screenshot(page, artifacts, "finding-role-toc", width)
    page.goto(f"{server}?q=三重一大")
    page.wait_for_selector(RESULT, timeout=15000)
    page.screenshot(path=str(artifacts / "screens" / f"finding-search-{width}.png"))
    context.close()
