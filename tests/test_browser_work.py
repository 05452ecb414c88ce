"""In a real browser, on a real `gongkai serve` with the demo: a liaison reports progress with
a file through the form, and the office's dashboard draws its charts, whose bars drill down
to the list behind them. Driven like test_browser_jobs.py (DevTools over a pipe)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_browser_jobs import Browser, browser  # noqa: F401  # the fixture
from tests.test_serve import Served, running_serve

pytestmark = pytest.mark.browser

PNG = (  # a 1×1 PNG: recognised by content as an image
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Served]:
    with running_serve(tmp_path) as running:
        running.wait_until_up()
        running.shell(
            "from django.core.management import call_command; call_command('demo'); print('ok')"
        )
        yield running


def log_in(browser: Browser, url: str, username: str, password: str) -> None:  # noqa: F811
    browser.call("Network.clearBrowserCookies")
    browser.open(url + "login/")
    browser.js(
        f"document.querySelector('#id_username').value = {json.dumps(username)};"
        f"document.querySelector('#id_password').value = {json.dumps(password)};"
        "document.querySelector('form').submit()"
    )
    browser.wait_for("location.pathname === '/' && document.readyState === 'complete'")


def test_a_liaison_reports_with_a_file_and_the_office_drills_down_from_a_chart(
    demo: Served,
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    # -- the liaison: my work → a checkpoint → report done with a file --------------------------
    log_in(browser, demo.url, "sifa", "gongkai-sifa")
    browser.open(demo.url + "work/")
    assert browser.js("document.querySelector('h1').textContent") == "我的任务"
    browser.js("document.querySelector('table.worklist td a').click()")
    browser.wait_for("/^\\/work\\/checkpoints\\/\\d+\\/$/.test(location.pathname)")
    browser.wait_for(
        "document.readyState === 'complete' && !!document.querySelector('#report form')"
    )
    evidence = tmp_path / "公开页面截图.png"
    evidence.write_bytes(PNG)
    document = browser.call("DOM.getDocument")["root"]["nodeId"]
    node = browser.call(
        "DOM.querySelector", {"nodeId": document, "selector": "#report input[type=file]"}
    )["nodeId"]
    browser.call("DOM.setFileInputFiles", {"nodeId": node, "files": [str(evidence)]})
    browser.js(
        "document.querySelector('#report select[name=status]').value = 'done';"
        "document.querySelector('#report textarea[name=text]').value = '已公开，附截图';"
        "document.querySelector('#report form').submit()"
    )
    browser.wait_for("document.readyState === 'complete' && !!document.querySelector('.messages')")
    assert "等待公开办审核" in browser.js("document.querySelector('.messages').textContent")
    links = browser.js("[...document.querySelectorAll('.report a')].map(a => a.textContent.trim())")
    assert "公开页面截图.png" in links

    # -- the office: the dashboard draws, and a bar opens the list behind it ----------------------
    log_in(browser, demo.url, "office", "gongkai-office")
    browser.open(demo.url + "work/dashboard/")
    browser.wait_for(
        "window.echarts && ['chart-units','chart-categories','chart-trend']"
        ".every(id => { const c = echarts.getInstanceByDom(document.getElementById(id));"
        " return c && document.getElementById(id).querySelector('canvas'); })"
    )
    time.sleep(2)  # the bars grow in for a second (ECharts' animation): click them grown
    # Where on the screen a non-empty bar segment of the first unit is.
    point = browser.js(
        """(() => {
          const el = document.getElementById('chart-units');
          el.scrollIntoView({block: 'center'});
          const chart = echarts.getInstanceByDom(el);
          const series = chart.getOption().series;
          let start = 0;
          for (let i = 0; i < series.length; i++) {
            const n = series[i].data[0] || 0;
            if (n > 0) {
              const [x, y] = chart.convertToPixel({seriesIndex: i}, [start + n / 2, 0]);
              const box = el.getBoundingClientRect();
              return {x: box.left + x, y: box.top + y, series: i};
            }
            start += n;
          }
          return null;
        })()"""
    )
    assert point, "the first unit's bar is empty"
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):  # as a hand would
        browser.call(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": point["x"], "y": point["y"], "button": "left", "clickCount": 1},
        )
    browser.wait_for("location.pathname === '/work/' && document.readyState === 'complete'")
    query = browser.js("location.search")
    assert "unit=" in query and "state=" in query
    assert browser.js("document.querySelectorAll('table.worklist td a').length") > 0

    # Everything the browser fetched came from serve itself (ECharts is vendored).
    outside = [u for u in browser.requested_urls() if not u.startswith((demo.url, "data:"))]
    assert outside == []
