"""`gongkai parse FILE`: one JSON object and status 0, or one line on stderr and status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from gongkai.tasklist.model import RuleKind, RuleUnit

LIST = (
    "2023年政务公开工作任务清单\n"
    "工作任务\t具体要求\t责任单位\t完成时限\n"
    "主动公开\t及时公开规范性文件，3个工作日内完成。\t办公室牵头，各科室配合\t2023年底前\n"
)


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in a fresh process on a fresh, unmigrated data directory."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BROKER_URL")}
    env["GONGKAI_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run(
        [sys.executable, "-m", "gongkai", "parse", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_a_task_list_prints_one_json_object_in_the_contract_shape(tmp_path: Path) -> None:
    path = tmp_path / "清单.txt"
    path.write_text(LIST, encoding="utf-8")
    done = run_cli(tmp_path, str(path), "--format", "json")
    assert (done.returncode, done.stderr) == (0, "")
    data = json.loads(done.stdout)
    assert set(data) >= {"source", "title", "issuer", "issued", "doc_number", "tasks"}
    assert (data["source"], data["title"]) == ("清单.txt", "2023年政务公开工作任务清单")
    (task,) = data["tasks"]
    assert task == {
        "path": ["主动公开"],
        "requirement": "及时公开规范性文件，3个工作日内完成。",
        "lead_units": ["办公室"],
        "responsible_units": ["各科室"],
        "deadline": "2023年底前",
        "time_rules": [
            {"kind": "within", "amount": 3, "unit": "workday", "date": None, "text": "3个工作日内"},
            {
                "kind": "by_date",
                "amount": None,
                "unit": None,
                "date": "2023-12-31",
                "text": "2023年底前",
            },
        ],
        "notes": None,
        "line": 3,
    }


def test_the_year_option_dates_deadlines_the_file_leaves_undated(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text(
        "工作任务\t具体要求\t责任单位\n公开\t年底前完成年报。\t办公室\n", encoding="utf-8"
    )
    done = run_cli(tmp_path, str(path), "--year", "2024")
    rules = json.loads(done.stdout)["tasks"][0]["time_rules"]
    assert [r["date"] for r in rules] == ["2024-12-31"]


def test_the_text_format_is_for_people(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text(LIST, encoding="utf-8")
    done = run_cli(tmp_path, str(path), "--format", "text")
    assert done.returncode == 0
    assert "任务：1 条" in done.stdout
    assert "牵头：办公室" in done.stdout and "时限：2023年底前" in done.stdout


def _junk(tmp_path: Path) -> Path:
    path = tmp_path / "junk.bin"
    path.write_bytes(bytes(range(256)) * 8)
    return path


def _blank(tmp_path: Path) -> Path:
    path = tmp_path / "blank.txt"
    path.write_text("\n\n   \n", encoding="utf-8")
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: tmp / "nowhere.docx", "不存在"),
        (_empty, "空"),
        (_blank, "没有可读取的文字"),
        (_junk, "不支持"),
    ],
)
def test_a_file_it_cannot_read_gives_one_line_on_stderr_and_status_2(
    tmp_path: Path, make: Callable[[Path], Path], reason: str
) -> None:
    path = make(tmp_path)
    done = run_cli(tmp_path, str(path), "--format", "json")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and reason in lines[0]
    assert lines[0].startswith("gongkai parse: ")


def test_a_missing_argument_is_one_line_too(tmp_path: Path) -> None:
    done = run_cli(tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1


def test_the_contract_doc_names_every_field_and_kind_the_json_has(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "tasklist.md").read_text("utf-8")
    path = tmp_path / "list.txt"
    path.write_text(LIST.replace("具体要求", "具体要求\t备注"), encoding="utf-8")
    data = json.loads(run_cli(tmp_path, str(path)).stdout)
    fields = set(data) | set(data["tasks"][0]) | set(data["tasks"][0]["time_rules"][0])
    fields |= {"simplified"}
    assert all(f'"{name}"' in doc for name in fields)
    assert all(f"`{kind}`" in doc for kind in RuleKind)
    assert all(unit in doc for unit in RuleUnit)
