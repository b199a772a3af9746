"""What an editor sees for each kind of mistake: ``file:line:column: 错误: what — how``,
all problems in one run, exit status 2, never a traceback.

Each test breaks a copy of data/ in one way and runs the real ``check`` command on it.
The last test builds a project copy whose clause title holds HTML and template syntax
and reads the built HTML: shown literally, never executed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from conftest import check_project
from handbook import cli
from handbook.load import load_report
from handbook.tiling import strip_space

ROOT = Path(__file__).resolve().parent.parent
YIWU = "data/documents/yiwu.yml"
LINE = re.compile(r"^(data/[^:]+):(\d+):(\d+): (错误|提示): (.+?)(?: — (.+))?$")


# -- helpers ----------------------------------------------------------------------


@pytest.fixture
def root(tmp_path) -> Path:
    """A writable copy of data/ (the loader needs nothing else)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    for path in (tmp_path / "data").rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return tmp_path


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def line_of(root: Path, rel: str, needle: str) -> int:
    """1-based line of the (single) line containing ``needle``."""
    lines = [i for i, line in enumerate((root / rel).read_text("utf-8").splitlines(), 1) if needle in line]
    assert len(lines) == 1, f"{needle!r} on lines {lines} of {rel}"
    return lines[0]


def lines_equal(root: Path, rel: str, text: str) -> list[int]:
    """1-based lines that are exactly ``text``."""
    return [i for i, line in enumerate((root / rel).read_text("utf-8").splitlines(), 1) if line == text]


def update_sha(root: Path, rel_doc: str, source: str) -> None:
    digest = hashlib.sha256((root / "data/sources" / source).read_bytes()).hexdigest()
    path = root / rel_doc
    path.write_text(
        re.sub(r"(?m)^sha256: [0-9a-f]{64}$", f"sha256: {digest}", path.read_text("utf-8"), count=1), "utf-8"
    )


class Report:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err
        self.problems = [m.groups() for line in out.splitlines() if (m := LINE.match(line))]

    def at(self, file: str, line: int, level: str = "错误") -> list[str]:
        """Full text (message — fix) of the problems reported at file:line."""
        return [
            f"{msg} — {fix or ''}"
            for f, ln, _, lvl, msg, fix in self.problems
            if f == file and int(ln) == line and lvl == level
        ]

    def one(self, file: str, line: int, *needles: str, level: str = "错误") -> str:
        found = [text for text in self.at(file, line, level) if all(n in text for n in needles)]
        assert found, f"no {level} at {file}:{line} containing {needles}; got:\n{self.out}"
        return found[0]


def check(root: Path, capsys) -> Report:
    """Run the real ``python -m handbook check`` entry point in-process."""
    code = cli.main(["check", "--root", str(root)])
    captured = capsys.readouterr()
    report = Report(code, captured.out, captured.err)
    assert "Traceback" not in captured.out + captured.err
    return report


def failed(root: Path, capsys) -> Report:
    report = check(root, capsys)
    assert report.code == 2, report.out
    assert "个错误" in report.err
    # every printed line is a located problem
    for line in report.out.strip().splitlines():
        assert LINE.match(line) or re.match(r"^data/\S+: (错误|提示): ", line), line
    return report


# -- YAML syntax ------------------------------------------------------------------


def test_tab_indentation(root, capsys):
    edit(
        root,
        YIWU,
        "    kind: lead_in\n    title: 党委领导班子的主体责任",
        "\tkind: lead_in\n    title: 党委领导班子的主体责任",
    )
    line = line_of(root, YIWU, "\tkind: lead_in")
    text = failed(root, capsys).one(YIWU, line, "Tab")
    assert "空格" in text


def test_bad_indentation(root, capsys):
    edit(root, "data/roles.yml", "    short: 党委班子", "   short: 党委班子")
    line = line_of(root, "data/roles.yml", "   short: 党委班子")
    text = failed(root, capsys).one("data/roles.yml", line, "缩进")
    assert "对齐" in text


