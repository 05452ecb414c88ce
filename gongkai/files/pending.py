"""Uploads waiting between a preview and its confirmation, kept under MEDIA_ROOT/pending.

Each upload is one file named by a token, `<kind>-<32 hex>[.<suffix>]`. Only a token of the
expected shape and kind is accepted, so a token from a form can never point outside that
folder nor at another kind's upload. Saving an upload clears out its kind's uploads nobody
confirmed in time.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.db import models

_SUFFIX = re.compile(r"^[a-z0-9]{1,5}$")
#: An upload nobody confirmed within this many seconds is removed at the next upload of its kind.
KEEP_UNCONFIRMED_SECONDS = 24 * 3600


class UploadKind(models.TextChoices):
    UNITS = "units", "单位名录导入"
    PLAN = "plan", "任务清单导入"


class UnknownUpload(LookupError):
    """The token is malformed, of another kind, or its file is gone."""


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "pending"


def _token_shape(kind: str) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(UploadKind(kind).value)}-[0-9a-f]{{32}}(?:\.[a-z0-9]{{1,5}})?$"
    )


def save_pending(
    data: bytes, *, kind: str, suffix: str, keep_seconds: int = KEEP_UNCONFIRMED_SECONDS
) -> str:
    """Store the upload privately; returns its token. suffix ("xlsx", or "" for none) lets a
    reader that goes by the file name see the right one."""
    if suffix and not _SUFFIX.fullmatch(suffix):
        raise ValueError(f"not a file suffix: {suffix!r}")
    token = f"{UploadKind(kind).value}-{secrets.token_hex(16)}" + (f".{suffix}" if suffix else "")
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale(folder, kind, keep_seconds)
    path = folder / token
    path.write_bytes(data)
    path.chmod(0o600)
    return token


def _remove_stale(folder: Path, kind: str, keep_seconds: int) -> None:
    shape = _token_shape(kind)
    cutoff = time.time() - keep_seconds
    for old in folder.glob(f"{UploadKind(kind).value}-*"):
        if shape.fullmatch(old.name) and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def pending_path(token: str, *, kind: str) -> Path:
    """The upload's file; UnknownUpload if the token is not one of this kind or the file is gone."""
    if not _token_shape(kind).fullmatch(token):
        raise UnknownUpload("上传的文件标识无效")
    path = _folder() / token
    if not path.is_file():
        raise UnknownUpload("上传的文件已不存在，请重新上传")
    return path


def read_pending(token: str, *, kind: str) -> bytes:
    try:
        return pending_path(token, kind=kind).read_bytes()
    except FileNotFoundError:  # removed between the check and the read
        raise UnknownUpload("上传的文件已不存在，请重新上传") from None


def discard_pending(token: str, *, kind: str) -> None:
    """Remove the upload if it is still there; UnknownUpload only for a malformed token."""
    if not _token_shape(kind).fullmatch(token):
        raise UnknownUpload("上传的文件标识无效")
    (_folder() / token).unlink(missing_ok=True)
