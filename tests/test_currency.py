"""Currency and reader-facing words: each page that gives a reader duties says how binding,
how old and how current its documents are; the central rules note (data/central_rules.yml)
on home and jurisdiction pages; no developer words on reader pages; the editors' guide
out of the readers' nav and search.

Expectations are read from the YAML files themselves (not from the loaded model), so a new
document, jurisdiction, role or rule needs no change here.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from test_browser import PHONE, screenshot, visit

from conftest import ROOT, build_site

DATA = ROOT / "data"


# -- the data, read independently ---------------------------------------------------


@functools.cache
def documents() -> dict[str, dict]:
    """Parsed once per session (the tests read it for every page); never modified."""
    return {
        d["id"]: d for d in (yaml.safe_load(p.read_text("utf-8")) for p in sorted((DATA / "documents").glob("*.yml")))
    }


def current_documents(jurisdiction: str) -> list[dict]:
    """The jurisdiction's documents that no other document supersedes."""
    docs = documents()
    replaced = {d["supersedes"] for d in docs.values() if d.get("supersedes")}
    return [d for d in docs.values() if d["jurisdiction"]["id"] == jurisdiction and d["id"] not in replaced]


def short_title(doc: dict) -> str:
    return doc.get("short_title") or doc["title"]["value"] or doc["id"]


def chinese(value: str) -> str:
    """2015-02-04 → 2015年2月4日 (written out here, not imported from the code under test)."""
    year, *rest = value.split("-")
    out = f"{int(year)}年"
    if rest:
        out += f"{int(rest[0])}月"
    if len(rest) > 1:
        out += f"{int(rest[1])}日"
    return out


def central_rules() -> dict:
    return yaml.safe_load((DATA / "central_rules.yml").read_text("utf-8"))


# -- reading pages ------------------------------------------------------------------


