"""Load ``data/`` into a validated :class:`Handbook`, collecting every problem.

Order of work: vocabularies, then each document (schema, references, quotes located in
its source, tiling), then cross-document checks. Each check appends a Problem with the
file, line and a fix; :func:`load` raises one DataError at the end if any is an error.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import subprocess
from dataclasses import replace
from pathlib import Path

from . import model as m
from . import revision
from .document import CrossReference, DocumentBuilder, Vocabularies
from .files import Refused, read_bytes
from .problems import DataError, Problem, suggest
from .schema import check_markup, schema_problems, validator
from .yamlfile import YamlFile, read_yaml

# Ids that name a page the site generates itself (id -> that page).
RESERVED_DOCUMENT_IDS = {"index": "原文索引页 sources/index.md"}
RESERVED_JURISDICTION_IDS = {"index": "地区索引页 jurisdictions/index.md 和角色页 roles/<角色>/index.md"}
RESERVED_ROLE_IDS = {"index": "角色索引页 roles/index.md", "all": "合订本清单 checklists/<地区>/all.md"}

# Parsing and schema-checking the YAML files is most of a load, and under ``mkdocs serve`` a
# save changes one file: each file's result (and its problems) is kept, keyed by its bytes.
_read_memo: dict[tuple, tuple[bytes, YamlFile | None, list[Problem]]] = {}


class LoadRun:
    """One run of reading data/ into a Handbook; ``problems`` fills up as files are read."""

    def __init__(self, root: Path, only: str | None = None):
        self.root = Path(root)
        self.only = only  # load just this document (editors checking one file)
        # A publishing build (./hb build --publish sets HANDBOOK_PUBLISH=true) refuses drafts.
        self.publish = os.environ.get("HANDBOOK_PUBLISH", "").strip().lower() == "true"
        self.data = self.root / "data"
        self.problems: list[Problem] = []
        self.cross_references: list[CrossReference] = []  # checked once every document is loaded
        self.files: dict[str, YamlFile] = {}  # document id -> its YAML (for line numbers in later checks)
        self.document_files: dict[str, YamlFile | None] = {}  # file stem -> its YAML, deltas merged; None: errors
        self.resolving: set[str] = set()  # deltas whose older version is being read (to refuse a loop)
        self.book = m.Handbook()

    def shown(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    # -- reading and schema -------------------------------------------------------

    def read(self, path: Path, schema: str) -> YamlFile | None:
        """The file parsed and checked against its schema, or None (its problems recorded)."""
        try:
            digest = hashlib.sha256(read_bytes(path, self.data, "data/")).digest()
        except (OSError, Refused):
            return self._read(path, schema)  # read_yaml says what is wrong
        key = (path, path.is_symlink(), self.shown(path), self.data, id(validator(self.data, schema)))
        hit = _read_memo.get(key)
        if hit is not None and hit[0] == digest:
            self.problems += hit[2]
            return hit[1]
        start = len(self.problems)
        file = self._read(path, schema)
        _read_memo[key] = (digest, file, self.problems[start:])
        return file

    def _read(self, path: Path, schema: str) -> YamlFile | None:
        file = read_yaml(path, self.shown(path), self.problems, self.data)
        if file is None or not self.valid(file, schema):
            return None
        check_markup(file, file.data, (), self.problems)
        return file

    def valid(self, file: YamlFile, schema: str) -> bool:
        """Check ``file`` against its schema, reporting each failure; a merged delta is
        checked again as the full document it stands for (its problems land in the delta)."""
        errors = sorted(
            validator(self.data, schema).iter_errors(file.data), key=lambda e: list(map(str, e.absolute_path))
        )
        if not isinstance(file.data, dict):
            self.problems.append(file.problem((), "文件顶层应是“键: 值”的映射", "参照 /guide/ 的示例"))
            return False
        found: list[Problem] = []
        for error in errors:
            found += [p for p in schema_problems(file, error) if p not in found]  # see schema_problems: required
        self.problems += found
        return not errors

    # -- vocabularies -------------------------------------------------------------

    def load_vocabularies(self) -> None:
        if f := self.read(self.data / "roles.yml", "roles.schema.json"):
            self.book.roles = {
                r["id"]: m.Role(
                    r["id"],
                    r["label"],
                    r["short"],
                    r["description"],
                    tuple(r.get("aliases", ())),
                    tuple(r.get("leads", ())),
                    tuple(r.get("is_also", ())),
                )
                for r in f.data["roles"]
            }
            self.book.actors = {a["id"]: m.Actor(a["id"], a["label"]) for a in f.data["actors"]}
            roles = self.unique_ids(f, "roles", f.data["roles"])
            for i, role in enumerate(f.data["roles"]):
                self.check_page_name(
                    f, ("roles", i, "id"), role["id"], "角色", RESERVED_ROLE_IDS, f"roles/{role['id']}"
                )
            self.check_leads(f, roles)
            self.unique_ids(f, "actors", f.data["actors"])
            for i, actor in enumerate(f.data["actors"]):
                if actor["id"] in roles:
                    self.problems.append(
                        f.problem(
                            ("actors", i, "id"),
                            f"主体标识 `{actor['id']}` 与角色标识重名",
                            "角色和其他主体的标识不能相同：给主体换一个标识",
                        )
                    )
        if f := self.read(self.data / "themes.yml", "themes.schema.json"):
            self.book.themes = {t["id"]: m.Theme(t["id"], t["label"], t["definition"]) for t in f.data["themes"]}
            self.unique_ids(f, "themes", f.data["themes"])
        if f := self.read(self.data / "measures.yml", "measures.schema.json"):
            self.book.measures = {
                x["id"]: m.Measure(x["id"], x["label"], x["target"], x["rank"]) for x in f.data["measures"]
            }
            self.unique_ids(f, "measures", f.data["measures"])
        if f := self.read(self.data / "glossary.yml", "glossary.schema.json"):
            self.book.terms = {
                t["id"]: m.Term(t["id"], t["term"], t["definition"], tuple(t.get("variants", ())))
                for t in f.data["terms"]
            }
            self.unique_ids(f, "terms", f.data["terms"])
        if f := self.read(self.data / "central_rules.yml", "central_rules.schema.json"):
            self.load_central_rules(f)

    def load_central_rules(self, f: YamlFile) -> None:
        """The central rules list (an editorial note): dates oldest first, so "the first
        issue" and "the latest revision" need no sorting later."""
        rules = f.data["rules"]
        self.unique_ids(f, "rules", rules)
        for i, r in enumerate(rules):
            values = [d["value"] for d in r["dates"]]
            if values != sorted(values):
                self.problems.append(
                    f.problem(("rules", i, "dates"), "dates 没有按时间先后排列", "先写印发日期，再按先后写各次修订")
                )
        self.book.central_rules_basis = f.data["basis"]
        self.book.central_rules = {
            r["id"]: m.CentralRule(
                r["id"],
                r["title"],
                r["issuer"],
                tuple(m.RuleDate(d["value"], d["event"]) for d in r["dates"]),
                r["status"],
                r["verified_on"],
                r["relation"],
                r["basis"],
            )
            for r in rules
        }

    def check_leads(self, file: YamlFile, roles: set[str]) -> None:
        """``leads`` and ``is_also`` name other roles of roles.yml."""
        for i, role in enumerate(file.data["roles"]):
            for key, example in (("leads", "leads: [committee]"), ("is_also", "is_also: [commission_member]")):
                for j, other in enumerate(role.get(key, ())):
                    if other not in roles or other == role["id"]:
                        self.problems.append(
                            file.problem(
                                ("roles", i, key, j),
                                f"角色 `{role['id']}` 的 {key} 写了“{other}”，这不是另一个角色的标识",
                                f"{key} 只能写本文件中其他角色的标识，例如 `{example}`；"
                                + suggest(other, roles - {role["id"]}),
                            )
                        )

    def unique_ids(self, file: YamlFile, key: str, items: list[dict]) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item["id"] in seen:
                self.problems.append(
                    file.problem(
                        (key, i, "id"), f"标识 `{item['id']}` 重复", "每个标识只能用一次；已发布的标识不要改名"
                    )
                )
            seen.add(item["id"])
        return seen

    # -- documents ----------------------------------------------------------------

    def load_documents(self) -> None:
        files = sorted((self.data / "documents").glob("*.yml"))
        if self.only:
            files = [f for f in files if f.stem == self.only]
        if not files:
            self.problems.append(
                Problem(
                    self.shown(self.data / "documents"), 0, 0, "没有任何文档数据", "在 data/documents/ 下添加 <id>.yml"
                )
            )
        for path in files:
            file = self.document_file(path.stem)
            if file is not None:
                self.files[path.stem] = file
                self.check_page_name(
                    file,
                    ("id",),
                    file.data["id"],
                    "文档",
                    RESERVED_DOCUMENT_IDS,
                    f"sources/{file.data['id']}",
                    f"changes/{file.data['id']}",
                )
                jid = file.data["jurisdiction"]["id"]
                self.check_page_name(
                    file,
                    ("jurisdiction", "id"),
                    jid,
                    "地区",
                    RESERVED_JURISDICTION_IDS,
                    f"jurisdictions/{jid}",
                    f"checklists/{jid}",
                )
                builder = DocumentBuilder(file, path.stem, self.data / "sources", self.vocabularies(), self.publish)
                document = builder.build()
                self.problems.extend(builder.problems)
                self.cross_references.extend(builder.cross_references)
                if document is not None:
                    if isinstance(file, revision.Merged):
                        document = replace(document, delta=file.changes)
                    self.book.documents[document.id] = document
        self.check_across_documents()
        if not self.only:
            self.check_unused_sources()

    def check_unused_sources(self) -> None:
        """A source no document uses is either forgotten work or a stray copy: say so."""
        used = {f.data.get("source") for f in self.files.values()}
        used |= {
            line.split(":", 1)[1].strip().strip("'\"")
            for path in (self.data / "documents").glob("*.yml")
            for line in path.read_text("utf-8", errors="replace").splitlines()
            if line.startswith("source:")
        }  # documents with errors of their own still use their source
        for path in sorted((self.data / "sources").glob("*.txt")):
            if path.name not in used:
                self.problems.append(
                    Problem(
                        self.shown(path),
                        0,
                        0,
                        f"原文 {path.name} 没有被任何文档使用（data/documents/ 中没有 source: {path.name}）",
                        f"为它建立文档数据：./hb new <文档标识> {self.shown(path)}；不需要的原文请删除",
                        warning=True,
                    )
                )

    def document_file(self, stem: str) -> YamlFile | None:
        """A document's YAML, read once; a revision written as a delta (``revises:``) comes
        back merged onto the version it revises (see revision.py), so it reads as a full one."""
        if stem in self.document_files:
            return self.document_files[stem]
        file = self.read(self.data / "documents" / f"{stem}.yml", "document.schema.json")
        if file is not None and not revision.check_form(file, self.problems):
            file = None
        if file is not None and revision.is_delta(file):
            self.resolving.add(stem)
            file = self.merge_delta(stem, file)
            self.resolving.discard(stem)
        self.document_files[stem] = file
        return file

    def merge_delta(self, stem: str, delta: YamlFile) -> YamlFile | None:
        base_id = delta.data["revises"]
        if base_id in self.resolving:
            self.problems.append(
                delta.problem(
                    ("revises",),
                    f"revises 形成循环：`{stem}` 修订的 `{base_id}` 又（直接或间接）修订 `{stem}`"
                    if base_id != stem
                    else "文档不能修订它自己",
                    "revises 写本版所修订的更早版本；最早的版本写成完整文档（不写 revises）",
                )
            )
            return None
        if base_id not in self.document_ids():
            self.problems.append(
                delta.problem(
                    ("revises",),
                    f"revises 指向不存在的文档 `{base_id}`（没有 data/documents/{base_id}.yml）",
                    suggest(base_id, self.document_ids() - {stem}),
                )
            )
            return None
        base = self.document_file(base_id)
        if base is None:
            self.problems.append(
                delta.problem(
                    ("revises",),
                    f"被修订的 `{base_id}` 本身有错误，本修订版暂不能检查",
                    f"先改正 data/documents/{base_id}.yml 的错误（运行 ./hb check 可见）",
                )
            )
            return None
        merged = revision.merge(delta, base, self.problems)
        return merged if merged is not None and self.valid(merged, "document.schema.json") else None

    def vocabularies(self) -> Vocabularies:
        book = self.book
        return Vocabularies(book.roles.keys(), book.actors.keys(), book.themes.keys(), book.measures.keys())

    def check_page_name(
        self, file: YamlFile, path: tuple, ident: str, what: str, reserved: dict[str, str], *docs_paths: str
    ) -> None:
        """An id becomes part of generated page paths: it may not be one the site itself uses
        (``index``, ``all``) nor that of a hand-written page under docs/."""
        if ident in reserved:
            self.problems.append(
                file.problem(
                    path,
                    f"{what}标识 `{ident}` 是保留字：网站已有 {reserved[ident]}",
                    "换一个标识（已发布的标识不要改名）",
                )
            )
        for page in docs_paths:
            for taken in (self.root / "docs" / f"{page}.md", self.root / "docs" / page):
                if taken.exists():
                    self.problems.append(
                        file.problem(
                            path,
                            f"{what}标识 `{ident}` 与手写页面 docs/{taken.relative_to(self.root / 'docs')} 重名",
                            "换一个标识，或改名那个手写页面",
                        )
                    )

    def check_across_documents(self) -> None:
        docs = self.book.documents
        for reference in self.cross_references:
            file, path, ref = reference.file, reference.path, reference.ref
            doc_id, local = ref.split("/", 1)
            if doc_id in docs:
                ids = {c.local_id for c in docs[doc_id].clauses}
                if local not in ids:
                    self.problems.append(
                        file.problem(
                            path,
                            f"引用的条款 `{ref}` 不存在：文档 `{doc_id}` 中没有条款 `{local}`",
                            suggest(local, ids),
                        )
                    )
            elif not self.elsewhere(doc_id):
                self.problems.append(
                    file.problem(
                        path,
                        f"引用的条款 `{ref}` 不存在：没有文档 `{doc_id}`",
                        suggest(doc_id, self.document_ids()) + "（写作 文档标识/条款标识）",
                    )
                )
        by_digest: dict[str, str] = {}
        for doc in docs.values():  # a renamed copy would publish every clause twice
            if doc.sha256 in by_digest:
                self.problems.append(
                    self.files[doc.id].problem(
                        ("source",),
                        f"原文 data/sources/{doc.source} 与文档 `{by_digest[doc.sha256]}` 的原文完全相同（SHA-256 一致）",
                        f"同一份原文只录入一次：删除 data/documents/{doc.id}.yml（以及多余的原文副本）",
                    )
                )
            by_digest.setdefault(doc.sha256, doc.id)
        seen: dict[str, m.Jurisdiction] = {}
        for doc in docs.values():
            j = doc.jurisdiction
            if j.id in seen and (seen[j.id].level != j.level or seen[j.id].name.value != j.name.value):
                self.problems.append(
                    self.files[doc.id].problem(
                        ("jurisdiction",),
                        f"地区 `{j.id}` 的名称或级别与其他文档不一致",
                        "同一地区的 jurisdiction 各字段须相同",
                    )
                )
            seen.setdefault(j.id, j)
        for doc in list(docs.values()):
            if doc.supersedes is None:
                continue
            old = docs.get(doc.supersedes)
            file = self.files[doc.id]
            if old is None:
                if not self.elsewhere(doc.supersedes):
                    self.problems.append(
                        file.problem(
                            ("supersedes",),
                            f"supersedes 指向不存在的文档 `{doc.supersedes}`",
                            suggest(doc.supersedes, self.document_ids() - {doc.id}),
                        )
                    )
            elif old.id == doc.id:
                self.problems.append(
                    file.problem(("supersedes",), "文档不能取代它自己", "supersedes 写被取代的旧版本的文档标识")
                )
            elif old.jurisdiction.id != doc.jurisdiction.id:
                self.problems.append(
                    file.problem(
                        ("supersedes",),
                        f"新旧版本必须属于同一地区（`{old.id}` 属于 `{old.jurisdiction.id}`）",
                        "检查 jurisdiction.id 与 supersedes",
                    )
                )
            elif old.superseded_by:
                self.problems.append(
                    file.problem(
                        ("supersedes",), f"`{old.id}` 已被 `{old.superseded_by}` 取代", "一个旧版本只能被一个新版本取代"
                    )
                )
            else:
                docs[old.id] = replace(old, superseded_by=doc.id)

    def document_ids(self) -> set[str]:
        return {path.stem for path in (self.data / "documents").glob("*.yml")}

    def elsewhere(self, doc_id: str) -> bool:
        """The document exists but was not loaded (``--only``, or it has errors of its own,
        already reported): references to it are not checked, to avoid follow-on errors."""
        return doc_id not in self.book.documents and doc_id in self.document_ids()


