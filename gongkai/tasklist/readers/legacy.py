"""Old binary Office and WPS files (.doc, .wps, .xls, .et) and RTF: converted by LibreOffice
when the server has it, else refused with how to convert them.

They are OLE2 compound files. An OOXML file saved with a password is one too (its package is
an "EncryptedPackage" stream): that is refused as encrypted, whatever its name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from gongkai.tasklist.blocks import ParseError, RawDocument
from gongkai.tasklist.readers import docx, errors, xlsx
from gongkai.tasklist.readers.limits import Limits

NAME = "legacy"

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
RTF = b"{\\rtf"
CONVERT_TIMEOUT = 120  # seconds for LibreOffice to convert one file

_ENCRYPTED_STREAMS = ("EncryptionInfo", "EncryptedPackage")
_SHEET_STREAMS = ("Workbook", "Book")  # Excel 97+ and Excel 5 workbooks
_SHEET_SUFFIXES = (".xls", ".et", ".xlt", ".ett")

WORD_HELP = (
    "这是旧版 Word/WPS 文件 (.doc/.wps)，请用 Word 或 WPS 另存为 .docx 后再导入；"
    "或在服务器上安装 LibreOffice (legacy format)"
)
RTF_HELP = (
    "这是 RTF 文件，请用 Word 或 WPS 另存为 .docx 后再导入；或在服务器上安装 LibreOffice "
    "(legacy format: RTF)"
)
SHEET_HELP = (
    "这是旧版 Excel/WPS 表格文件 (.xls/.et)，请用 Excel 或 WPS 另存为 .xlsx 后再导入；"
    "或在服务器上安装 LibreOffice (legacy format)"
)


def sniff(head: bytes, suffix: str) -> int:
    return 100 if head.startswith(OLE2) or head.lstrip().startswith(RTF) else 0


def _stream_named(data: bytes, name: str) -> bool:
    # OLE2 directory entries hold their names in UTF-16LE.
    return (name.encode("utf-16-le") + b"\x00\x00") in data


def read(path: Path, limits: Limits) -> RawDocument:
    data = path.read_bytes()
    rtf = data.lstrip().startswith(RTF)
    if not rtf and any(_stream_named(data, name) for name in _ENCRYPTED_STREAMS):
        raise errors.encrypted()
    sheet = not rtf and (
        path.suffix.lower() in _SHEET_SUFFIXES
        or any(_stream_named(data, name) for name in _SHEET_STREAMS)
    )
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise ParseError(RTF_HELP if rtf else SHEET_HELP if sheet else WORD_HELP)
    target = "xlsx" if sheet else "docx"
    with tempfile.TemporaryDirectory(prefix="gongkai-convert-") as tmp:
        converted = _convert(office, path, Path(tmp), target)
        document = xlsx.read(converted, limits) if sheet else docx.read(converted, limits)
    document.source = path.name
    document.warnings.insert(0, f"已用 LibreOffice 将旧版文件转换为 .{target} 后读取 (converted)")
    return document


def _convert(office: str, path: Path, tmp: Path, target: str) -> Path:
    source = tmp / ("input" + path.suffix.lower())  # a plain name: LibreOffice names output by it
    shutil.copyfile(path, source)
    out = tmp / "out"
    # A private profile directory: two conversions at once must not share one.
    profile = (tmp / "profile").as_uri()
    command = [
        office, f"-env:UserInstallation={profile}", "--headless", "--norestore",
        "--convert-to", target, "--outdir", str(out), str(source),
    ]  # fmt: skip
    try:
        subprocess.run(  # noqa: S603  # fixed arguments, no shell; the file is our own copy
            command,
            check=False,
            capture_output=True,
            timeout=CONVERT_TIMEOUT,
            env={**os.environ, "HOME": str(tmp)},
        )
    except subprocess.TimeoutExpired as exc:
        raise ParseError(
            "旧版文件转换超时，请另存为 .docx/.xlsx 后再导入 (conversion timed out)"
        ) from exc
    except OSError as exc:
        raise ParseError("无法启动 LibreOffice 转换旧版文件 (conversion failed to start)") from exc
    result = out / f"input.{target}"
    if not result.is_file() or result.stat().st_size == 0:
        raise ParseError(
            "LibreOffice 无法转换这个文件，可能已损坏或加密；请另存为 .docx/.xlsx 后再导入 "
            "(conversion failed)"
        )
    return result
