"""Source pages and citations in a real browser (Chromium via Playwright): the page's
text is the source; corrections open by tap and keyboard; a clause reached by link is
highlighted; the outline folds on a phone; 复制引用 puts the citation on the clipboard.
No page of any type scrolling sideways at 360 px and axe on every page type are in
test_browser.py (its PAGES lists one page of every type)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import DESKTOP, PHONE, screenshot, visit

from conftest import axe_problems
from handbook.tiling import strip_space

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent

# The printed text of a source page, corrections reverted to the original (or not), as the
# reader's browser has it: ignored web chrome and every label or note sit outside .hb-print
# (a chapter heading's ¶ permalink is the page's, not the document's).
PRINTED = """(reverted) => [...document.querySelectorAll('.hb-doc .hb-print')].map(el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('.headerlink').forEach(a => a.remove());
    copy.querySelectorAll('.hb-fix').forEach(f =>
        f.replaceWith((reverted ? f.querySelector('del') : f.querySelector('ins')).textContent));
    return copy.textContent;
}).join('')"""


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context.new_page()
    context.close()


def source_without_ignored(doc) -> str:
    text = (ROOT / "data" / "sources" / doc.source).read_bytes().decode("utf-8")
    kept, last = [], 0
    for a, b in sorted(span for ig in doc.ignored for span in ig.spans):
        kept.append(text[last:a])
        last = b
    kept.append(text[last:])
    return strip_space("".join(kept))


def test_source_page_text_is_the_source(desktop, server, book):
    for doc in book.documents.values():
        visit(desktop, f"{server}sources/{doc.id}/")
        expected = source_without_ignored(doc)
        assert strip_space(desktop.evaluate(PRINTED, True)) == expected, doc.id
        anchors = desktop.evaluate("() => [...document.querySelectorAll('h2[id], h3[id]')].map(h => h.id)")
        assert {c.anchor for c in doc.clauses} <= set(anchors), doc.id
        if any(c.corrections for c in doc.clauses):
            assert strip_space(desktop.evaluate(PRINTED, False)) != expected, doc.id
    # the check sees a missing paragraph
    desktop.evaluate("document.querySelectorAll('.hb-doc p.hb-print')[3].remove()")
    assert strip_space(desktop.evaluate(PRINTED, True)) != source_without_ignored(doc)


def corrected_clause(book):
    return next(c for d in book.documents.values() for c in d.clauses if c.corrections and c.kind != "heading")


def test_correction_shows_its_original_by_tap_and_keyboard(phone, desktop, server, book, artifacts):
    clause = corrected_clause(book)
    fix = clause.corrections[0]
    url = f"{server}sources/{clause.document}/#{clause.anchor}"
    block = f'.hb-para:has([id="{clause.anchor}"])'
    # phone: tap
    visit(phone, url)
    button = phone.locator(f"{block} .hb-fix-btn").first
    note = phone.locator(f"{block} .hb-fix-note").first
    assert button.inner_text().startswith(fix.corrected) and not note.is_visible()
    button.tap()
    assert note.is_visible() and fix.original in note.inner_text()
    assert button.get_attribute("aria-expanded") == "true"
    screenshot(phone, artifacts, "source-correction", PHONE["width"])
    button.tap()
    assert not note.is_visible()
    # desktop: keyboard
    visit(desktop, url)
    desktop.locator(f"{block} .hb-fix-btn").first.focus()
    desktop.keyboard.press("Enter")
    assert desktop.locator(f"{block} .hb-fix-note").first.is_visible()


def test_clause_reached_by_link_is_highlighted(desktop, server, book):
    doc = book.documents["yiwu"]
    target, other = [c for c in doc.clauses if c.kind == "duty"][:2]
    visit(desktop, f"{server}sources/{doc.id}/#{target.anchor}")
    colour = "id => getComputedStyle(document.getElementById(id).closest('.hb-para')).backgroundColor"
    assert desktop.evaluate(colour, target.anchor) != desktop.evaluate(colour, other.anchor)
    top = desktop.evaluate("id => document.getElementById(id).getBoundingClientRect().top", target.anchor)
    assert 0 <= top < DESKTOP["height"] / 2  # scrolled to it, below the header


def test_outline_folds_on_a_phone_and_links_to_articles(phone, desktop, server, artifacts):
    visit(desktop, f"{server}sources/yiwu/")
    assert desktop.locator(".hb-outline details").get_attribute("open") is not None
    screenshot(desktop, artifacts, "source-top", DESKTOP["width"])
    visit(phone, f"{server}sources/yiwu/")
    outline = phone.locator(".hb-outline details")
    assert outline.get_attribute("open") is None
    screenshot(phone, artifacts, "source-top", PHONE["width"])
    outline.locator("summary").tap()
    link = outline.locator("ol ol a").first
    assert link.is_visible()
    screenshot(phone, artifacts, "source-outline-open", PHONE["width"])
    anchor = link.get_attribute("href").split("#", 1)[1]
    link.tap()
    phone.wait_for_function("id => decodeURIComponent(location.hash) === '#' + id", arg=anchor)


def test_copy_citation_puts_it_on_the_clipboard(desktop, server, book):
    doc = book.documents["yiwu"]
    clause = next(c for c in doc.clauses if c.locator == "第十一条第（三）项")
    expected = f"《{doc.title.value}》{clause.locator}，见 {server}sources/{doc.id}/#{clause.anchor}"
    pages = [
        (f"sources/{doc.id}/", f'.hb-para:has([id="{clause.anchor}"])'),
        (f"roles/{clause.roles[0]}/{clause.jurisdiction}/", f'[id="{clause.anchor}"]'),
    ]
    for path, block in pages:
        visit(desktop, server + path)
        desktop.evaluate("navigator.clipboard.writeText('')")
        desktop.locator(f"{block} .hb-cite-btn").click()
        status = desktop.locator(f"{block} .hb-cite-status")
        status.wait_for(state="visible")
        assert status.inner_text() == "已复制" and status.get_attribute("aria-live") == "polite"
        assert desktop.evaluate("navigator.clipboard.readText()") == expected, path


def test_citation_is_selectable_without_script(browser, server, book):
    doc = book.documents["yiwu"]
    clause = next(c for c in doc.clauses if c.locator == "第十一条第（三）项")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        visit(page, f"{server}sources/{doc.id}/")
        cite = page.locator(f'.hb-para:has([id="{clause.anchor}"]) details.hb-cite')
        cite.locator("summary").click()
        text = cite.locator(".hb-cite-text").inner_text()
        assert text.startswith(f"《{doc.title.value}》{clause.locator}，见 ")
        box = cite.locator(".hb-cite-text").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # the long link wraps
    finally:
        context.close()


def test_source_page_on_a_phone_passes_axe(phone, server):
    visit(phone, f"{server}sources/hubei/")
    problems = axe_problems(phone)
    assert not problems, "\n".join(problems)


def test_wide_tables_say_they_scroll_on_a_phone(phone, server, artifacts):
    for path, name in [("", "home-matrix"), ("jurisdictions/", "jurisdictions"), ("compare/duties/", "compare-table")]:
        visit(phone, server + path)
        box = phone.locator(".hb-scroll").first
        box.scroll_into_view_if_needed()
        assert box.evaluate("e => e.scrollWidth > e.clientWidth"), path
        assert "hb-scrolls" in box.get_attribute("class")
        hint = phone.locator(".hb-scroll-hint").first
        assert hint.is_visible() and "滑动" in hint.inner_text()
        screenshot(phone, artifacts, name, PHONE["width"])
        box.evaluate("e => { e.scrollLeft = e.scrollWidth; e.dispatchEvent(new Event('scroll')); }")
        phone.wait_for_function("e => e.classList.contains('hb-at-end')", arg=box.element_handle())
        # no column narrower than four characters of its own font
        narrow = box.evaluate("""e => [...e.querySelectorAll('th, td')].filter(c => {
            const s = getComputedStyle(c);
            return c.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) < 4 * parseFloat(s.fontSize) - 0.5;
        }).map(c => c.innerText)""")
        assert not narrow, (path, narrow[:5])
