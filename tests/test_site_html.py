"""The built site as HTML: pages exist, clauses are anchored, nothing points abroad,
search is segmented, the dataset is published."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import ROOT
from handbook.tiling import strip_space


class Links(HTMLParser):
    """Collects ids, hrefs/srcs and inline style urls of one page."""

    def __init__(self):
        super().__init__()
        self.ids, self.refs = set(), []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src", "action", "poster", "data") and value:
                self.refs.append(value)
            if name == "style" and value and "url(" in value:
                self.refs += re.findall(r"url\(([^)]*)\)", value)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text("utf-8"))
    return parser


def page(site: Path, url: str) -> Path:
    return site / url / "index.html"


def test_every_role_jurisdiction_with_content_has_its_page(site, index, book):
    for role in book.roles:
        for view in index.jurisdictions.values():
            exists = page(site, f"roles/{role}/{view.id}").exists()
            assert exists == index.has_content(role, view.id), (role, view.id)
        assert page(site, f"roles/{role}").exists()
    for view in index.jurisdictions.values():
        assert page(site, f"jurisdictions/{view.id}").exists()
    for slug in ("duties", "triggers", "sanctions", "circumstances", "systems"):
        assert page(site, f"compare/{slug}").exists()
    for name in ("glossary", "downloads", "guide", "roles", "jurisdictions", "sources", "compare"):
        assert page(site, name).exists(), name


def test_every_clause_is_anchored_on_its_source_page_and_a_structured_page(site, index, book):
    structured: set[str] = set()
    for path in (
        list((site / "roles").rglob("index.html"))
        + list((site / "jurisdictions").rglob("index.html"))
        + list((site / "compare").rglob("index.html"))
    ):
        structured |= parse(path).ids
    for doc in book.documents.values():
        ids = parse(page(site, f"sources/{doc.id}")).ids
        for clause in doc.clauses:
            assert clause.id in ids, clause.id
            assert clause.id in structured, clause.id


def test_links_between_pages_resolve(site):
    """Every relative link of every page points at a file of the built site (and anchor)."""
    anchors: dict[Path, set[str]] = {}
    for html in site.rglob("*.html"):
        for ref in parse(html).refs:
            if re.match(r"^[a-z]+:", ref):
                continue
            target, _, anchor = ref.partition("#")
            target = target.split("?")[0]
            base = site if target.startswith("/") else html.parent  # 404.html uses root paths
            path = (base / target.lstrip("/")).resolve() if target else html
            if path.is_dir():
                path = path / "index.html"
            assert path.exists(), (html.relative_to(site), ref)
            if anchor and path.suffix == ".html":
                if path not in anchors:
                    anchors[path] = parse(path).ids
                assert anchor in anchors[path], (html.relative_to(site), ref)


def test_no_reference_to_any_foreign_host(site):
    foreign = re.compile(r"^(https?:)?//", re.I)
    for path in site.rglob("*"):
        if path.suffix == ".html":
            for ref in parse(path).refs:
                assert not foreign.match(ref.strip()), (path.relative_to(site), ref)
        elif path.suffix == ".css":
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", path.read_text("utf-8")):
                assert not foreign.match(url), (path.relative_to(site), url)
            assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", path.read_text("utf-8"))


def test_search_index_is_segmented_by_jieba(site):
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    separator = index["config"]["separator"]
    assert "\\u200b" in separator or "\u200b" in separator
    tokens = set(re.split("[\u200b\\s]+", text))
    # (主体责任 and the other glossary terms are kept whole: tests/test_finding.py)
    for word in ("责任", "廉政", "监督"):
        assert word in tokens, word
    assert text.count("\u200b") > 1000


def test_chinese_search_patch_loads_before_materials_bundle(site):
    """The bundle posts the search index to its worker as soon as the index arrives; the
    Chinese query cutting (search-zh.js) learns its words from that message, so on every
    page it must be loaded, blocking, before the bundle (a later script sometimes missed it
    and left 三重一大 to be searched as 三 重 一 大)."""
    for path in site.rglob("*.html"):
        html = path.read_text("utf-8")
        scripts = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"[^>]*>", html)
        bundle = [i for i, src in enumerate(scripts) if "/bundle." in "/" + src]
        assert bundle, (path.relative_to(site), scripts)
        patch = [i for i, src in enumerate(scripts) if src.endswith("assets/search-zh.js")]
        assert patch and patch[0] < bundle[0], (path.relative_to(site), scripts)
        tag = re.search(r"<script\b[^>]*search-zh\.js[^>]*>", html).group()
        assert "async" not in tag and "defer" not in tag, (path.relative_to(site), tag)


def test_glossary_terms_are_marked_on_generated_pages(site, book):
    html = page(site, "roles/secretary/yiwu").read_text("utf-8")
    assert '<abbr title="' in html
    assert "一岗双责</abbr>" in html  # the term occurs in 第七条(三) and must be marked
    glossary = page(site, "glossary").read_text("utf-8")
    for t in book.terms.values():
        assert f'id="{t.id}"' in glossary


def test_sources_show_truncation_corrections_and_ignored_spans(site, book):
    hubei = page(site, "sources/hubei").read_text("utf-8")
    assert "原文到此中断" in hubei and "第十六条" in hubei
    province = page(site, "sources/province-opinions").read_text("utf-8")
    # a correction is read corrected, with the original beside it (inline, see test_sourcedoc.py)
    assert "<ins>党组</ins>" in province and "原文作“<del>冀组</del>”" in province and "党风廉政建设" in province
    yiwu = page(site, "sources/yiwu").read_text("utf-8")
    assert "已忽略：" in yiwu and "设为主页" in yiwu


def test_role_page_links_duties_to_triggers_and_sanctions(site, index):
    html = page(site, "roles/secretary/yiwu").read_text("utf-8")
    duty = index.clauses["yiwu/a7-i1"]
    assert duty.id in parse(page(site, "roles/secretary/yiwu")).ids
    segment = html.split(f'id="{duty.id}"', 1)[1].split('class="hb-clause', 1)[0]
    for trigger in index.triggers_for_duty(duty):
        assert f'href="#{trigger.id}"' in segment
    assert "追究方式" in segment


def test_jurisdiction_without_accountability_text_says_so(site, index):
    for view in index.jurisdictions.values():
        if not index.has_accountability(view.id):
            html = page(site, f"roles/committee/{view.id}").read_text("utf-8")
            assert "没有责任追究条文" in html and "compare/triggers/" in html


def test_compare_pages_mark_gaps_and_summarise(site, index):
    html = page(site, "compare/triggers").read_text("utf-8")
    assert "未规定" in html and "要点" in html
    sanctions = page(site, "compare/sanctions").read_text("utf-8")
    assert "情节较轻" in sanctions and "规定免责" in sanctions


def test_published_dataset_matches_sources(site, book):
    data = json.loads((site / "downloads" / "handbook.json").read_text("utf-8"))
    assert set(data) >= {"documents", "themes", "roles", "clauses", "ignored"}
    sources = {d["id"]: (ROOT / d["source"]).read_text("utf-8") for d in data["documents"]}
    assert len(data["clauses"]) == sum(len(d.clauses) for d in book.documents.values())
    for record in data["clauses"]:
        for key in (
            "id",
            "document",
            "jurisdiction",
            "kind",
            "roles",
            "themes",
            "title",
            "locator",
            "text",
            "quote",
            "spans",
            "corrections",
            "links",
        ):
            assert key in record, key
        source = sources[record["document"]]
        got = strip_space("".join(source[a:b] for a, b in record["spans"]))
        heading = next(c.heading for c in book.documents[record["document"]].clauses if c.id == record["id"]) or ""
        assert got == strip_space(heading + "".join(record["quote"])), record["id"]
    for record in data["ignored"]:
        assert record["reason"] and record["spans"]
    rows = list(csv.DictReader(io.StringIO((site / "downloads" / "handbook.csv").read_text("utf-8-sig"))))
    assert len(rows) == len(data["clauses"]) and rows[0]["id"] == data["clauses"][0]["id"]


def test_search_titles_carry_no_page_marks(site):
    """A search result's title is the heading's words: not the editorial-title mark (*) or
    the permalink (¶) the page draws beside it."""
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    marked = [d["title"] for d in index["docs"] if d["title"].endswith("*") or "¶" in d["title"]]
    assert not marked, marked[:10]