def test_unclosed_quote_points_at_the_quote(root, capsys):
    edit(root, "data/themes.yml", "    label: 组织领导", '    label: "组织领导')
    line = line_of(root, "data/themes.yml", '"组织领导')
    failed(root, capsys).one("data/themes.yml", line, "引号没有闭合", "成对")


def test_unclosed_bracket(root, capsys):
    edit(
        root,
        YIWU,
        "    roles: [committee]\n    themes: [leadership, mechanism]",
        "    roles: [committee\n    themes: [leadership, mechanism]",
    )
    lines = lines_equal(root, YIWU, "    roles: [committee")
    failed(root, capsys).one(YIWU, lines[0], "方括号", "成对")


def test_colon_in_unquoted_value(root, capsys):
    edit(root, "data/themes.yml", "    label: 组织领导", "    label: 组织领导: 部署")
    line = line_of(root, "data/themes.yml", "组织领导: 部署")
    failed(root, capsys).one("data/themes.yml", line, "冒号", "引号")


def test_invalid_date(root, capsys):
    edit(root, YIWU, "  value: 2015-04-16", "  value: 2015-13-45")
    line = line_of(root, YIWU, "2015-13-45")
    failed(root, capsys).one(YIWU, line, "2015-13-45", "不存在", "2015-04-16")


def test_control_character(root, capsys):
    edit(root, "data/themes.yml", "    label: 组织领导", "    label: 组织\x07领导")
    line = line_of(root, "data/themes.yml", "组织\x07领导")
    failed(root, capsys).one("data/themes.yml", line, "控制字符", "U+0007")


# -- schema -----------------------------------------------------------------------


def test_unknown_key_suggests_closest(root, capsys):
    edit(root, YIWU, "    title: 加强组织领导\n", "    titel: 加强组织领导\n")
    line = line_of(root, YIWU, "titel:")
    report = failed(root, capsys)
    assert "`title`" in report.one(YIWU, line, "未知的键 `titel`", "是否应为")


def test_unknown_key_in_roles_file(root, capsys):
    edit(root, "data/roles.yml", "    short: 党委班子", "    shrot: 党委班子")
    line = line_of(root, "data/roles.yml", "shrot:")
    report = failed(root, capsys)
    assert "`short`" in report.one("data/roles.yml", line, "未知的键 `shrot`")
    # the missing required key is reported too, at the role it belongs to
    assert any("缺少必填字段 `short`" in t for ln in range(1, line) for t in report.at("data/roles.yml", ln))


def test_each_missing_key_is_reported_once(root, capsys):
    """jsonschema reports each missing key as a separate error carrying the whole list."""
    edit(root, "data/roles.yml", "    short: 党委班子\n", "")
    edit(
        root,
        "data/roles.yml",
        "    description: 对本地区本部门本单位党风廉政建设负全面领导的集体责任（主体责任）。\n",
        "",
    )
    line = line_of(root, "data/roles.yml", "- id: committee")
    report = failed(root, capsys)
    texts = report.at("data/roles.yml", line)
    assert sum("缺少必填字段 `short`" in t for t in texts) == 1, texts
    assert sum("缺少必填字段 `description`" in t for t in texts) == 1, texts


def test_wrong_type(root, capsys):
    edit(
        root,
        YIWU,
        "    title: 加强组织领导\n    roles: [committee]\n",
        "    title: 加强组织领导\n    roles: committee\n",
    )
    line = line_of(root, YIWU, "    roles: committee")
    failed(root, capsys).one(YIWU, line, "`roles` 应为列表", "committee")


def test_wrong_type_in_measures(root, capsys):
    edit(
        root,
        "data/measures.yml",
        "{id: reminder, label: 提醒, target: both, rank: 1}",
        "{id: reminder, label: 提醒, target: both, rank: first}",
    )
    line = line_of(root, "data/measures.yml", "rank: first")
    failed(root, capsys).one("data/measures.yml", line, "`rank`", "first")


