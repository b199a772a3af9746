"""Propose a document YAML skeleton from a source text (``./hb new``).

Pure: source text in, YAML text out. The scaffold recognises the printed units of a
Chinese regulatory text — 章, 条 (mis-numbered duplicates get ``-2``), 款 paragraphs,
items （一）/(一)/一、/1./1、/(1)/①/◆ (also "六)" with a lost bracket), the lead-in
sentence before a list, headings, a cover notice, an editor's note — and web chrome
(menu and button lines, fragment counters "3、" glued into the text, page numbers,
Markdown marks), which it proposes as ignored spans with a reason.

Every character of the source ends up in exactly one clause quote or ignored span, so a
fresh scaffold passes ``./hb check``. What needs an editor's judgment (titles, roles,
themes, links, an unsure kind, the document metadata) is listed in ``draft:``; the loader
reports those as 待填写 and a publishing build refuses them.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

import yaml

from .tiling import Skeleton, fold_space, strip_space

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUM = "〇零一二两三四五六七八九十百"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
SENTENCE_END = "。！？!?"
BREAK_BEFORE = "。；;：:！？!?"  # a unit may start right after one of these (texts glued into one line)
DOC_WORDS = re.compile(r"暂行|试行|办法|细则|规定|意见|通知|决定|条例|制度|方案|规则|准则|实施|纲要|清单")
ISSUER_END = re.compile(r"(委|委员会|政府|办公室|办公厅|局|部|厅|院|纪委|监察委)$")
NUMBER = re.compile(r"[（(]?\s*(?:\S{1,8}?\s*)?[〔\[(（【]\s*\d{4}\s*[〕\])）】]\s*\d+\s*号\s*[）)]?")
DATE_LINE = re.compile(
    r"^[\d〇零一二三四五六七八九十]{4}\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$"
)
DATELINE = re.compile(r"^(?:日期|发布日期|发布时间|时间)\s*[:：]|来源\s*[:：]")
CHROME_LINE = re.compile(
    r"^[\s【】\[\]|｜]*(?:(?:设为主页|设为首页|收藏本站|加入收藏|打印本页|关闭窗口|返回顶部|返回首页|收藏|打印|关闭|返回|分享到"
    r"|字号\s*[:：]?\s*[大中小\s]*)[\s【】\[\]|｜]*)+$"
)
PRINTED_BY = re.compile(r"^\S.{0,40}\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$")
COUNT_HEADING = re.compile(r"\d+\s*项.*责任$")


def cn_number(text: str) -> int | None:
    """'二十一' -> 21, '一百零二' -> 102, '12' -> 12; None if not a number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_NUM for c in text):
        return None
    total, digit = 0, 0
    for char in text:
        if char == "百":
            total += (digit or 1) * 100
            digit = 0
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = CN_DIGITS[char]
    return total + digit


# -- units ------------------------------------------------------------------------


@dataclass
class Unit:
    """One proposed clause: where it starts in the clean text, and what it is."""

    id: str
    locator: str
    kind: str
    start: int  # offset into the clean text
    level: str = "body"  # front | chapter | article | para | item | heading | note
    title: str | None = None  # literal title, when the text offers one
    heading_end: int | None = None  # clean offset where a ◆ heading line ends (quote follows)
    roles: list[str] = field(default_factory=list)
    draft: list[str] = field(default_factory=list)
    parent: Unit | None = None
    children: list[Unit] = field(default_factory=list)
    number: int = 0
    style: str = ""
    extra: list[tuple[int, int]] = field(default_factory=list)  # more clean ranges (interrupted text)
    end: int = 0
    flat: str = ""  # the unit's own text, whitespace folded (its items read their lead-in's cues)


@dataclass
class Scaffold:
    yaml: str
    clauses: int
    ignored: int
    title: str | None


# -- chrome: what is not the text of the document ---------------------------------------


def find_chrome(source: str) -> tuple[list[tuple[int, int, str]], list[tuple[str, str]]]:
    """(source ranges to ignore with a reason, Markdown patterns to ignore with a reason)."""
    spans: list[tuple[int, int, str]] = []
    patterns: list[tuple[str, str]] = []
    lines = _lines(source)
    if len([1 for _, _, t in lines if re.match(r"#{1,6} ", t)]) >= 2:
        patterns.append((r"^#{1,6}(?= )", "网页排版的标题符号"))
    if len([1 for _, _, t in lines if re.match(r"- ", t)]) >= 2:
        patterns.append((r"^-(?= )", "网页排版的列表符号"))
    for start, end, text in lines:
        body = text.strip()
        if body and CHROME_LINE.match(body):
            spans.append(_trimmed(source, start, end, "网页功能按钮和链接"))
        elif body and PRINTED_BY.match(body) and start > len(source) * 0.8:
            spans.append(_trimmed(source, start, end, "印发机关及日期的版记"))
    spans += _menu_lines(source, lines, spans)
    spans += _fragment_counters(source, lines)
    spans += _page_numbers(source, spans)
    return sorted(spans), patterns


