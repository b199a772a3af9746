"""Load ``data/`` into a validated :class:`Handbook`, collecting every problem.

Order of work: vocabularies, then each document (schema, references, quotes located in
its source, tiling), then cross-document checks. Each check appends a Problem with the
file, line and a fix; :func:`load` raises one DataError at the end if any is an error.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
import json
import re
from functools import lru_cache
from pathlib import Path

import jsonschema

from . import model as m
from .problems import DataError, Problem, suggest
from .tiling import Miss, Piece, Skeleton, check_tiling, fold_space, locate, pattern_ranges, strip_space
from .yamlfile import YamlFile, read_yaml

IGNORED_SHARE_LIMIT = 0.05
NEEDS_ROLES = {"duty", "trigger", "sanction", "aggravating", "mitigating", "exemption", "double_accountability"}
NEEDS_THEMES = {"duty", "trigger"}
TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|\{#|<\s*/?\s*[a-zA-Z]")
LINKS_FROM = {"trigger", "double_accountability", "aggravating", "mitigating", "exemption"}


@lru_cache(maxsize=None)
def _schema(data_dir: Path, name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((data_dir / "schema" / name).read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


class Loader:
    """One loading run; ``problems`` fills up as files are read."""

    def __init__(self, root: Path, only: str | None = None):
        self.root = Path(root)
        self.only = only  # load just this document (editors checking one file)
        self.data = self.root / "data"
        self.problems: list[Problem] = []
        self.deferred: list[tuple[YamlFile, tuple, str]] = []  # cross-document references: (file, path, ref)
        self.files: dict[str, YamlFile] = {}  # document id -> its YAML (for line numbers in later checks)
        self.book = m.Handbook()

    def shown(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    # -- reading and schema -------------------------------------------------------

    def read(self, path: Path, schema: str) -> YamlFile | None:
        file = read_yaml(path, self.shown(path), self.problems)
        if file is None:
            return None
        errors = sorted(_schema(self.data, schema).iter_errors(file.data), key=lambda e: list(map(str, e.absolute_path)))
        if not isinstance(file.data, dict):
            self.problems.append(file.problem((), "文件顶层应是“键: 值”的映射", "参照 /guide/ 的示例"))
            return None
        for error in errors:
            self.problems.append(_schema_problem(file, error))
        if errors:
            return None
        check_markup(file, file.data, (), self.problems)
        return file

    # -- vocabularies -------------------------------------------------------------

    def load_vocabularies(self) -> None:
        if f := self.read(self.data / "roles.yml", "roles.schema.json"):
            self.book.roles = {r["id"]: m.Role(r["id"], r["label"], r["short"], r["description"], tuple(r.get("aliases", ())))
                               for r in f.data["roles"]}
            self.book.actors = {a["id"]: m.Actor(a["id"], a["label"]) for a in f.data["actors"]}
            roles = self.unique_ids(f, "roles", f.data["roles"])
            self.unique_ids(f, "actors", f.data["actors"])
            for i, actor in enumerate(f.data["actors"]):
                if actor["id"] in roles:
                    self.problems.append(f.problem(("actors", i, "id"), f"主体标识 `{actor['id']}` 与角色标识重名",
                                                   "角色和其他主体的标识不能相同：给主体换一个标识"))
        if f := self.read(self.data / "themes.yml", "themes.schema.json"):
            self.book.themes = {t["id"]: m.Theme(t["id"], t["label"], t["definition"]) for t in f.data["themes"]}
            self.unique_ids(f, "themes", f.data["themes"])
        if f := self.read(self.data / "measures.yml", "measures.schema.json"):
            self.book.measures = {x["id"]: m.Measure(x["id"], x["label"], x["target"], x["rank"]) for x in f.data["measures"]}
            self.unique_ids(f, "measures", f.data["measures"])
        if f := self.read(self.data / "glossary.yml", "glossary.schema.json"):
            self.book.terms = {t["id"]: m.Term(t["id"], t["term"], t["definition"], tuple(t.get("variants", ())))
                               for t in f.data["terms"]}
            self.unique_ids(f, "terms", f.data["terms"])

    def unique_ids(self, file: YamlFile, key: str, items: list[dict]) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item["id"] in seen:
                self.problems.append(file.problem((key, i, "id"), f"标识 `{item['id']}` 重复",
                                                  "每个标识只能用一次；已发布的标识不要改名"))
            seen.add(item["id"])
        return seen

    # -- documents ----------------------------------------------------------------

    def load_documents(self) -> None:
        files = sorted((self.data / "documents").glob("*.yml"))
        if self.only:
            files = [f for f in files if f.stem == self.only]
        if not files:
            self.problems.append(Problem(self.shown(self.data / "documents"), 0, 0, "没有任何文档数据", "在 data/documents/ 下添加 <id>.yml"))
        for path in files:
            file = self.read(path, "document.schema.json")
            if file is not None:
                self.files[path.stem] = file
                document = DocumentBuilder(self, file, path.stem).build()
                if document is not None:
                    self.book.documents[document.id] = document
        self.check_across_documents()

    def check_across_documents(self) -> None:
        docs = self.book.documents
        for file, path, ref in self.deferred:
            doc_id, local = ref.split("/", 1)
            if doc_id in docs:
                ids = {c.local_id for c in docs[doc_id].clauses}
                if local not in ids:
                    self.problems.append(file.problem(path, f"引用的条款 `{ref}` 不存在：文档 `{doc_id}` 中没有条款 `{local}`",
                                                      suggest(local, ids)))
            elif not self.elsewhere(doc_id):
                self.problems.append(file.problem(path, f"引用的条款 `{ref}` 不存在：没有文档 `{doc_id}`",
                                                  suggest(doc_id, self.document_ids()) + "（写作 文档标识/条款标识）"))
        seen: dict[str, m.Jurisdiction] = {}
        for doc in docs.values():
            j = doc.jurisdiction
            if j.id in seen and (seen[j.id].level != j.level or seen[j.id].name.value != j.name.value):
                self.problems.append(self.files[doc.id].problem(("jurisdiction",), f"地区 `{j.id}` 的名称或级别与其他文档不一致",
                                                                "同一地区的 jurisdiction 各字段须相同"))
            seen.setdefault(j.id, j)
        for doc in list(docs.values()):
            if doc.supersedes is None:
                continue
            old = docs.get(doc.supersedes)
            file = self.files[doc.id]
            if old is None:
                if not self.elsewhere(doc.supersedes):
                    self.problems.append(file.problem(("supersedes",), f"supersedes 指向不存在的文档 `{doc.supersedes}`",
                                                      suggest(doc.supersedes, self.document_ids() - {doc.id})))
            elif old.id == doc.id:
                self.problems.append(file.problem(("supersedes",), "文档不能取代它自己", "supersedes 写被取代的旧版本的文档标识"))
            elif old.jurisdiction.id != doc.jurisdiction.id:
                self.problems.append(file.problem(("supersedes",), f"新旧版本必须属于同一地区（`{old.id}` 属于 `{old.jurisdiction.id}`）",
                                                  "检查 jurisdiction.id 与 supersedes"))
            elif old.superseded_by:
                self.problems.append(file.problem(("supersedes",), f"`{old.id}` 已被 `{old.superseded_by}` 取代",
                                                  "一个旧版本只能被一个新版本取代"))
            else:
                docs[old.id] = replace(old, superseded_by=doc.id)

    def document_ids(self) -> set[str]:
        return {path.stem for path in (self.data / "documents").glob("*.yml")}

    def elsewhere(self, doc_id: str) -> bool:
        """The document exists but was not loaded (``--only``, or it has errors of its own,
        already reported): references to it are not checked, to avoid follow-on errors."""
        return doc_id not in self.book.documents and doc_id in self.document_ids()


class DocumentBuilder:
    """Turns one validated document YAML into a Document, reporting what is wrong."""

    def __init__(self, loader: Loader, file: YamlFile, stem: str):
        self.loader, self.file, self.stem = loader, file, stem
        self.data: dict = file.data
        self.book = loader.book
        self.errors_before = len(loader.problems)

    def problem(self, path, message, fix="", warning=False, key=False) -> None:
        self.loader.problems.append(self.file.problem(path, message, fix, warning, key))

    def build(self) -> m.Document | None:
        d = self.data
        if d["id"] != self.stem:
            self.problem(("id",), f"id `{d['id']}` 与文件名 `{self.stem}.yml` 不一致", f"改为 id: {self.stem}，或重命名文件")
        source = self.read_source()
        clause_ids = self.check_clause_ids()
        truncated = d["completeness"].get("truncated_in")
        if truncated and truncated not in clause_ids:
            self.problem(("completeness", "truncated_in"), f"truncated_in 指向不存在的条款 `{truncated}`", suggest(truncated, clause_ids))
        self.check_vocabulary_references()
        if source is None:
            return None
        skel = Skeleton.of(source)
        pieces, spans = self.locate_clauses(skel)
        ignored = self.locate_ignored(skel, pieces)
        self.check_order(spans)
        self.check_tiling(skel, pieces, ignored)
        clauses = self.make_clauses(skel, spans, clause_ids)
        if len(self.loader.problems) > self.errors_before and any(
                not p.warning for p in self.loader.problems[self.errors_before:]):
            return None
        j = d["jurisdiction"]
        comp = d["completeness"]
        return m.Document(
            id=d["id"], source=d["source"], sha256=d["sha256"], title=_fact(d["title"]),
            short_title=d.get("short_title") or d["title"]["value"] or d["id"],
            jurisdiction=m.Jurisdiction(j["id"], _fact(j["name"]), j["level"], j.get("short") or j["name"]["value"] or j["id"]),
            issuer=_fact(d["issuer"]), number=_fact(d["number"]), date=_fact(d["date"]), status=d["status"],
            verified_on=d["verified_on"], verified_note=d.get("verified_note"),
            completeness=m.Completeness(comp["complete"], f"{d['id']}/{comp['truncated_in']}" if comp.get("truncated_in") else None,
                                        comp.get("note")),
            source_text=source, clauses=tuple(clauses), ignored=tuple(ignored),
            effective=d.get("effective"), supersedes=d.get("supersedes"), notes=tuple(d.get("notes", ())))

    # -- source -------------------------------------------------------------------

    def read_source(self) -> str | None:
        name = self.data["source"]
        path = self.loader.data / "sources" / name
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            present = sorted(p.name for p in path.parent.glob("*.txt"))
            self.problem(("source",), f"原文文件 data/sources/{name} 不存在",
                         "把原文 .txt 放进 data/sources/，或改正文件名。" + suggest(name, present))
            return None
        except OSError as exc:
            self.problem(("source",), f"原文文件 data/sources/{name} 无法读取（{exc.strerror or exc.__class__.__name__}）",
                         "检查它是不是一个普通文件、是否有读取权限")
            return None
        try:
            # A UTF-8 BOM and CRLF line ends are accepted: both count as whitespace when quotes are matched.
            source = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            stem = name.rsplit(".", 1)[0]
            try:
                raw.decode("gb18030")
                hint = (f"看起来是 GBK/GB18030 编码：运行 iconv -f GB18030 -t UTF-8 data/sources/{name} > {stem}.utf8.txt，"
                        f"再用 {stem}.utf8.txt 替换 data/sources/{name}，并按 /guide/ 更新 sha256")
                what = "（像是 GBK/GB18030 编码）"
            except UnicodeDecodeError:
                hint, what = "请用编辑器另存为 UTF-8，并更新 sha256", ""
            line = raw.count(b"\n", 0, exc.start) + 1
            self.problem(("source",), f"原文 data/sources/{name} 不是 UTF-8 编码{what}：第 {line} 行（第 {exc.start} 字节）无法按 UTF-8 读取", hint)
            return None
        if not strip_space(source):
            self.problem(("source",), f"原文文件 data/sources/{name} 是空的", "把完整原文粘贴进去，保存为 UTF-8")
            return None
        digest = hashlib.sha256(raw).hexdigest()
        if digest != self.data["sha256"]:
            self.problem(("sha256",), f"原文 data/sources/{name} 的 SHA-256 与记录不符（原文被改动过？）",
                         f"原文不得手工修改，请恢复原文；如确为新收到的原文，改为 sha256: {digest}")
        return source

    # -- references ---------------------------------------------------------------

    def check_clause_ids(self) -> set[str]:
        seen: set[str] = set()
        for i, clause in enumerate(self.data["clauses"]):
            if clause["id"] in seen:
                self.problem(("clauses", i, "id"), f"条款标识 `{clause['id']}` 重复",
                             "同一文档中每个标识只能用一次；重号条款加后缀，如 a20-2")
            seen.add(clause["id"])
        return seen

    def check_vocabulary_references(self) -> None:
        book = self.book
        for i, c in enumerate(self.data["clauses"]):
            at = ("clauses", i)
            for key, vocab, label in (("roles", book.roles, "角色"), ("actors", book.actors, "主体"), ("themes", book.themes, "主题")):
                for k, value in enumerate(c.get(key, ())):
                    if vocab and value not in vocab:
                        self.problem(at + (key, k), f"未知的{label} `{value}`",
                                     suggest(value, vocab) + f"（{label}定义在 data/{'themes' if key == 'themes' else 'roles'}.yml）")
            if c["kind"] in NEEDS_ROLES and not c.get("roles"):
                self.problem(at + ("kind",), f"{m.KIND_LABELS[c['kind']]}条款必须注明 roles", "添加 roles: [committee, …]")
            if c["kind"] in NEEDS_THEMES and not c.get("themes"):
                self.problem(at + ("kind",), f"{m.KIND_LABELS[c['kind']]}条款至少要有一个主题", "添加 themes: [leadership, …]")
            sanction = c.get("sanction") or {}
            s_at = at + ("sanction",)
            names = [(s_at + ("ladder", k, "measures", n), name) for k, step in enumerate(sanction.get("ladder", ()))
                     for n, name in enumerate(step["measures"])]
            names += [(s_at + ("measures", n), name) for n, name in enumerate(sanction.get("measures", ()))]
            names += [(s_at + ("restrictions", k, "after", n), name) for k, r in enumerate(sanction.get("restrictions", ()))
                      for n, name in enumerate(r["after"])]
            for path, name in names:
                if book.measures and name not in book.measures:
                    self.problem(path, f"未知的追究方式 `{name}`", suggest(name, book.measures) + "（定义在 data/measures.yml）")
            if sanction and c["kind"] != "sanction":
                self.problem(at + ("sanction",), "只有 kind: sanction 的条款才能写 sanction", "删除 sanction，或把 kind 改为 sanction")

    # -- locating -----------------------------------------------------------------

    def place(self, skel: Skeleton, path, text: str, context: str | None, owner: str) -> Piece | None:
        found = locate(skel, text, context)
        if isinstance(found, Miss):
            fixes = {
                "missing": "从原文复制这段文字（空白和换行可以不同，其他字符必须一字不差；错字请写进 corrections）",
                "ambiguous": "把这段引文写成 {text: …, context: …}，context 是包含它且在原文中只出现一次的一段文字",
                "context": "改写 context，使它在原文中只出现一次并包含 text",
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
                ignored.append(m.Ignored(self.data["id"], tuple(skel.span(a, b) for a, b in ranges), item["reason"],
                                         item.get("text") or skel.text[ranges[0][0]:ranges[0][1]]))
        share = sum(b - a for p in pieces if p.owner.startswith("忽略") for a, b in [(p.first, p.stop)])
        if skel.text and share / len(skel.text) >= IGNORED_SHARE_LIMIT:
            self.problem(("ignored",), f"忽略的文字占原文 {share / len(skel.text):.1%}，超过 5% 上限",
                         "正文内容应作为条款录入（前言、通知、编者按可用 kind: preamble / commentary）")
        return ignored

    def check_order(self, spans: dict[int, list[Piece]]) -> None:
        last, last_id = -1, None
        for i, found in spans.items():
            if not found:
                continue
            start = found[0].first
            if start < last:
                cid = self.data["clauses"][i]["id"]
                self.problem(("clauses", i, "id"), f"条款 `{cid}` 在原文中位于 `{last_id}` 之前，但在数据中排在其后",
                             "按原文顺序排列 clauses")
            last, last_id = start, self.data["clauses"][i]["id"]

    def check_tiling(self, skel: Skeleton, pieces: list[Piece], ignored) -> None:
        if len(pieces) == 0:
            return
        for flaw in check_tiling(skel, pieces):
            line, col = skel.line_col(flaw.first)
            text = skel.excerpt(flaw.first, flaw.stop)
            where = f"原文 data/sources/{self.data['source']} 第 {line} 行第 {col} 列"
            if flaw.kind == "gap":
                self.problem(flaw.path or ("clauses",), f"{where}起有 {flaw.stop - flaw.first} 个字没有被任何条款或忽略片段覆盖：“{text}”",
                             "这一行指向缺口之前的最后一个条款：把缺的文字补进相邻条款的 quote，新建条款，或（仅限网页杂项、页码）加入 ignored")
            else:
                self.problem(flaw.path or ("clauses",), f"{where}起的“{text}”被重复覆盖（{' 与 '.join(flaw.owners)}）",
                             "每段原文只能属于一个条款或忽略片段：缩短其中一方的引文")

    # -- clauses ------------------------------------------------------------------

    def resolve(self, path, ref: str, ids: set[str], doc_id: str) -> str | None:
        if "/" in ref:
            if ref.split("/", 1)[0] != doc_id:  # another document: checked once all are loaded
                self.loader.deferred.append((self.file, tuple(path), ref))
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
                    self.problem(at + ("corrections", k, "from"), f"更正的原文“{fix['from']}”不在本条引文中",
                                 "from 必须是引文中的原样文字（换行会被去掉，其他空格保留）")
                    continue
                text = text.replace(fix["from"], fix["to"])
                corrections.append(m.Correction(fix["from"], fix["to"], fix["why"]))
            flat_text = strip_space(text) + strip_space(c.get("heading", ""))
            if not c.get("title_editorial") and strip_space(c["title"]) not in flat_text:
                self.problem(at + ("title",), f"标题“{c['title']}”不是原文文字",
                             "若标题为编辑所拟，加上 title_editorial: true；否则从原文复制")
            times = []
            for k, t in enumerate(c.get("time", ())):
                if strip_space(t["phrase"]) not in flat_text and strip_space(t["phrase"]) not in strip_space(original):
                    self.problem(at + ("time", k, "phrase"), f"时间短语“{t['phrase']}”不在本条文字中", "从条文中复制表示时间的原话")
                times.append(m.TimeRule(**{k2: v for k2, v in t.items()}))
            links = tuple(r for k, ref in enumerate(c.get("links", ()))
                          if (r := self.resolve(at + ("links", k), ref, ids, doc_id)))
            sanction = None
            if c.get("sanction"):
                s = c["sanction"]
                applies = tuple(r for k, ref in enumerate(s.get("applies_to", ()))
                                if (r := self.resolve(at + ("sanction", "applies_to", k), ref, ids, doc_id)))
                sanction = m.Sanction(
                    target=s.get("target"), applies_to=applies,
                    ladder=tuple(m.SanctionStep(st["severity"], tuple(st["measures"]), st.get("as_written")) for st in s.get("ladder", ())),
                    measures=tuple(s.get("measures", ())), combinable=s.get("combinable", False),
                    restrictions=tuple(m.Restriction(tuple(r["after"]), r["rule"], r.get("years")) for r in s.get("restrictions", ())))
            clauses.append(m.Clause(
                id=f"{doc_id}/{c['id']}", local_id=c["id"], document=doc_id, jurisdiction=d["jurisdiction"]["id"],
                locator=c["locator"], kind=c["kind"], title=c["title"], title_editorial=bool(c.get("title_editorial")),
                quote=tuple(fragments), text=text, original=original,
                spans=tuple(sorted(skel.span(p.first, p.stop) for p in spans[i])), heading=c.get("heading"),
                roles=tuple(c.get("roles", ())), actors=tuple(c.get("actors", ())), themes=tuple(c.get("themes", ())),
                corrections=tuple(corrections), links=links, sanction=sanction, time=tuple(times), note=c.get("note"),
                order=i))
        return clauses


def check_markup(file: YamlFile, value, path, problems: list[Problem]) -> None:
    """Markup in data is shown literally; warn so the editor knows it is not formatting."""
    if isinstance(value, dict):
        for key, item in value.items():
            check_markup(file, item, path + (key,), problems)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_markup(file, item, path + (i,), problems)
    elif isinstance(value, str) and TEMPLATE_SYNTAX.search(value) and "pattern" not in path:
        problems.append(file.problem(path, "文本中含有 HTML 或模板语法（如 <script>、{{ }}），网站会按原样显示、不会执行",
                                     "如非原文所有，请删除这些符号", warning=True))


def _fragments(quote) -> list[tuple[str, str | None]]:
    items = quote if isinstance(quote, list) else [quote]
    return [(f, None) if isinstance(f, str) else (f["text"], f["context"]) for f in items]


def _fact(data: dict) -> m.Fact:
    return m.Fact(data["value"], data["stated"], data.get("as_written"), data.get("basis"), data.get("certainty"))


def _schema_problem(file: YamlFile, error: jsonschema.ValidationError) -> Problem:
    if error.validator == "oneOf" and error.context:
        deepest = jsonschema.exceptions.best_match(error.context)
        if deepest.validator not in ("type", "required", "oneOf"):
            error = deepest
    path = tuple(error.absolute_path)
    name = str(path[-1]) if path and isinstance(path[-1], str) else (str(path[-2]) if len(path) > 1 else "")
    v = error.validator
    if v == "additionalProperties":
        allowed = error.schema.get("properties", {}).keys()
        extra = [k for k in error.instance if k not in allowed]
        key = extra[0] if extra else "?"
        return file.problem(path + (key,), f"未知的键 `{key}`", suggest(key, allowed), key=True)
    if v == "required":
        missing = error.message.split("'")[1]
        return file.problem(path, f"缺少必填字段 `{missing}`", f"添加 {missing}: …（字段说明见 /guide/）")
    if v == "type":
        want = {"string": "文字", "array": "列表", "object": "映射", "boolean": "true/false", "integer": "整数",
                "number": "数字", "null": "null"}
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return file.problem(path, f"`{name}` 应为{'或'.join(want.get(t, t) for t in types)}，现在是 {error.instance!r}",
                            "按 /guide/ 中该字段的示例填写")
    if v == "enum":
        return file.problem(path, f"`{name}` 的值 `{error.instance}` 不在可选范围内",
                            suggest(str(error.instance), map(str, error.validator_value)))
    if v == "pattern":
        return file.problem(path, f"`{name}` 的格式不对：`{error.instance}`",
                            "标识只能用小写英文字母、数字和连字符（如 a14-i3）；日期写作 2015-04-16")
    if v in ("minItems", "minLength"):
        return file.problem(path, f"`{name}` 不能为空", "填入内容或删除这个键")
    if v == "maxItems":
        return file.problem(path, f"`{name}` 的条目太多", error.message)
    if v == "oneOf" and path and path[-2:-1] == ("ignored",) or (v == "oneOf" and "ignored" in path):
        return file.problem(path, "忽略片段须写 text 或 pattern 之一（不能都写，也不能都不写）", "保留其中一个")
    return file.problem(path, f"`{name}` 的写法不对（{error.message}）", "对照 /guide/ 中的示例")


def data_version(root: Path) -> str:
    """Short hash of everything under data/: the same data always gives the same version."""
    digest = hashlib.sha256()
    for path in sorted((Path(root) / "data").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def load(root: Path | str = ".", only: str | None = None) -> m.Handbook:
    """Load and validate everything; raise DataError listing every problem found."""
    loader = Loader(Path(root), only)
    loader.load_vocabularies()
    loader.load_documents()  # even when a vocabulary has errors: report everything in one run
    errors = [p for p in loader.problems if not p.warning]
    if errors:
        raise DataError(loader.problems)
    loader.book.version = data_version(loader.root)
    loader.book.warnings = [p for p in loader.problems if p.warning]
    return loader.book


def load_report(root: Path | str = ".", only: str | None = None):
    """(handbook or None, all problems) without raising: for the check command."""
    try:
        book = load(root, only)
        return book, book.warnings
    except DataError as exc:
        return None, exc.problems

