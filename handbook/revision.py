"""Revisions stated as deltas: a revised version's YAML names the version it revises and
lists only what changed; this module merges it onto that version's data.

A delta (``revises: <doc id>``) writes its own metadata (source, sha256, number, date,
status, verified_on, completeness; optionally effective, notes, …) and four lists:

- ``amended``: ``{id, quote, …}`` — the clause's new text; any other clause field given
  replaces the inherited one (a list field can be emptied with ``[]``). An entry without
  a quote changes data only (say, links to a removed clause): the text is the same, so
  the comparison page does not list it;
- ``added``: ``{after: <id>, clauses: [full clause entries]}`` — new clauses, in order,
  right after the clause ``after`` names;
- ``removed``: clause ids no longer in the text;
- ``renumbered``: ``{id, locator, quote?}`` — the printed number changed (an item was
  inserted or removed before it). Ids are stable and never reused, so a renumbered clause
  keeps its id and gets a new locator (and a new quote when the number is printed in it).

Everything else — every field of every other clause, and the document's title,
short_title, jurisdiction, issuer and ignored spans unless written — carries over. The
result is an ordinary full document YAML (:class:`Merged`) that the DocumentBuilder checks
like any other: inherited quotes must be found again in the new source and the tiling of
the new source must be complete. A problem found in an inherited value is reported in the
delta file (at the clause's amended entry, or at ``revises``), naming where the value was
written in the older version and what to list under ``amended``.

A delta may revise a delta (a chain): the older one is merged first. A cycle is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import model as m
from .problems import Problem, suggest
from .tiling import fold_space
from .yamlfile import Path_, YamlFile

DELTA_KEYS = ("amended", "added", "removed", "renumbered")
# Document fields a delta may leave out: the older version's carry over. The others
# (number, date, status, verification, completeness, effective, notes) are facts about
# the new text and are never inherited: copying them would assert what no source states.
INHERITED = ("title", "short_title", "jurisdiction", "issuer", "ignored")
FORM_FIX = "修订版只写变化（见 /guide/ 的“修订版：只写变化”）"


def is_delta(file: YamlFile) -> bool:
    return "revises" in file.data


def check_form(file: YamlFile, problems: list[Problem]) -> bool:
    """A full document and a delta are written differently: refuse a mix of the two."""
    data, ok = file.data, True
    if is_delta(file):
        for key in ("clauses", "supersedes"):
            if key in data:
                ok = False
                problems.append(
                    file.problem(
                        (key,),
                        f"写了 revises 的修订版不能再写 `{key}`",
                        "条文的变化写在 amended / added / removed / renumbered 中，其余从旧版本继承；"
                        "revises 已表明取代关系"
                        if key == "clauses"
                        else "删去 supersedes：revises 已表明本版取代哪个版本",
                        key=True,
                    )
                )
    else:
        for key in DELTA_KEYS:
            if key in data:
                ok = False
                problems.append(
                    file.problem(
                        (key,),
                        f"`{key}` 只用于修订版，但本文件没有写 revises",
                        f"加上 revises: <被修订的旧版本文档标识>，或删去 `{key}`。{FORM_FIX}",
                        key=True,
                    )
                )
    return ok


@dataclass(frozen=True)
class Origin:
    """Where a merged clause was written: the delta entry (``at``) and/or the older version."""

    at: Path_ | None  # the delta's entry for it: ("amended", 2), ("added", 0, "clauses", 1), …
    base: int | None  # its index among the older version's clauses
    given: frozenset[str] = frozenset()  # fields the delta entry writes (the rest are inherited)


class Merged(YamlFile):
    """A delta merged onto the version it revises: reads as a full document YAML, and
    reports every problem in the delta file, tracing inherited values to where they
    were written."""

    def __init__(self, delta: YamlFile, base: YamlFile, data: dict, origins: list[Origin], changes: m.Delta):
        super().__init__(delta.path, data, delta.marks, delta.key_marks)
        self.delta, self.base, self.origins, self.changes = delta, base, origins, changes

    def trace(self, path: Path_) -> tuple[YamlFile, Path_, Path_ | None, str | None]:
        """(file, path there) where the value at merged ``path`` was written, the delta
        entry it belongs to, and the clause id when it was inherited from the older version."""
        path = tuple(path)
        if not path or (path[0] == "clauses" and len(path) == 1):
            return self.delta, ("source",) if path else (), None, None
        if path[0] == "supersedes":
            return self.delta, ("revises",) + path[1:], None, None
        if path[0] != "clauses":
            if path[0] in self.delta.data or path[0] not in INHERITED:
                return self.delta, path, None, None
            return *self.base_trace(path), None, None
        i, rest = path[1], path[2:]
        origin = self.origins[i]
        if origin.at is not None and (origin.base is None or (rest and rest[0] in origin.given) or not rest):
            return self.delta, origin.at + rest, origin.at, None
        assert origin.base is not None
        clause_id = self.base.data["clauses"][origin.base]["id"]
        return *self.base_trace(("clauses", origin.base) + rest), origin.at, clause_id

    def base_trace(self, path: Path_) -> tuple[YamlFile, Path_]:
        if isinstance(self.base, Merged):
            file, there, _, _ = self.base.trace(path)
            return file, there
        return self.base, path

    def problem(self, path: Path_, message: str, fix: str = "", warning=False, key=False) -> Problem:
        file, there, entry, clause_id = self.trace(path)
        if file is self.delta:
            return self.delta.problem(there, message, fix, warning, key)
        line, _ = file.where(there)
        path = tuple(path)
        if clause_id is not None:
            what = path[2] if len(path) > 2 else "quote"
            message += f"（本条继承自 {file.path}:{line} 的条款 `{clause_id}`）"
            fix = (
                fix + "；" if fix else ""
            ) + f"修订版中：若条款 `{clause_id}` 在新版本中变了，在 amended 下写出它新的 `{what}`"
        else:
            message += f"（继承自 {file.path}:{line} 的 `{path[0]}`）"
            fix = (fix + "；" if fix else "") + f"修订版中：写出本版自己的 `{path[0]}`（整项替换旧版本的）"
        return self.delta.problem(entry or ("revises",), message, fix, warning, key=entry is None)


def merge(delta: YamlFile, base: YamlFile, problems: list[Problem]) -> Merged | None:
    """The full document the delta stands for, or None (problems appended) when its lists
    do not fit the older version."""
    data, before = delta.data, len(problems)
    base_clauses: list[dict[str, Any]] = base.data["clauses"]
    index = {c["id"]: j for j, c in enumerate(base_clauses)}
    base_id = data["revises"]

    def report(path: Path_, message: str, fix: str, warning: bool = False) -> None:
        problems.append(delta.problem(path, message, fix, warning))

    def known(path: Path_, cid: str, listed: str) -> int | None:
        if cid not in index:
            report(
                path,
                f"{listed} 中的条款 `{cid}` 不在被修订的 `{base_id}` 中",
                suggest(cid, index) + f"（写 {base_id} 的条款标识；新条款写在 added 中）",
            )
            return None
        return index[cid]

    # Each base clause is kept, replaced or dropped; then added groups are inserted.
    kept: list[tuple[dict[str, Any], Origin] | None] = [(c, Origin(None, j)) for j, c in enumerate(base_clauses)]
    listed_in: dict[str, str] = {}

    def claim(path: Path_, cid: str, listed: str) -> bool:
        if cid in listed_in:
            same = listed_in[cid] == listed
            report(
                path,
                f"条款 `{cid}` 在 {listed_in[cid]} 中已经列过" + ("" if same else f"，不能又列入 {listed}"),
                "每个条款只列一次" if same else "编号和文字都变了的条款写在 amended 中（连同新的 locator）",
            )
            return False
        listed_in[cid] = listed
        return True

    for k, cid in enumerate(data.get("removed", ())):
        j = known(("removed", k), cid, "removed")
        if j is not None and claim(("removed", k), cid, "removed"):
            kept[j] = None
    for listed in ("amended", "renumbered"):
        for k, entry in enumerate(data.get(listed, ())):
            j = known((listed, k, "id"), entry["id"], listed)
            if j is None or not claim((listed, k, "id"), entry["id"], listed):
                continue
            old = base_clauses[j]
            if listed == "amended" and "quote" in entry and _text(entry["quote"]) == _text(old["quote"]):
                report(
                    (listed, k, "quote"),
                    f"amended 中条款 `{entry['id']}` 的引文与 `{base_id}` 中完全相同：条文没有修改",
                    "从 amended 中删去它（旧版本的数据有误请直接改旧版本的 YAML）",
                    warning=True,
                )
            kept[j] = ({**old, **entry}, Origin((listed, k), j, frozenset(entry)))

    merged: list[tuple[dict[str, Any], Origin]] = [c for c in kept if c is not None]
    added: list[str] = []
    anchors: set[str] = set()
    for k, group in enumerate(data.get("added", ())):
        after = group["after"]
        new_ids = [c["id"] for c in group["clauses"]]
        for n, cid in enumerate(new_ids):
            if cid in index:
                report(
                    ("added", k, "clauses", n, "id"),
                    f"新增条款的标识 `{cid}` 已在 `{base_id}` 中使用"
                    + ("（那一条已删除，但标识永不复用）" if listed_in.get(cid) == "removed" else ""),
                    "新条款用一个新的标识，如在原编号后加后缀 -2；修改旧条款请写在 amended 中",
                )
        if after in anchors:
            report(
                ("added", k, "after"),
                f"已有一组 added 写在 `{after}` 之后",
                "同一位置的新条款写进同一组的 clauses 列表",
            )
            continue
        position = next((p for p, (c, _) in enumerate(merged) if c["id"] == after), None)
        if position is None:
            gone = listed_in.get(after) == "removed"
            report(
                ("added", k, "after"),
                f"after 指向的条款 `{after}` " + ("已在 removed 中删除" if gone else "在新版本中不存在"),
                "after 写新条款前面那一条（仍保留的旧条款或之前新增的条款）的标识"
                + ("" if gone else "；" + suggest(after, [c["id"] for c, _ in merged])),
            )
            continue
        anchors.add(after)
        entries = [
            (clause, Origin(("added", k, "clauses", n), None, frozenset(clause)))
            for n, clause in enumerate(group["clauses"])
        ]
        merged[position + 1 : position + 1] = entries
        added += new_ids
    if len(problems) > before and any(not p.warning for p in problems[before:]):
        return None

    full = {key: value for key, value in base.data.items() if key in INHERITED}
    full.update({key: value for key, value in data.items() if key not in DELTA_KEYS and key != "revises"})
    full["supersedes"] = base_id
    full["clauses"] = [clause for clause, _ in merged]
    changes = m.Delta(
        base_id,
        amended=tuple(e["id"] for e in data.get("amended", ()) if listed_in.get(e["id"]) == "amended" and "quote" in e),
        added=tuple(added),
        removed=tuple(cid for cid in data.get("removed", ()) if listed_in.get(cid) == "removed"),
        renumbered=tuple(e["id"] for e in data.get("renumbered", ()) if listed_in.get(e["id"]) == "renumbered"),
    )
    return Merged(delta, base, full, [origin for _, origin in merged], changes)


def _text(quote: Any) -> str:
    items = quote if isinstance(quote, list) else [quote]
    return fold_space("".join(f if isinstance(f, str) else f["text"] for f in items))