def _lines(source: str) -> list[tuple[int, int, str]]:
    out, at = [], 0
    for text in source.split("\n"):
        out.append((at, at + len(text), text))
        at += len(text) + 1
    return out


def _trimmed(source: str, start: int, end: int, reason: str) -> tuple[int, int, str]:
    while start < end and source[start].isspace():
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    return start, end, reason


def _menu_lines(source: str, lines, taken) -> list[tuple[int, int, str]]:
    """Short bare words on their own lines above the title (“政策法规”“本地规定”): a web
    page's column menu. Stops at the first line that looks like a title or body text."""
    out = []
    for start, end, text in lines:
        body = text.strip()
        if not body or any(a <= start + text.find(body) < b for a, b, _ in taken):
            continue
        if len(body) > 6:
            break
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,6}", body) or ISSUER_END.search(body):
            continue
        out.append(_trimmed(source, start, end, "网页栏目菜单"))
    return out


def _fragment_counters(source: str, lines) -> list[tuple[int, int, str]]:
    """'1、' '2、' … opening consecutive lines that break mid-sentence: a web page's
    paragraph counter, not an item number (real items end their line with punctuation)."""
    numbered = [(s, text) for s, _, text in lines if text.strip()]
    found, expected, mid_sentence, previous = [], 1, 0, ""
    for start, text in numbered:
        match = re.match(r"\s*(\d{1,3})、", text)
        if match and int(match.group(1)) == expected:
            found.append((start + match.start(1), start + match.end()))
            if previous and previous.rstrip()[-1:] not in SENTENCE_END + "；;：:”」）)":
                mid_sentence += 1
            expected += 1
        previous = text
    if len(found) >= 3 and mid_sentence * 2 >= len(found) - 1:
        return [(a, b, "网页分段序号") for a, b in found]
    return []


