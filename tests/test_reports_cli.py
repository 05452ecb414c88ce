"""`gongkai report annual`: the full structure on an empty database, in all three formats;
one line on stderr and status 2 for bad input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import lxml.html  # type: ignore[import-untyped]  # lxml ships no type stubs
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from tests.conftest import Cast
from tests.test_reports_table3 import COLUMNS, EXPECTED_2025, LABELS, make_requests, table3_of

ZEROS = [0] * 7


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", "annual", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_json_on_an_empty_database_has_every_row_and_column_at_zero() -> None:
    built = json.loads(run("--year", "2025", "--format", "json"))
    assert built["year"] == 2025 and built["unit"] is None
    assert [s["number"] + "、" + s["title"] for s in built["sections"]] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert built["table3"]["columns"] == COLUMNS
    assert [r["label"] for r in built["table3"]["rows"]] == LABELS
    assert all(r["values"] == ZEROS for r in built["table3"]["rows"])
    assert [g["values"] for g in built["table4"]["groups"]] == [[0] * 5] * 3
    assert built["table4"]["columns"] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert built["table2"] == {
        "regulations": {"made": 0, "repealed": 0, "inForce": 0},
        "normativeDocs": {"made": 0, "repealed": 0, "inForce": 0},
        "licensing": {"decisions": 0},
        "punishment": {"decisions": 0},
        "coercion": {"decisions": 0},
        "fees": {"amount": "0"},
    }
    assert built["ok"] is True
    assert "本年度收取信息处理费0元" in built["sections"][5]["text"]


@pytest.mark.django_db
def test_html_on_an_empty_database_has_the_full_tables() -> None:
    tree = lxml.html.fromstring(run("--year", "2025", "--format", "html"))
    rows = tree.xpath('//table[@id="table3"]//tr[@data-key]')
    assert len(rows) == 25
    assert [r.xpath('td[@class="label"]')[-1].text_content() for r in rows] == LABELS
    assert {td.text_content().strip() for td in tree.xpath('//td[@class="num"]')} == {"0"}
    assert len(tree.xpath('//table[@id="table4"]//td[@class="num"]')) == 15
    assert len(tree.xpath('//table[@id="table2"]//td[@class="num"]')) == 10


@pytest.mark.django_db
def test_docx_on_an_empty_database_reads_back_with_zeros(tmp_path: Path) -> None:
    target = tmp_path / "年报.docx"
    run("--year", "2025", "--format", "docx", "--output", str(target))
    t2, t3, t4 = Document(str(target)).tables
    assert [t3.cell(3 + i, 2).text for i in range(25)] == LABELS
    assert [t3.cell(2, c).text for c in range(3, 10)] == COLUMNS
    assert {t3.cell(r, c).text for r in range(3, 28) for c in range(3, 10)} == {"0"}
    assert [t4.cell(3, c).text for c in range(15)] == ["0"] * 15
    assert [t4.cell(0, 0).text, t4.cell(0, 5).text] == ["行政复议", "行政诉讼"]
    assert [t4.cell(1, 5).text, t4.cell(1, 10).text] == ["未经复议直接起诉", "复议后起诉"]
    assert t2.cell(0, 0).text == "第二十条第（一）项"


@pytest.mark.django_db
def test_a_unit_by_name_and_the_whole_organisation(cast: Cast) -> None:
    make_requests(cast)
    assert table3_of(json.loads(run("--year", "2025"))) == EXPECTED_2025
    justice = json.loads(run("--year", "2025", "--unit", "区司法局"))
    assert justice["unit"]["name"] == "区司法局"
    assert justice["table3"]["rows"][0]["values"] == [4, 1, 1, 1, 1, 1, 9]
    by_id = json.loads(run("--year", "2025", "--unit", str(cast.gov.pk), "--include-children"))
    assert table3_of(by_id) == EXPECTED_2025


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("--year", "20x5"), "年度"),
        (("--year", "1999"), "年度"),
        (("--year", "2025", "--unit", "不存在的局"), "没有找到单位"),
        (("--year", "2025", "--format", "pdf"), "格式"),
    ],
)
def test_bad_input_is_refused_in_chinese(args: tuple[str, ...], complaint: str) -> None:
    with pytest.raises(CommandError, match=complaint):
        run(*args)


def _env(tmp_path: Path) -> dict[str, str]:
    """SQLite in a fresh data directory, whatever database the suite runs on."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BROKER_URL")}
    env["GONGKAI_DATA_DIR"] = str(tmp_path / "data")
    return env


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "gongkai", "report", *args],
        env=_env(tmp_path),
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_the_console_command_prints_one_line_and_exits_2_on_bad_input(tmp_path: Path) -> None:
    for args, words in [
        (("annual", "--year", "twenty"), "年度"),
        (("annual",), "缺少参数"),
        (("annual", "--year", "2025"), "gongkai migrate"),  # a fresh, unmigrated data directory
    ]:
        done = _cli(tmp_path, *args)
        err = done.stderr.decode()
        assert done.returncode == 2 and done.stdout == b"", (args, err)
        assert err.count("\n") == 1 and words in err, err


def test_the_console_command_writes_docx_bytes_to_stdout(tmp_path: Path) -> None:
    migrated = subprocess.run(
        [sys.executable, "-m", "gongkai", "migrate", "-v0"],
        env=_env(tmp_path),
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr.decode()[-500:]
    done = _cli(tmp_path, "annual", "--year", "2025", "--format", "docx")
    assert done.returncode == 0, done.stderr.decode()
    doc = Document(io.BytesIO(done.stdout))
    assert len(doc.tables) == 3 and doc.tables[1].cell(3, 9).text == "0"
    as_json = _cli(tmp_path, "annual", "--year", "2025")
    assert json.loads(as_json.stdout.decode())["table3"]["rows"][24]["values"] == ZEROS
