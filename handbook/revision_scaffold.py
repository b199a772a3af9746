"""``./hb new DOC SOURCE --revises BASE``: a delta skeleton for a revised text, found by
placing the older version's clauses in the new text.

Every clause of the older version whose quote is found again, in order, carries over and
is not written. The new text left uncovered (the gaps) is read line by line and matched
with the clauses that were not found between the same neighbours: a line like an old
clause is its new text (``amended``, or ``renumbered`` when only the printed number
changed); a line like none is ``added`` after the clause before it; an old clause matched
by no line is ``removed``. Matching is by similarity (difflib), so the result is a
proposal: the editor checks it with ``./hb check`` and the 新旧条文对照 page. Judgement
(metadata, the new clauses' kind, roles, themes, title) is left in ``draft``.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

from .scaffold import _item_yaml, _unique, block, cn_number, fact_unknown, scalar
from .tiling import Piece, Skeleton, check_tiling, locate, pattern_ranges, strip_space

# A printed number at the start of a clause: 第八条, （八）, (8), 8. / 8、, 八、
NUMBER = re.compile(
    r"^(第[一二三四五六七八九十百零〇\d]+[条章节款]|[（(][一二三四五六七八九十百零〇\d]+[）)]|\d+[.．、]|[一二三四五六七八九十]+、)"
)
SIMILAR = 0.5  # difflib ratio from which a new line is taken for an old clause's new text


@dataclass(frozen=True)
class DeltaScaffold:
    yaml: str
    amended: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    renumbered: tuple[str, ...]


@dataclass
class _Line:
    a: int  # source offsets
    b: int
    text: str  # whitespace removed


def scaffold_delta(base: dict[str, Any], doc_id: str, source_name: str, source: str, sha256: str) -> DeltaScaffold:
    """The delta YAML for ``source`` against ``base`` (the older version's full YAML data,
    itself merged when it is a delta)."""
    skel = Skeleton.of(source)
    clauses: list[dict[str, Any]] = base["clauses"]
    placed: dict[int, list[tuple[int, int]]] = {}
    last = -1
    for i, c in enumerate(clauses):
        ranges = _place(skel, c)
        if ranges is not None and ranges[0][0] > last:  # out of order: the text moved; treat as changed
            placed[i] = ranges
            last = ranges[0][0]
    ignored, ignored_all = _ignored(skel, base.get("ignored", ()))
    pieces = [Piece(str(i), a, b) for i, ranges in placed.items() for a, b in ranges]
    pieces += [Piece("ignored", a, b) for a, b in ignored]

    amended: list[tuple[int, int, int]] = []  # (clause index, source start, source end)
    added: dict[int, list[_Line]] = {}  # after clause index (in the old order) -> new lines
    consumed: set[int] = set()
    for flaw in check_tiling(skel, pieces):
        if flaw.kind != "gap":
            continue
        a, b = skel.span(flaw.first, flaw.stop)
        before = max((i for i, r in placed.items() if r[-1][1] <= flaw.first), default=-1)
        after = min((i for i, r in placed.items() if r[0][0] >= flaw.stop), default=len(clauses))
        candidates = [i for i in range(before + 1, after) if i not in placed and i not in consumed]
        anchor = before
        for kind, index, lines in _match(candidates, clauses, _lines(source, a, b)):
            if kind == "amend":
                amended.append((index, lines[0].a, lines[-1].b))
                consumed.add(index)
                anchor = index
            else:
                added.setdefault(anchor, []).extend(lines)
    removed = [i for i in range(len(clauses)) if i not in placed and i not in consumed]
    return _write(base, doc_id, source_name, source, sha256, skel, amended, added, removed, ignored_all)


def _place(skel: Skeleton, clause: dict[str, Any]) -> list[tuple[int, int]] | None:
    items = clause["quote"] if isinstance(clause["quote"], list) else [clause["quote"]]
    fragments = [(f, None) if isinstance(f, str) else (f["text"], f["context"]) for f in items]
    if clause.get("heading"):
        fragments.insert(0, (clause["heading"], None))
    ranges = []
    for text, context in fragments:
        found = locate(skel, text, context)
        if not isinstance(found, tuple):
            return None
        ranges.append(found)
    return ranges


def _ignored(skel: Skeleton, items) -> tuple[list[tuple[int, int]], bool]:
    """Skeleton ranges of the older version's ignored spans found in the new text, and
    whether all were found (then the delta inherits them and need not write any)."""
    ranges, every = [], True
    for item in items:
        if "pattern" in item:
            ranges += pattern_ranges(skel, item["pattern"])
            continue
        found = locate(skel, item["text"], item.get("context"))
        if isinstance(found, tuple):
            ranges.append(found)
        else:
            every = False
    return ranges, every


def _lines(source: str, a: int, b: int) -> list[_Line]:
    out = []
    for match in re.finditer(r"[^\n]+", source[a:b]):
        text = strip_space(match.group())
        if text:
            start = a + match.start() + (len(match.group()) - len(match.group().lstrip()))
            out.append(_Line(start, a + match.start() + len(match.group().rstrip()), text))
    return out


def _text(clause: dict[str, Any]) -> str:
    items = clause["quote"] if isinstance(clause["quote"], list) else [clause["quote"]]
    return strip_space("".join(f if isinstance(f, str) else f["text"] for f in items))


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _match(candidates: list[int], clauses: list[dict[str, Any]], lines: list[_Line]):
    """(amend, clause index, lines) or (add, None, [line]), in the new text's order."""
    out: list[tuple[str, int | None, list[_Line]]] = []
    next_candidate, li = 0, 0
    while li < len(lines):
        best: tuple[int, float] | None = None
        for k in range(next_candidate, len(candidates)):
            r = _ratio(_text(clauses[candidates[k]]), lines[li].text)
            if r >= SIMILAR and (best is None or r > best[1]):
                best = (k, r)
        if best is None:
            out.append(("add", None, [lines[li]]))
            li += 1
            continue
        k, r = best
        old, end = _text(clauses[candidates[k]]), li + 1
        while end < len(lines) and (r2 := _ratio(old, "".join(x.text for x in lines[li : end + 1]))) > r:
            r, end = r2, end + 1  # an old clause of several paragraphs
        out.append(("amend", candidates[k], lines[li:end]))
        next_candidate, li = k + 1, end
    return out


