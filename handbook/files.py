"""Read a data file safely: a regular file inside its folder, with a size limit.

A symlink may point anywhere (a secret elsewhere on the disk, /dev/zero, a FIFO), so
the path is resolved and checked before a single byte is read, and the file is opened
without blocking and checked again on the open descriptor.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_DATA_BYTES = 2 * 1024 * 1024  # a YAML file or a source text; the largest real one is under 100 KB


class Refused(Exception):
    """The file may not be read; ``message`` and ``fix`` are for the editor (Chinese)."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message, self.fix = message, fix


def read_bytes(path: Path, inside: Path, shown_dir: str, limit: int = MAX_DATA_BYTES) -> bytes:
    """The bytes of ``path``, which must resolve to a regular file directly or deeper
    under ``inside``; raises FileNotFoundError when missing, Refused otherwise."""
    real = Path(os.path.realpath(path))
    base = Path(os.path.realpath(inside))
    if real != base and base not in real.parents:
        raise Refused(f"是一个指向 {shown_dir} 以外的符号链接，不会被读取", f"把文件本身（不是链接）放进 {shown_dir}")
    if not real.exists():
        raise FileNotFoundError(path)
    fd = None
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked next.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("不是普通文件（是目录、设备或管道），不会被读取", f"在 {shown_dir} 中放一个普通的文本文件")
        if info.st_size > limit:
            raise Refused(
                f"太大（{info.st_size / 1048576:.1f} MB，上限 {limit // 1048576} MB），不会被读取",
                "检查是否放错了文件；正常的规定原文或数据文件远小于这个上限",
            )
        with os.fdopen(fd, "rb") as stream:
            fd = None  # now owned by the stream
            data = stream.read(limit + 1)
    finally:
        if fd is not None:
            os.close(fd)
    if len(data) > limit:  # the file grew while being read
        raise Refused(f"太大（超过 {limit // 1048576} MB），不会被读取", "检查是否放错了文件")
    return data