def test_enum_value_in_measures(root, capsys):
    edit(
        root,
        "data/measures.yml",
        "{id: reminder, label: 提醒, target: both, rank: 1}",
        "{id: reminder, label: 提醒, target: bothh, rank: 1}",
    )
    line = line_of(root, "data/measures.yml", "target: bothh")
    failed(root, capsys).one("data/measures.yml", line, "`bothh` 不在可选范围内", "`both`")


def test_missing_required_field(root, capsys):
    edit(root, YIWU, "    locator: 第六条第（一）项\n", "")
    (line,) = lines_equal(root, YIWU, "  - id: a6-i1")
    failed(root, capsys).one(YIWU, line, "缺少必填字段 `locator`", "添加 locator")


def test_missing_required_field_in_glossary(root, capsys):
    text = (root / "data/glossary.yml").read_text("utf-8")
    first = re.search(r"(?m)^    definition: .*\n", text)
    (root / "data/glossary.yml").write_text(text[: first.start()] + text[first.end() :], "utf-8")
    line = line_of(root, "data/glossary.yml", "- id: liangge-zeren")
    failed(root, capsys).one("data/glossary.yml", line, "缺少必填字段 `definition`")


# -- references -------------------------------------------------------------------


def test_unknown_role_suggests_close_match(root, capsys):
    edit(
        root, YIWU, "    title: 加强组织领导\n    roles: [committee]", "    title: 加强组织领导\n    roles: [comittee]"
    )
    line = line_of(root, YIWU, "roles: [comittee]")
    text = failed(root, capsys).one(YIWU, line, "未知的角色 `comittee`")
    assert "是否应为：`committee`" in text and "data/roles.yml" in text


def test_unknown_theme_suggests_close_match(root, capsys):
    edit(root, YIWU, "    themes: [leadership, rectification]", "    themes: [leadersip, rectification]")
    line = line_of(root, YIWU, "[leadersip, rectification]")
    assert "`leadership`" in failed(root, capsys).one(YIWU, line, "未知的主题 `leadersip`", "是否应为")


def test_unknown_measure(root, capsys):
    doc = "data/documents/lianyungang.yml"
    text = (root / doc).read_text("utf-8")
    measure = re.search(r"measures: \[(\w+)", text)
    assert measure, "lianyungang has a sanction ladder"
    name = measure.group(1)
    path = root / doc
    path.write_text(text[: measure.start(1)] + name + "x" + text[measure.end(1) :], "utf-8")
    line = text[: measure.start()].count("\n") + 1
    assert f"`{name}`" in failed(root, capsys).one(doc, line, f"未知的追究方式 `{name}x`")


def test_unknown_clause_reference_suggests(root, capsys):
    edit(root, YIWU, "    links: [a6-i1, a7-i1, a8-i1]", "    links: [a6-i1, a7-ix1, a8-i1]")
    line = line_of(root, YIWU, "a7-ix1")
    text = failed(root, capsys).one(YIWU, line, "引用的条款 `a7-ix1` 不存在")
    assert "`a7-i1`" in text


def test_unknown_document_in_cross_reference(root, capsys):
    edit(root, YIWU, "    links: [a6-i1, a7-i1, a8-i1]", "    links: [a6-i1, hubie/a1, a8-i1]")
    line = line_of(root, YIWU, "hubie/a1")
    assert "`hubei`" in failed(root, capsys).one(YIWU, line, "没有文档 `hubie`")


def test_unknown_clause_in_other_document(root, capsys):
    edit(root, YIWU, "    links: [a6-i1, a7-i1, a8-i1]", "    links: [a6-i1, hubei/a999, a8-i1]")
    line = line_of(root, YIWU, "hubei/a999")
    failed(root, capsys).one(YIWU, line, "`hubei/a999` 不存在", "文档 `hubei` 中没有条款 `a999`")


