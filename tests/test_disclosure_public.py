"""The public side under /apply/: applying without an account, the receipt shown once, the status
lookup with the secret, and the protections (CSRF, sizes, a trap for robots, rate limits)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.test import Client, RequestFactory
from fpdf import FPDF
from PIL import Image

from gongkai.audit.models import AuditEvent
from gongkai.disclosure import actions
from gongkai.disclosure.files import save_upload
from gongkai.disclosure.letters import issue_letter
from gongkai.disclosure.models import (
    ApplicantType,
    Attachment,
    AttachmentRole,
    DeliveryWanted,
    LetterKind,
    Outcome,
    Request,
    RequestChannel,
    RequestState,
    Source,
)
from gongkai.units.models import Unit, UnitKind
from gongkai.web import ratelimit
from tests.conftest import Cast, csrf_post

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
FORM = "/apply/"
DONE = "/apply/done/"
STATUS = "/apply/status/"
NUMBER = re.compile(r'<dt>申请编号</dt><dd class="code">([^<]+)</dd>')
SECRET = re.compile(r'<dt>查询码</dt><dd class="code">([^<]+)</dd>')


@pytest.fixture(autouse=True)
def _own_cache(settings: Any, tmp_path: Path) -> None:
    """The production default (files) in a folder of this test's own, so counters of other
    test processes sharing var/cache cannot meet ours."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


def at(moment: str) -> Any:
    return time_machine.travel(dt.datetime.fromisoformat(moment).replace(tzinfo=TZ), tick=False)


def pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="ID card")
    return bytes(pdf.output())


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (30, 30, 200)).save(out, "PNG")
    return out.getvalue()


def application(cast: Cast, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "applicant_type": ApplicantType.PERSON,
        "applicant_name": "李四",
        "id_number": "110101199001011234",
        "contact_phone": "13900000000",
        "email": "lisi@example.cn",
        "address": "某市某区某路1号",
        "description": "2025年本区法律援助经费的使用情况",
        "form_wanted": "electronic",
        "delivery_wanted": DeliveryWanted.EMAIL,
        "unit": cast.justice.pk,
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def stored_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT) / "requests"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def apply(client: Client, cast: Cast, headers: dict[str, str] | None = None, **changes: Any) -> Any:
    return csrf_post(client, FORM, application(cast, **changes), **(headers or {}))


def apply_and_read_receipt(client: Client, cast: Cast, **changes: Any) -> tuple[str, str]:
    response = apply(client, cast, **changes)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == DONE
    page = client.get(DONE).content.decode()
    number, secret = NUMBER.search(page), SECRET.search(page)
    assert number and secret
    return number.group(1), secret.group(1)


def look_up(client: Client, number: str, secret: str, **extra: Any) -> Any:
    return csrf_post(client, STATUS, {"tracking_no": number, "secret": secret}, **extra)


# -- the form --------------------------------------------------------------------------------


def test_form_labels_every_field_and_asks_the_government_by_default(
    anon: Client, cast: Cast
) -> None:
    Unit.objects.create(name="区已撤销局", kind=UnitKind.DEPARTMENT, active=False)
    response = anon.get(FORM)
    page = response.content.decode()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in page
    for field in ("applicant_type", "applicant_name", "id_number", "contact_phone", "email"):
        assert f'<label for="id_{field}"' in page
    for field in ("address", "description", "unit", "attachments", "consent"):
        assert f'<label for="id_{field}"' in page
    assert "<legend" in page and "获取信息的载体形式" in page and "获取信息的方式" in page
    assert f'<option value="{cast.gov.pk}" selected>' in page
    assert '<optgroup label="法人或其他组织">' in page
    for kind in ("商业企业", "科研机构", "社会公益组织", "法律服务机构"):
        assert kind in page
    assert "区已撤销局" not in page  # inactive units are not offered
    # The trap: out of sight, out of the tab order, hidden from screen readers.
    assert re.search(r'<div class="hp" aria-hidden="true">', page)
    assert re.search(r'<input type="text" name="website"[^>]*tabindex="-1"', page)
    # No staff navigation, no script.
    assert "任务清单" not in page and "<script" not in page


