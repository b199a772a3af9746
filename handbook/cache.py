"""Load the data once per build: a memo keyed by the content hash of ``data/``.

The MkDocs hook and the macros module both need the loaded handbook; under ``mkdocs
serve`` every save rebuilds the site, and most rebuilds (a template or stylesheet edit)
leave the data unchanged. Keying on the bytes, not on modification times, means an
edit that is undone gives the cached result again and a touched-but-unchanged file
costs nothing.
"""

from __future__ import annotations

from pathlib import Path

from .load import data_version, load
from .model import Handbook
from .problems import DataError

_memo: dict[Path, tuple[str, Handbook | DataError]] = {}


def load_cached(root: Path) -> Handbook:
    """Like :func:`handbook.load`, but reuses the last result while data/ is unchanged."""
    root = Path(root).resolve()
    version = data_version(root)
    hit = _memo.get(root)
    if hit is None or hit[0] != version:
        try:
            result: Handbook | DataError = load(root)
        except DataError as exc:
            result = exc
        hit = _memo[root] = (version, result)
    if isinstance(hit[1], DataError):
        raise hit[1]
    return hit[1]
