"""Pocket checklists: real A6 PDFs with embedded CJK fonts, and clean printing in Chromium.

Page-count bound: a single role's checklist fits on at most 6 A6 pages (front: duties,
back: red lines and sanctions); a jurisdiction booklet on at most 6 pages per role.

Everything uses the shared session build (no site_url: no QR, no address) except the
``url_site`` fixture: a copy with site_url set, built without PDFs (its pages), and the
few PDFs the QR test reads rendered from the jobs that build makes.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import ROOT, _QuietHandler, build_site, pdf_cache_as_built, pdf_tool, pdfs_built, require
from fixtures.project import copy_project
from handbook.tiling import strip_space

SITE_URL = "https://lianghe.test/handbook/"

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
    rest = iter(page[start : start + 2 * length + len(head)])
    return all(char in rest for char in tail)


def checklists(site: Path) -> list[Path]:
    return pdfs_built(site)


def page_texts(path: Path) -> list[str]:
    return [pdf_text(path, n) for n in range(1, int(pdfinfo(path)["Pages"]) + 1)]


def roles_of(index, path: Path) -> tuple[str, list[str]]:
    """The jurisdiction and the role ids a checklist PDF covers."""
    jurisdiction, role = path.stem.rsplit("-", 1)
    return jurisdiction, [role] if role != "all" else [
        r for r in index.book.roles if index.has_content(r, jurisdiction)
    ]


def qr_codes_in(pdf: Path, page: int, out: Path) -> list[str]:
    """What zbarimg decodes on one page of a PDF rendered at 300 dpi (empty: no QR code)."""
    subprocess.run(
        [
            pdf_tool("pdftoppm"),
            "-png",
            "-r",
            "300",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(out),
        ],
        check=True,
    )
    require(Path("/usr/bin/zbarimg").exists(), "zbarimg (zbar-tools)")
    result = subprocess.run(["/usr/bin/zbarimg", "-q", "--raw", str(out) + ".png"], capture_output=True, text=True)
    assert result.returncode in (0, 4), result.stderr  # 4: the image holds no code
    return result.stdout.split()


URL_PDFS = ("checklists/yiwu-secretary.pdf", "checklists/hubei-commission.pdf", "checklists/yiwu-all.pdf")


@pytest.fixture(scope="module")
def url_site(tmp_path_factory) -> Path:
    """A copy of the project with site_url set: its pages built (the hook reads site_url
    from mkdocs.yml), and the PDFs of URL_PDFS rendered fresh from the jobs that build
    makes (a cached PDF equals a fresh render: test_a_cached_pdf_is_byte_identical_to_a_fresh_render).
    Rendering every card again for three of them doubled this module's time."""
    from handbook.pdf import engine_problem

    require(engine_problem() is None, "WeasyPrint with the fonts-noto-cjk font")
    root = copy_project(tmp_path_factory.mktemp("url") / "project")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("site_dir: site\n", f"site_dir: site\nsite_url: {SITE_URL}\n", 1), "utf-8"
    )
    result = build_site(root, root / "site")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "未设置 site_url" not in result.stdout + result.stderr
    # In the builds' cache folder: the font cut, if a build already made it, is taken from there.
    cache = pdf_cache_as_built(root, Path(os.environ["HANDBOOK_CACHE_DIR"]) / "pdf")
    jobs = {job.name: job for job in cache.jobs}
    for name in URL_PDFS:
        target = root / "site" / "downloads" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(cache.render_one(jobs[name]))
    return root / "site"


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
    quizzes = sorted((site / "downloads" / "quizzes").glob("*.pdf"))
    assert quizzes
    for path in checklists(site) + quizzes:
        info = pdfinfo(path)
        width, height = page_size(info)
        if path.stem.endswith("-a4"):  # the A4 edition of a quiz
            assert abs(width - 210 * MM_PT) <= MM_PT and abs(height - 297 * MM_PT) <= MM_PT, (path.name, width, height)
        else:
            assert abs(width - A6_PT[0]) <= MM_PT and abs(height - A6_PT[1]) <= MM_PT, (path.name, width, height)
        if path.parent.name == "checklists":
            jurisdiction, roles = roles_of(index, path)
            assert 1 <= int(info["Pages"]) <= MAX_PAGES_PER_ROLE * len(roles), (path.name, info["Pages"])
        fonts = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[
            2:
        ]
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
        assert "依据上列文件整理" in text


