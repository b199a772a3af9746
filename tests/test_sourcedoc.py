"""Source pages read as the document (handbook.views.sources) and clauses can be cited.

The printed text is checked against the source file itself: with the ignored spans cut
out and every correction put back to its original, the page's text is the source, to the
character (whitespace aside). Browser checks (corrections by tap and keyboard, the copy
button, :target) are in test_sourcedoc_browser.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from handbook.model import Correction
from handbook.tiling import fold_space, strip_space
from handbook.urls import Urls
from handbook.views.sources import Fix, article_of, paragraphs, printed, source_page

ROOT = Path(__file__).resolve().parent.parent


def source_without_ignored(doc) -> str:
    """The source file's text (read here, not taken from the model) minus its ignored spans."""
    text = (ROOT / "data" / "sources" / doc.source).read_bytes().decode("utf-8")
    cut = sorted(span for ig in doc.ignored for span in ig.spans)
    kept, last = [], 0
    for a, b in cut:
        kept.append(text[last:a])
        last = b
    kept.append(text[last:])
    return strip_space("".join(kept))


def page_text(view, reverted: bool = True) -> str:
    """The printed text of a source page's view model, corrections reverted (or not)."""
    out = []
    for item in view.items:
        if item.kind == "skipped":
            continue
        for para in item.text.paragraphs:
            for line in para:
                for seg in line:
                    out.append((seg.original if reverted else seg.corrected) if isinstance(seg, Fix) else seg)
    return strip_space("".join(out))


def test_printed_text_is_the_source(index, book):
    for doc in book.documents.values():
        view = source_page(index, Urls().at(f"sources/{doc.id}.md"), doc)
        assert page_text(view) == source_without_ignored(doc), doc.id
        if any(c.corrections for c in doc.clauses):  # the check would see an unreverted correction
            assert page_text(view, reverted=False) != source_without_ignored(doc), doc.id


def test_every_clause_is_printed_once_with_its_corrected_text(index, book):
    for doc in book.documents.values():
        view = source_page(index, Urls().at(f"sources/{doc.id}.md"), doc)
        shown = [item.clause.id for item in view.items if item.kind == "clause"]
        assert sorted(shown) == sorted(c.id for c in doc.clauses), doc.id
        resumed = {item.clause.id for item in view.items if item.kind == "continuation"}
        for item in view.items:
            if item.kind != "clause" or item.clause.id in resumed:
                continue
            c = item.clause
            corrected = strip_space(
                "".join(
                    s.corrected if isinstance(s, Fix) else s for p in item.text.paragraphs for line in p for s in line
                )
            )
            assert corrected.replace(strip_space(c.heading or ""), "", 1) == strip_space(c.text), c.id


def lines_of(doc, clause) -> list[str]:
    return [line for para in paragraphs(doc, clause.spans) for line in para]


def test_a_correction_across_a_line_break_is_still_shown_both_ways(book):
    """A correction that cannot be marked where it stands (its text spans two printed
    lines) marks the whole clause: the page still reverts to the source."""
    doc = next(d for d in book.documents.values() for c in d.clauses if len(lines_of(d, c)) > 1)
    clause = next(c for c in doc.clauses if len(lines_of(doc, c)) > 1)
    lines = lines_of(doc, clause)
    original = lines[0][-1] + lines[1][0]  # the last character of one paragraph and the first of the next
    fix = Correction(original, "〔改〕", "测试")
    broken = replace(clause, corrections=(fix,), text=clause.original.replace(original, "〔改〕"))
    assert broken.text != clause.original, "the test needs text that spans the two paragraphs"
    shown = printed(doc, broken, broken.spans)
    segments = [s for p in shown.paragraphs for line in p for s in line]
    assert all(isinstance(s, Fix) for s in segments)
    assert strip_space("".join(s.original for s in segments)) == strip_space("".join(lines))
    assert "〔改〕" in "".join(s.corrected for s in segments)


def test_article_of_locators():
    assert article_of("第六条第（一）项") == "第六条"
    assert article_of("第三条第一款") == "第三条"
    assert article_of("第十一条第（四）项第四句") == "第十一条"
    assert article_of("第十条(一)1.") == "第十条"
    assert article_of("第六条第(六)项") == "第六条"
    assert article_of("二、3.（1）") == "二、3."
    assert article_of("党委(党组)领导班子责任1") == "党委(党组)领导班子责任1"  # no article: the locator itself


def test_outline_lists_each_article_once_under_its_chapter(index, book):
    for doc in book.documents.values():
        view = source_page(index, Urls().at(f"sources/{doc.id}.md"), doc)
        articles = [(e.label, e.href) for s in view.outline for e in s.entries]
        anchors = {c.anchor for c in doc.clauses}
        for _, href in articles:
            assert href.split("#", 1)[1] in anchors
        # every numbered article (第…条) of the document is in the outline
        numbered = {
            article_of(c.locator)
            for c in doc.clauses
            if re.fullmatch(r"第[一二三四五六七八九十百]+条", article_of(c.locator))
        }
        assert numbered <= {label for label, _ in articles}, doc.id


# -- the built pages --------------------------------------------------------------------


class Blocks(HTMLParser):
    """Ids of headings, and the text of <ins>/<del> elements, of one page."""

    def __init__(self):
        super().__init__()
        self.heading_ids: set[str] = set()
        self.ins: list[str] = []
        self.dels: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("h2", "h3") and a.get("id"):
            self.heading_ids.add(a["id"])
        if tag in ("ins", "del"):
            self._in = tag
            (self.ins if tag == "ins" else self.dels).append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            (self.ins if self._in == "ins" else self.dels)[-1] += data


def built(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def test_each_clause_is_a_heading_with_its_anchor_and_corrections_show_both_forms(site, book):
    for doc in book.documents.values():
        parser = Blocks()
        parser.feed(built(site, f"sources/{doc.id}"))
        missing = [c.id for c in doc.clauses if c.anchor not in parser.heading_ids]
        assert not missing, (doc.id, missing)
        for c in doc.clauses:
            for fix in c.corrections:
                assert fix.corrected in parser.ins and fix.original in parser.dels, (c.id, fix)


def test_citation_on_source_pages_and_cards(site, book, index):
    doc = book.documents["yiwu"]
    clause = next(c for c in doc.clauses if c.roles and c.kind == "duty")
    expected = f"《{doc.title.value}》{clause.locator}，见"
    html = built(site, f"sources/{doc.id}")
    assert expected in html
    role = clause.roles[0]
    card_page = built(site, f"roles/{role}/{clause.jurisdiction}")
    assert expected in card_page
    # the citation's link is the clause on its source page
    assert f'href="../../../sources/{doc.id}/#{clause.anchor}"' in card_page


def test_citation_uses_the_published_address_when_known(index, book):
    from handbook.views.common import citation

    clause = next(iter(book.documents["yiwu"].clauses))
    links = Urls(True, "https://example.org/hb/").at("roles/secretary/yiwu.md")
    cite = citation(book, links, clause)
    assert cite.url == f"https://example.org/hb/sources/yiwu/#{clause.anchor}"
    assert citation(book, Urls().at("x.md"), clause).url is None


@pytest.mark.parametrize("doc_id", ["yiwu"])
def test_ignored_web_chrome_is_muted_and_labelled(site, book, doc_id):
    html = built(site, f"sources/{doc_id}")
    doc = book.documents[doc_id]
    between = [ig for ig in doc.ignored if len(ig.spans) == 1]
    assert between
    for ig in between[:3]:
        assert f"（已忽略：{ig.reason}）" in html
        assert fold_space(ig.text) in html
