"""What a pocket card shows: one role's duties, red lines and sanctions in one place.

A view model for templates/checklist.md.j2 (web page and A6 PDF share it): the sections
in print order, each item with its whole title, and the text the printed card repeats at
the top of every page after the first (role · place). Templates only lay this out.
"""

from __future__ import annotations

from dataclasses import dataclass

from .index import Index, JurisdictionView
from .model import Clause, Document, Role
from .views.common import Ladder, ladder


@dataclass(frozen=True)
class Item:
    clause: Clause
    action: str  # the clause's key action, "" when it would only repeat the title
    when: str  # its time rules, joined
    tag: str  # kind label where a section mixes kinds, else ""
    ladder: Ladder | None = None  # in the sanctions section: the clause's measures by severity


@dataclass(frozen=True)
class Section:
    slug: str  # CSS hook: duties, redlines, sanctions, circumstances, double
    heading: str
    items: tuple[Item, ...]
    empty: str  # said instead of items; "" means the section is left out when empty
    checkbox: bool = False  # a ☐ before each item (things to do)
    ladders: bool = False  # each item carries its sanction ladder


@dataclass(frozen=True)
class Card:
    role: Role
    place: str
    running: str  # repeated on every printed page after the first: "主要负责人 · 浙江省义乌市"
    documents: tuple[str, ...]  # each source document, named once, the same way everywhere
    sections: tuple[Section, ...]


def document_name(doc: Document) -> str:
    """The one name a card uses for a document: its full title and number (its date is on
    the status line below it, with what that date is)."""
    parts = [f"《{doc.title.value or doc.short_title}》"]
    for fact in (doc.number,):
        if fact.value:
            parts.append(fact.value + ("" if fact.stated else "（推定）"))
    return " ".join(parts)


def item(clause: Clause, tag: str = "") -> Item:
    action = clause.key_action
    return Item(clause, "" if action == clause.title else action, "；".join(t.phrase for t in clause.time), tag)


def no_redlines(ix: Index, role: Role, view: JurisdictionView) -> str:
    """What the red-line section says when the documents name none for the role: the
    roles it also is one of (``is_also``) and have red lines here are pointed to."""
    if not ix.has_accountability(view.id):
        return f"本{view.word}的文件没有责任追究条文。"
    also = [ix.book.roles[r].short for r in role.is_also if ix.for_role(r, view.id, ["trigger"])]
    if also:
        names = "、".join(also)
        return f"本{view.word}的文件未单独规定{role.short}的追究情形；{role.short}也属于{names}，见{names}清单的红线。"
    return f"本{view.word}的文件未单独规定{role.short}的追究情形。"


def card(ix: Index, role: Role, view: JurisdictionView) -> Card:
    duties = ix.for_role(role.id, view.id, ["duty"])
    triggers = ix.for_role(role.id, view.id, ["trigger"])
    sections = [
        Section(
            "duties",
            "职责清单",
            tuple(item(c) for c in duties),
            f"本{view.word}的文件未单独列出{role.short}的职责。",
            checkbox=True,
        ),
        Section(
            "redlines",
            "红线：可被追究的情形",
            # a trigger stating its own sanction is listed again, with its ladder, under 追究方式
            tuple(Item(c, "", "", "含追究方式" if c.sanction else "") for c in triggers),
            no_redlines(ix, role, view),
        ),
        Section(
            "sanctions",
            "追究方式",
            tuple(Item(c, "", "", "", ladder(ix.book, c)) for c in ix.sanctions_for(role.id, view.id)),
            "",
            ladders=True,
        ),
        Section(
            "circumstances",
            "从重、从轻与免责",
            tuple(Item(c, "", "", c.kind_label) for c in ix.circumstances_for(role.id, view.id)),
            "",
        ),
        Section(
            "double", "一案双查", tuple(Item(c, "", "", "") for c in ix.double_accountability(view.id, role.id)), ""
        ),
    ]
    documents = tuple(document_name(d) for d in view.documents if d.current)
    return Card(
        role, view.name, f"{role.short} · {view.name}", documents, tuple(s for s in sections if s.items or s.empty)
    )
