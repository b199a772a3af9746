"""Synthetic data: turn a project copy into one with N jurisdictions derived from the real data.

Copy i (0 ≤ i < N) repeats real document i mod k (k = number of real documents, sorted by id)
with every identifier and name suffixed by the copy number: document ``yiwu`` becomes
``yiwu-017``, jurisdiction ``yiwu`` becomes ``yiwu-017``, 浙江省义乌市 becomes 浙江省义乌市·017.
Clause ids are document-local and stay. Each source gets a first line ``合成样例017``, declared
as an ignored span, so no two sources share bytes (a duplicate source is an error). References
to another document (``doc/clause``, ``supersedes``) point to that document's copy in the same
round (copies i - i mod k … ), or to its first copy when the round is incomplete; documents of
one jurisdiction in a round share one synthetic jurisdiction. The real documents are removed.

CLI: ``python bench/synthetic.py N DEST`` copies this project to DEST (must not exist) and
rewrites its data; then ``python -m handbook check --root DEST`` passes.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path
from typing import NotRequired, TypedDict, cast

import yaml

ROOT = Path(__file__).resolve().parent.parent
REF = re.compile(r"^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)/([a-z0-9]+(?:-[a-z0-9]+)*)$")
HEADER = (
    "# yaml-language-server: $schema=../schema/document.schema.json\n# Synthetic copy made by bench/synthetic.py.\n"
)


# The parts of a document (data/schema/document.schema.json) this script reads or writes;
# every other key passes through unchanged.
class Fact(TypedDict):
    value: str | None


class Jurisdiction(TypedDict):
    id: str
    name: Fact
    short: NotRequired[str]


class Ignored(TypedDict):
    text: NotRequired[str]
    pattern: NotRequired[str]
    context: NotRequired[str]
    reason: str


class Document(TypedDict):
    id: str
    source: str
    sha256: str
    title: Fact
    short_title: NotRequired[str]
    jurisdiction: Jurisdiction
    supersedes: NotRequired[str]
    ignored: list[Ignored]


def _rename_refs(value: object, new_id: dict[str, str]) -> object:
    """Every ``doc/clause`` string whose doc is a real document, pointed at that document's copy."""
    if isinstance(value, dict):
        return {k: _rename_refs(v, new_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename_refs(v, new_id) for v in value]
    if isinstance(value, str) and (m := REF.match(value)) and m.group(1) in new_id:
        return f"{new_id[m.group(1)]}/{m.group(2)}"
    return value


def _suffixed(fact: Fact, tag: str) -> None:
    """Add the copy tag to a name fact's value (null stays null: we never invent a name)."""
    if fact.get("value"):
        fact["value"] = f"{fact['value']}·{tag}"


def make_jurisdictions(root: Path, n: int) -> list[str]:
    """Rewrite root/data/documents and root/data/sources into n synthetic documents; return their ids."""
    docs_dir, sources_dir = root / "data" / "documents", root / "data" / "sources"
    real: dict[str, Document] = {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted(docs_dir.glob("*.yml"))}
    names = sorted(real)
    k = len(names)
    texts = {name: (sources_dir / data["source"]).read_bytes() for name, data in real.items()}
    width = max(3, len(str(n - 1)))
    tags = [f"{i:0{width}d}" for i in range(max(n, k))]  # n < k: a reference to an absent copy dangles

    def copy_of(name: str, i: int) -> str:
        """Id of real document `name`'s copy in the round of copy i (first round if absent)."""
        j = i - i % k + names.index(name)
        return f"{name}-{tags[j if j < n else names.index(name)]}"

    for path in docs_dir.glob("*.yml"):
        path.unlink()
    for data in real.values():
        (sources_dir / data["source"]).unlink()
    made = []
    for i in range(n):
        name, tag = names[i % k], tags[i]
        new_id = {other: copy_of(other, i) for other in names}
        data = cast(Document, _rename_refs(real[name], new_id))  # a fresh deep copy: same shape, references renamed
        if data.get("supersedes") in new_id:
            data["supersedes"] = new_id[data["supersedes"]]
        data["id"] = new_id[name]
        data["source"] = f"{data['id']}.txt"
        # One jurisdiction per real jurisdiction and round: the first copy in the round names it.
        jid = data["jurisdiction"]["id"]
        round_ = range(i - i % k, min(i - i % k + k, n))
        first = min(j for j in round_ if real[names[j % k]]["jurisdiction"]["id"] == jid)
        data["jurisdiction"]["id"] = f"{jid}-{tags[first]}"
        _suffixed(data["jurisdiction"]["name"], tags[first])
        if "short" in data["jurisdiction"]:
            data["jurisdiction"]["short"] += f"·{tags[first]}"
        _suffixed(data["title"], tag)
        if "short_title" in data:
            data["short_title"] += f"·{tag}"
        marker = f"合成样例{tag}"
        source = marker.encode("utf-8") + b"\n" + texts[name]
        mark: Ignored = {"text": marker, "reason": "合成数据标记（bench/synthetic.py）"}
        data["ignored"] = [mark, *data.get("ignored", ())]
        data["sha256"] = hashlib.sha256(source).hexdigest()
        (sources_dir / data["source"]).write_bytes(source)
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
        (docs_dir / f"{data['id']}.yml").write_text(HEADER + body, "utf-8")
        made.append(data["id"])
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of synthetic documents (≥ 1)")
    parser.add_argument("dest", type=Path, help="new project copy (must not exist)")
    args = parser.parse_args(argv)
    if args.n < 1 or args.dest.exists():
        parser.error("N must be ≥ 1 and DEST must not exist")
    from _common import copy_project

    made = make_jurisdictions(copy_project(args.dest), args.n)
    print(f"{args.dest}: {len(made)} synthetic documents ({made[0]} … {made[-1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
