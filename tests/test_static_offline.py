"""Everything a page loads comes from Gongkai itself: it must work on an offline 政务外网.

Our templates and static files name no outside host in anything that loads (src, href,
url(), @import, fetch, import, form actions); rendered pages load only local paths; the
vendored libraries are present, and their own absolute URLs are namespaces and licences only.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

import gongkai
from gongkai.jobs.models import Job, JobKind, JobStatus
from tests.conftest import Cast, client_for

PACKAGE = Path(gongkai.__file__).resolve().parent
VENDOR = PACKAGE / "web" / "static" / "vendor"
TEXT_SUFFIXES = {".html", ".txt", ".css", ".js", ".mjs", ".svg", ".json", ".xml", ".webmanifest"}

_EXTERNAL = r"""\s*["'`]?\s*(?:https?:)?//"""
#: Ways a file can make a browser fetch something. <a href> is a link someone may follow,
#: not a load, so it is left out on purpose.
EXTERNAL_LOADS = re.compile(
    "|".join(
        [
            rf"<(?!a[\s>])[a-z][^>]*?\b(?:src|href|srcset|poster|data|action|formaction)\s*={_EXTERNAL}",
            rf"\bsrc\s*={_EXTERNAL}",
            rf"\burl\({_EXTERNAL}",
            rf"@import\s+(?:url\()?{_EXTERNAL}",
            rf"\bfetch\({_EXTERNAL}",
            rf"\bimport\s*\(?{_EXTERNAL}",
            rf"\bfrom\s+{_EXTERNAL}",
            rf"\.open\(\s*[\"'][A-Z]+[\"']\s*,{_EXTERNAL}",
        ]
    ),
    re.IGNORECASE | re.DOTALL,
)
#: Absolute URLs allowed inside vendored minified files: XML namespaces and licence notices.
VENDOR_URLS_ALLOWED = (
    "http://www.w3.org/",
    "http://www.apache.org/licenses/",
    "https://github.com/ecomfe/zrender/blob/master/LICENSE",
)
VENDORED = {
    "htmx/htmx.min.js": ("htmx", 40_000),
    "echarts/echarts.min.js": ("echarts", 500_000),
}


def _our_files() -> list[Path]:
    templates = [p for p in PACKAGE.glob("*/templates/**/*") if p.is_file()]
    static = [
        p
        for p in PACKAGE.glob("*/static/**/*")
        if p.is_file() and VENDOR not in p.parents and p.suffix in TEXT_SUFFIXES
    ]
    return sorted(templates + static)


def test_the_scan_sees_our_templates_and_stylesheet() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in _our_files()}
    assert {"web/templates/web/base.html", "web/static/gongkai/site.css"} <= names
    assert "jobs/templates/jobs/_live.html" in names


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.example.com/htmx.js"></script>',
        "<link rel=stylesheet href='//fonts.example.com/css'>",
        '<img alt="" src="http://example.com/logo.png">',
        "body { background: url(https://example.com/bg.png) }",
        '@import "https://example.com/more.css";',
        "fetch('https://example.com/api')",
        '<form action="https://example.com/collect">',
        'import x from "https://esm.example.com/x.js"',
    ],
)
def test_the_scan_catches_an_external_load(snippet: str) -> None:
    assert EXTERNAL_LOADS.search(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'vendor/htmx/htmx.min.js' %}\"></script>",
        '<a href="https://www.gov.cn/zhengce/">条例原文</a>',
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        "// a comment in a script",
        'hx-get="/jobs/1/progress/"',
    ],
)
def test_the_scan_lets_local_loads_links_and_namespaces_pass(snippet: str) -> None:
    assert not EXTERNAL_LOADS.search(snippet)


def test_our_templates_and_static_files_load_nothing_from_other_hosts() -> None:
    offenders = []
    for path in _our_files():
        text = path.read_text(encoding="utf-8")
        offenders += [
            f"{path.relative_to(PACKAGE)}: {m[0]!r}" for m in EXTERNAL_LOADS.finditer(text)
        ]
    assert offenders == []


@pytest.mark.parametrize(("name", "marker_and_size"), sorted(VENDORED.items()))
def test_the_vendored_libraries_are_present(name: str, marker_and_size: tuple[str, int]) -> None:
    marker, least = marker_and_size
    path = VENDOR / name
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert len(text) >= least and marker in text
    assert name.split("/")[0] in (VENDOR / "VERSIONS.txt").read_text()


def test_the_vendored_libraries_name_no_host_but_namespaces_and_licences() -> None:
    found = set()
    for path in VENDOR.rglob("*.js"):
        found |= set(re.findall(r"https?://[^\s\"'`)<>]+", path.read_text(encoding="utf-8")))
    assert {url for url in found if not url.startswith(VENDOR_URLS_ALLOWED)} == set()


class _Loads(HTMLParser):
    """Collects every URL a page makes the browser load."""

    ATTRS = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = self.ATTRS.get(tag)
        for name, value in attrs:
            if name == wanted and value is not None:
                self.urls.append(value)


def _loads(html: str) -> list[str]:
    parser = _Loads()
    parser.feed(html)
    return parser.urls


def test_the_login_page_loads_only_local_files(db: None, anon: Client) -> None:
    response = anon.get("/login/")
    assert response.status_code == 200
    urls = _loads(response.content.decode())
    assert "/static/vendor/htmx/htmx.min.js" in urls
    assert all(u.startswith("/") and not u.startswith("//") for u in urls), urls


@pytest.mark.parametrize("path", ["/", "/jobs/", "/jobs/{pk}/"])
def test_the_office_pages_load_only_local_files(cast: Cast, path: str) -> None:
    job = Job.objects.create(
        kind=JobKind.SELF_TEST, status=JobStatus.RUNNING, created_by=cast.office
    )
    response = client_for(cast.office).get(path.format(pk=job.pk))
    assert response.status_code == 200
    urls = _loads(response.content.decode())
    assert urls, "the page loads its stylesheet and htmx at least"
    assert all(u.startswith("/") and not u.startswith("//") for u in urls), urls