def test_supersedes_unknown_document(root, capsys):
    edit(root, YIWU, "status: 试行\n", "status: 试行\nsupersedes: hubie\n")
    line = line_of(root, YIWU, "supersedes: hubie")
    assert "`hubei`" in failed(root, capsys).one(YIWU, line, "supersedes 指向不存在的文档 `hubie`")


def test_truncated_in_unknown_clause(root, capsys):
    edit(root, YIWU, "completeness: {complete: true}", "completeness: {complete: false, truncated_in: a6-i99}")
    line = line_of(root, YIWU, "truncated_in: a6-i99")
    failed(root, capsys).one(YIWU, line, "truncated_in 指向不存在的条款 `a6-i99`")


# -- duplicate ids ----------------------------------------------------------------


def test_duplicate_clause_id(root, capsys):
    edit(root, YIWU, "  - id: a6-i2\n", "  - id: a6-i1\n")
    lines = lines_equal(root, YIWU, "  - id: a6-i1")
    assert len(lines) == 2
    failed(root, capsys).one(YIWU, lines[1], "条款标识 `a6-i1` 重复")


def test_duplicate_role_id(root, capsys):
    edit(root, "data/roles.yml", "  - id: secretary", "  - id: committee")
    lines = lines_equal(root, "data/roles.yml", "  - id: committee")
    failed(root, capsys).one("data/roles.yml", lines[1], "标识 `committee` 重复")


def test_duplicate_actor_id(root, capsys):
    edit(root, "data/roles.yml", "  - id: superior_commission", "  - id: superior_committee")
    lines = lines_equal(root, "data/roles.yml", "  - id: superior_committee")
    failed(root, capsys).one("data/roles.yml", lines[1], "标识 `superior_committee` 重复")


def test_duplicate_theme_id(root, capsys):
    edit(root, "data/themes.yml", "  - id: mechanism", "  - id: leadership")
    lines = lines_equal(root, "data/themes.yml", "  - id: leadership")
    failed(root, capsys).one("data/themes.yml", lines[1], "标识 `leadership` 重复")


def test_duplicate_key(root, capsys):
    edit(root, YIWU, "    title: 加强组织领导\n", "    title: 加强组织领导\n    title: 加强组织领导\n")
    lines = lines_equal(root, YIWU, "    title: 加强组织领导")
    failed(root, capsys).one(YIWU, lines[1], "键 `title` 在同一处出现了两次")


# -- quotes and tiling ------------------------------------------------------------


def test_quote_not_found_shows_closest_passage(root, capsys):
    edit(root, YIWU, "(一)加强组织领导。党委每次召开", "(一)加强组织领导。党组每次召开")
    line = line_of(root, YIWU, "(一)加强组织领导。党组每次召开") - 1  # the quote: | line
    text = failed(root, capsys).one(YIWU, line, "引文无法在原文中定位")
    assert "党组每次" in text and "党委每次" in text  # what the quote says, and what the source says
    assert re.search(r"原文第 \d+ 行", text)


def test_quote_that_matches_twice(root, capsys):
    edit(root, YIWU, "      第六条  党委领导班子的主体责任:\n", "      主体责任:\n")
    line = line_of(root, YIWU, "      主体责任:") - 1
    text = failed(root, capsys).one(YIWU, line, "这段文字在原文中出现 3 次（第 ")
    assert "context" in text


def test_overlapping_quotes(root, capsys):
    edit(root, YIWU, "    quote: 第一章\n", "    quote: 第一章 第一条\n")
    report = failed(root, capsys)
    a1_quote = line_of(root, YIWU, "第一条  为切实落实") - 1
    text = report.one(YIWU, a1_quote, "被重复覆盖")
    assert "“第一条”" in text and "条款 c1" in text and "条款 a1" in text


