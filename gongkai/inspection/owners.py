"""Which unit owns a finding: the site's owner rules, else the site's own unit.

Prefix rules name a path (/zwgk/sfj/) on the site's hosts, or a full URL prefix
(http://www.example.gov.cn/sfj/): its scheme and host (with any port) must equal the URL's,
case-insensitively, and then its path must be a prefix of the URL's path (raw or
percent-decoded), so http://www.example.gov.cn.evil.com/ never matches a rule for
http://www.example.gov.cn. The longest matching prefix wins. Column rules name a column
(通知公告) that the finding's description mentions; the first one found wins. A link finding
(断链, 错链) is owned by the pages holding the link, by their prefix rules, else by the site's
unit: never by the link's target, which may be on another site. A stale 政务新媒体 account of
the register is owned by the unit that runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import SplitResult, unquote, urlsplit

from gongkai.inspect.findings import Finding
from gongkai.inspection.models import InspectedSite, OwnerRule, RuleKind
from gongkai.inspection.types import LINK_TYPES

NEW_MEDIA_STALE = "new_media_stale"


def site_hosts(site: InspectedSite) -> set[str]:
    hosts = {(urlsplit(site.base_url).hostname or "").lower()}
    hosts.update(str(h).lower() for h in site.extra_hosts or [])
    return {h for h in hosts if h}


def _origin(parts: SplitResult) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of a URL, lower-cased, the default port made explicit."""
    try:
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if not scheme or not host:
        return None
    return scheme, host, port or {"http": 80, "https": 443}.get(scheme)


@dataclass(frozen=True)
class _Prefix:
    unit_id: int
    origin: tuple[str, str, int | None] | None  # None: a path on any of the site's hosts
    path: str
    length: int


def _paths(path: str) -> set[str]:
    return {path or "/", unquote(path or "/")}


class Owners:
    def __init__(
        self,
        site: InspectedSite,
        rules: list[OwnerRule] | None = None,
        accounts: dict[str, int] | None = None,
    ) -> None:
        self.default = int(site.unit_id)
        #: 政务新媒体 register: an account's address (or portal anchor) → the unit running it.
        self.accounts = accounts or {}
        self.hosts = site_hosts(site)
        rules = list(site.rules.order_by("pk")) if rules is None else rules
        prefixes: list[_Prefix] = []
        for rule in rules:
            if rule.kind != RuleKind.PREFIX or not rule.pattern:
                continue
            if "://" in rule.pattern:
                parts = urlsplit(rule.pattern.strip())
                origin = _origin(parts)
                if origin is None:
                    continue  # not a usable URL: matches nothing
                path = unquote(parts.path or "/")
            else:
                origin, path = None, unquote(rule.pattern.strip())
            prefixes.append(_Prefix(int(rule.unit_id), origin, path, len(rule.pattern)))
        self.prefixes = sorted(prefixes, key=lambda r: r.length, reverse=True)
        self.columns = [r for r in rules if r.kind == RuleKind.COLUMN and r.pattern]

    def _by_prefix(self, url: str) -> int | None:
        parts = urlsplit(url)
        origin = _origin(parts)
        if origin is None:
            return None
        on_site = origin[1] in self.hosts
        paths = _paths(parts.path)
        for rule in self.prefixes:
            if rule.origin is None and not on_site:
                continue
            if rule.origin is not None and rule.origin != origin:
                continue
            if any(p.startswith(rule.path) for p in paths):
                return rule.unit_id
        return None

    def unit_for(self, finding: Finding) -> int:
        if finding.type == NEW_MEDIA_STALE and finding.url in self.accounts:
            return self.accounts[finding.url]  # the account's own unit, not the site's
        if finding.type in LINK_TYPES:
            for url in finding.source_urls:
                unit = self._by_prefix(url)
                if unit is not None:
                    return unit
            return self.default
        for url in [finding.url, *finding.source_urls]:
            unit = self._by_prefix(url)
            if unit is not None:
                return unit
        text = f"{finding.detail}\n{finding.evidence or ''}"
        for rule in self.columns:
            if rule.pattern in text:
                return int(rule.unit_id)
        return self.default
