"""Finding things, in the built site: the contents and permalinks of every generated page
type, previous/next links, the theme pages and the theme × jurisdiction matrix, and the
words the search keeps whole. Expectations come from data/ (read as YAML here), not from
the code under test."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from handbook.outline import outline
from handbook.pages import checklist_keys
from handbook.quiz import quiz_keys
from handbook.search import user_words

ROOT = Path(__file__).resolve().parent.parent


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def ids(page: str) -> set[str]:
    return {html.unescape(v) for v in re.findall(r'\sid="([^"]+)"', page)}


def secondary_toc(page: str) -> list[str]:
    """The anchors Material's right-hand contents (nav.md-nav--secondary) links to."""
    start = page.find('<nav class="md-nav md-nav--secondary"')
    if start == -1:
        return []
    end = page.find("</div>", start)  # the sidebar's inner wrapper closes after the nav
    return [html.unescape(h) for h in re.findall(r'href="#([^"]+)"', page[start:end])]


def sample_pages(book, index) -> dict[str, str]:
    """One page of each generated type, chosen from the data."""
    jurisdiction, role = next((j, r) for j, r in checklist_keys(index) if r)
    quiz_place, quiz_role = quiz_keys(index)[0]
    doc = next(iter(book.documents))
    theme = next(iter(book.themes))
    return {
        "role": f"roles/{role}/",
        "role-jurisdiction": f"roles/{role}/{jurisdiction}/",
        "jurisdiction": f"jurisdictions/{jurisdiction}/",
        "source": f"sources/{doc}/",
        "compare": "compare/duties/",
        "glossary": "glossary/",
        "checklist": f"checklists/{jurisdiction}/{role}/",
        "checklist-booklet": f"checklists/{jurisdiction}/all/",
        "quiz": f"quizzes/{quiz_place}/{quiz_role}/",
        "calendar": "calendar/",
        "themes": "themes/",
        "theme": f"themes/{theme}/",
    }


# -- contents and permalinks ------------------------------------------------------------


def test_every_generated_page_type_has_contents_that_land(site, book, index):
    """Material's contents list the page's h2/h3 headings (and only those), each target
    exists on the page, and each such heading carries a ¶ permalink to itself."""
    for kind, url in sample_pages(book, index).items():
        page = read(site, url)
        toc = secondary_toc(page)
        assert toc, f"{kind} ({url}): no contents"
        missing = [a for a in toc if a not in ids(page)]
        assert not missing, f"{kind} ({url}): contents link to absent ids {missing}"
        content = page[page.find('<article class="md-content__inner') :]
        headings = re.findall(r'<h([23])\b[^>]*\sid="([^"]+)"[^>]*>(.*?)</h\1>', content, re.S)
        assert {html.unescape(a) for _, a, _ in headings} == set(toc), f"{kind}: contents differ from h2/h3"
        for _, anchor, inner in headings:
            assert f'class="headerlink" href="#{anchor}"' in inner, f"{kind}: no permalink in #{anchor}"


def test_hand_written_pages_have_permalinks(site):
    page = read(site, "")  # the home page: Markdown (docs/index.md)
    headings = re.findall(r'<h2\b[^>]*\sid="([^"]+)"[^>]*>(.*?)</h2>', page, re.S)
    assert headings
    assert all('class="headerlink"' in inner for _, inner in headings)


def test_outline_reads_headings_and_adds_permalinks():
    body = (
        '<h2 id="a">甲<span class="hb-ed" title="x">*</span></h2>\n<p>x</p><h3 id="b">乙 &amp; 丙</h3>'
        '<h2>无锚</h2><h4 id="c">丁</h4><h2 id="d" data-toc-label="戊：己">己</h2>'
    )
    out, headings = outline(body)
    assert [(h.level, h.id, h.title) for h in headings] == [(2, "a", "甲"), (3, "b", "乙 & 丙"), (2, "d", "戊：己")]
    assert out.count('class="headerlink"') == 3
    assert '乙 &amp; 丙<a class="headerlink" href="#b"' in out
    assert "<h2>无锚</h2>" in out and '<h4 id="c">丁</h4>' in out


def test_a_booklets_contents_name_each_role(site, book, index):
    jurisdiction = next(j for j, r in checklist_keys(index) if r is None)
    roles = [r for j, r in checklist_keys(index) if j == jurisdiction and r]
    page = read(site, f"checklists/{jurisdiction}/all")
    start = page.find('<nav class="md-nav md-nav--secondary"')
    toc_text = page[start : page.find("</div>", start)]
    for role in roles:
        assert book.roles[role].short + "：" in toc_text


# -- previous / next -------------------------------------------------------------------