class Blocks(HTMLParser):
    """Visible text of every element matching a test (by tag and attributes), and of the page."""

    VOID = {
        "br",
        "img",
        "input",
        "meta",
        "link",
        "hr",
        "wbr",
        "source",
        "col",
        "area",
        "base",
        "embed",
        "param",
        "track",
    }
    HIDDEN = {"script", "style", "svg", "template"}

    def __init__(self, wanted=lambda tag, attrs: False, skip=lambda tag, attrs: False):
        super().__init__(convert_charrefs=True)
        self.wanted, self.skip = wanted, skip
        self.stack: list[tuple[str, bool, bool]] = []  # tag, collects a block, hides its text
        self.hidden = 0
        self.blocks: list[list[str]] = []
        self.open: list[list[str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        collect = self.wanted(tag, a)
        hide = tag in self.HIDDEN or self.skip(tag, a)
        if collect:
            self.open.append([])
        self.stack.append((tag, collect, hide))
        self.hidden += hide

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            t, collect, hide = self.stack.pop()
            self.hidden -= hide
            if collect:
                self.blocks.append(self.open.pop())
            if t == tag:
                break

    def handle_data(self, data):
        if self.hidden:
            return
        self.text.append(data)
        for block in self.open:
            block.append(data)


def blocks(path: Path, wanted) -> list[str]:
    parser = Blocks(wanted)
    parser.feed(path.read_text("utf-8"))
    return [re.sub(r"\s+", " ", "".join(b)).strip() for b in parser.blocks]


def has_class(name: str):
    return lambda tag, attrs: name in (attrs.get("class") or "").split()


def status_items(path: Path) -> list[str]:
    """The full currency list's entries (role, role × place and calendar pages)."""
    return blocks(path, lambda tag, attrs: tag == "li" and "data-document-status" in attrs)


def expect_status(text: str, doc: dict, where: str, compact: bool = False) -> None:
    """What a reader must learn about ``doc`` from ``text``: status, date and what the date
    is, whether it was inferred, and whether anyone verified it is still in force. A card
    (``compact``) says the same in fewer words."""
    assert doc["status"] in text, f"{where}: status {doc['status']} of {doc['id']} missing in {text!r}"
    date, kind = doc["date"], doc.get("date_kind")
    if date["value"] is None:
        assert ("日期不详" if compact else "日期：不详") in text, f"{where}: unknown date of {doc['id']}: {text!r}"
    else:
        shown = chinese(str(date["value"])) + (kind or "" if compact else "")
        assert shown in text, f"{where}: date of {doc['id']} ({shown}) missing in {text!r}"
        if not date["stated"]:
            assert (shown + "（推定）" if compact else "编辑推定") in text, (
                f"{where}: inferred date of {doc['id']}: {text!r}"
            )
    if kind == "网页发布" and not compact:
        assert "网页发布日期，不是印发日期" in text, f"{where}: web date of {doc['id']}: {text!r}"
    elif kind == "印发" and not compact:
        assert "（印发日期" in text, f"{where}: {text!r}"
    if doc["verified_on"] is None:
        assert ("未核实是否仍有效" if compact else "是否仍然有效：尚未核实") in text, f"{where}: {text!r}"
    else:
        assert doc["verified_on"] in text and "尚未核实" not in text and "未核实" not in text, f"{where}: {text!r}"


def pages_under(site: Path, pattern: str) -> list[Path]:
    found = sorted(site.glob(pattern))
    assert found, f"no page matches {pattern}"
    return found


# -- 1. status on every page type that gives duties ----------------------------------


def test_role_jurisdiction_and_calendar_pages_show_each_documents_status(site):
    for pattern in ("roles/*/*/index.html", "calendar/*/*/index.html"):
        for path in pages_under(site, pattern):
            jurisdiction = path.parent.name if pattern.startswith("roles") else path.parent.parent.name
            items = status_items(path)
            docs = current_documents(jurisdiction)
            assert len(items) == len(docs), f"{path}: {items}"
            for doc in docs:
                entry = [t for t in items if f"《{short_title(doc)}》" in t]
                assert entry, f"{path}: no status for {doc['id']}"
                expect_status(entry[0], doc, str(path.relative_to(site)))


def test_role_page_shows_the_status_of_every_document_it_draws_on(site):
    for path in pages_under(site, "roles/*/index.html"):
        places = [p.parent.name for p in path.parent.glob("*/index.html")]
        expected = [d for place in places for d in current_documents(place)]
        items = status_items(path)
        assert len(items) == len(expected), path
        for doc in expected:
            entry = [t for t in items if f"《{short_title(doc)}》" in t]
            assert entry, f"{path}: no status for {doc['id']}"
            expect_status(entry[0], doc, str(path.relative_to(site)))


def test_every_card_states_each_documents_status_under_its_name(site):
    for path in pages_under(site, "checklists/*/*/index.html"):
        docs = current_documents(path.parent.parent.name)
        heads = blocks(path, has_class("hb-sheet-docs"))
        assert heads and len(heads) == len(blocks(path, has_class("hb-sheet"))), path  # every card of a booklet
        assert len(blocks(path, has_class("hb-currency-line"))) == len(docs) * len(heads), path
        for head in heads:
            for doc in docs:
                name = f"《{doc['title']['value'] or short_title(doc)}》"
                assert name in head, f"{path}: {doc['id']} not named"
                below = head.split(name, 1)[1].split("《", 1)[0]  # up to the next document's name
                expect_status(below, doc, str(path.relative_to(site)), compact=True)


def test_quizzes_carry_one_compact_status_line_per_document(site):
    for path in pages_under(site, "quizzes/*/*/index.html"):
        docs = current_documents(path.parent.parent.name)
        lines = blocks(path, has_class("hb-currency-line"))
        assert len(lines) == len(docs), f"{path}: {lines}"
        for doc in docs:
            line = lines[0] if len(docs) == 1 else next(t for t in lines if f"《{short_title(doc)}》" in t)
            expect_status(line, doc, str(path.relative_to(site)), compact=True)


@pytest.mark.browser
def test_status_shown_in_the_browser_on_phone(browser, site, server, artifacts, index):
    """A county secretary on a phone sees the status before the first duty (role page and
    role × place page), and on the card."""
    # an unverified document with a role that has duties there, so that "before the
    # duties" is checked
    doc, role = next(
        (d, r)
        for d in documents().values()
        if d["verified_on"] is None
        for r in index.book.roles
        if index.for_role(r, d["jurisdiction"]["id"], ["duty"])
    )
    place = doc["jurisdiction"]["id"]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    try:
        for url, selector, first_section, name in (
            (f"roles/{role}/", ".hb-currency", "h2[id^='duty']", "currency-role"),
            (f"roles/{role}/{place}/", ".hb-currency", "#duties", "currency-role-jurisdiction"),
            (f"checklists/{place}/{role}/", ".hb-currency-line", None, "currency-checklist"),
        ):
            visit(page, server + url)
            status = page.locator(selector, has_text=short_title(doc)).first
            if selector == ".hb-currency-line":
                status = page.locator(selector).first  # a card names its one place's documents
            assert status.is_visible(), url
            text = status.inner_text()
            assert doc["status"] in text and "未核实" in text, (url, text)
            box = status.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
            if first_section:  # before the duties, not below them
                section = page.locator(first_section).first
                assert section.count() == 1, (url, first_section)
                assert box["y"] < section.bounding_box()["y"], url
            screenshot(page, artifacts, name, PHONE["width"])
    finally:
        context.close()


# -- 2. central rules ------------------------------------------------------------------


def rule_items(path: Path) -> dict[str, str]:
    parser = Blocks(lambda tag, attrs: tag == "li" and "data-rule" in attrs)
    html = path.read_text("utf-8")
    parser.feed(html)
    ids = re.findall(r'<li data-rule="([^"]+)"', html)
    return dict(zip(ids, (re.sub(r"\s+", " ", "".join(b)).strip() for b in parser.blocks), strict=True))


def expect_rule(text: str, rule: dict, where: str) -> None:
    assert f"《{rule['title']}》" in text, where
    assert rule["issuer"] in text, where
    for d in rule["dates"]:
        assert f"{chinese(d['value'])}{d['event']}" in text, f"{where}: {text!r}"
    assert rule["status"] in text and "编者判断" in text, where
    assert ("尚未核实" in text) == (rule["verified_on"] is None), where
    assert rule["relation"] in text and rule["basis"] in text, where


def test_central_rules_on_home_and_every_jurisdiction_page(site):
    data = central_rules()
    assert data["rules"], "the list names at least one central rule"
    pages = [site / "index.html", *pages_under(site, "jurisdictions/*/index.html")]
    for path in pages:
        shown = rule_items(path)
        assert list(shown) == [r["id"] for r in data["rules"]], path
        assert data["basis"] in unescape(path.read_text("utf-8")), path
        assert "编者注" in unescape(path.read_text("utf-8")), path
        for rule in data["rules"]:
            expect_rule(shown[rule["id"]], rule, str(path.relative_to(site)))


def test_jurisdiction_pages_say_which_rules_postdate_their_documents(site):
    for path in pages_under(site, "jurisdictions/*/index.html"):
        shown = rule_items(path)
        for rule in central_rules()["rules"]:
            text = shown[rule["id"]]
            first = int(rule["dates"][0]["value"][:4])
            for doc in current_documents(path.parent.name):
                name = f"《{short_title(doc)}》"
                assert name in text, f"{path}: {doc['id']} not compared with {rule['id']}"
                if doc["date"]["value"] is None:
                    assert f"{name}的日期不详" in text, path
                elif int(str(doc["date"]["value"])[:4]) < first:
                    assert f"晚于{name}" in text, f"{path}: {rule['id']} postdates {doc['id']}: {text!r}"


def test_central_rules_in_the_dataset(site):
    exported = json.loads((site / "downloads" / "handbook.json").read_text("utf-8"))["central_rules"]
    data = central_rules()
    assert exported["basis"] == data["basis"]
    assert [r["id"] for r in exported["rules"]] == [r["id"] for r in data["rules"]]
    assert [r["title"] for r in exported["rules"]] == [r["title"] for r in data["rules"]]


HOSTILE = "<img src=x onerror=alert(1)>{{ 7*7 }}"


@pytest.mark.slow
def test_central_rules_text_is_escaped(project_copy, tmp_path):
    path = project_copy / "data" / "central_rules.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    rule = data["rules"][0]
    for key in ("title", "issuer", "relation", "basis"):
        rule[key] += HOSTILE
    data["basis"] += HOSTILE
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = tmp_path / "site"
    result = build_site(project_copy, out)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    pages = [out / "index.html", *sorted(out.glob("jurisdictions/*/index.html"))]
    for page in pages:
        html = page.read_text("utf-8")
        assert "<img src=x" not in html, page
        assert "&lt;img src=x onerror=alert(1)&gt;{{ 7*7 }}" in html, page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["dates"].reverse(), "没有按时间先后排列"),
        (lambda r: r["dates"][0].update(value="2016-07-08"), "central_rules.yml"),
        (lambda r: r.pop("basis"), "basis"),
    ],
    ids=["dates-out-of-order", "a-day-not-allowed", "basis-missing"],
)
def test_bad_central_rules_fail_with_a_chinese_message(project_copy, change, message):
    path = project_copy / "data" / "central_rules.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    rule = next(r for r in data["rules"] if len(r["dates"]) > 1) if message.startswith("没有") else data["rules"][0]
    change(rule)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "handbook", "check"], cwd=project_copy, capture_output=True, text=True, timeout=300
    )
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in out
    assert "data/central_rules.yml:" in out and message in out, out[-1500:]


