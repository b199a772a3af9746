"""``mkdocs serve`` while an editor works: a change under data/ triggers a rebuild, a
mistake is printed in the terminal without killing the server (which keeps the last
good data), and fixing the file brings the site back with the new content.

Every wait is bounded; the server process is always killed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import build_site
from fixtures.project import copy_project

pytestmark = pytest.mark.slow
STARTUP = 240  # seconds: the first build takes ~20-60 s
REBUILD = 180
PAGE = "roles/committee/yiwu/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            env={**os.environ, **(env or {})},
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_output(self, needle: str, timeout: float, start: int = 0) -> int:
        """Index of the first output line (from ``start``) containing needle."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i in range(start, len(self.lines)):
                if needle in self.lines[i]:
                    return i
            assert self.proc.poll() is None, f"mkdocs serve died:\n{self.output[-4000:]}"
            time.sleep(0.3)
        pytest.fail(f"no {needle!r} within {timeout} s:\n{self.output[-4000:]}")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=20) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    def wait_for_page(self, path: str, needle: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        body = ""
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"mkdocs serve died:\n{self.output[-4000:]}"
            try:
                status, body = self.get(path)
                if status == 200 and needle in body:
                    return body
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"{path} never contained {needle!r} within {timeout} s:\n{self.output[-4000:]}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self.reader.join(timeout=5)


@pytest.fixture
def server(tmp_path, no_fonts):
    """A dev server as on a fresh machine: PDFs wanted (auto), but no font installed."""
    root = copy_project(tmp_path / "project")
    srv = Server(root, {"HANDBOOK_PDF": "auto", **no_fonts})
    try:
        srv.wait_for_output("Serving on", STARTUP)
        yield root, srv
    finally:
        srv.stop()


def test_serve_survives_broken_data_and_recovers(server):
    root, srv = server
    doc = root / "data/documents/yiwu.yml"
    good = doc.read_text("utf-8")
    assert good.count("    title: 加强组织领导\n") == 1
    line = good.splitlines().index("    title: 加强组织领导") + 1

    srv.wait_for_page(PAGE, "加强组织领导", 60)
    # Without a CJK font the preview still serves, and says once which package to install.
    assert sum("fonts-noto-cjk" in line for line in srv.lines) == 1, srv.output[-3000:]

    # 1. break the data: the error appears in the terminal, the server keeps answering
    mark = len(srv.lines)
    doc.write_text(good.replace("    title: 加强组织领导\n", "    titel: 加强组织领导\n"), "utf-8")
    srv.wait_for_output(f"data/documents/yiwu.yml:{line}:5: 错误: 未知的键 `titel`", REBUILD, mark)
    srv.wait_for_output("网站继续显示上一次正确的数据", REBUILD, mark)
    assert srv.proc.poll() is None
    assert "Traceback" not in "\n".join(srv.lines[mark:])
    # the server answers (it does not hang waiting for a good build) with the last good data
    body = srv.wait_for_page(PAGE, "加强组织领导", 90)
    assert "titel" not in body
    assert "The server will appear stuck" not in "\n".join(srv.lines[mark:])

    # 2. fix it (with a visible change): the page is served with the new content
    mark = len(srv.lines)
    doc.write_text(
        good.replace("    title: 加强组织领导\n", "    title: 加强组织领导（修订后标题）\n    title_editorial: true\n"),
        "utf-8",
    )
    body = srv.wait_for_page(PAGE, "加强组织领导（修订后标题）", REBUILD)
    assert "titel" not in body
    assert srv.proc.poll() is None
    # said once per session, not on every rebuild
    assert sum("fonts-noto-cjk" in line for line in srv.lines) == 1, srv.output[-3000:]

    # 3. the dev server reuses the search entries of unchanged pages: its index is still
    # exactly what a fresh build of the same data writes, the new title included
    status, served = srv.get("search/search_index.json")
    assert status == 200
    texts = [(doc["title"] + doc["text"]).replace("\u200b", "") for doc in json.loads(served)["docs"]]
    assert any("修订后标题" in text for text in texts)
    fresh = build_site(root, root.parent / "fresh-site")
    assert fresh.returncode == 0, fresh.stdout[-3000:] + fresh.stderr[-3000:]
    assert served == (root.parent / "fresh-site" / "search" / "search_index.json").read_text("utf-8")
