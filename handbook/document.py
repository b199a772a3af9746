"""Build one Document from its validated YAML: source, references, quotes, tiling.

The builder is given what it reads (the YAML, the sources folder, the vocabularies) and
keeps what it finds (``problems``, ``cross_references``); load.py gathers these from
every document, so every problem reaches the editor in one run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import model as m
from .files import Refused, read_bytes
from .problems import Problem, suggest
from .tiling import Miss, Piece, Skeleton, check_tiling, fold_space, locate, pattern_ranges, strip_space
from .yamlfile import Path_, YamlFile

IGNORED_SHARE_LIMIT = 0.05
NEEDS_ROLES = {"duty", "trigger", "sanction", "aggravating", "mitigating", "exemption", "double_accountability"}
NEEDS_THEMES = {"duty", "trigger"}


@dataclass(frozen=True)
class Vocabularies:
    """The ids clauses may use. An empty collection means its file had errors (already
    reported): references to it are then not checked, to avoid follow-on errors."""

    roles: Collection[str]
    actors: Collection[str]
    themes: Collection[str]
    measures: Collection[str]


@dataclass(frozen=True)
class CrossReference:
    """A reference to a clause of another document: checked once all are loaded."""

    file: YamlFile
    path: Path_
    ref: str


class DocumentBuilder:
    """Turns one validated document YAML into a Document, collecting what is wrong."""

    def __init__(self, file: YamlFile, stem: str, sources: Path, vocabularies: Vocabularies, publish: bool = False):
        self.file, self.stem, self.sources, self.vocabularies = file, stem, sources, vocabularies
        self.publish = publish  # a publishing build refuses drafts
        self.data: dict[str, Any] = file.data
        self.problems: list[Problem] = []
        self.cross_references: list[CrossReference] = []

    def problem(self, path, message, fix="", warning=False, key=False) -> None:
        self.problems.append(self.file.problem(path, message, fix, warning, key))

    def build(self) -> m.Document | None:
        d = self.data
        if d["id"] != self.stem:
            self.problem(
                ("id",), f"id `{d['id']}` 与文件名 `{self.stem}.yml` 不一致", f"改为 id: {self.stem}，或重命名文件"
            )
        source = self.read_source()
        clause_ids = self.check_clause_ids()
        truncated = d["completeness"].get("truncated_in")
        if truncated and truncated not in clause_ids:
            self.problem(
                ("completeness", "truncated_in"),
                f"truncated_in 指向不存在的条款 `{truncated}`",
                suggest(truncated, clause_ids),
            )
        self.check_vocabulary_references()
        self.report_drafts()
        if source is None:
            return None
        skel = Skeleton.of(source)
        pieces, spans = self.locate_clauses(skel)
        ignored = self.locate_ignored(skel, pieces)
        self.check_order(spans)
        self.check_tiling(skel, pieces)
        clauses = self.make_clauses(skel, spans, clause_ids)
        if any(not p.warning for p in self.problems):
            return None
        j = d["jurisdiction"]
        comp = d["completeness"]
        return m.Document(
            id=d["id"],
            source=d["source"],
            sha256=d["sha256"],
            title=_fact(d["title"]),
            short_title=d.get("short_title") or d["title"]["value"] or d["id"],
            jurisdiction=m.Jurisdiction(
                j["id"], _fact(j["name"]), j["level"], j.get("short") or j["name"]["value"] or j["id"]
            ),
            issuer=_fact(d["issuer"]),
            number=_fact(d["number"]),
            date=_fact(d["date"]),
            date_kind=d.get("date_kind"),
            status=d["status"],
            verified_on=d["verified_on"],
            verified_note=d.get("verified_note"),
            completeness=m.Completeness(
                comp["complete"], f"{d['id']}/{truncated}" if truncated else None, comp.get("note")
            ),
            source_text=source,
            clauses=tuple(clauses),
            ignored=tuple(ignored),
            effective=d.get("effective"),
            supersedes=d.get("supersedes"),
            notes=tuple(d.get("notes", ())),
        )

    def report_drafts(self) -> None:
        """List what a scaffold (./hb new) left to fill: warnings while editing, errors
        when publishing (HANDBOOK_PUBLISH=true), so no unfinished stub is published."""
        publish = self.publish
        fix = (
            "发布构建不接受草稿：填好后从 draft 中删去这些项"
            if publish
            else "填好后从 draft 中删去这些项（draft 删完才能发布）"
        )
        if self.data.get("draft"):
            self.problem(
                ("draft",), f"待填写：文档元数据 {'、'.join(self.data['draft'])}", fix, warning=not publish, key=True
            )
        for i, c in enumerate(self.data["clauses"]):
            if c.get("draft"):
                self.problem(
                    ("clauses", i, "draft"),
                    f"待填写：条款 `{c['id']}` 的 {'、'.join(c['draft'])}",
                    fix,
                    warning=not publish,
                    key=True,
                )

    # -- source -------------------------------------------------------------------

    def read_source(self) -> str | None:
        name = self.data["source"]
        path = self.sources / name
        try:
            # Resolved and checked first: a symlink to a file elsewhere, a device or a FIFO is never read.
            raw = read_bytes(path, self.sources, "data/sources/")
        except Refused as exc:
            self.problem(("source",), f"原文文件 data/sources/{name} {exc.message}", exc.fix)
            return None
        except FileNotFoundError:
            present = sorted(p.name for p in path.parent.glob("*.txt"))
            self.problem(
                ("source",),
                f"原文文件 data/sources/{name} 不存在",
                "把原文 .txt 放进 data/sources/，或改正文件名。" + suggest(name, present),
            )
            return None
        except OSError as exc:
            self.problem(
                ("source",),
                f"原文文件 data/sources/{name} 无法读取（{exc.strerror or exc.__class__.__name__}）",
                "检查它是不是一个普通文件、是否有读取权限",
            )
            return None
        try:
            # A UTF-8 BOM and CRLF line ends are accepted: both count as whitespace when quotes are matched.
            source = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problem(("source",), *not_utf8(f"data/sources/{name}", raw, exc))
            return None
        if not strip_space(source):
            self.problem(("source",), f"原文文件 data/sources/{name} 是空的", "把完整原文粘贴进去，保存为 UTF-8")
            return None
        digest = hashlib.sha256(raw).hexdigest()
        if digest != self.data["sha256"]:
            self.problem(
                ("sha256",),
                f"原文 data/sources/{name} 的 SHA-256 与记录不符（原文被改动过？）",
                f"原文不得手工修改，请恢复原文；如确为新收到的原文，改为 sha256: {digest}",
            )
        return source

    # -- references ---------------------------------------------------------------

    def check_clause_ids(self) -> set[str]:
        seen: set[str] = set()
        for i, clause in enumerate(self.data["clauses"]):
            if clause["id"] in seen:
                self.problem(
                    ("clauses", i, "id"),
                    f"条款标识 `{clause['id']}` 重复",
                    "同一文档中每个标识只能用一次；重号条款加后缀，如 a20-2",
                )
            seen.add(clause["id"])
        return seen

    def check_vocabulary_references(self) -> None:
        vocabularies = self.vocabularies
        for i, c in enumerate(self.data["clauses"]):
            at = ("clauses", i)
            for key, vocab, label in (
                ("roles", vocabularies.roles, "角色"),
                ("actors", vocabularies.actors, "主体"),
                ("themes", vocabularies.themes, "主题"),
            ):
                for k, value in enumerate(c.get(key, ())):
                    if vocab and value not in vocab:
                        self.problem(
                            at + (key, k),
                            f"未知的{label} `{value}`",
                            suggest(value, vocab)
                            + f"（{label}定义在 data/{'themes' if key == 'themes' else 'roles'}.yml）",
                        )
            draft = c.get("draft", ())
            if c["kind"] in NEEDS_ROLES and not c.get("roles") and "roles" not in draft:
                self.problem(
                    at + ("kind",), f"{m.KIND_LABELS[c['kind']]}条款必须注明 roles", "添加 roles: [committee, …]"
                )
            if c["kind"] in NEEDS_THEMES and not c.get("themes") and "themes" not in draft:
                self.problem(
                    at + ("kind",), f"{m.KIND_LABELS[c['kind']]}条款至少要有一个主题", "添加 themes: [leadership, …]"
                )
            sanction = c.get("sanction") or {}
            s_at = at + ("sanction",)
            names: list[tuple[Path_, str]] = [
                (s_at + ("ladder", k, "measures", n), name)
                for k, step in enumerate(sanction.get("ladder", ()))
                for n, name in enumerate(step["measures"])
            ]
            names += [(s_at + ("measures", n), name) for n, name in enumerate(sanction.get("measures", ()))]
            names += [
                (s_at + ("restrictions", k, "after", n), name)
                for k, r in enumerate(sanction.get("restrictions", ()))
                for n, name in enumerate(r["after"])
            ]
            for path, name in names:
                if vocabularies.measures and name not in vocabularies.measures:
                    self.problem(
                        path,
                        f"未知的追究方式 `{name}`",
                        suggest(name, vocabularies.measures) + "（定义在 data/measures.yml）",
                    )
            if "sanction" in c and c["kind"] not in ("sanction", "trigger"):
                self.problem(
                    at + ("sanction",),
                    "只有 kind: sanction（追究方式）或 kind: trigger（追究情形，且同一句写明了追究方式）的条款才能写 sanction",
                    "删除 sanction，或把 kind 改为 sanction / trigger",
                )
            self.check_empty_measures(s_at, sanction)

    def check_empty_measures(self, at: Path_, sanction: dict) -> None:
        """``measures: []`` names no measure: the page would show an empty row or link."""
        empty: list[Path_] = [at + ("measures",)] if sanction.get("measures") == [] else []
        empty += [
            at + ("ladder", k, "measures") for k, st in enumerate(sanction.get("ladder", ())) if not st["measures"]
        ]
        for path in empty:
            self.problem(
                path,
                "measures 是空列表：没有列出任何追究方式，页面上会出现空行",
                "列出原文写明的追究方式（如 measures: [written_review]，标识见 data/measures.yml），"
                "或删去这个 measures",
                warning=True,
                key=True,
            )

    # -- locating -----------------------------------------------------------------

    def place(self, skel: Skeleton, path, text: str, context: str | None, owner: str) -> Piece | None:
        found = locate(skel, text, context)
        if isinstance(found, Miss):
            in_ignored = path[:1] == ("ignored",)
            # {text, context} is one item of the quote list (a bare mapping is not a quote);
            # an ignored span takes context as its own key
            valid_form = (
                "在这一忽略片段中加一行 context: …（与 text 并列）"
                if in_ignored
                else "把 quote 写成列表，这一段作为其中一项：quote: [{text: …, context: …}]，"
                "即分行写“- text: …”和其下对齐的“  context: …”"
            )
            fixes = {
                "missing": "从原文复制这段文字（空白和换行可以不同，其他字符必须一字不差；错字请写进 corrections）",
                "ambiguous": f"{valid_form}；context 是包含整段引文、在原文中只出现一次的一段文字",
                "context": "改写 context：它必须包含整段引文（text），并在原文中恰好出现一次",
                "empty": "填入原文文字",
            }
            self.problem(path, f"引文无法在原文中定位：{found.hint}", fixes[found.reason])
            return None
        return Piece(owner, *found, path=tuple(path))

    def locate_clauses(self, skel: Skeleton):
        pieces: list[Piece] = []
        spans: dict[int, list[Piece]] = {}
        for i, c in enumerate(self.data["clauses"]):
            owner = f"条款 {c['id']}"
            found: list[Piece] = []
            if c.get("heading"):
                if piece := self.place(skel, ("clauses", i, "heading"), c["heading"], None, owner):
                    found.append(piece)
            for k, fragment in enumerate(_fragments(c["quote"])):
                text, context = fragment
                path = ("clauses", i, "quote") + ((k,) if isinstance(c["quote"], list) else ())
                if piece := self.place(skel, path, text, context, owner):
                    found.append(piece)
            pieces.extend(found)
            spans[i] = found
        return pieces, spans

    def locate_ignored(self, skel: Skeleton, pieces: list[Piece]) -> list[m.Ignored]:
        ignored = []
        for i, item in enumerate(self.data.get("ignored", ())):
            owner = f"忽略片段 #{i + 1}（{item['reason']}）"
            if "pattern" in item:
                try:
                    ranges = pattern_ranges(skel, item["pattern"])
                except (re.error, OverflowError, RecursionError) as exc:
                    self.problem(("ignored", i, "pattern"), f"正则表达式有误：{exc}", "检查括号和转义")
                    continue
            else:
                piece = self.place(skel, ("ignored", i, "text"), item["text"], item.get("context"), owner)
                ranges = [(piece.first, piece.stop)] if piece else []
            pieces.extend(Piece(owner, a, b, ("ignored", i)) for a, b in ranges)
            if ranges:
                ignored.append(
                    m.Ignored(
                        self.data["id"],
                        tuple(skel.span(a, b) for a, b in ranges),
                        item["reason"],
                        item.get("text") or skel.text[ranges[0][0] : ranges[0][1]],
                    )
                )
        share = sum(p.stop - p.first for p in pieces if p.path[:1] == ("ignored",))
        if skel.text and share / len(skel.text) >= IGNORED_SHARE_LIMIT:
            self.problem(
                ("ignored",),
                f"忽略的文字占原文 {share / len(skel.text):.1%}，超过 5% 上限",
                "正文内容应作为条款录入（前言、通知、编者按可用 kind: preamble / commentary）",
            )
        return ignored

    def check_order(self, spans: dict[int, list[Piece]]) -> None:
        last, last_id = -1, None
        for i, found in spans.items():
            if not found:
                continue
            start = found[0].first
            if start < last:
                cid = self.data["clauses"][i]["id"]
                self.problem(
                    ("clauses", i, "id"),
                    f"条款 `{cid}` 在原文中位于 `{last_id}` 之前，但在数据中排在其后",
                    "按原文顺序排列 clauses",
                )
            last, last_id = start, self.data["clauses"][i]["id"]

    def check_tiling(self, skel: Skeleton, pieces: list[Piece]) -> None:
        if len(pieces) == 0:
            return
        for flaw in check_tiling(skel, pieces):
            line, col = skel.line_col(flaw.first)
            text = skel.excerpt(flaw.first, flaw.stop)
            where = f"原文 data/sources/{self.data['source']} 第 {line} 行第 {col} 列"
            if flaw.kind == "gap":
                self.problem(
                    flaw.path or ("clauses",),
                    f"{where}起有 {flaw.stop - flaw.first} 个字没有被任何条款或忽略片段覆盖：“{text}”",
                    "这一行指向缺口之前的最后一个条款：把缺的文字补进相邻条款的 quote，新建条款，或（仅限网页杂项、页码）加入 ignored",
                )
            else:
                self.problem(
                    flaw.path or ("clauses",),
                    f"{where}起的“{text}”被重复覆盖（{' 与 '.join(flaw.owners)}）",
                    "每段原文只能属于一个条款或忽略片段：缩短其中一方的引文",
                )

    # -- clauses ------------------------------------------------------------------

    def resolve(self, path, ref: str, ids: set[str], doc_id: str) -> str | None:
        if "/" in ref:
            if ref.split("/", 1)[0] != doc_id:  # another document: checked once all are loaded
                self.cross_references.append(CrossReference(self.file, tuple(path), ref))
                return ref
            ref = ref.split("/", 1)[1]
        if ref not in ids:
            self.problem(path, f"引用的条款 `{ref}` 不存在", suggest(ref, ids))
            return None
        return f"{doc_id}/{ref}"

    def make_clauses(self, skel: Skeleton, spans: dict[int, list[Piece]], ids: set[str]) -> list[m.Clause]:
        d = self.data
        doc_id, clauses = d["id"], []
        for i, c in enumerate(d["clauses"]):
            at = ("clauses", i)
            fragments = [t for t, _ in _fragments(c["quote"])]
            original = fold_space("".join(fragments))
            text = original
            corrections = []
            for k, fix in enumerate(c.get("corrections", ())):
                if fix["from"] not in text:
                    self.problem(
                        at + ("corrections", k, "from"),
                        f"更正的原文“{fix['from']}”不在本条引文中",
                        "from 必须是引文中的原样文字（换行会被去掉，其他空格保留）",
                    )
                    continue
                text = text.replace(fix["from"], fix["to"])
                corrections.append(m.Correction(fix["from"], fix["to"], fix["why"]))
            flat_text = strip_space(text) + strip_space(c.get("heading", ""))
            if not c.get("title_editorial") and strip_space(c["title"]) not in flat_text:
                self.problem(
                    at + ("title",),
                    f"标题“{c['title']}”不是原文文字",
                    "若标题为编辑所拟，加上 title_editorial: true；否则从原文复制",
                )
            times, unscheduled = [], []
            for key in ("time", "unscheduled"):
                for k, t in enumerate(c.get(key, ())):
                    if strip_space(t["phrase"]) not in flat_text and strip_space(t["phrase"]) not in strip_space(
                        original
                    ):
                        self.problem(
                            at + (key, k, "phrase"),
                            f"时间短语“{t['phrase']}”不在本条文字中",
                            "从条文中复制表示时间的原话",
                        )
                    if key == "time":
                        times.append(m.TimeRule(**t))
                    else:
                        unscheduled.append(m.Unscheduled(t["phrase"], t["why"]))
            links = tuple(
                r
                for k, ref in enumerate(c.get("links", ()))
                if (r := self.resolve(at + ("links", k), ref, ids, doc_id))
            )
            sanction = None
            if c.get("sanction"):
                s = c["sanction"]
                applies = tuple(
                    r
                    for k, ref in enumerate(s.get("applies_to", ()))
                    if (r := self.resolve(at + ("sanction", "applies_to", k), ref, ids, doc_id))
                )
                sanction = m.Sanction(
                    target=s.get("target"),
                    applies_to=applies,
                    ladder=tuple(
                        m.SanctionStep(st["severity"], tuple(st["measures"]), st.get("as_written"))
                        for st in s.get("ladder", ())
                    ),
                    measures=tuple(s.get("measures", ())),
                    combinable=s.get("combinable", False),
                    restrictions=tuple(
                        m.Restriction(tuple(r["after"]), r["rule"], r.get("years")) for r in s.get("restrictions", ())
                    ),
                )
            clauses.append(
                m.Clause(
                    id=f"{doc_id}/{c['id']}",
                    local_id=c["id"],
                    document=doc_id,
                    jurisdiction=d["jurisdiction"]["id"],
                    locator=c["locator"],
                    kind=c["kind"],
                    title=c["title"],
                    title_editorial=bool(c.get("title_editorial")),
                    quote=tuple(fragments),
                    text=text,
                    original=original,
                    spans=tuple(sorted(skel.span(p.first, p.stop) for p in spans[i])),
                    heading=c.get("heading"),
                    roles=tuple(c.get("roles", ())),
                    actors=tuple(c.get("actors", ())),
                    themes=tuple(c.get("themes", ())),
                    corrections=tuple(corrections),
                    links=links,
                    sanction=sanction,
                    time=tuple(times),
                    unscheduled=tuple(unscheduled),
                    note=c.get("note"),
                    order=i,
                    draft=tuple(c.get("draft", ())),
                )
            )
        return clauses


def not_utf8(shown: str, raw: bytes, exc: UnicodeDecodeError) -> tuple[str, str]:
    """(message, fix) for a source that is not UTF-8; ``shown`` is its path as the editor sees it."""
    stem = shown.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    try:
        raw.decode("gb18030")
        hint = (
            f"看起来是 GBK/GB18030 编码：运行 iconv -f GB18030 -t UTF-8 {shown} > {stem}.utf8.txt，"
            f"再用 {stem}.utf8.txt 替换 {shown}，并按 /guide/ 更新 sha256"
        )
        what = "（像是 GBK/GB18030 编码）"
    except UnicodeDecodeError:
        hint, what = "请用编辑器另存为 UTF-8，并更新 sha256", ""
    line = raw.count(b"\n", 0, exc.start) + 1
    return f"原文 {shown} 不是 UTF-8 编码{what}：第 {line} 行（第 {exc.start} 字节）无法按 UTF-8 读取", hint


def _fragments(quote) -> list[tuple[str, str | None]]:
    items = quote if isinstance(quote, list) else [quote]
    return [(f, None) if isinstance(f, str) else (f["text"], f["context"]) for f in items]


def _fact(data: dict) -> m.Fact:
    return m.Fact(data["value"], data["stated"], data.get("as_written"), data.get("basis"), data.get("certainty"))
