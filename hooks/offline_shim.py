"""Offline build only: search from file:// uses the committed iframe-worker shim.

Material's offline plugin makes search work from disk with the ``iframe-worker`` shim,
and links it from https://unpkg.com unless ``extra.polyfills`` already names one. This
hook names the copy committed in docs/assets/vendor/iframe-worker/ (``shim/index.js``
of the npm package iframe-worker 1.0.4, MIT licence beside it; sha256
e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609), so the build needs
no network. The online build leaves ``extra.polyfills`` alone and its pages do not load it.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

SHIM = "assets/vendor/iframe-worker/shim.js"  # docs-relative


@event_priority(100)  # before the offline plugin's on_config (priority 0), which then keeps our copy
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    offline = config.plugins.get("material/offline")
    if offline is not None and offline.config.enabled:
        config.extra["polyfills"] = [*config.extra.get("polyfills", []), SHIM]
    return config
