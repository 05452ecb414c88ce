"""Reminder messages: rendering, and each channel against a real receiver on loopback.

HookServer is a webhook receiver on 127.0.0.1 that records what it was sent and answers as
told; the reminder and two-worker tests use it too.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from gongkai.work.models import NotifySettings, WebhookFormat
from gongkai.work.notify import (
    MARKDOWN_BYTES,
    DeliveryError,
    Message,
    dingtalk_sign,
    mask_url,
    parse_emails,
    send_email,
    send_webhook,
)

ROBOT_OK = b'{"errcode": 0, "errmsg": "ok"}'


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw)


@dataclass
class HookServer:
    """Answers every POST with `reply` (status, body) after `delay` seconds, and keeps it."""

    reply: tuple[int, bytes] = (200, ROBOT_OK)
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    port: int = 0

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                parts = urllib.parse.urlsplit(self.path)
                with lock:
                    server.received.append(
                        Received(
                            parts.path,
                            dict(urllib.parse.parse_qsl(parts.query)),
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                        )
                    )
                time.sleep(server.delay)
                status, payload = server.reply
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@contextmanager
def running_hook_server(settings: Any) -> Iterator[HookServer]:
    """A HookServer on a free loopback port, for as long as the block runs."""
    settings.FETCH_ALLOW_PRIVATE = True  # the receiver is on loopback
    hooks = HookServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), hooks.handler())
    hooks.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield hooks
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def hook_server(settings: Any) -> Iterator[HookServer]:
    with running_hook_server(settings) as hooks:
        yield hooks


def item(
    pk: int, requirement: str = "公开政府信息公开工作年度报告", due: str = "2026-03-28"
) -> dict[str, Any]:
    return {
        "id": pk,
        "requirement": requirement,
        "label": "年底前",
        "due": due,
        "category": "公开重点",
    }


def digest() -> Message:
    return Message(
        "区司法局",
        dt.date(2026, 3, 28),
        {
            "soon": [item(1, "主动公开行政规范性文件"), item(2, "更新权责清单")],
            "today": [item(3, "发布年度报告")],
            "overdue": [item(4, "回应社会关切")],
        },
    )


# -- rendering --------------------------------------------------------------------------------


def test_the_subject_counts_each_section_in_chinese() -> None:
    assert digest().subject == (
        "【政务公开】区司法局 任务提醒（2026-03-28）：临期2项、今日到期1项、逾期1项"
    )


def test_the_subject_leaves_out_empty_sections() -> None:
    message = Message("区财政局", dt.date(2026, 10, 12), {"today": [item(7)]})
    assert message.subject == "【政务公开】区财政局 任务提醒（2026-10-12）：今日到期1项"


def test_the_text_lists_the_most_urgent_first_with_links() -> None:
    text = digest().text
    assert (
        text.index("已逾期（1项）") < text.index("今日到期（1项）") < text.index("即将到期（2项）")
    )
    assert "1. 回应社会关切（年底前，截止 2026-03-28）" in text
    assert "/work/checkpoints/4/" in text


def test_links_are_absolute_when_the_base_url_is_set(settings: Any) -> None:
    settings.BASE_URL = "https://gongkai.zhangdian.example.gov.cn"
    assert "https://gongkai.zhangdian.example.gov.cn/work/checkpoints/4/" in digest().text


def test_markdown_stays_under_the_robots_size_limit() -> None:
    many = [item(n, "很长的工作要求" * 10) for n in range(1, 400)]
    markdown = Message("区司法局", dt.date(2026, 3, 28), {"overdue": many}).markdown
    assert len(markdown.encode()) <= MARKDOWN_BYTES
    assert markdown.startswith("### 区司法局 任务提醒（2026-03-28）：逾期399项")
    assert markdown.endswith("……（内容较多，请登录平台查看全部）")


def test_addresses_are_split_and_checked() -> None:
    assert parse_emails("a@example.cn, b@example.cn；c@example.cn\nA@example.cn") == [
        "a@example.cn",
        "b@example.cn",
        "c@example.cn",
    ]
    with pytest.raises(ValidationError) as err:
        parse_emails("a@example.cn, not-an-address")
    assert err.value.messages == ["电子邮箱格式不正确：not-an-address"]


def test_a_robot_credential_in_the_url_is_masked() -> None:
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-secret"
    assert mask_url(url) == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***"
    assert "secret" not in mask_url(url)
    assert mask_url("https://bot:pw@example.cn/hook") == "https://example.cn/hook"


def test_the_dingtalk_signature_follows_the_documented_recipe() -> None:
    secret, timestamp = "SEC0123456789abcdef", 1774656000000
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    expected = urllib.parse.quote(base64.b64encode(mac).decode(), safe="")
    assert dingtalk_sign(secret, timestamp) == expected


# -- channels ---------------------------------------------------------------------------------


def test_email_goes_to_every_address_with_a_chinese_subject() -> None:
    notify = NotifySettings(emails="a@example.cn\nb@example.cn")
    assert send_email(digest(), notify) == "a@example.cn、b@example.cn"
    [sent] = mail.outbox
    assert sent.to == ["a@example.cn", "b@example.cn"]
    assert sent.subject.startswith("【政务公开】区司法局 任务提醒")
    assert "回应社会关切" in sent.body


def test_the_generic_webhook_posts_the_sections_and_signs_with_a_secret(
    hook_server: HookServer,
) -> None:
    hook_server.reply = (204, b"")
    notify = NotifySettings(
        webhook_url=hook_server.url("/generic?token=abc"),
        webhook_format=WebhookFormat.GENERIC,
        webhook_secret="s3cret",
    )
    assert send_webhook(digest(), notify) == hook_server.url("/generic?token=***")
    [got] = hook_server.received
    body = got.json
    assert body["unit"] == "区司法局" and body["day"] == "2026-03-28"
    assert [i["id"] for i in body["soon"]] == [1, 2]
    assert body["overdue"][0]["link"] == "/work/checkpoints/4/"
    assert "已逾期（1项）" in body["text"]
    assert got.headers["content-type"] == "application/json; charset=utf-8"
    expected = hmac.new(b"s3cret", got.raw, hashlib.sha256).hexdigest()
    assert got.headers["x-gongkai-signature"] == f"sha256={expected}"


def test_the_wecom_robot_gets_markdown(hook_server: HookServer) -> None:
    notify = NotifySettings(
        webhook_url=hook_server.url("/cgi-bin/webhook/send?key=k1"),
        webhook_format=WebhookFormat.WECOM,
    )
    send_webhook(digest(), notify)
    [got] = hook_server.received
    assert got.query == {"key": "k1"}
    assert set(got.json) == {"msgtype", "markdown"}
    assert got.json["msgtype"] == "markdown"
    content = got.json["markdown"]["content"]
    assert content.startswith("### 区司法局 任务提醒（2026-03-28）")
    assert "**已逾期（1项）**" in content


def test_the_dingtalk_robot_gets_signed_markdown(hook_server: HookServer) -> None:
    secret = "SECabcdef"
    notify = NotifySettings(
        webhook_url=hook_server.url("/robot/send?access_token=t1"),
        webhook_format=WebhookFormat.DINGTALK,
        webhook_secret=secret,
    )
    before = int(time.time() * 1000)
    send_webhook(digest(), notify)
    [got] = hook_server.received
    timestamp = int(got.query["timestamp"])
    assert before <= timestamp <= int(time.time() * 1000)
    assert got.query["access_token"] == "t1"
    # parse_qsl decoded the sign once, as DingTalk does before comparing.
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    assert got.query["sign"] == base64.b64encode(mac).decode()
    assert got.json["msgtype"] == "markdown"
    assert (
        got.json["markdown"]["title"]
        == "区司法局 任务提醒（2026-03-28）：临期2项、今日到期1项、逾期1项"
    )
    assert "回应社会关切" in got.json["markdown"]["text"]


def test_a_robot_refusal_is_a_failure_with_its_reason(hook_server: HookServer) -> None:
    hook_server.reply = (200, b'{"errcode": 310000, "errmsg": "sign not match"}')
    notify = NotifySettings(webhook_url=hook_server.url(), webhook_format=WebhookFormat.DINGTALK)
    with pytest.raises(DeliveryError) as err:
        send_webhook(digest(), notify)
    assert str(err.value) == "机器人拒收（errcode 310000）：sign not match"
    assert not err.value.permanent


def test_an_http_error_is_a_failure_to_retry(hook_server: HookServer) -> None:
    hook_server.reply = (502, b"bad gateway")
    notify = NotifySettings(webhook_url=hook_server.url(), webhook_format=WebhookFormat.GENERIC)
    with pytest.raises(DeliveryError) as err:
        send_webhook(digest(), notify)
    assert str(err.value) == "Webhook 返回 HTTP 502：bad gateway"
    assert not err.value.permanent


def test_a_private_address_is_refused_for_good(settings: Any) -> None:
    settings.FETCH_ALLOW_PRIVATE = False
    notify = NotifySettings(webhook_url="http://127.0.0.1:9/hook")
    with pytest.raises(DeliveryError) as err:
        send_webhook(digest(), notify)
    assert err.value.permanent
    assert "不允许访问" in str(err.value)
