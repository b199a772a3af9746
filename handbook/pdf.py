"""Pocket-checklist PDFs with WeasyPrint (real paged media: honours A6, embeds subset fonts).

The PDF uses the same checklist HTML as the web page and the same print stylesheet; only
a minimal HTML shell differs.

Three modes, set by ``extra.pdf`` in mkdocs.yml (``HANDBOOK_PDF`` in the environment):

- ``auto``: make the PDFs when WeasyPrint and a CJK font are here; otherwise say once what
  to install, link no PDF, and build everything else (preview and ordinary builds);
- ``require``: a missing engine or font fails the build (publishing, CI);
- ``off``: no PDFs, no links.

Rendering is the slow part of a build, so each PDF is cached under ``.cache/pdf/`` by a
hash of exactly what it renders: the HTML, the stylesheet, the font files and the engine's
version. A rebuild with no change renders nothing; missing PDFs are rendered in parallel
worker processes. WeasyPrint's output is deterministic (metadata dates are cleared), so a
cached file is byte-identical to a fresh render.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import subprocess
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

MODES = ("auto", "require", "off")
CJK_FONT = "Noto Sans CJK SC"
FONT_PACKAGE = "fonts-noto-cjk"
# Families of the print stylesheet's font stack whose files the cache key must cover.
FONT_FAMILIES = (CJK_FONT, "Noto Sans SC", "sans-serif")


@dataclass(frozen=True)
class PdfJob:
    """One PDF to produce: its path under downloads/ and the complete HTML document it renders."""

    name: str
    html: str


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"extra.pdf（环境变量 HANDBOOK_PDF）应为 auto、require 或 off，而不是“{mode}”")
    return mode


def engine_problem() -> str | None:
    """Why PDFs cannot be made here (naming what to install), or None."""
    try:
        import weasyprint  # noqa: F401
    except Exception as exc:  # ImportError, or OSError when Pango is missing
        return (
            f"PDF 引擎 WeasyPrint 无法加载（{exc.__class__.__name__}）：运行 ./hb build 重新安装依赖，"
            "或安装系统软件包 libpango-1.0-0"
        )
    if CJK_FONT not in _fc(["fc-list", ":lang=zh", "family"]):
        return (
            f"未找到中文字体 {CJK_FONT}：请安装系统软件包 {FONT_PACKAGE}"
            f"（sudo apt-get install {FONT_PACKAGE}）；否则 PDF 中的中文会消失"
        )
    return None


def _fc(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def font_files() -> list[str]:
    """The files fontconfig picks for the stylesheet's families (they decide the glyphs)."""
    return sorted({_fc(["fc-match", "--format=%{file}", family]) for family in FONT_FAMILIES} - {""})


def fingerprint(css: str) -> str:
    """Everything besides the HTML that decides a PDF's bytes."""
    import pydyf
    import weasyprint

    digest = hashlib.sha256()
    for part in (weasyprint.__version__, pydyf.__version__, css):
        digest.update(part.encode() + b"\0")
    for name in font_files():
        try:
            stat = os.stat(name)
        except OSError:
            continue
        # Path, size and modification time identify an installed font file; hashing the
        # 60 MB of CJK fonts on every build would cost more than rendering a PDF.
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def render(html: str, css: str, base_url: str) -> bytes:
    """One PDF's bytes. Fixed metadata keeps two renders of the same input identical."""
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=base_url).render(stylesheets=[CSS(string=css)])
    document.metadata.created = document.metadata.modified = None
    return document.write_pdf(uncompressed_pdf=False)


def _render_into(html: str, css: str, base_url: str, target: str) -> str:
    """Worker-process entry: render and store atomically, so a reader never sees half a file."""
    data = render(html, css, base_url)
    temp = f"{target}.{os.getpid()}.tmp"
    Path(temp).write_bytes(data)
    os.replace(temp, target)
    return target


class PdfCache:
    """Content-addressed PDF store: ``<dir>/<sha256>.pdf``."""

    def __init__(self, directory: Path, css: str, base_url: str):
        self.directory = directory
        self.css = css
        self.base_url = base_url
        self._fingerprint = fingerprint(css)

    def path(self, job: PdfJob) -> Path:
        key = hashlib.sha256(self._fingerprint.encode() + b"\0" + job.html.encode()).hexdigest()
        return self.directory / f"{key}.pdf"

    def missing(self, jobs: Iterable[PdfJob]) -> list[PdfJob]:
        return [job for job in jobs if not self.path(job).exists()]

    def render_missing(self, jobs: Iterable[PdfJob], workers: int | None = None, nice: int = 0) -> int:
        """Render every job not yet cached; return how many were rendered. ``nice`` lowers
        the workers' priority (the dev server renders in the background of an editor's saves)."""
        todo = self.missing(jobs)
        if not todo:
            return 0
        self.directory.mkdir(parents=True, exist_ok=True)
        workers = min(workers or os.cpu_count() or 1, len(todo))
        if workers == 1 and not nice:
            for job in todo:
                _render_into(job.html, self.css, self.base_url, str(self.path(job)))
            return len(todo)
        # spawn, not fork: MkDocs' dev server runs threads, and a forked child of a
        # threaded process can deadlock.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=os.nice, initargs=(nice,)
        ) as pool:
            futures = [
                pool.submit(_render_into, job.html, self.css, self.base_url, str(self.path(job))) for job in todo
            ]
            for future in futures:
                future.result()
        return len(todo)

    def install(self, jobs: Iterable[PdfJob], out_dir: Path) -> list[str]:
        """Copy the cached PDFs into the site; return the names that are not cached yet."""
        absent = []
        for job in jobs:
            cached = self.path(job)
            if cached.exists():
                (out_dir / job.name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(cached, out_dir / job.name)
            else:
                absent.append(job.name)
        return absent
