"""Property test: whatever an editor does to a data file, the loader answers with clean
Problems (or success), never with an exception.

Valid files are mutated at random (lines deleted or duplicated, characters swapped,
indentation changed, tabs/quotes/colons/brackets inserted, files truncated, values
changed). Deterministic (derandomize) so CI is stable; about 150 examples.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbook.load import load_report
from handbook.problems import Problem

ROOT = Path(__file__).resolve().parent.parent
# The smallest document keeps each example fast; vocabularies are loaded every time anyway.
DOC = "lianyungang"
TARGETS = [
    "roles.yml",
    "themes.yml",
    "measures.yml",
    "glossary.yml",
    f"documents/{DOC}.yml",
    f"documents/{DOC}.yml",
    f"documents/{DOC}.yml",
    f"sources/{DOC}.txt",
]
INSERTS = [
    "\t",
    '"',
    "'",
    ":",
    ": ",
    "[",
    "]",
    "{",
    "}",
    "- ",
    "#",
    "&a ",
    "*a",
    "!",
    "!!int ",
    "%",
    "@",
    "|",
    ">",
    "{{ x }}",
    "<script>",
    "\\",
    ",",
    "?",
    "---\n",
    "\n",
    "  ",
    "\x00",
    "\ufeff",
    "中",
]
VALUES = [
    "",
    "null",
    "~",
    "[]",
    "{}",
    "0",
    "-1",
    "1.5",
    "true",
    "2015-13-45",
    "2015-02-30",
    "[a, b]",
    "{a: 1}",
    "x: y",
    '"unclosed',
    "'",
    "!!binary aGk=",
    "!foo bar",
    "*undefined",
    "&x",
    "yiwu/a1",
    "nodoc/zz",
    "a" * 300,
    "committee",
    "commitee",
    "leadership",
    "zz",
    "-",
    "|",
    ">-",
]


def mutation():
    """One edit, as (kind, *random numbers) applied by ``apply``."""
    where = st.integers(0, 10**6)
    return st.one_of(
        st.tuples(st.just("delete_line"), where),
        st.tuples(st.just("duplicate_line"), where),
        st.tuples(st.just("swap_chars"), where),
        st.tuples(st.just("indent"), where, st.integers(-4, 4)),
        st.tuples(st.just("insert"), where, st.sampled_from(INSERTS)),
        st.tuples(st.just("truncate"), where),
        st.tuples(st.just("value"), where, st.sampled_from(VALUES)),
        st.tuples(st.just("swap_lines"), where),
    )


def apply(text: str, edit) -> str:
    kind, at, *rest = edit
    lines = text.split("\n")
    n = at % max(len(lines), 1)
    if kind == "delete_line":
        del lines[n]
    elif kind == "duplicate_line":
        lines.insert(n, lines[n])
    elif kind == "swap_lines" and n + 1 < len(lines):
        lines[n], lines[n + 1] = lines[n + 1], lines[n]
    elif kind == "indent":
        shift = rest[0]
        lines[n] = (
            " " * shift + lines[n] if shift > 0 else lines[n][min(-shift, len(lines[n]) - len(lines[n].lstrip())) :]
        )
    elif kind == "value" and ": " in lines[n]:
        key = lines[n].split(": ", 1)[0]
        lines[n] = f"{key}: {rest[0]}"
    elif kind in ("swap_chars", "insert", "truncate"):
        i = at % max(len(text), 1)
        if kind == "swap_chars" and i + 1 < len(text):
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        if kind == "insert":
            return text[:i] + rest[0] + text[i:]
        if kind == "truncate":
            return text[:i]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "data", root / "data")
    for path in (root / "data").rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return root


def test_unmodified_copy_loads(data_copy):
    book, problems = load_report(data_copy, DOC)
    assert book is not None, [str(p) for p in problems]


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(TARGETS), edits=st.lists(mutation(), min_size=1, max_size=4))
def test_mutated_data_gives_problems_never_exceptions(data_copy, target, edits):
    path = data_copy / "data" / target
    original = (ROOT / "data" / target).read_bytes()
    text = original.decode("utf-8")
    for edit in edits:
        text = apply(text, edit)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        book, problems = load_report(data_copy, DOC)  # must not raise
    finally:
        path.write_bytes(original)
    assert all(isinstance(p, Problem) for p in problems)
    if book is None:
        assert any(not p.warning for p in problems), "a failed load must say why"
    for problem in problems:
        shown = str(problem)
        assert problem.file.startswith("data/"), shown
        assert problem.message and "Traceback" not in shown and "Error(" not in shown, shown
        assert shown.startswith(problem.file), shown
        if problem.line:
            assert problem.column >= 1, shown
            assert f"{problem.file}:{problem.line}:{problem.column}: " in shown
            lines = (
                (data_copy / problem.file).read_bytes().count(b"\n") + 1 if (data_copy / problem.file).exists() else 0
            )
            # line numbers point into the file as the editor saw it (mutated, so compare with its length)
            assert problem.line <= max(lines, text.count("\n") + 1) + 1, shown
