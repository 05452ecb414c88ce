"""The crawler: Scrapy run programmatically, and `inspect_site(config)`.

One inspection crawls from the start URLs and hands every page and attachment to the checks:

- Pages: `a`, `area` and `iframe` links on hosts in scope (the start hosts and
  config.extra_hosts) are fetched (GET) and parsed once with `parse_page`; the same Page is
  handed to every check. Limits: config.max_pages pages, config.max_depth clicks from the
  start, config.max_bytes a response (longer bodies are cut there and reported as truncated;
  the rest is never downloaded).
- Resources (`img`, `script`, `link`) and links outside the scope are checked, not crawled:
  HEAD, then GET when HEAD fails (servers that refuse HEAD are common). External links are
  checked regardless of robots.txt (one request, as a reader's click would be).
- Attachments (pdf, doc, docx, xls, xlsx, txt) in scope are fetched up to
  config.attachment_max_bytes and given to every check's on_attachment.
- Redirects are followed by the crawler, not by Scrapy, so a chain's outcome is recorded under
  the linked URL, a loop is reported as one, and every hop is checked by the SSRF guard.
- URLs are normalised (host lowercased, default port and fragment dropped, query sorted,
  session ids removed) and each is requested once. Trap guards: very long URLs, deep paths,
  a path segment repeated three times, calendar parameters with implausible years, and more
  than MAX_QUERIES_PER_PATH distinct query strings on one path.

Modules: urls (normalisation, trap guards, kinds), guard (the SSRF resolver and middleware),
probe (the network questions of site-level checks), frontier (what to request and what came
back; runs the checks), spider (the Scrapy side), run (`inspect_site`), parallel and fetcher
(the crawl spread over fetcher processes when config.workers asks for more than one).
"""

from __future__ import annotations

from typing import Any

from gongkai.inspect.crawl.frontier import ProgressFn
from gongkai.inspect.crawl.probe import NetProbe, query_aaaa
from gongkai.inspect.crawl.run import inspect_site, worker_count
from gongkai.inspect.crawl.urls import REFUSED, normalize_url, trap_reason


def __getattr__(name: str) -> Any:
    if name == "GuardedResolver":  # the resolver class is built on first use (Twisted import)
        from gongkai.inspect.crawl import guard

        return guard.GuardedResolver
    raise AttributeError(name)


__all__ = [
    "REFUSED",
    "NetProbe",
    "ProgressFn",
    "inspect_site",
    "normalize_url",
    "query_aaaa",
    "trap_reason",
    "worker_count",
]
