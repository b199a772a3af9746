"""Pocket checklists: real A6 PDFs with embedded CJK fonts, and clean printing in Chromium.

Page-count bound: a single role's checklist fits on at most 6 A6 pages (front: duties,
back: red lines and sanctions); a jurisdiction booklet on at most 6 pages per role.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, build_site, pdf_tool, pdfs_built
from handbook.tiling import strip_space

A6_PT = (105 / 25.4 * 72, 148 / 25.4 * 72)
MM_PT = 72 / 25.4
MAX_PAGES_PER_ROLE = 6


def pdfinfo(path: Path) -> dict:
    out = subprocess.run([pdf_tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def page_size(info: dict) -> tuple[float, float]:
    w, h = re.findall(r"[\d.]+", info["Page size"])[:2]
    return float(w), float(h)


def pdf_text(path: Path, page: int | None = None) -> str:
    args = [pdf_tool("pdftotext")]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run(args + [str(path), "-"], capture_output=True, text=True, check=True).stdout


def starts_and_ends_on(page: str, head: str, tail: str, length: int) -> bool:
    """The item's head, and after it (within twice its length) its tail's characters in
    order: wrapped table cells are extracted interleaved, so the tail need not be contiguous."""
    start = page.find(head)
    if start == -1:
        return False
    rest = iter(page[start:start + 2 * length + len(head)])
    return all(char in rest for char in tail)


def checklists(site: Path) -> list[Path]:
    return pdfs_built(site)


def test_a_pdf_exists_for_every_checklist(site, index, book):
    pdf_tool("pdfinfo")
    names = {p.name for p in checklists(site)}
    for view in index.jurisdictions.values():
        assert f"{view.id}-all.pdf" in names
        for role in book.roles:
            assert (f"{view.id}-{role}.pdf" in names) == index.has_content(role, view.id)
    html = (site / "checklists" / "yiwu" / "secretary" / "index.html").read_text("utf-8")
    assert "yiwu-secretary.pdf" in html
    assert "yiwu-all.pdf" in (site / "downloads" / "index.html").read_text("utf-8")


def test_pdfs_are_a6_bounded_and_embed_real_cjk_fonts(site, index):
    pdffonts = pdf_tool("pdffonts")
    for path in checklists(site):
        info = pdfinfo(path)
        width, height = page_size(info)
        assert abs(width - A6_PT[0]) <= MM_PT and abs(height - A6_PT[1]) <= MM_PT, (path.name, width, height)
        jurisdiction, role = path.stem.rsplit("-", 1)
        roles = 1 if role != "all" else sum(index.has_content(r, jurisdiction) for r in index.book.roles)
        assert 1 <= int(info["Pages"]) <= MAX_PAGES_PER_ROLE * roles, (path.name, info["Pages"])
        fonts = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        cjk = [f for f in fonts if "CJK" in f]
        assert cjk, path.name
        for line in fonts:
            assert "Type 3" not in line, (path.name, line)
        for line in cjk:
            emb, sub = line.split()[-5:-3]
            assert (emb, sub) == ("yes", "yes"), (path.name, line)


def test_pdf_text_has_every_duty_and_trigger_title(site, index):
    pdf_tool("pdftotext")
    for path in checklists(site):
        jurisdiction, role = path.stem.rsplit("-", 1)
        roles = [role] if role != "all" else [r for r in index.book.roles if index.has_content(r, jurisdiction)]
        text = strip_space(pdf_text(path))
        for r in roles:
            if index.for_role(r, jurisdiction, ["duty"]):
                assert "☐" in text, path.name
            for clause in index.for_role(r, jurisdiction, ["duty", "trigger"]):
                assert strip_space(clause.title) in text, (path.name, clause.id, clause.title)
        assert "依据" in text and index.book.version in text


def test_pdf_items_are_never_split_across_pages(site, index):
    """In the WeasyPrint PDFs every red-line item (title and locator) prints on one page."""
    for path in checklists(site):
        jurisdiction, role = path.stem.rsplit("-", 1)
        if role == "all":
            continue
        pages = [strip_space(pdf_text(path, n)) for n in range(1, int(pdfinfo(path)["Pages"]) + 1)]
        for clause in index.for_role(role, jurisdiction, ["trigger"]):
            line = strip_space(clause.title + clause.locator)
            assert any(line in page for page in pages), (path.name, clause.id)


def test_first_page_rendered_for_review(site, artifacts):
    pdftoppm = pdf_tool("pdftoppm")
    out = artifacts / "checklist-yiwu-secretary"
    subprocess.run([pdftoppm, "-png", "-r", "150", "-f", "1", "-l", "2", str(site / "downloads" / "checklists" /
                    "yiwu-secretary.pdf"), str(out)], check=True)
    pages = sorted(artifacts.glob("checklist-yiwu-secretary*.png"))
    assert pages and pages[0].stat().st_size > 10_000


def test_publishing_without_fonts_fails_clearly_and_builds_nothing(no_fonts, tmp_path):
    """require mode (./hb build --publish, CI): a missing CJK font stops the build with the
    package to install; the last good site is kept (here: none is created)."""
    out = tmp_path / "site"
    result = build_site(ROOT, out, pdf="require", env=no_fonts)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-3000:]
    assert "fonts-noto-cjk" in output and "require" in output
    assert "Traceback" not in output
    assert not out.exists()


def test_a_cached_pdf_is_byte_identical_to_a_fresh_render(site):
    """The build copies PDFs from a content-hash cache; what it copies must be what the
    engine makes from the same input today."""
    from handbook import load, pdf
    from handbook.index import Index
    from handbook.pages import Site

    from mkdocs.config import load_config

    built = {p.name: p for p in pdfs_built(site)}
    config = load_config(str(ROOT / "mkdocs.yml"))  # the addresses on the cards come from it, as in the hook
    jobs = Site(Index(load(ROOT)), config.use_directory_urls, True, config.extra.get("public_url", "")).pdf_jobs()
    assert {job.name for job in jobs} == set(built)
    job = min(jobs, key=lambda j: len(j.html))  # the smallest, to keep this test quick
    docs = ROOT / "docs"
    fresh = pdf.render(job.html, (docs / "assets" / "print.css").read_text("utf-8"), str(docs))
    assert fresh == built[job.name].read_bytes(), job.name


@pytest.mark.browser
def test_chromium_prints_checklists_without_overflow_or_split_items(site, server, browser, artifacts):
    """Print media in Chromium: A6 pages from the CSS, nothing wider than the page, and
    every checklist item whole on one page."""
    page = browser.new_page()
    for url in ("checklists/yiwu/secretary/", "checklists/mentougou/committee/", "checklists/hubei/all/"):
        page.goto(server + url)
        page.emulate_media(media="print")
        overflow = page.evaluate("""() => [...document.querySelectorAll('.hb-checklist *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'
                         && e.clientWidth > 0).map(e => e.className || e.tagName)""")
        assert overflow == [], (url, overflow[:5])
        items = page.evaluate("() => [...document.querySelectorAll('.hb-sheet .hb-item')].map(e => e.innerText)")
        assert items
        target = artifacts / f"print-{url.strip('/').replace('/', '-')}.pdf"
        page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
        width, height = page_size(pdfinfo(target))
        assert abs(width - A6_PT[0]) <= MM_PT and abs(height - A6_PT[1]) <= MM_PT, (url, width, height)
        pages = int(pdfinfo(target)["Pages"])
        texts = [strip_space(pdf_text(target, n)).replace("☐", "") for n in range(1, pages + 1)]
        for item in items:  # an item is whole when its start and its end print on one page
            lines = [strip_space(line).replace("☐", "") for line in item.splitlines() if strip_space(line)]
            head, tail = lines[0][:12], lines[-1][-6:]
            assert any(starts_and_ends_on(t, head, tail, len("".join(lines))) for t in texts), (url, item[:40])
        sizes = page.evaluate("() => [...document.querySelectorAll('.hb-sheet, .hb-sheet *')]"
                              ".map(e => parseFloat(getComputedStyle(e).fontSize)).filter(s => s > 0)")
        assert min(sizes) >= 8 / 0.75 - 0.01, (url, min(sizes))  # 8 pt in CSS px
    page.close()


@pytest.mark.browser
def test_paper_size_can_be_switched_to_a5_and_a4(server, browser, artifacts):
    page = browser.new_page()
    page.goto(server + "checklists/yiwu/member/")
    for value, size_mm in (("a5", (148, 210)), ("a4", (210, 297))):
        page.check(f'input[name="hb-paper"][value="{value}"]')
        target = artifacts / f"print-yiwu-member-{value}.pdf"
        page.emulate_media(media="print")
        page.pdf(path=str(target), prefer_css_page_size=True)
        page.emulate_media(media="screen")
        width, height = page_size(pdfinfo(target))
        assert abs(width - size_mm[0] * MM_PT) <= MM_PT and abs(height - size_mm[1] * MM_PT) <= MM_PT, (value, width)
    page.close()
