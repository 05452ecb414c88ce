"""A policy document's metadata block (`missing_metadata`) and its validity mark
(`missing_validity_mark`): 政府信息公开 pages show 索引号, 发布机构, 成文日期, 发布日期, 文号 and
有效性, and a repealed or expired document says so on its own page (国办发〔2017〕47号)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from gongkai.inspect.checks.base import Check
from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.page import Page, PageKind
from gongkai.inspect.site import Site

FIELD_NAMES = {
    "index_number": "索引号",
    "publisher": "发布机构",
    "written_date": "成文日期",
    "publish_date": "发布日期",
    "doc_number": "文号",
    "validity": "有效性",
}
REQUIRED = ("index_number", "publisher", "written_date", "publish_date", "validity")
# Kinds of document that always carry a 文号.
_NUMBERED = re.compile(r"规范性文件|规章|政府令")
_NOT_IN_FORCE = re.compile(r"废止|失效|修改|修订")


class MissingMetadata(Check):
    type = "missing_metadata"
    title = "政策文件元数据不全"
    local = True
    severity = Severity.MINOR
    defaults: ClassVar[dict[str, object]] = {"required": list(REQUIRED)}

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        if page.kind != PageKind.DOCUMENT:
            return ()
        meta = page.metadata
        required = [str(k) for k in self.options.get("required") or REQUIRED]
        naming = f"{page.headline} {page.title} {' '.join(page.breadcrumb)} {meta.get('topic', '')}"
        if "doc_number" in meta or _NUMBERED.search(naming):
            required.append("doc_number")
        missing = [k for k in dict.fromkeys(required) if not meta.get(k)]
        if not missing:
            return ()
        names = "、".join(FIELD_NAMES.get(k, k) for k in missing)
        return (
            self.finding(
                page.url,
                f"政策文件「{page.headline or page.title}」缺少元数据：{names}",
                source_urls=[page.url],
                evidence=names,
            ),
        )


class MissingValidityMark(Check):
    type = "missing_validity_mark"
    title = "文件有效性标注不一致"
    local = True
    severity = Severity.MAJOR

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        if page.kind not in (PageKind.DOCUMENT, PageKind.ARTICLE):
            return ()
        declared = page.metadata.get("validity", "")
        shown = page.validity_shown
        name = page.headline or page.title
        if (
            declared
            and _NOT_IN_FORCE.search(declared)
            and not (shown and _NOT_IN_FORCE.search(shown))
        ):
            detail = f"文件「{name}」元数据有效性为「{declared}」，但正文页面未标注其已失效"
        elif (
            shown
            and _NOT_IN_FORCE.search(shown)
            and declared
            and not _NOT_IN_FORCE.search(declared)
        ):
            detail = f"文件「{name}」页面标注「{shown}」，但元数据有效性为「{declared}」"
        else:
            return ()
        return (
            self.finding(
                page.url,
                detail,
                source_urls=[page.url],
                evidence=f"有效性：{declared or '（无）'}；页面标注：{shown or '（无）'}",
            ),
        )