def _page_numbers(source: str, taken: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Lone numbers 1, 2, 3 … in order after a space or line break: printed page numbers."""
    busy = [(a, b) for a, b, _ in taken]
    chain, expected = [], 1
    for match in re.finditer(r"(?<=\s)\d{1,3}(?=\s|[^\x00-\x7f年月日号个次起名项条章%．.、，,：:）)])", source):
        if any(a <= match.start() < b for a, b in busy):
            continue
        if int(match.group()) == expected:
            chain.append((match.start(), match.end(), "原书页码"))
            expected += 1
    return chain if len(chain) >= 2 else []


# -- the clean view: the source without chrome, with a map back ---------------------------


class Clean:
    def __init__(self, source: str, spans, patterns):
        drop = bytearray(len(source))
        for a, b, _ in spans:
            drop[a:b] = b"\1" * (b - a)
        for pattern, _ in patterns:
            for m in re.finditer(pattern, source, re.M):
                drop[m.start() : m.end()] = b"\1" * (m.end() - m.start())
        self.source, self.drop = source, drop
        self.keep = [i for i in range(len(source)) if not drop[i]]
        self.text = "".join(source[i] for i in self.keep)
        self.markdown_lines: set[int] = set()  # clean offsets where a Markdown heading's text starts
        for m in re.finditer(r"^#{1,6} ", source, re.M):
            self.markdown_lines.add(self.clean_index(m.end()))

    def clean_index(self, source_offset: int) -> int:
        return bisect.bisect_left(self.keep, source_offset)

    def source_ranges(self, first: int, stop: int) -> list[tuple[int, int]]:
        """Clean [first, stop) -> contiguous source ranges, whitespace trimmed."""
        out: list[list[int]] = []
        for k in range(first, stop):
            i = self.keep[k]
            if self.text[k].isspace() or self.text[k] in "\ufeff\u200b":
                continue
            if out and not any(self.drop[out[-1][1] : i]):  # no chrome in between: one fragment
                out[-1][1] = i + 1
            else:
                out.append([i, i + 1])
        return [(a, b) for a, b in out]


# -- markers ------------------------------------------------------------------------------

ITEM_PATTERNS = [
    ("cn_paren", re.compile(rf"[（(]\s*([{CN_NUM}]+)\s*[）)]")),
    ("ar_paren", re.compile(r"[（(]\s*(\d{1,2})\s*[）)]")),
    ("cn_comma", re.compile(rf"([{CN_NUM}]+)\s*、")),
    ("ar_dot", re.compile(r"(\d{1,2})\s*(?:[.．](?!\d)|、)")),
    ("circled", re.compile(rf"([{CIRCLED}])")),
    ("cn_lost", re.compile(rf"([{CN_NUM}]+)[）)]")),
]
CHAPTER = re.compile(rf"第\s*([{CN_NUM}\d]+)\s*章")
ARTICLE = re.compile(rf"第\s*([{CN_NUM}\d]+)\s*条")
DIAMOND = re.compile(r"◆\s*([^\n:：]{0,12}?)\s*(\d+)?\s*[:：]\s*([^\n]+)")
NOTE = re.compile(r"编者按\s*[:：]")


def _at_line_start(text: str, p: int) -> bool:
    k = p - 1
    while k >= 0 and text[k] in " \t\u3000\xa0\ufeff\u200b\r":
        k -= 1
    return k < 0 or text[k] == "\n"


def _boundary(text: str, p: int) -> bool:
    """A unit may start at p: start of a line, or after sentence punctuation."""
    k = p - 1
    while k >= 0 and text[k].isspace():
        if text[k] == "\n":
            return True
        k -= 1
    return k < 0 or text[k] in BREAK_BEFORE


def _after_sentence(text: str, p: int) -> bool:
    """p starts a new paragraph: whitespace, preceded by the end of a sentence."""
    k = p - 1
    seen_space = False
    while k >= 0 and text[k].isspace():
        seen_space = True
        k -= 1
    return seen_space and (
        k < 0 or text[k] in SENTENCE_END or (text[k] in "”」" and k > 0 and text[k - 1] in SENTENCE_END)
    )


class Walker:
    """Walks the clean text once, opening units at markers and paragraph breaks."""

    def __init__(self, text: str, markdown_starts: set[int], role_names: dict[str, list[str]]):
        self.text = text
        self.md = markdown_starts
        self.role_names = role_names
        self.units: list[Unit] = []
        self.ids: set[str] = set()
        self.article: Unit | None = None
        self.article_numbers: dict[int, int] = {}
        self.last_article = 0
        self.last_chapter = 0
        self.stack: list[Unit] = []  # open list items, outermost first
        self.container: Unit | None = None  # article paragraph, point or section that items hang under
        self.section: Unit | None = None  # heading that ◆ blocks hang under
        self.has_articles = bool(re.search(rf"(^|\n)\s*(#+\s*)?第\s*[{CN_NUM}\d]+\s*条", text))
        self.in_note: Unit | None = None
        self.interrupted: Unit | None = None
        self.cuts: list[tuple[Unit, Unit]] = []  # (editor's note, the unit it interrupted)
        self.body_started = False
        self.points = 0

    # ids ---------------------------------------------------------------------------
    def unique(self, wanted: str, parent: str | None = None) -> str:
        if wanted not in self.ids:
            return wanted
        if parent and f"{parent}-{wanted}" not in self.ids:
            return f"{parent}-{wanted}"
        n = 2
        while f"{wanted}-{n}" in self.ids:
            n += 1
        return f"{wanted}-{n}"

    def add(self, unit: Unit) -> Unit:
        unit.id = self.unique(unit.id, unit.parent.id if unit.parent else None)
        self.ids.add(unit.id)
        self.units.append(unit)
        if unit.parent:
            unit.parent.children.append(unit)
        return unit

    def rename(self, unit: Unit, new: str) -> None:
        """Re-id a unit and its descendants (a16 -> a16-p1 once a second 款 appears)."""
        old = unit.id
        for u in [unit] + self.descendants(unit):
            self.ids.discard(u.id)
            u.id = new + u.id[len(old) :]
            self.ids.add(u.id)

    def descendants(self, unit: Unit) -> list[Unit]:
        out = []
        for child in unit.children:
            out += [child] + self.descendants(child)
        return out

    # walking -------------------------------------------------------------------------
    def walk(self) -> list[Unit]:
        text = self.text
        p = 0
        front_end = self.first_body_marker()
        self.front_matter(0, front_end)
        p = front_end
        while p < len(text):
            if text[p].isspace():
                p += 1
                continue
            consumed = self.marker(p)
            if consumed:
                p = consumed
                continue
            if (
                self.in_note
                and _at_line_start(text, p)
                or self.units
                and _after_sentence(text, p)
                and self.body_started
            ):
                self.paragraph(p)
            p += 1
        self.close_note(len(text))
        for i, unit in enumerate(self.units):
            unit.end = self.units[i + 1].start if i + 1 < len(self.units) else len(text)
        self.mend_cuts()
        return self.units

    def first_body_marker(self) -> int:
        text = self.text
        for p in range(len(text)):
            if text[p].isspace():
                continue
            if self.chapter_match(p) or self.article_match(p):
                return p
            if not _boundary(text, p):
                continue
            if text.startswith("◆", p) or NOTE.match(text, p) or p in self.md:
                return p
            if _at_line_start(text, p) and any(
                m.match(text, p) for s, m in ITEM_PATTERNS if s in ("cn_comma", "ar_dot")
            ):
                if self.item_number(p)[1] == 1:
                    return p
        return len(text)

    def article_match(self, p: int) -> tuple[re.Match, int] | None:
        return self.numbered(ARTICLE, p, self.last_article)

    def chapter_match(self, p: int) -> tuple[re.Match, int] | None:
        return self.numbered(CHAPTER, p, self.last_chapter)

    def numbered(self, pattern: re.Pattern, p: int, last: int) -> tuple[re.Match, int] | None:
        """第X章 / 第X条 at p, with its number. At a line start any number counts (mis-numbering is kept as
        printed); inside a line — texts glued into one line, “…总则 第一条为…” — only the
        next number in sequence, and only after a space or sentence punctuation."""
        m = pattern.match(self.text, p)
        if not m or (n := cn_number(m.group(1))) is None:
            return None
        if _at_line_start(self.text, p):
            return m, n
        if not (_boundary(self.text, p) or self.text[p - 1].isspace()):
            return None
        return (m, n) if n in (last + 1, last) and n > 0 else None

    def item_number(self, p: int) -> tuple[str, int, re.Match] | tuple[None, None, None]:
        for style, pattern in ITEM_PATTERNS:
            m = pattern.match(self.text, p)
            if not m:
                continue
            raw = m.group(1)
            n = CIRCLED.index(raw) + 1 if style == "circled" else cn_number(raw)
            if n is None:
                continue
            if style == "cn_lost" and not _at_line_start(self.text, p):
                continue
            if style == "cn_lost":
                style = "cn_paren"  # “六)”: the same list as “(五)”, one bracket lost
            return style, n, m
        return None, None, None

    def marker(self, p: int) -> int | None:
        text = self.text
        if found := self.chapter_match(p):
            self.chapter(p, *found)
            return found[0].end()
        if found := self.article_match(p):
            self.open_article(p, *found)
            return found[0].end()
        if not _boundary(text, p):
            return None
        if (note := NOTE.match(text, p)) and _at_line_start(text, p):
            self.note(p)
            return note.end()
        if text.startswith("◆", p):
            self.diamond(p)
            return p + 1
        if p in self.md:
            line = text[p : text.find("\n", p) if "\n" in text[p:] else len(text)]
            if not any(pat.match(line) for _, pat in ITEM_PATTERNS):
                self.heading(p, line)
                return p + len(line)
        item = self.item_number(p)
        if item[0] is not None and self.item(p, *item):
            return item[2].end()
        return None

    # unit kinds ----------------------------------------------------------------------
    def close_note(self, p: int) -> None:
        if self.in_note and self.interrupted:
            self.cuts.append((self.in_note, self.interrupted))
        self.in_note = self.interrupted = None

    def mend_cuts(self) -> None:
        """An editor's note that cut a sentence in two: its last paragraph is the rest of
        that sentence, so it becomes a second fragment of the interrupted unit."""
        for note, cut in self.cuts:
            paragraphs = [u for u in self.units if u.level == "note" and u.parent is note]
            if not paragraphs:
                continue
            last = paragraphs[-1]
            cut.extra.append((last.start, last.end))
            before = self.units.index(last) - 1
            self.units[before].end = last.start
            self.units.remove(last)
            self.ids.discard(last.id)

    def chapter(self, p: int, m: re.Match, n: int) -> None:
        self.close_note(p)
        self.body_started = True
        self.last_chapter = n
        line_end = self.text.find("\n", m.end())
        line_end = len(self.text) if line_end == -1 else line_end
        rest = self.text[m.end() : line_end]
        name = re.split(rf"\s第\s*[{CN_NUM}\d]+\s*条|\s{{2,}}|\s+(?=\S)", rest.strip(), maxsplit=1)[0].strip()
        name = name if name and not ARTICLE.match(name) else ""
        unit = self.add(Unit(f"c{n}", f"第{m.group(1)}章", "heading", p, level="chapter", number=n, title=name or None))
        if not name:
            unit.draft.append("title")
        self.article, self.stack, self.container, self.section = None, [], None, unit

    def open_article(self, p: int, m: re.Match, n: int) -> None:
        self.close_note(p)
        self.body_started = True
        count = self.article_numbers.get(n, 0) + 1
        self.article_numbers[n] = count
        self.last_article = n
        wanted = f"a{n}" if count == 1 else f"a{n}-{count}"
        locator = f"第{m.group(1)}条" + (
            "" if count == 1 else f"（第{'二三四五六七八九'[count - 2] if count < 10 else count}处）"
        )
        unit = self.add(Unit(wanted, locator, "", p, level="article", number=n))
        self.article, self.container, self.stack = unit, unit, []

    def paragraph(self, p: int) -> None:
        if self.in_note:
            k = len([u for u in self.units if u.level == "note" and u.parent is self.in_note]) + 1
            self.add(Unit(f"note-p{k}", f"编者按第{_cn(k)}段", "commentary", p, level="note", parent=self.in_note))
            return
        art = self.article
        if art is not None:
            paras = [u for u in art.children if u.level == "para"]
            if not paras:
                self.rename(art, f"{art.id}-p1")
                art.locator += "第一款"
                art.level = "para"  # the article unit is now its first paragraph
            k = len(paras) + 2
            base = art.id.rsplit("-p", 1)[0]
            unit = self.add(
                Unit(
                    f"{base}-p{k}", art.locator.replace("第一款", "") + f"第{_cn(k)}款", "", p, level="para", parent=art
                )
            )
            self.container, self.stack = unit, []
            return
        if self.has_articles or not self.units:
            return  # a text broken by a stray line: keep it in the current unit
        self.stack = []
        self.container = self.add(Unit("closing", "结尾", "", p, level="para"))

    def note(self, p: int) -> None:
        previous = self.units[-1] if self.units else None
        if previous is not None:
            tail = self.text[previous.start : p].rstrip()
            if tail and tail[-1] not in SENTENCE_END + "：:；;":
                self.interrupted = previous
        unit = self.add(Unit("note-title", "编者按", "commentary", p, level="heading", title="编者按"))
        self.in_note = unit

    def heading(self, p: int, line: str) -> None:
        self.close_note(p)
        title = line.strip()
        if COUNT_HEADING.search(title):
            role = self.role_of(title)
            unit = self.add(
                Unit(f"l-{role.replace('_', '-')}" if role else "l", title, "heading", p, level="heading", title=title)
            )
            if role:
                unit.roles = [role]
        elif DOC_WORDS.search(title):
            n = sum(1 for u in self.units if u.id.startswith("title"))
            unit = self.add(
                Unit("title" if n == 0 else f"title{n + 1}", "标题", "heading", p, level="heading", title=title)
            )
        elif not self.units:  # an article's headline above a document it quotes
            unit = self.add(Unit("headline", "标题", "heading", p, level="heading", title=title))
        else:
            unit = self.add(Unit("h", title, "heading", p, level="heading", title=title))
        self.article, self.stack, self.container, self.section = None, [], None, unit
        self.body_started = True

    def role_of(self, text: str) -> str | None:
        norm = text.replace("(", "（").replace(")", "）")
        best, size = None, 0
        for role, names in self.role_names.items():
            for name in names:
                name = name.replace("(", "（").replace(")", "）")
                if name and name in norm and len(name) > size:
                    best, size = role, len(name)
        return best

    def diamond(self, p: int) -> None:
        self.close_note(p)
        self.body_started = True
        line_end = self.text.find("\n", p)
        line_end = len(self.text) if line_end == -1 else line_end
        m = DIAMOND.match(self.text[:line_end], p)
        section = self.section
        role = section.roles[0] if section and section.roles else None
        n = len([u for u in (section.children if section else self.units) if u.style == "diamond"]) + 1
        if m and m.group(2):
            n = int(m.group(2))
        prefix = f"d-{role.replace('_', '-')}-{n}" if role else (f"{section.id}-d{n}" if section else f"d{n}")
        # locator: the list's heading without its count, then the printed label (“党委(党组)领导班子责任1”)
        where = re.sub(r"\d+\s*项.*$", "", section.title) if section and section.title else ""
        label = f"{where}{m.group(1)}{m.group(2) or ''}" if m else f"{where}◆{n}"
        unit = self.add(
            Unit(
                prefix,
                label,
                "duty",
                p,
                level="item",
                style="diamond",
                number=n,
                parent=section,
                title=m.group(3).strip() if m else None,
            )
        )
        unit.roles = [role] if role else []
        has_body = self.text[line_end:].strip() and m is not None
        unit.heading_end = line_end if has_body else None
        self.stack, self.container = [unit], unit

    def item(self, p: int, style: str, n: int, m: re.Match) -> bool:
        # Pop to the list of the same style, if one is open.
        depth = next((i for i, u in enumerate(self.stack) if u.style == style), None)
        if depth is not None:
            previous = self.stack[depth]
            if n != previous.number + 1 and not (n == 1 and _at_line_start(self.text, p)):
                return False
            if n == 1:  # the same style restarting: a new list under the current container
                depth_parent = self.stack[depth].parent
            else:
                depth_parent = previous.parent
            self.stack = self.stack[:depth]
            parent = depth_parent
        elif (
            self.stack
            and self.stack[0].style == "cn_comma"
            and style != "cn_comma"
            and n == self.points + 1
            and len(self.stack) == 1
        ):
            parent = None  # points numbered straight through the sections (一、1. 2. 二、3. …)
        else:
            if n != 1:
                return False
            if not _at_line_start(self.text, p) and self.text[:p].rstrip()[-1:] not in "：:；;。":
                return False
            parent = self.stack[-1] if self.stack else self.container
        self.close_note(p)
        self.body_started = True
        marker = m.group().strip()
        if parent is None:  # a list at the top of a text without articles: sections and points
            if style == "cn_comma":
                wanted, locator, level = f"s{n}", marker, "heading"
            else:
                wanted, locator, level = f"p{n}", marker, "item"
                self.points = n
            section = self.section if style != "cn_comma" else None
            unit = Unit(
                wanted,
                (section.locator if section and section.style == "cn_comma" else "") + locator,
                "",
                p,
                level=level,
                style=style,
                number=n,
            )
            unit.id = self.unique(wanted, section.id if section else None)
            self.ids.add(unit.id)
            self.units.append(unit)
            if style == "cn_comma":
                self.section = unit
                self.container = None
                self.stack = [unit]
            else:
                if section is not None:
                    section.children.append(unit)
                    unit.parent = section
                self.stack = ([self.section] if self.section and self.section.style == "cn_comma" else []) + [unit]
            self.article = None
            return True
        if parent.style == "cn_comma" and parent.parent is None and parent.id.startswith("s"):
            # points inside a section keep their own number (p3, not s2-p3)
            self.points = n
            unit = Unit(f"p{n}", parent.locator + marker, "", p, level="item", style=style, number=n, parent=parent)
            unit.id = self.unique(unit.id, parent.id)
            self.ids.add(unit.id)
            self.units.append(unit)
            parent.children.append(unit)
            self.stack = self.stack[: self.stack.index(parent) + 1] + [unit] if parent in self.stack else [parent, unit]
            return True
        if parent.id.rsplit("-", 1)[-1].startswith("i") and parent.level == "item" and parent.style != "diamond":
            # an item that heads its own list becomes a section of the article: a10-i1 -> a10-s1
            head, last = parent.id.rsplit("-", 1)
            self.rename(parent, f"{head}-s{last[1:]}")
        in_article = parent.level in ("article", "para")
        locator = parent.locator + (f"第{marker}项" if in_article and style == "cn_paren" else marker)
        unit = self.add(Unit(f"{parent.id}-i{n}", locator, "", p, level="item", style=style, number=n, parent=parent))
        self.stack.append(unit)
        return True

    # front matter ----------------------------------------------------------------------
    def front_matter(self, start: int, end: int) -> None:
        """Title, document number, cover notice, signature, date line, preamble."""
        blocks = _blocks(self.text, start, end)
        kinds = []
        for a, b in blocks:
            kinds.append(_front_kind(self.text[a:b]))
        notice = (
            any(k == "title" and self.text[a:b].strip().endswith("通知") for (a, b), k in zip(blocks, kinds))
            and kinds.count("title") >= 2
        )
        seen_title = False
        i = 0
        while i < len(blocks):
            (a, b), kind = blocks[i], kinds[i]
            body = self.text[a:b]
            # “…办法 (鄂发(2023)11号)”: split the number off. _front_kind found it in the folded text;
            # should an invisible character split it in the raw text, the block stays whole (prose).
            if kind == "number-in-title" and (m := NUMBER.search(body)):
                self.front(a, "title", "标题", "heading", title=fold_space(body[: m.start()]))
                self.front(a + m.start(), "number", "文号", "heading", title=fold_space(m.group()))
                seen_title = True
            elif kind == "number":
                self.front(
                    a,
                    "notice-number" if notice and not seen_title else "number",
                    "文号",
                    "heading",
                    title=fold_space(body),
                )
            elif kind == "title":
                if notice and not seen_title:
                    self.front(a, "notice-title", "通知标题", "heading", title=fold_space(body))
                else:
                    n = sum(1 for u in self.units if u.id.startswith("title"))
                    self.front(a, "title" if n == 0 else f"title{n + 1}", "标题", "heading", title=fold_space(body))
                seen_title = True
            elif kind == "dateline":
                self.front(a, "dateline", "日期来源行", "heading", draft=["title"])
            elif kind in ("issuer", "date"):
                if not (self.units and self.units[-1].id == "signature"):
                    self.front(a, "signature", "落款", "preamble", draft=["title"])
            else:  # prose
                if self.units and self.units[-1].id in ("notice", "preamble"):
                    pass  # one preamble, however many paragraphs
                elif notice and seen_title and not any(u.id == "title" for u in self.units):
                    self.front(a, "notice", "通知", "preamble", draft=["title"])
                else:
                    kind_ = "basis" if re.search(r"为了|根据|依据", body) else "preamble"
                    self.front(a, "preamble", "序言", kind_, draft=["title"])
            i += 1
        if not self.units and blocks:
            self.front(blocks[0][0], "preamble", "序言", "preamble", draft=["title"])

    def front(self, p: int, wanted: str, locator: str, kind: str, title: str | None = None, draft=None) -> None:
        unit = self.add(Unit(wanted, locator, kind, p, level="front", title=title))
        unit.draft = list(draft or [])


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


TITLE_END = re.compile(r"(通知|办法|细则|规定|意见|决定|条例|方案|准则|规则|[（(](试行|暂行)[)）])\s*$")


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Blocks of the front matter, trimmed: split at blank lines, and after a line that
    ends a title (“…的通知” directly followed by the salutation)."""
    out = []
    for m in re.finditer(r"\S(?:.|\n(?![ \t\u3000\xa0\r]*\n))*", text[start:end]):
        a, b = start + m.start(), start + m.end()
        for line in re.finditer(r"\n", text[a:b]):
            cut = a + line.start()
            if TITLE_END.search(text[a:cut]) and text[cut:b].strip():
                out.append((a, cut))
                a = cut + 1
                while text[a].isspace():
                    a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        out.append((a, b))
    return out


def _front_kind(body: str) -> str:
    flat = fold_space(body)
    compact = strip_space(body)
    if DATELINE.search(flat):
        return "dateline"
    if NUMBER.fullmatch(flat.strip()) or NUMBER.fullmatch(compact):
        return "number"
    if DATE_LINE.match(compact):
        return "date"
    if len(compact) <= 20 and ISSUER_END.search(compact) and not DOC_WORDS.search(compact):
        return "issuer"
    m = NUMBER.search(flat)
    if m and DOC_WORDS.search(flat[: m.start()]) and not re.search("[。；;]", flat):
        return "number-in-title"
    if len(compact) <= 80 and DOC_WORDS.search(compact) and not re.search("[。；;]", compact):
        return "title"
    return "prose"


# -- kinds and titles ---------------------------------------------------------------------


def propose(units: list[Unit], text: str) -> None:
    """Kind, title and what is left to fill, from simple cues in each unit's own text."""
    for unit in units:
        unit.flat = flat = fold_space(text[unit.start : unit.end])
        has_items = any(c.level == "item" for c in unit.children)
        if not unit.kind:
            unit.kind = _kind(unit, flat, has_items)
        if unit.title is None:
            unit.title = _title(unit, flat, has_items)
        if unit.title is None:
            unit.draft.insert(0, "title")
        if (
            unit.kind
            in ("duty", "trigger", "sanction", "aggravating", "mitigating", "exemption", "double_accountability")
            and not unit.roles
        ):
            unit.draft.append("roles")
        if unit.kind in ("duty", "trigger"):
            unit.draft.append("themes")
        if unit.kind == "trigger":
            unit.draft.append("links")
        if unit.kind == "sanction":
            unit.draft.append("sanction")


def _kind(unit: Unit, flat: str, has_items: bool) -> str:
    if has_items:
        return "lead_in"
    if unit.level in ("chapter", "heading"):
        return "heading"
    if unit.level == "item" and unit.parent is not None:
        lead = unit.parent.flat
        for cue, kind in (
            (r"从重|加重", "aggravating"),
            (r"从轻|减轻", "mitigating"),
            (r"免予|不予追究|免责", "exemption"),
            (r"一案双查|一案双究|倒查", "double_accountability"),
        ):
            if re.search(cue, lead):
                return kind
        if re.search(r"追究|问责|责任追究", lead) and re.search(r"的[;；。]?$|情形[。；;]?$|行为[。；;]?$", flat):
            return "trigger"
        if re.search(r"程序", lead):
            return "procedure"
        if re.search(r"方式", lead) or re.search(r"给予|处分|问责方式", flat):
            return "sanction"
        if re.search(r"职责|责任[:：]|责任。|应当|要", lead + flat):
            return "duty"
    if unit.level == "item" and re.search(r"制度。", flat[:40]):
        return "system"
    if re.match(r"第\s*一\s*条", flat) and re.search(r"根据|为了|依据|为", flat):
        return "basis"
    if re.search(r"自.{0,12}(施行|实施|执行)。?$|负责解释|解释权", flat):
        return "supplementary"
    if re.search(r"适用于|参照.{0,60}执行", flat):
        return "scope"
    if re.search(r"所称|是指", flat):
        return "definition"
    if re.search(r"给予|处分|问责方式|追究.{0,6}方式|方式包括", flat):
        return "sanction"
    if re.search(r"原则", flat):
        return "principle"
    if re.search(r"程序|备案|申诉|报告", flat):
        return "procedure"
    if re.search(r"职责|应当|要", flat):
        return "duty"
    unit.draft.append("kind")
    return "principle"


def _title(unit: Unit, flat: str, has_items: bool) -> str | None:
    """A title only when the text itself prints one (“(一)加强组织领导。…”)."""
    body = re.sub(
        rf"^(第\s*[{CN_NUM}\d]+\s*[条章]|[（(]\s*[{CN_NUM}\d]+\s*[）)]|[{CN_NUM}]+\s*[、）)]|\d+\s*[.．、]|[{CIRCLED}])\s*",
        "",
        flat,
    )
    first = re.split(r"[。]", body, maxsplit=1)[0]
    if unit.level == "item" and first != body and 2 <= len(first) <= 16 and not re.search(r"[，,；;：:]", first):
        return first
    if has_items:
        lead = body.rstrip("：: ")
        if 2 <= len(lead) <= 30 and not re.search(r"[。；;]", lead):
            return lead
    return None


# -- YAML ---------------------------------------------------------------------------------


def scalar(value: str) -> str:
    """A plain YAML scalar when it reads back unchanged, else a double-quoted one."""
    if value and "\n" not in value and value == value.strip():
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def block(text: str, indent: str) -> str:
    """A literal block scalar for a quote, or a quoted scalar when a block cannot hold it."""
    lines = text.split("\n")
    out = "|-\n" + "\n".join((indent + line.rstrip("\r")) if line.strip() else "" for line in lines)
    try:
        back = yaml.safe_load("k: " + out)["k"]
        if strip_space(back) == strip_space(text) and "\t" not in text:
            return out
    except (yaml.YAMLError, TypeError):
        pass
    return json.dumps(text, ensure_ascii=False)


def fact_unknown(basis: str = "待核实") -> str:
    return f"{{value: null, stated: false, basis: {basis}, certainty: 未知}}"


def scaffold(
    doc_id: str, source_name: str, source: str, sha256: str, role_names: dict[str, list[str]] | None = None
) -> Scaffold:
    """The YAML skeleton for ``source`` (already decoded), ready for ./hb check."""
    spans, patterns = find_chrome(source)
    clean = Clean(source, spans, patterns)
    walker = Walker(clean.text, clean.markdown_lines, role_names or {})
    units = walker.walk()
    propose(units, clean.text)
    skel = Skeleton.of(source)

    out: list[str] = [
        "# yaml-language-server: $schema=../schema/document.schema.json",
        "# 由 ./hb new 生成的草稿。draft 列出尚待编辑填写或核实的项目：填好一项就从 draft 中删去它，",
        "# 整个 draft 删完才能发布。条款的 id、locator、kind、quote 和 ignored 是按原文编号和版式推测的，请逐条核对。",
        f"id: {doc_id}",
        f"source: {source_name}",
        f"sha256: {sha256}",
    ]
    title_unit = next((u for u in units if u.id == "title"), None)
    title = title_unit.title if title_unit else None
    out.append(
        f"title: {{value: {scalar(title)}, stated: true}}" if title else f"title: {fact_unknown('原文标题待确认')}"
    )
    out += [
        "jurisdiction:",
        f"  id: {doc_id}",
        f"  name: {fact_unknown()}",
        "  level: 未知",
        f"issuer: {fact_unknown()}",
    ]
    number = next((u.title for u in units if u.id in ("number", "notice-number")), None)
    if number and number[0] in "(（" and number[-1] in ")）":
        number = number[1:-1].strip()
    out.append(f"number: {{value: {scalar(number)}, stated: true}}" if number else f"number: {fact_unknown()}")
    out.append(f"date: {fact_unknown()}")
    status = next((s for s in ("试行", "暂行") if title and s in title), "未标明")
    out += [
        f"status: {status}",
        "verified_on: null",
        "completeness: {complete: true}",
        "draft: [title, jurisdiction, issuer, number, date, status, completeness]",
    ]

    out.append("ignored:" if spans or patterns else "ignored: []")
    for pattern, reason in patterns:
        out.append(f"  - {{pattern: {json.dumps(pattern)}, reason: {reason}}}")
    for a, b, reason in spans:
        out += _item_yaml(skel, source, a, b, "  ", keyed=True) + [f"    reason: {reason}"]

    out.append("clauses:")
    for unit in units:
        out += _clause_yaml(unit, clean, skel, source)
    return Scaffold("\n".join(out) + "\n", len(units), len(spans) + len(patterns), title)


def _clause_yaml(unit: Unit, clean: Clean, skel: Skeleton, source: str) -> list[str]:
    lines = [f"  - id: {unit.id}", f"    locator: {scalar(unit.locator)}", f"    kind: {unit.kind}"]
    if unit.roles:
        lines.append(f"    roles: [{', '.join(unit.roles)}]")
    lines.append(f"    title: {scalar(unit.title or unit.locator)}")
    if not unit.title:
        lines.append("    title_editorial: true")
    body_start = unit.start
    if unit.heading_end is not None:
        heading = clean.source_ranges(unit.start, unit.heading_end)
        # heading has no context form: only a heading line that occurs once goes there
        if len(heading) == 1 and _unique(skel, source[heading[0][0] : heading[0][1]]):
            lines.append("    heading: " + scalar(fold_space(source[heading[0][0] : heading[0][1]])))
            body_start = unit.heading_end
    ranges = clean.source_ranges(body_start, unit.end)
    for a, b in unit.extra:
        ranges += clean.source_ranges(a, b)
    if len(ranges) == 1 and _unique(skel, source[ranges[0][0] : ranges[0][1]]):
        lines.append("    quote: " + block(source[ranges[0][0] : ranges[0][1]], "      "))
    else:
        lines.append("    quote:")
        for a, b in ranges:
            lines += _item_yaml(skel, source, a, b, "      ")
    if unit.draft:
        lines.append(f"    draft: [{', '.join(dict.fromkeys(unit.draft))}]")
    return lines


def _unique(skel: Skeleton, text: str) -> bool:
    return len(skel.find_all(strip_space(text))) == 1


def _item_yaml(skel: Skeleton, source: str, a: int, b: int, indent: str, keyed: bool = False) -> list[str]:
    """One list item quoting source[a:b]: the text itself when it occurs once in the
    source, else {text, context} with the shortest context that occurs once."""
    text = source[a:b]
    if _unique(skel, text):
        if keyed:
            return [f"{indent}- text: {scalar(fold_space(text))}"]
        return [f"{indent}- " + (block(text, indent + "  ") if "\n" in text else scalar(text))]
    return [f"{indent}- text: {scalar(fold_space(text))}", f"{indent}  context: {scalar(_context(skel, source, a, b))}"]


def _context(skel: Skeleton, source: str, a: int, b: int) -> str:
    """The shortest surrounding text that occurs once in the source and holds the quote once."""
    first, stop = skel.skeleton_index(a), skel.skeleton_index(b - 1) + 1
    needle = skel.text[first:stop]
    grow = 2
    while True:
        ca, cb = max(0, first - grow), min(len(skel.text), stop + grow)
        window = skel.text[ca:cb]
        if len(skel.find_all(window)) == 1 and window.count(needle) == 1:
            return re.sub(r"\s+", " ", source[skel.offsets[ca] : skel.offsets[cb - 1] + 1]).strip()
        if ca == 0 and cb == len(skel.text):
            return re.sub(r"\s+", " ", source).strip()
        grow *= 2
