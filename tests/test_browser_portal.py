"""The public portal in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven
over the DevTools pipe as in test_browser_jobs.py) renders the home page, the document list, a
document page, search results and the 互动交流 list from pytest-django's live server; each is
screenshotted, and the screenshot must be a real picture (decoded here: a PNG of the viewport's
size with many colours, not one blank colour). The test fails if the browser asks anything of
a host other than the live server's loopback address: the portal loads nothing from elsewhere.
Also at phone width (no sideways scrolling), and from the keyboard (the skip link comes first
and shows when focused).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import struct
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from gongkai.portal.models import SiteIdentity
from gongkai.publishing.models import Category, DocKind, Validity
from tests.conftest import Cast
from tests.test_browser_jobs import Browser, browser  # noqa: F401  # the fixture
from tests.test_portal import _office, pdf_bytes, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = (1280, 900)
PHONE = (390, 844)
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


# -- reading a PNG without a library -------------------------------------------------------


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(data: bytes) -> tuple[int, int, list[bytes], int]:
    """Width, height, the unfiltered rows and bytes per pixel of an 8-bit RGB or RGBA PNG, the
    kind Chromium writes (PNG spec, chunks IHDR/IDAT; filters 0–4)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, header, compressed = 8, b"", bytearray()
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(bytes(compressed))
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                corner = previous[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + _paeth(left, previous[i], corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows, bpp


def colours(rows: list[bytes], bpp: int, step: int = 2) -> Counter[bytes]:
    """How often each colour occurs, on a grid of every `step`-th pixel."""
    found: Counter[bytes] = Counter()
    for row in rows[::step]:
        for x in range(0, len(row), bpp * step):
            found[row[x : x + 3]] += 1
    return found


# -- the browser ---------------------------------------------------------------------------


def set_viewport(browser: Browser, size: tuple[int, int], *, mobile: bool = False) -> None:  # noqa: F811
    width, height = size
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )


def shoot(browser: Browser, folder: Path, name: str) -> Path:  # noqa: F811
    """A screenshot of the viewport, saved, checked to be a real picture of the page."""
    browser.js("document.fonts.ready.then(() => true)")
    data = base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"})["data"])
    path = folder / f"{name}.png"
    path.write_bytes(data)
    width, height, rows, bpp = decode_png(data)
    expected = browser.js("[window.innerWidth, window.innerHeight]")
    assert [width, height] == expected, (name, width, height, expected)
    # A flat colour compresses to a few hundred bytes; a page of text and boxes does not.
    assert len(data) > width * height / 100, f"{name}: {len(data)} bytes, too small for a page"
    found = colours(rows, bpp)
    share = found.most_common(1)[0][1] / sum(found.values())
    # A blank or flat page shows a handful of colours; anti-aliased text brings a hundred or
    # more even on the short phone-width home page (CI once saw exactly 200 there).
    assert len(found) > 100, f"{name}: only {len(found)} colours: a blank or flat page"
    assert share < 0.9, f"{name}: one colour covers {share:.0%} of the picture"
    return path


def open_page(browser: Browser, url: str) -> None:  # noqa: F811
    browser.open(url)
    browser.wait_for("document.readyState === 'complete'")


def heading(browser: Browser) -> str:  # noqa: F811
    value = browser.js("(document.querySelector('main h1') || {}).textContent || ''")
    return " ".join(str(value).split())


def hosts_asked(browser: Browser) -> set[str]:  # noqa: F811
    """Every host the browser sent a request to (schemes other than http(s) count too)."""
    browser.js("1")  # collect the events still in the pipe
    out = set()
    for url in browser.requested_urls():
        parts = urlsplit(url)
        out.add(parts.hostname or f"{parts.scheme}:")
    return out


# -- the data ------------------------------------------------------------------------------


@pytest.fixture
def portal(cast: Cast) -> dict[str, Any]:
    """A small portal: identifiers, a catalogue, documents of each kind on the home page, a
    repealed rule with its interpretation and an attachment."""
    SiteIdentity.objects.create(
        site_name="张店区人民政府",
        organizer="张店区人民政府办公室",
        site_code="3703030001",
        icp_number="鲁ICP备05012345号-1",
        police_number="鲁公网安备37030302000123号",
        police_url="https://beian.mps.gov.cn/#/query/webSearch?code=37030302000123",
        badge_url="https://bszs.conac.cn/sitename?method=show&id=0123",
        phone="0533-2181234",
        address="张店区人民西路 88 号",
    )
    policy = Category.objects.create(name="政策文件", position=1)
    rules = Category.objects.create(name="行政规范性文件", parent=policy)
    Category.objects.create(name="机构职能", position=0)
    Category.objects.create(name="财政预决算", position=2)
    day = dt.date(2025, 5, 6)
    for n, (title, kind) in enumerate(
        [
            ("区政府召开第十二次常务会议", DocKind.NEWS),
            ("全区政务公开工作推进会召开", DocKind.NEWS),
            ("关于2025年端午节放假安排的通知", DocKind.NOTICE),
            ("关于开展政府信息公开社会评议的公告", DocKind.NOTICE),
            ("张店区财政局2025年部门预算", DocKind.BUDGET),
        ]
    ):
        publish(cast.gov, title, kind=kind, on=day + dt.timedelta(days=n), body=f"<p>{title}。</p>")
    rule = publish(
        cast.justice,
        "张店区行政执法公示办法",
        kind=DocKind.NORMATIVE,
        category=rules,
        topic="司法",
        doc_number="张司发〔2025〕3号",
        on=dt.date(2025, 5, 20),
        body=(
            "<p>第一条 为了规范行政执法公示工作，保障公民、法人和其他组织的知情权，"
            "制定本办法。</p><p>第二条 本区行政执法机关适用本办法。</p>"
            "<p>第三条 执法信息应当在作出决定之日起七个工作日内公开。</p>"
        ),
        files=[SimpleUploadedFile("执法事项清单.pdf", pdf_bytes(), "application/pdf")],
    )
    publish(
        cast.justice,
        "《张店区行政执法公示办法》政策解读",
        kind=DocKind.INTERPRETATION,
        interprets=rule,
        on=dt.date(2025, 5, 21),
        body="<p>一、制定背景。为落实行政执法“三项制度”……</p>",
    )
    newer = publish(
        cast.justice,
        "关于废止部分行政规范性文件的决定",
        kind=DocKind.NORMATIVE,
        category=rules,
        on=dt.date(2025, 6, 3),
    )
    from gongkai.publishing import actions

    actions.change_validity(
        _office(),
        rule,
        validity=Validity.REPEALED,
        effective_on=dt.date(2025, 6, 3),
        changed_by_document=newer,
        reason="被新决定废止",
    )
    published_question(cast)
    return {"rule": rule, "rules": rules}


def published_question(cast: Cast) -> None:
    """A question asked, answered by 司法局 and published, for the 互动交流 list."""
    from gongkai.interact import actions as qa

    question, _ = qa.ask(
        qa.AskInput(
            contact="0533-2180000",
            title="行政执法公示在哪里查询？",
            body="请问本区行政执法机关的执法结果在哪里可以查到？",
            agree_publish=True,
        )
    )
    question = qa.route(_office(), question, cast.justice)
    question = qa.submit(
        cast.justice_liaison, question, "您好，执法结果在区政府网站“政府信息公开”专栏公示。"
    )
    qa.review(_office(), question, approve=True, round_seen=question.review_round)


@pytest.fixture
def screenshots(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "screenshots"
    folder.mkdir()
    yield folder
    print(f"screenshots: {folder}")  # noqa: T201  # where to look when a check fails


def test_the_portal_renders_and_loads_nothing_from_elsewhere(
    live_server: Any,
    browser: Browser,  # noqa: F811
    portal: dict[str, Any],
    screenshots: Path,
) -> None:
    base = live_server.url
    set_viewport(browser, WIDE)
    pages = [
        ("home", "/portal/", "首页"),
        ("list", f"/portal/zwgk/documents/?category={portal['rules'].pk}", "行政规范性文件"),
        ("document", f"/portal/documents/{portal['rule'].pk}/", "张店区行政执法公示办法"),
        ("search", "/portal/search/?q=" + quote("执法"), "站内检索"),
    ]
    try:
        pages.append(("hdjl", reverse("hdjl:list"), "互动交流"))
        expect_question = True
    except NoReverseMatch:
        expect_question = False  # the Q&A pages are not there yet: nothing to render
    for name, path, title in pages:
        open_page(browser, base + path)
        assert heading(browser) == title, (name, heading(browser))
        assert browser.js("document.scripts.length") == 0, name
        shoot(browser, screenshots, name)

    # What the pictures show, read from the same pages.
    if expect_question:
        open_page(browser, base + reverse("hdjl:list"))
        assert "行政执法公示在哪里查询？" in browser.js(
            "document.querySelector('main').textContent"
        )
    open_page(browser, base + f"/portal/documents/{portal['rule'].pk}/")
    notice = browser.js("document.querySelector('.validity-notice').textContent")
    assert "2025年6月3日废止" in " ".join(notice.split())
    open_page(browser, base + "/portal/search/?q=" + quote("执法"))
    marks = browser.js("[...document.querySelectorAll('.results mark')].map(m => m.textContent)")
    assert marks and set(marks) == {"执法"}
    footer = browser.js("document.querySelector('footer').textContent")
    assert "鲁ICP备05012345号-1" in footer and "3703030001" in footer
    badge = browser.js(
        "(() => { const i = document.querySelector('footer img[alt=党政机关网站标识]');"
        " return i && i.complete && i.naturalWidth; })()"
    )
    assert badge, "the 党政机关 badge did not load"

    # At phone width the page reflows: no sideways scrolling.
    set_viewport(browser, PHONE, mobile=True)
    for name, path in (
        ("document-phone", f"/portal/documents/{portal['rule'].pk}/"),
        ("list-phone", "/portal/zwgk/documents/"),
        ("home-phone", "/portal/"),
    ):
        open_page(browser, base + path)
        overflow = browser.js("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
        shoot(browser, screenshots, name)

    # From the keyboard: the first Tab lands on the skip link, which then shows on screen.
    set_viewport(browser, WIDE)
    open_page(browser, base + "/portal/")
    for kind in ("keyDown", "keyUp"):
        browser.call(
            "Input.dispatchKeyEvent",
            {"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
        )
    skip = browser.js(
        "(() => { const a = document.activeElement; const r = a.getBoundingClientRect();"
        " return {text: a.textContent, href: a.getAttribute('href'), left: r.left,"
        " outline: getComputedStyle(a).outlineStyle}; })()"
    )
    assert skip["text"] == "跳到正文" and skip["href"] == "#main", skip
    assert skip["left"] >= 0 and skip["outline"] != "none", skip

    asked = hosts_asked(browser)
    assert asked, "no request was recorded: the network log is not working"
    assert asked <= LOCAL_HOSTS, f"requests left the machine: {sorted(asked - LOCAL_HOSTS)}"
    assert urlsplit(base).hostname in asked
    print(json.dumps(sorted(p.name for p in screenshots.iterdir())))  # noqa: T201
