"""Editorial consistency of the data: titles, catch-all themes, time words, time entries.

Each rule is a function over a loaded Handbook that returns what breaks it, so the same
rule runs on the shipped data (must find nothing) and on a deliberately broken copy of the
project (must find exactly the planted defect). Rules scan whatever documents exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from fixtures.project import copy_project
from handbook import load
from handbook.model import Handbook
from handbook.tiling import strip_space

# Party and administrative sanction grades (纪律处分条例, 行政机关公务员处分条例) that
# data/measures.yml folds into one measure; a title must not name one its quote lacks.
DISCIPLINE_GRADES = (
    "警告",
    "严重警告",
    "撤销党内职务",
    "留党察看",
    "开除党籍",
    "记过",
    "记大过",
    "降级",
    "撤职",
    "开除",
    "诫勉",
    "纪律处分",
    "书面检查",
)
ACCOUNTABILITY_KINDS = {"trigger", "double_accountability", "aggravating", "mitigating", "exemption"}
CATCH_ALL_THEME = "accountability"  # docs/guide.md: 兜底和转引的追究情形只标这一个主题
ITEM = r"^[（(]?[一二三四五六七八九十]+[)）]"
CATCH_ALL = re.compile(ITEM + r"有?其他")  # (九)其他……的情形 / (四)有其他从轻……的情形
CROSS_REFERENCE = re.compile(ITEM + r"有本\w{1,6}?第[一二三四五六七八九十]+条")  # (一)有本办法第六条规定的情形之一的
N = "[0-9一二两三四五六七八九十]"
TIME_WORD = re.compile(
    rf"每(?:年|季度|半年|月|周|{N}+个?(?:月|年|季度|周|日|天))"
    rf"|年初|年底|年末|年中|年终|年度|上半年|下半年|季度|双月|当年|当月|次年"
    rf"|(?<![0-9年])[0-9]{{1,2}}月(?:[0-9]{{1,2}}日前|底前?|末)"
    rf"|{N}+个?(?:月|年|日|天|周|工作日)内"
    rf"|任期|届期"
)
WHEN_CADENCE = {
    "year_start": {"year"},
    "year_end": {"year"},
    "quarter_end": {"quarter"},
    "month_end": {"month", "two_months"},
}


# -- rules ----------------------------------------------------------------------------


def sanction_terms(book: Handbook) -> set[str]:
    """Measure labels (without their bracketed qualifier) plus the discipline grades."""
    terms = set(DISCIPLINE_GRADES)
    for measure in book.measures.values():
        terms.add(re.split(r"[（(]", measure.label)[0])
    return {t for t in terms if len(t) >= 2}


def titles_adding_sanction_terms(book: Handbook) -> list[tuple[str, str]]:
    terms = sanction_terms(book)
    found = []
    for doc in book.documents.values():
        for c in doc.clauses:
            body = strip_space(c.text + c.original + (c.heading or ""))
            found += [(c.id, t) for t in sorted(terms) if t in c.title and t not in body]
    return found


def is_catch_all(clause) -> bool:
    text = strip_space(clause.text)
    return clause.kind in ACCOUNTABILITY_KINDS and bool(CATCH_ALL.match(text) or CROSS_REFERENCE.match(text))


def catch_alls_off_rule(book: Handbook) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (c.id, c.themes)
        for d in book.documents.values()
        for c in d.clauses
        if is_catch_all(c) and c.themes != (CATCH_ALL_THEME,)
    ]


def unexplained_time_words(book: Handbook) -> list[tuple[str, str]]:
    """Time words in a clause that no `time` or `unscheduled` phrase covers."""
    found = []
    for doc in book.documents.values():
        for c in doc.clauses:
            text = strip_space(c.text) + strip_space(c.heading or "")
            covered = []
            for phrase in [strip_space(t.phrase) for t in c.time] + [strip_space(u.phrase) for u in c.unscheduled]:
                at = text.find(phrase)
                while at != -1:
                    covered.append((at, at + len(phrase)))
                    at = text.find(phrase, at + 1)
            found += [
                (c.id, m.group())
                for m in TIME_WORD.finditer(text)
                if not any(a <= m.start() and m.end() <= b for a, b in covered)
            ]
    return found


def time_entries_not_calendar_ready(book: Handbook) -> list[tuple[str, str, str]]:
    """Time entries a duty calendar could not place, or that say less than their phrase."""
    found = []
    for doc in book.documents.values():
        for c in doc.clauses:
            for t in c.time:

                def bad(why: str, c=c, t=t) -> None:  # bind this clause and entry
                    found.append((c.id, t.phrase, why))

                if t.every is None:
                    bad("no cadence (every)")
                if t.due and t.every != "year":
                    bad("due date without every: year")
                if t.every == "year" and re.search(r"(?<![0-9个])[0-9]{1,2}月", t.phrase) and not t.due:
                    bad("the phrase names a month but there is no due date")
                if t.within and not t.after:
                    bad("a period (within) without its starting event (after)")
                if (t.within or t.after) and t.every != "event":
                    bad("within/after without every: event")
                if t.every == "event" and not t.after:
                    bad("every: event without the event (after)")
                if t.when and t.every not in WHEN_CADENCE[t.when]:
                    bad(f"when: {t.when} does not fit every: {t.every}")
                if re.search(rf"{N}+次", t.phrase) and t.count is None:
                    bad("the phrase states a number of times but there is no count")
                if re.search(r"至少|不少于|以上", t.phrase) and not t.at_least:
                    bad("the phrase says 'at least' but at_least is not set")
    return found


# -- the shipped data -------------------------------------------------------------------


def test_titles_use_no_sanction_term_their_quote_lacks(book):
    assert {"撤职", "撤销党内职务", "警告", "免职", "责令辞职"} <= sanction_terms(book)
    assert titles_adding_sanction_terms(book) == []


def test_catch_all_triggers_carry_only_the_catch_all_theme(book):
    assert CATCH_ALL_THEME in book.themes
    assert catch_alls_off_rule(book) == []


def test_every_time_word_is_structured_or_explained(book):
    assert unexplained_time_words(book) == []


def test_time_entries_are_calendar_ready(book):
    assert time_entries_not_calendar_ready(book) == []


# -- deliberately broken copies ---------------------------------------------------------


def broken_copy(tmp_path: Path, clause_id: str, change) -> Handbook:
    """Copy the project, apply `change` to one clause's YAML mapping, load the copy."""
    root = copy_project(tmp_path / "project")
    doc_id, local = clause_id.split("/", 1)
    path = root / "data" / "documents" / f"{doc_id}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(next(c for c in data["clauses"] if c["id"] == local))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load(root)


