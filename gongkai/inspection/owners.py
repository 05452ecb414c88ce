"""Which unit owns a finding: the site's owner rules, else the site's own unit.

Prefix rules name a path (/zwgk/sfj/) on the site's hosts, or a full URL prefix
(http://www.example.gov.cn/sfj/); the longest matching prefix wins. Column rules name a column
(通知公告) that the finding's description mentions; the first one found wins. A link finding
(断链, 错链) is owned by the page holding the link, so its source pages are tried first.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from gongkai.inspect.findings import Finding
from gongkai.inspection.models import InspectedSite, OwnerRule, RuleKind
from gongkai.inspection.types import LINK_TYPES


def site_hosts(site: InspectedSite) -> set[str]:
    hosts = {(urlsplit(site.base_url).hostname or "").lower()}
    hosts.update(str(h).lower() for h in site.extra_hosts or [])
    return {h for h in hosts if h}


class Owners:
    def __init__(self, site: InspectedSite, rules: list[OwnerRule] | None = None) -> None:
        self.default = int(site.unit_id)
        self.hosts = site_hosts(site)
        rules = list(site.rules.order_by("pk")) if rules is None else rules
        prefixes = [r for r in rules if r.kind == RuleKind.PREFIX and r.pattern]
        self.prefixes = sorted(prefixes, key=lambda r: len(r.pattern), reverse=True)
        self.columns = [r for r in rules if r.kind == RuleKind.COLUMN and r.pattern]

    def _by_prefix(self, url: str) -> int | None:
        parts = urlsplit(url)
        on_site = (parts.hostname or "").lower() in self.hosts
        paths = {parts.path, unquote(parts.path)}
        for rule in self.prefixes:
            pattern = rule.pattern
            if "://" in pattern:
                if url.startswith(pattern) or unquote(url).startswith(pattern):
                    return int(rule.unit_id)
            elif on_site and any(p.startswith(pattern) for p in paths):
                return int(rule.unit_id)
        return None

    def unit_for(self, finding: Finding) -> int:
        if finding.type in LINK_TYPES:
            candidates = [*finding.source_urls, finding.url]
        else:
            candidates = [finding.url, *finding.source_urls]
        for url in candidates:
            unit = self._by_prefix(url)
            if unit is not None:
                return unit
        text = f"{finding.detail}\n{finding.evidence or ''}"
        for rule in self.columns:
            if rule.pattern in text:
                return int(rule.unit_id)
        return self.default
