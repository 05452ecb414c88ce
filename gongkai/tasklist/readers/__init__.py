"""Readers: one module a format, each turning a file into a RawDocument of blocks.

Every reader module has the same three names:

    NAME: str                                          # "docx", "pdf"…
    def sniff(head: bytes, suffix: str) -> int         # 0–100: how sure it can read this file
    def read(path: Path, limits: Limits) -> RawDocument

`read_document()` asks every reader in READERS to sniff the first bytes and lets the most sure
one read; the file's name only breaks ties (an .xlsx renamed .doc still reads as a workbook).
Adding a format means adding a module and a line to READERS.

Whatever goes wrong, the caller gets a ParseError with a one-line Chinese message and an
English gloss — never another exception (a reader's unexpected error is reported as a corrupt
file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from gongkai.tasklist.blocks import ParseError, RawDocument
from gongkai.tasklist.readers import docx, errors, html, legacy, mhtml, pdf, text, xlsx
from gongkai.tasklist.readers.limits import DEFAULT_LIMITS, check_file
from gongkai.tasklist.readers.limits import Limits as Limits  # re-exported for callers

HEAD_BYTES = 64 * 1024  # enough to see a zip's first member names and an HTML page's <meta>


class Reader(Protocol):
    NAME: str

    def sniff(self, head: bytes, suffix: str) -> int: ...

    def read(self, path: Path, limits: Limits) -> RawDocument: ...


READERS: list[Reader] = [docx, xlsx, pdf, html, mhtml, text, legacy]


def choose_reader(head: bytes, suffix: str) -> Reader:
    """The reader most sure it can read a file starting with `head`; ParseError if none is."""
    best, best_score = None, 0
    for reader in READERS:
        score = reader.sniff(head, suffix.lower())
        if score > best_score:
            best, best_score = reader, score
    if best is None:
        raise errors.unsupported()
    return best


def read_document(path: Path, limits: Limits = DEFAULT_LIMITS) -> RawDocument:
    check_file(path, limits)
    try:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError as exc:
        raise errors.unreadable(exc) from exc
    reader = choose_reader(head, path.suffix)
    try:
        return reader.read(path, limits)
    except ParseError:
        raise
    except RecursionError as exc:
        raise ParseError("文件结构嵌套过深，无法读取 (too deeply nested)") from exc
    except MemoryError as exc:
        raise ParseError("文件过于复杂，内存不足，无法读取 (too large: out of memory)") from exc
    except Exception as exc:  # a reader met input its library could not handle
        raise errors.corrupt(exc) from exc
