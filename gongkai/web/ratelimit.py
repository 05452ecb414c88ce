"""A per-address limit on the public pages: at most N attempts per minute.

Fixed one-minute windows counted in Django's cache (`cache.add` then `cache.incr`), so the count
is shared by every process that shares the cache: Redis across machines, the file cache on one
machine (where two requests in the same instant may both count as one; a limit against abuse
does not need more). A window's key expires shortly after the window ends.

The client address is REMOTE_ADDR. Behind a reverse proxy every request comes from the proxy, so
when REMOTE_ADDR is one of TRUSTED_PROXIES (addresses or networks), X-Forwarded-For is read from
the right, skipping trusted proxies, and the first address that is not one is the client. Taking
the right-most untrusted hop, not the first, matters: a client can send its own
X-Forwarded-For, which the proxy keeps in front of the address it appends. IPv6 clients are
counted per /64, the block one household or phone usually holds.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from gongkai.audit.context import client_ip

WINDOW_SECONDS = 60
UNKNOWN = "unknown"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    #: Seconds until the current window ends (the Retry-After of a refusal).
    retry_after: int


def submit_limit() -> int:
    """Submissions of the application form per address per minute."""
    return int(getattr(settings, "PUBLIC_RATE_LIMIT", 20))


def lookup_limit() -> int:
    """Status lookups (tracking number + secret) per address per minute."""
    return int(getattr(settings, "STATUS_RATE_LIMIT", 10))


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def trusted_proxies() -> tuple[IPNetwork, ...]:
    raw = getattr(settings, "TRUSTED_PROXIES", ())
    if isinstance(raw, str):
        raw = raw.split(",")
    return _networks(tuple(str(e) for e in raw))


def _parse(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _is_trusted(address: IPAddress, proxies: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_address(request: HttpRequest) -> IPAddress | None:
    """The address of the client as far as we can trust it (see the module docstring)."""
    remote = _parse(client_ip(request) or "")
    proxies = trusted_proxies()
    if remote is None or not _is_trusted(remote, proxies):
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # a garbled hop: what lies before it cannot be trusted either
        if not _is_trusted(address, proxies):
            return address
    return remote


def bucket_of(address: IPAddress | None) -> str:
    """What is counted: the IPv4 address, or the /64 of an IPv6 address."""
    if address is None:
        return UNKNOWN
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def hit(scope: str, request: HttpRequest, limit: int) -> Verdict:
    """Count one attempt of `scope` from this client; allowed while the count is ≤ limit."""
    now = timezone.now().timestamp()
    window = int(now // WINDOW_SECONDS)
    retry_after = max(1, (window + 1) * WINDOW_SECONDS - int(now))
    key = f"gongkai:ratelimit:{scope}:{window}:{bucket_of(client_address(request))}"
    timeout = WINDOW_SECONDS + 10
    cache.add(key, 0, timeout)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        count = 1
    return Verdict(allowed=count <= limit, count=count, retry_after=retry_after)


# -- refusals on the public pages (/apply/, /portal/hdjl/, /portal/yjzj/) ---------------------

#: Renders an app's own error page: (request, status, title, message) → response.
ErrorPage = Callable[[HttpRequest, int, str, str], HttpResponse]


def refuse(
    request: HttpRequest,
    page: ErrorPage,
    status: int,
    title: str,
    message: str,
    retry_after: int = 0,
) -> HttpResponse:
    """The app's error page with `status`, and Retry-After when the client may try later."""
    response = page(request, status, title, message)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def too_many(
    request: HttpRequest,
    verdict: Verdict,
    what: str,
    *,
    page: ErrorPage,
    log: logging.Logger,
    where: str,
    title: str = "操作过于频繁",
    lost: str = "本次未被受理",
) -> HttpResponse:
    """A 429 saying how many seconds to wait; the refusal is logged with the counted bucket."""
    log.warning(
        "%s: %s refused for %s (%d this minute)",
        where,
        what,
        bucket_of(client_address(request)),
        verdict.count,
    )
    message = (
        f"同一网络地址在一分钟内的{what}次数已达上限，{lost}。请在 {verdict.retry_after} 秒后再试。"
    )
    return refuse(request, page, 429, title, message, verdict.retry_after)


def declared_length(request: HttpRequest) -> int:
    """The body size the client declares (0 when it declares none or nonsense: Django then
    reads no body it cannot measure)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
