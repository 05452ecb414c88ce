"""The measuring stick for the task-list parser: the hand-labelled answers, the document
builders and the scorer (scripts/build_fixtures.py, scripts/score_parse.py).

Nothing here runs the real parser: its accuracy is what scripts/score_parse.py reports.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from scripts import build_fixtures as bf
from scripts import score_parse as sp

IDS = bf.fixture_ids()
SEED_IDS = [i for i in IDS if i[:1].isdigit()]
TABLE_IDS = [i for i in IDS if isinstance(bf.LAYOUTS[i], bf.TableLayout)]
PROSE_IDS = [i for i in IDS if isinstance(bf.LAYOUTS[i], bf.ProseLayout)]

TASK_KEYS = {
    "path",
    "requirement",
    "lead_units",
    "responsible_units",
    "deadline",
    "time_rules",
    "notes",
    "line",
}
RULE_KINDS = {"within", "minimum", "recurring", "by_date", "ongoing"}
RULE_UNITS = {"workday", "day", "hour", "week", "month", "quarter", "year", None}
NUMBERING = re.compile(
    r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|[①-⑳])"
)
OPEN, CLOSE = "（(〔[【《", "）)〕]】》"


def outside_brackets(text: str) -> str:
    """`text` with every bracketed part removed: 各县（市、区） → 各县."""
    out, depth = [], 0
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_text(fixture_id: str) -> str:
    seed = sp.find_seed(fixture_id, sp.DEFAULT_SEEDS)
    assert seed is not None, f"no seed {fixture_id} in {sp.DEFAULT_SEEDS}"
    return squash(seed.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------- the answers


def test_every_seed_is_labelled() -> None:
    assert SEED_IDS == ["000", "001", "002", "003", "004"]
    assert set(IDS) == set(bf.LAYOUTS)


@pytest.mark.parametrize("fixture_id", IDS)
def test_expected_answer_keeps_the_contract(fixture_id: str) -> None:
    plan = bf.load_expected(fixture_id)
    assert set(plan) == {"source", "title", "issuer", "issued", "doc_number", "tasks"}
    assert isinstance(plan["source"], str) and plan["source"]
    for key in ("title", "issuer", "doc_number"):
        assert plan[key] is None or (isinstance(plan[key], str) and plan[key].strip())
    assert plan["issued"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", plan["issued"])
    assert plan["tasks"]
    for task in plan["tasks"]:
        assert set(task) == TASK_KEYS, task
        req = task["requirement"]
        assert isinstance(req, str) and req.strip() == req and req
        assert not NUMBERING.match(req), req
        assert not re.search(r"[（(](责任|牵头|牽頭|責任)", req[-40:]), req  # no units parenthesis
        assert "[bookmark" not in req
        assert isinstance(task["path"], list) and task["path"]
        for part in task["path"]:
            assert isinstance(part, str) and part.strip() == part and part
            assert not NUMBERING.match(part), part
        for key in ("lead_units", "responsible_units"):
            assert isinstance(task[key], list)
            for unit in task[key]:
                assert isinstance(unit, str) and unit.strip() == unit and unit, task
                bare = outside_brackets(unit)
                assert not re.search(r"[、，,；;\n]", bare), unit
                assert not re.search(r"(牵头|牽頭|负责|負責|配合|等)$", bare), unit
        assert task["deadline"] is None or (isinstance(task["deadline"], str) and task["deadline"])
        assert task["notes"] is None or isinstance(task["notes"], str)
        assert task["line"] is None or (isinstance(task["line"], int) and task["line"] > 0)
        for rule in task["time_rules"]:
            assert set(rule) == {"kind", "amount", "unit", "date", "text"}
            assert rule["kind"] in RULE_KINDS and rule["unit"] in RULE_UNITS
            assert rule["amount"] is None or isinstance(rule["amount"], int)
            assert rule["date"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", rule["date"])
            assert rule["text"] in req or rule["text"] in (task["deadline"] or "")


@pytest.mark.parametrize("fixture_id", SEED_IDS)
def test_expected_answer_is_written_as_in_the_seed(fixture_id: str) -> None:
    """Requirements, path names and units are the seed's own words (whitespace aside)."""
    text = seed_text(fixture_id)
    plan = bf.load_expected(fixture_id)
    for task in plan["tasks"]:
        assert squash(task["requirement"]) in text, task["requirement"]
        for part in task["path"]:
            assert squash(part) in text, part
        for unit in task["lead_units"] + task["responsible_units"]:
            assert squash(unit) in text, unit
        if task["notes"]:
            assert squash(task["notes"]) in text
    for key in ("title", "doc_number", "issuer"):
        if plan[key]:
            assert squash(plan[key]) in text


