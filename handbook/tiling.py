"""Locate quoted text in a source and prove that quotes and ignored spans tile it.

All matching ignores whitespace only: a source is reduced to its *skeleton* (the
non-whitespace characters, each remembering its offset in the source), quotes are
reduced the same way, and positions are translated back to ``[start, end)`` offsets
into the source ``str``. The tiling proof is that every skeleton character is owned
by exactly one clause fragment or ignored span.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass

# BOM and zero-width space count as whitespace: they are invisible and carry no text.
_INVISIBLE = {"\ufeff", "\u200b"}


def is_space(char: str) -> bool:
    return char.isspace() or char in _INVISIBLE


def strip_space(text: str) -> str:
    return "".join(c for c in text if not is_space(c))


def fold_space(text: str) -> str:
    """Display form: line breaks vanish (Chinese has no spaces between words), other
    runs of whitespace become one space, except between ASCII letters/digits."""
    out: list[str] = []
    run: list[str] = []
    for char in text + "\0":
        if is_space(char):
            run.append(char)
            continue
        if run and out:
            prev = out[-1][-1]
            ascii_pair = prev.isascii() and prev.isalnum() and char.isascii() and char.isalnum()
            if ascii_pair or not any(c in "\r\n" for c in run):
                out.append(" ")
        run = []
        out.append(char)
    return "".join(out)[:-1].strip()


@dataclass
class Skeleton:
    source: str
    text: str  # non-whitespace characters of source
    offsets: list[int]  # offsets[i] = index in source of text[i]
    line_starts: list[int]

    @classmethod
    def of(cls, source: str) -> Skeleton:
        offsets = [i for i, c in enumerate(source) if not is_space(c)]
        text = "".join(source[i] for i in offsets)
        line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        return cls(source, text, offsets, line_starts)

    def find_all(self, needle: str, start: int = 0, end: int | None = None) -> list[int]:
        end = len(self.text) if end is None else end
        found, i = [], self.text.find(needle, start, end)
        while i != -1:
            found.append(i)
            i = self.text.find(needle, i + 1, end)
        return found

    def span(self, first: int, stop: int) -> tuple[int, int]:
        """Skeleton range -> [start, end) offsets into the source."""
        return self.offsets[first], self.offsets[stop - 1] + 1

    def skeleton_index(self, source_offset: int) -> int:
        return bisect.bisect_left(self.offsets, source_offset)

    def line_col(self, index: int) -> tuple[int, int]:
        """1-based line and column in the source of skeleton character ``index``."""
        offset = self.offsets[min(index, len(self.offsets) - 1)] if self.offsets else 0
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def excerpt(self, first: int, stop: int, limit: int = 40) -> str:
        piece = self.text[first:stop]
        return piece if len(piece) <= limit else piece[: limit // 2] + "……" + piece[-limit // 2 :]


@dataclass(frozen=True)
class Miss:
    """Why a needle could not be placed; ``hint`` is ready to show an editor."""

    reason: str  # "empty" | "missing" | "ambiguous" | "context"
    hint: str


def locate(skel: Skeleton, text: str, context: str | None = None) -> tuple[int, int] | Miss:
    """Skeleton range of ``text`` (within ``context`` when given), or why not."""
    needle = strip_space(text)
    if not needle:
        return Miss("empty", "引文只有空白")
    base, limit = 0, None
    if context is not None:
        ctx = strip_space(context)
        places = skel.find_all(ctx)
        if len(places) != 1:
            lines = "、".join(str(skel.line_col(p)[0]) for p in places[:5])
            what = "找不到" if not places else f"出现 {len(places)} 次（第 {lines} 行）"
            return Miss("context", f"context 在原文中{what}，context 必须在原文中恰好出现一次")
        base, limit = places[0], places[0] + len(ctx)
        if needle not in ctx:
            return Miss("context", context_without(skel, needle, ctx, places[0]))
    places = skel.find_all(needle, base, limit)
    if len(places) == 1:
        return places[0], places[0] + len(needle)
    if places:
        lines = "、".join(f"第 {skel.line_col(p)[0]} 行" for p in places[:5])
        return Miss("ambiguous", f"这段文字在原文中出现 {len(places)} 次（{lines}）")
    return Miss("missing", closest(skel, needle, base, limit))


def context_without(skel: Skeleton, needle: str, ctx: str, at: int) -> str:
    """Why a context that occurs once still does not place the quote: it does not contain it."""
    line = skel.line_col(at)[0]
    elsewhere = skel.find_all(needle)
    where = (
        "引文本身在原文" + "、".join(f"第 {skel.line_col(p)[0]} 行" for p in elsewhere[:5])
        if elsewhere
        else "引文本身在原文中也找不到"
    )
    shown = needle if len(needle) <= 30 else needle[:14] + "……" + needle[-14:]
    return f"context 没有包含整段引文：context（原文第 {line} 行）里没有“{shown}”；{where}"


# Characters editors and OCR confuse: (character, look-alike). Named in a quote mismatch so
# that a difference the eye cannot see is explained; NFKC catches full/half width forms.
LOOK_ALIKES = {
    frozenset(pair)
    for pair in (
        ("〇", "零"),
        ("〇", "O"),
        ("〇", "○"),
        ("○", "零"),
        ("一", "—"),
        ("一", "-"),
        ("—", "－"),
        ("—", "-"),
        ("“", '"'),
        ("”", '"'),
        ("‘", "'"),
        ("’", "'"),
        ("、", ","),
        ("·", "•"),
        ("·", "."),
        ("。", "."),
        ("己", "已"),
        ("已", "巳"),
        ("戍", "戌"),
        ("末", "未"),
    )
}


def look_alike(a: str, b: str) -> bool:
    return unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b) or frozenset((a, b)) in LOOK_ALIKES


def describe_char(char: str) -> str:
    width = "全角" if unicodedata.east_asian_width(char) in ("F", "W") else "半角"
    return f"“{char}”（U+{ord(char):04X}，{width}）"


@functools.cache
def fold_char(char: str) -> str:
    """One representative of the characters that look like ``char`` (full/half width by NFKC,
    and the LOOK_ALIKES pairs), so that a quote differing only in those can be found."""
    folded = unicodedata.normalize("NFKC", char)
    char = folded if len(folded) == 1 else char
    return min([char, *(c for pair in LOOK_ALIKES if char in pair for c in pair)])


def look_alike_place(skel: Skeleton, needle: str, base: int = 0, limit: int | None = None) -> str | None:
    """Where ``needle`` occurs once its look-alike characters are folded: the first
    character that differs, with both code points; None when it does not occur so."""
    folded_text = "".join(map(fold_char, skel.text))
    at = folded_text.find("".join(map(fold_char, needle)), base, limit)
    if at == -1:
        return None
    i = next(k for k, (a, b) in enumerate(zip(needle, skel.text[at:], strict=False)) if a != b)
    line, _ = skel.line_col(at + i)
    return (
        f"引文与原文第 {line} 行只差形近或全角/半角字符：第一个不同的字：引文是{describe_char(needle[i])}，"
        f"原文是{describe_char(skel.text[at + i])}，两者看起来相似但不是同一个字符，请从原文复制"
    )


def closest(skel: Skeleton, needle: str, base: int = 0, limit: int | None = None) -> str:
    """Describe where the longest matching prefix of ``needle`` stops agreeing."""
    if alike := look_alike_place(skel, needle, base, limit):
        return alike
    low, high = 0, len(needle)  # longest prefix that still occurs: binary search
    while low < high:
        mid = (low + high + 1) // 2
        if skel.text.find(needle[:mid], base, limit) != -1:
            low = mid
        else:
            high = mid - 1
    if low < 4:
        return "原文中没有与引文开头相同的文字；请从原文复制引文"
    at = skel.text.find(needle[:low], base, limit)
    line, _ = skel.line_col(at + low)
    quoted = needle[max(0, low - 6) : low + 8]
    source = skel.text[max(0, at + low - 6) : at + low + 8]
    said = f"引文前 {low} 字与原文第 {line} 行一致，其后不同：引文为“{quoted}”，原文为“{source}”"
    stop = len(skel.text) if limit is None else limit
    if low < len(needle) and at + low < stop:
        mine, theirs = needle[low], skel.text[at + low]
        said += f"；第一个不同的字：引文是{describe_char(mine)}，原文是{describe_char(theirs)}"
        if look_alike(mine, theirs):
            said += "，两者看起来相似但不是同一个字符（全角/半角或形近字），请从原文复制"
    return said


@dataclass(frozen=True)
class Piece:
    """One located range, owned by a clause or an ignored span."""

    owner: str  # e.g. "条款 a14-i3" or "忽略片段 #2"
    first: int
    stop: int
    path: tuple = ()  # where in the YAML it was declared, for error lines


@dataclass(frozen=True)
class Flaw:
    kind: str  # "gap" | "overlap"
    first: int
    stop: int
    owners: tuple[str, ...]
    path: tuple = ()  # the YAML entry nearest to the flaw


def pattern_ranges(skel: Skeleton, pattern: str) -> list[tuple[int, int]]:
    """Skeleton ranges of every multi-line regex match that has visible characters."""
    ranges = []
    for match in re.finditer(pattern, skel.source, re.M):
        first, stop = skel.skeleton_index(match.start()), skel.skeleton_index(match.end())
        if stop > first:
            ranges.append((first, stop))
    return ranges


def check_tiling(skel: Skeleton, pieces: list[Piece]) -> list[Flaw]:
    """Every skeleton character must belong to exactly one piece."""
    owner: list[Piece | None] = [None] * len(skel.text)
    flaws: list[Flaw] = []
    for piece in pieces:
        run_start = None
        for i in range(piece.first, piece.stop + 1):
            taken = i < piece.stop and owner[i] is not None
            if i < piece.stop and not taken:
                owner[i] = piece
            if taken and run_start is None:
                run_start = i
            elif not taken and run_start is not None:
                other = owner[run_start]
                assert other is not None  # the run started at a taken character
                flaws.append(Flaw("overlap", run_start, i, (other.owner, piece.owner), piece.path))
                run_start = None
    i, previous = 0, None
    while i < len(owner):
        if owner[i] is None:
            j = i
            while j < len(owner) and owner[j] is None:
                j += 1
            flaws.append(Flaw("gap", i, j, (), previous.path if previous else ()))
            i = j
        else:
            previous = owner[i]
            i += 1
    return flaws
