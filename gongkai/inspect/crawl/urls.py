"""URLs as the crawl sees them: the one normalised spelling it dedupes on, trap guards, and
what kind of thing a link or response is."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

REFUSED = "不允许访问内网或本机地址"
MAX_REDIRECTS = 10
MAX_URL_LENGTH = 2048
MAX_PATH_SEGMENTS = 20
# Distinct query strings followed on one path with one set of parameter names: a CMS serving
# every article from show.php?id=N is a site, not a trap, so the cap is high; what it stops is
# the endless combinations of filters, sorts and calendars.
MAX_QUERIES_PER_PATH = 1000
# … and with a calendar parameter among the names (day, date, month …): every day is a page.
MAX_CALENDAR_QUERIES = 50
#: Link targets remembered (with the pages linking to them) before only requested URLs are.
MAX_TARGETS = 200_000
EXTERNAL_GET_BYTES = 64 * 1024  # a GET that only checks a link reads no more than this
PROGRESS_SECONDS = 1.0

ATTACHMENT_EXTENSIONS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "txt"})
# Linked files that are checked (HEAD) but neither parsed nor downloaded.
# fmt: off
BINARY_EXTENSIONS = frozenset([
    "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "tif", "tiff", "mp3", "mp4",
    "avi", "wmv", "flv", "mov", "mkv", "wav", "rm", "rmvb", "swf", "zip", "rar", "7z", "gz",
    "tgz", "bz2", "xz", "tar", "iso", "exe", "msi", "apk", "dmg", "ppt", "pptx", "wps",
    "et", "dps", "ofd", "ceb", "rtf", "odt", "ods", "odp", "css", "js", "json", "xml",
    "woff", "woff2", "ttf", "eot", "otf",
])
# fmt: on
ATTACHMENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/plain",
    }
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PAGE_TAGS = frozenset({"a", "area", "iframe"})
RESOURCE_TAGS = frozenset({"img", "script", "link"})
SESSION_PARAMS = frozenset(
    {
        "jsessionid",
        "phpsessid",
        "sessionid",
        "session_id",
        "aspsessionid",
        "cfid",
        "cftoken",
        "sessid",
        "zenid",
        "oscsid",
    }
)
CALENDAR_PARAMS = frozenset({"year", "yr", "y", "yyyy", "nian", "date", "month", "ym", "day"})
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid|sessionid)=[^/?#]*", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")

# Request kinds (request.meta["k"], and the tasks the frontier hands out).
PAGE, RESOURCE, ATTACHMENT, EXTERNAL = "p", "r", "a", "e"


def normalize_url(url: str) -> str | None:
    """The one spelling of a URL the crawl dedupes on, or None when it is not an http(s) URL
    it can request. Host lowercased (IDNA), default port, fragment and session ids dropped,
    query sorted, path and query percent-encoded as UTF-8 (existing escapes kept)."""
    from w3lib.url import canonicalize_url

    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            return None
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = (
        host if port is None or port == (443 if scheme == "https" else 80) else f"{host}:{port}"
    )
    path = _PATH_SESSION.sub("", parts.path) or "/"
    query = parts.query
    if query:
        # Session ids dropped from the raw pairs, so the others keep their bytes (a GBK
        # %B9%AB%BF%AA stays as it is; decoding and re-encoding would turn it into U+FFFD).
        pairs = query.split("&")
        kept = [p for p in pairs if _key_of(p) not in SESSION_PARAMS]
        if len(kept) != len(pairs):
            query = "&".join(kept)
    try:
        if query and "=" not in query:
            # show.asp?12345: a bare query the page reads whole; canonicalising would make it
            # 12345= and another URL.
            base = canonicalize_url(urlunsplit((scheme, netloc, path, "", "")))
            return f"{base}?{quote(query, safe=_QUERY_SAFE)}"
        return canonicalize_url(urlunsplit((scheme, netloc, path, query, "")))
    except (ValueError, UnicodeError):
        return None


_QUERY_SAFE = "%/:@!$'()*+,;=~?&"


def _key_of(pair: str) -> str:
    return unquote(pair.split("=", 1)[0], errors="replace").strip().lower()


def query_shape(url: str) -> tuple[str, int]:
    """The path with the sorted parameter names (show.php?id=1 and show.php?id=2 share it),
    and how many distinct queries of that shape the crawl follows."""
    path, _, query = url.partition("?")
    names = sorted({_key_of(pair) for pair in query.split("&") if pair})
    calendar = any(name in CALENDAR_PARAMS for name in names)
    limit = MAX_CALENDAR_QUERIES if calendar else MAX_QUERIES_PER_PATH
    return path + "?" + "&".join(names), limit


def trap_reason(url: str, today: dt.date) -> str:
    """Why a URL looks like a crawler trap ("" when it does not)."""
    if len(url) > MAX_URL_LENGTH:
        return "链接过长"
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > MAX_PATH_SEGMENTS:
        return "路径层级过深"
    if segments and max(segments.count(s) for s in set(segments)) >= 3:
        return "路径重复"
    if parts.query:
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            if key.lower() in CALENDAR_PARAMS:
                found = _YEAR.search(value)
                if found and not today.year - 30 <= int(found.group(1)) <= today.year + 1:
                    return "日历链接"
    return ""


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def extension(url: str) -> str:
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def looks_html(media: str, body: bytes) -> bool:
    if media:
        return media in HTML_TYPES
    head = body[:1024].lower()
    return any(tag in head for tag in (b"<!doctype html", b"<html", b"<head", b"<title", b"<body"))