def test_citizen_applies_and_sees_number_and_secret_once(anon: Client, cast: Cast) -> None:
    files = [
        SimpleUploadedFile("身份证.pdf", pdf_bytes(), content_type="application/pdf"),
        SimpleUploadedFile("照片.png", png_bytes(), content_type="image/png"),
    ]
    with at("2025-09-26T10:00:00"):
        number, secret = apply_and_read_receipt(anon, cast, attachments=files)
        again = anon.get(DONE).content.decode()
    assert secret not in again and number not in again
    assert "已显示过" in again
    request = Request.objects.get()
    assert request.tracking_no == number
    assert request.source == Source.PUBLIC
    assert request.channel == RequestChannel.ONLINE
    assert request.arrived_on == dt.date(2025, 9, 26)
    assert request.received_on is None and request.state == RequestState.RECEIVED
    assert request.unit == cast.justice
    assert request.id_number == "110101199001011234"
    assert secret not in request.secret_digest
    kept = request.attachments.order_by("name")
    assert [(a.name, a.role) for a in kept] == [
        ("照片.png", AttachmentRole.APPLICATION),
        ("身份证.pdf", AttachmentRole.APPLICATION),
    ]
    assert len(stored_files()) == 2
    assert AuditEvent.objects.filter(
        object_id=str(request.pk), actor_name="申请人（网上申请表）"
    ).exists()


def test_receipt_page_explains_the_confirmation_and_the_twenty_working_days(
    anon: Client, cast: Cast
) -> None:
    response = apply(anon, cast)
    page = anon.get(DONE)
    text = page.content.decode()
    assert response.status_code == 302 and page.status_code == 200
    assert "确认收到申请" in text and "20 个工作日" in text
    assert "只在本页显示这一次" in text
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]


def test_post_without_csrf_token_is_refused_and_stores_nothing(anon: Client, cast: Cast) -> None:
    response = anon.post(FORM, application(cast))
    assert response.status_code == 403
    assert "提交未通过安全校验" in response.content.decode()  # in Chinese, not Django's English
    assert Request.objects.count() == 0


def test_missing_fields_show_the_form_again_with_a_chinese_error_each(
    anon: Client, cast: Cast
) -> None:
    response = apply(
        anon, cast, applicant_name="", description="", consent=None, id_number="", unit=""
    )
    page = response.content.decode()
    assert response.status_code == 400
    for message in (
        "请填写姓名或名称",
        "请填写所需政府信息的名称、文号或其他特征性描述",
        "请确认所填信息真实有效",
        "请填写身份证件号码或统一社会信用代码",
        "请选择受理机关",
    ):
        assert message in page
    assert 'aria-invalid="true"' in page
    assert "13900000000" in page  # what was typed is kept
    assert Request.objects.count() == 0


def test_a_way_to_reach_the_applicant_is_required_and_matches_the_delivery(
    anon: Client, cast: Cast
) -> None:
    none = apply(anon, cast, contact_phone="", email="", address="")
    post_without_address = apply(anon, cast, delivery_wanted=DeliveryWanted.POST, address="")
    assert none.status_code == 400 and "请至少填写一种联系方式" in none.content.decode()
    assert "选择邮寄时，请填写通信地址" in post_without_address.content.decode()
    assert Request.objects.count() == 0


def test_text_longer_than_the_caps_is_refused(anon: Client, cast: Cast) -> None:
    response = apply(anon, cast, applicant_name="张" * 129, description="查" * 5001)
    page = response.content.decode()
    assert response.status_code == 400
    assert "128" in page and "5000" in page
    assert Request.objects.count() == 0


def test_an_inactive_unit_cannot_be_asked(anon: Client, cast: Cast) -> None:
    closed = Unit.objects.create(name="区已撤销局", kind=UnitKind.DEPARTMENT, active=False)
    response = apply(anon, cast, unit=closed.pk)
    assert response.status_code == 400 and "请选择受理机关" in response.content.decode()
    assert Request.objects.count() == 0


