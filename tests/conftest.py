"""Shared fixtures: the loaded data, one built site per test session, a local server
and a Chromium browser (Debian's, driven by Playwright).

In CI (CI=true) a missing browser or PDF tool is a failure, never a skip.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from fixtures.project import copy_project
from handbook.pdf import PdfJob

# The project whose data the tests read and build; HANDBOOK_ROOT points them at another
# checkout or a copy with more data (tests/test_fixture_unit.py), since tests follow the data.
ROOT = Path(os.environ.get("HANDBOOK_ROOT") or Path(__file__).resolve().parent.parent).resolve()
ARTIFACTS = ROOT / "test-artifacts"
# Debian's Chromium, its headless build (package chromium-headless-shell) preferred: the same
# Blink as the browser, at a sixth less CPU per page and a half less per print (measured:
# bench/README.md); the full browser, run headless, where only it is installed.
CHROMIUM = next(
    (path for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium") if Path(path).exists()),
    "/usr/bin/chromium-headless-shell",
)
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, what: str) -> None:
    """Skip locally, fail in CI, when a system tool is missing."""
    if not condition:
        if IN_CI:
            pytest.fail(f"{what} is missing in CI (install it in .ci/run)")
        pytest.skip(f"{what} is not installed")


def pytest_collection_modifyitems(config, items):
    """Modules with a ``slow`` or ``browser`` test run first, the quick ones after them.

    Under ``--dist loadfile`` xdist hands out whole modules in collection order (pyproject
    turns off its reordering by number of tests, which put one-test modules such as
    test_serve last): a long module handed out last keeps one core busy while the other
    has nothing left. Quick modules at the end fill both cores until the run ends.

    Within each group, modules that do not use the shared site come first: the first
    workers build their own project copies while one of them builds the shared site,
    instead of waiting on its lock with a core idle."""
    heavy = {item.path for item in items if item.get_closest_marker("slow") or item.get_closest_marker("browser")}
    shared = {item.path for item in items if "site" in item.fixturenames}
    # stable: file and test order kept within each group
    items.sort(key=lambda item: (item.path not in heavy, item.path in shared))


@pytest.fixture(scope="session")
def book():
    from handbook import load

    return load(ROOT)


@pytest.fixture(scope="session")
def index(book):
    from handbook.index import Index

    return Index(book)


# PDFs are the slow part of a build: only the shared site (and the tests about PDFs) make
# them. In CI they are required; locally they are made when the engine and a CJK font are
# installed, and the print tests skip otherwise.
# HANDBOOK_TEST_PDF=off: a run of these tests against a project copy (tests/test_fixture_unit.py)
# does not render the PDFs again.
PDFS = "require" if IN_CI else os.environ.get("HANDBOOK_TEST_PDF", "auto")
# One PDF cache for every build, the project's own (.cache/pdf, keyed by content, so sharing
# is safe): a project copy with unchanged cards takes its PDFs from there, and a second test
# run renders none.
os.environ.setdefault("HANDBOOK_CACHE_DIR", str(ROOT / ".cache"))
# Any other build a test starts (a copy, a server, an interrupted build) makes no PDFs
# unless the test asks for them.
os.environ.setdefault("HANDBOOK_PDF", "off")


def build_site(root: Path, site_dir: Path, pdf: str = "off", env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m handbook build`` of a project (copy); no PDFs unless asked for."""
    return subprocess.run(
        [sys.executable, "-m", "handbook", "build", "--root", str(root), "--site-dir", str(site_dir)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "HANDBOOK_PDF": pdf, **(env or {})},
    )


def check_project(root: Path) -> subprocess.CompletedProcess:
    """``python -m handbook check`` of a project (copy), as an editor runs it."""
    return subprocess.run(
        [sys.executable, "-m", "handbook", "check", "--root", str(root)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site built once from the shipped data, PDFs included (HANDBOOK_SITE reuses a build).

    Under pytest-xdist every worker has its own session: the first to get here builds into
    the run's shared folder, the others wait on the lock and reuse it."""
    if os.environ.get("HANDBOOK_SITE"):
        return Path(os.environ["HANDBOOK_SITE"])
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / "shared-site"
    with open(shared / "shared-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "index.html").is_file():
            result = build_site(ROOT, out, pdf=PDFS)
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def pdfs_built(site: Path) -> list[Path]:
    """The checklist PDFs of a build; the print tests need them (a failure in CI)."""
    found = sorted((site / "downloads" / "checklists").glob("*.pdf"))
    require(bool(found), "PDFs (WeasyPrint with the fonts-noto-cjk font)")
    return found


def pdf_jobs_as_built(root: Path) -> dict[str, PdfJob]:
    """PDF path under downloads/ -> the job a build of ``root`` renders into it: the Site made
    from the project's mkdocs.yml as the hook makes it (URL style, site_url, PDFs on)."""
    from mkdocs.config import load_config

    from handbook import load
    from handbook.index import Index
    from handbook.pages import Site

    config = load_config(str(root / "mkdocs.yml"))
    site = Site(Index(load(root)), config.use_directory_urls, True, config.site_url or "")
    return {job.name: job for job in site.pdf_jobs()}


def pdf_cache_as_built(root: Path, directory: Path):
    """A PdfCache in ``directory`` of the PDF jobs a build of ``root`` makes, exactly as the
    hook makes it (same jobs, same font cut: the PDFs' and the sources' characters)."""
    from handbook import load
    from handbook.pdf import PdfCache

    docs = root / "docs"
    jobs = pdf_jobs_as_built(root).values()
    sources = "".join(document.source_text for document in load(root).documents.values())
    return PdfCache(directory, (docs / "assets" / "print.css").read_text("utf-8"), str(docs), jobs, sources)


@pytest.fixture(scope="session")
def fresh_pdfs(tmp_path_factory):
    """The project's PdfCache in a new empty folder: its ``render_one`` is a fresh render
    from scratch, font cut included, which a built PDF must equal byte for byte."""
    return pdf_cache_as_built(ROOT, tmp_path_factory.mktemp("fresh-pdf"))


@pytest.fixture(scope="session")
def no_fonts(tmp_path_factory) -> dict[str, str]:
    """Environment in which fontconfig sees no font at all, as on a fresh machine."""
    folder = tmp_path_factory.mktemp("nofonts")
    (folder / "fonts.conf").write_text(
        f'<?xml version="1.0"?>\n<fontconfig><cachedir>{folder}/cache</cachedir></fontconfig>\n', "utf-8"
    )
    return {"FONTCONFIG_FILE": str(folder / "fonts.conf")}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    """Serve the built site on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists(), "Chromium (chromium-headless-shell)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@functools.cache
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def axe_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each.
    Only violations are collected (``resultTypes``): the passing nodes axe otherwise lists,
    serialised to Python, were half of each run's time on a long page."""
    out = []
    for v in _axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]:
        if v["impact"] in ("serious", "critical"):
            targets = [", ".join(map(str, n["target"])) for n in v["nodes"][:5]]
            out.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']} — {targets}")
    return out


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throwaway copy of the project (data, code, templates, docs) to break on purpose."""
    return copy_project(tmp_path / "project")


def pdf_tool(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} (poppler-utils)")
    return path
