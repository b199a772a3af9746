"""Roles in the readers' own terms, and comparisons that answer the question, checked on the
built site against expectations derived from the data files themselves:

- a role's pages exist exactly where clauses name it, and the 纪委书记 is tagged exactly
  where a source text names the commission's principal leader;
- a principal's pages list every duty of the collective body it leads (``leads``);
- no page has an empty section or a "（0 项）" heading;
- the home page's 谁是谁 lists every role of data/roles.yml;
- /compare/circumstances/ tags each entry with its kind and counts them per place;
- every sanction-ladder table has headers that match its cells (the 任职和晋升限制 rows
  once sat under the 情节 header).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TAG = re.compile(r"<[^>]+>")
BASE = "http://site/"

# The reader's words for the kinds /compare/circumstances/ mixes (issue 12).
KIND_WORDS = {"double_accountability": "一案双查", "aggravating": "从重", "mitigating": "从轻减轻", "exemption": "免责"}


def roles_yml() -> list[dict]:
    return yaml.safe_load((ROOT / "data" / "roles.yml").read_text("utf-8"))["roles"]


def measures_yml() -> dict[str, str]:
    data = yaml.safe_load((ROOT / "data" / "measures.yml").read_text("utf-8"))
    return {m["id"]: m["label"] for m in data["measures"]}


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def article(text: str) -> str:
    m = re.search(r'<article class="md-content__inner md-typeset">(.*)</article>', text, re.S)
    assert m, "no article in page"
    return m.group(1)


def plain(fragment: str) -> str:
    return re.sub(r"\s+", "", TAG.sub("", fragment))


def section(body: str, anchor: str) -> str:
    """The HTML from the h2 with this id to the next h2."""
    start = body.index(f'<h2 id="{anchor}"')
    end = body.find("<h2", start + 1)
    return body[start : end if end != -1 else len(body)]


def targets(fragment: str, page_url: str) -> set[tuple[str, str]]:
    """(site path, anchor) of every link in the fragment, resolved from the page's URL."""
    out = set()
    for href in re.findall(r'href="([^"]+)"', fragment):
        url = urlparse(urljoin(BASE + page_url, href.replace("&amp;", "&")))
        out.add((url.path.strip("/"), unquote(url.fragment)))
    return out


def current_clauses(book):
    return [c for d in book.documents.values() if d.current for c in d.clauses]


# -- the 纪委书记 role -------------------------------------------------------------------


def commission_secretary() -> dict:
    found = [r for r in roles_yml() if r["id"] == "commission_secretary"]
    assert found, "data/roles.yml has no 纪委书记 role (commission_secretary)"
    return found[0]


def names_commission_secretary(text: str) -> bool:
    role = commission_secretary()
    return any(name in text for name in [role["short"], *role.get("aliases", ())])


def test_commission_secretary_is_tagged_exactly_where_the_text_names_that_person(book):
    """Tagged ⇔ the clause's own words name the 纪委书记 (by any of the role's names in
    roles.yml). Headings and lead-ins carry no roles, so only clauses that can are asked."""
    can_carry = {"duty", "trigger", "sanction", "system", "procedure", "double_accountability"}
    tagged, named = set(), set()
    for doc in book.documents.values():
        for c in doc.clauses:
            if "commission_secretary" in c.roles:
                tagged.add(c.id)
            if c.kind in can_carry and names_commission_secretary(c.text):
                named.add(c.id)
    assert tagged, "no clause names the 纪委书记"
    assert tagged == named, {"tagged, not named": tagged - named, "named, not tagged": named - tagged}


def test_the_name_check_would_catch_a_wrong_tag(book):
    """The check above is not vacuous: a clause about the 纪委 as a body does not name its
    principal leader."""
    body_only = [c for c in current_clauses(book) if "commission" in c.roles and "commission_secretary" not in c.roles]
    assert body_only and not all(names_commission_secretary(c.text) for c in body_only)


def test_role_pages_exist_where_clauses_name_the_role(site, book):
    """Every (role, place) some current clause names has its page, listing those clauses, its
    pocket card and its quiz; no page for a place that never names the role."""
    places = {d.jurisdiction.id for d in book.documents.values()}
    for role in roles_yml():
        named: dict[str, list[str]] = {}
        for c in current_clauses(book):
            if role["id"] in c.roles:
                named.setdefault(c.jurisdiction, []).append(c.id)
        for place in places:
            exists = (site / "roles" / role["id"] / place / "index.html").is_file()
            assert exists == (place in named), (role["id"], place)
        for place, ids in named.items():
            page = html(site, f"roles/{role['id']}/{place}")
            for clause_id in ids:
                assert f'id="{clause_id}"' in page or f"#{clause_id}" in page, (role["id"], clause_id)
            assert (site / "checklists" / place / role["id"] / "index.html").is_file()
            assert (site / "quizzes" / place / role["id"] / "index.html").is_file()