@pytest.mark.parametrize("fixture_id", SEED_IDS)
def test_seed_lines_point_at_the_requirement(fixture_id: str) -> None:
    seed = sp.find_seed(fixture_id, sp.DEFAULT_SEEDS)
    assert seed is not None, f"no seed {fixture_id} in {sp.DEFAULT_SEEDS}"
    lines = seed.read_text(encoding="utf-8").split("\n")
    last = 0
    for task in bf.load_expected(fixture_id)["tasks"]:
        assert task["line"] > last  # document order
        last = task["line"]
        assert squash(task["requirement"])[:8] in squash(lines[task["line"] - 1])


# ---------------------------------------------------------------------------- the builders


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built")
    bf.build_all(out, formats=("docx", "xlsx", "html"))
    return out


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


@pytest.mark.parametrize("fixture_id", TABLE_IDS)
def test_docx_table_has_real_merges(built: Path, fixture_id: str) -> None:
    import docx

    plan = bf.load_expected(fixture_id)
    layout = bf.LAYOUTS[fixture_id]
    assert isinstance(layout, bf.TableLayout)
    document = docx.Document(str(built / f"{fixture_id}.docx"))
    assert len(document.tables) == 1
    table = document.tables[0]
    assert len(table.rows) == len(plan["tasks"]) + 1
    assert table.cell(0, 0).text == layout.header[0][0]
    xml = table._tbl
    restarts = [e for e in xml.iter(_w("vMerge")) if e.get(_w("val")) == "restart"]
    continued = [e for e in xml.iter(_w("vMerge")) if e.get(_w("val")) in (None, "continue")]
    assert restarts and len(continued) > len(restarts)
    assert any(int(e.get(_w("val"))) > 1 for e in xml.iter(_w("gridSpan")))
    # the first category column is one merged cell per top-level category run
    first = [table.cell(r + 1, layout.columns.index("cat")).text for r in range(len(plan["tasks"]))]
    assert first == [t["path"][0] for t in plan["tasks"]]
    assert document.paragraphs[0].text in (plan["title"], plan["doc_number"])


@pytest.mark.parametrize("fixture_id", PROSE_IDS)
def test_docx_prose_has_headings_and_unit_parentheses(built: Path, fixture_id: str) -> None:
    import docx

    plan = bf.load_expected(fixture_id)
    document = docx.Document(str(built / f"{fixture_id}.docx"))
    styled = [(p, p.style.name if p.style else "") for p in document.paragraphs]
    headings = [p for p, style in styled if style.startswith("Heading")]
    level1 = [p.text[:2] for p, style in styled if style == "Heading 1"]
    top = {t["path"][0] for t in plan["tasks"]}
    assert level1[:2] == ["一、", "二、"]
    assert {re.sub(r"^[一二三四五六七八九十]+、", "", p.text) for p in headings} >= top
    items = [p.text for p in document.paragraphs if re.search(r"（.*(单位|股室)：.*）$", p.text)]
    assert len(items) == len(plan["tasks"])


