"""`gongkai workdays`: answers on stdout, one line on stderr and status 2 for bad input."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.holidays.management.commands.workdays import DAY_OFF, HELP, WORKDAY
from gongkai.holidays.models import AdjustmentKind, LocalAdjustment


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in a fresh process on a fresh, unmigrated data directory (SQLite)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BROKER_URL")}
    env["GONGKAI_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run(
        [sys.executable, "-m", "gongkai", "workdays", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "answer"),
    [
        (("add", "2025-09-26", "20"), "2025-10-30"),
        (("between", "2025-09-26", "2025-10-30"), "20"),
        (("between", "2025-10-30", "2025-09-26"), "-20"),
        (("is", "2026-02-14"), "workday"),  # Saturday make-up day
        (("is", "2026-02-23"), "holiday"),  # Monday inside 春节
    ],
)
def test_the_command_prints_one_answer_on_a_fresh_data_dir(
    tmp_path: Path, args: tuple[str, ...], answer: str
) -> None:
    done = run_cli(tmp_path, *args)
    assert (done.returncode, done.stdout, done.stderr) == (0, answer + "\n", "")


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("add", "26/09/2025", "20"), "YYYY-MM-DD"),
        (("add", "2025-09-26", "-1"), "负数"),
        (("add", "2025-09-26", "twenty"), "整数"),
        (("is", "2025-02-30"), "不存在"),
        (("is", "2027-01-04"), "2027"),
        (("add", "2026-12-15", "20"), "2027"),  # the deadline crosses into 2027
        (("add", "2025-09-26"), "n"),
        ((), "add,between,is"),
        (("next", "2025-09-26"), "next"),
    ],
)
def test_bad_input_gives_one_line_on_stderr_and_status_2(
    tmp_path: Path, args: tuple[str, ...], complaint: str
) -> None:
    done = run_cli(tmp_path, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.endswith("\n")
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert complaint in done.stderr


def test_the_help_documents_every_answer_the_command_prints(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "--help")
    assert done.returncode == 0
    for text in ("2025-10-30", "20", WORKDAY, DAY_OFF, "退出码 2", "一行"):
        assert text in HELP
        assert text in done.stdout


def _answer(*args: str) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_the_command_honours_a_local_holiday() -> None:
    assert _answer("is", "2025-10-09") == "workday"
    LocalAdjustment.objects.create(
        date=dt.date(2025, 10, 9), kind=AdjustmentKind.HOLIDAY, reason="本地放假"
    )
    assert _answer("is", "2025-10-09") == "holiday"
    assert _answer("add", "2025-09-26", "20") == "2025-10-31"
    assert _answer("between", "2025-09-26", "2025-10-31") == "20"


@pytest.mark.django_db
def test_the_command_honours_a_local_workday() -> None:
    LocalAdjustment.objects.create(
        date=dt.date(2025, 10, 18), kind=AdjustmentKind.WORKDAY, reason="集中办理"
    )
    assert _answer("is", "2025-10-18") == "workday"
    assert _answer("add", "2025-09-26", "20") == "2025-10-29"


@pytest.mark.django_db
def test_called_from_code_bad_input_raises_command_error_with_status_2() -> None:
    with pytest.raises(CommandError, match="负数") as caught:
        call_command("workdays", "add", "2025-09-26", "-3", stdout=io.StringIO())
    assert caught.value.returncode == 2
