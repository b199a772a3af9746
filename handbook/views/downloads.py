"""下载: the dataset files and every checklist with its PDF."""
from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..index import Index, JurisdictionView
from ..urls import Links


@dataclass(frozen=True)
class Checklist:
    label: str
    href: str
    pdf_href: str | None  # None when this build makes no PDF of it


@dataclass(frozen=True)
class JurisdictionChecklists:
    view: JurisdictionView
    checklists: tuple[Checklist, ...]  # each role with content, then the booklet of all


@dataclass(frozen=True)
class DownloadsPage:
    title: str
    version: str
    json_href: str
    csv_href: str
    jurisdictions: tuple[JurisdictionChecklists, ...]


def downloads_page(ix: Index, links: Links, checklists: list[tuple[str, str | None]],
                   pdfs: dict[tuple[str, str | None], str]) -> DownloadsPage:
    """``checklists``: (jurisdiction, role or None) of every checklist, in page order;
    ``pdfs``: the PDF file name of those that have one in this build."""
    def entry(jurisdiction: str, role: str | None) -> Checklist:
        pdf = pdfs.get((jurisdiction, role))
        return Checklist(ix.book.roles[role].short if role else "全部角色合订本", links.to(urls.checklist(jurisdiction, role)),
                         links.file(urls.checklist_pdf(pdf)) if pdf else None)

    return DownloadsPage("下载", ix.book.version, links.file(urls.DATA_JSON), links.file(urls.DATA_CSV), tuple(
        JurisdictionChecklists(v, tuple(entry(j, r) for j, r in checklists if j == v.id))
        for v in ix.jurisdictions.values()))