def test_pdf_items_are_never_split_across_pages(site, index):
    """In the WeasyPrint PDFs every red-line item (title and locator) prints on one page,
    and every duty title whole on one page."""
    for path in checklists(site):
        jurisdiction, role = path.stem.rsplit("-", 1)
        if role == "all":
            continue
        pages = [strip_space(text) for text in page_texts(path)]
        for clause in index.for_role(role, jurisdiction, ["trigger"]):
            line = strip_space(clause.title + clause.locator)
            assert any(line in page for page in pages), (path.name, clause.id)
        for clause in index.for_role(role, jurisdiction, ["duty"]):
            assert any(strip_space(clause.title) in page for page in pages), (path.name, clause.id)
            if clause.key_action and clause.key_action != clause.title:
                assert any(strip_space(clause.key_action) in page for page in pages), (path.name, clause.id)


def test_key_actions_are_cut_only_between_phrases(index):
    """A shortened key action ends where a phrase of its clause ends, never inside a word."""
    for clause in index.current_clauses():
        action = clause.key_action
        if action.endswith("……"):
            shown = action[:-2]
            at = clause.text.find(shown)
            assert at != -1 and clause.text[at + len(shown)] in "，,、：:", (clause.id, action)
        else:
            assert action in clause.text, (clause.id, action)


def role_cards(site: Path) -> list[Path]:
    """The checklist PDFs of one role each (a booklet's pages are its cards': see below)."""
    return [path for path in checklists(site) if not path.stem.endswith("-all")]


def test_a_booklet_is_its_role_cards_page_for_page(site, index):
    """A place's booklet holds each role card of the place, in role order, every page as on
    the card itself (page numbers included: each card is a set of loose sheets of its own)."""
    for booklet in checklists(site):
        jurisdiction, role = booklet.stem.rsplit("-", 1)
        if role != "all":
            continue
        _, roles = roles_of(index, booklet)
        assert roles, booklet.name
        cards = [site / "downloads" / "checklists" / f"{jurisdiction}-{r}.pdf" for r in roles]
        assert page_texts(booklet) == [text for card in cards for text in page_texts(card)], booklet.name


def test_every_page_after_the_first_names_role_and_place(site, index):
    """Loose sheets can be sorted: each page after the first carries role · place · page x/y."""
    for path in role_cards(site) + sorted((site / "downloads" / "quizzes").glob("*.pdf")):
        jurisdiction, roles = (
            roles_of(index, path)
            if path.parent.name == "checklists"
            else (path.stem.rsplit("-", 2)[0], [path.stem.rsplit("-", 2)[1]])
        )
        place = strip_space(index.jurisdictions[jurisdiction].name)
        pages = page_texts(path)
        for number, text in enumerate(pages[1:], start=2):
            running = [strip_space(f"{index.book.roles[r].short} · {place} · {number}/{len(pages)}") for r in roles]
            assert any(line in strip_space(text) for line in running), (path.name, number, text[:80])


def test_no_page_holds_only_the_footer(site, index):
    """Take away the running header, the page number and the footer: something is left."""
    footer = re.compile(r"依据上列文件整理。(在线版（含条文全文）：\S+)?")
    for path in role_cards(site):
        jurisdiction, roles = roles_of(index, path)
        pages = page_texts(path)
        for number, text in enumerate(pages, start=1):
            rest = strip_space(text).replace(f"{number}/{len(pages)}", "")
            for r in roles:
                rest = rest.replace(
                    strip_space(f"{index.book.roles[r].short} · {index.jurisdictions[jurisdiction].name} · "), ""
                )
            rest = footer.sub("", rest)
            assert rest, (path.name, number)


