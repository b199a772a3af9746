"""Tests follow the data: a project copy gains a unit that is not a territory (示例单位,
tests/fixtures/unit/), with a role and a measure the shipped vocabularies lack, a trigger
that states its own sanction and ladders whose first step states no severity. The data
and HTML test modules then run, unchanged, against that copy and must all pass; the pages
of the copy must show what the text says.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import build_site, check_project
from fixtures.project import FIXTURES, add_document, copy_project

UNIT = FIXTURES / "unit"
PLACE = "example-unit"
ROLE = (
    "  - id: dept_head\n"
    "    label: 部门负责人\n"
    "    short: 部门负责人\n"
    "    description: 单位内设部门的负责人（测试样例：示例单位）。\n"
)
MEASURE = "  - {id: suspension, label: 暂停履职, target: individual, rank: 8}\n"
# The modules that check the data and the built HTML: none may pin the set of sources,
# jurisdictions, roles or pages, so each passes on the copy as it does on the project.
MODULES = (
    "tests/test_data.py",
    "tests/test_consistency.py",
    "tests/test_site_html.py",
    "tests/test_views.py",
    "tests/test_currency.py",
    "tests/test_roles_pages.py",
    "tests/test_finding.py",
    "tests/test_sourcedoc.py",
)


def insert_after(path: Path, anchor: str, text: str) -> None:
    body = path.read_text("utf-8")
    assert body.count(anchor) == 1, (path, anchor)
    path.write_text(body.replace(anchor, anchor + text), "utf-8")


def add_unit(root: Path) -> None:
    """What an editor does: the source and its YAML, a new role and a new measure."""
    add_document(root, UNIT)
    insert_after(root / "data" / "roles.yml", "roles:\n", ROLE)
    insert_after(root / "data" / "measures.yml", "measures:\n", MEASURE)


@pytest.fixture(scope="module")
def unit(tmp_path_factory) -> tuple[Path, Path]:
    root = copy_project(tmp_path_factory.mktemp("unit") / "project")
    add_unit(root)
    result = build_site(root, root / "site")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root, root / "site"


@pytest.fixture(scope="module")
def fixture_yaml() -> dict:
    return yaml.safe_load((UNIT / f"{PLACE}.yml").read_text("utf-8"))


def test_data_and_html_test_modules_pass_on_the_copy(unit):
    root, site = unit
    result = subprocess.run(
        # Their browser tests need a server of the copy (the HTML they check is checked here),
        # and their slow tests build copies of their own (of the project, not of this copy).
        [
            sys.executable,
            "-m",
            "pytest",
            *MODULES,
            "-m",
            "not browser and not slow",
            "-q",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=1500,
        env={
            **os.environ,
            "HANDBOOK_ROOT": str(root),
            "HANDBOOK_SITE": str(site),
            "HANDBOOK_PDF": "off",
            "HANDBOOK_TEST_PDF": "off",
        },
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout)


def test_check_tiles_the_unit_completely(unit):
    root, _site = unit
    result = check_project(root)
    assert result.returncode == 0, result.stdout + result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith(f"{PLACE}.txt"))
    assert "100.0%" in row


def sanctioning_triggers(data: dict) -> list[dict]:
    return [c for c in data["clauses"] if c["kind"] == "trigger" and c.get("sanction")]


def test_a_trigger_with_its_own_sanction_shows_both_aspects(unit, fixture_yaml):
    _root, site = unit
    triggers = sanctioning_triggers(fixture_yaml)
    assert triggers, "the fixture must have a trigger stating its own sanction"
    page = (site / "roles" / "dept_head" / PLACE / "index.html").read_text("utf-8")
    for c in triggers:
        anchor = f"{PLACE}/{c['id']}"
        assert page.count(f'id="{anchor}"') == 1, anchor  # on the page once
        card = page.split(f'id="{anchor}"', 1)[1].split('<div class="hb-clause', 1)[0]
        assert "追究情形</span>" in card and "追究方式</span>" in card  # both kind tags
        assert 'class="hb-ladder"' in card
        assert "诫勉谈话" in card and "未写明情节" in card
        sanctions = page.split('id="sanctions"', 1)[1].split("<h2", 1)[0]
        assert f'href="#{anchor}"' in sanctions  # 追究方式 points at it
    compare = (site / "compare" / "sanctions" / "index.html").read_text("utf-8")
    for c in triggers:
        assert f"{PLACE}/#{PLACE}/{c['id']}" in compare or f"#{PLACE}/{c['id']}" in compare


def test_checklist_and_quiz_show_both_aspects(unit, fixture_yaml):
    """The pocket card lists the trigger among the red lines (marked) and, with its ladder,
    among the sanctions; the quiz asks what its own ladder sets."""
    root, site = unit
    card = (site / "checklists" / PLACE / "dept_head" / "index.html").read_text("utf-8")
    redlines = card.split("hb-sec-redlines", 1)[1].split("hb-sheet-h", 1)[0]
    sanctions = card.split("hb-sec-sanctions", 1)[1].split("hb-sheet-h", 1)[0]
    quiz = (site / "quizzes" / PLACE / "dept_head" / "index.html").read_text("utf-8")
    for c in sanctioning_triggers(fixture_yaml):
        assert f'<span class="hb-tag">含追究方式</span> <strong>{c["title"]}</strong>' in redlines
        item = sanctions.split(f"<strong>{c['title']}</strong>", 1)[1].split('class="hb-item"', 1)[0]
        labels = {
            m["id"]: m["label"] for m in yaml.safe_load((root / "data" / "measures.yml").read_text("utf-8"))["measures"]
        }
        for step in c["sanction"]["ladder"]:
            assert "、".join(labels[x] for x in step["measures"]) in item
        assert f"出现“{c['title']}”" in quiz


def test_the_export_says_a_trigger_is_also_a_sanction(unit, fixture_yaml):
    _root, site = unit
    data = json.loads(next((site / "downloads").rglob("*.json")).read_text("utf-8"))
    records = {r["id"]: r for r in data["clauses"]}
    for c in sanctioning_triggers(fixture_yaml):
        record = records[f"{PLACE}/{c['id']}"]
        assert record["kind"] == "trigger" and record["aspects"] == ["trigger", "sanction"]
        assert [s["severity"] for s in record["sanction"]["ladder"]] == [s["severity"] for s in c["sanction"]["ladder"]]
    rows = list(csv.DictReader(io.StringIO(next((site / "downloads").rglob("*.csv")).read_text("utf-8-sig"))))
    by_id = {r["id"]: r for r in rows}
    for c in sanctioning_triggers(fixture_yaml):
        row = by_id[f"{PLACE}/{c['id']}"]
        assert row["aspects"] == "trigger|sanction"
        assert row["sanction"].startswith("base:")


def test_a_base_step_is_never_called_a_severity_the_text_lacks(unit, fixture_yaml):
    """Where a ladder's first step states no severity, no page calls it 情节较轻."""
    _root, site = unit
    based = [
        c
        for c in fixture_yaml["clauses"]
        if any(s["severity"] == "base" for s in c.get("sanction", {}).get("ladder", ()))
    ]
    assert based
    for c in based:
        assert "情节较轻" not in "".join(c["quote"] if isinstance(c["quote"], list) else [c["quote"]])
    source = (site / "sources" / PLACE / "index.html").read_text("utf-8")
    page = (site / "roles" / "dept_head" / PLACE / "index.html").read_text("utf-8")
    assert "情节较轻" not in page
    assert page.count("未写明情节") >= len(based)
    assert "情节较轻" not in source