# -- 3. reader-facing words ----------------------------------------------------------


def vocabulary_ids() -> set[str]:
    ids: set[str] = set()
    for name, keys in (
        ("roles.yml", ("roles", "actors")),
        ("measures.yml", ("measures",)),
        ("themes.yml", ("themes",)),
    ):
        data = yaml.safe_load((DATA / name).read_text("utf-8"))
        for key in keys:
            ids |= {x["id"] for x in data[key]}
    for doc in documents().values():
        ids |= {doc["id"], doc["jurisdiction"]["id"]}
    return ids


def forbidden() -> list[re.Pattern]:
    ids = sorted(vocabulary_ids(), key=len, reverse=True)
    return [
        re.compile(r"Markdown|Python|Traceback"),
        re.compile(r"\bspans?\b"),
        # a hash-looking "version" (hex with letters and digits)
        re.compile(r"(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}(?![0-9A-Za-z])"),
        re.compile(r"[\w*-]+\.(?:pdf|ics|csv|json|ya?ml|txt)\b|\bdata/"),  # a file name or the data folder
        re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w-])"),  # a raw id
    ]


def developer_words(html: str, patterns: list[re.Pattern]) -> list[str]:
    """Forbidden words in the visible text, outside a section marked for developers."""
    parser = Blocks(skip=lambda tag, attrs: attrs.get("data-audience") == "developer")
    parser.feed(html)
    text = re.sub(r"\s+", " ", " ".join(parser.text))
    return [text[max(0, m.start() - 30) : m.end() + 10] for p in patterns for m in p.finditer(text)]