def test_gap_in_tiling_shows_uncovered_text(root, capsys):
    edit(
        root,
        YIWU,
        "严格责任追究的原则。纪委落实监督责任,坚持聚焦党风廉政建设和反腐败斗争主业,协助党委加强党风廉政建设和组织协调反腐败工作,依纪依规行使执纪监督问责职责的原则。",
        "严格责任追究的原则。",
    )
    line = line_of(root, YIWU, "第五条  党委落实主体责任") - 1
    text = failed(root, capsys).one(YIWU, line, "没有被任何条款或忽略片段覆盖")
    assert "纪委落实监督责任" in text
    assert re.search(r"原文 data/sources/yiwu.txt 第 \d+ 行", text)


def test_missing_source_file(root, capsys):
    edit(root, YIWU, "source: yiwu.txt", "source: yiwuu.txt")
    line = line_of(root, YIWU, "source: yiwuu.txt")
    text = failed(root, capsys).one(YIWU, line, "data/sources/yiwuu.txt 不存在")
    assert "`yiwu.txt`" in text


def test_source_in_gbk_is_reported_with_conversion(root, capsys):
    source = root / "data/sources/yiwu.txt"
    source.write_bytes(source.read_text("utf-8").encode("gb18030"))
    update_sha(root, YIWU, "yiwu.txt")
    line = line_of(root, YIWU, "source: yiwu.txt")
    report = failed(root, capsys)
    text = report.one(YIWU, line, "不是 UTF-8 编码", "GBK")
    assert "iconv -f GB18030 -t UTF-8 data/sources/yiwu.txt" in text
    assert len(report.problems) == 1  # no follow-on quote errors


