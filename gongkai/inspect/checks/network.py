"""Site-level network checks: domain name, IPv6, HTTPS, search, 政务新媒体 updates.

They run once the crawl has finished (on_finish), except the mixed-content part of `https`,
which reads each page's mixed_content as it comes. Network questions go through site.probe
(the crawler's NetProbe: gongkai.net.fetch with the inspection's timeout and SSRF policy).

IP-literal hosts: `bad_domain`, `no_ipv6` and the no-HTTPS part of `https` say nothing
about an IP-literal host when the inspection allows private addresses (a test or intranet
address has no domain to judge); without allow_private, an IP-literal site is reported by
`bad_domain` (it is not under .gov.cn) and skipped by `no_ipv6` (there is no name to ask).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import re
from collections.abc import Iterable
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from gongkai.inspect.checks.base import Check
from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.page import Page
from gongkai.inspect.site import MAX_SOURCES, LinkStatus, Site

GOV_SUFFIXES = (".gov.cn", ".政务", ".xn--zfr164b")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _exempt(host: str, exempt: Iterable[str]) -> bool:
    for entry in exempt:
        entry = entry.strip().lower().lstrip(".")
        if entry and (host == entry or host.endswith("." + entry)):
            return True
    return False


def _hosts(site: Site) -> list[str]:
    return sorted(h for h in site.hosts if h)


class BadDomain(Check):
    """A host in scope not under .gov.cn (or .政务)."""

    type = "bad_domain"
    title = "域名不规范"
    severity = Severity.MAJOR
    defaults: ClassVar[dict[str, Any]] = {"exempt": []}

    def on_finish(self, site: Site) -> Iterable[Finding]:
        exempt = [*site.config.domain_exempt, *self.options.get("exempt", [])]
        findings = []
        for host in _hosts(site):
            if host.endswith(GOV_SUFFIXES) or _exempt(host, exempt):
                continue
            if _is_ip(host):
                if site.config.allow_private:
                    continue
                detail = f"网站使用 IP 地址 {host} 访问，未使用 .gov.cn 域名"
            else:
                detail = f"网站域名 {host} 不以 .gov.cn 或 .政务 结尾"
            findings.append(self.finding(f"{site.start_scheme}://{host}/", detail, evidence=host))
        return findings


class NoIPv6(Check):
    """A host in scope without an AAAA record."""

    type = "no_ipv6"
    title = "未支持IPv6"
    severity = Severity.MINOR

    def on_finish(self, site: Site) -> Iterable[Finding]:
        findings = []
        for host in _hosts(site):
            if _is_ip(host):
                continue
            answer = site.probe.has_aaaa(host)
            if answer is False:
                findings.append(
                    self.finding(
                        f"{site.start_scheme}://{host}/",
                        f"域名 {host} 没有 IPv6（AAAA）解析记录",
                        evidence=host,
                    )
                )
        return findings


class Https(Check):
    """No HTTPS at all, and http: resources on https pages (mixed content)."""

    type = "https"
    title = "HTTPS问题"
    severity = Severity.MINOR

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.mixed: dict[str, list[str]] = {}

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        for resource in page.mixed_content:
            pages = self.mixed.setdefault(resource, [])
            if len(pages) < MAX_SOURCES and page.url not in pages:
                pages.append(page.url)
        return ()

    def on_finish(self, site: Site) -> Iterable[Finding]:
        findings = []
        host = urlsplit(site.home_url).hostname or ""
        if site.start_scheme == "http" and not (_is_ip(host) and site.config.allow_private):
            url = f"https://{host}/"
            status = site.probe.get(url)
            if status.status is None:
                findings.append(
                    self.finding(
                        url,
                        f"网站不支持 HTTPS 访问：{status.error or '没有响应'}",
                        evidence=status.error or None,
                    )
                )
        for resource, pages in sorted(self.mixed.items()):
            findings.append(
                self.finding(
                    resource,
                    f"HTTPS 页面引用了 HTTP 资源（混合内容），共 {len(pages)} 个页面",
                    source_urls=pages,
                    evidence=resource,
                )
            )
        return findings


NO_RESULT = re.compile(
    r"(没有找到|未找到|找不到|无相关|暂无(?:相关|搜索|检索)?(?:结果|信息|数据|内容)|"
    r"共\s*0\s*条|0\s*条(?:结果|记录|信息)|检索结果为空|没有(?:符合|相关|检索到)|无检索结果|无结果)"
)


class SearchBroken(Check):
    """The home page has no search form, or searching a common query fails."""

    type = "search_broken"
    title = "站内搜索不可用"
    severity = Severity.MINOR

    def on_finish(self, site: Site) -> Iterable[Finding]:
        home = site.home_page
        if not isinstance(home, Page):
            return ()
        if not home.search_forms:
            return [self.finding(site.home_url, "首页未找到站内搜索框", source_urls=[home.url])]
        form = home.search_forms[0]
        query = str(self.options.get("query") or site.config.search_query)
        post = form.method.lower() == "post"
        poster = getattr(site.probe, "post_text", None)
        if post and poster is not None:
            status, text = poster(form.action, {form.field: query})
            url = form.action
        else:
            url = _with_query(form.action, form.field, query)
            status, text = site.probe.get_text(url)
        if status.broken:
            reason = f"HTTP 状态码 {status.status}" if status.status is not None else status.error
            # Reported on the home page (where the search box is), so the finding keeps one
            # identity whatever query the site is configured to try; the result URL is the
            # evidence.
            return [
                self.finding(
                    site.home_url,
                    f"站内搜索“{query}”的结果页无法访问：{reason}",
                    source_urls=[home.url],
                    evidence=f"{url}（{reason}）",
                )
            ]
        found = NO_RESULT.search(_visible(text))
        if found:
            return [
                self.finding(
                    site.home_url,
                    f"站内搜索常用词“{query}”没有结果（页面显示“{found.group(0)}”）",
                    source_urls=[home.url],
                    evidence=f"{url}（{found.group(0)}）",
                )
            ]
        return ()


_TAG = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.DOTALL | re.IGNORECASE)


def _visible(html: str) -> str:
    return _TAG.sub(" ", html)


def _with_query(action: str, field: str, query: str) -> str:
    parts = urlsplit(action)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != field]
    pairs.append((field, query))
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(pairs), ""))


# Dates in feeds and pages.
_RSS_DATE = re.compile(r"<(?:pubDate|dc:date|lastBuildDate)[^>]*>\s*([^<]+?)\s*<", re.IGNORECASE)
_ATOM_DATE = re.compile(r"<(?:updated|published)[^>]*>\s*([^<]+?)\s*<", re.IGNORECASE)
_TEXT_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)"
)


#: China Standard Time (no daylight saving): the office's day, which `today` is counted in.
CHINA = dt.timezone(dt.timedelta(hours=8))


def _local_day(moment: dt.datetime) -> dt.date:
    """The day of a feed's timestamp in China: a post at 20:00 UTC is the next day there."""
    return (moment.astimezone(CHINA) if moment.tzinfo else moment).date()


