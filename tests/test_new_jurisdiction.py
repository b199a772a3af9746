"""A new jurisdiction is one source text plus one YAML file: no Python or template change.

The fixture (tests/fixtures/newplace/) is a made-up county, 示例县, with duties,
triggers and a sanction. It is dropped into data/ of a project copy, the site is built
once, and its role, source, comparison and checklist pages must all be there.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import build_site, check_project
from fixtures.project import FIXTURES, add_document, copy_project, tree_digest

pytestmark = pytest.mark.slow  # the module builds a project copy of its own

PLACE = "example-county"


@pytest.fixture(scope="module")
def project(tmp_path_factory, no_fonts):
    """The copy with the new place, built as on a fresh machine: PDFs wanted (auto) but no
    font installed, so the build must go on without them and say what to install."""
    root = copy_project(tmp_path_factory.mktemp("newplace") / "project")
    before = tree_digest(root)
    add_document(root, FIXTURES / "newplace")
    result = build_site(root, root / "site", pdf="auto", env=no_fonts)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root, before, result


@pytest.fixture(scope="module")
def check_output(project) -> str:
    root = project[0]
    result = check_project(root)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def page(project, url: str) -> str:
    root = project[0]
    path = root / "site" / url.strip("/") / "index.html"
    assert path.is_file(), f"{url} was not generated"
    return path.read_text("utf-8")


def test_only_data_differs_from_the_original_tree(project):
    root, before, _ = project
    after = tree_digest(root)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert changed == {f"data/sources/{PLACE}.txt", f"data/documents/{PLACE}.yml"}


def test_check_reports_the_new_source_fully_tiled(project, check_output):
    documents = len(list((project[0] / "data" / "documents").glob("*.yml")))
    clauses = len(yaml.safe_load((FIXTURES / "newplace" / f"{PLACE}.yml").read_text("utf-8"))["clauses"])
    assert re.search(rf"^{PLACE}\.txt\s+{clauses}\s+\d+\s+\d+\s+0\s+100\.0%", check_output, re.M), check_output[:2000]
    assert f"全部通过：{documents} 份原文" in check_output


def test_without_fonts_the_build_names_the_package_and_links_no_pdf(project):
    root, _, result = project
    assert "fonts-noto-cjk" in result.stdout + result.stderr
    assert not list((root / "site").rglob("*.pdf"))
    html = page(project, f"/checklists/{PLACE}/committee/")
    assert ".pdf" not in html and "下载 PDF" not in html


def test_the_new_place_gets_its_checklist_pdfs(project):
    """Which PDFs a build with fonts would render (the rendering itself is tested in test_print)."""
    from handbook import load
    from handbook.index import Index
    from handbook.pages import Site

    names = {job.name for job in Site(Index(load(project[0])), with_pdfs=True).pdf_jobs()}
    assert {f"checklists/{PLACE}-committee.pdf", f"checklists/{PLACE}-all.pdf"} <= names


@pytest.mark.parametrize(
    "role, titles",
    [
        (
            "committee",
            ["专题研究党风廉政建设工作", "支持纪委查办案件", "不研究部署党风廉政建设工作", "对纪委报告的问题拒不整改"],
        ),
        ("secretary", ["听取班子成员履行“一岗双责”情况的汇报"]),
        ("commission", ["协助县委并报告监督责任落实情况", "纪委对发现的问题不报告、不处置"]),
    ],
)
def test_role_pages(project, role, titles):
    html = page(project, f"/roles/{role}/{PLACE}/")
    assert "示例县" in html
    for title in titles:
        assert title in html, title
    assert f'href="{PLACE}/"' in page(project, f"/roles/{role}/")  # listed on the role's index page


def test_role_page_shows_the_sanction_ladder(project):
    html = page(project, f"/roles/committee/{PLACE}/")
    for measure in ("责令作出书面检查", "通报批评", "调整处理"):
        assert measure in html, measure


def test_source_page(project):
    html = page(project, f"/sources/{PLACE}/")
    assert "示例县落实党风廉政建设“两个责任”办法" in html
    assert "每年至少召开两次常委会会议" in html
    assert "本办法自印发之日起施行" in html
    assert PLACE in page(project, "/sources/")


def test_jurisdiction_page_and_index(project):
    html = page(project, f"/jurisdictions/{PLACE}/")
    assert "示例县" in html and f"../../sources/{PLACE}/" in html
    for role in ("committee", "secretary", "commission"):
        assert f"../../roles/{role}/{PLACE}/" in html and f"../../checklists/{PLACE}/{role}/" in html
    assert f"{PLACE}/" in page(project, "/jurisdictions/")


@pytest.mark.parametrize(
    "slug, title", [("duties", "专题研究党风廉政建设工作"), ("triggers", "不研究部署党风廉政建设工作")]
)
def test_comparison_tables_have_a_column(project, slug, title):
    html = page(project, f"/compare/{slug}/")
    heads = re.findall(r'<th scope="col">([^<]*)</th>', html)
    assert "示例县" in heads, heads
    assert title in html
    assert f"sources/{PLACE}/#{PLACE}/" in html  # cells link to the clause in the new source


def test_sanction_comparison_has_the_ladder(project):
    html = page(project, "/compare/sanctions/")
    assert "示例县" in re.findall(r'<th scope="col">([^<]*)</th>', html)


@pytest.mark.parametrize("role", ["committee", "secretary", "commission", "all"])
def test_checklists(project, role):
    html = page(project, f"/checklists/{PLACE}/{role}/")
    assert "示例县" in html


def test_checklist_lists_deadlines_and_red_lines(project):
    html = page(project, f"/checklists/{PLACE}/committee/")
    assert "专题研究党风廉政建设工作" in html
    assert "不研究部署党风廉政建设工作" in html


def test_downloads_include_the_new_jurisdiction(project):
    root = project[0]
    data = json.loads((root / "site/downloads/handbook.json").read_text("utf-8"))
    assert PLACE in json.dumps(data, ensure_ascii=False)
    assert PLACE in (root / "site/downloads/handbook.csv").read_text("utf-8")