@pytest.mark.parametrize("fixture_id", TABLE_IDS)
def test_xlsx_has_real_merged_cells(built: Path, fixture_id: str) -> None:
    import openpyxl

    plan = bf.load_expected(fixture_id)
    layout = bf.LAYOUTS[fixture_id]
    assert isinstance(layout, bf.TableLayout)
    sheet = openpyxl.load_workbook(built / f"{fixture_id}.xlsx").active
    assert sheet is not None
    ranges = list(sheet.merged_cells.ranges)
    cat = layout.columns.index("cat") + 1
    vertical = [r for r in ranges if r.min_col == cat and r.max_row > r.min_row]
    assert vertical, "no vertical merge in the first category column"
    assert sheet.cell(row=1, column=1).value == plan["title"]
    assert sheet.cell(row=2, column=1).value == layout.header[0][0]
    body = [sheet.cell(row=r, column=cat).value for r in range(3, 3 + len(plan["tasks"]))]
    # only the first row of each merged run holds the text, as in Excel
    assert body[0] == plan["tasks"][0]["path"][0]
    assert None in body


@pytest.mark.parametrize("fixture_id", TABLE_IDS)
def test_html_table_uses_rowspan(built: Path, fixture_id: str) -> None:
    text = (built / f"{fixture_id}.html").read_text(encoding="utf-8")
    plan = bf.load_expected(fixture_id)
    assert text.count("<table") == 1
    assert text.count("<tr>") == len(plan["tasks"]) + 1
    assert re.search(r'rowspan="\d+"', text) and 'colspan="' in text


def test_docx_is_a_real_word_file(built: Path) -> None:
    with zipfile.ZipFile(built / "004.docx") as z:
        assert "word/document.xml" in z.namelist()


@pytest.mark.parametrize("fixture_id", [i for i in TABLE_IDS if "pdf" in bf.formats_for(i)])
def test_committed_pdf_holds_every_requirement(fixture_id: str) -> None:
    """The committed PDF is up to date with the expected answer (rebuild: --commit-pdfs)."""
    import pdfplumber

    path = bf.committed_pdf(fixture_id)
    assert path.is_file(), "run: python scripts/build_fixtures.py --commit-pdfs"
    cells: set[str] = set()
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 1
        for page in pdf.pages:
            for table in page.extract_tables():
                cells.update(squash(c) for row in table for c in row if c)
    for task in bf.load_expected(fixture_id)["tasks"]:
        assert squash(task["requirement"]) in cells, task["requirement"]


def test_grid_merges_units_only_within_a_top_level_category() -> None:
    plan = {
        "tasks": [
            _task(["甲", "子"], "一项", resp=["办公室"]),
            _task(["甲", "丑"], "二项", resp=["办公室"]),
            _task(["乙", "寅"], "三项", resp=["办公室"]),
            _task(["乙", "寅"], "四项", resp=[]),
        ]
    }
    layout = bf.TableLayout(
        columns=("cat", "cat", "requirement", "units"),
        header=(("任务", 2), ("要求", 1), ("单位", 1)),
        widths=(1, 1, 1, 1),
    )
    regions = bf.merge_regions(bf.table_grid(plan, layout))
    units = sorted((r.r0, r.r1) for r in regions if r.c0 == 3)
    assert units == [(0, 1), (2, 2), (3, 3)]
    cats = sorted((r.r0, r.r1, r.text) for r in regions if r.c0 == 0)
    assert cats == [(0, 1, "甲"), (2, 3, "乙")]


def test_cn_numbers_and_markers() -> None:
    assert [bf.cn_number(n) for n in (1, 10, 12, 20, 31)] == ["一", "十", "十二", "二十", "三十一"]
    assert bf.marker(0, 3) == "三、" and bf.marker(1, 2) == "（二）" and bf.marker(2, 4) == "4. "


# ---------------------------------------------------------------------------- the scorer


def _task(
    path: list[str],
    requirement: str,
    lead: list[str] | None = None,
    resp: list[str] | None = None,
    deadline: str | None = None,
) -> dict[str, Any]:
    return {
        "path": path,
        "requirement": requirement,
        "lead_units": lead or [],
        "responsible_units": resp or [],
        "deadline": deadline,
        "time_rules": [],
        "notes": None,
        "line": None,
    }