def newest_date(text: str, today: dt.date) -> dt.date | None:
    """The latest date, not after today, in an RSS/Atom feed or a page's text."""
    dates: list[dt.date] = []
    for raw in _RSS_DATE.findall(text):
        try:
            dates.append(_local_day(email.utils.parsedate_to_datetime(raw)))
        except (TypeError, ValueError, IndexError, OverflowError):
            parsed = _text_dates(raw)
            dates.extend(parsed)
    for raw in _ATOM_DATE.findall(text):
        try:
            dates.append(_local_day(dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))))
        except (ValueError, OverflowError):
            dates.extend(_text_dates(raw))
    if not dates:
        dates = _text_dates(_visible(text))
    dates = [d for d in dates if d <= today]
    return max(dates) if dates else None


def _text_dates(text: str) -> list[dt.date]:
    out = []
    for year, month, day in _TEXT_DATE.findall(text):
        try:
            out.append(dt.date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return out


class NewMediaStale(Check):
    """A registered 政务新媒体 account with no post in the last 14 days (or unreadable).

    The `days` option can only make the rule stricter: the national rule (one post in every
    2 weeks, a single veto) is the loosest allowed, so values above 14 count as 14. An account
    with a URL is read for its newest date (a later date its unit recorded by hand counts
    too); one without a URL is judged by the recorded date alone."""

    type = "new_media_stale"
    title = "政务新媒体不更新"
    severity = Severity.MAJOR
    defaults: ClassVar[dict[str, Any]] = {"days": 14}

    def on_finish(self, site: Site) -> Iterable[Finding]:
        days = max(min(int(self.options.get("days", 14)), 14), 1)
        findings = []
        for account in site.config.new_media:
            label = f"政务新媒体“{account.name}”" + (
                f"（{account.platform}）" if account.platform else ""
            )
            recorded = _iso_date(account.last_post, site.today)
            where = account.url or account.page or site.home_url
            if account.url:
                status, text = site.probe.get_text(account.url)
                if status.broken:
                    reason = _reason(status)
                    findings.append(
                        self.finding(account.url, f"{label}无法访问：{reason}", evidence=reason)
                    )
                    continue
                read = newest_date(text, site.today)
                newest = max((d for d in (read, recorded) if d), default=None)
                missing = f"{label}的页面上找不到任何发布日期，无法确认更新情况"
            else:
                newest = recorded
                missing = f"{label}没有登记最近发布日期，也没有可读取的页面，无法确认更新情况"
            if newest is None:
                findings.append(self.finding(where, missing))
            elif (site.today - newest).days > days:
                age = (site.today - newest).days
                findings.append(
                    self.finding(
                        where,
                        f"{label}最近一次发布在 {newest.isoformat()}，"
                        f"已 {age} 天未更新（要求 {days} 天内）",
                        evidence=newest.isoformat(),
                    )
                )
        return findings


def _iso_date(text: str, today: dt.date) -> dt.date | None:
    """A recorded YYYY-MM-DD date, not after today; None for anything else."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if day <= today else None


def _reason(status: LinkStatus) -> str:
    return f"HTTP 状态码 {status.status}" if status.status is not None else status.error
