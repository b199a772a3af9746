"""Study-session quizzes (学习会测验): questions made from the data, one quiz per role and place.

Every question is generated from what the data states about one role in one jurisdiction,
with its answer and the clause that answer rests on; wrong choices come from the same
jurisdiction's data and are checked to be wrong there. Generation is deterministic:
every random choice uses a ``random.Random`` seeded with ids (string seeds are hashed with
SHA-512, not ``hash()``), so the same data gives the same quiz, byte for byte.

Kinds, in the order a quiz prints them:

- ``redline``: which of these is one of the role's 追究情形 (the others are not);
- ``duty``: which of these is one of the role's duties;
- ``match``: a trigger of the role and a severity → the measures its sanction sets;
- ``time``: how often / by when a duty is due;
- ``blank``: fill in the missing words of one of the role's clauses.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .index import Index
from .model import SEVERITY_LABELS, Clause, Role

MIN_QUESTIONS, TARGET, MAX_QUESTIONS = 10, 15, 20
CHOICES = 4  # the answer and up to three wrong choices
CAPS = {"redline": 3, "duty": 3, "match": 4, "time": 3}  # at most this many of each choice kind
BLANK = "＿" * 6
# Kinds whose text is about what the role does or must not do (fill-in sources).
BLANK_KINDS = ("duty", "trigger", "system", "procedure", "double_accountability", "principle")
PHRASE = re.compile(r"[^，,、；;。：:“”\"（）()《》]+")
LETTERS = "ABCD"


@dataclass(frozen=True)
class Question:
    kind: str
    prompt: str
    choices: tuple[str, ...]  # empty for fill-in questions
    answer: str  # the right choice's text, or the missing words
    clause: Clause  # the clause the answer rests on (cited in the key)
    subject: str = ""  # what the question is about: trigger id and severity (match), text with BLANK (blank)

    @property
    def letter(self) -> str:
        return LETTERS[self.choices.index(self.answer)] if self.choices else ""


@dataclass(frozen=True)
class Quiz:
    jurisdiction: str
    role: Role
    place: str
    running: str  # repeated at the top of printed pages: "主要负责人 · 浙江省义乌市"
    documents: tuple[str, ...]  # short titles of the place's current documents (the key cites them)
    questions: tuple[Question, ...]

    @property
    def key(self) -> str:
        return f"{self.jurisdiction}-{self.role.id}"


def measures_text(ix: Index, ids: tuple[str, ...]) -> str:
    return "、".join(ix.book.measures[m].label for m in ids)


def time_text(clause: Clause) -> str:
    return "；".join(t.phrase for t in clause.time)


def _choices(rng: random.Random, answer: str, wrong: list[str]) -> tuple[str, ...]:
    """The answer and up to three distinct wrong choices, in a seeded order."""
    pool = sorted({w for w in wrong if w != answer})
    picked = [answer, *rng.sample(pool, min(CHOICES - 1, len(pool)))]
    rng.shuffle(picked)
    return tuple(picked)


def _seeded(*ids: str) -> random.Random:
    return random.Random("/".join(ids))


def redline_questions(ix: Index, jurisdiction: str, role: Role, place: str) -> list[Question]:
    triggers = ix.for_role(role.id, jurisdiction, ["trigger"])
    red = {c.title for c in triggers}
    wrong = [
        c.title
        for c in ix.current_clauses(jurisdiction)
        if c.kind in ("duty", "system", "principle") and c.title not in red
    ]
    out = []
    for c in triggers:
        choices = _choices(_seeded(jurisdiction, role.id, "redline", c.id), c.title, wrong)
        if len(choices) > 1:
            out.append(
                Question(
                    "redline",
                    f"按{place}的规定，下列哪一项是{role.short}可被追究责任的情形（红线）？",
                    choices,
                    c.title,
                    c,
                )
            )
    return out


def duty_questions(ix: Index, jurisdiction: str, role: Role, place: str) -> list[Question]:
    duties = ix.for_role(role.id, jurisdiction, ["duty"])
    own = {c.title for c in duties}
    wrong = [
        c.title
        for c in ix.current_clauses(jurisdiction)
        if c.kind in ("duty", "trigger") and role.id not in c.roles and c.title not in own
    ]
    wrong += [c.title for c in ix.for_role(role.id, jurisdiction, ["trigger"]) if c.title not in own]
    out = []
    for c in duties:
        choices = _choices(_seeded(jurisdiction, role.id, "duty", c.id), c.title, wrong)
        if len(choices) > 1:
            out.append(Question("duty", f"按{place}的规定，下列哪一项是{role.short}的职责？", choices, c.title, c))
    return out


def match_questions(ix: Index, jurisdiction: str, role: Role, place: str) -> list[Question]:
    """A trigger and a severity: which measures does the sanction that covers it set?"""
    own = ix.sanctions_for(role.id, jurisdiction)
    out = []
    for trigger in ix.for_role(role.id, jurisdiction, ["trigger"]):
        for sanction in ix.sanctions_of_trigger(trigger, role.id):
            steps = (
                {measures_text(ix, s.measures): s for s in sanction.sanction.ladder}
                if sanction in own and sanction.sanction
                else {}
            )
            if len(steps) < 2:
                continue
            rng = _seeded(jurisdiction, role.id, "match", trigger.id, sanction.id)
            answer = rng.choice(sorted(steps))
            step = steps[answer]
            # an unqualified base step has no severity to name: the question says so instead
            severity = step.as_written or SEVERITY_LABELS[step.severity]
            asked = (
                f"{role.short}出现“{trigger.title}”，{severity}的，应当如何追究？"
                if step.as_written or step.severity != "base"
                else f"{role.short}出现“{trigger.title}”（原文未写明情节），应当如何追究？"
            )
            out.append(
                Question(
                    "match",
                    asked,
                    _choices(rng, answer, list(steps)),
                    answer,
                    sanction,
                    f"{trigger.id} {step.severity}",
                )
            )
            break
    return out


def time_questions(ix: Index, jurisdiction: str, role: Role, place: str) -> list[Question]:
    timed = [c for c in ix.current_clauses(jurisdiction) if c.time]
    out = []
    for c in ix.for_role(role.id, jurisdiction, ["duty"]):
        if not c.time:
            continue
        choices = _choices(_seeded(jurisdiction, role.id, "time", c.id), time_text(c), [time_text(o) for o in timed])
        if len(choices) > 1:
            out.append(Question("time", f"按{place}的规定，“{c.title}”有什么时间要求？", choices, time_text(c), c))
    return out


def blank_candidates(clause: Clause) -> list[str]:
    """The clause's texts with one phrase blanked, each phrase standing once in the text and
    outside the title; shown within its sentence (or a few phrases around it when long)."""
    text = clause.text
    out = []
    for sentence in re.finditer(r"[^。；;]+[。；;]?", text):
        body = sentence.group(0)
        for phrase in PHRASE.finditer(body):
            words = phrase.group(0).strip()
            if not 4 <= len(words) <= 14 or text.count(words) != 1 or words in clause.title or clause.title in words:
                continue
            start = body.find(words)
            context = body if len(body) <= 70 else body[max(0, start - 30) : start + len(words) + 30]
            out.append(context.replace(words, BLANK, 1) + "\0" + words)
    return out


def blank_questions(ix: Index, jurisdiction: str, role: Role, needed: int) -> list[Question]:
    """Up to ``needed`` fill-ins, one per clause before a second from any clause."""
    clauses = [c for c in ix.current_clauses(jurisdiction) if role.id in c.roles and c.kind in BLANK_KINDS]
    pools = []
    for c in clauses:
        candidates = blank_candidates(c)
        _seeded(jurisdiction, role.id, "blank", c.id).shuffle(candidates)
        pools.append((c, candidates))
    _seeded(jurisdiction, role.id, "blank").shuffle(pools)
    out: list[Question] = []
    for round_ in range(max((len(p) for _, p in pools), default=0)):
        for c, candidates in pools:
            if len(out) < needed and round_ < len(candidates):
                context, words = candidates[round_].split("\0")
                out.append(Question("blank", f"填空（{c.locator}）：{context}", (), words, c, context))
    return out


def quiz(ix: Index, jurisdiction: str, role: Role) -> Quiz:
    view = ix.jurisdictions[jurisdiction]
    place = view.name
    chosen: list[Question] = []
    for kind, make in (
        ("redline", redline_questions),
        ("duty", duty_questions),
        ("match", match_questions),
        ("time", time_questions),
    ):
        pool = make(ix, jurisdiction, role, place)
        _seeded(jurisdiction, role.id, kind).shuffle(pool)
        chosen += pool[: CAPS[kind]]
    chosen += blank_questions(ix, jurisdiction, role, max(TARGET, MIN_QUESTIONS) - len(chosen))
    documents = tuple(d.short_title for d in view.documents if d.current)
    return Quiz(jurisdiction, role, place, f"{role.short} · {place}", documents, tuple(chosen[:MAX_QUESTIONS]))


def quiz_keys(ix: Index) -> list[tuple[str, str]]:
    """(jurisdiction, role) of every quiz: each role with content in each jurisdiction."""
    return [
        (v.id, r.id) for v in ix.jurisdictions.values() for r in ix.book.roles.values() if ix.has_content(r.id, v.id)
    ]
