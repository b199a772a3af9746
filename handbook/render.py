"""Templates to text: the Jinja environment of the generated pages and of the macros.

Data text is escaped by Jinja's autoescaping; glossary terms are marked by the ``terms``
filter. Templates receive view models (handbook.views) and only lay them out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from .model import Handbook, place_word

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the life of the process. Under ``mkdocs serve`` every
    save builds a new Site; without this each build would compile every template again.
    Jinja checks each entry against its template's source, so an edited template is
    compiled afresh."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


BYTECODE = MemoryBytecodeCache()


@dataclass(frozen=True)
class Rendered:
    """A generated page's front matter (YAML) and HTML body, kept apart: the body is HTML
    already, so the hook hands it to MkDocs without a Markdown pass, and a checklist's PDF
    takes the body alone."""

    front_matter: str
    body: str


class Renderer:
    """The Jinja environment of one build (the glossary terms are the book's)."""

    def __init__(self, book: Handbook):
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=BYTECODE,
        )
        self.env.filters["terms"] = self.mark_terms
        # 地区, or 地区或单位 once an issuer is not a territory: what pages count and list
        self.env.globals["places"] = place_word(d.jurisdiction.level for d in book.documents.values())
        terms = sorted({t for term in book.terms.values() for t in (term.term, *term.variants)}, key=len, reverse=True)
        self.term_of = {t: term for term in book.terms.values() for t in (term.term, *term.variants)}
        self.term_re = re.compile("|".join(map(re.escape, terms))) if terms else None

    def mark_terms(self, text: str) -> Markup:
        """Escape text and wrap glossary terms in <abbr> (Chinese has no word boundaries).

        Terms are found in the raw text and every piece is escaped on its own, so a term can
        never match inside an entity. The definition goes into ``title``, which browsers show
        as plain text; Material's ``content.tooltips`` (which re-parses titles as HTML) is off,
        and handbook.css shows the same attribute as CSS text when the term is tapped or
        focused (tabindex), never as markup."""
        if not self.term_re:
            return escape(text)
        out, last = [], 0
        for match in self.term_re.finditer(text):
            definition = self.term_of[match.group(0)].definition
            out += [
                escape(text[last : match.start()]),
                Markup('<abbr title="{}" class="hb-term" tabindex="0">{}</abbr>').format(definition, match.group(0)),
            ]
            last = match.end()
        out.append(escape(text[last:]))
        return Markup("").join(out)

    def text(self, template: str, **context: Any) -> str:
        """A template rendered to text (HTML)."""
        return self.env.get_template(template).render(**context)

    def page(self, template: str, title: str, searchable: bool = True, **context: Any) -> Rendered:
        """A generated page: the template's body and the front matter with its title."""
        body = self.text(template, title=title, **context)
        # MkDocs themes do not autoescape page.title, so the title is escaped here.
        front = f"title: {json.dumps(str(escape(title)), ensure_ascii=False)}\n"
        if not searchable:  # its text is indexed where it stands in full (the source page)
            front += "search:\n  exclude: true\n"
        return Rendered(front, body)
