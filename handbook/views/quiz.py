"""学习会测验: a quiz as a web page (answers open on tap) or as the body of its PDF.

The questions are handbook.quiz's; this numbers them across the two groups (choices, then
fill-ins), words each answer's citation and adds the links (none on paper).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..index import Index
from ..quiz import LETTERS, Question, Quiz
from ..urls import Links
from .common import Link
from .currency import DocStatus, statuses

# Headings, in print order, and whether the group holds the fill-ins.
GROUPS = (("一、选择题（每题只有一个正确答案）", False), ("二、填空题（写出横线处的原文）", True))


@dataclass(frozen=True)
class Choice:
    letter: str
    text: str


@dataclass(frozen=True)
class Item:
    number: int  # counted across the groups; the answer key uses the same numbers
    question: Question
    choices: tuple[Choice, ...]
    cite: str  # the clause the answer rests on: its locator, after its document where the place has several
    cite_href: str | None  # that clause on its source page; None on paper


@dataclass(frozen=True)
class Group:
    heading: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class QuizPage:
    title: str
    quiz: Quiz
    paper: str | None  # "a6"/"a4": the PDF's body; None: the web page
    pdfs: tuple[Link, ...]  # paper label and file, when this build makes the PDFs
    checklist_href: str
    currency: tuple[DocStatus, ...]  # of the place's current documents
    groups: tuple[Group, ...]  # those with questions
    only_document: str | None  # the place's one document, named once in the key; None with several

    @property
    def items(self) -> tuple[Item, ...]:
        """Every question in order (the answer key)."""
        return tuple(i for g in self.groups for i in g.items)


def quiz_page(ix: Index, links: Links, q: Quiz, paper: str | None, pdfs: dict[str, str]) -> QuizPage:
    """``pdfs``: paper -> file under downloads/ of this quiz's PDFs in this build."""
    several = len(q.documents) > 1
    groups, number = [], 0
    for heading, blanks in GROUPS:
        items = []
        for question in (x for x in q.questions if (x.kind == "blank") == blanks):
            number += 1
            c = question.clause
            items.append(
                Item(
                    number,
                    question,
                    tuple(Choice(letter, text) for letter, text in zip(LETTERS, question.choices, strict=False)),
                    (f"《{ix.book.documents[c.document].short_title}》" if several else "") + c.locator,
                    None if paper else links.clause(c),
                )
            )
        if items:
            groups.append(Group(heading, tuple(items)))
    return QuizPage(
        title=f"学习会测验：{q.running}",
        quiz=q,
        paper=paper,
        pdfs=tuple(Link(p.upper(), links.file(f"downloads/{name}")) for p, name in pdfs.items()),
        checklist_href=links.to(urls.checklist(q.jurisdiction, q.role.id)),
        currency=statuses(links, [d for d in ix.jurisdictions[q.jurisdiction].documents if d.current]),
        groups=tuple(groups),
        only_document=q.documents[0] if len(q.documents) == 1 else None,
    )