def test_source_with_bom_and_crlf_is_accepted(root, capsys):
    source = root / "data/sources/yiwu.txt"
    raw = source.read_bytes().replace(b"\r\n", b"\n")
    source.write_bytes(b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"))
    update_sha(root, YIWU, "yiwu.txt")
    report = check(root, capsys)
    assert report.code == 0, report.out
    book, _ = load_report(root)
    doc = book.documents["yiwu"]
    assert doc.source_text.startswith("\ufeff") and "\r\n" in doc.source_text
    for clause in doc.clauses:  # spans are offsets into the decoded str, BOM and CR included
        covered = "".join(doc.source_text[a:b] for a, b in clause.spans)
        assert sorted(strip_space(covered)) == sorted(strip_space("".join(clause.quote) + (clause.heading or ""))), (
            clause.id
        )
        assert "\r" not in clause.text and "\ufeff" not in clause.text
    first = doc.clauses[0]
    assert doc.source_text[first.spans[0][0]] == strip_space(first.quote[0])[0]


def test_empty_source_file(root, capsys):
    (root / "data/sources/yiwu.txt").write_bytes(b"")
    update_sha(root, YIWU, "yiwu.txt")
    line = line_of(root, YIWU, "source: yiwu.txt")
    report = failed(root, capsys)
    report.one(YIWU, line, "data/sources/yiwu.txt 是空的")
    assert not [p for p in report.problems if p[0] == YIWU and "引文" in p[4]]  # no follow-on errors


def test_empty_yaml_file(root, capsys):
    (root / "data/themes.yml").write_text("", "utf-8")
    failed(root, capsys).one("data/themes.yml", 1, "文件是空的")


def test_yaml_file_not_utf8(root, capsys):
    path = root / "data/themes.yml"
    path.write_bytes(path.read_text("utf-8").encode("gb18030"))
    report = failed(root, capsys)
    assert [
        p
        for p in report.problems
        if p[0] == "data/themes.yml" and "不是 UTF-8 编码" in p[4] and "iconv" in (p[5] or "")
    ]


# -- markup in text ----------------------------------------------------------------


def test_markup_in_text_is_a_warning(root, capsys):
    edit(
        root,
        YIWU,
        "    title: 加强组织领导\n",
        '    title: "{{ 7*7 }}<script>alert(1)</script>加强组织领导"\n    title_editorial: true\n',
    )
    edit(root, "data/themes.yml", "    label: 组织领导", "    label: 组织领导{% if x %}")
    report = check(root, capsys)
    assert report.code == 0, report.out  # a warning does not stop the build
    line = line_of(root, YIWU, "alert(1)")
    report.one(YIWU, line, "HTML 或模板语法", "不会执行", level="提示")
    assert len(report.at(YIWU, line, "提示")) == 1  # reported once
    report.one("data/themes.yml", line_of(root, "data/themes.yml", "{% if x %}"), "HTML 或模板语法", level="提示")


# -- all at once, exit status, no traceback ---------------------------------------


def test_every_problem_reported_in_one_run(root, capsys):
    edit(root, "data/roles.yml", "    short: 党委班子", "    shrot: 党委班子")
    edit(root, YIWU, "    themes: [leadership, rectification]", "    themes: [leadersip, rectification]")
    edit(root, "data/documents/hubei.yml", "source: hubei.txt", "source: hubeii.txt")
    report = failed(root, capsys)
    files = {p[0] for p in report.problems}
    assert {"data/roles.yml", YIWU, "data/documents/hubei.yml"} <= files


def test_command_line_exit_status_and_no_traceback(root):
    edit(root, YIWU, "    title: 加强组织领导\n", "    titel: 加强组织领导\n")
    (root / "data/themes.yml").write_text("themes:\n\t- id: x\n", "utf-8")
    result = check_project(root)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert re.search(
        r"^data/documents/yiwu.yml:\d+:\d+: 错误: 未知的键 `titel`（位置：clauses\[\d+\]） — 是否应为：",
        result.stdout,
        re.M,
    )
    assert re.search(r"^data/themes.yml:2:1: 错误: YAML 格式错误：YAML 不允许用 Tab 缩进", result.stdout, re.M)
    assert re.search(r"^data/documents/yiwu.yml:\d+:\d+: 错误: 缺少必填字段 `title`", result.stdout, re.M)
    assert "共 3 个错误" in result.stderr


def test_shipped_data_has_no_problems(capsys):
    report = check(ROOT, capsys)
    assert report.code == 0 and "全部通过" in report.out
    assert not report.problems, report.out


# Markup in data shown literally on pages and in the search index: tests/test_hostile_data.py.

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(ROOT).as_posix()
        for p in [*(ROOT / "data").glob("*.yml"), *(ROOT / "data/documents").glob("*.yml")]
    ),
)
def test_data_file_names_its_schema(path):
    first = (ROOT / path).read_text("utf-8").splitlines()[0]
    match = SCHEMA_LINE.match(first)
    assert match, f"{path}: the first line must be '# yaml-language-server: $schema=…', not {first!r}"
    schema = ((ROOT / path).parent / match.group(1)).resolve()
    assert schema.is_file(), f"{path} points at a missing schema {match.group(1)}"
    assert schema.parent == (ROOT / "data/schema").resolve()
    import json

    assert json.loads(schema.read_text("utf-8"))["$schema"].startswith("https://json-schema.org/")


def test_fixture_documents_name_their_schema():
    for path in sorted((ROOT / "tests/fixtures").rglob("*.yml")):
        match = SCHEMA_LINE.match(path.read_text("utf-8").splitlines()[0])
        assert match and match.group(1) == "../schema/document.schema.json", path


def test_pre_commit_runs_the_check_on_data_changes():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    hooks = [hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]]
    check_hook = next(h for h in hooks if h["entry"] == ".venv/bin/python -m handbook check")
    assert check_hook["language"] == "system"
    assert check_hook["pass_filenames"] is False
    assert check_hook["files"] == "^data/"
    assert re.search(check_hook["files"], "data/documents/yiwu.yml")
    assert not re.search(check_hook["files"], "handbook/load.py")


def test_pre_commit_runs_lint_and_types_in_the_project_environment():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "ruff-format", "mypy", "handbook-check"} <= set(hooks)
    for hook in hooks.values():  # the pinned tools of .venv, never whatever is on PATH
        program = hook["entry"].split()[0]
        assert hook["language"] == "system" and program.startswith(".venv/bin/"), hook
        assert (ROOT / program).is_file(), f"{program} is not installed: run ./hb test once"
