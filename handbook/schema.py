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


def schema_problems(file: YamlFile, error: jsonschema.ValidationError) -> list[Problem]:
    """The problems one jsonschema error stands for, read from its structured fields
    (path, validator keyword, the keyword's value in the schema), never from its English
    message. Usually one; a ``required`` error gives one per missing key."""
    if error.validator == "oneOf" and error.context:
        deepest = jsonschema.exceptions.best_match(error.context)
        if deepest.validator not in ("type", "required", "oneOf"):
            error = deepest
    path = tuple(error.absolute_path)
    name = str(path[-1]) if path and isinstance(path[-1], str) else (str(path[-2]) if len(path) > 1 else "")
    v, expected = error.validator, error.validator_value
    keys = error.instance if isinstance(error.instance, Mapping) else {}  # the object, for key errors
    if v == "additionalProperties":
        properties = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        extra = [k for k in keys if k not in properties]
        key = extra[0] if extra else "?"
        return [file.problem(path + (key,), f"未知的键 `{key}`", suggest(key, properties), key=True)]
    if v == "required" and isinstance(expected, list):
        # jsonschema reports each missing key as its own error at the same path, all with the
        # same list: report every missing key here; the caller drops the repeats.
        return [
            file.problem(path, f"缺少必填字段 `{missing}`", f"添加 {missing}: …（字段说明见 /guide/）")
            for missing in expected
            if missing not in keys
        ]
    if v == "type":
        want = {
            "string": "文字",
            "array": "列表",
            "object": "映射",
            "boolean": "true/false",
            "integer": "整数",
            "number": "数字",
            "null": "null",
        }
        types = expected if isinstance(expected, list) else [expected]
        return [
            file.problem(
                path,
                f"`{name}` 应为{'或'.join(want.get(str(t), str(t)) for t in types)}，现在是 {error.instance!r}",
                "按 /guide/ 中该字段的示例填写",
            )
        ]
    if v == "enum" and isinstance(expected, list):
        return [
            file.problem(
                path,
                f"`{name}` 的值 `{error.instance}` 不在可选范围内",
                suggest(str(error.instance), map(str, expected)),
            )
        ]
    if v == "pattern":
        shown = str(error.instance)[:80].replace("\n", " ")
        return [file.problem(path, f"`{name}` 的格式不对：`{shown}`", PATTERN_FIXES.get(name, PATTERN_FIXES[""]))]
    if v in ("minItems", "minLength"):
        return [file.problem(path, f"`{name}` 不能为空", "填入内容或删除这个键")]
    if v == "maxItems":
        return [file.problem(path, f"`{name}` 的条目太多", f"最多 {expected} 项")]
    if v == "oneOf" and "ignored" in path:
        return [file.problem(path, "忽略片段须写 text 或 pattern 之一（不能都写，也不能都不写）", "保留其中一个")]
    # Any other rule: jsonschema's own wording is the best description we have.
    return [file.problem(path, f"`{name}` 的写法不对（{error.message}）", "对照 /guide/ 中的示例")]
