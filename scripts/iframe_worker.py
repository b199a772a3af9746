"""The iframe-worker shim for the offline build, from the pinned npm package.

Material's offline plugin makes search work from file:// with the ``iframe-worker``
shim, but links it from https://unpkg.com unless ``extra.polyfills`` names a local copy.
This module gets that local copy the ordinary way: ``npm pack iframe-worker@PINNED``
into a cache, check the tarball against the pinned sha512 integrity, and extract
``shim/index.js`` (and the package's LICENSE) into docs/assets/vendor/iframe-worker/
(ignored by git; a .gitignore is written there).

Used two ways:

* as an MkDocs hook (listed under ``hooks:`` in mkdocs.yml): when the offline plugin
  is enabled (``python -m handbook build --offline``), fetch the shim if needed and put
  the local file in place of the unpkg URL. The default (online) build does nothing
  here and never needs npm.
* as a script: ``python scripts/iframe_worker.py`` fetches it ahead of time (e.g. in CI
  or before going offline).

To upgrade: change VERSION and INTEGRITY (``npm view iframe-worker@X dist.integrity``).
"""
from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "iframe-worker"
VERSION = "1.0.4"
INTEGRITY = "sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q=="
FILES = {"package/shim/index.js": "shim.js", "package/LICENSE": "LICENSE"}

ROOT = Path(__file__).resolve().parent.parent
VENDOR = "assets/vendor/iframe-worker"  # docs-relative
REMOTE = "https://unpkg.com/iframe-worker/shim"  # what the offline plugin would inject

log = logging.getLogger("mkdocs.hooks.iframe_worker")


class FetchError(Exception):
    pass


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "handbook" / "npm"


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def tarball() -> bytes:
    """The verified package tarball, from the cache or freshly packed by npm."""
    cache = cache_dir()
    path = cache / f"{PACKAGE}-{VERSION}.tgz"
    if path.is_file() and integrity_of(path.read_bytes()) == INTEGRITY:
        return path.read_bytes()
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError(f"离线版需要 {PACKAGE}@{VERSION}，但找不到 npm。请安装 Node.js/npm 后重试，"
                         f"或把已校验的 {path.name} 放到 {cache}/。")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        result = subprocess.run([npm, "pack", f"{PACKAGE}@{VERSION}", "--silent", "--pack-destination", tmp],
                                capture_output=True, text=True, timeout=300)
        packed = Path(tmp) / f"{PACKAGE}-{VERSION}.tgz"
        if result.returncode != 0 or not packed.is_file():
            raise FetchError(f"npm pack {PACKAGE}@{VERSION} 失败：{result.stderr.strip()[-800:]}")
        data = packed.read_bytes()
        if integrity_of(data) != INTEGRITY:
            raise FetchError(f"{PACKAGE}@{VERSION} 的校验值不符（得到 {integrity_of(data)}），拒绝使用。")
        os.replace(packed, path)
    return data


def fetch(docs_dir: Path = ROOT / "docs") -> Path:
    """Make sure docs/assets/vendor/iframe-worker/shim.js is the pinned file; return it."""
    target = docs_dir / VENDOR
    stamp = target / ".integrity"
    shim = target / "shim.js"
    if shim.is_file() and stamp.is_file() and stamp.read_text().strip() == INTEGRITY:
        return shim
    data = tarball()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        contents = {name: tar.extractfile(name).read() for name in FILES}  # type: ignore[union-attr]
    target.mkdir(parents=True, exist_ok=True)
    (target.parent / ".gitignore").write_text("# Fetched by scripts/iframe_worker.py; not committed.\n*\n")
    for name, out in FILES.items():
        (target / out).write_bytes(contents[name])
    stamp.write_text(INTEGRITY + "\n")
    return shim


# -- MkDocs hook ----------------------------------------------------------------------

def _offline_enabled(config) -> bool:
    for name, plugin in config.plugins.items():
        if name.endswith("offline") and getattr(plugin, "config", {}).get("enabled"):
            return True
    return False


def on_config(config):
    """Runs after the offline plugin's on_config (hooks come after plugins)."""
    if not _offline_enabled(config):
        return config
    from mkdocs.exceptions import PluginError

    try:
        fetch(Path(config.docs_dir))
    except FetchError as exc:
        raise PluginError(str(exc)) from None
    polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
    config.extra["polyfills"] = [*polyfills, f"{VENDOR}/shim.js"]
    return config


if __name__ == "__main__":
    try:
        print(fetch())
    except FetchError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
