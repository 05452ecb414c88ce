"""`missing_site_identifier`: the page-bottom area must list 党政机关网站标识, 网站标识码,
ICP备案编号, 公安机关备案号 and 主办单位 (国办发〔2017〕47号 网页设计规范). Judged on the home
page's footer and confirmed on the other pages, so one odd page does not fail the site: one
finding per
identifier, for the site."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from gongkai.inspect.checks.base import Check
from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.page import Page, PageKind
from gongkai.inspect.site import Site

_BADGE = re.compile(r"党政机关|dzjg|conac|jiucuo", re.IGNORECASE)
_CODE = re.compile(r"网站标识码\s*[:：]?\s*[A-Za-z0-9]{6,}")
_ICP = re.compile(r"ICP\s*[备證证]\s*[:：]?\s*\d{4,}", re.IGNORECASE)
_POLICE = re.compile(r"(?:公网安备|公安备案|公安机关备案|网安备)\D{0,8}\d{6,}")
_HOST = re.compile(r"主办单位|主办\s*[:：]|网站主办|主\s*办\s*[:：]|主办方")


def _badge(page: Page) -> bool:
    if any(_BADGE.search(img) for img in page.footer_images) or "党政机关" in page.footer_text:
        return True
    return any(link.in_footer and "conac.cn" in link.url for link in page.links)


IDENTIFIERS: tuple[tuple[str, str, Callable[[Page], bool]], ...] = (
    ("badge", "党政机关网站标识", _badge),
    ("code", "网站标识码", lambda p: bool(_CODE.search(p.footer_text))),
    ("icp", "ICP备案编号", lambda p: bool(_ICP.search(p.footer_text))),
    ("police", "公安机关备案号", lambda p: bool(_POLICE.search(p.footer_text))),
    ("host", "主办单位", lambda p: bool(_HOST.search(p.footer_text))),
)


class MissingSiteIdentifier(Check):
    type = "missing_site_identifier"
    title = "网站标识不全"
    severity = Severity.MINOR
    # The share of the other pages that must also lack an identifier the home page lacks.
    defaults: ClassVar[dict[str, object]] = {"confirm_share": 0.5, "max_sample": 200}

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self.home: dict[str, bool] | None = None
        self.home_url = ""
        self.others = 0
        self.missing: dict[str, list[str]] = {name: [] for name, _, _ in IDENTIFIERS}

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        if page.not_html or not page.text:
            return ()
        if page.kind == PageKind.HOME and self.home is None:
            self.home = {name: test(page) for name, _, test in IDENTIFIERS}
            self.home_url = page.url
        elif self.others < int(str(self.options.get("max_sample", 200))):
            self.others += 1
            for name, _, test in IDENTIFIERS:
                if not test(page):
                    self.missing[name].append(page.url)
        return ()

    def on_finish(self, site: Site) -> Iterable[Finding]:
        if self.home is None:
            return ()
        share = float(str(self.options.get("confirm_share", 0.5)))
        out = []
        for name, label, _ in IDENTIFIERS:
            missed = self.missing[name]
            if self.home[name]:
                continue
            if self.others and len(missed) / self.others < share:
                continue  # the home page's footer is odd; the site's pages show it
            out.append(
                self.finding(
                    f"{self.home_url}#{name}",
                    f"网站页面底部功能区未列明{label}",
                    source_urls=[self.home_url, *missed[:19]],
                    evidence=label,
                )
            )
        return out
