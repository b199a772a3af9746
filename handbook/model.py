"""Typed records of the handbook's domain: documents, clauses and vocabularies.

Plain frozen dataclasses with no behaviour beyond derived text, so that templates,
exports and tests all read the same shapes. Nothing here knows about YAML or MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KIND_LABELS = {
    "duty": "职责",
    "trigger": "追究情形",
    "sanction": "追究方式",
    "aggravating": "从重情节",
    "mitigating": "从轻减轻情节",
    "exemption": "免予追究",
    "double_accountability": "一案双查",
    "procedure": "程序",
    "system": "保障制度",
    "principle": "原则",
    "definition": "定义",
    "scope": "适用范围",
    "basis": "制定依据",
    "lead_in": "条款导语",
    "supplementary": "附则",
    "preamble": "前言",
    "commentary": "编者按",
    "heading": "标题",
}

# A checklist line shows at most about two A6 lines of a clause's first sentence.
KEY_ACTION_CHARS = 40

# "base" is the step a ladder states with no severity at all ("…的，给予批评教育；情节较重的，…"):
# its label says so rather than calling it 情节较轻, which the text does not say.
SEVERITY_LABELS = {
    "base": "未写明情节",
    "minor": "情节较轻",
    "serious": "情节较重",
    "grave": "情节严重",
    "criminal": "涉嫌犯罪",
    "any": "不分情节",
}


@dataclass(frozen=True)
class Fact:
    """A metadata value, either stated by the source or identified by an editor."""

    value: str | None
    stated: bool
    as_written: str | None = None
    basis: str | None = None
    certainty: str | None = None


# Issuers that are a territory's Party committee; any other level (单位, 部门, 系统) is a body
# that is not a territory, and pages then count "地区或单位" rather than "地区".
TERRITORIAL_LEVELS = ("省", "地级市", "县级市", "区", "县", "未知")


def place_word(levels) -> str:
    """What a set of issuers is called on pages: 地区, or 地区或单位 once any is not a territory."""
    return "地区" if all(level in TERRITORIAL_LEVELS for level in levels) else "地区或单位"


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    name: Fact
    level: str
    short: str

    @property
    def territorial(self) -> bool:
        return self.level in TERRITORIAL_LEVELS

    @property
    def word(self) -> str:
        """How this issuer is referred to ("本地区的文件", "本单位的文件")."""
        return "地区" if self.territorial else self.level


@dataclass(frozen=True)
class Role:
    id: str
    label: str
    short: str
    description: str
    aliases: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()  # collective roles whose duties this one leads as 第一责任人
    is_also: tuple[str, ...] = ()  # roles this person is also one of (their accountability applies too)


@dataclass(frozen=True)
class Actor:
    id: str
    label: str


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    definition: str


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    target: str
    rank: int


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Correction:
    original: str
    corrected: str
    why: str


@dataclass(frozen=True)
class TimeRule:
    phrase: str
    every: str | None = None
    count: int | None = None
    at_least: bool = False
    when: str | None = None
    due: str | None = None
    within: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class Unscheduled:
    """A time expression deliberately left out of ``time`` (not a duty's schedule), and why."""

    phrase: str
    why: str


@dataclass(frozen=True)
class SanctionStep:
    severity: str
    measures: tuple[str, ...]
    as_written: str | None = None


@dataclass(frozen=True)
class Restriction:
    after: tuple[str, ...]
    rule: str
    years: float | None = None


@dataclass(frozen=True)
class Sanction:
    target: str | None = None
    applies_to: tuple[str, ...] = ()
    ladder: tuple[SanctionStep, ...] = ()
    measures: tuple[str, ...] = ()
    combinable: bool = False
    restrictions: tuple[Restriction, ...] = ()


@dataclass(frozen=True)
class Clause:
    id: str  # global: "<document>/<local>"
    local_id: str
    document: str
    jurisdiction: str
    locator: str
    kind: str
    title: str
    title_editorial: bool
    quote: tuple[str, ...]  # fragments, exactly as in the YAML (original text)
    text: str  # fragments joined, whitespace folded, corrections applied
    original: str  # fragments joined, whitespace folded, no corrections
    spans: tuple[tuple[int, int], ...]  # [start, end) into the source str
    heading: str | None = None
    roles: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    links: tuple[str, ...] = ()  # global ids
    sanction: Sanction | None = None
    time: tuple[TimeRule, ...] = ()
    unscheduled: tuple[Unscheduled, ...] = ()
    note: str | None = None
    order: int = 0
    draft: tuple[str, ...] = ()  # fields a scaffold left to fill (./hb new); shown as 草稿 while editing

    @property
    def key_action(self) -> str:
        """The clause's first sentence after its own title, for checklists. A long sentence
        is cut only after a phrase (at "，", "、" or "："), never inside a word; one with no
        such boundary early enough is kept whole."""
        body = self.text
        at = body.find(self.title)
        if at != -1 and not self.title_editorial:
            body = body[at + len(self.title) :]
        body = body.lstrip("。：:，,、 )）")
        sentence = re.split(r"[。；;]", body, maxsplit=1)[0]
        if len(sentence) <= KEY_ACTION_CHARS:
            return sentence
        cut = max(sentence.rfind(mark, 0, KEY_ACTION_CHARS) for mark in "，,、：:")
        return sentence[:cut] + "……" if cut >= KEY_ACTION_CHARS // 3 else sentence

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def aspects(self) -> tuple[str, ...]:
        """The kinds this clause acts as: its own, and "sanction" for a trigger that states
        its own sanction ("…的，给予…处分": one sentence, one clause, both aspects)."""
        return (self.kind, "sanction") if self.kind == "trigger" and self.sanction else (self.kind,)

    @property
    def aspect_labels(self) -> tuple[str, ...]:
        return tuple(KIND_LABELS[a] for a in self.aspects)

    @property
    def anchor(self) -> str:
        return self.id


@dataclass(frozen=True)
class Ignored:
    document: str
    spans: tuple[tuple[int, int], ...]
    reason: str
    text: str


@dataclass(frozen=True)
class Completeness:
    complete: bool
    truncated_in: str | None = None  # global clause id
    note: str | None = None


@dataclass(frozen=True)
class Delta:
    """What a revision written as a delta (``revises:``) states it changed, by local clause id."""

    revises: str
    amended: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    renumbered: tuple[str, ...] = ()

    def status(self, local_id: str) -> str:
        """changed / added / removed / renumbered, or same for a clause carried over."""
        for status, ids in (
            ("changed", self.amended),
            ("added", self.added),
            ("removed", self.removed),
            ("renumbered", self.renumbered),
        ):
            if local_id in ids:
                return status
        return "same"


@dataclass(frozen=True)
class Document:
    id: str
    source: str
    sha256: str
    title: Fact
    short_title: str
    jurisdiction: Jurisdiction
    issuer: Fact
    number: Fact
    date: Fact
    status: str
    verified_on: str | None
    completeness: Completeness
    source_text: str
    clauses: tuple[Clause, ...]
    ignored: tuple[Ignored, ...]
    effective: str | None = None
    supersedes: str | None = None
    superseded_by: str | None = None
    verified_note: str | None = None
    notes: tuple[str, ...] = ()
    delta: Delta | None = None  # set when the YAML states this version as changes to the one it supersedes
    date_kind: str | None = None  # what ``date`` is: 印发 / 网页发布 / …; None when the data does not say

    @property
    def current(self) -> bool:
        return self.superseded_by is None


@dataclass(frozen=True)
class RuleDate:
    """One event in a central rule's history, e.g. 2016 印发, 2019 修订."""

    value: str  # YYYY or YYYY-MM (no day unless certain)
    event: str  # 印发 / 修订 / 发布 …


@dataclass(frozen=True)
class CentralRule:
    """A central Party rule that now governs the field (data/central_rules.yml).

    Everything here is an editorial statement (we hold none of these texts): ``basis``
    says where it comes from and ``verified_on`` whether anyone checked it is in force."""

    id: str
    title: str
    issuer: str
    dates: tuple[RuleDate, ...]  # oldest first
    status: str
    verified_on: str | None
    relation: str
    basis: str


@dataclass
class Handbook:
    """Everything loaded and validated; the only input of index, pages and exports."""

    documents: dict[str, Document] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    central_rules: dict[str, CentralRule] = field(default_factory=dict)
    central_rules_basis: str = ""  # where the editors have the list from
    version: str = ""
    data_date: str | None = None  # the day data/ was last committed, when known (load.data_date)
    warnings: list = field(default_factory=list)