def reader_pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] != "guide"]


def test_the_scan_finds_developer_words():
    """The scanner is not blind: each kind of developer word is caught, and a developers'
    section is skipped."""
    patterns = forbidden()
    role = next(iter(vocabulary_ids()))
    for bad in (
        "数据版本 0a170bb06f79",
        "（Markdown 标题标记）",
        "每条记录的 spans",
        "x-all.pdf",
        "原文（data/sources/*.txt）",
        f"按（{role}）归类",
    ):
        assert developer_words(f"<p>{bad}</p>", patterns), bad
    assert not developer_words('<section data-audience="developer"><p>spans 0a170bb06f79</p></section>', patterns)
    assert not developer_words("<p>2015年2月4日 连发〔2015〕16号</p>", patterns)


def test_no_developer_words_on_reader_pages(site):
    patterns = forbidden()
    found = {
        str(p.relative_to(site)): words
        for p in reader_pages(site)
        if (words := developer_words(p.read_text("utf-8"), patterns))
    }
    assert not found, found


def test_no_clause_head_repeats_itself(site):
    """A clause's head never reads "标题 标题": title, source link and tags all differ."""
    for path in reader_pages(site):
        html = path.read_text("utf-8")
        for head in re.findall(r'<p class="hb-head">(.*?)</p>', html, flags=re.S):
            parts = [
                unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in re.split(r"</?(?:strong|a|span)\b[^>]*>", head)
            ]
            parts = [p for p in parts if p and p != "*"]
            assert len(parts) == len(set(parts)), f"{path.relative_to(site)}: {parts}"


