"""Link targets made absolute: urljoin with fast paths for the forms pages use most, and a
memo for the targets that depend on the site alone (the navigation every page repeats)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")

# Per scheme://host: raw href → result, for the hrefs whose target does not depend on the page's
# own path (/path, //host/path, http(s)://…, other schemes, empty or fragment-only). Bounded:
# a full memo is emptied and refilled; results are immutable strings, so sharing is safe.
_MEMOS: dict[str, dict[str, str | None]] = {}
_MEMO_SIZE = 4096
_MEMO_SITES = 64


def _memo(origin: str) -> dict[str, str | None]:
    memo = _MEMOS.get(origin)
    if memo is None:
        if len(_MEMOS) >= _MEMO_SITES:
            _MEMOS.clear()
        memo = _MEMOS[origin] = {}
    return memo


class Resolver:
    """urljoin with fast paths for the common forms; fragment dropped; non-web schemes None."""

    def __init__(self, base: str) -> None:
        self.set_base(base)

    def set_base(self, base: str) -> None:
        self.base = base
        parts = urlsplit(base)
        self.scheme = parts.scheme or "http"
        self.origin = f"{self.scheme}://{parts.netloc}"
        path = parts.path or "/"
        self.directory = self.origin + path[: path.rfind("/") + 1]
        self.no_query = self.origin + path
        self.memo = _memo(self.origin)

    def __call__(self, raw: str) -> str | None:
        memo = self.memo
        if raw in memo:
            return memo[raw]
        result, shared = self._resolve(raw)
        if shared:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[raw] = result
        return result

    def _resolve(self, href: str) -> tuple[str | None, bool]:
        """The target, and whether it depends on scheme://host alone."""
        href = href.strip()
        if "#" in href:
            href = href[: href.index("#")]
        if not href:
            return None, True
        first = href[0]
        if first == "/":
            if href.startswith("//"):
                return self.scheme + ":" + href, True
            if "/." not in href:
                return self.origin + href, True
            return urljoin(self.base, href), False
        if first == "?":
            return self.no_query + href, False
        scheme = _SCHEME.match(href)
        if scheme:
            name = scheme.group().lower()
            if name not in ("http:", "https:"):
                return None, True
            return href, True
        if first == "." or "/." in href or "\\" in href or "\n" in href:
            return urljoin(self.base, href), False
        return self.directory + href, False