def first(book: Handbook, keep):
    found = [c for d in book.documents.values() for c in d.clauses if keep(c)]
    assert found, "the data has no clause this negative test can break"
    return found[0]


def test_a_title_adding_a_sanction_term_is_caught(book, tmp_path):
    target = first(book, lambda c: c.kind == "double_accountability")
    term = next(t for t in sorted(sanction_terms(book)) if t not in c_body(target))

    def change(clause):
        clause["title"] = f"{clause['title']}（{term}）"
        clause["title_editorial"] = True

    found = titles_adding_sanction_terms(broken_copy(tmp_path, target.id, change))
    assert (target.id, term) in found and {cid for cid, _ in found} == {target.id}


def test_a_catch_all_with_a_subject_theme_is_caught(book, tmp_path):
    target = first(book, is_catch_all)
    other = next(t for t in book.themes if t != CATCH_ALL_THEME)

    def change(clause):
        clause["themes"] = [other]

    assert catch_alls_off_rule(broken_copy(tmp_path, target.id, change)) == [(target.id, (other,))]


def test_an_unstructured_time_word_is_caught(book, tmp_path):
    target = first(book, lambda c: c.time)

    def change(clause):
        clause.pop("time")
        clause.pop("unscheduled", None)

    found = unexplained_time_words(broken_copy(tmp_path, target.id, change))
    assert found and {cid for cid, _ in found} == {target.id}


def test_a_time_word_without_its_reason_is_caught(book, tmp_path):
    target = first(book, lambda c: c.unscheduled and not c.time)

    def change(clause):
        clause.pop("unscheduled")

    found = unexplained_time_words(broken_copy(tmp_path, target.id, change))
    assert found and {cid for cid, _ in found} == {target.id}


def test_a_month_without_a_due_date_is_caught(book, tmp_path):
    target = first(book, lambda c: any(t.due for t in c.time))

    def change(clause):
        for entry in clause["time"]:
            entry.pop("due", None)

    found = time_entries_not_calendar_ready(broken_copy(tmp_path, target.id, change))
    assert found and {cid for cid, _, _ in found} == {target.id}


def c_body(clause) -> str:
    return strip_space(clause.text + clause.original + (clause.heading or ""))