def test_downloads_put_the_developers_notes_last(site):
    html = (site / "downloads" / "index.html").read_text("utf-8")
    dev = html.index('data-audience="developer"')
    assert "开发者：数据集说明" in html[dev:]
    for reader_heading in ('id="checklists"', 'id="quizzes"', 'id="calendars"'):
        assert html.index(reader_heading) < dev
    assert "spans" in html[dev:]  # the dataset is still documented, for developers


# -- 4. the editors' guide -----------------------------------------------------------


def test_guide_is_not_in_search(site):
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    assert index["docs"], "the search index is not empty"
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("guide/")]
    assert (site / "guide" / "index.html").is_file()  # still on the site


def test_guide_is_in_an_editors_section_after_the_readers_entries():
    from mkdocs.config import load_config

    nav = load_config(str(ROOT / "mkdocs.yml"))["nav"]
    top = [next(iter(item.values())) for item in nav]
    assert "guide.md" not in top  # not among the readers' main entries
    sections = [i for i, entry in enumerate(top) if isinstance(entry, list)]
    holding = [i for i in sections if any("guide.md" in item.values() for item in top[i])]
    assert holding == [len(top) - 1], nav  # the last entry is the editors' section


def test_guide_link_in_the_rendered_nav_is_the_editors_section(site):
    html = (site / "index.html").read_text("utf-8")
    nested = re.search(r'<li class="[^"]*md-nav__item--nested[^"]*">\s*<a href="guide/"[^>]*>(.*?)</a>', html, re.S)
    assert nested and "编辑" in nested.group(1)
    about = html.index('href="about/"')
    assert about < nested.start()


# -- 5. comparing dates of different precision ----------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "later", "words"),
    [
        ("2015-02-04", "印发", True, "该规定2016年印发，晚于"),
        (
            "2016-03",
            "印发",
            True,
            "该规定2019年修订，晚于",
        ),  # same year as the first issue: only the revision is surely later
        ("2019", "印发", None, "现有日期不足以判断"),  # 2019 vs 2019: a year cannot order them
        ("2020-05", "印发", False, "晚于该规定的修订（2019年）"),
        ("2020-05", "网页发布", None, "现有日期不足以判断"),  # a web date does not prove the text is later
        (None, None, None, "的日期不详"),
    ],
)
def test_a_rule_is_later_only_when_the_dates_prove_it(book, value, kind, later, words):
    from dataclasses import replace

    from handbook.model import CentralRule, Fact, RuleDate
    from handbook.views.currency import verdict

    rule = CentralRule(
        "r", "规定", "中共中央", (RuleDate("2016", "印发"), RuleDate("2019", "修订")), "现行有效", None, "", ""
    )
    doc = replace(next(iter(book.documents.values())), date=Fact(value, value is not None), date_kind=kind)
    result = verdict(rule, doc)
    assert result.later is later
    assert words in result.verdict


def test_source_and_jurisdiction_pages_say_what_a_web_date_is(site):
    """A date that is only a web page's publication date is never shown bare as the
    document's date: its facts on the source and jurisdiction pages say what it is."""
    web = [d for d in documents().values() if d.get("date_kind") == "网页发布" and d["date"]["value"]]
    for doc in web:
        for url in (f"sources/{doc['id']}", f"jurisdictions/{doc['jurisdiction']['id']}"):
            html = (site / url / "index.html").read_text("utf-8")
            assert "网页发布日期，不是印发日期" in html, url
