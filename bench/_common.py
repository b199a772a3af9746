"""Helpers shared by the bench scripts: project copies, timed builds, medians, the report.

Every script prints the machine and date, a table of figures and each ratio next to its
target as PASS/MISS, and exits 0 whatever the figures (they are measurements, not tests;
a build that fails is an error, exit 1).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _project_helpers() -> ModuleType:
    """tests/fixtures/project.py (the tests' project-copy helper), loaded from its file:
    benchmarks copy the project exactly as the tests do, without a second copy of the rules."""
    spec = importlib.util.spec_from_file_location("project_fixture", ROOT / "tests" / "fixtures" / "project.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


copy_project = _project_helpers().copy_project

PYTHON = sys.executable
TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
PAGE = os.sysconf("SC_PAGE_SIZE")


def arguments(doc: str, runs: int = 3) -> argparse.ArgumentParser:
    """The options every script shares; callers add their own and parse."""
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("--runs", type=int, default=runs, help=f"repetitions per measurement (default {runs})")
    parser.add_argument("--quick", action="store_true", help="fast smoke run: fewer repetitions and sizes")
    return parser


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    return (
        f"{datetime.date.today().isoformat()} · nproc {os.cpu_count()} · {cpu} · "
        f"load {os.getloadavg()[0]:.1f} · Python {platform.python_version()}"
    )


def scratch(prefix: str) -> Path:
    """A temporary directory, removed by the caller (scripts use it in a try/finally)."""
    return Path(tempfile.mkdtemp(prefix=f"bench-{prefix}-"))


def fresh_copy(parent: Path, name: str = "project") -> Path:
    """A throwaway copy of this project (code, templates, docs, data) under parent."""
    return copy_project(parent / name)


@dataclass(frozen=True)
class Run:
    seconds: float
    rss_proc: int  # bytes, the largest single process (ru_maxrss via /usr/bin/time), 0 if unknown
    rss_tree: int  # bytes, the largest sampled sum over the process tree (worker pools included)
    # user + system CPU seconds of the process tree (worker pools included): on a shared
    # machine, where wall time swings with the load, the steadier measure of the work done
    cpu: float = 0.0


def _tree_rss(root_pid: int) -> int:
    """Resident bytes of root_pid and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        except (OSError, ValueError):
            continue  # the process ended meanwhile
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * PAGE
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, log: Path | None = None) -> Run:
    """Run command to completion; wall time and peak memory. Raises on a non-zero exit."""
    log = log or cwd / "bench-run.log"
    stats = cwd / "bench-time.txt"
    wrapped = [TIME, "-f", "%M", "-o", str(stats), *command] if TIME else command
    peak = 0
    with log.open("w") as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(
            wrapped, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT
        )
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode != 0:
        tail = "\n".join(log.read_text("utf-8", "replace").splitlines()[-15:])
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}) in {cwd}:\n{tail}")
    rss_proc = int(stats.read_text().split()[-1]) * 1024 if TIME else 0
    return Run(seconds, rss_proc, peak, cpu)


def knows_pdf_setting(root: Path) -> bool:
    """Whether this copy's code reads HANDBOOK_PDF (older code always makes PDFs)."""
    return any("HANDBOOK_PDF" in p.read_text("utf-8") for p in [*root.glob("hooks/*.py"), *root.glob("handbook/*.py")])


def mkdocs_build(root: Path, pdf: str | None = "auto", config: str = "mkdocs.yml", site_dir: str = "site") -> Run:
    """`python -m mkdocs build` in a project copy with HANDBOOK_PDF=pdf (None: leave it unset).

    Code that ignores HANDBOOK_PDF gets "off" emulated: fontconfig sees no fonts, so the PDF
    step only logs why it made nothing, and --no-strict keeps that warning from aborting.
    """
    command = [PYTHON, "-m", "mkdocs", "build", "--quiet", "-f", config, "--site-dir", site_dir]
    env = {} if pdf is None else {"HANDBOOK_PDF": pdf}
    if pdf == "off" and not knows_pdf_setting(root):
        no_fonts = root / "bench-no-fonts.conf"
        no_fonts.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n')
        env["FONTCONFIG_FILE"] = str(no_fonts)
        command.append("--no-strict")
    return run(command, root, env)


def drop_pdf_cache(root: Path) -> None:
    """Make the next build cold: the PDF cache lives in <project>/.cache/pdf/ (absent in older code)."""
    shutil.rmtree(root / ".cache" / "pdf", ignore_errors=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def verdict(value: float, target: float) -> str:
    return "PASS" if value <= target else "MISS"


def ratio_line(name: str, value: float, target: float, unit: str = "×") -> str:
    return f"{name:<42} {value:>9.2f}{unit:<3} target ≤ {target:g}{unit}  {verdict(value, target)}"


def table(headers: list[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain monospace table (also valid Markdown, so it can be pasted into bench/README.md)."""
    cells = [headers, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site (404.html included, as MkDocs writes it)."""
    return sorted(site.rglob("*.html"))


def mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def main_guard(body) -> int:
    """Run a script body; a failed build prints its log tail and exits 1, figures never fail."""
    try:
        body()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    # The machine is shared: the load says how much to trust the seconds above.
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (1 min), {os.getloadavg()[2]:.1f} (15 min)")
    return 0
