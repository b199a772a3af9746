"""A quote that cannot be placed says exactly why, and the warnings an editor needs:
the context that lacks its quote, a quote found twice (with where), the first differing
character with its code point when characters only look alike, a source no document uses,
an empty ``measures``, and a sanction on a clause kind that cannot carry one.

Each test breaks a copy of data/ in one way and reads the loader's problems.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from handbook.load import load_report

ROOT = Path(__file__).resolve().parent.parent
YIWU = "data/documents/yiwu.yml"


@pytest.fixture
def root(tmp_path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


def clauses(root: Path) -> tuple[dict, list[dict]]:
    data = yaml.safe_load((root / YIWU).read_text("utf-8"))
    return data, data["clauses"]


def save(root: Path, data: dict) -> None:
    (root / YIWU).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), "utf-8")


def problems(root: Path, only: str | None = "yiwu") -> list[str]:
    _book, found = load_report(root, only=only)
    return [str(p) for p in found]


def by_id(items: list[dict], ident: str) -> dict:
    return next(c for c in items if c["id"] == ident)


def test_a_context_that_lacks_its_quote_says_so(root):
    data, items = clauses(root)
    a4, a5 = by_id(items, "a4"), by_id(items, "a5")
    a4["quote"] = [{"text": a4["quote"], "context": a5["quote"][:30]}]
    save(root, data)
    found = [p for p in problems(root) if "context 没有包含整段引文" in p]
    assert found, problems(root)
    source = (root / "data" / "sources" / "yiwu.txt").read_text("utf-8").splitlines()
    a5_line = next(i for i, line in enumerate(source, 1) if line.strip().startswith("第五条"))
    a4_line = next(i for i, line in enumerate(source, 1) if line.strip().startswith("第四条"))
    assert f"context（原文第 {a5_line} 行）" in found[0]
    assert f"引文本身在原文第 {a4_line} 行" in found[0]
    assert "必须包含整段引文" in found[0]


def test_a_quote_found_twice_names_the_lines_and_shows_the_list_form(root):
    data, items = clauses(root)
    by_id(items, "c1")["quote"] = "第一"  # also in 第一条, 第一责任人 …
    save(root, data)
    found = [p for p in problems(root) if "这段文字在原文中出现" in p]
    assert found, problems(root)
    assert re.search(r"（第 \d+ 行、第 \d+ 行", found[0])
    assert "quote: [{text: …, context: …}]" in found[0] and "“- text: …”" in found[0]


def test_a_look_alike_character_is_named_with_its_code_point(root):
    data, items = clauses(root)
    a4 = by_id(items, "a4")
    assert "责任,是指" in a4["quote"]
    a4["quote"] = a4["quote"].replace("责任,是指", "责任，是指")  # full-width comma for the source's ","
    save(root, data)
    found = [p for p in problems(root) if "引文无法在原文中定位" in p and "第一个不同的字" in p]
    assert found, problems(root)
    assert "U+FF0C" in found[0] and "U+002C" in found[0]
    assert "看起来相似" in found[0]


def test_a_look_alike_at_the_start_of_a_quote_is_named_too(root):
    """A full-width bracket as the first character: no prefix of the quote matches at all."""
    data, items = clauses(root)
    item = by_id(items, "a6-i1")
    assert item["quote"].startswith("(一)")
    item["quote"] = "（一）" + item["quote"][3:]
    save(root, data)
    found = [p for p in problems(root) if "第一个不同的字" in p]
    assert found, problems(root)
    assert "U+FF08" in found[0] and "U+0028" in found[0] and "看起来相似" in found[0]


def test_a_different_character_is_named_without_calling_it_a_look_alike(root):
    data, items = clauses(root)
    a4 = by_id(items, "a4")
    a4["quote"] = a4["quote"].replace("纪委监督责任", "纪委主体责任", 1)
    save(root, data)
    found = [p for p in problems(root) if "第一个不同的字" in p]
    assert found, problems(root)
    assert f"U+{ord('主'):04X}" in found[0] and f"U+{ord('监'):04X}" in found[0]
    assert "看起来相似" not in found[0]


def test_empty_measures_is_a_warning_at_its_line(root):
    data, items = clauses(root)
    sanction = next(c for c in items if c.get("sanction", {}).get("ladder"))
    sanction["sanction"]["measures"] = []
    save(root, data)
    book, found = load_report(root, only="yiwu")
    warned = [p for p in found if p.warning and "measures 是空列表" in p.message]
    assert book is not None and warned  # a warning: the check still passes
    line = (root / YIWU).read_text("utf-8").splitlines()[warned[0].line - 1]
    assert line.strip().startswith("measures: []")


def test_an_unused_source_is_a_warning(root):
    shutil.copyfile(root / "data" / "sources" / "yiwu.txt", root / "data" / "sources" / "spare-copy.txt")
    book, found = load_report(root)
    assert book is not None
    warned = [str(p) for p in found if p.warning and p.file == "data/sources/spare-copy.txt"]
    assert warned and "没有被任何文档使用" in warned[0] and "./hb new" in warned[0]
    used = {yaml.safe_load(p.read_text("utf-8"))["source"] for p in (root / "data" / "documents").glob("*.yml")}
    assert not [p for p in found if p.warning and p.file.removeprefix("data/sources/") in used]


def test_a_trigger_may_state_its_own_sanction_but_a_duty_may_not(root):
    data, items = clauses(root)
    trigger = next(c for c in items if c["kind"] == "trigger")
    trigger["sanction"] = {"target": "individual", "measures": ["admonishing_talk"]}
    save(root, data)
    book, found = load_report(root, only="yiwu")
    assert book is not None, [str(p) for p in found]
    clause = next(c for c in book.documents["yiwu"].clauses if c.local_id == trigger["id"])
    assert clause.aspects == ("trigger", "sanction")
    duty = next(c for c in items if c["kind"] == "duty")
    duty["sanction"] = {"target": "individual", "measures": ["admonishing_talk"]}
    save(root, data)
    assert any("只有 kind: sanction" in p for p in problems(root))