# -- what a principal leads ----------------------------------------------------------------


def test_principal_pages_list_every_duty_of_the_body_they_lead(site, book):
    leaders = [r for r in roles_yml() if r.get("leads")]
    assert any(r["id"] == "secretary" and "committee" in r["leads"] for r in leaders)
    for role in leaders:
        for led in role["leads"]:
            everywhere: set[tuple[str, str]] = set()
            for place in {d.jurisdiction.id for d in book.documents.values()}:
                url = f"roles/{role['id']}/{place}/"
                duties = {
                    (f"roles/{led}/{place}", c.id)
                    for c in current_clauses(book)
                    if c.jurisdiction == place and c.kind == "duty" and led in c.roles
                }
                everywhere |= duties
                if not (site / url / "index.html").is_file():
                    continue
                body = article(html(site, url))
                if not duties:
                    assert f'id="led-{led}"' not in body, url
                    continue
                led_part = section(body, f"led-{led}")
                assert "集体责任" in plain(led_part), url
                assert duties <= targets(led_part, url), (url, duties - targets(led_part, url))
            # The role page (all places) sends the reader to each place's list, with its count.
            url = f"roles/{role['id']}/"
            if everywhere:
                led_part = section(article(html(site, url)), f"led-{led}")
                for place in {page.split("/")[-1] for page, _ in everywhere}:
                    count = sum(1 for page, _ in everywhere if page.endswith("/" + place))
                    own = (site / "roles" / role["id"] / place / "index.html").is_file()
                    target = (
                        (f"roles/{role['id']}/{place}", f"led-{led}") if own else (f"roles/{led}/{place}", "duties")
                    )
                    assert target in targets(led_part, url), (url, place)
                    assert f"职责{count}项" in plain(led_part), (url, place, count)  # plain() drops spaces


# -- no empty sections ------------------------------------------------------------------


def empty_sections(page_html: str) -> list[str]:
    """Headings (h2, with their h3s) followed by nothing or only 未规定, and "（0 项）"."""
    found = []
    parts = re.split(r"(?=<h[23][ >])", article(page_html))
    for i, part in enumerate(parts[1:], 1):
        level = part[2]
        close = part.find(f"</h{level}>")
        head, rest = plain(part[:close]), part[close:]
        if level == "2":
            for following in parts[i + 1 :]:
                if following[2] != "3":
                    break
                rest += following
        if "（0项）" in head or plain(rest).rstrip("。") in ("", "未规定", "无"):
            found.append(head)
    return found


def test_empty_section_check_catches_the_old_layout():
    old = (
        '<article class="md-content__inner md-typeset"><h2 id="duties">职责（0 项）</h2>'
        '<p class="hb-empty">本地区的文件未单独列出纪委的职责条款。</p>'
        '<h2 id="double">一案双查</h2>\n<p class="hb-empty">未规定</p></article>'
    )
    assert empty_sections(old) == ["职责（0项）", "一案双查"]


def test_no_page_has_an_empty_section(site):
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 10
    bad = {}
    for path in pages:
        text = path.read_text("utf-8")
        if "md-content__inner" in text and (found := empty_sections(text)):
            bad[str(path.relative_to(site))] = found
    assert not bad, bad


def test_a_missing_part_is_said_in_one_line(site, index, book):
    """Where a role has no duties in a place, its page says so and has no 职责 heading."""
    seen = 0
    for role in book.roles.values():
        for view in index.role_jurisdictions(role.id):
            has_duties = any(
                c.kind == "duty" and role.id in c.roles for c in current_clauses(book) if c.jurisdiction == view.id
            )
            body = article(html(site, f"roles/{role.id}/{view.id}"))
            assert ('id="duties"' in body) == has_duties, (role.id, view.id)
            if not has_duties:
                seen += 1
                line = re.search(r'<p class="hb-empty hb-absent">(.*?)</p>', body)
                assert line and "职责" in line.group(1) and role.short in line.group(1), (role.id, view.id)
    assert seen, "every role has duties everywhere: the one-line notice is untested"


# -- 谁是谁 -------------------------------------------------------------------------------


