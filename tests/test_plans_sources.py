"""Imported versions' files: names from outside never point outside MEDIA_ROOT/plans/."""

from __future__ import annotations

import pytest

from gongkai.plans.sources import MissingFile, extension, remove_source, source_path, store_source


@pytest.mark.parametrize(
    ("uploaded", "ext"),
    [
        ("任务清单.docx", ".docx"),
        ("清单.XLSX", ".xlsx"),
        ("../../etc/passwd", ""),
        ("C:\\Users\\公开办\\清单.xlsx", ".xlsx"),
        (".bashrc", ""),
        ("..", ""),
        ("很" * 200 + ".pdf", ".pdf"),
        ("清单.docx/../../x", ""),
        ("清单.d/cx", ""),
        ("清单.toolongext", ""),
    ],
)
def test_only_an_extension_of_the_expected_shape_comes_from_an_upload_name(
    uploaded: str, ext: str
) -> None:
    assert extension(uploaded) == ext


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
