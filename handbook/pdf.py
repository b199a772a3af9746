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

The installed CJK font (a 20 MB collection of 65 535 glyphs per weight) is first cut to
the characters of the PDFs and of the source texts (``.cache/pdf/fonts/``, once per set of
characters, by HarfBuzz's subsetter: handbook/fontcut.py), and the PDFs take their glyphs
from that cut through ``@font-face``: same glyphs, same metrics, same pages, but
WeasyPrint's per-PDF font subsetting and compression then handle a few hundred kilobytes
instead of the whole face (a third less work per PDF, and PDFs a quarter of the size).
Counting the source texts keeps the cut when an edit paraphrases them; an edit that brings
a character found in no source and no PDF makes a new cut, and every PDF is rendered once
more.
"""

from __future__ import annotations

import copy
import ctypes
import gc
import hashlib
import importlib.metadata
import importlib.util
import multiprocessing
import os
import shutil
import subprocess
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handbook import fontcut

if TYPE_CHECKING:
    from weasyprint import Document

MODES = ("auto", "require", "off")
CJK_FONT = "Noto Sans CJK SC"
FONT_PACKAGE = "fonts-noto-cjk"
# Families of the print stylesheet's font stack whose files the cache key must cover.
FONT_FAMILIES = (CJK_FONT, "Noto Sans SC", "sans-serif")
# The family print.css names first: the cut of CJK_FONT, declared only for WeasyPrint
# (a browser printing the page does not know it and takes the next family).
SUBSET_FAMILY = "Noto Sans CJK SC Handbook"
# Weights print.css uses, with the fontconfig pattern that finds each one's file.
WEIGHTS = (("regular", 400, ""), ("bold", 700, ":bold"))
FC_WEIGHT_BOLD = 200  # fontconfig's weight scale
# Always in the cut, whatever the PDFs hold today: counters, page numbers, Latin text.
ASCII = "".join(map(chr, range(0x20, 0x7F)))
# The libraries WeasyPrint's import opens (weasyprint/text/ffi.py), by their Debian names.
ENGINE_LIBRARIES = (
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
)
BATCH = 5  # PDFs per worker task (see render_missing)
# How make_cut cuts, in the cut's file name: a new recipe makes new cuts, so a PDF cached
# with an old cut is never taken for a fresh render.
CUT_RECIPE = "all layout features, all name IDs, notdef outline"


@dataclass(frozen=True)
class PdfJob:
    """One PDF to produce: its path under downloads/ and either the complete HTML document it
    renders or, for a PDF made of others (``parts``, in order), their pages under ``title``.

    A place's booklet is its role cards one after another: laid out once for the cards and
    put together from their pages, it costs a fifth of a layout of its own, and its pages are
    the cards' pages exactly (each card keeps its own page numbers)."""

    name: str
    html: str = ""
    parts: tuple[PdfJob, ...] = ()
    title: str = ""

    def content(self) -> str:
        """What decides this PDF's bytes, besides the stylesheet and the engine."""
        if not self.parts:
            return self.html
        return "\0".join(("parts", self.title, *(part.content() for part in self.parts)))


@dataclass(frozen=True)
class FontCut:
    """One weight of the CJK font cut to ``text``; ``path`` is named by a hash of its inputs."""

    weight: int
    source: str
    index: int  # the face within a .ttc collection
    text: str
    path: Path

    def face(self) -> str:
        return (
            f'@font-face {{ font-family: "{SUBSET_FAMILY}"; font-weight: {self.weight}; '
            f'src: url("{self.path.as_uri()}"); }}\n'
        )


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"extra.pdf（环境变量 HANDBOOK_PDF）应为 auto、require 或 off，而不是“{mode}”")
    return mode