def test_one_name_per_document_on_each_card(site, index):
    """The card names each source document once, by its full title; the footer refers back."""
    for path in checklists(site):
        jurisdiction, roles = roles_of(index, path)
        text = strip_space(pdf_text(path))
        for doc in index.jurisdictions[jurisdiction].documents:
            if doc.current:
                assert text.count(strip_space(f"《{doc.title.value or doc.short_title}》")) == len(roles), (
                    path.name,
                    doc.id,
                )
        assert text.count("依据上列文件整理") == len(roles), path.name


def test_nothing_in_the_site_points_at_a_placeholder_host(site):
    for path in site.rglob("*"):
        if path.is_file():
            assert b"example.org" not in path.read_bytes(), path


def test_without_site_url_cards_print_no_qr_and_no_address(site, index, artifacts):
    html = (site / "checklists" / "yiwu" / "secretary" / "index.html").read_text("utf-8")
    assert "hb-sheet-foot" in html and "<svg" not in html.split("hb-sheet-foot", 1)[1].split("</footer>", 1)[0]
    assert "在线版" not in html
    for name in ("yiwu-secretary.pdf", "hubei-all.pdf"):
        path = site / "downloads" / "checklists" / name
        pages = int(pdfinfo(path)["Pages"])
        assert "在线版" not in pdf_text(path)
        assert qr_codes_in(path, pages, artifacts / f"noqr-{path.stem}") == [], name


def test_with_site_url_the_qr_decodes_to_the_cards_page(url_site, index, artifacts):
    """The QR on each card and its printed address name the role's page for the place, under
    site_url; that page exists in the built site."""
    for jurisdiction, role in (("yiwu", "secretary"), ("hubei", "commission")):
        path = url_site / "downloads" / "checklists" / f"{jurisdiction}-{role}.pdf"
        pages = int(pdfinfo(path)["Pages"])
        expected = f"{SITE_URL}roles/{role}/{jurisdiction}/"
        assert qr_codes_in(path, pages, artifacts / f"qr-{path.stem}") == [expected], path.name
        assert expected in strip_space(pdf_text(path, pages)), path.name
        assert (url_site / expected[len(SITE_URL) :] / "index.html").is_file()
        html = (url_site / "checklists" / jurisdiction / role / "index.html").read_text("utf-8")
        assert expected in html and "<svg viewBox=" in html
    # a booklet: one QR per role card, each on the page where that card ends
    booklet = url_site / "downloads" / "checklists" / "yiwu-all.pdf"
    found = {
        code
        for n in range(1, int(pdfinfo(booklet)["Pages"]) + 1)
        if "在线版" in strip_space(pdf_text(booklet, n))
        for code in qr_codes_in(booklet, n, artifacts / f"qr-yiwu-all-{n}")
    }
    assert found == {f"{SITE_URL}roles/{r}/yiwu/" for r in index.book.roles if index.has_content(r, "yiwu")}


@pytest.mark.parametrize(
    "name",
    [
        "checklists/yiwu-secretary.pdf",
        "checklists/hubei-commission.pdf",
        "quizzes/yiwu-secretary-a6.pdf",
        "quizzes/yiwu-secretary-a4.pdf",
    ],
)
def test_first_and_last_page_rendered_for_review(site, artifacts, name):
    """PNGs of page 1 and the last page under test-artifacts/, to look at before release."""
    path = site / "downloads" / name
    pages = int(pdfinfo(path)["Pages"])
    for page in sorted({1, pages}):
        out = artifacts / f"review-{path.stem}-p{page}"
        subprocess.run(
            [
                pdf_tool("pdftoppm"),
                "-png",
                "-r",
                "120",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(path),
                str(out),
            ],
            check=True,
        )
        assert Path(str(out) + ".png").stat().st_size > 5_000 and strip_space(pdf_text(path, page))


