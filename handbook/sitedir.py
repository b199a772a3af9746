"""The output folder of ``python -m handbook build``: where it may be, and how the new
site replaces the old one.

One build at a time per parent folder (an flock, released by the kernel even on
kill -9); leftovers of an interrupted build are removed by the next one; the new site
is swapped in with two renames, rolled back if the second fails; every filesystem error
becomes one Chinese sentence saying what failed and what to do, never a traceback.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

TEMP_PREFIX = ".build-"  # the new site is built in <parent>/.build-XXXX, then renamed
# The output folder replaces (deletes) whatever was there: never one of these, nor a folder holding them.
PROTECTED = ("data", "docs", "templates", "handbook", "hooks", "macros", "scripts", "tests", ".git", ".venv")


class SiteError(Exception):
    """The site could not be written; the message is for the editor."""


def explain(exc: OSError, action: str, path: Path) -> str:
    """What went wrong with ``action`` on ``path``, and what to do, in one sentence."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        why, fix = "磁盘空间不足", "腾出磁盘空间（至少几十 MB）后重新构建"
    elif code in (errno.EACCES, errno.EPERM):
        why, fix = "没有权限", f"检查 {path} 及其上级目录的写权限（或用 chattr -i 解除“不可变”属性）"
    elif code == errno.EROFS:
        why, fix = "文件系统是只读的", "换一个可写的输出目录（--site-dir）"
    elif code in (errno.ENOTEMPTY, errno.EEXIST):
        why, fix = "目标已存在且不是空目录", f"删除 {path} 后重新构建"
    elif code == errno.EBUSY:
        why, fix = "文件正被其他程序占用", "关闭正在使用它的程序（如共享、预览）后重新构建"
    else:
        why, fix = exc.strerror or exc.__class__.__name__, "检查磁盘和目录权限后重新构建"
    return f"{action} {path} 失败：{why}。{fix}。网站保持上一次成功构建的内容。"


def refuse_protected(root: Path, site: Path) -> None:
    """The output folder may not be the project, a source folder, or contain one."""
    root, site = root.resolve(), site.resolve()
    if site == root or site in root.parents:
        raise SiteError(
            f"输出目录 {site} 是项目目录本身或包含项目目录；构建会删除它的全部内容。请换一个输出目录，如 --site-dir site"
        )
    for name in PROTECTED:
        kept = root / name
        if site == kept or kept.is_relative_to(site) or site.is_relative_to(kept):
            raise SiteError(
                f"输出目录 {site} 与项目的 {name}/ 目录重叠；构建会删除其中的内容。请换一个输出目录，如 --site-dir site"
            )


@contextlib.contextmanager
def exclusive(site: Path) -> Iterator[None]:
    """Hold the build lock, an flock on the output folder's parent folder itself (no lock
    file to leave behind); a second build waits for the first."""
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(site.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise SiteError(explain(exc, "锁定输出目录的上级目录", site.parent)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"另一个构建正在写入 {site.parent}，等它结束后继续……", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_tree(path: Path) -> None:
    """Delete a folder we wrote, even if a subfolder was made read-only (chmod)."""

    def writable_and_retry(func, name, _exc_info):
        os.chmod(os.path.dirname(name), stat.S_IRWXU)
        if os.path.isdir(name) and not os.path.islink(name):
            os.chmod(name, stat.S_IRWXU)
        func(name)

    shutil.rmtree(path, onerror=writable_and_retry)


def clean_leftovers(site: Path) -> None:
    """Remove what an interrupted build left (only ever called with the lock held)."""
    leftovers = [p for p in site.parent.glob(TEMP_PREFIX + "*") if p.is_dir() and not p.is_symlink()]
    leftovers.append(site.with_name(site.name + ".old"))
    for path in leftovers:
        if not path.exists():
            continue
        try:
            remove_tree(path)
        except OSError as exc:
            raise SiteError(explain(exc, "删除上次中断的构建留下的", path)) from None
        print(f"已删除上次中断的构建留下的 {path.name}", file=sys.stderr)


def new_temp(site: Path) -> Path:
    try:
        return Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=site.parent))
    except OSError as exc:
        raise SiteError(explain(exc, "创建临时构建目录于", site.parent)) from None


def swap(temp: Path, site: Path) -> None:
    """Put the new site (``temp``) in place of the old; on failure the old site stays."""
    old = site.with_name(site.name + ".old")
    moved = False
    try:
        if site.exists() or site.is_symlink():
            site.rename(old)
            moved = True
        temp.rename(site)
    except OSError as exc:
        if moved and not site.exists():
            with contextlib.suppress(OSError):
                old.rename(site)
        raise SiteError(explain(exc, "替换网站目录", site)) from None
    try:
        remove_tree(old) if moved else None
    except OSError as exc:  # the new site is in place; the next build removes the rest
        print(f"提示：旧网站 {old} 未能删除（{exc.strerror}），下次构建时会再次清理。", file=sys.stderr)


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the build command dies (kill -9 leaves no orphan)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


ERRNO_LINE = re.compile(r"\[Errno (\d+)\]")


def run(command: list[str], cwd: Path, env: dict, site: Path) -> int:
    """Run the site generator, passing its output through but replacing a Python
    traceback by one sentence (a full disk, a permission error…)."""
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    in_traceback, last = False, ""
    assert proc.stdout is not None  # stdout=PIPE
    try:
        for line in proc.stdout:
            if line.startswith("Traceback (most recent call last)"):
                in_traceback = True
            if not in_traceback or re.match(r"(INFO|WARNING|ERROR)\s+-", line):
                sys.stdout.write(line)
            elif (
                line.strip()
                and not line[0].isspace()
                and not line.startswith(("Traceback", "During handling", "The above"))
            ):
                last = line.strip()  # the exception line
        code = proc.wait()
    except BaseException:  # Ctrl-C: stop the generator before its folder is removed
        proc.terminate()
        proc.wait()
        raise
    if in_traceback:
        number = ERRNO_LINE.search(last)
        if number:
            error = OSError(int(number.group(1)), os.strerror(int(number.group(1))))
            print(explain(error, "写入网站", site), file=sys.stderr)
        else:
            print(f"构建程序出错：{last[:300]}", file=sys.stderr)
        return code or 1
    return code
