"""The SSRF guard inside Scrapy: a DNS resolver that checks every address it hands Twisted, and
a downloader middleware for IP-literal hosts and non-http(s) URLs.

Every host name is resolved once (per crawling process) by `GuardedResolver` (Scrapy's
TWISTED_DNS_RESOLVER), which checks every address with gongkai.net.address (is_public, unless
config.allow_private) and returns the checked address to connect to, so a name cannot pass the
check and then connect elsewhere (DNS rebinding). IP literals never reach a resolver;
`GuardMiddleware` checks them before the download. Proxies from the environment are not used
(HttpProxyMiddleware is off), so the connection goes where the check looked.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from gongkai.inspect.crawl.urls import REFUSED, is_ip_literal


@dataclass
class Guard:
    """Shared by the resolver, the middleware and the spider: what was refused, and why."""

    allow_private: bool
    refused: dict[str, str] = field(default_factory=dict)  # host → message
    failed: dict[str, str] = field(default_factory=dict)  # host → why it did not resolve
    resolved: dict[str, str] = field(default_factory=dict)  # host → the address connected to

    def check_literal(self, host: str) -> str:
        """The refusal message for an IP-literal host, or ""."""
        from gongkai.net.address import is_public

        ip = ipaddress.ip_address(host.strip("[]"))
        if self.allow_private or is_public(ip):
            return ""
        message = f"{REFUSED}：{host}"
        self.refused[host] = message
        return message


class GuardRefused(Exception):
    """A request the SSRF guard would not send."""


def _make_resolver_class() -> type:
    from twisted.internet import defer, threads
    from twisted.internet.error import DNSLookupError
    from twisted.internet.interfaces import IResolverSimple
    from zope.interface import implementer  # type: ignore[import-untyped]

    from gongkai.net.address import resolve
    from gongkai.net.errors import FetchFailed, FetchRefused

    @implementer(IResolverSimple)
    class _GuardedResolver:
        """Resolves each host name once, refuses names with any non-public address (unless
        allowed) and returns the checked address, which is what Twisted connects to."""

        def __init__(self, reactor: Any, guard: Guard) -> None:
            self.reactor = reactor
            self.guard = guard
            self.pending: dict[str, defer.Deferred[str]] = {}

        @classmethod
        def from_crawler(cls, crawler: Any, reactor: Any) -> _GuardedResolver:
            return cls(reactor, crawler.settings["GONGKAI_GUARD"])

        def install_on_reactor(self) -> None:
            self.reactor.installResolver(self)

        def _lookup(self, name: str) -> str:
            try:
                addresses = resolve(name, 0, allow_private=self.guard.allow_private)
            except FetchRefused as exc:
                self.guard.refused[name] = f"{REFUSED}：{name}"
                raise DNSLookupError(str(exc)) from exc
            except FetchFailed as exc:
                self.guard.failed[name] = str(exc)
                raise DNSLookupError(str(exc)) from exc
            ipv4 = [a for a in addresses if ":" not in a]
            return (ipv4 or addresses)[0]

        def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:
            # Failures are DNSLookupError, which Twisted passes on without logging; the
            # guard remembers which names were refused and why.
            name = name.lower()
            if name in self.guard.resolved:
                return defer.succeed(self.guard.resolved[name])
            known = self.guard.refused.get(name) or self.guard.failed.get(name)
            if known:
                return defer.fail(DNSLookupError(known))
            waiting = self.pending.get(name)
            if waiting is None:
                waiting = threads.deferToThreadPool(
                    self.reactor, self.reactor.getThreadPool(), self._lookup, name
                )
                self.pending[name] = waiting
                waiting.addBoth(self._done, name)
            result: defer.Deferred[str] = defer.Deferred()
            waiting.addBoth(self._relay, result)
            return result

        def _done(self, value: Any, name: str) -> Any:
            self.pending.pop(name, None)
            if isinstance(value, str):
                self.guard.resolved[name] = value
            return value

        @staticmethod
        def _relay(value: Any, result: defer.Deferred[str]) -> Any:
            if isinstance(value, str):
                result.callback(value)
            else:
                result.errback(value)
            return value if isinstance(value, str) else None

    return _GuardedResolver


class GuardMiddleware:
    """Downloader middleware: refuses IP-literal hosts outside the policy (names are checked
    by the resolver) and anything that is not http(s)."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard

    @classmethod
    def from_crawler(cls, crawler: Any) -> GuardMiddleware:
        return cls(crawler.settings["GONGKAI_GUARD"])

    def process_request(self, request: Any, spider: Any = None) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise GuardRefused(f"只能访问 http 或 https 地址：{request.url[:200]}")
        host = (parts.hostname or "").lower()
        if host in self.guard.refused:
            raise GuardRefused(self.guard.refused[host])
        if is_ip_literal(host):
            message = self.guard.check_literal(host)
            if message:
                raise GuardRefused(message)


# Scrapy imports the resolver by path from the settings; build it lazily (Twisted import).
_RESOLVER_CLASS: type | None = None


def __getattr__(name: str) -> Any:
    global _RESOLVER_CLASS
    if name == "GuardedResolver":
        if _RESOLVER_CLASS is None:
            _RESOLVER_CLASS = _make_resolver_class()
        return _RESOLVER_CLASS
    raise AttributeError(name)