def test_home_lists_every_role_of_roles_yml(site):
    body = article(html(site, ""))
    who = re.search(r'<ul class="hb-who">(.*?)</ul>', body, re.S)
    assert who, "no 谁是谁 list on the home page"
    items = re.findall(r"<li>(.*?)</li>", who.group(1), re.S)
    roles = roles_yml()
    assert len(items) == len(roles)
    for role, item in zip(roles, items, strict=True):
        assert ("roles/" + role["id"], "") in targets(item, ""), role["id"]
        text = plain(item)
        assert plain(role["label"]) in text and plain(role["description"]) in text, role["id"]
        for alias in role.get("aliases", ()):
            assert alias in text, (role["id"], alias)  # in the label or among 又称


# -- /compare/circumstances/ -------------------------------------------------------------


def test_circumstance_entries_carry_their_kind(site, book):
    body = article(html(site, "compare/circumstances"))
    clauses = {c.id: c for c in current_clauses(book)}
    entries = re.findall(r'<span class="hb-tag hb-kind hb-kind-(\w+)">([^<]+)</span>\s*<a href="[^"#]*#([^"]+)"', body)
    assert entries
    for kind_class, word, anchor in entries:
        clause = clauses[unquote(anchor)]
        assert kind_class == clause.kind and word == KIND_WORDS[clause.kind], (anchor, word)
    shown = {unquote(a) for _k, _w, a in entries}
    expected = {c.id for c in clauses.values() if c.kind in KIND_WORDS and c.themes}
    assert shown == expected, {"missing": expected - shown, "extra": shown - expected}
    # every linked entry of the tables is tagged
    tables = body[body.index('id="summary"') :]
    linked = re.findall(r"<td>(?:.(?!</td>))*?</td>", tables, re.S)
    for cell in linked:
        links_in = len(re.findall(r'<a href="[^"]*#', cell))
        assert links_in == cell.count("hb-kind-"), cell[:200]


def test_circumstances_start_with_who_has_what(site, book, index):
    body = article(html(site, "compare/circumstances"))
    assert body.index('id="who-has-what"') < body.index('id="summary"')
    table = section(body, "who-has-what")
    heads = [plain(h) for h in re.findall(r'<th scope="col">(.*?)</th>', table)]
    assert heads[1:] == list(KIND_WORDS.values())
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)
    assert {plain(name) for name, _ in rows} == {v.short for v in index.jurisdictions.values()}
    by_short = {v.short: v.id for v in index.jurisdictions.values()}
    for name, cells in rows:
        place = by_short[plain(name)]
        for kind, cell in zip(KIND_WORDS, re.findall(r"<td>(.*?)</td>", cells), strict=True):
            n = sum(1 for c in current_clauses(book) if c.jurisdiction == place and c.kind == kind)
            assert plain(cell) == (f"{n}条" if n else "未规定"), (place, kind, cell)


# -- sanction ladders -------------------------------------------------------------------