def test_missing_pdf_engine_or_font_is_reported_and_nothing_links_a_pdf(monkeypatch, index):
    from handbook import pdf
    from handbook.pages import Site

    class NoFonts:
        stdout = ""

    monkeypatch.setattr(pdf.subprocess, "run", lambda *a, **k: NoFonts())
    assert "fonts-noto-cjk" in pdf.engine_problem()
    site = Site(index, with_pdfs=False)
    assert site.pdf_jobs() == []
    assert ".pdf" not in site.checklist("yiwu", "secretary").rendered.body
    assert ".pdf" not in site.quiz_page("yiwu", "secretary").rendered.body


def test_a_missing_engine_library_is_named(monkeypatch):
    """The engine check does not import WeasyPrint (half a second of every build): it finds
    the package and loads the libraries its import opens, and names the one that fails."""
    from handbook import pdf

    monkeypatch.setattr(pdf, "ENGINE_LIBRARIES", (*pdf.ENGINE_LIBRARIES, "libpango-9.9.so.404"))
    problem = pdf.engine_problem()
    assert "libpango-9.9.so.404" in problem and "libpango-1.0-0" in problem
    monkeypatch.setattr(pdf.importlib.util, "find_spec", lambda name: None)
    assert "缺少 WeasyPrint" in pdf.engine_problem()


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


def test_a_cached_pdf_is_byte_identical_to_a_fresh_render(site, fresh_pdfs):
    """The build copies PDFs from a content-hash cache; what it copies must be what the
    engine makes from the same input today, from a font cut made anew."""
    pdfs_built(site)
    built = {p.relative_to(site / "downloads").as_posix(): p for p in (site / "downloads").rglob("*.pdf")}
    jobs = {job.name: job for job in fresh_pdfs.jobs}
    assert set(jobs) == set(built)
    # The smallest of each kind, to keep this test quick: one from HTML, one booklet of cards.
    for kind in (lambda job: not job.parts, lambda job: job.parts):
        name = min((n for n in jobs if kind(jobs[n])), key=lambda n: len(jobs[n].content()))
        assert fresh_pdfs.render_one(jobs[name]) == built[name].read_bytes(), name


def test_pdfs_take_every_cjk_glyph_from_the_font_cut(site, book, fresh_pdfs):
    """The CJK text of every PDF comes from the cut of Noto Sans CJK SC (handbook/pdf.py),
    whose character map holds every character of the PDFs and of the source texts that the
    installed font has."""
    from fontTools.ttLib import TTFont

    from handbook.pdf import CJK_FONT, SUBSET_FAMILY

    pdffonts = pdf_tool("pdffonts")
    for path in sorted((site / "downloads").rglob("*.pdf")):
        lines = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout
        cjk = [line.split()[0] for line in lines.splitlines()[2:] if "CJK" in line]
        assert cjk and all(SUBSET_FAMILY.replace(" ", "-") in name for name in cjk), (path.name, cjk)
    used = set().union(
        *(set(job.content()) for job in fresh_pdfs.jobs), *(set(d.source_text) for d in book.documents.values())
    )
    assert {cut.weight for cut in fresh_pdfs.fonts} == {400, 700}
    fresh_pdfs.make_cuts()
    for cut in fresh_pdfs.fonts:
        source = TTFont(cut.source, fontNumber=cut.index, lazy=True)
        assert CJK_FONT in source["name"].getDebugName(1)
        whole = source.getBestCmap()
        wanted = {ord(c) for c in used} & set(whole)
        assert "党" in used and ord("党") in wanted
        kept = set(TTFont(cut.path)["cmap"].getBestCmap())
        assert wanted <= kept, sorted(chr(c) for c in wanted - kept)[:20]
        assert len(kept) < len(whole) / 10  # a cut, not a copy of the whole face


