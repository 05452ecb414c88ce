"""How much a reader may take on: file size, unpacked size, table cells, table nesting.

The limits guard the server against hostile or broken uploads (zip bombs, a sheet with a million
styled cells, tables nested a thousand deep). Exceeding a size limit is a ParseError; exceeding
the nesting depth is not: deeper tables are read as plain text with a warning.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from gongkai.tasklist.readers import errors

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * MB  # the file as uploaded
    max_unpacked_bytes: int = 200 * MB  # a .docx/.xlsx's members, uncompressed, all together
    max_cells: int = 200_000  # table cells across the document, merged positions included
    max_depth: int = 8  # tables inside tables; deeper ones are flattened to text


DEFAULT_LIMITS = Limits()


def check_file(path: Path, limits: Limits) -> int:
    """The file's size, after checking it exists, is a file, is not empty and not too large."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise errors.missing(path) from None
    except OSError as exc:
        raise errors.unreadable(exc) from exc
    if not path.is_file():
        raise errors.missing(path)
    if size == 0:
        raise errors.empty()
    if size > limits.max_bytes:
        raise errors.too_large(size, limits.max_bytes)
    return size


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse a zip whose members would unpack beyond the limit (a zip bomb) or is not a zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise errors.corrupt(exc) from exc
    if unpacked > limits.max_unpacked_bytes:
        raise errors.too_large(unpacked, limits.max_unpacked_bytes, what="解压后")


def too_deep_warning(limits: Limits) -> str:
    return f"表格嵌套超过 {limits.max_depth} 层，更深的表格按文字读取 (tables nested too deep)"


class CellBudget:
    """Counts table cells as a reader makes them; raises once the document has too many."""

    def __init__(self, limits: Limits) -> None:
        self.limit = limits.max_cells
        self.used = 0

    def take(self, count: int) -> None:
        self.used += count
        if self.used > self.limit:
            raise errors.too_many_cells(self.limit)


def sniff_ooxml(
    head: bytes, suffix: str, folder: bytes, main_part: bytes, suffixes: tuple[str, ...]
) -> int:
    """How sure an Office Open XML reader is: a zip whose member names (near the start of the
    file) show its folder, e.g. `word/` with `word/document.xml`; the name is a weaker hint."""
    if not head.startswith(b"PK\x03\x04"):
        return 0
    if main_part in head:
        return 100
    if folder in head:
        return 90
    return 40 if suffix in suffixes else 0
