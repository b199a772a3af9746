"""Problems found in the data, each pointing at a file, line and column.

The loader never raises on bad data: it collects Problems so an editor sees every
mistake in one run, formatted as ``file:line:column: 问题 — 修改方法``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # 1-based; 0 when the whole file is concerned
    column: int  # 1-based
    message: str
    fix: str = ""
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        level = "提示" if self.warning else "错误"
        text = f"{where}: {level}: {self.message}"
        return f"{text} — {self.fix}" if self.fix else text


class DataError(Exception):
    """Raised once, after loading, when any non-warning Problem was found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def suggest(word: str, choices) -> str:
    """'请改为 X' with the closest valid choice, or the list of choices."""
    choices = sorted(set(choices))
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
    if close:
        return "是否应为：" + "、".join(f"`{c}`" for c in close) + "？"
    shown = "、".join(f"`{c}`" for c in choices[:12])
    return f"可选值：{shown}" + ("……" if len(choices) > 12 else "")
