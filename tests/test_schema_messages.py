"""Every kind of schema failure reaches the editor in Chinese, at a file and line, with the
field's path and how to write it: never jsonschema's English.

The keywords are read from data/schema/*.json, so a keyword added to a schema later is
either covered here or fails ``test_every_schema_keyword_has_a_chinese_message``. For each
keyword a schema uses, a shipped data file is broken at a place where that keyword applies
(found by walking the data alongside its schema) and the real loader is run on the copy.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from handbook.load import load_report
from handbook.schema import HANDLED_KEYWORDS, STRUCTURAL_KEYWORDS, field_path

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "data" / "schema"
# The data file each schema checks, and (for documents) the one used to break it.
DATA = {
    "document.schema.json": "documents/yiwu.yml",
    "roles.schema.json": "roles.yml",
    "themes.schema.json": "themes.yml",
    "measures.schema.json": "measures.yml",
    "glossary.schema.json": "glossary.yml",
    "central_rules.schema.json": "central_rules.yml",
}
ENGLISH = (
    "is not valid under",
    "is a required property",
    "Additional properties",
    "is not of type",
    "is not one of",
    "does not match",
    "is too short",
    "is too long",
    "non-unique",
    "is less than",
    "is greater than",
    "was expected",
    "should be non-empty",
    "valid under each",
    "is not a",
)


def keywords(schema, out: set[str] | None = None) -> set[str]:
    """Every keyword a schema uses (property and $defs names are not keywords)."""
    out = set() if out is None else out
    if isinstance(schema, dict):
        for key, value in schema.items():
            out.add(key)
            if key in ("properties", "$defs"):
                for child in value.values():
                    keywords(child, out)
            elif key in ("items", "not", "if", "then", "else", "additionalProperties", "contains"):
                keywords(value, out)
            elif key in ("oneOf", "anyOf", "allOf"):
                for child in value:
                    keywords(child, out)
    return out


def schema_files() -> list[str]:
    return sorted(p.name for p in SCHEMAS.glob("*.schema.json"))


def test_every_schema_has_a_data_file_to_break():
    assert set(schema_files()) <= set(DATA), "add the new schema's data file to DATA"


def test_every_schema_keyword_has_a_chinese_message():
    unknown = {
        name: sorted(keywords(json.loads((SCHEMAS / name).read_text("utf-8"))) - HANDLED_KEYWORDS - STRUCTURAL_KEYWORDS)
        for name in schema_files()
    }
    assert not any(unknown.values()), f"no Chinese message in handbook/schema.py for: {unknown}"


# -- walking data alongside its schema ---------------------------------------------------


def resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].split("/")[-1]]
    return schema


def places(schema: dict, data, root: dict, path: tuple = ()) -> Iterator[tuple[str, dict, tuple]]:
    """(keyword, subschema, data path) for every keyword that applies somewhere in ``data``."""
    import jsonschema

    schema = resolve(schema, root)
    for key in schema:
        yield key, schema, path
    if isinstance(data, dict):
        for name, child in schema.get("properties", {}).items():
            if name in data:
                yield from places(child, data[name], root, path + (name,))
    if isinstance(data, list) and "items" in schema:
        for i, item in enumerate(data[:40]):
            yield from places(schema["items"], item, root, path + (i,))
    for branch in schema.get("oneOf", []) + schema.get("anyOf", []):
        full = dict(resolve(branch, root), **{"$defs": root.get("$defs", {})})
        if jsonschema.Draft202012Validator(full).is_valid(data) and "type" in resolve(branch, root):
            yield from places(branch, data, root, path)


def get(data, path):
    for part in path:
        data = data[part]
    return data


def put(data, path, value):
    get(data, path[:-1])[path[-1]] = value


def breaks(keyword: str, schema: dict, data, path: tuple) -> bool:
    """Break ``data`` at ``path`` so that ``keyword`` of ``schema`` fails; False if it cannot."""
    value = get(data, path) if path else data
    expected = schema[keyword]
    if not path and keyword not in ("required", "additionalProperties"):
        return False
    if keyword == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        put(data, path, {"x": 1} if "object" not in kinds else ["x"])
    elif keyword == "enum":
        put(data, path, "zzz")
    elif keyword == "const":
        put(data, path, f"{expected}-other")
    elif keyword == "required" and isinstance(value, dict):
        del value[expected[0]]
    elif keyword == "additionalProperties" and expected is False and isinstance(value, dict):
        value["zzz_unknown"] = 1
    elif keyword == "pattern" and isinstance(value, str):
        put(data, path, "不合 格式!")
    elif keyword == "minItems" and isinstance(value, list):
        put(data, path, value[: expected - 1])
    elif keyword == "maxItems" and isinstance(value, list) and value:
        put(data, path, value + [copy.deepcopy(value[0]) for _ in range(expected + 1 - len(value))])
    elif keyword == "minLength" and isinstance(value, str):
        put(data, path, "")
    elif keyword == "maxLength" and isinstance(value, str):
        put(data, path, "字" * (expected + 1))
    elif keyword == "uniqueItems" and isinstance(value, list) and value:
        put(data, path, value + [copy.deepcopy(value[0])])
    elif keyword in ("minimum", "exclusiveMinimum") and isinstance(value, (int, float)):
        put(data, path, expected - 1)
    elif keyword in ("maximum", "exclusiveMaximum") and isinstance(value, (int, float)):
        put(data, path, expected + 1)
    elif keyword in ("oneOf", "anyOf"):
        put(data, path, {"text": "重复的文字", "context": "包含重复的文字的上下文"} if path[-1] == "quote" else 12345)
    elif keyword == "format" and isinstance(value, str):
        put(data, path, "不是这种格式")
    else:
        return False
    return True


def cases() -> Iterator[tuple[str, str]]:
    for name in schema_files():
        for keyword in sorted(keywords(json.loads((SCHEMAS / name).read_text("utf-8"))) & HANDLED_KEYWORDS):
            yield name, keyword


@pytest.mark.parametrize(("schema_name", "keyword"), list(cases()))
def test_each_schema_error_kind_is_reported_in_chinese(tmp_path, schema_name, keyword):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    rel = DATA[schema_name]
    target = tmp_path / "data" / rel
    schema = json.loads((SCHEMAS / schema_name).read_text("utf-8"))
    data = yaml.safe_load(target.read_text("utf-8"))
    for kw, sub, path in places(schema, data, schema):
        if kw == keyword and breaks(keyword, sub, data, path):
            break
    else:
        pytest.fail(f"{keyword} of {schema_name} applies nowhere in data/{rel}: break another file for it")
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), "utf-8")
    book, problems = load_report(tmp_path, only="yiwu")
    assert book is None
    shown = [str(p) for p in problems if p.file == f"data/{rel}" and not p.warning]
    assert shown, [str(p) for p in problems]
    assert not any("YAML" in line for line in shown), shown  # a schema error, not a broken file
    for line in shown:
        assert not any(words in line for words in ENGLISH), line
        assert any("\u4e00" <= ch <= "\u9fff" for ch in line), line
    located = [p for p in problems if p.file == f"data/{rel}" and p.line > 0]
    assert located, shown  # file:line
    # the field's path, as the editor reads it, and how to write it
    where = field_path(path[:-1] if keyword in ("oneOf", "anyOf") and path and path[-1] == "quote" else path)
    assert any(where.split("[")[0] in line for line in shown), (where, shown)
    assert any("—" in line for line in shown), shown  # every message carries a fix


def test_a_quote_written_as_a_bare_mapping_shows_the_list_form(tmp_path):
    """The issue's case: {text, context} given as the quote itself, not as a list item."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    target = tmp_path / "data" / "documents" / "yiwu.yml"
    data = yaml.safe_load(target.read_text("utf-8"))
    data["clauses"][3]["quote"] = {"text": "第二条", "context": "第二条  本细则"}
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), "utf-8")
    _book, problems = load_report(tmp_path, only="yiwu")
    text = "\n".join(str(p) for p in problems)
    assert "只能是 quote 列表中的一项" in text and "quote: [{text: …, context: …}]" in text, text
    assert "clauses[3]" in text