class Tables(HTMLParser):
    """Every table.hb-ladder: its classes, header cells and rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self.cell: list[str] | None = None
        self.inside = False  # in a ladder table (they never nest)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "hb-ladder" in (a.get("class") or "").split():
            self.tables.append({"classes": a["class"].split(), "heads": [], "rows": []})
            self.inside = True
        if not self.inside:
            return
        if tag == "tr":
            self.tables[-1]["rows"].append([])
        if tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        if tag in ("th", "td") and self.cell is not None:
            text = "".join(self.cell).strip()
            table = self.tables[-1]
            (table["heads"] if tag == "th" else table["rows"][-1]).append(text)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def ladder_problems(page_html: str, measures: set[str], rules: set[str]) -> list[str]:
    """A 情节 | 追究方式 table: the first column is no sanction, the second only sanctions.
    A restriction table: sanctions, then a rule the data state."""
    parser = Tables()
    parser.feed(page_html)
    problems = []

    def all_measures(text: str) -> bool:
        return bool(text) and all(part in measures for part in text.split("、"))

    for t in parser.tables:
        rows = [r for r in t["rows"] if r]
        if t["heads"] == ["情节", "追究方式"]:
            problems += [f"情节 cell is a sanction: {r[0]}" for r in rows if all_measures(r[0].removesuffix("后"))]
            problems += [f"追究方式 cell is not a sanction: {r[1]}" for r in rows if not all_measures(r[1])]
        elif t["heads"] == ["受到的追究", "此后的限制"]:
            problems += [f"not a sanction: {r[0]}" for r in rows if not all_measures(r[0])]
            problems += [f"not a stated restriction: {r[1]}" for r in rows if r[1] not in rules]
        else:
            problems.append(f"unknown ladder headers {t['heads']}")
    return problems


def test_ladder_check_catches_a_restriction_under_the_severity_header():
    old = (
        '<table class="hb-ladder"><thead><tr><th scope="col">情节</th><th scope="col">追究方式</th></tr></thead>'
        "<tbody><tr><td>降职后</td><td>两年内不得提升职务</td></tr></tbody></table>"
    )
    assert len(ladder_problems(old, {"降职"}, {"两年内不得提升职务"})) == 2


def test_every_ladder_table_has_headers_matching_its_cells(site, book):
    measures = set(measures_yml().values())
    rules = {r.rule for c in current_clauses(book) if c.sanction for r in c.sanction.restrictions}
    checked = 0
    for path in sorted(site.rglob("*.html")):
        text = path.read_text("utf-8")
        if "hb-ladder" in text:
            checked += 1
            problems = ladder_problems(text, measures, rules)
            assert not problems, (str(path.relative_to(site)), problems)
    assert checked


def test_restrictions_have_a_table_of_their_own(site, book):
    labels = measures_yml()
    with_restrictions = [c for c in current_clauses(book) if c.sanction and c.sanction.restrictions]
    if not with_restrictions:
        pytest.skip("no sanction with restrictions in the data")
    for clause in with_restrictions:
        for role in clause.roles:
            page = html(site, f"roles/{role}/{clause.jurisdiction}")
            card = page[page.index(f'id="{clause.id}"') :]
            card = card[: card.index("</div>")]
            parser = Tables()
            parser.feed(card)
            [table] = [t for t in parser.tables if "hb-restrictions" in t["classes"]]
            assert table["heads"] == ["受到的追究", "此后的限制"]
            expected = [["、".join(labels[m] for m in r.after), r.rule] for r in clause.sanction.restrictions]
            assert [r for r in table["rows"] if r] == expected


def test_sanction_comparison_groups_ladders_by_clause_in_the_sources_words(site, book):
    from handbook.model import SEVERITY_LABELS

    body = article(html(site, "compare/sanctions"))
    blocks = re.findall(r'<div class="hb-ladder-clause">(.*?)</div>', body, re.S)
    by_anchor = {}
    for block in blocks:
        m = re.search(r'<a href="[^"#]*#([^"]+)"', block)
        assert m, block[:200]
        by_anchor[unquote(m.group(1))] = block
    ladders = [c for c in current_clauses(book) if c.kind == "sanction" and c.sanction and c.sanction.ladder]
    assert ladders
    for clause in ladders:
        block = by_anchor[clause.id]
        parser = Tables()
        parser.feed(block)
        steps = [r[0] for r in parser.tables[0]["rows"] if r]
        assert steps == [s.as_written or SEVERITY_LABELS[s.severity] for s in clause.sanction.ladder], clause.id


# -- bad role relations -------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, key, hint",
    [
        ("    leads: [committee]\n", "    leads: [committe]\n", "leads", "committee"),
        ("    is_also: [commission_member]\n", "    is_also: [commission_secretary]\n", "is_also", "is_also"),
    ],
)
def test_a_wrong_role_relation_is_named_in_chinese(tmp_path, capsys, old, new, key, hint):
    """A misspelt ``leads`` or a role that ``is_also`` itself: a located Chinese message
    with the fix, exit code 2, no traceback."""
    from test_editor_errors import edit, failed

    shutil.copytree(ROOT / "data", tmp_path / "data")
    edit(tmp_path, "data/roles.yml", old, new)
    report = failed(tmp_path, capsys)
    line = next(
        n
        for n, text in enumerate((tmp_path / "data/roles.yml").read_text("utf-8").splitlines(), 1)
        if text == new.rstrip("\n")
    )
    message = report.one("data/roles.yml", line, key)
    assert "不是另一个角色的标识" in message and hint in message, message


def test_a_card_without_red_lines_of_its_own_points_to_the_role_it_also_is(site, index):
    """A 纪委书记 named by no trigger still has red lines as a 纪检干部 (``is_also``): the
    pocket card says so instead of leaving the section bare."""
    checked = 0
    for role in index.book.roles.values():
        for view in index.role_jurisdictions(role.id):
            if index.for_role(role.id, view.id, ["trigger"]) or not index.has_accountability(view.id):
                continue
            others = [index.book.roles[r].short for r in role.is_also if index.for_role(r, view.id, ["trigger"])]
            html = (site / "checklists" / view.id / role.id / "index.html").read_text("utf-8")
            for other in others:
                assert f"也属于{other}" in html, (role.id, view.id, other)
                checked += 1
    if any(r.is_also for r in index.book.roles.values()):
        assert checked, "no card of a role with is_also was checked"
