"""Reading and writing simple tables as .xlsx or .csv. No Django here.

Uploaded files are untrusted: the format is checked by content (an .xlsx is a zip holding a
workbook), the unpacked size is capped against zip bombs, and every failure is a SheetError
with a message fit to show the person who uploaded the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell

#: Largest total unpacked size of an .xlsx: real unit lists are a few hundred kilobytes.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Cells that spreadsheet programs would run as formulas when a CSV is opened.
_FORMULA_START = ("=", "+", "-", "@")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class SheetError(ValueError):
    """A file that cannot be read as a table; the message is for the uploader."""


class TableFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"

    @property
    def content_type(self) -> str:
        if self is TableFormat.XLSX:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return "text/csv; charset=utf-8"


def format_for(filename: str) -> TableFormat:
    """The format a file's name promises; its content is checked when it is read."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xls":
        raise SheetError("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再上传")
    try:
        return TableFormat(suffix)
    except ValueError:
        raise SheetError("仅支持 .xlsx 和 .csv 文件") from None


def read_table(data: bytes, filename: str, *, max_rows: int = 20000) -> list[list[str]]:
    """The first sheet's rows as stripped strings (empty cells as "")."""
    fmt = format_for(filename)
    rows = _read_xlsx(data, max_rows) if fmt is TableFormat.XLSX else _read_csv(data, max_rows)
    return [[_text(cell) for cell in row] for row in rows]


def write_table(fmt: TableFormat, header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    return _write_xlsx(header, rows) if fmt is TableFormat.XLSX else _write_csv(header, rows)


def _read_xlsx(data: bytes, max_rows: int) -> list[tuple[Any, ...]]:
    if data.startswith(_OLE_MAGIC):
        raise SheetError("这是旧版 .xls 或加密的 Excel 文件，请另存为不加密的 .xlsx 后再上传")
    not_xlsx = SheetError("文件内容不是有效的 Excel（.xlsx）文件")
    if not data.startswith(_ZIP_MAGIC):
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise not_xlsx from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_xlsx
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise SheetError("Excel 文件解压后过大，请删去无关的工作表或图片后再上传")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on malformed workbooks
        raise not_xlsx from None
    try:
        if not book.worksheets:
            raise SheetError("Excel 文件中没有工作表")
        rows: list[tuple[Any, ...]] = []
        for row in book.worksheets[0].iter_rows(values_only=True):
            rows.append(row)
            if len(rows) > max_rows:
                raise SheetError(f"文件超过 {max_rows} 行，请拆分后分批导入")
        return rows
    except SheetError:
        raise
    except Exception:  # a sheet that fails part-way through is as broken as one that fails early
        raise not_xlsx from None
    finally:
        book.close()


def _read_csv(data: bytes, max_rows: int) -> list[list[str]]:
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)) or b"\x00" in data:
        raise SheetError("文件内容不是文本格式的 CSV（可能是 Excel 文件，请使用 .xlsx 扩展名）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError("无法识别 CSV 文件的编码，请保存为 UTF-8 或 GBK 编码")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append([_unguard(cell) for cell in row])
            if len(rows) > max_rows:
                raise SheetError(f"文件超过 {max_rows} 行，请拆分后分批导入")
    except csv.Error as exc:
        raise SheetError(f"CSV 文件格式有误：{exc}") from None
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _guard(cell: str) -> str:
    """Keep spreadsheet programs from running a CSV cell as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _unguard(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def _write_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_guard(cell) for cell in row])
    # With a BOM, Excel on Chinese Windows opens the file as UTF-8 instead of GBK.
    return out.getvalue().encode("utf-8-sig")


def _write_xlsx(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(header))
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value or None)
            if value:
                # openpyxl stores any text starting with "=" as a formula; these are names.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