def test_a_new_character_gives_a_new_font_cut_and_new_cache_keys(book, fresh_pdfs):
    """The cut and every PDF's cache key follow the characters: a PDF with a character no
    PDF and no source holds makes a new cut, so no cached PDF can miss a glyph."""
    from handbook.pdf import PdfCache, PdfJob

    css = (ROOT / "docs" / "assets" / "print.css").read_text("utf-8")
    job = fresh_pdfs.jobs[0]
    sources = "".join(document.source_text for document in book.documents.values())
    same = PdfCache(fresh_pdfs.directory, css, fresh_pdfs.base_url, fresh_pdfs.jobs, sources)
    assert [cut.path for cut in same.fonts] == [cut.path for cut in fresh_pdfs.fonts]
    assert same.path(job) == fresh_pdfs.path(job)
    new_char = next(
        chr(c)
        for c in range(0x4E00, 0x9FA6)
        if chr(c) not in sources and all(chr(c) not in j.content() for j in same.jobs)
    )
    edited = [PdfJob(job.name, job.html.replace("</body>", new_char + "</body>")), *fresh_pdfs.jobs[1:]]
    other = PdfCache(fresh_pdfs.directory, css, fresh_pdfs.base_url, edited, sources)
    assert all(a.path != b.path for a, b in zip(other.fonts, fresh_pdfs.fonts))
    assert other.path(fresh_pdfs.jobs[1]) != fresh_pdfs.path(fresh_pdfs.jobs[1])


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
        weasy = int(
            pdfinfo(site / "downloads" / "checklists" / (url.split("/")[1] + "-" + url.split("/")[2] + ".pdf"))["Pages"]
        )
        assert abs(pages - weasy) <= 1, (url, pages, weasy)
        texts = [strip_space(pdf_text(target, n)).replace("☐", "") for n in range(1, pages + 1)]
        for item in items:  # an item is whole when its start and its end print on one page
            lines = [strip_space(line).replace("☐", "") for line in item.splitlines() if strip_space(line)]
            head, tail = lines[0][:12], lines[-1][-6:]
            assert any(starts_and_ends_on(t, head, tail, len("".join(lines))) for t in texts), (url, item[:40])
        sizes = page.evaluate(
            "() => [...document.querySelectorAll('.hb-sheet, .hb-sheet *')]"
            ".map(e => parseFloat(getComputedStyle(e).fontSize)).filter(s => s > 0)"
        )
        assert min(sizes) >= 8.5 / 0.75 - 0.01, (url, min(sizes))  # 8.5 pt in CSS px
        body, table = page.evaluate("""() => [
            Math.max(...[...document.querySelectorAll('.hb-sheet li.hb-item')].map(e => parseFloat(getComputedStyle(e).fontSize))),
            Math.max(0, ...[...document.querySelectorAll('.hb-sheet .hb-ladder td, .hb-sheet .hb-ladder th')]
                           .map(e => parseFloat(getComputedStyle(e).fontSize)))]""")
        assert 0 < table <= body, (url, table, body)
    page.close()


@pytest.fixture(scope="module")
def url_server(url_site):
    handler = functools.partial(_QuietHandler, directory=str(url_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.mark.browser
def test_chromium_prints_the_whole_qr_code(url_server, browser, artifacts):
    """Printed from the browser, the QR is whole: it decodes to the card's address."""
    page = browser.new_page()
    page.goto(url_server + "checklists/yiwu/secretary/")
    page.emulate_media(media="print")
    target = artifacts / "print-url-yiwu-secretary.pdf"
    page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
    page.close()
    pages = int(pdfinfo(target)["Pages"])
    codes = [code for n in range(1, pages + 1) for code in qr_codes_in(target, n, artifacts / f"print-url-qr-{n}")]
    assert codes == [f"{SITE_URL}roles/secretary/yiwu/"]


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