def _plan(*tasks: dict[str, Any], title: str | None = "清单") -> dict[str, Any]:
    return {
        "source": "t",
        "title": title,
        "issuer": None,
        "issued": None,
        "doc_number": None,
        "tasks": list(tasks),
    }


EXPECTED = _plan(
    _task(["主动公开", "政策文件"], "及时公开规范性文件。", lead=["办公室"], resp=["各科室"]),
    _task(["主动公开", "机构职能"], "更新机构职能信息。", resp=["人事处"], deadline="每月"),
    _task(["依申请公开"], "按时答复。", resp=["各县（市、区）", "法规科"]),
    _task(["依申请公开"], "按时答复。", resp=["法规科"]),
)


def test_normalise_folds_width_space_and_trailing_punctuation() -> None:
    assert sp.normalise_text("（责任单位：办公室）。") == sp.normalise_text("(责任单位:办公室)")
    assert sp.normalise_text(" 重大决策 预公开；") == "重大决策预公开"
    assert sp.normalise_text("ＡＢＣ，１２") == "ABC,12"
    assert sp.normalise_text(None) == ""


def test_a_perfect_parse_scores_one() -> None:
    score = sp.score_document(EXPECTED, json.loads(json.dumps(EXPECTED)))
    assert (score.precision, score.recall, score.task_f1) == (1.0, 1.0, 1.0)
    assert score.unit_f1 == score.lead_f1 == score.path_accuracy == score.deadline_accuracy == 1.0
    assert score.meta_accuracy == 1.0 and not score.details


def test_matching_is_one_to_one_in_order_and_ignores_form() -> None:
    expected = ["甲。", "乙", "乙", "丙"]
    assert sp.match_tasks(expected, ["甲", "乙；", "丙"]) == [(0, 0), (1, 1), (3, 2)]
    assert sp.match_tasks(expected, ["丙", "甲"]) in ([(0, 1)], [(3, 0)])
    assert sp.match_tasks(["（一）甲"], ["甲"]) == []  # numbering must be gone
    assert sp.match_tasks([""], [""]) == []


def test_a_missing_task_lowers_recall_only() -> None:
    got = _plan(*EXPECTED["tasks"][:3])
    score = sp.score_document(EXPECTED, got)
    assert score.recall == 0.75 and score.precision == 1.0
    assert score.task_f1 == pytest.approx(2 * 3 / 7)
    assert score.unit_f1 == 1.0
    assert any(d.startswith("missed #4") for d in score.details)


def test_an_extra_task_lowers_precision() -> None:
    got = _plan(*EXPECTED["tasks"], _task(["主动公开"], "附件"))
    score = sp.score_document(EXPECTED, got)
    assert score.precision == 0.8 and score.recall == 1.0


def test_a_wrong_unit_lowers_unit_f1() -> None:
    got = json.loads(json.dumps(EXPECTED))
    got["tasks"][2]["responsible_units"] = ["各县(市", "区)", "法规科"]  # split inside brackets
    score = sp.score_document(EXPECTED, got)
    # 6 expected units; 5 right, 2 wrong, 1 missed
    assert (score.unit_tp, score.unit_fp, score.unit_fn) == (5, 2, 1)
    assert score.unit_f1 == pytest.approx(10 / 13)
    assert score.lead_f1 == 1.0 and score.task_f1 == 1.0


def test_lead_and_responsible_are_one_multiset_but_lead_is_also_scored() -> None:
    got = json.loads(json.dumps(EXPECTED))
    got["tasks"][0]["lead_units"], got["tasks"][0]["responsible_units"] = ["各科室"], ["办公室"]
    score = sp.score_document(EXPECTED, got)
    assert score.unit_f1 == 1.0 and score.lead_f1 == 0.0


