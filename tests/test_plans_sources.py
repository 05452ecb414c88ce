"""Task-list files on disk: names from outside never point outside MEDIA_ROOT/plans/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from gongkai.plans.sources import (
    MissingFile,
    discard_pending,
    pending_path,
    remove_source,
    save_pending,
    source_path,
    store_source,
)


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("任务清单.docx", "任务清单.docx"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\公开办\\清单.xlsx", "清单.xlsx"),
        (".bashrc", "bashrc"),
        ("..", "upload"),
        ("很" * 200 + ".pdf", "很" * 76 + ".pdf"),
    ],
)
def test_an_upload_keeps_its_own_name_inside_its_folder(uploaded: str, stored: str) -> None:
    token = save_pending(b"data", uploaded)
    path = pending_path(token)
    assert path.name == stored and path.read_bytes() == b"data"
    assert path.parent.parent == Path(settings.MEDIA_ROOT) / "plans" / "pending"
    discard_pending(token)
    with pytest.raises(MissingFile):
        pending_path(token)


@pytest.mark.parametrize("token", ["../sources", "plan-../../x", "plan-" + "0" * 31, ""])
def test_a_malformed_token_is_refused(token: str) -> None:
    with pytest.raises(MissingFile, match="无效"):
        pending_path(token)
    discard_pending(token)  # and removes nothing


def test_sources_are_stored_once_by_content() -> None:
    name, created = store_source(b"v1", "清单.DOCX")
    assert created and name.endswith(".docx") and len(name) == 64 + 5
    assert store_source(b"v1", "another.docx") == (name, False)
    assert source_path(name).read_bytes() == b"v1"
    remove_source(name)
    with pytest.raises(MissingFile):
        source_path(name)
    with pytest.raises(MissingFile, match="无效"):
        source_path("../../settings.py")
