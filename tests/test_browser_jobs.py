"""A real browser watches a self-test job's progress bar fill up, on a real `gongkai serve`.

Headless Chromium (Debian's /usr/bin/chromium) is driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4), so no driver and no
Python package is needed. Serve runs as in test_serve.py, with its own worker: the job runs in
the background while HTMX polls, which a live_server with eager tasks could not show.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_serve import Served, running_serve

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--remote-debugging-pipe",
]
PASSWORD = "pw-office-browser"


class Browser:
    """One headless Chromium with one page, spoken to over the DevTools pipe."""

    def __init__(self, profile: Path) -> None:
        to_chrome, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome = os.pipe()
        # bash (dash takes single-digit fds only) puts our pipe ends on the fds Chromium
        # expects, then becomes Chromium.
        command = " ".join([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"])
        self.process = subprocess.Popen(
            ["/bin/bash", "-c", f"exec {command} 3<&{to_chrome} 4>&{from_chrome}"],
            pass_fds=(to_chrome, from_chrome),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(to_chrome)
        os.close(from_chrome)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})
        self._session = attached["sessionId"]
        self.call("Network.enable")
        self.call("Page.enable")

    def _call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 15
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._next_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    result: dict[str, Any] = reply["result"]
                    return result
                self.events.append(reply)
            ready, _, _ = select.select([self._from_chrome], [], [], deadline - time.monotonic())
            if not ready:
                raise TimeoutError(f"Chromium did not answer {method}")
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            self._buffer += chunk

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._call(method, params, self._session)

    def js(self, expression: str) -> Any:
        reply = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in reply:
            raise RuntimeError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 15) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.js(expression)
            except RuntimeError:  # the page is between two documents
                value = None
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"never true in the page: {expression}; at {self.js('location.href')}")

    def open(self, url: str) -> None:
        self.call("Page.navigate", {"url": url})
        self.wait_for(f"location.href === {json.dumps(url)} && document.readyState === 'complete'")

    def requested_urls(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def close(self) -> None:
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)  # Chromium and its renderers
        self.process.wait(10)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with running_serve(tmp_path) as running:
        running.wait_until_up()
        running.shell(
            "from gongkai.accounts.models import Role, User; "
            f"User.objects.create_user('office', password='{PASSWORD}', role=Role.OFFICE); "
            "print('ok')"
        )
        yield running


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "install Chromium: apt-get install -y chromium"
    opened = Browser(tmp_path / "chromium-profile")
    try:
        yield opened
    finally:
        opened.close()


def test_the_office_starts_a_self_test_and_watches_the_bar_reach_100(
    served: Served, browser: Browser
) -> None:
    browser.open(served.url + "login/")
    browser.js(
        "document.querySelector('#id_username').value = 'office';"
        f"document.querySelector('#id_password').value = '{PASSWORD}';"
        "document.querySelector('form').submit()"
    )
    browser.wait_for("location.pathname === '/' && document.readyState === 'complete'")

    browser.open(served.url + "jobs/")
    browser.js("document.querySelector('form[action=\"/jobs/self-test/\"] button').click()")
    browser.wait_for("/^\\/jobs\\/\\d+\\/$/.test(location.pathname)")
    assert browser.wait_for("typeof htmx === 'object' && htmx.version") >= "2"

    widths: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        width = browser.js(
            "(document.querySelector('#job-live .progress > div') || {style: {}}).style.width"
        )
        if width and (not widths or widths[-1] != width):
            widths.append(width)
        status = browser.js("(document.querySelector('#job-live strong') || {}).textContent")
        if width == "100%" and status == "已完成":
            break
        time.sleep(0.1)
    assert widths and widths[-1] == "100%", widths
    # The bar moved while the page stayed put: HTMX swapped in fresher partials.
    assert any(w not in ("0%", "100%") for w in widths), widths
    # Finished: the partial came back without its trigger, so polling has stopped.
    assert browser.js("document.querySelector('#job-live').hasAttribute('hx-trigger')") is False
    time.sleep(1.5)
    polls = [u for u in browser.requested_urls() if u.endswith("/progress/")]
    time.sleep(1.5)
    assert len([u for u in browser.requested_urls() if u.endswith("/progress/")]) == len(polls)

    # Everything the browser fetched came from serve itself.
    outside = [u for u in browser.requested_urls() if not u.startswith((served.url, "data:"))]
    assert outside == []