def engine_problem() -> str | None:
    """Why PDFs cannot be made here (naming what to install), or None.

    Found without importing WeasyPrint (half a second of every build, which the worker
    processes pay anyway): the package is installed and the libraries its import opens load."""
    missing = "WeasyPrint" if importlib.util.find_spec("weasyprint") is None else None
    for library in () if missing else ENGINE_LIBRARIES:
        try:
            ctypes.CDLL(library)
        except OSError:
            missing = library
            break
    if missing:
        return (
            f"PDF 引擎 WeasyPrint 无法加载（缺少 {missing}）：运行 ./hb build 重新安装依赖，"
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


def font_cuts(jobs: Iterable[PdfJob], css: str, directory: Path, extra_chars: str = "") -> list[FontCut]:
    """The cuts of the installed CJK font that cover every character of these PDFs (and
    of ``extra_chars``).

    A weight whose file fontconfig cannot find (or finds only as a lighter face) gets no
    cut: its text keeps coming from the installed fonts, as before."""
    chars = set(ASCII) | set(css) | set(extra_chars)
    for job in jobs:
        chars.update(job.content())
    text = "".join(sorted(chars))
    recipe = f"{CUT_RECIPE}\0{cutter()}"
    cuts = []
    for name, weight, pattern in WEIGHTS:
        found = _fc(["fc-match", "--format=%{file}\t%{index}\t%{weight}\t%{family}", CJK_FONT + pattern]).split("\t")
        if len(found) != 4 or CJK_FONT not in found[3]:
            continue
        source, index, fc_weight = found[0], int(found[1] or 0), int(float(found[2] or 0))
        if weight >= 700 and fc_weight < FC_WEIGHT_BOLD:
            continue  # no bold face: the installed fonts (and Pango's emboldening) stay in charge
        try:
            stat = os.stat(source)
        except OSError:
            continue
        key = hashlib.sha256(
            f"{recipe}\0{source}\0{stat.st_size}\0{stat.st_mtime_ns}\0{index}\0{text}".encode()
        ).hexdigest()
        cuts.append(FontCut(weight, source, index, text, directory / f"{key[:32]}-{name}.otf"))
    return cuts


def cutter() -> str:
    """What cuts the fonts here, with its version: HarfBuzz's subsetter, or fontTools where
    libharfbuzz-subset is missing."""
    if fontcut.available():
        return f"harfbuzz {fontcut.version()}"
    from fontTools import version as fonttools_version

    return f"fontTools {fonttools_version}"


def make_cut(cut: FontCut) -> str:
    """Write the cut font. All layout features stay, so text shapes as with the whole font;
    the cut is deterministic for the same inputs."""
    if fontcut.available():
        data = fontcut.cut(cut.source, cut.index, cut.text)
    else:
        data = _fonttools_cut(cut)
    cut.path.parent.mkdir(parents=True, exist_ok=True)
    _store(data, str(cut.path))
    return str(cut.path)


def _fonttools_cut(cut: FontCut) -> bytes:
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    # The whole face's bounding boxes stay (they still bound every kept glyph): recomputing
    # them draws each kept glyph and was half the cut's time.
    font = TTFont(cut.source, fontNumber=cut.index, lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    options = subset.Options(layout_features=["*"], name_IDs=["*"], notdef_outline=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=cut.text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def fingerprint(css: str) -> str:
    """Everything besides the HTML that decides a PDF's bytes."""
    digest = hashlib.sha256()
    for part in (importlib.metadata.version("weasyprint"), importlib.metadata.version("pydyf"), css):
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


def render(job: PdfJob, css: str, base_url: str) -> bytes:
    """One PDF's bytes. Fixed metadata keeps two renders of the same input identical."""
    renderer = _Renderer(css, base_url)
    try:
        return renderer.render(job)
    finally:
        del renderer
        gc.collect()  # its temporary font folder goes now, not at interpreter exit (see below)


class _Renderer:
    """The stylesheet parsed, and its fonts loaded, once for several PDFs. WeasyPrint's
    FontConfiguration copies the @font-face files into a temporary folder that it removes
    when it is collected: a renderer lives for one batch, never to the end of a process."""

    def __init__(self, css: str, base_url: str):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.fonts = FontConfiguration()
        self.stylesheet = CSS(string=css, font_config=self.fonts)
        self.base_url = base_url

    def layout(self, html: str) -> Document:
        from weasyprint import HTML

        return HTML(string=html, base_url=self.base_url).render(stylesheets=[self.stylesheet], font_config=self.fonts)

    def render(self, job: PdfJob, store: dict[str, str] | None = None) -> bytes:
        """The job's bytes. A job made of parts lays them out here; ``store`` (part name ->
        file) also writes those parts' own PDFs from that layout."""
        if not job.parts:
            return self.write(self.layout(job.html))
        documents = [self.layout(part.html) for part in job.parts]
        for part, document in zip(job.parts, documents):
            if store and part.name in store:
                _store(self.write(document), store[part.name])
        combined = documents[0].copy([page for document in documents for page in document.pages])
        combined.metadata = copy.copy(combined.metadata)  # copy() shares the first part's metadata
        combined.metadata.title = job.title
        return self.write(combined)

    @staticmethod
    def write(document: Document) -> bytes:
        document.metadata.created = document.metadata.modified = None
        return document.write_pdf(uncompressed_pdf=False)


def _store(data: bytes, target: str) -> None:
    """Write atomically, so that a reader never sees half a file."""
    temp = f"{target}.{os.getpid()}.tmp"
    Path(temp).write_bytes(data)
    os.replace(temp, target)


def _render_into(batch: list[tuple[PdfJob, str, dict[str, str]]], css: str, base_url: str) -> int:
    """Worker-process entry: render each job into its file (and, for a job made of parts,
    the parts named in its dict into theirs)."""
    renderer = _Renderer(css, base_url)
    try:
        for job, target, parts in batch:
            _store(renderer.render(job, parts), target)
    finally:
        # The font configuration sits in reference cycles, and a pool worker exits without a
        # final collection: collect now, so that its temporary font folder is removed.
        del renderer
        gc.collect()
    return len(batch)


class PdfCache:
    """Content-addressed PDF store for one build's jobs: ``<dir>/<sha256>.pdf``, and the
    font cuts they use under ``<dir>/fonts/``. ``extra_chars``: characters the cut covers
    besides the PDFs' own (the source texts)."""

    def __init__(self, directory: Path, css: str, base_url: str, jobs: Iterable[PdfJob], extra_chars: str = ""):
        self.directory = directory
        self.jobs = list(jobs)
        self.fonts = font_cuts(self.jobs, css, directory / "fonts", extra_chars)
        self.css = "".join(cut.face() for cut in self.fonts) + css
        self.base_url = base_url
        self._fingerprint = fingerprint(self.css)
        self._stop = threading.Event()

    def path(self, job: PdfJob) -> Path:
        key = hashlib.sha256(self._fingerprint.encode() + b"\0" + job.content().encode()).hexdigest()
        return self.directory / f"{key}.pdf"

    def missing(self) -> list[PdfJob]:
        return [job for job in self.jobs if not self.path(job).exists()]

    def make_cuts(self) -> None:
        for cut in self.fonts:
            if not cut.path.exists():
                make_cut(cut)

    def render_one(self, job: PdfJob) -> bytes:
        """A fresh render of one job, in this process (what the cache must equal)."""
        self.make_cuts()
        return render(job, self.css, self.base_url)

    def cancel(self) -> None:
        """Make a running render_missing stop after the PDFs in progress."""
        self._stop.set()

    def render_missing(self, workers: int | None = None, nice: int = 0) -> int:
        """Render every job not yet cached; return how many were rendered. ``nice`` lowers
        the workers' priority (the dev server renders in the background of an editor's saves)."""
        missing = self.missing()
        if not missing:
            return 0
        tasks = self._tasks(missing)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.make_cuts()  # every PDF needs every cut (HarfBuzz: hundredths of a second)
        workers = min(workers or os.cpu_count() or 1, len(tasks))
        if workers == 1 and not nice:
            for task in tasks:
                if self._stop.is_set():
                    break
                _render_into([task], self.css, self.base_url)
            return len(missing) - len(self.missing())
        # spawn, not fork: MkDocs' dev server runs threads, and a forked child of a
        # threaded process can deadlock.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=os.nice, initargs=(nice,)
        ) as pool:
            # Batches of about BATCH PDFs share a parsed stylesheet and font configuration;
            # dealt out in turn, so each mixes long and short documents.
            count = max(workers, -(-len(tasks) // BATCH))
            batches = [tasks[i::count] for i in range(count)]
            futures = [pool.submit(_render_into, batch, self.css, self.base_url) for batch in batches]
            for future in futures:
                if self._stop.is_set():
                    pool.shutdown(cancel_futures=True)
                    break
                future.result()
        return len(missing) - len(self.missing())

    def _tasks(self, missing: list[PdfJob]) -> list[tuple[PdfJob, str, dict[str, str]]]:
        """(job, file, {part: file}) for each missing PDF: a job made of parts writes its
        missing parts from its own layout of them, so those are not laid out again.
        Longest first, so that the last PDF to start is a short one and the workers finish together."""
        names = {job.name for job in missing}
        by_parts = {part.name for job in missing for part in job.parts}
        tasks = [
            (job, str(self.path(job)), {part.name: str(self.path(part)) for part in job.parts if part.name in names})
            for job in missing
            if job.name not in by_parts
        ]
        return sorted(tasks, key=lambda task: len(task[0].content()), reverse=True)

    def install(self, out_dir: Path) -> list[str]:
        """Copy the cached PDFs into the site; return the names that are not cached yet."""
        absent = []
        for job in self.jobs:
            cached = self.path(job)
            if cached.exists():
                (out_dir / job.name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(cached, out_dir / job.name)
            else:
                absent.append(job.name)
        return absent
