"""Office Open XML packages (.docx, .xlsx) opened defensively.

A package is a zip: it is refused when it holds too many entries or declares too much unpacked
data (a zip bomb), and every member is read against one shared budget, so a member that unpacks
to more than it declares is stopped too. XML is parsed without DTDs, entities or network access.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from gongkai.privacy.pieces import Piece, Unreadable

MB = 1024 * 1024
_CHUNK = MB

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_PROPERTY_TYPES = {
    "application/vnd.openxmlformats-package.core-properties+xml",
    "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    "application/vnd.openxmlformats-officedocument.custom-properties+xml",
}
_PROPERTY_NAMES = {
    "creator": "作者",
    "lastModifiedBy": "最后修改者",
    "title": "标题",
    "subject": "主题",
    "description": "备注",
    "keywords": "关键词",
    "category": "类别",
    "Company": "单位",
    "Manager": "经理",
}


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 100 * MB  # the file itself
    max_unpacked: int = 200 * MB  # all members of a zip, unpacked, together
    max_entries: int = 10_000  # members of a zip
    max_pages: int = 2_000  # PDF pages read


@dataclass(frozen=True)
class Rel:
    type: str  # the relationship type URI
    target: str  # a part name inside the package, or the URL of an external target
    external: bool


class Package:
    def __init__(self, data: bytes, limits: Limits) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
            raise Unreadable("文件不是完整的 zip 压缩包，无法读取，需人工检查") from exc
        if len(infos) > limits.max_entries:
            raise Unreadable(
                f"压缩包内有 {len(infos)} 个文件，超过上限 {limits.max_entries}，"
                "可能是恶意构造的文件（zip 炸弹），未检查，需人工处理"
            )
        declared = sum(info.file_size for info in infos)
        if declared > limits.max_unpacked:
            raise Unreadable(
                f"压缩包解压后有 {declared // MB} MB，超过上限 {limits.max_unpacked // MB} MB，"
                "可能是恶意构造的文件（zip 炸弹），未检查，需人工处理"
            )
        self._left = limits.max_unpacked
        self._names = {info.filename.lower(): info.filename for info in infos}
        self._parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, remove_pis=True
        )

    def has(self, name: str) -> bool:
        return name.lower() in self._names

    def names(self) -> list[str]:
        return list(self._names.values())

    def read(self, name: str) -> bytes:
        """A member's bytes, counted against the package's unpacked budget."""
        real = self._names.get(name.lower())
        if real is None:
            raise Unreadable(f"文件缺少部件 {name}，无法读取，需人工检查")
        chunks = []
        try:
            with self._zip.open(real) as member:
                while chunk := member.read(_CHUNK):
                    self._left -= len(chunk)
                    if self._left < 0:
                        raise Unreadable(
                            "压缩包解压后超过大小上限（zip 炸弹？），未检查完，需人工处理"
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError) as exc:
            # RuntimeError: a password-protected member; NotImplementedError is not caught
            # here but by the scanner, as an unexpected failure.
            raise Unreadable(f"部件 {name} 已损坏或加密，无法读取，需人工检查") from exc
        return b"".join(chunks)

    def xml(self, name: str) -> etree._Element:
        return self.parse(self.read(name), name)

    def parse(self, data: bytes, name: str) -> etree._Element:
        if b"<!DOCTYPE" in data[:4096]:
            raise Unreadable(f"部件 {name} 含有 DTD 声明，Office 文件不应有，拒绝读取，需人工检查")
        try:
            return etree.fromstring(data, self._parser)
        except etree.XMLSyntaxError as exc:
            raise Unreadable(f"部件 {name} 不是有效的 XML，无法读取，需人工检查") from exc

    def content_types(self) -> dict[str, str]:
        """Part name (no leading slash) → content type, from [Content_Types].xml's overrides."""
        root = self.xml("[Content_Types].xml")
        return {
            (el.get("PartName") or "").lstrip("/"): el.get("ContentType") or ""
            for el in root.iter(CT + "Override")
        }

    def rels(self, part: str) -> dict[str, Rel]:
        """The part's relationships by id, targets resolved to part names."""
        folder, base = posixpath.split(part)
        name = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(name):
            return {}
        out = {}
        for el in self.xml(name).iter(PR + "Relationship"):
            target = el.get("Target") or ""
            external = el.get("TargetMode") == "External"
            if not external:
                joined = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
                target = posixpath.normpath(joined).lstrip("/")
            out[el.get("Id") or ""] = Rel(el.get("Type") or "", target, external)
        return out


def property_pieces(package: Package, types: dict[str, str]) -> Iterator[Piece]:
    """Document properties (author, title, company, custom fields): shown in no normal view."""
    for name, content_type in sorted(types.items()):
        if content_type not in _PROPERTY_TYPES or not package.has(name):
            continue
        for el in package.xml(name).iter():
            if isinstance(el.tag, str) and el.text and el.text.strip():
                local = etree.QName(el).localname
                # A custom property's value sits in a typed child (vt:lpwstr) of the named one.
                named = el.getparent().get("name") if el.getparent() is not None else None
                label = named or _PROPERTY_NAMES.get(local, local)
                yield Piece(el.text, f"文档属性（{label}）", hidden=True)
