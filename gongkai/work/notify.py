"""Reminder messages: rendering a unit's digest, and sending it by e-mail or webhook.

A digest (Reminder.payload, made by reminders.py) lists checkpoints in three sections: due
soon, due today, overdue. `Message` renders it as a subject, plain text (e-mail, the generic
webhook) and Markdown (the WeCom and DingTalk robots). Other apps add their own part of the
digest (依申请公开 does) as a DigestBlock, registered with the digest source that fills it
(reminders.register_digest_source); its items render under its own heading. Each channel is
one sender with the same signature, registered in CHANNELS; each webhook format is one body
builder and one reply check, registered in WEBHOOKS. A sender returns where the message went
or raises DeliveryError with the reason in Chinese, which the office sees on the reminders
page.

All HTTP goes through gongkai.net.fetch (timeouts, size cap, private addresses refused unless
settings.FETCH_ALLOW_PRIVATE).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import smtplib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.urls import reverse

from gongkai.net import FetchError, FetchRefused, FetchResult, fetch
from gongkai.work.models import Channel, NotifySettings, WebhookFormat

#: Digest sections: payload key and heading, in the order the subject names them.
SECTIONS = (("soon", "临期"), ("today", "今日到期"), ("overdue", "逾期"))
#: The body lists the most urgent first.
BODY_ORDER = ("overdue", "today", "soon")
HEADINGS = {"soon": "即将到期", "today": "今日到期", "overdue": "已逾期"}
REQUIREMENT_CHARS = 60
#: WeCom robots take at most 4,096 bytes of Markdown; DingTalk a little more. Stay below.
MARKDOWN_BYTES = 3800
_EMAIL_SPLIT = re.compile(r"[\s,;，；、]+")


class DeliveryError(Exception):
    """The message did not go out; the text says why. `permanent`: retrying cannot help
    until someone changes the settings (a refused address, no channel left)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason[:1000])
        self.permanent = permanent


# -- helpers shared with the settings form ----------------------------------------------------


def parse_emails(text: str) -> list[str]:
    """The addresses in `text` (separated by commas, semicolons, spaces or new lines).

    Raises ValidationError naming the first address that is not one."""
    found: list[str] = []
    for part in _EMAIL_SPLIT.split(text or ""):
        if not part:
            continue
        try:
            validate_email(part)
        except ValidationError:
            raise ValidationError(f"电子邮箱格式不正确：{part[:100]}") from None
        if part.lower() not in (f.lower() for f in found):
            found.append(part)
    return found


