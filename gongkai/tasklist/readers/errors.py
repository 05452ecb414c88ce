"""The ParseErrors readers raise: one line in Chinese, an English gloss in brackets."""

from __future__ import annotations

from pathlib import Path

from gongkai.tasklist.blocks import ParseError


def _one_line(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} 字节"


def missing(path: Path) -> ParseError:
    return ParseError(f"文件不存在：{_one_line(path.name)} (missing)")


def unreadable(exc: BaseException) -> ParseError:
    return ParseError(f"无法打开文件 (unreadable: {_one_line(type(exc).__name__)})")


def empty() -> ParseError:
    return ParseError("文件是空的 (empty)")


def too_large(size: int, limit: int, what: str = "") -> ParseError:
    return ParseError(f"文件{what}过大：{_size(size)}，上限 {_size(limit)} (too large)")


def too_many_cells(limit: int) -> ParseError:
    return ParseError(f"表格过大：单元格超过 {limit} 个 (too large: too many table cells)")


def encrypted() -> ParseError:
    return ParseError("文件已加密，无法读取；请去掉密码后再导入 (encrypted)")


def corrupt(exc: BaseException | str) -> ParseError:
    if isinstance(exc, str):
        detail = exc
    else:  # zlib.error and struct.error say little without their module
        kind = type(exc)
        detail = f"{kind.__module__}.{kind.__name__}" if kind.__name__ == "error" else kind.__name__
    return ParseError(f"文件已损坏或格式不正确，无法读取 (corrupt: {_one_line(detail, 60)})")


def unsupported() -> ParseError:
    return ParseError(
        "不支持的文件格式，请上传 .docx、.xlsx、.pdf、.html 或 .txt 文件 (unsupported format)"
    )


def no_content() -> ParseError:
    return ParseError("文件中没有可读取的文字 (no text found)")
