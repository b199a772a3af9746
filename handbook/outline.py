"""A generated page's outline: its h2/h3 headings, for the table of contents, and their permalinks.

Generated bodies are our templates' HTML and never pass through Markdown, so MkDocs knows
none of their headings. The templates give every h2/h3 an id; this reads them back from
the rendered body (the one place that sees every page type's headings, whatever view
produced them) and adds the ``¶`` permalink Material styles as ``.headerlink``. Deeper
headings stay out, so the contents stay short on a phone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from markupsafe import Markup

from .render import Renderer

LEVELS = {"h2": 2, "h3": 3}


@dataclass(frozen=True)
class Heading:
    level: int  # 2 or 3
    id: str
    title: str  # plain text


class _Headings(HTMLParser):
    """Headings with an id: their level, id and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Heading] = []
        self._open: tuple[str, str, list[str]] | None = None  # tag, id, text so far
        self._hidden = 0  # depth inside an editorial marker (hb-ed), not part of the title
        self._labelled = False  # the open heading has a data-toc-label

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in LEVELS and values.get("id") and self._open is None:
            # A heading may name itself more fully for the contents (a booklet's
            # "党委书记：职责"), as Python-Markdown's toc extension allows.
            label = values.get("data-toc-label")
            self._open = (tag, values["id"] or "", [label] if label else [])
            self._labelled = bool(label)
        elif self._open is not None and (self._hidden or "hb-ed" in (values.get("class") or "").split()):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if self._open is None:
            return
        if self._hidden:
            self._hidden -= 1
        elif tag == self._open[0]:
            name, anchor, text = self._open
            title = " ".join("".join(text).split())
            self.found.append(Heading(LEVELS[name], anchor, title))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None and not self._hidden and not self._labelled:
            self._open[2].append(data)


# Where a heading may start: the parser reads only from here to the heading's end tag (a
# page's body is mostly clauses; parsing all of it was a fifth of a warm build). Data text
# cannot fake one: the templates escape "<" in it.
_HEADING_START = re.compile(r"<(h[23])[\s>]")


def outline(body: str) -> tuple[str, list[Heading]]:
    """The body with a permalink in each h2/h3 that has an id, and those headings in order."""
    found: list[tuple[Heading, int]] = []  # and where its end tag starts
    for start in _HEADING_START.finditer(body):
        close = f"</{start.group(1)}>"
        end = body.find(close, start.end())
        if end == -1:
            continue
        parser = _Headings()  # fed this heading alone, so what it finds ends at ``end``
        parser.feed(body[start.start() : end + len(close)])
        parser.close()
        found += [(heading, end) for heading in parser.found]
    out, last = [], 0
    for heading, at in found:
        link = Markup('<a class="headerlink" href="#{}" title="本节的链接">¶</a>').format(heading.id)
        out += [body[last:at], str(link)]
        last = at
    out.append(body[last:])
    return "".join(out), [h for h, _ in found]


def toc_tokens(headings: list[Heading]) -> list[dict]:
    """The headings nested as MkDocs' ``get_toc`` takes them (h3 under the h2 before it)."""
    tokens: list[dict] = []
    for h in headings:
        token = {"level": h.level, "id": h.id, "name": str(Markup.escape(h.title)), "children": []}
        if h.level == 3 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens


def web_body(body: str, renderer: Renderer) -> tuple[str, list[Heading]]:
    """A generated page's body as the web shows it: with permalinks, and the contents at
    the top for phones (templates/_toc.html.j2); and its headings for MkDocs' ``page.toc``.
    The PDFs take the body without either."""
    body, headings = outline(body)
    return renderer.text("_toc.html.j2", headings=headings) + body, headings
