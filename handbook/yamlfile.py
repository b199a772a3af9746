"""Read one YAML file into plain Python values plus the line/column of every node.

PyYAML's composed node tree keeps marks; we walk it once to build dicts and lists and
a table ``path -> (line, column)`` so any later check can point at the right line.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .files import Refused, read_bytes
from .problems import Problem

SafeYamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML's C parser when built with libyaml
Path_ = tuple  # a path into the data: ("clauses", 3, "quote")
# libyaml composes nested nodes recursively: ~30,000 levels overflow the C stack (a
# signal, no message). Real data nests fewer than 10 levels; the events are counted first.
MAX_DEPTH = 64


@dataclass
class YamlFile:
    path: str  # as shown to editors (relative to the project)
    data: Any = None  # parsed YAML (dicts, lists, scalars); its shape is checked by the JSON Schema, not by types
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
    # (text in PyYAML's message, what is wrong, how to fix); the C and Python parsers word some differently
    ("tab character", "YAML 不允许用 Tab 缩进", "把 Tab 换成空格（每级两个空格）"),
    ("found character '\\t'", "YAML 不允许用 Tab 缩进", "把 Tab 换成空格（每级两个空格）"),
    (
        "while scanning a quoted scalar",
        "引号没有闭合",
        "检查这一行的引号是否成对；值里本身含有引号时，外面换用另一种引号",
    ),
    ("found unexpected end of stream", "引号没有闭合", "检查这一行附近的引号是否成对"),
    (
        "while parsing a flow sequence",
        "方括号 [ ] 没有闭合或其中缺少逗号",
        "检查这一行的 [ 与 ] 是否成对，列表项之间用逗号分隔",
    ),
    (
        "while parsing a flow mapping",
        "花括号 { } 没有闭合或其中缺少逗号",
        "检查这一行的 { 与 } 是否成对，各项之间用逗号分隔",
    ),
    ("mapping values are not allowed", "冒号位置不对或缩进错误", "值里含有“: ”时请给整个值加引号，并检查缩进"),
    ("did not find expected key", "缩进不一致", "同一层的键必须对齐，检查这一行和上一行的缩进"),
    (
        "did not find expected '-' indicator",
        "缩进不一致（列表项或键没有对齐）",
        "同一列表的“- ”必须对齐，同一层的键必须对齐：检查这一行和上一行的缩进",
    ),
    ("expected <block end>", "缩进不一致", "同一层的键必须对齐，检查这一行和上一行的缩进"),
    ("found undefined alias", "出现了未定义的别名（以 * 开头）", '以 * 开头的值请加引号，如 "*注"'),
    ("found another document", "文件中出现了第二个文档分隔线“---”", "删除这一行的 ---（每个文件只写一份数据）"),
    ("expected alphabetic or numeric character", "锚点或别名（以 & 或 * 开头）写法不对", "以 & 或 * 开头的值请加引号"),
    (
        "found character that cannot start any token",
        "这里出现了不能开始一个值的字符（如 @、`、%、Tab）",
        "值以 @ ` % 等符号开头时请给整个值加引号；缩进只能用空格",
    ),
]


def _line_col(text: str, index: int) -> tuple[int, int]:
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _yaml_problem(path: str, text: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):  # a control character (NUL, BEL…) in the text
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        at = text.find(char)  # the reader stops at the first one (its position may count bytes)
        line, col = _line_col(text, at if at >= 0 else exc.position)
        return Problem(
            path,
            line,
            col,
            f"文件中含有不可见的控制字符（U+{ord(char):04X}）",
            "删除这个字符（通常来自复制粘贴）；可在编辑器中开启“显示不可见字符”",
        )
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    detail = " ".join(str(x) for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x) or str(exc)
    mark = problem_mark or context_mark
    # An unclosed quote is found only at the end of the file: point at where the quote opened.
    # Likewise an unclosed bracket: point at the bracket.
    if context_mark is not None and any(w in detail for w in ("quoted scalar", "flow sequence", "flow mapping")):
        mark = context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if mark is not None and problem_mark is not None:
        bad = text[problem_mark.index : problem_mark.index + 1] if 0 <= problem_mark.index < len(text) else ""
        row = text.splitlines()[problem_mark.line] if problem_mark.line < len(text.splitlines()) else ""
        if bad == "\t" or "\t" in row[: len(row) - len(row.lstrip())]:
            tab_line = problem_mark.line + 1
            return Problem(
                path,
                tab_line,
                problem_mark.column + 1,
                "YAML 格式错误：YAML 不允许用 Tab 缩进",
                "把 Tab 换成空格（每级两个空格）",
            )
    for needle, message, fix in _YAML_HINTS:
        if needle in detail:
            return Problem(path, line, col, f"YAML 格式错误：{message}", fix)
    detail = detail.splitlines()[0].strip()
    return Problem(path, line, col, f"YAML 格式错误：{detail}", "对照 /guide/ 中的示例修改这一行")


def too_deep(text: str) -> tuple[int, int] | None:
    """(line, column) where nesting first exceeds MAX_DEPTH, or None.

    The parser is an iterative state machine; only composing recurses, so walking the
    events is safe at any depth."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=SafeYamlLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark  # the parser marks every event; (1, 1) as in _yaml_problem otherwise
                    return (mark.line + 1, mark.column + 1) if mark else (1, 1)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # a syntax error: reported with its own message by compose()
    return None


