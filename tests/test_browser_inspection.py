"""In a real browser, on a real `gongkai serve` with the demo: the office runs an inspection of
the demo's own portal from the 网站检查 page, watches the job finish (the worker runs the crawler
in a child process), reads the result with its score, and sees the trend chart drawn — every
script from this server. Driven like test_browser_jobs.py (DevTools over a pipe)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from tests.test_browser_jobs import Browser, browser  # noqa: F401  # the fixture
from tests.test_browser_work import demo, log_in  # noqa: F401  # the served demo
from tests.test_serve import Served

pytestmark = pytest.mark.browser


def test_the_office_inspects_the_demo_portal_and_reads_the_score(
    demo: Served,  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    # The demo registers the portal at the default port; this server listens elsewhere.
    site_pk = demo.shell(
        "from gongkai.inspection.models import InspectedSite as S; s = S.objects.get(); "
        f"s.base_url = {json.dumps(demo.url + 'portal/')}; s.max_pages = 60; s.save(); print(s.pk)"
    )
    log_in(browser, demo.url, "office", "gongkai-office")
    browser.open(demo.url + f"inspection/sites/{site_pk}/")
    browser.wait_for("document.readyState === 'complete'")
    browser.js(
        "[...document.querySelectorAll('form button')]"
        ".find(b => b.textContent.trim() === '立即检查').click()"
    )
    browser.wait_for("/^\\/jobs\\/\\d+\\/$/.test(location.pathname)")
    # The job page refreshes itself; the crawl of the portal takes a few seconds.
    browser.wait_for(
        "(document.querySelector('strong.status-succeeded') || "
        "document.querySelector('strong.status-failed') || {}).className || ''",
        timeout=120,
    )
    assert browser.js("!!document.querySelector('strong.status-succeeded')"), browser.js(
        "document.querySelector('main').textContent"
    )

    run_pk = demo.shell(
        "from gongkai.inspection.models import Inspection as I; print(I.objects.latest('pk').pk)"
    )
    browser.open(demo.url + f"inspection/runs/{run_pk}/")
    browser.wait_for("document.readyState === 'complete'")
    assert browser.js("document.querySelector('h1').textContent").startswith("检查结果")
    grade = browser.js("document.querySelector('#score-h').parentElement.textContent")
    assert "合格" in grade  # 合格 or 不合格: a grade was given
    crawled = int(demo.shell(
        "from gongkai.inspection.models import Inspection as I; "
        f"print(I.objects.get(pk={run_pk}).pages_crawled)"
    ))  # fmt: skip
    assert crawled >= 5  # home, columns, documents of the demo portal

    # The trend chart is drawn by the vendored ECharts, from this server only.
    browser.open(demo.url + f"inspection/sites/{site_pk}/")
    browser.wait_for("!!document.querySelector('#chart-trend canvas')", timeout=20)
    sources = browser.js("[...document.scripts].map(s => s.src).filter(Boolean)")
    assert sources and all(urlsplit(s).netloc == urlsplit(demo.url).netloc for s in sources)
