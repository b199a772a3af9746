"""Benchmark: the editor loop — save a YAML file, until `mkdocs serve` serves the changed page.

In a throwaway copy: first two full `mkdocs build` runs (cold: no PDF cache; warm), then
`mkdocs serve` with live reload (its file watcher only runs with live reload). Each edit
appends a fresh marker to the title of one clause shown on a role page
(roles/<role>/<jurisdiction>/) and polls that page until the marker is served; the time from
the save to that moment is the loop time. Before the next edit the script waits for the
rebuild to finish (the dev server logs "Reloading browsers"). Target: median ≤ 3 s.
HANDBOOK_PDF is left at its default, as an editor runs `./hb serve`.

Run: .venv/bin/python bench/loop.py [--runs N] [--quick]   (runs = number of edits)
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

from _common import (
    PYTHON,
    arguments,
    drop_pdf_cache,
    fresh_copy,
    machine,
    main_guard,
    median,
    mkdocs_build,
    ratio_line,
    scratch,
    table,
)

TARGET = 3.0
START_TIMEOUT, EDIT_TIMEOUT = 600.0, 300.0
BUILT = "Documentation built in"  # the first build's last line
# A rebuild's last line. Not "Documentation built in N seconds": MkDocs' build logger drops
# a message it has logged before, so a rebuild as long as an earlier one (to the hundredth
# of a second) says nothing, and the bench waited for it in vain (the "stall" of earlier runs).
REBUILT = "Reloading browsers"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:  # refused while starting, or a 404 during a rebuild
        return None


def wait_for(condition, timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def pick_clause(root: Path) -> tuple[Path, str, str, str]:
    """(document file, clause id, role id, jurisdiction id) of the first clause with roles whose
    title is editorial (so any title passes validation) and written as a plain scalar."""
    for path in sorted((root / "data" / "documents").glob("*.yml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for clause in data["clauses"]:
            if clause.get("roles") and clause.get("title_editorial") and clause.get("kind") != "heading":
                return path, clause["id"], clause["roles"][0], data["jurisdiction"]["id"]
    raise RuntimeError("no clause with roles and an editorial title in data/documents")


def retitle(path: Path, clause_id: str, marker: str) -> None:
    """Put marker at the end of the clause's `title:` line (replacing an earlier marker)."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if re.match(rf"\s*- id: {re.escape(clause_id)}\s*$", line))
    at = next(i for i in range(start + 1, len(lines)) if re.match(r"\s+title: ", lines[i]))
    title = re.sub(r" BENCH\w+$", "", lines[at].rstrip("\n"))
    lines[at] = f"{title} {marker}\n"
    path.write_text("".join(lines), "utf-8")


def spread(values: list[float]) -> list[str]:
    return [f"{median(values):.2f}", f"{min(values):.2f}–{max(values):.2f}"]


def main() -> None:
    args = arguments(__doc__).parse_args()
    edits = 1 if args.quick else max(args.runs, 1)
    print(f"bench/loop.py — {machine()}")
    tmp = scratch("loop")
    server = None
    try:
        root = fresh_copy(tmp)
        drop_pdf_cache(root)
        cold = mkdocs_build(root, "auto").seconds
        warm = mkdocs_build(root, "auto").seconds
        print(f"  full build: cold {cold:.1f} s, warm {warm:.1f} s", flush=True)
        path, clause_id, role, jurisdiction = pick_clause(root)
        port = free_port()
        url = f"http://127.0.0.1:{port}/roles/{role}/{jurisdiction}/"
        log = tmp / "serve.log"
        with log.open("w") as out:
            server = subprocess.Popen(
                [PYTHON, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                cwd=root,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def logged(line: str) -> int:
            if server.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited ({server.returncode}):\n{log.read_text()[-2000:]}")
            return log.read_text("utf-8", "replace").count(line)

        def builds() -> int:
            return logged(REBUILT)

        wait_for(lambda: logged(BUILT) >= 1 and fetch(url) is not None, START_TIMEOUT, f"{url} to be served")
        time.sleep(1)  # let the watcher settle after the first build
        loops, rebuilds = [], []
        for i in range(edits):
            marker, done = f"BENCH{os.getpid()}x{i}", builds()
            retitle(path, clause_id, marker)
            saved = time.perf_counter()
            wait_for(lambda marker=marker: marker in (fetch(url) or ""), EDIT_TIMEOUT, f"{marker} on {url}")
            loops.append(time.perf_counter() - saved)
            try:
                wait_for(lambda done=done: builds() > done, EDIT_TIMEOUT, "the rebuild to finish", 0.2)
            except RuntimeError:
                print(f"mkdocs serve's log, its end:\n{log.read_text('utf-8', 'replace')[-3000:]}", flush=True)
                raise
            rebuilds.append(time.perf_counter() - saved)
            print(
                f"  edit {i + 1}/{edits}: served after {loops[-1]:.2f} s, rebuild done after {rebuilds[-1]:.2f} s",
                flush=True,
            )
        print(f"\nedited {path.relative_to(root)} clause {clause_id}, polled /roles/{role}/{jurisdiction}/")
        print(
            table(
                ["measure", "median s", "range s"],
                [
                    ["save → page served", *spread(loops)],
                    ["save → rebuild finished", *spread(rebuilds)],
                    ["full mkdocs build, cold", f"{cold:.2f}", "1 run"],
                    ["full mkdocs build, warm", f"{warm:.2f}", "1 run"],
                ],
            )
        )
        print(ratio_line("save → served (s)", median(loops), TARGET, " s"))
        print(f"{'save → served / warm full build':<42} {median(loops) / warm:>9.2f}×")
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # the server and anything it started
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=15)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main_guard(main))
