"""JSON Schema validation of data files, with messages an editor can act on.

Each jsonschema error becomes one Problem at the line of the offending key or value,
in Chinese, naming the English key and suggesting the closest valid value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import jsonschema

from .problems import Problem, suggest
from .yamlfile import YamlFile

TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|\{#|<\s*/?\s*[a-zA-Z]")

# How to fix a value that does not match its schema pattern, by key name.
PATTERN_FIXES = {
    "source": "写 data/sources/ 中原文文件的文件名本身，如 yiwu.txt：小写英文字母、数字和连字符，以 .txt 结尾，不能含 / 或 ..",
    "sha256": "写原文文件的 SHA-256（64 位十六进制数字），运行 sha256sum data/sources/文件名 可得",
    "": "标识只能用小写英文字母、数字和连字符（如 a14-i3）；日期写作 2015-04-16",
}


@cache
def validator(data_dir: Path, name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((data_dir / "schema" / name).read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def check_markup(file: YamlFile, value, path, problems: list[Problem]) -> None:
    """Markup in data is shown literally; warn so the editor knows it is not formatting."""
    if isinstance(value, dict):
        for key, item in value.items():
            check_markup(file, item, path + (key,), problems)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_markup(file, item, path + (i,), problems)
    elif isinstance(value, str) and TEMPLATE_SYNTAX.search(value) and "pattern" not in path:
        problems.append(
            file.problem(
                path,
                "文本中含有 HTML 或模板语法（如 <script>、{{ }}）：网站把它当作普通文字原样显示，"
                "不会执行，也不会成为格式或链接",
                "如非原文所有，请删除这些符号",
                warning=True,
            )
        )


# Keywords that only describe or structure a schema: they never fail on their own.
# if/then/else only choose which subschema applies; the failures come from that subschema's
# own keywords (a delta document is "required" other fields than a full one).
STRUCTURAL_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$ref",
        "$defs",
        "title",
        "description",
        "properties",
        "items",
        "examples",
        "default",
        "if",
        "then",
        "else",
    }
)
# Every validator keyword schema_problems words in Chinese (tests/test_schema_messages.py
# fails when a schema uses a keyword in neither set).
HANDLED_KEYWORDS = frozenset(
    {
        "type",
        "enum",
        "const",
        "required",
        "additionalProperties",
        "pattern",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "uniqueItems",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "oneOf",
        "anyOf",
        "format",
    }
)
TYPE_WORDS = {
    "string": "文字",
    "array": "列表",
    "object": "映射（键: 值）",
    "boolean": "true/false",
    "integer": "整数",
    "number": "数字",
    "null": "null",
}
# A correct example by key name, for the keys whose form is not obvious from their type.
EXAMPLES = {
    "quote": "quote: 第一条 为……制定本办法。 或 quote: [第一段原文, {text: 重复出现的文字, context: 包含它且只出现一次的一段原文}]",
    "source": "source: yiwu.txt",
    "sha256": "sha256: 64 位十六进制数字（运行 sha256sum data/sources/文件名 可得）",
    "id": "id: a14-i3",
    "truncated_in": "truncated_in: a14-i3",
    "supersedes": "supersedes: yiwu",
    "verified_on": "verified_on: 2024-05-01 或 verified_on: null",
    "effective": "effective: 2016-01-01",
    "due": "due: 01-15",
    "within": "within: P1M",
    "links": "links: [a6-i1, other-doc/a3]",
    "applies_to": "applies_to: [a14, a15]",
    "ladder": "ladder: [{severity: minor, as_written: 情节较轻, measures: [written_review]}]",
    "measures": "measures: [written_review, circulated_criticism]",
    "after": "after: [dismissal]",
    "roles": "roles: [committee, secretary]",
    "actors": "actors: [organization_dept]",
    "themes": "themes: [leadership]",
    "title": "title: 加强组织领导",
    "value": "value: 中共义乌市纪委 或 value: null",
    "stated": "stated: true",
    "rank": "rank: 3",
    "count": "count: 1",
    "years": "years: 1",
}
PATTERN_EXAMPLES = {"": "a14-i3（标识）或 2015-04-16（日期）"}


def field_path(path) -> str:
    """clauses[3].sanction.ladder[0] — the place in the file, as an editor reads it."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "文件顶层"


def example(name: str, schema) -> str:
    """A correct example for the key ``name`` whose schema is ``schema``."""
    if name in EXAMPLES:
        return "正确示例：" + EXAMPLES[name]
    if not isinstance(schema, Mapping):
        return "写法见 /guide/ 中的示例"
    if "enum" in schema:
        return f"正确示例：{name}: {schema['enum'][0]}"
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    samples = {"string": "……（文字）", "boolean": "true", "integer": "1", "number": "1", "array": "[…]"}
    if kind == "object":
        keys = schema.get("required") or list(schema.get("properties", {}))[:2]
        return f"正确示例：{name}: {{{', '.join(f'{k}: …' for k in keys)}}}" if name else "写法见 /guide/ 中的示例"
    if kind in samples:
        return f"正确示例：{name}: {samples[kind]}" if name else "写法见 /guide/ 中的示例"
    return "写法见 /guide/ 中的示例"


def branch_forms(branches) -> str:
    """The forms a oneOf/anyOf allows, in words: 文字；或 列表；或 含 text、context 的映射."""
    forms = []
    for branch in branches if isinstance(branches, list) else ():
        if not isinstance(branch, Mapping):
            continue
        kind = branch.get("type")
        if kind == "object" or (kind is None and "required" in branch):
            keys = "、".join(branch.get("required", ()))
            forms.append(f"含 {keys} 的映射" if keys else "映射")
        elif isinstance(kind, str):
            forms.append(TYPE_WORDS.get(kind, kind))
    return "；或 ".join(forms) or "见 /guide/"