def pager_links(page: str) -> dict[str, str]:
    nav = re.search(r'<nav class="hb-pager".*?</nav>', page, re.S)
    return dict(re.findall(r'rel="(prev|next)" href="([^"]+)"', nav.group(0))) if nav else {}


def test_a_roles_places_are_chained_by_previous_and_next(site, index, book):
    for role in book.roles:
        places = [v.id for v in index.role_jurisdictions(role)]
        for i, place in enumerate(places):
            links = pager_links(read(site, f"roles/{role}/{place}"))
            assert links.get("prev") == (f"../{places[i - 1]}/" if i else None)
            assert links.get("next") == (f"../{places[i + 1]}/" if i + 1 < len(places) else None)


def test_the_parts_of_a_split_comparison_are_chained(index, monkeypatch):
    """With more places than fit on a page, each part links the part before and after."""
    from handbook import urls
    from handbook.urls import Urls
    from handbook.views import compare

    monkeypatch.setattr(compare, "COLUMNS_PER_PAGE", 2)
    parts = compare.compare_parts(index, "duties")
    assert parts == -(-len(index.jurisdictions) // 2) >= 2
    for part in range(parts):
        src = urls.compare("duties", part)
        pager = compare.compare_page(index, Urls().at(src), "duties", part).pager
        assert (pager.previous is None) == (part == 0)
        assert (pager.next is None) == (part == parts - 1)
        if pager.next:
            assert pager.next.href == Urls().href(src, urls.compare("duties", part + 1))
        if pager.previous:
            assert pager.previous.href == Urls().href(src, urls.compare("duties", part - 1))


# -- themes ----------------------------------------------------------------------------


def test_a_theme_page_splits_by_place_and_the_matrix_links_each_part(index, monkeypatch):
    """With more places than fit on one theme page, each part lists its own places (all of
    them once across the parts, each clause of the theme once) and every matrix count links
    the part that lists that place."""
    from handbook import urls
    from handbook.urls import Urls
    from handbook.views import themes

    monkeypatch.setattr(themes, "PLACES_PER_PAGE", 2)
    parts = themes.theme_parts(index)
    assert parts == -(-len(index.jurisdictions) // 2) >= 2
    theme = next(iter(index.book.themes.values()))
    seen: list[str] = []
    listed: set[str] = set()
    for part in range(parts):
        src = urls.theme(theme.id, part)
        page = themes.theme_page(index, Urls().at(src), theme, part)
        assert [p.current for p in page.parts].index(True) == part
        here = [g.view.id for g in page.groups] + [s.href.split("/")[-2] for s in page.silent]
        assert len(here) <= 2
        seen += here
        listed |= {item.link.clause.id for g in page.groups for item in g.items}
    assert sorted(seen) == sorted(index.jurisdictions)
    expected = {c.id for v in index.jurisdictions for c in index.current_clauses(v) if theme.id in c.themes}
    assert listed == expected
    matrix = themes.themes_index(index, Urls().at(urls.THEMES))
    row = next(r for r in matrix.rows if r.theme.id == theme.id)
    for i, (view, cell) in enumerate(zip(matrix.columns, row.cells, strict=True)):
        if cell.href:
            assert cell.href.startswith(Urls().href(urls.THEMES, urls.theme(theme.id, i // 2)) + "#"), (
                view.id,
                cell.href,
            )


def documents_yaml() -> list[dict]:
    return [yaml.safe_load(p.read_text("utf-8")) for p in sorted((ROOT / "data" / "documents").glob("*.yml"))]


def current_theme_clauses() -> dict[tuple[str, str], set[str]]:
    """(theme, jurisdiction) -> anchors of the current clauses tagged with it, from the YAML."""
    docs = documents_yaml()
    superseded = {d["supersedes"] for d in docs if d.get("supersedes")}
    out: dict[tuple[str, str], set[str]] = {}
    for d in docs:
        if d["id"] in superseded:
            continue
        for c in d["clauses"]:
            for theme in c.get("themes") or ():
                out.setdefault((theme, d["jurisdiction"]["id"]), set()).add(f"{d['id']}/{c['id']}")
    return out


def themes_yaml() -> list[dict]:
    return yaml.safe_load((ROOT / "data" / "themes.yml").read_text("utf-8"))["themes"]


def test_each_theme_page_lists_exactly_the_clauses_tagged_with_it(site):
    expected = current_theme_clauses()
    for theme in themes_yaml():
        page = read(site, f"themes/{theme['id']}")
        body = page[page.find('<article class="md-content__inner') :]
        listed = set()
        for section in re.findall(r'<ul class="hb-list"[^>]*>(.*?)</ul>', body, re.S):
            listed |= {html.unescape(a) for a in re.findall(r'href="\.\./\.\./sources/[^/"]+/#([^"]+)"', section)}
        want = set().union(*[v for (t, _), v in expected.items() if t == theme["id"]] or [set()])
        assert listed == want, theme["id"]
        # each place with such clauses has its section
        for t, place in expected:
            if t == theme["id"]:
                assert f'id="in-{place}"' in body


class Table(HTMLParser):
    """Rows of the first table: each a list of (tag, text, attrs) cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, str, dict]]] = []
        self.cell: list | None = None
        self.caption = ""
        self.in_caption = False
        self.done = False

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.cell = [tag, "", dict(attrs)]
        elif tag == "caption":
            self.in_caption = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(tuple(self.cell))
            self.cell = None
        elif tag == "caption":
            self.in_caption = False
        elif tag == "table":
            self.done = True

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data
        elif self.in_caption:
            self.caption += data


def test_the_matrix_counts_each_themes_clauses_in_each_place(site, index):
    page = read(site, "themes")
    table = Table()
    table.feed(page[page.find('<table class="hb-table hb-matrix"') :])
    assert table.caption.strip(), "the matrix has a caption"
    head, *rows = table.rows
    assert all(tag == "th" and attrs.get("scope") == "col" for tag, _, attrs in head)
    short_to_id = {v.short: v.id for v in index.jurisdictions.values()}
    places = [short_to_id[text.strip()] for _, text, _ in head[1:]]
    assert sorted(places) == sorted({d["jurisdiction"]["id"] for d in documents_yaml()})
    label_to_id = {t["label"]: t["id"] for t in themes_yaml()}
    assert [label_to_id[r[0][1].strip()] for r in rows] == [t["id"] for t in themes_yaml()]
    expected = current_theme_clauses()
    for row in rows:
        tag, label, attrs = row[0]
        assert tag == "th" and attrs.get("scope") == "row"
        theme = label_to_id[label.strip()]
        for place, (_, text, attrs) in zip(places, row[1:], strict=True):
            count = len(expected.get((theme, place), ()))
            if count:
                assert text.strip() == str(count), (theme, place)
            else:
                assert "—" in text and "未涉及" in text, (theme, place)
            assert (attrs["class"] == "hb-heat-0") == (count == 0)


def test_theme_tags_on_source_pages_link_to_the_theme_pages(site):
    docs = documents_yaml()
    doc = next(d for d in docs if any(c.get("themes") for c in d["clauses"]))
    page = read(site, f"sources/{doc['id']}")
    linked = set(re.findall(r'<a class="hb-tag hb-theme" href="\.\./\.\./themes/([^/"]+)/"', page))
    assert linked == {t for c in doc["clauses"] for t in c.get("themes") or ()}


# -- search words ----------------------------------------------------------------------


def glossary_words() -> list[str]:
    terms = yaml.safe_load((ROOT / "data" / "glossary.yml").read_text("utf-8"))["terms"]
    return [w for t in terms for w in (t["term"], *(t.get("variants") or ()))]


def test_the_search_dictionary_holds_every_glossary_term(book):
    assert set(glossary_words()) <= set(user_words(book))


@pytest.mark.parametrize("word", ["三重一大", "一岗双责", "述责述廉"])
def test_glossary_terms_are_whole_words_of_the_search_index(site, word):
    """A glossary term quoted in a source is one word of the index, never cut in two."""
    assert word in glossary_words()
    sources = "".join(p.read_text("utf-8") for p in (ROOT / "data" / "sources").glob("*.txt"))
    assert word in sources
    assert word in index_words(site)


def index_words(site: Path) -> set[str]:
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    separator = re.compile(index["config"]["separator"])
    return {w for doc in index["docs"] for w in separator.split(doc["title"] + " " + doc["text"])}


@pytest.mark.slow
def test_a_glossary_term_added_as_data_is_searched_whole(site, project_copy, tmp_path):
    """An editor adds a term to data/glossary.yml and nothing else: the next build's search
    index holds it as one word. Without the entry (the shipped data: the shared build) it
    is cut apart."""
    from conftest import build_site

    word = "抓早抓小"  # in the sources, not a glossary term: jieba cuts it
    assert word not in glossary_words() and word in "".join(
        p.read_text("utf-8") for p in (ROOT / "data" / "sources").glob("*.txt")
    )
    assert word not in index_words(site)
    glossary = project_copy / "data" / "glossary.yml"
    glossary.write_text(
        glossary.read_text("utf-8")
        + "  - id: zhuazao-zhuaxiao\n    term: 抓早抓小\n    definition: 对苗头性、倾向性问题早发现、早提醒、早纠正。\n",
        "utf-8",
    )
    after = build_site(project_copy, tmp_path / "after")
    assert after.returncode == 0, after.stderr[-2000:]
    assert word in index_words(tmp_path / "after")
