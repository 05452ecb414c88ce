"""Uploads waiting for a confirmation: a token from a form reaches only its own kind's file."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from gongkai.files.pending import (
    UnknownUpload,
    UploadKind,
    discard_pending,
    pending_path,
    read_pending,
    save_pending,
)


def test_a_pending_upload_is_kept_privately_until_discarded(settings: Any) -> None:
    token = save_pending(b"name\r\n", kind=UploadKind.UNITS, suffix="csv")
    path = Path(settings.MEDIA_ROOT) / "pending" / token
    assert token.startswith("units-") and token.endswith(".csv")
    assert pending_path(token, kind=UploadKind.UNITS) == path
    assert read_pending(token, kind=UploadKind.UNITS) == b"name\r\n"
    assert path.stat().st_mode & 0o077 == 0
    discard_pending(token, kind=UploadKind.UNITS)
    with pytest.raises(UnknownUpload, match="已不存在"):
        read_pending(token, kind=UploadKind.UNITS)
    with pytest.raises(UnknownUpload, match="已不存在"):
        pending_path(token, kind=UploadKind.UNITS)
    discard_pending(token, kind=UploadKind.UNITS)  # twice is fine


def test_an_upload_without_a_suffix_is_kept_without_one() -> None:
    token = save_pending(b"data", kind=UploadKind.PLAN, suffix="")
    assert pending_path(token, kind=UploadKind.PLAN).suffix == ""
    assert read_pending(token, kind=UploadKind.PLAN) == b"data"


@pytest.mark.parametrize("suffix", ["../x", "x/y", "DOCX", "toolong", "."])
def test_a_suffix_of_another_shape_is_a_programming_error(suffix: str) -> None:
    with pytest.raises(ValueError, match="suffix"):
        save_pending(b"data", kind=UploadKind.PLAN, suffix=suffix)


@pytest.mark.parametrize(
    "token",
    [
        "../secret_key",
        "../x",
        "units-0123456789abcdef0123456789abcdef.xlsx/../../x",
        "units-0123456789abcdef0123456789abcdef/../../secret_key",
        "units-x.csv",
        "units-" + "0" * 31 + ".csv",
        "units-" + "0" * 32 + ".toolong",
        "UNITS-" + "0" * 32 + ".csv",
        "plan-" + "0" * 32 + ".csv",
        "",
    ],
)
def test_a_pending_upload_token_cannot_point_outside_the_folder(token: str, settings: Any) -> None:
    secret = Path(settings.MEDIA_ROOT) / "secret_key"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text("s3cret")
    for call in (read_pending, pending_path, discard_pending):
        with pytest.raises(UnknownUpload, match="无效"):
            call(token, kind=UploadKind.UNITS)
    assert secret.exists()


def test_another_kinds_token_is_refused_and_its_file_kept() -> None:
    token = save_pending(b"plan", kind=UploadKind.PLAN, suffix="docx")
    with pytest.raises(UnknownUpload, match="无效"):
        read_pending(token, kind=UploadKind.UNITS)
    with pytest.raises(UnknownUpload, match="无效"):
        discard_pending(token, kind=UploadKind.UNITS)
    assert read_pending(token, kind=UploadKind.PLAN) == b"plan"


def test_an_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        save_pending(b"data", kind="evidence/..", suffix="pdf")


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_uploads_nobody_confirmed_are_cleared_after_a_day(settings: Any) -> None:
    folder = Path(settings.MEDIA_ROOT) / "pending"
    stale = save_pending(b"old", kind=UploadKind.UNITS, suffix="csv")
    fresh = save_pending(b"new", kind=UploadKind.UNITS, suffix="csv")
    _age(folder / stale, 2 * 24 * 3600)
    _age(folder / fresh, 23 * 3600)
    save_pending(b"newest", kind=UploadKind.UNITS, suffix="xlsx")
    assert not (folder / stale).exists()
    assert read_pending(fresh, kind=UploadKind.UNITS) == b"new"


def test_clearing_keeps_other_kinds_and_their_own_keep_time(settings: Any) -> None:
    folder = Path(settings.MEDIA_ROOT) / "pending"
    week = 7 * 24 * 3600
    plan = save_pending(b"plan", kind=UploadKind.PLAN, suffix="docx", keep_seconds=week)
    old_plan = save_pending(b"old plan", kind=UploadKind.PLAN, suffix="docx", keep_seconds=week)
    _age(folder / plan, 2 * 24 * 3600)
    _age(folder / old_plan, 8 * 24 * 3600)
    stray = folder / "notes.txt"  # not a token: never touched
    stray.write_text("x")
    _age(stray, 30 * 24 * 3600)

    save_pending(b"units", kind=UploadKind.UNITS, suffix="csv")
    assert (folder / plan).exists() and (folder / old_plan).exists() and stray.exists()

    save_pending(b"plan 2", kind=UploadKind.PLAN, suffix="", keep_seconds=week)
    assert (folder / plan).exists() and stray.exists()
    assert not (folder / old_plan).exists()
