"""The queries pages need, computed once from a loaded Handbook.

Only current documents (not superseded) feed role, jurisdiction and comparison pages;
superseded ones stay reachable through their source pages and the 新旧对照 pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import Clause, Document, Handbook, place_word

CIRCUMSTANCES = ("aggravating", "mitigating", "exemption")
COLLECTIVE_ROLES = {"committee", "commission"}


@dataclass(frozen=True)
class JurisdictionView:
    id: str
    name: str  # display name, marked when it is an identification
    short: str
    level: str
    documents: tuple[Document, ...]  # current first, then superseded

    @property
    def word(self) -> str:
        """地区, or the unit's own level (单位, 部门, 系统): "本地区的文件", "本单位的文件"."""
        return self.documents[0].jurisdiction.word


class Index:
    def __init__(self, book: Handbook):
        self.book = book
        self.clauses: dict[str, Clause] = {c.id: c for d in book.documents.values() for c in d.clauses}
        self.jurisdictions = self._jurisdictions()
        self.triggers_of_duty: dict[str, list[Clause]] = defaultdict(list)
        for clause in self.clauses.values():
            for target in clause.links:
                self.triggers_of_duty[target].append(clause)

    def _jurisdictions(self) -> dict[str, JurisdictionView]:
        grouped: dict[str, list[Document]] = defaultdict(list)
        for doc in self.book.documents.values():
            grouped[doc.jurisdiction.id].append(doc)
        views = {}
        for jid in sorted(grouped):
            docs = sorted(grouped[jid], key=lambda d: (not d.current, d.id))
            j = docs[0].jurisdiction
            name = display_name(docs[0])
            short = j.short if j.short != j.name.value else name
            views[jid] = JurisdictionView(jid, name, short, j.level, tuple(docs))
        return views

    @property
    def places(self) -> str:
        """What the jurisdictions are called where they are counted or listed together."""
        return place_word(v.level for v in self.jurisdictions.values())

    # -- basic selections ---------------------------------------------------------

    def current_clauses(self, jurisdiction: str | None = None) -> list[Clause]:
        views = [self.jurisdictions[jurisdiction]] if jurisdiction else self.jurisdictions.values()
        return [c for v in views for d in v.documents if d.current for c in d.clauses]

    def for_role(self, role: str, jurisdiction: str | None, kinds) -> list[Clause]:
        return [c for c in self.current_clauses(jurisdiction) if c.kind in kinds and role in c.roles]

    def has_content(self, role: str, jurisdiction: str) -> bool:
        return any(role in c.roles for c in self.current_clauses(jurisdiction))

    def role_jurisdictions(self, role: str) -> list[JurisdictionView]:
        return [v for v in self.jurisdictions.values() if self.has_content(role, v.id)]

    def has_accountability(self, jurisdiction: str) -> bool:
        return any(c.kind in ("trigger", "sanction") for c in self.current_clauses(jurisdiction))

    # -- accountability chain -----------------------------------------------------

    def sanctions_for(self, role: str, jurisdiction: str) -> list[Clause]:
        """Clauses stating a sanction (sanction clauses and triggers with their own) that name
        the role, or, when they name none, fit its target."""
        result = []
        for c in self.current_clauses(jurisdiction):
            if "sanction" not in c.aspects:
                continue
            target = c.sanction.target if c.sanction else None
            fits = target == "both" or (target == "collective") == (role in COLLECTIVE_ROLES)
            if role in c.roles or (not c.roles and fits):
                result.append(c)
        return result

    def sanctions_of_trigger(self, trigger: Clause, role: str | None = None) -> list[Clause]:
        """The trigger itself when it states its own sanction, then the sanctions whose
        applies_to names the trigger or the article it is in."""
        found = [trigger] if "sanction" in trigger.aspects else []
        for c in self.current_clauses(trigger.jurisdiction):
            if c.kind == "sanction" and c.sanction and (role is None or role in c.roles or not c.roles):
                if any(ref == trigger.id or trigger.id.startswith(ref + "-") for ref in c.sanction.applies_to):
                    found.append(c)
        return found

    def triggers_for_duty(self, duty: Clause) -> list[Clause]:
        return self.triggers_of_duty.get(duty.id, [])

    def circumstances_for(self, role: str, jurisdiction: str) -> list[Clause]:
        return [
            c
            for c in self.current_clauses(jurisdiction)
            if c.kind in CIRCUMSTANCES and (role in c.roles or not c.roles)
        ]

    def double_accountability(self, jurisdiction: str, role: str | None = None) -> list[Clause]:
        return [
            c
            for c in self.current_clauses(jurisdiction)
            if c.kind == "double_accountability" and (role is None or role in c.roles or not c.roles)
        ]

    def of_kind_for_role(self, kind: str, role: str, jurisdiction: str) -> list[Clause]:
        return [c for c in self.current_clauses(jurisdiction) if c.kind == kind and role in c.roles]

    # -- comparison ---------------------------------------------------------------

    def grid(self, kinds, role: str | None = None) -> dict[str, dict[str, list[Clause]]]:
        """theme -> jurisdiction -> clauses of those kinds (optionally for one role)."""
        table: dict[str, dict[str, list[Clause]]] = {t: defaultdict(list) for t in self.book.themes}
        for clause in self.current_clauses():
            if any(a in kinds for a in clause.aspects) and (role is None or role in clause.roles):
                for theme in clause.themes:
                    table[theme][clause.jurisdiction].append(clause)
        return {t: row for t, row in table.items() if row}

    def by_theme(self, clauses: list[Clause]) -> list[tuple[str, list[Clause]]]:
        groups: dict[str, list[Clause]] = defaultdict(list)
        for clause in clauses:
            groups[clause.themes[0] if clause.themes else ""].append(clause)
        order = list(self.book.themes) + [""]
        return [(t, groups[t]) for t in order if groups.get(t)]


def display_name(doc: Document) -> str:
    """Jurisdiction name as shown: identifications are marked, unknowns said plainly."""
    fact = doc.jurisdiction.name
    if fact.value is None:
        return doc.jurisdiction.short or f"未署名（原文作“{fact.as_written}”）"
    if fact.stated or fact.certainty == "确定":
        return fact.value
    return f"{fact.value}（推定）"
