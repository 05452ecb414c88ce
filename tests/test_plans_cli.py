"""`gongkai import FILE --plan 名称 --year 2023`: the import without the preview."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.audit.models import AuditEvent, Channel
from gongkai.plans.models import Plan, PlanVersion, Task, TaskStatus
from gongkai.tasklist.blocks import ParseError
from gongkai.tasklist.model import ParsedPlan, ParsedTask
from gongkai.units.models import GroupMode, UnitGroup
from tests.conftest import Cast
from tests.test_plans_import import FILE, POLICY, T1, T2, T5, parsed, version_1, version_2


@pytest.fixture
def listfile(tmp_path: Path) -> Path:
    path = tmp_path / "任务清单.docx"
    path.write_bytes(FILE)
    return path


@pytest.fixture
def members(cast: Cast) -> UnitGroup:
    group = UnitGroup.objects.create(name="各成员单位", mode=GroupMode.EXPLICIT)
    group.members.set([cast.justice, cast.finance])
    return group


def parser_returns(monkeypatch: pytest.MonkeyPatch, result: ParsedPlan | Exception) -> None:
    def fake(path: Path) -> ParsedPlan:
        if isinstance(result, Exception):
            raise result
        return result

    monkeypatch.setattr("gongkai.plans.parsing.parse_file", fake)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_creates_the_plan_and_prints_a_summary(
    cast: Cast, members: UnitGroup, listfile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser_returns(monkeypatch, version_1())
    out, err = run(str(listfile), "--plan", "政务公开工作任务清单", "--year", "2023")
    assert err == ""
    assert "已导入2023年 政务公开工作任务清单 第1版：新增 4 项，修改 0 项，删除 0 项" in out
    assert "提示：第 3 页的页码已忽略" in out
    plan = Plan.objects.get()
    assert plan.current_version is not None and plan.current_version.filename == "任务清单.docx"
    assert Task.objects.count() == 4
    event = AuditEvent.objects.for_object(plan).earliest("at")
    assert (event.channel, event.actor, event.actor_name) == (Channel.CLI, None, "系统")


def test_running_it_again_with_a_revised_list_adds_a_version(
    cast: Cast, members: UnitGroup, listfile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser_returns(monkeypatch, version_1())
    run(str(listfile), "--plan", "清单", "--year", "2023")
    ids = dict(Task.objects.values_list("requirement", "pk"))
    parser_returns(monkeypatch, version_2())
    listfile.write_bytes(FILE + b" revised")
    out, _ = run(str(listfile), "--plan", "清单", "--year", "2023", "--user", "office")
    assert "第2版：新增 1 项，修改 1 项，删除 1 项，未变 2 项" in out
    assert Plan.objects.count() == 1 and PlanVersion.objects.count() == 2
    assert Task.objects.get(pk=ids[T1]).status == TaskStatus.ACTIVE
    assert Task.objects.get(pk=ids[T2]).requirement != T2  # the edit, on the same row
    assert Task.objects.filter(status=TaskStatus.REMOVED).count() == 1
    assert Task.objects.get(requirement=T5).first_version.imported_by == cast.office


def unknown_units() -> ParsedPlan:
    return parsed(ParsedTask(POLICY, T1, responsible_units=["区司法厅", "区档案馆"]))


def test_unresolved_units_stop_the_import_with_status_2_and_a_list(
    cast: Cast, listfile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser_returns(monkeypatch, unknown_units())
    err = io.StringIO()
    with pytest.raises(CommandError, match="--allow-unresolved") as caught:
        call_command(
            "import", str(listfile), "--plan", "清单", "--year", "2023", stderr=err, stdout=err
        )
    assert caught.value.returncode == 2
    lines = err.getvalue().splitlines()
    assert lines[0] == "以下 2 个单位未能对应到单位名录，未导入："
    assert lines[1].startswith("  区司法厅（相近：区司法局")
    assert lines[2] == "  区档案馆"
    assert not Plan.objects.exists() and not Task.objects.exists()


def test_allow_unresolved_keeps_the_phrases_as_text(
    cast: Cast, listfile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser_returns(monkeypatch, unknown_units())
    out, _ = run(str(listfile), "--plan", "清单", "--year", "2023", "--allow-unresolved")
    assert "2 个单位未能对应：区司法厅、区档案馆" in out
    task = Task.objects.get()
    assert [e["phrase"] for e in task.unresolved] == ["区司法厅", "区档案馆"]
    assert not task.units.exists()


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("--user", "nobody"), "没有账号 nobody"),
        (("--user", "justice"), "不是公开办账号"),
        (("--year", "1999"), "年度应在 2000 至 2100 之间"),
    ],
)
def test_bad_options_are_refused_with_status_2(
    cast: Cast,
    listfile: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    complaint: str,
) -> None:
    parser_returns(monkeypatch, version_1())
    argv = ["--plan", "清单", "--year", "2023", *args]
    with pytest.raises(CommandError, match=complaint) as caught:
        run(str(listfile), *argv)
    assert caught.value.returncode == 2
    assert not Plan.objects.exists()


def test_a_file_the_parser_refuses_is_reported(
    cast: Cast, listfile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser_returns(monkeypatch, ParseError("不支持的文件类型"))
    with pytest.raises(CommandError, match=r"无法解析 任务清单\.docx：不支持的文件类型") as caught:
        run(str(listfile), "--plan", "清单", "--year", "2023")
    assert caught.value.returncode == 2


def test_a_file_over_the_size_limit_is_refused(
    cast: Cast, listfile: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser_returns(monkeypatch, version_1())
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(CommandError, match="超过"):
        run(str(listfile), "--plan", "清单", "--year", "2023")


def gongkai(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BROKER_URL")}
    env["GONGKAI_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_gongkai_import_is_a_command_of_the_console_script(tmp_path: Path) -> None:
    done = gongkai(tmp_path, "import", "--help")
    assert done.returncode == 0 and "--allow-unresolved" in done.stdout
    missing = gongkai(
        tmp_path, "import", str(tmp_path / "无.docx"), "--plan", "x", "--year", "2023"
    )
    assert missing.returncode == 2
    assert "无法读取" in missing.stderr and missing.stdout == ""