def test_more_than_five_files_are_refused(anon: Client, cast: Cast) -> None:
    files = [
        SimpleUploadedFile(f"材料{i}.png", png_bytes(), content_type="image/png") for i in range(6)
    ]
    response = apply(anon, cast, attachments=files)
    assert response.status_code == 400
    assert "附件最多 5 个" in response.content.decode()
    assert Request.objects.count() == 0 and stored_files() == []


def test_a_program_renamed_pdf_is_refused_with_the_reason(anon: Client, cast: Cast) -> None:
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 4000
    files = [
        SimpleUploadedFile("身份证.pdf", pdf_bytes(), content_type="application/pdf"),
        SimpleUploadedFile("申请材料.pdf", exe, content_type="application/pdf"),
    ]
    response = apply(anon, cast, attachments=files)
    page = response.content.decode()
    assert response.status_code == 400
    assert "文件「申请材料.pdf」不能上传" in page and "不是可接受的格式" in page
    assert Request.objects.count() == 0
    assert stored_files() == []  # the good file stored first was removed again


# -- sizes -----------------------------------------------------------------------------------


def test_a_100_mb_file_gets_a_413_and_nothing_is_stored(anon: Client, cast: Cast) -> None:
    big = SimpleUploadedFile(
        "扫描件.pdf", b"%PDF-1.4\n" + bytes(100 * 1024 * 1024), content_type="application/pdf"
    )
    response = apply(anon, cast, attachments=[big])
    page = response.content.decode()
    assert response.status_code == 413
    assert "文件「扫描件.pdf」超过大小上限 20 MB" in page and "申请未提交" in page
    assert "李四" in page  # the form comes back filled in
    assert Request.objects.count() == 0
    assert stored_files() == []


