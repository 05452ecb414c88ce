"""Personal data in an attachment (.docx, .xlsx, .pdf) or a text, hidden places included.

`scan_bytes` tells the file type from its content, never its name, runs the matching reader
(`office_docx`, `office_xlsx`, `pdf`: each yields pieces of text with where they sit) and the
detector over every piece. It never raises: a file it cannot read fully — junk, a zip bomb,
an encrypted PDF, a legacy .doc/.xls — comes back with a problem, which means "a human must
check this", never "clean".
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from gongkai.privacy import office_docx, office_xlsx, pdf
from gongkai.privacy.detect import Hit, find_hits
from gongkai.privacy.ooxml import MB, Limits, Package
from gongkai.privacy.pieces import Piece, Unreadable

CONTEXT_CHARS = 15  # of text each side of a hit in Finding.context

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office files and encrypted OOXML
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")
_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "docx",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": "xlsx",
}
_SPACES = re.compile(r"\s+")


class DocumentKind(enum.StrEnum):
    DOCX = "docx"
    XLSX = "xlsx"
    PDF = "pdf"
    TEXT = "text"
    UNKNOWN = "unknown"  # not a type we read: always comes with a problem


@dataclass(frozen=True)
class Finding:
    hit: Hit  # offsets are in the piece of text it came from (a paragraph, a cell, a page)
    where: str  # "正文第 3 段", "隐藏的工作表「备用」C7", "第 2 页"
    hidden: bool  # not seen in a normal view of the document
    context: str  # the words around the hit, every hit in it masked


@dataclass
class DocumentScan:
    kind: DocumentKind
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # each means "a human must check"

    @property
    def clean(self) -> bool:
        """Nothing found and everything read: the only state that may pass the gate alone."""
        return not self.findings and not self.problems


def scan_text(text: str, where: str = "正文") -> DocumentScan:
    return DocumentScan(DocumentKind.TEXT, findings_in(Piece(text, where)))


def scan_bytes(data: bytes, filename: str = "", limits: Limits | None = None) -> DocumentScan:
    limits = limits or Limits()
    if not data:
        return _refused("文件是空的，需人工检查")
    if len(data) > limits.max_bytes:
        return _refused(f"文件超过 {limits.max_bytes // MB} MB，未检查，需人工处理")
    if b"%PDF-" in data[:1024]:
        return _scan(DocumentKind.PDF, lambda problems: pdf.pieces(data, limits, problems))
    if data.startswith(_OLE):
        if _ENCRYPTED_OOXML in data:
            return _refused("Office 文件设有打开密码（已加密），未检查，需人工处理")
        return _refused(
            f"{_named(filename)}是旧版 Office 格式（.doc/.xls/.ppt），本系统不能读取，"
            "请另存为 .docx/.xlsx 后重新上传，或人工检查"
        )
    if not data.startswith(b"PK"):
        return _refused(f"{_named(filename)}不是 .docx、.xlsx 或 PDF 文件，无法检查，需人工处理")
    try:
        package = Package(data, limits)
        main, kind = _main_part(package)
    except Unreadable as exc:
        return _refused(str(exc))
    except Exception as exc:  # never raise on junk
        return _refused(f"读取文件时出错（{type(exc).__name__}），无法检查，需人工处理")
    if kind is None:
        return _refused(
            f"{_named(filename)}是压缩包，但不是 Word（.docx）或 Excel（.xlsx）文件，"
            "无法检查，需人工处理"
        )
    reader = office_docx.pieces if kind == "docx" else office_xlsx.pieces
    return _scan(DocumentKind(kind), lambda problems: reader(package, main, problems))


def findings_in(piece: Piece) -> list[Finding]:
    hits = find_hits(piece.text)
    if not hits:
        return []
    masked, places = _masked(piece.text, hits)
    out = []
    for hit, (start, end) in zip(hits, places, strict=True):
        spans = [s for s in piece.spans if s.start < hit.end and hit.start < s.end]
        if piece.only_in_spans and not spans:
            continue
        labels = list(dict.fromkeys(label for s in spans for label in s.labels))
        out.append(
            Finding(
                hit=hit,
                where="，".join([piece.where, *labels]),
                hidden=piece.hidden or any(s.hidden for s in spans),
                context=_context(masked, start, end),
            )
        )
    return out


def _scan(kind: DocumentKind, pieces: Callable[[list[str]], Iterator[Piece]]) -> DocumentScan:
    scan = DocumentScan(kind)
    try:
        for piece in pieces(scan.problems):
            scan.findings.extend(findings_in(piece))
    except Unreadable as exc:
        scan.problems.append(str(exc))
    except Exception as exc:  # never raise on junk: a broken file is a problem to report
        scan.problems.append(f"读取文件时出错（{type(exc).__name__}），未能检查完，需人工核对")
    return scan


def _main_part(package: Package) -> tuple[str, str | None]:
    for name, content_type in package.content_types().items():
        if content_type in _MAIN_TYPES:
            return name, _MAIN_TYPES[content_type]
    return "", None


def _refused(problem: str) -> DocumentScan:
    return DocumentScan(DocumentKind.UNKNOWN, problems=[problem])


def _named(filename: str) -> str:
    return f"「{filename}」" if filename else "该文件"


def _masked(text: str, hits: list[Hit]) -> tuple[str, list[tuple[int, int]]]:
    """The text with every hit masked, and where each hit's mask now sits."""
    parts, places, last, length = [], [], 0, 0
    for hit in hits:
        parts.append(text[last : hit.start])
        length += hit.start - last
        parts.append(hit.masked)
        places.append((length, length + len(hit.masked)))
        length += len(hit.masked)
        last = hit.end
    parts.append(text[last:])
    return "".join(parts), places


def _context(masked: str, start: int, end: int) -> str:
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(masked), end + CONTEXT_CHARS)
    snippet = _SPACES.sub(" ", masked[left:right]).strip()
    return ("…" if left else "") + snippet + ("…" if right < len(masked) else "")
