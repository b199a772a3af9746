"""Read one YAML file into plain Python values plus the line/column of every node.

PyYAML's composed node tree keeps marks; we walk it once to build dicts and lists and
a table ``path -> (line, column)`` so any later check can point at the right line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import datetime

import yaml

from .problems import Problem

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = yaml.constructor.SafeConstructor()
Path_ = tuple  # a path into the data: ("clauses", 3, "quote")


@dataclass
class YamlFile:
    path: str  # as shown to editors (relative to the project)
    data: object = None
    marks: dict = field(default_factory=dict)  # Path_ -> (line, col) of the value
    key_marks: dict = field(default_factory=dict)  # Path_ -> (line, col) of the key

    def where(self, path: Path_) -> tuple[int, int]:
        """Closest known position of a path (walks up to the parent if needed)."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))

    def key_where(self, path: Path_) -> tuple[int, int]:
        return self.key_marks.get(tuple(path)) or self.where(path)

    def problem(self, path: Path_, message: str, fix: str = "", warning=False, key=False) -> Problem:
        line, col = self.key_where(path) if key else self.where(path)
        return Problem(self.path, line, col, message, fix, warning)


_YAML_HINTS = [
    ("found character '\\t'", "YAML 不允许用 Tab 缩进", "把 Tab 换成空格（每级两个空格）"),
    ("found unexpected end of stream", "引号没有闭合", "检查这一行附近的引号是否成对"),
    ("while scanning a quoted scalar", "引号没有闭合", "检查这一行附近的引号是否成对"),
    ("mapping values are not allowed here", "冒号位置不对或缩进错误", "值里含有“: ”时请给整个值加引号，并检查缩进"),
    ("did not find expected key", "缩进不一致", "同一层的键必须对齐，检查这一行和上一行的缩进"),
    ("did not find expected '-' indicator", "列表项缩进不一致", "同一列表的“- ”必须对齐"),
    ("expected <block end>", "缩进不一致", "同一层的键必须对齐，检查这一行和上一行的缩进"),
]


def _yaml_problem(path: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    text = str(exc)
    for needle, message, fix in _YAML_HINTS:
        if needle in text:
            return Problem(path, line, col, f"YAML 格式错误：{message}", fix)
    detail = (getattr(exc, "problem", None) or text).strip()
    return Problem(path, line, col, f"YAML 格式错误：{detail}", "对照 /guide/ 中的示例修改这一行")


def read_yaml(file: Path, shown: str, problems: list[Problem]) -> YamlFile | None:
    """Parse ``file``; on failure append a Problem and return None."""
    result = YamlFile(shown)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(shown, 0, 0, "文件不存在", "检查文件名和所在目录"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, 1, 1, f"文件不是 UTF-8 编码（第 {exc.start} 字节）",
                                "用编辑器另存为 UTF-8，或运行 iconv -f GBK -t UTF-8"))
        return None
    if not text.strip():
        problems.append(Problem(shown, 1, 1, "文件是空的", "参照 /guide/ 填写内容，或删除这个文件"))
        return None
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(shown, exc))
        return None
    result.data = _build(node, (), result, problems)
    return result


def _build(node, path, out: YamlFile, problems):
    out.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        value = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in value:
                problems.append(Problem(out.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                        f"键 `{key}` 在同一处出现了两次", "删除或合并重复的键"))
            out.key_marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            value[key] = _build(value_node, path + (key,), out, problems)
        return value
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), out, problems) for i, child in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    value = _SCALARS.construct_object(node)
    # Editors write dates unquoted; the data model keeps them as ISO strings.
    return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value