def test_full_width_units_and_paths_equal_half_width() -> None:
    got = json.loads(json.dumps(EXPECTED))
    got["tasks"][2]["responsible_units"] = ["各县(市、区)", "法规科"]
    got["tasks"][0]["path"] = ["主动公开 ", "政策文件"]
    score = sp.score_document(EXPECTED, got)
    assert score.unit_f1 == 1.0 and score.path_accuracy == 1.0


def test_a_wrong_path_or_deadline_lowers_its_accuracy() -> None:
    got = json.loads(json.dumps(EXPECTED))
    got["tasks"][0]["path"] = ["一、主动公开", "政策文件"]
    got["tasks"][1]["deadline"] = None
    score = sp.score_document(EXPECTED, got)
    assert score.path_accuracy == 0.75 and score.deadline_accuracy == 0.75


def test_a_failed_parse_scores_zero_and_totals_add_up() -> None:
    failed = sp.score_document(EXPECTED, None, "a", "txt")
    assert failed.task_f1 == 0.0 and failed.unit_f1 == 0.0 and failed.path_accuracy == 0.0
    perfect = sp.score_document(EXPECTED, EXPECTED, "b", "txt")
    total = sp.aggregate([failed, perfect], "ALL", "txt")
    assert (total.expected, total.predicted, total.matched, total.documents) == (8, 4, 4, 2)
    assert total.recall == 0.5 and total.precision == 1.0 and total.unit_f1 == 1.0
    assert sp.gate([total], 0.98, 0.95, 0.95) == ["ALL txt: task F1 0.667 < 0.98"]
    assert sp.gate([perfect], 0.98, 0.95, 0.95) == []


def test_metadata_is_compared_only_where_the_format_carries_it() -> None:
    expected = dict(EXPECTED, issuer="某局", issued="2023-01-02")
    got = dict(EXPECTED, issuer=None)
    assert sp.score_document(expected, got).meta_accuracy == pytest.approx(1 / 3)
    assert sp.score_document(expected, got, meta_fields=("title",)).meta_accuracy == 1.0


# ---------------------------------------------------------------------------- end to end

FAKE = """
import json, re, sys
from pathlib import Path
fixtures = Path(sys.argv[1])
name = Path(sys.argv[2]).name
plan = json.loads((fixtures / (re.match(r"x?\\d+", name).group(0) + ".expected.json")).read_text())
if sys.argv[3:] == ["drop"]:
    plan["tasks"] = plan["tasks"][1:]
if sys.argv[3:] == ["fail"]:
    sys.exit("cannot read " + name)
print(json.dumps(plan, ensure_ascii=False))
"""


def _run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str, *args: str
) -> tuple[int, str, str]:
    fake = tmp_path / "fake_parser.py"
    fake.write_text(FAKE, encoding="utf-8")
    command = f"{sys.executable} {fake} {bf.FIXTURES} {{file}} {mode}".strip()
    code = sp.main(["--command", command, "003", "x01", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_scorer_end_to_end_with_a_perfect_fake_parser(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        tmp_path,
        capsys,
        "",
        "--json",
        "--min-task-f1",
        "1",
        "--min-unit-f1",
        "1",
        "--min-path",
        "1",
    )
    assert code == 0
    report = json.loads(out)
    formats = {(d["name"], d["fmt"]) for d in report["documents"]}
    assert {("x01", "docx"), ("x01", "xlsx"), ("x01", "html"), ("x01", "pdf")} <= formats
    assert ("003", "docx") in formats and ("003", "html") in formats
    assert report["overall"]["task_f1"] == 1.0 and report["passed"] is True


def test_scorer_gate_fails_when_tasks_are_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(tmp_path, capsys, "drop", "--formats", "docx,html", "--min-task-f1", "0.98")
    assert code == 1
    assert "BELOW" in out and "task F1" in out


def test_scorer_says_so_when_the_parser_cannot_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(tmp_path, capsys, "fail", "--formats", "html")
    assert code == 2
    assert "failed on every document" in err and "cannot read" in err