def mask_url(url: str) -> str:
    """The URL with its query values hidden: robots carry their credential there
    (?key=…, ?access_token=…), and it must not show up in lists or the audit trail."""
    if not url:
        return ""
    parts = urlsplit(url)
    query = "&".join(f"{k}=***" for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    host = parts.netloc.rsplit("@", 1)[-1]  # user:password@ is a credential too
    return urlunsplit((parts.scheme, host, parts.path, query, ""))


def checkpoint_link(checkpoint_id: int) -> str:
    """Where a checkpoint is seen: absolute under settings.BASE_URL (GONGKAI_BASE_URL), else
    a path."""
    return settings.BASE_URL + reverse("work:checkpoint", args=[checkpoint_id])


def shorten(text: str, limit: int = REQUIREMENT_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- parts other apps add ---------------------------------------------------------------------


@dataclass(frozen=True)
class DigestBlock:
    """Another app's part of the digest: a heading, its sections as (payload key, subject
    label, heading) in the order the body lists them, how one item reads and where it links.
    Items are counted in 件 (cases), the built-in checkpoint sections in 项."""

    heading: str
    sections: tuple[tuple[str, str, str], ...]
    describe: Callable[[Mapping[str, Any]], str]
    link: Callable[[Mapping[str, Any]], str]

    @property
    def payload_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _, _ in self.sections)


_BLOCKS: list[DigestBlock] = []


def register_block(block: DigestBlock) -> DigestBlock:
    """Render `block`'s payload keys in every digest; registering twice is harmless."""
    if block not in _BLOCKS:
        _BLOCKS.append(block)
    return block


def unregister_block(block: DigestBlock) -> None:
    if block in _BLOCKS:
        _BLOCKS.remove(block)


def _block_of(key: str) -> DigestBlock | None:
    return next((b for b in _BLOCKS if key in b.payload_keys), None)


# -- the message ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """A unit's digest for one day, ready to render."""

    unit: str
    day: dt.date
    sections: Mapping[str, Sequence[Mapping[str, Any]]]
    test: bool = False

    @classmethod
    def from_payload(cls, unit: str, day: dt.date, payload: Mapping[str, Any]) -> Message:
        keys = [key for key, _ in SECTIONS] + [k for b in _BLOCKS for k in b.payload_keys]
        return cls(unit, day, {key: list(payload.get(key) or []) for key in keys})

    def counts(self) -> dict[str, int]:
        return {key: len(self.sections.get(key, ())) for key, _ in SECTIONS}

    def parts(self) -> list[str]:
        """What the message holds, section by section: 临期2项、留言逾期1件…"""
        counts = self.counts()
        parts = [f"{label}{counts[key]}项" for key, label in SECTIONS if counts[key]]
        for block in _BLOCKS:
            for key, label, _ in block.sections:
                if n := len(self.sections.get(key, ())):
                    parts.append(f"{label}{n}件")
        return parts

    @property
    def subject(self) -> str:
        if self.test:
            return f"【政务公开】{self.unit} 提醒测试（{self.day:%Y-%m-%d}）"
        parts = "、".join(self.parts())
        return f"【政务公开】{self.unit} 任务提醒（{self.day:%Y-%m-%d}）：{parts}"

    def items(self, key: str) -> list[dict[str, Any]]:
        """Items of one section with their link, resolved now (not when the digest was made)."""
        block = _block_of(key)
        return [
            {**item, "link": block.link(item) if block else checkpoint_link(int(item["id"]))}
            for item in self.sections.get(key, ())
        ]

    def _block_lines(self, block: DigestBlock) -> list[str]:
        """The plain-text lines of one block, or none when it has no items."""
        lines: list[str] = []
        for key, _, heading in block.sections:
            items = self.items(key)
            if not items:
                continue
            lines.append(f"{heading}（{len(items)}件）")
            for n, item in enumerate(items, 1):
                lines.append(f"{n}. {block.describe(item)}")
                if item["link"]:
                    lines.append(f"   {item['link']}")
            lines.append("")
        return [f"【{block.heading}】", *lines] if lines else []

    @property
    def text(self) -> str:
        if self.test:
            return (
                f"{self.unit}：这是一条测试消息。\n"
                "收到此消息，说明政务公开任务提醒已能送达本渠道。\n"
            )
        if any(self.sections.get(key) for key, _ in SECTIONS):
            lines = [f"{self.unit}：以下政务公开任务节点请及时办理并在平台报送进展。", ""]
        else:
            lines = [f"{self.unit}：以下事项请及时办理。", ""]
        for key in BODY_ORDER:
            items = self.items(key)
            if not items:
                continue
            lines.append(f"{HEADINGS[key]}（{len(items)}项）")
            for n, item in enumerate(items, 1):
                lines.append(f"{n}. {_describe(item)}")
                if item["link"]:
                    lines.append(f"   {item['link']}")
            lines.append("")
        for block in _BLOCKS:
            lines += self._block_lines(block)
        lines.append("此邮件由政务公开工作平台自动发送，请勿直接回复。")
        return "\n".join(lines)

    @property
    def title(self) -> str:
        return self.subject.removeprefix("【政务公开】")

    @property
    def markdown(self) -> str:
        head = f"### {self.title}\n"
        if self.test:
            return head + f"{self.unit}：这是一条测试消息，说明任务提醒已能送达本群。"
        blocks = [head]
        for key in BODY_ORDER:
            items = self.items(key)
            if items:
                lines = [f"**{HEADINGS[key]}（{len(items)}项）**"]
                lines += [f"> {n}. {_describe(item)}" for n, item in enumerate(items, 1)]
                blocks.append("\n".join(lines))
        for block in _BLOCKS:
            for key, _, heading in block.sections:
                if items := self.items(key):
                    lines = [f"**{block.heading}：{heading}（{len(items)}件）**"]
                    lines += [f"> {n}. {block.describe(i)}" for n, i in enumerate(items, 1)]
                    blocks.append("\n".join(lines))
        blocks.append("请登录政务公开工作平台报送进展。")
        return _cap("\n\n".join(blocks), MARKDOWN_BYTES)

    def data(self) -> dict[str, Any]:
        """The generic webhook body."""
        return {
            "unit": self.unit,
            "day": self.day.isoformat(),
            "test": self.test,
            **{key: self.items(key) for key, _ in SECTIONS},
            **{key: self.items(key) for block in _BLOCKS for key in block.payload_keys},
            "text": self.text,
        }


def _describe(item: Mapping[str, Any]) -> str:
    return f"{item.get('requirement', '')}（{item.get('label', '')}，截止 {item.get('due', '')}）"


def _cap(text: str, limit: int) -> str:
    data = text.encode()
    if len(data) <= limit:
        return text
    cut = data[: limit - 40].decode(errors="ignore")
    return cut.rsplit("\n", 1)[0] + "\n\n……（内容较多，请登录平台查看全部）"


# -- channels ---------------------------------------------------------------------------------

Sender = Callable[[Message, NotifySettings], str]


def send_email(message: Message, notify: NotifySettings) -> str:
    addresses = parse_emails(notify.emails)
    if not addresses:
        raise DeliveryError("该单位未设置电子邮箱", permanent=True)
    email = EmailMessage(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, addresses)
    try:
        email.send()
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        raise DeliveryError(f"邮件发送失败：{exc or type(exc).__name__}") from exc
    return "、".join(addresses)


def send_webhook(message: Message, notify: NotifySettings) -> str:
    if not notify.webhook_url:
        raise DeliveryError("该单位未设置 Webhook 地址", permanent=True)
    style = WEBHOOKS[WebhookFormat(notify.webhook_format)]
    body = json.dumps(style.body(message), ensure_ascii=False).encode()
    url, headers = style.sign(notify.webhook_url, notify.webhook_secret, body)
    headers = {"Content-Type": "application/json; charset=utf-8", **headers}
    try:
        # A robot that redirects a POST is misconfigured; following it would turn it into GET.
        result = fetch(url, method="POST", data=body, headers=headers, max_redirects=0)
    except FetchRefused as exc:
        raise DeliveryError(f"Webhook 地址不允许访问：{exc}", permanent=True) from exc
    except FetchError as exc:
        raise DeliveryError(f"Webhook 发送失败：{exc}") from exc
    if not 200 <= result.status < 300:
        raise DeliveryError(f"Webhook 返回 HTTP {result.status}：{_snippet(result)}")
    style.check(result)
    return mask_url(notify.webhook_url)


CHANNELS: dict[str, Sender] = {Channel.EMAIL: send_email, Channel.WEBHOOK: send_webhook}


def channels_of(notify: NotifySettings) -> list[Channel]:
    """The channels a unit's settings have an address for."""
    found = []
    if notify.emails.strip():
        found.append(Channel.EMAIL)
    if notify.webhook_url.strip():
        found.append(Channel.WEBHOOK)
    return found


def deliver(channel: str, message: Message, notify: NotifySettings) -> str:
    return CHANNELS[channel](message, notify)


# -- webhook formats --------------------------------------------------------------------------

#: (url, secret, body) → the URL to post to and extra headers.
Signer = Callable[[str, str, bytes], tuple[str, dict[str, str]]]


@dataclass(frozen=True)
class WebhookStyle:
    body: Callable[[Message], dict[str, Any]]
    check: Callable[[FetchResult], None]
    sign: Signer


def _snippet(result: FetchResult) -> str:
    return " ".join(result.text[:200].split()) or "（无内容）"


def _accept_any(result: FetchResult) -> None:
    """A generic receiver answers with any 2xx."""


def _errcode_zero(result: FetchResult) -> None:
    """The WeCom and DingTalk robots answer 200 with {"errcode": 0, "errmsg": "ok"}."""
    try:
        reply = json.loads(result.body)
    except ValueError:
        raise DeliveryError(f"机器人返回的不是 JSON：{_snippet(result)}") from None
    if not isinstance(reply, dict) or "errcode" not in reply:
        raise DeliveryError(f"机器人返回内容缺少 errcode：{_snippet(result)}")
    if reply["errcode"] != 0:
        raise DeliveryError(f"机器人拒收（errcode {reply['errcode']}）：{reply.get('errmsg', '')}")


def _no_signature(url: str, secret: str, body: bytes) -> tuple[str, dict[str, str]]:
    return url, {}


def _generic_signature(url: str, secret: str, body: bytes) -> tuple[str, dict[str, str]]:
    """With a secret, the receiver can check the body: X-Gongkai-Signature: sha256=<hex>."""
    if not secret:
        return url, {}
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return url, {"X-Gongkai-Signature": f"sha256={digest}"}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64 of HMAC-SHA256(secret, "<timestamp>\\n<secret>"), URL-encoded."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return quote_plus(base64.b64encode(digest).decode())


def _dingtalk_signature(url: str, secret: str, body: bytes) -> tuple[str, dict[str, str]]:
    if not secret:
        return url, {}
    timestamp = int(time.time() * 1000)
    joiner = "&" if urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp}&sign={dingtalk_sign(secret, timestamp)}", {}


WEBHOOKS: dict[WebhookFormat, WebhookStyle] = {
    WebhookFormat.GENERIC: WebhookStyle(
        body=lambda m: m.data(), check=_accept_any, sign=_generic_signature
    ),
    WebhookFormat.WECOM: WebhookStyle(
        body=lambda m: {"msgtype": "markdown", "markdown": {"content": m.markdown}},
        check=_errcode_zero,
        sign=_no_signature,
    ),
    WebhookFormat.DINGTALK: WebhookStyle(
        body=lambda m: {"msgtype": "markdown", "markdown": {"title": m.title, "text": m.markdown}},
        check=_errcode_zero,
        sign=_dingtalk_signature,
    ),
}
