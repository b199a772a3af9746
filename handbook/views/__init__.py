"""Page view models: what each generated page shows, already queried and linked.

One module per page type; each builds a frozen dataclass from the Index and the page's
Links (handbook.urls). No Jinja and no MkDocs here: templates only lay these out, and
tests can check them without a build.
"""