def schema_problems(file: YamlFile, error: jsonschema.ValidationError) -> list[Problem]:
    """The problems one jsonschema error stands for, read from its structured fields
    (path, validator keyword, the keyword's value in the schema), never from its English
    message. Usually one; a ``required`` error gives one per missing key. Each names the
    field's path, the allowed forms and a correct example."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        deepest = jsonschema.exceptions.best_match(error.context)
        if deepest.validator not in ("type", "required", "oneOf", "anyOf"):
            error = deepest
    path = tuple(error.absolute_path)
    name = str(path[-1]) if path and isinstance(path[-1], str) else (str(path[-2]) if len(path) > 1 else "")
    where = field_path(path)
    v, expected = error.validator, error.validator_value
    keys = error.instance if isinstance(error.instance, Mapping) else {}  # the object, for key errors
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    sample = example(name, schema)

    def one(message: str, fix: str) -> list[Problem]:
        return [file.problem(path, f"{message}（位置：{where}）", fix)]

    if v == "additionalProperties":
        properties = schema.get("properties", {})
        extra = [k for k in keys if k not in properties]
        key = extra[0] if extra else "?"
        hint = suggest(key, properties)
        if not hint.startswith("可选值"):  # a close match was suggested: list every key too
            hint += "（这里可用的键：" + "、".join(properties) + "）"
        return [
            file.problem(
                path + (key,),
                f"未知的键 `{key}`（位置：{where}）",
                hint,
                key=True,
            )
        ]
    if v == "required" and isinstance(expected, list):
        # jsonschema reports each missing key as its own error at the same path, all with the
        # same list: report every missing key here; the caller drops the repeats.
        properties = schema.get("properties", {})
        return [
            file.problem(
                path,
                f"缺少必填字段 `{missing}`（位置：{where}）",
                f"添加 {missing}: …；{example(missing, properties.get(missing, {}))}（字段说明见 /guide/）",
            )
            for missing in expected
            if missing not in keys
        ]
    if v == "type":
        types = expected if isinstance(expected, list) else [expected]
        return one(
            f"`{name}` 应为{'或'.join(TYPE_WORDS.get(str(t), str(t)) for t in types)}，现在是 {error.instance!r}",
            sample,
        )
    if v == "enum" and isinstance(expected, list):
        shown = "、".join(f"`{x}`" for x in expected)
        return one(
            f"`{name}` 的值 `{error.instance}` 不在可选范围内（可选：{shown}）",
            suggest(str(error.instance), map(str, expected)),
        )
    if v == "const":
        return one(f"`{name}` 只能是 `{expected}`，现在是 `{error.instance}`", f"改为 {name}: {expected}")
    if v == "pattern":
        shown = str(error.instance)[:80].replace("\n", " ")
        fix = PATTERN_FIXES.get(name, PATTERN_FIXES[""])
        return one(f"`{name}` 的格式不对：`{shown}`", f"{fix}；{sample}" if name in EXAMPLES else fix)
    if v in ("minItems", "minLength"):
        unit = "项" if v == "minItems" else "个字"
        if isinstance(expected, int) and expected > 1:
            return one(f"`{name}` 太少：至少要 {expected} {unit}", f"补足到 {expected} {unit}；{sample}")
        return one(f"`{name}` 不能为空", f"填入内容或删除这个键；{sample}")
    if v in ("maxItems", "maxLength"):
        return one(
            f"`{name}` 太{'多' if v == 'maxItems' else '长'}", f"最多 {expected} {'项' if v == 'maxItems' else '个字'}"
        )
    if v == "uniqueItems":
        items = list(error.instance) if isinstance(error.instance, list) else []
        dups = sorted({str(x) for x in items if items.count(x) > 1})
        return one(f"`{name}` 中有重复的项：{'、'.join(f'`{d}`' for d in dups)}", "每一项只写一次：删除重复的项")
    if v in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        bound = {"minimum": "不小于", "exclusiveMinimum": "大于", "maximum": "不大于", "exclusiveMaximum": "小于"}[v]
        return one(f"`{name}` 应{bound} {expected}，现在是 {error.instance!r}", sample)
    if v == "format":
        return one(f"`{name}` 的格式不对：`{error.instance}`（应为 {expected} 格式）", sample)
    if v in ("oneOf", "anyOf") and "ignored" in path and len(path) == 2:
        return one(
            "忽略片段须写 text 或 pattern 之一（不能都写，也不能都不写）",
            "保留其中一个；正确示例：- {text: 第 1 页, reason: 页码}",
        )
    if v in ("oneOf", "anyOf") and isinstance(error.instance, Mapping) and name == "quote":
        return one(
            "quote 不能直接写成 {text, context} 映射：{text, context} 只能是 quote 列表中的一项",
            "写成 quote: [{text: …, context: …}]，即分行写“- text: …”和其下对齐的“  context: …”；"
            "context 必须包含整段 text 且在原文中只出现一次",
        )
    if v in ("oneOf", "anyOf"):
        how = "只能符合" if v == "oneOf" else "须符合"
        return one(
            f"`{name}` 的写法不对：{how}以下写法之一：{branch_forms(expected)}，现在是 {str(error.instance)[:60]!r}",
            sample,
        )
    # A keyword this function does not know yet (tests/test_schema_messages.py catches it):
    # still Chinese, naming the rule, never jsonschema's English message.
    return one(f"`{name}` 的写法不符合规则 `{v}`", "对照 /guide/ 中该字段的说明和示例")