def test_a_body_declared_larger_than_the_limit_is_refused_before_it_is_read(
    anon: Client, cast: Cast, settings: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024  # 5 files × 1 MB + 1 MB = 6 MB
    declared = str(6 * 1024 * 1024 + 1)
    response = apply(anon, cast, {"CONTENT_LENGTH": declared})
    page = response.content.decode()
    assert response.status_code == 413
    assert "提交的内容过大" in page and "每个不超过 1 MB" in page
    assert Request.objects.count() == 0


# -- the trap for robots ---------------------------------------------------------------------


def test_filled_trap_field_looks_like_success_but_stores_nothing(
    anon: Client, cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    files = [SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")]
    with caplog.at_level(logging.WARNING, logger="gongkai.disclosure.views.public"):
        response = apply(anon, cast, website="http://spam.example", attachments=files)
    assert response.status_code == 302 and response["Location"] == DONE
    assert anon.get(DONE).status_code == 200
    assert Request.objects.count() == 0 and stored_files() == []
    assert any("trap field" in r.getMessage() for r in caplog.records)


# -- escaping --------------------------------------------------------------------------------


def test_script_in_the_text_is_kept_as_text_and_shown_escaped(anon: Client, cast: Cast) -> None:
    evil = '<script>alert("x")</script>法律援助'
    number, secret = apply_and_read_receipt(anon, cast, description=evil)
    assert Request.objects.get().description == evil
    assert look_up(anon, number, secret).status_code == 302
    page = anon.get(STATUS).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;法律援助" in page
    assert "<script>" not in page


# -- the status lookup -----------------------------------------------------------------------


def test_status_lookup_with_the_secret_shows_the_state_in_plain_words(
    anon: Client, cast: Cast
) -> None:
    with at("2025-09-26T10:00:00"):
        number, secret = apply_and_read_receipt(anon, cast)
        visitor = Client(enforce_csrf_checks=True)
        response = look_up(visitor, number, secret)
        assert response.status_code == 302 and response["Location"] == STATUS
        page = visitor.get(STATUS).content.decode()
    assert f"申请 {number} 的办理进度" in page
    assert "已提交，等待本机关确认收到" in page
    assert "尚未确认" in page and "未延期" in page
    assert secret not in page


def test_confirmed_request_shows_receipt_day_and_deadline(anon: Client, cast: Cast) -> None:
    with at("2025-09-26T10:00:00"):
        number, secret = apply_and_read_receipt(anon, cast)
        actions.confirm_receipt(
            cast.justice_liaison, Request.objects.get(), confirmed_on=dt.date(2025, 9, 26)
        )
        look_up(anon, number, secret)
        page = anon.get(STATUS).content.decode()
    assert "正在办理" in page
    assert "2025年9月26日" in page and "2025年10月30日前" in page


@pytest.mark.parametrize("wrong", ["number", "secret", "both"])
def test_a_wrong_number_or_secret_gets_the_same_message(
    anon: Client, cast: Cast, wrong: str
) -> None:
    number, secret = apply_and_read_receipt(anon, cast)
    if wrong in ("number", "both"):
        number = number[:-1] + ("2" if number[-1] != "2" else "3")
    if wrong in ("secret", "both"):
        secret = secret[::-1] + "x"
    visitor = Client(enforce_csrf_checks=True)
    response = look_up(visitor, number, secret)
    page = response.content.decode()
    assert response.status_code == 400
    assert "申请编号或查询码不正确" in page
    assert "办理状态" not in page
    assert "办理状态" not in visitor.get(STATUS).content.decode()


def answered_with_files(cast: Cast) -> Request:
    request = Request.objects.get()
    actions.confirm_receipt(cast.justice_liaison, request, confirmed_on=dt.date(2025, 9, 26))
    review = actions.submit_reply(
        cast.justice_liaison, request, outcome=Outcome.GRANTED, draft="经查，现提供如下信息"
    )
    actions.decide_review(cast.office, review, approve=True)
    actions.answer(cast.justice_liaison, request, dt.date(2025, 10, 20))
    request.refresh_from_db()
    issue_letter(cast.justice_liaison, request, LetterKind.REPLY, dt.date(2025, 10, 20))
    stored = save_upload(SimpleUploadedFile("经费明细.pdf", pdf_bytes()))
    Attachment.objects.create(
        request=request,
        role=AttachmentRole.REPLY,
        name=stored.filename,
        stored_name=stored.stored_name,
        size=stored.size,
        content_type=stored.content_type,
    )
    return request


def test_answered_request_offers_its_letter_and_reply_files_for_30_minutes(
    anon: Client, cast: Cast
) -> None:
    with at("2025-09-26T10:00:00"):
        number, secret = apply_and_read_receipt(anon, cast)
    with at("2025-10-20T15:00:00") as clock:
        request = answered_with_files(cast)
        letter = request.letters.get()
        reply = request.attachments.get(role=AttachmentRole.REPLY)
        visitor = Client(enforce_csrf_checks=True)
        stranger = Client(enforce_csrf_checks=True)
        look_up(visitor, number, secret)
        page = visitor.get(STATUS).content.decode()
        assert "予以公开" in page and "2025年10月20日" in page
        assert f"/apply/status/letters/{letter.pk}" in page
        assert f"/apply/status/files/{reply.pk}" in page

        got = visitor.get(f"/apply/status/letters/{letter.pk}")
        assert got.status_code == 200
        assert isinstance(got, FileResponse)
        assert b"".join(got.streaming_content)[:2] == b"PK"  # a .docx is a zip
        assert "attachment" in got["Content-Disposition"]
        assert visitor.get(f"/apply/status/files/{reply.pk}").status_code == 200
        assert stranger.get(f"/apply/status/letters/{letter.pk}").status_code == 404

        clock.shift(dt.timedelta(minutes=31))
        late = visitor.get(f"/apply/status/letters/{letter.pk}")
        assert late.status_code == 404 and "重新输入申请编号和查询码" in late.content.decode()


def test_files_of_another_request_are_not_served_to_this_lookup(anon: Client, cast: Cast) -> None:
    with at("2025-09-26T10:00:00"):
        apply_and_read_receipt(anon, cast)
        other_number, other_secret = apply_and_read_receipt(anon, cast, applicant_name="王五")
    with at("2025-10-20T15:00:00"):
        first = Request.objects.get(applicant_name="李四")
        actions.confirm_receipt(cast.justice_liaison, first, confirmed_on=dt.date(2025, 9, 26))
        review = actions.submit_reply(
            cast.justice_liaison, first, outcome=Outcome.GRANTED, draft="经查，现提供如下信息"
        )
        actions.decide_review(cast.office, review, approve=True)
        actions.answer(cast.justice_liaison, first, dt.date(2025, 10, 20))
        first.refresh_from_db()
        letter = issue_letter(cast.justice_liaison, first, LetterKind.REPLY, dt.date(2025, 10, 20))
        visitor = Client(enforce_csrf_checks=True)
        look_up(visitor, other_number, other_secret)
        assert visitor.get(f"/apply/status/letters/{letter.pk}").status_code == 404


def test_ending_the_lookup_forgets_the_request(anon: Client, cast: Cast) -> None:
    number, secret = apply_and_read_receipt(anon, cast)
    look_up(anon, number, secret)
    assert "办理状态" in anon.get(STATUS).content.decode()
    assert csrf_post(anon, "/apply/status/forget/").status_code == 302
    assert "办理状态" not in anon.get(STATUS).content.decode()


# -- rate limits -----------------------------------------------------------------------------


def test_21st_submission_in_a_minute_gets_429_and_only_20_are_stored(
    cast: Cast, settings: Any
) -> None:
    settings.PUBLIC_RATE_LIMIT = 20
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")
    with at("2025-09-26T10:00:05"):
        codes = [apply(client, cast).status_code for _ in range(20)]
        refused = apply(client, cast)
        other = apply(Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.8"), cast)
    assert codes == [302] * 20
    assert refused.status_code == 429
    assert "操作过于频繁" in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert other.status_code == 302  # another address has its own count
    assert Request.objects.count() == 21
    with at("2025-09-26T10:01:00"):
        assert apply(client, cast).status_code == 302  # a new minute
    assert Request.objects.count() == 22


def test_status_lookups_are_limited_per_address_even_with_the_right_secret(
    anon: Client, cast: Cast, settings: Any
) -> None:
    settings.STATUS_RATE_LIMIT = 10
    number, secret = apply_and_read_receipt(anon, cast)
    guesser = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.9")
    with at("2025-09-26T10:00:05"):
        codes = [look_up(guesser, number, f"guess{i}").status_code for i in range(10)]
        blocked = look_up(guesser, number, secret)
    assert codes == [400] * 10
    assert blocked.status_code == 429 and "查询次数已达上限" in blocked.content.decode()
    assert "办理状态" not in guesser.get(STATUS).content.decode()


# -- the client address ----------------------------------------------------------------------


def meta(remote: str, forwarded: str | None = None) -> Any:
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/apply/", **extra)


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert str(ratelimit.client_address(meta("127.0.0.1", "203.0.113.5"))) == "127.0.0.1"


def test_behind_a_trusted_proxy_the_client_is_the_last_untrusted_hop(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert str(ratelimit.client_address(meta("127.0.0.1", "203.0.113.5"))) == "203.0.113.5"
    # A client's own forged header stays in front of what the proxies appended.
    forged = meta("127.0.0.1", "1.2.3.4, 203.0.113.5, 10.1.2.3")
    assert str(ratelimit.client_address(forged)) == "203.0.113.5"
    assert str(ratelimit.client_address(meta("127.0.0.1", "garbage"))) == "127.0.0.1"
    assert str(ratelimit.client_address(meta("127.0.0.1"))) == "127.0.0.1"


def test_ipv6_clients_are_counted_per_64_block() -> None:
    one = ratelimit.client_address(meta("2001:db8:1:2::a"))
    two = ratelimit.client_address(meta("2001:db8:1:2:ffff::b"))
    assert ratelimit.bucket_of(one) == ratelimit.bucket_of(two) == "2001:db8:1:2::/64"
    assert ratelimit.bucket_of(ratelimit.client_address(meta("::ffff:192.0.2.1"))) == "192.0.2.1"


def test_proxied_clients_are_limited_separately(cast: Cast, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.PUBLIC_RATE_LIMIT = 2
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="127.0.0.1")
    with at("2025-09-26T10:00:05"):
        first = [
            apply(client, cast, {"HTTP_X_FORWARDED_FOR": "203.0.113.1"}).status_code
            for _ in range(3)
        ]
        second = apply(client, cast, {"HTTP_X_FORWARDED_FOR": "203.0.113.2"}).status_code
    assert first == [302, 302, 429] and second == 302
