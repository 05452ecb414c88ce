"""In a real browser, on a real `gongkai serve` with the demo: a member of the public applies
for information on /apply/ and follows it on /apply/status/; the office confirms receipt of an
online application on the request's page and the deadline appears, explained, on both sides;
the office previews this year's annual report and Table 三 drills down to its records.
Driven like test_browser_jobs.py (DevTools over a pipe), with real mouse clicks and typing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from tests.test_browser_jobs import Browser, browser  # noqa: F401  # the fixture
from tests.test_browser_work import demo, log_in  # noqa: F401  # the fixture
from tests.test_serve import Served

pytestmark = pytest.mark.browser

TRACKING = re.compile(r"^YSQ-\d{4}-\d+$")


# -- doing what a person does ----------------------------------------------------------------


def click(browser: Browser, selector: str) -> None:  # noqa: F811
    """A left click in the middle of the element, as a mouse would: it must be on screen."""
    click_on(browser, f"document.querySelector({json.dumps(selector)})")


def click_link(browser: Browser, label: str) -> None:  # noqa: F811
    """Click the link that reads `label`."""
    click_on(
        browser,
        "[...document.querySelectorAll('a')]"
        f".find(a => a.textContent.trim() === {json.dumps(label)})",
    )


def click_on(browser: Browser, element: str) -> None:  # noqa: F811
    """Click the element the JavaScript expression `element` finds."""
    point = browser.js(
        f"""(() => {{
          const el = {element};
          if (!el) return null;
          el.scrollIntoView({{block: 'center'}});
          const r = el.getBoundingClientRect();
          return {{x: r.left + r.width / 2, y: r.top + r.height / 2}};
        }})()"""
    )
    assert point, f"nothing to click: {element}"
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        browser.call(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": point["x"], "y": point["y"], "button": "left", "clickCount": 1},
        )


def type_into(browser: Browser, selector: str, text: str) -> None:  # noqa: F811
    """Click into a text field, select what it holds, and type over it."""
    click(browser, selector)
    assert browser.js(f"document.activeElement === document.querySelector({json.dumps(selector)})")
    browser.js("document.activeElement.select()")
    browser.call("Input.insertText", {"text": text})
    value = browser.js(f"document.querySelector({json.dumps(selector)}).value")
    assert value == text, (selector, value)


def choose(browser: Browser, selector: str, option_text: str) -> None:  # noqa: F811
    """Pick the option of a <select> by what it reads (a native drop-down takes no clicks)."""
    picked = browser.js(
        f"""(() => {{
          const s = document.querySelector({json.dumps(selector)});
          const o = [...s.options].find(o => o.textContent.trim() === {json.dumps(option_text)});
          if (!o) return false;
          s.value = o.value;
          s.dispatchEvent(new Event('change', {{bubbles: true}}));
          return true;
        }})()"""
    )
    assert picked, f"{selector} has no option {option_text}"


def load_by(browser: Browser, act: Any, then: str = "true") -> None:  # noqa: F811
    """Do `act` (which leaves the page) and wait for the next document to be complete."""
    browser.js("window.__before = true")
    act()
    browser.wait_for(f"!window.__before && document.readyState === 'complete' && ({then})")


def text(browser: Browser, selector: str) -> str:  # noqa: F811
    value = browser.js(f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent")
    assert isinstance(value, str), f"not in the page: {selector}"
    return " ".join(value.split())


def table_rows(browser: Browser, selector: str) -> dict[str, str]:  # noqa: F811
    """A two-column table as {heading: text}."""
    rows: dict[str, str] = browser.js(
        f"Object.fromEntries([...document.querySelectorAll({json.dumps(selector + ' tr')})]"
        ".filter(tr => tr.querySelector('th') && tr.querySelector('td'))"
        ".map(tr => [tr.querySelector('th').textContent.trim(),"
        " tr.querySelector('td').textContent.replace(/\\s+/g, ' ').trim()]))"
    )
    return rows


def outside_requests(browser: Browser, served: Served) -> list[str]:  # noqa: F811
    return [u for u in browser.requested_urls() if not u.startswith((served.url, "data:"))]


def apply_online(
    browser: Browser,  # noqa: F811
    served: Served,
    name: str,
    unit: str = "张店区司法局",
) -> tuple[str, str]:
    """Fill /apply/ as a person would, tick the promise, submit: the number and the secret."""
    browser.call("Network.clearBrowserCookies")
    browser.open(served.url + "apply/")
    assert text(browser, "h1") == "政府信息公开申请表"
    choose(browser, "#id_applicant_type", "自然人")
    type_into(browser, "#id_applicant_name", name)
    type_into(browser, "#id_id_number", "370303199001011234")
    type_into(browser, "#id_contact_phone", "0533-2181234")
    type_into(browser, "#id_address", "山东省淄博市张店区人民西路 88 号")
    choose(browser, "#id_unit", unit)
    type_into(
        browser,
        "#id_description",
        "请公开2026年本区法律援助经费的预算和执行情况。\n包括各季度支出明细。",
    )
    click(browser, "label[for=id_form_wanted_0]")  # 纸质文本
    click(browser, "label[for=id_delivery_wanted_0]")  # 邮寄: the address above
    assert browser.js("document.querySelector('#id_form_wanted_0').checked") is True
    assert browser.js("document.querySelector('#id_delivery_wanted_0').checked") is True
    assert browser.js("document.querySelector('#id_consent').checked") is False
    click(browser, "label[for=id_consent]")
    assert browser.js("document.querySelector('#id_consent').checked") is True
    load_by(browser, lambda: click(browser, "form button[type=submit]"))
    assert browser.js("location.pathname") == "/apply/done/", text(browser, "main")
    assert text(browser, "h1") == "申请已提交"
    codes = browser.js("[...document.querySelectorAll('dl.facts dd.code')].map(d => d.textContent)")
    tracking_no, secret = (c.strip() for c in codes)
    return tracking_no, secret


def look_up(browser: Browser, served: Served, tracking_no: str, secret: str) -> None:  # noqa: F811
    browser.open(served.url + "apply/status/")
    type_into(browser, "#id_tracking_no", tracking_no)
    type_into(browser, "#id_secret", secret)
    load_by(browser, lambda: click(browser, "form.card button[type=submit]"))


# -- the tests -------------------------------------------------------------------------------


def test_a_member_of_the_public_applies_online_and_follows_the_application(
    demo: Served,  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    browser.open(demo.url + "apply/")
    # The trap for robots is in the form but nowhere a person could see, reach or tab to it.
    trap = browser.js(
        """(() => {
          const input = document.querySelector('input[name=website]');
          const box = input.closest('.hp');
          const r = input.getBoundingClientRect(), b = box.getBoundingClientRect();
          const style = getComputedStyle(box);
          return {right: r.right, bottom: r.bottom, boxWidth: b.width, boxHeight: b.height,
                  boxRight: b.right, overflow: style.overflow, position: style.position,
                  tabIndex: input.tabIndex, ariaHidden: box.getAttribute('aria-hidden'),
                  autocomplete: input.autocomplete};
        })()"""
    )
    assert trap["position"] == "absolute" and trap["overflow"] == "hidden", trap
    assert trap["right"] <= 0 and trap["boxRight"] <= 0, trap  # wholly left of the page
    assert trap["boxWidth"] <= 1 and trap["boxHeight"] <= 1, trap
    assert trap["tabIndex"] == -1 and trap["ariaHidden"] == "true", trap
    assert trap["autocomplete"] == "off", trap
    # …while the fields a person fills are on the page, with a size.
    name_box = browser.js(
        "(r => ({left: r.left, width: r.width, height: r.height}))"
        "(document.querySelector('#id_applicant_name').getBoundingClientRect())"
    )
    assert name_box["left"] >= 0 and name_box["width"] > 100 and name_box["height"] > 10
    assert browser.js("document.scripts.length") == 0  # the public pages run no script

    tracking_no, secret = apply_online(browser, demo, "王小明")
    assert TRACKING.match(tracking_no), tracking_no
    assert len(secret) >= 8, secret
    # The receipt is shown once: reloaded, the page no longer holds the secret.
    load_by(browser, lambda: browser.js("location.reload()"))
    assert text(browser, "h1") == "申请回执"
    assert secret not in text(browser, "main")

    # A wrong secret finds nothing; the right one shows where the application stands.
    look_up(browser, demo, tracking_no, secret[::-1] if secret[::-1] != secret else secret + "x")
    assert "申请编号或查询码不正确" in text(browser, ".summary")
    look_up(browser, demo, tracking_no, secret)
    assert text(browser, "h1") == f"申请 {tracking_no} 的办理进度"
    facts = browser.js(
        "Object.fromEntries([...document.querySelectorAll('dl.facts dt')]"
        ".map(dt => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()]))"
    )
    assert facts["办理状态"] == "已提交，等待本机关确认收到", facts
    assert facts["受理机关"] == "张店区司法局", facts
    assert facts["收到申请日期"].startswith("尚未确认"), facts
    assert facts["答复期限"] == "确认收到申请后计算", facts
    assert facts["申请内容"].startswith("请公开2026年本区法律援助经费"), facts
    assert secret not in browser.js("location.href")  # never in a URL

    # Everything the browser fetched came from serve itself.
    assert outside_requests(browser, demo) == []


def test_the_office_confirms_an_online_application_and_the_deadline_is_explained(
    demo: Served,  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    tracking_no, secret = apply_online(browser, demo, "李华")

    # -- the office: the unconfirmed list → the request's page -----------------------------------
    log_in(browser, demo.url, "office", "gongkai-office")
    browser.open(demo.url + "disclosure/?tab=unconfirmed")
    numbers = browser.js("[...document.querySelectorAll('td a')].map(a => a.textContent.trim())")
    assert tracking_no in numbers, numbers
    load_by(
        browser,
        lambda: click_link(browser, tracking_no),
        "/^\\/disclosure\\/\\d+\\/$/.test(location.pathname)",
    )
    assert text(browser, "h1").startswith(tracking_no), text(browser, "h1")
    clock = table_rows(browser, "#clock")
    assert clock["收到申请日期"] == "尚未确定（待确认收到）", clock
    assert clock["答复期限"] == "—", clock
    assert browser.js("document.querySelector('#clock ol.explain')") is None  # nothing to explain
    arrived = table_rows(browser, "#application")["到达日期"][:10]
    day = dt.date.fromisoformat(arrived)

    # -- 确认收到: the day both sides confirmed, through the form --------------------------------
    assert text(browser, "#step-confirm h3") == "确认收到申请"
    browser.js(
        "(el => { el.value = " + json.dumps(arrived) + ";"
        " el.dispatchEvent(new Event('change', {bubbles: true})); })"
        "(document.querySelector('#step-confirm input[name=confirm-confirmed_on]'))"
    )
    load_by(
        browser,
        lambda: click(browser, "#step-confirm button[type=submit]"),
        "!!document.querySelector('.messages')",
    )
    assert "已确认收到申请，答复期限开始计算" in text(browser, ".messages")
    assert browser.js("document.querySelector('#step-confirm')") is None  # done, not offered again

    clock = table_rows(browser, "#clock")
    assert clock["收到申请日期"] == arrived, clock
    found = re.match(r"^(\d{4}-\d{2}-\d{2}) 剩 (\d+) 个工作日$", clock["答复期限"])
    assert found, clock
    deadline = dt.date.fromisoformat(found[1])
    assert 0 < int(found[2]) <= 20, clock
    assert 25 <= (deadline - day).days <= 60, (day, deadline)  # 20 working days, some holidays
    assert clock["状态"].endswith("计时中"), clock
    # Why: the heading names the deadline, the lines show the reckoning.
    assert text(browser, "#clock h3") == f"为什么答复期限是 {deadline.isoformat()}"
    lines = browser.js(
        "[...document.querySelectorAll('#clock ol.explain li')].map(l => l.textContent)"
    )
    assert len(lines) == 1, lines
    assert lines[0].startswith(arrived), lines
    assert "20个工作日" in lines[0] and lines[0].endswith(f"即 {deadline.isoformat()}"), lines
    events = browser.js(
        "[...document.querySelectorAll('#events tr')].slice(1)"
        ".map(tr => [...tr.cells].map(c => c.textContent.trim()))"
    )
    assert len(events) == 1 and events[0][0] == arrived, events

    # -- the applicant sees the same day and deadline -----------------------------------------
    browser.call("Network.clearBrowserCookies")
    look_up(browser, demo, tracking_no, secret)
    facts = browser.js(
        "Object.fromEntries([...document.querySelectorAll('dl.facts dt')]"
        ".map(dt => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()]))"
    )
    assert facts["办理状态"] == "正在办理", facts
    assert facts["收到申请日期"] == f"{day.year}年{day.month}月{day.day}日", facts
    assert facts["答复期限"] == f"{deadline.year}年{deadline.month}月{deadline.day}日前", facts

    assert outside_requests(browser, demo) == []


def test_the_office_previews_this_years_report_and_table_3_drills_down(
    demo: Served,  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    year = int(demo.shell("from django.utils import timezone; print(timezone.localdate().year)"))
    log_in(browser, demo.url, "office", "gongkai-office")
    browser.open(demo.url + "reports/annual/")
    type_into(browser, "#id_year", str(year))
    load_by(
        browser,
        lambda: click(browser, "form.card button[type=submit]"),
        "!!document.querySelector('#table3')",
    )
    assert browser.js("location.pathname + location.search").startswith(
        f"/reports/annual/?year={year}"
    )
    rows = browser.js(
        """[...document.querySelectorAll('#table3 tr[data-key]')].map(tr => ({
          key: tr.dataset.key,
          cells: [...tr.querySelectorAll('td.num')].map(td => ({
            text: td.textContent.trim(),
            links: [...td.querySelectorAll('a')].map(a => [a.textContent.trim(), a.href]),
          })),
        }))"""
    )
    assert len(rows) == 25, [r["key"] for r in rows]
    figures: dict[str, list[int]] = {}
    for row in rows:
        assert len(row["cells"]) == 7, row  # six kinds of applicant and the total
        for col, cell in enumerate(row["cells"]):
            assert len(cell["links"]) == 1, row  # every number is a link, and only the number
            label, href = cell["links"][0]
            assert label == cell["text"] and label.isdigit(), row
            assert href.startswith(demo.url + "reports/annual/cell/?"), href
            assert f"row={row['key']}" in href and f"col={col}" in href, href
        figures[row["key"]] = [int(c["text"]) for c in row["cells"]]
    for key, values in figures.items():
        assert sum(values[:6]) == values[6], (key, values)  # 总计 = the six columns
    # The note's check on every column: 一 + 二 = 三（七）总计 + 四.
    for col in range(7):
        came = figures["newReceived"][col] + figures["carriedOver"][col]
        assert came == figures["totalProcessed"][col] + figures["carriedForward"][col], col
    total_new = figures["newReceived"][6]
    assert total_new > 0  # the demo received requests this year

    # A figure opens the list of exactly the records it counts.
    load_by(
        browser,
        lambda: click(browser, "#table3 tr[data-key=newReceived] td.num:last-child a"),
        "location.pathname === '/reports/annual/cell/'",
    )
    assert int(text(browser, "#count")) == total_new
    listed = browser.js(
        "[...document.querySelectorAll('#records tr')].slice(1)"
        ".map(tr => [...tr.cells].map(c => c.textContent.trim()))"
    )
    assert len(listed) == min(total_new, 100), listed
    for record in listed:
        assert TRACKING.match(record[0]), record
        # Counted from the receipt day once fixed (Art. 31), else the day it arrived.
        start = record[4] if record[4] != "—" else record[3]
        assert start.startswith(f"{year}-"), record
    assert outside_requests(browser, demo) == []