def _number(text: str) -> str | None:
    found = NUMBER.match(strip_space(text))
    return found.group(1) if found else None


def _core(token: str) -> str:
    return token.rstrip(".．、")


def _renumber(locator: str, old: str | None, new: str | None) -> str | None:
    """The locator with the printed number ``old`` replaced by ``new``, if it holds it."""
    if not old or not new or _core(old) not in locator:
        return None
    head, _, tail = locator.rpartition(_core(old))
    return head + _core(new) + tail


def _quote(skel: Skeleton, source: str, a: int, b: int, indent: str) -> list[str]:
    if _unique(skel, source[a:b]):
        return [f"{indent}quote: " + block(source[a:b], indent + "  ")]
    return [f"{indent}quote:"] + _item_yaml(skel, source, a, b, indent + "  ")


def _write(base, doc_id, source_name, source, sha256, skel, amended, added, removed, ignored_all) -> DeltaScaffold:
    clauses: list[dict[str, Any]] = base["clauses"]
    used = {c["id"] for c in clauses}
    out = [
        "# yaml-language-server: $schema=../schema/document.schema.json",
        f"# 由 ./hb new --revises {base['id']} 生成的修订版草稿：只写与旧版本不同之处，其余条款从旧版本继承。",
        "# amended / added / removed / renumbered 是按文字相似程度推测的，请对照原文和新旧条文对照页逐条核对；",
        "# draft 列出尚待填写或核实的项目：填好一项就删去它，draft 删完才能发布。",
        f"id: {doc_id}",
        f"revises: {base['id']}",
        f"source: {source_name}",
        f"sha256: {sha256}",
        f"number: {fact_unknown()}",
        f"date: {fact_unknown()}",
        "status: 未标明",
        "verified_on: null",
        "completeness: {complete: true}",
        "draft: [number, date, status, completeness]",
    ]
    if not ignored_all:
        kept = [
            i
            for i in base.get("ignored", ())
            if "pattern" in i or isinstance(locate(skel, i["text"], i.get("context")), tuple)
        ]
        out.append("# 旧版本的忽略片段有的在新原文中找不到：只列出找得到的（写了 ignored 就整项替换旧版本的）")
        out.append("ignored:" if kept else "ignored: []")
        out += [f"  - {_flow(item)}" for item in kept]
    renumber_lines: list[str] = []
    renumbered_ids = []
    entries: dict[int, list[str]] = {}  # clause index -> its amended entry's lines after the id
    drafts: dict[int, list[str]] = {}
    amended_ids = set()
    for index, a, b in amended:
        old = clauses[index]
        new_text = source[a:b]
        old_number, new_number = _number(_text(old)), _number(new_text)
        number_changed = old_number != new_number
        rest_same = strip_space(new_text)[len(new_number or "") :] == _text(old)[len(old_number or "") :]
        locator = _renumber(old["locator"], old_number, new_number) if number_changed else None
        if number_changed and rest_same:
            renumbered_ids.append(old["id"])
            renumber_lines.append(f"  - id: {old['id']}")
            renumber_lines.append(
                f"    locator: {scalar(locator or old['locator'])}" + ("" if locator else "  # 请改为新的编号")
            )
            renumber_lines += _quote(skel, source, a, b, "    ")
            continue
        amended_ids.add(old["id"])
        lines = entries.setdefault(index, [])
        lines += _quote(skel, source, a, b, "    ")
        if locator:
            lines.append(f"    locator: {scalar(locator)}")
        flat = strip_space(new_text)
        for key in ("corrections", "time", "unscheduled"):
            field = "from" if key == "corrections" else "phrase"
            items = old.get(key, ())
            still = [x for x in items if strip_space(x[field]) in flat]
            if len(still) != len(items):
                lines.append(f"    {key}: {_flow(still)}")
                if key == "time":
                    drafts.setdefault(index, []).append("time")
        if not old.get("title_editorial") and strip_space(old["title"]) not in flat:
            lines.append("    title_editorial: true  # 旧标题已不是原文文字：改为原文标题，或确认由编辑拟定")
            drafts.setdefault(index, []).append("title")
    # A clause that stays but refers to a removed one: its data changes (no quote: same text).
    gone = {clauses[i]["id"] for i in removed}
    for index, c in enumerate(clauses):
        if index in removed:
            continue
        links = c.get("links", ())
        if any(ref in gone for ref in links):
            entries.setdefault(index, []).append(f"    links: {_flow([r for r in links if r not in gone])}")
            drafts.setdefault(index, []).append("links")
        sanction = c.get("sanction") or {}
        if any(ref in gone for ref in sanction.get("applies_to", ())):
            trimmed = {**sanction, "applies_to": [r for r in sanction["applies_to"] if r not in gone]}
            entries.setdefault(index, []).append(f"    sanction: {_flow(trimmed)}")
            drafts.setdefault(index, []).append("sanction")
    amend_lines: list[str] = []
    for index in sorted(entries):
        amend_lines.append(f"  - id: {clauses[index]['id']}")
        amend_lines += entries[index]
        if index in drafts:
            amend_lines.append(f"    draft: [{', '.join(dict.fromkeys(drafts[index]))}]")
    add_lines, added_ids = [], []
    for anchor_index, lines in sorted(added.items()):
        if anchor_index < 0:
            continue  # text before the first clause: rare (the title comes first); ./hb check shows the gap
        anchor = clauses[anchor_index]
        add_lines.append(f"  - after: {anchor['id']}")
        add_lines.append("    clauses:")
        previous = anchor
        for line in lines:
            number = _number(line.text)
            cid = _new_id(previous["id"], _number(_text(previous)), number, used)
            used.add(cid)
            added_ids.append(cid)
            locator = _renumber(previous["locator"], _number(_text(previous)), number) or "待填写"
            add_lines += [
                f"      - id: {cid}",
                f"        locator: {scalar(locator)}",
                f"        kind: {anchor['kind']}",
            ]
            for key in ("roles", "themes"):
                if anchor.get(key):
                    add_lines.append(f"        {key}: [{', '.join(anchor[key])}]")
            add_lines += [f"        title: {scalar(locator)}", "        title_editorial: true"]
            add_lines += _quote(skel, source, line.a, line.b, "        ")
            add_lines.append("        draft: [title, kind, roles, themes]")
            previous = {"id": cid, "locator": locator, "quote": line.text}
    for key, lines in (("amended", amend_lines), ("added", add_lines), ("renumbered", renumber_lines)):
        if lines:
            out += [f"{key}:"] + lines
    removed_ids = [clauses[i]["id"] for i in removed]
    if removed_ids:
        out += ["removed:"] + [f"  - {cid}" for cid in removed_ids]
    return DeltaScaffold(
        "\n".join(out) + "\n",
        tuple(clauses[i]["id"] for i, _, _ in amended if clauses[i]["id"] in amended_ids),
        tuple(added_ids),
        tuple(removed_ids),
        tuple(renumbered_ids),
    )


def _flow(value: Any) -> str:
    """A YAML flow value (JSON is valid YAML) that reads back exactly: numbers stay numbers."""
    return json.dumps(value, ensure_ascii=False)


def _new_id(previous_id: str, previous_number: str | None, number: str | None, used: set[str]) -> str:
    """An id for a new clause from its printed number and its predecessor's id (a5-i10 and
    （十一） give a5-i11); otherwise the predecessor's id with a suffix. Never one in use."""
    found = re.fullmatch(r"(.*?)(\d+)", previous_id)
    value = cn_number(re.sub(r"[第条章节款（）().．、]", "", number)) if number else None
    if found and value is not None and previous_number and _kind_of(previous_number) == _kind_of(number or ""):
        candidate = f"{found.group(1)}{value}"
        if candidate not in used:
            return candidate
    n = 2
    while f"{previous_id}-{n}" in used:
        n += 1
    return f"{previous_id}-{n}"


def _kind_of(token: str) -> str:
    """The numbering style of a printed number, so that （十一） follows （十） but not 第十条."""
    return re.sub(r"[一二三四五六七八九十百零〇\d]+", "N", token)