def data_version(root: Path) -> str:
    """Short hash of everything under data/: the same data always gives the same version."""
    digest = hashlib.sha256()
    for path in sorted((Path(root) / "data").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def data_date(root: Path) -> str | None:
    """The day data/ was last committed (YYYY-MM-DD), or None outside a git checkout.

    What readers see as the data's date: the same commit always gives the same day
    (unlike file times), and the version hash means nothing to them."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%cs", "--", "data"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    day = out.stdout.strip()
    return day if out.returncode == 0 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else None


def data_epoch(book: m.Handbook) -> int:
    """Seconds since 1970 of the newest full date (YYYY-MM-DD) in the documents, or 0."""
    newest = 0
    for doc in book.documents.values():
        for value in (doc.date.value, doc.effective, doc.verified_on):
            if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                try:
                    day = datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
                except ValueError:
                    continue
                newest = max(newest, int(day.timestamp()))
    return newest


def load(root: Path | str = ".", only: str | None = None) -> m.Handbook:
    """Load and validate everything; raise DataError listing every problem found."""
    run = LoadRun(Path(root), only)
    run.load_vocabularies()
    run.load_documents()  # even when a vocabulary has errors: report everything in one run
    errors = [p for p in run.problems if not p.warning]
    if errors:
        raise DataError(run.problems)
    run.book.version = data_version(run.root)
    run.book.data_date = data_date(run.root)
    run.book.warnings = [p for p in run.problems if p.warning]
    return run.book


def load_report(root: Path | str = ".", only: str | None = None):
    """(handbook or None, all problems) without raising: for the check command."""
    try:
        book = load(root, only)
        return book, book.warnings
    except DataError as exc:
        return None, exc.problems
