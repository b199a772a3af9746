"""Study-session quizzes: every answer true of the data and citing its clause, the same data
giving the same files, and the web page and PDFs carrying the same questions.

Answers are recomputed here from the index (the data), not from the quiz code's helpers.
"""

from __future__ import annotations

import html as htmllib
import re

import pytest
from test_print import pdf_text, pdfinfo

from conftest import ROOT, pdf_tool
from handbook.model import SEVERITY_LABELS
from handbook.tiling import strip_space


def all_quizzes(index):
    from handbook.quiz import quiz, quiz_keys

    keys = quiz_keys(index)
    assert keys == [
        (v.id, r) for v in index.jurisdictions.values() for r in index.book.roles if index.has_content(r, v.id)
    ]
    return [quiz(index, j, index.book.roles[r]) for j, r in keys]


def measures(index, ids) -> str:
    return "、".join(index.book.measures[m].label for m in ids)


def check_answer(index, quiz, q) -> None:
    """Recompute the question's answer from the data; the wrong choices must be wrong."""
    from handbook.quiz import BLANK

    role, j = quiz.role.id, quiz.jurisdiction
    others = [c for c in q.choices if c != q.answer]
    assert len(set(q.choices)) == len(q.choices) and (q.kind == "blank" or (others and q.answer in q.choices)), q
    if q.kind == "redline":
        red = {c.title for c in index.for_role(role, j, ["trigger"])}
        assert q.clause in index.for_role(role, j, ["trigger"]) and q.answer == q.clause.title
        assert not red & set(others), q
    elif q.kind == "duty":
        duties = {c.title for c in index.for_role(role, j, ["duty"])}
        assert q.clause in index.for_role(role, j, ["duty"]) and q.answer == q.clause.title
        assert not duties & set(others), q
    elif q.kind == "match":
        trigger_id, severity = q.subject.split()
        trigger = index.clauses[trigger_id]
        assert trigger in index.for_role(role, j, ["trigger"]) and f"“{trigger.title}”" in q.prompt
        assert q.clause in index.sanctions_of_trigger(trigger, role) and q.clause in index.sanctions_for(role, j)
        steps = {s.severity: measures(index, s.measures) for s in q.clause.sanction.ladder}
        assert q.answer == steps[severity], q
        label = next(
            s.as_written or SEVERITY_LABELS[s.severity] for s in q.clause.sanction.ladder if s.severity == severity
        )
        assert label in q.prompt
        assert set(others) <= set(steps.values()) - {q.answer}, q
    elif q.kind == "time":
        assert q.clause in index.for_role(role, j, ["duty"])
        assert q.answer == "；".join(t.phrase for t in q.clause.time) and q.answer not in others
    elif q.kind == "blank":
        assert role in q.clause.roles and q.clause.jurisdiction == j and not q.choices
        assert q.subject.count(BLANK) == 1 and q.subject in q.prompt
        assert q.subject.replace(BLANK, q.answer) in q.clause.text, q
    else:
        pytest.fail(f"unknown kind {q.kind}")


def test_every_answer_is_true_of_the_data_and_cites_its_clause(index):
    for quiz in all_quizzes(index):
        assert 10 <= len(quiz.questions) <= 20, (quiz.key, len(quiz.questions))
        assert len({q.prompt + "".join(q.choices) for q in quiz.questions}) == len(quiz.questions), quiz.key
        for q in quiz.questions:
            assert index.clauses[q.clause.id] is q.clause
            assert q.clause.jurisdiction == quiz.jurisdiction and q.clause.document in {
                d.id for d in index.jurisdictions[quiz.jurisdiction].documents if d.current
            }
            check_answer(index, quiz, q)


def test_quizzes_are_varied_where_the_data_allows(index):
    """A place with duties and sanction ladders gets more than fill-ins."""
    from handbook.quiz import quiz

    kinds = {q.kind for q in quiz(index, "yiwu", index.book.roles["secretary"]).questions}
    needed = {"blank"}
    if index.for_role("secretary", "yiwu", ["trigger"]):
        needed.add("redline")
    if index.for_role("secretary", "yiwu", ["duty"]):
        needed.add("duty")
    assert needed <= kinds


def test_same_data_gives_byte_identical_quiz_files(site, fresh_pdfs):
    """A fresh load of the data gives the same quiz HTML, and its PDF renders to the very
    bytes of the built file."""
    from handbook import load
    from handbook.index import Index
    from handbook.pages import Site

    first, second = (Site(Index(load(ROOT)), with_pdfs=True) for _ in range(2))
    jobs = {job.name: job.html for job in first.pdf_jobs() if job.name.startswith("quizzes/")}
    assert jobs == {job.name: job.html for job in second.pdf_jobs() if job.name.startswith("quizzes/")}
    assert first.quiz_page("yiwu", "secretary").markdown == second.quiz_page("yiwu", "secretary").markdown
    name = "quizzes/yiwu-secretary-a6.pdf"
    job = next(job for job in fresh_pdfs.jobs if job.name == name)
    assert job.html == jobs[name]
    assert fresh_pdfs.render_one(job) == (site / "downloads" / name).read_bytes()


def test_quiz_page_reveals_each_answer_on_tap_with_its_clause(site, index):
    for quiz in all_quizzes(index):
        page = (site / "quizzes" / quiz.jurisdiction / quiz.role.id / "index.html").read_text("utf-8")
        text = htmllib.unescape(page)
        details = re.findall(
            r'<details class="hb-answer" data-clause="([^"]+)"><summary>显示答案</summary><p>(.*?)</p></details>',
            text,
            re.S,
        )
        assert len(details) == len(quiz.questions), quiz.key
        for q, (clause_id, answer) in zip(quiz.questions, details):
            assert clause_id == q.clause.id and clause_id in index.clauses
            assert q.prompt in text and q.answer in answer and q.clause.locator in answer
            assert f'href="../../../sources/{q.clause.document}/#{q.clause.anchor}"' in answer, answer
        for pdf in ("a6", "a4"):
            assert f"downloads/quizzes/{quiz.key}-{pdf}.pdf" in page
    checklist = (site / "checklists" / "yiwu" / "secretary" / "index.html").read_text("utf-8")
    assert 'href="../../../quizzes/yiwu/secretary/"' in checklist and "yiwu-secretary-a4.pdf" in checklist
    downloads = (site / "downloads" / "index.html").read_text("utf-8")
    assert 'href="../quizzes/yiwu/secretary/"' in downloads and "quizzes/yiwu-secretary-a6.pdf" in downloads


def test_quiz_pdfs_put_the_answer_key_on_pages_of_its_own(site, index):
    pdf_tool("pdftotext")
    for quiz in all_quizzes(index):
        for paper in ("a6", "a4"):
            path = site / "downloads" / "quizzes" / f"{quiz.key}-{paper}.pdf"
            pages = [strip_space(pdf_text(path, n)) for n in range(1, int(pdfinfo(path)["Pages"]) + 1)]
            key = next(n for n, text in enumerate(pages) if "答案与出处" in text)
            questions, answers = "".join(pages[:key]), "".join(pages[key:])
            for q in quiz.questions:
                assert strip_space(q.prompt)[:20] in questions, (path.name, q.prompt)
                assert strip_space(q.prompt)[:20] not in answers, (path.name, q.prompt)
                assert strip_space(q.clause.locator) in answers
            assert "学习笔记" in answers and "学习笔记" not in questions, path.name