def test_a_unit_is_counted_as_地区或单位(unit):
    _root, site = unit
    listing = (site / "jurisdictions" / "index.html").read_text("utf-8")
    assert '<th scope="col">地区或单位</th>' in listing
    assert "按地区或单位查阅" in listing
    home = (site / "index.html").read_text("utf-8")
    assert "角色 \\ 地区或单位" in home and "个地区或单位" in home
    compare = (site / "compare" / "duties" / "index.html").read_text("utf-8")
    assert "地区或单位" in compare
    own = (site / "jurisdictions" / PLACE / "index.html").read_text("utf-8")
    assert "各角色在本单位" in own and '<th scope="row">单位</th>' in own


def test_territories_alone_are_called_地区(site):
    """The shipped data has only territories (checked from the YAML): the pages say 地区."""
    root = Path(__file__).resolve().parent.parent
    levels = {
        yaml.safe_load(p.read_text("utf-8"))["jurisdiction"]["level"]
        for p in (root / "data" / "documents").glob("*.yml")
    }
    listing = (site / "jurisdictions" / "index.html").read_text("utf-8")
    if levels <= {"省", "地级市", "县级市", "区", "县", "未知"}:
        assert "地区或单位" not in listing and '<th scope="col">地区</th>' in listing
    else:
        assert '<th scope="col">地区或单位</th>' in listing


@pytest.fixture(scope="module")
def unit_server(unit):
    import functools
    import http.server
    import threading

    from conftest import _QuietHandler

    handler = functools.partial(_QuietHandler, directory=str(unit[1]))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_trigger_with_its_sanction_in_a_browser(browser, unit_server, artifacts, width):
    """The unit's 部门负责人 page on a phone and a desktop: the trigger's ladder (with its
    未写明情节 step) is visible and fits the screen; screenshots for a person to look at."""
    from test_browser import screenshot

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(unit_server + f"roles/dept_head/{PLACE}/", wait_until="load")
    card = page.locator(f'[id="{PLACE}/a5-i2"]')
    assert card.locator(".hb-ladder").is_visible()
    assert "未写明情节" in card.locator(".hb-ladder").inner_text()
    assert card.locator(".hb-kind").all_inner_texts() == ["追究情形", "追究方式"]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    card.scroll_into_view_if_needed()
    screenshot(page, artifacts, "unit-role-jurisdiction", width)
    page.goto(unit_server + "compare/sanctions/", wait_until="load")
    screenshot(page, artifacts, "unit-compare-sanctions", width)
    context.close()
