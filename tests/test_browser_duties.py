"""In a real browser, on a real `gongkai serve` with the demo: every public page of the issue-8
registers (建议提案复文, 政务新媒体, 重大行政决策事项目录, 负面清单, 机构职能, 政府公报) renders —
its index and the first record it links to — with its styles and images, and no request
leaves this server. Driven like test_browser_jobs.py (DevTools over a pipe)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.test_browser_jobs import Browser, browser  # noqa: F401  # the fixture
from tests.test_browser_work import demo  # noqa: F401  # the served demo
from tests.test_serve import Served

pytestmark = pytest.mark.browser

#: (portal index, the heading it shows, a path prefix of the records it lists)
PAGES = [
    ("portal/jyta/", "建议提案", "/portal/jyta/"),
    ("portal/xmt/", "政务新媒体", ""),
    ("portal/zdjc/", "重大行政决策", "/portal/zdjc/"),
    ("portal/fmqd/", "负面清单", ""),
    ("portal/jgzn/", "机构", "/portal/jgzn/"),
    ("portal/gb/", "政府公报", "/portal/gb/"),
]

_PAGE_STATE = """(() => {
  const main = document.querySelector('main');
  const images = [...document.images];
  return {
    h1: (document.querySelector('h1') || {}).textContent || '',
    text: main ? main.innerText.length : 0,
    styled: getComputedStyle(document.querySelector('.portal-head')).display !== 'inline',
    brokenImages: images.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
    images: images.map(i => i.getAttribute('src')),
    scripts: document.scripts.length,
  };
})()"""


def _first_record(browser: Browser, prefix: str) -> str | None:  # noqa: F811
    links = browser.js(
        "[...document.querySelectorAll('main a[href]')].map(a => a.getAttribute('href'))"
    )
    index = browser.js("location.pathname")
    for href in links:
        if href.startswith(prefix) and href.split("?")[0].rstrip("/") != index.rstrip("/"):
            return str(href)
    return None


def _check(browser: Browser, demo: Served, path: str) -> dict[str, Any]:  # noqa: F811
    browser.open(demo.url + path.lstrip("/"))
    state: dict[str, Any] = browser.js(_PAGE_STATE)
    assert state["styled"], f"{path}: the portal's style sheet did not apply"
    assert state["brokenImages"] == [], f"{path}: images that did not load {state}"
    assert state["scripts"] == 0, f"{path}: public pages run no script"
    assert state["text"] > 40, f"{path}: the page is (nearly) empty"
    return state


def test_every_public_page_of_the_registers_renders_from_this_server_only(
    demo: Served,  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    images: list[str] = []
    for path, heading, prefix in PAGES:
        state = _check(browser, demo, path)
        assert heading in str(state["h1"]), f"{path}: h1 is {state['h1']!r}"
        if prefix:
            record = _first_record(browser, prefix)
            assert record is not None, f"{path}: the demo shows no record to open"
            images += _check(browser, demo, record)["images"]
    # A leader's photo on a 机构职能 page, served by the project, loaded (checked above).
    assert any(src.startswith("/portal/jgzn/") for src in images), images

    requested = browser.requested_urls()
    assert requested, "the browser reported no requests"
    outside = [u for u in requested if not u.startswith(demo.url) and not u.startswith("data:")]
    assert outside == [], json.dumps(outside, ensure_ascii=False)