def read_yaml(
    file: Path, shown: str, problems: list[Problem], inside: Path | None = None, inside_shown: str = "data/"
) -> YamlFile | None:
    """Parse ``file`` (which must lie inside ``inside``, by default its own folder);
    on failure append a Problem and return None."""
    result = YamlFile(shown)
    try:
        raw = read_bytes(file, inside or file.parent, inside_shown)
    except FileNotFoundError:
        problems.append(Problem(shown, 0, 0, "文件不存在", "检查文件名和所在目录"))
        return None
    except Refused as exc:
        problems.append(Problem(shown, 0, 0, f"文件{exc.message}", exc.fix))
        return None
    except OSError as exc:
        problems.append(
            Problem(
                shown,
                0,
                0,
                f"文件无法读取（{exc.strerror or exc.__class__.__name__}）",
                "检查它是不是一个普通文件、是否有读取权限",
            )
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(
                shown,
                line,
                1,
                f"文件不是 UTF-8 编码（第 {exc.start} 字节）",
                f"用编辑器另存为 UTF-8，或运行 iconv -f GB18030 -t UTF-8 {shown} > 新文件 后替换",
            )
        )
        return None
    if not text.strip():
        problems.append(Problem(shown, 1, 1, "文件是空的", "参照 /guide/ 填写内容，或删除这个文件"))
        return None
    if deep := too_deep(text):
        problems.append(
            Problem(
                shown,
                *deep,
                f"YAML 嵌套超过 {MAX_DEPTH} 层（多半是括号 [ 或 {{ 没有闭合）",
                "检查这一行起的括号 [ ] { } 是否成对；数据本身不需要这么多层",
            )
        )
        return None
    try:
        node = yaml.compose(text, Loader=SafeYamlLoader)
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(shown, text, exc))
        return None
    except RecursionError:
        problems.append(Problem(shown, 1, 1, "YAML 嵌套层次太深", "检查括号 [ ] { } 是否成对"))
        return None
    if node is None:  # only comments
        problems.append(Problem(shown, 1, 1, "文件里只有注释，没有数据", "参照 /guide/ 填写内容，或删除这个文件"))
        return None
    builder = _Builder(result, problems)
    try:
        result.data = builder.build(node, ())
    except RecursionError:
        problems.append(Problem(shown, 1, 1, "YAML 嵌套层次太深", "检查括号 [ ] { } 是否成对"))
        return None
    return None if builder.fatal else result


class _Builder:
    """Composed YAML nodes -> plain values, recording marks; bad nodes become Problems."""

    def __init__(self, out: YamlFile, problems: list[Problem]):
        self.out, self.problems = out, problems
        self.seen: set[int] = set()
        self.aliases = 0  # an alias bomb repeats one alias many times: report the first only
        self.fatal = False  # a value could not be read at all: skip the checks that follow
        self.constructor = yaml.constructor.SafeConstructor()

    def report(self, node, message: str, fix: str, fatal: bool = True) -> None:
        self.fatal = self.fatal or fatal
        self.problems.append(Problem(self.out.path, node.start_mark.line + 1, node.start_mark.column + 1, message, fix))

    def build(self, node, path):
        out = self.out
        out.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:  # an alias (*name) reuses a node: unsupported, and may loop forever
            self.aliases += 1
            if self.aliases == 1:
                self.report(
                    node,
                    "YAML 锚点和别名（&名字 / *名字）不受支持（只报告本文件中的第一处）",
                    "直接写出内容；以 & 或 * 开头的文字请加引号",
                )
            self.fatal = True
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            value = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.report(key_node, "键必须是简单的文字", "检查这一行：键后面紧跟冒号，如 title: …")
                    continue
                key = key_node.value
                if key in value:
                    self.report(key_node, f"键 `{key}` 在同一处出现了两次", "删除或合并重复的键", fatal=False)
                out.key_marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                value[key] = self.build(value_node, path + (key,))
            return value
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            value = self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            if node.tag == "tag:yaml.org,2002:timestamp":
                self.report(node, f"日期 `{node.value}` 不存在", "日期写作 2015-04-16（月 01–12，日不超过当月天数）")
            elif node.tag.startswith("tag:yaml.org,2002:"):
                self.report(
                    node,
                    f"`{node.value}` 无法按类型 !!{node.tag.rsplit(':', 1)[-1]} 读取（{exc}）",
                    "删除值前的 !! 类型标记，或给值加引号",
                )
            else:
                self.report(node, f"不认识的 YAML 标记 `{node.tag}`", "删除以 ! 开头的标记；值以 ! 开头时请加引号")
            return None
        if isinstance(value, bytes):
            self.report(node, "不支持二进制数据（!!binary）", "删除 !!binary，直接写文字")
            return None
        # Editors write dates unquoted; the data model keeps them as ISO strings.
        return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value
