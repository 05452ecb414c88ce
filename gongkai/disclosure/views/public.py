"""The public side, under /apply/, without login: the application form (Art. 29), the receipt
shown once, and the status lookup with the applicant's secret.

Protections, in the order a POST meets them:
- a per-address limit per minute (ratelimit.py), before anything is read;
- the declared body size (CONTENT_LENGTH) against MAX_FILES × UPLOAD_MAX_BYTES + 1 MB, also
  before the body is read — which is why the form view is csrf_exempt on the outside and runs
  the CSRF check itself afterwards (the CSRF middleware would read the body to find the token);
- each file counted while it streams in and dropped the moment it passes UPLOAD_MAX_BYTES, so an
  oversized file never reaches the disk whole;
- the CSRF check; the form's length caps and required fields; a hidden trap field for robots
  (filled: answered like a success, nothing stored, logged);
- register_request's own checks (file type by content, size, audit).

The secret is never put in a URL: the receipt page takes it from the session once, and a
successful lookup leaves only the request's id in the session, for STATUS_MINUTES.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.disclosure.actions import RequestRejected, register_request
from gongkai.disclosure.files import open_request_file
from gongkai.disclosure.models import (
    Attachment,
    AttachmentRole,
    EventKind,
    Letter,
    LetterKind,
    Request,
    RequestState,
    Source,
)
from gongkai.disclosure.public_forms import MAX_FILES, ApplicationForm, LookupForm
from gongkai.disclosure.tracking import secret_matches
from gongkai.web import ratelimit
from gongkai.work.evidence import display_name

log = logging.getLogger(__name__)

RECEIPT = "apply_receipt"  # session: the number and secret of the request just filed
STATUS = "apply_status"  # session: the request looked up, and until when
STATUS_MINUTES = 30
WRONG = "申请编号或查询码不正确"
MB = 1024 * 1024

#: Each state in the applicant's words (the register's labels are the office's).
PUBLIC_STATE: dict[str, str] = {
    RequestState.RECEIVED: "已提交，等待本机关确认收到",
    RequestState.AWAITING_CORRECTION: "需要您补正申请内容，请按补正通知办理",
    RequestState.IN_PROGRESS: "正在办理",
    RequestState.CONSULTING: "正在征求第三方或其他机关的意见",
    RequestState.EXTENDED: "已延长答复期限，正在办理",
    RequestState.AWAITING_FEE: "等待您缴纳信息处理费",
    RequestState.REVIEW: "正在办理",
    RequestState.ANSWERED: "已答复",
    RequestState.DELIVERED: "已答复并送达",
    RequestState.CLOSED: "已办结",
}

#: Letters addressed to the applicant (a consultation letter goes to the third party).
PUBLIC_LETTERS = [k for k in LetterKind if k != LetterKind.CONSULTATION]


def _upload_limit() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".removesuffix(".0")


def body_limit() -> int:
    """The largest request body the form accepts: every file at its cap, plus 1 MB of fields."""
    return MAX_FILES * _upload_limit() + MB


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context = {"title": title, "message": message}
    return render(request, "disclosure/public_error.html", context, status=status)


def _refusal(
    request: HttpRequest, status: int, title: str, message: str, retry_after: int = 0
) -> HttpResponse:
    return ratelimit.refuse(request, _error_page, status, title, message, retry_after)


def _too_many(request: HttpRequest, verdict: ratelimit.Verdict, what: str) -> HttpResponse:
    return ratelimit.too_many(request, verdict, what, page=_error_page, log=log, where="apply")


class _FileCap(FileUploadHandler):
    """Counts each file as it arrives and skips (keeps nothing of) one that passes the cap."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.size = 0
        self.refused: list[str] = []

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.size += len(raw_data)
        if self.size > self.limit:
            self.refused.append(display_name(str(self.file_name or "")))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file


# -- the application -------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, form: ApplicationForm, status: int = 200, problem: str = ""
) -> HttpResponse:
    context = {
        "form": form,
        "problem": problem,
        "reselect": bool(request.FILES) or status == 413,
        "max_files": MAX_FILES,
        "max_mb": _megabytes(_upload_limit()),
    }
    return render(request, "disclosure/public_form.html", context, status=status)


@csrf_protect
def _application(request: HttpRequest, cap: _FileCap | None) -> HttpResponse:
    max_mb = _megabytes(_upload_limit())
    if request.method != "POST" or cap is None:
        return _form_page(request, ApplicationForm(max_mb=max_mb))
    form = ApplicationForm(request.POST, request.FILES, max_mb=max_mb)
    if cap.refused:
        names = "、".join(f"「{n}」" for n in cap.refused)
        log.info("apply: oversized file refused from %s", ratelimit.client_address(request))
        problem = f"文件{names}超过大小上限 {max_mb} MB，申请未提交。请压缩或拆分后重新选择文件。"
        return _form_page(request, form, 413, problem)
    if form.honeypot_filled:
        log.warning(
            "apply: trap field filled from %s; answered as a success, nothing stored",
            ratelimit.client_address(request),
        )
        return redirect("apply:done")
    if not form.is_valid():
        return _form_page(request, form, 400)
    try:
        filed, secret = register_request(
            None,
            form.to_input(timezone.localdate()),
            form.cleaned_data["attachments"],
            source=Source.PUBLIC,
        )
    except RequestRejected as exc:
        return _form_page(request, form, 400, str(exc))
    request.session[RECEIPT] = {"tracking_no": filed.tracking_no, "secret": secret}
    return redirect("apply:done")


@csrf_exempt  # checked by _application, once the size checks have passed
@require_http_methods(["GET", "HEAD", "POST"])
def application(request: HttpRequest) -> HttpResponse:
    cap = None
    if request.method == "POST":
        verdict = ratelimit.hit("apply", request, ratelimit.submit_limit())
        if not verdict.allowed:
            return _too_many(request, verdict, "提交申请")
        if ratelimit.declared_length(request) > body_limit():
            log.info("apply: body of %s bytes refused", request.META.get("CONTENT_LENGTH"))
            return _refusal(
                request,
                413,
                "提交的内容过大",
                f"本次提交的内容超过 {_megabytes(body_limit())} MB，申请未提交。"
                f"附件最多 {MAX_FILES} 个，每个不超过 {_megabytes(_upload_limit())} MB。"
                "请压缩或拆分附件后重新填写。",
            )
        cap = _FileCap(request, _upload_limit())
        request.upload_handlers = [cap, *request.upload_handlers]
    return _application(request, cap)


@require_GET
@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    """The number and secret, once: they leave the session as this page is shown."""
    shown = request.session.pop(RECEIPT, None)
    return render(
        request, "disclosure/public_done.html", {"receipt": shown, "minutes": STATUS_MINUTES}
    )


# -- the status lookup -----------------------------------------------------------------------


def _find(tracking_no: str, secret: str) -> Request | None:
    """The request with this number and secret; None for a wrong one of either."""
    found = Request.objects.filter(tracking_no__iexact=tracking_no.strip()).first()
    if found is None:
        secret_matches(secret, "0" * 64)  # spend the same time as a wrong secret
        return None
    return found if secret_matches(secret, found.secret_digest) else None


def _remember(request: HttpRequest, found: Request) -> None:
    request.session.cycle_key()  # a new session id for the newly granted view
    until = timezone.now().timestamp() + STATUS_MINUTES * 60
    request.session[STATUS] = {"request": found.pk, "until": until}


def _remembered(request: HttpRequest) -> Request | None:
    """The request this browser looked up in the last STATUS_MINUTES, if any."""
    held = request.session.get(STATUS)
    if not isinstance(held, dict) or not isinstance(held.get("request"), int):
        return None
    if float(held.get("until", 0)) < timezone.now().timestamp():
        return None
    return Request.objects.select_related("unit").filter(pk=held["request"]).first()


def _status_context(found: Request) -> dict[str, Any]:
    concluded = bool(found.outcome)
    letters = attachments = None
    if concluded:
        letters = found.letters.filter(kind__in=PUBLIC_LETTERS)
        attachments = found.attachments.filter(role=AttachmentRole.REPLY)
    return {
        "req": found,
        "state_label": PUBLIC_STATE.get(found.state, found.get_state_display()),
        "extended": found.events.filter(kind=EventKind.EXTENDED).exists(),
        "concluded": concluded,
        "reply_date": found.answered_on or found.concluded_on,
        "letters": letters,
        "attachments": attachments,
        "minutes": STATUS_MINUTES,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def status(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        verdict = ratelimit.hit("status", request, ratelimit.lookup_limit())
        if not verdict.allowed:
            return _too_many(request, verdict, "查询")
        form = LookupForm(request.POST)
        if form.is_valid():
            found = _find(form.cleaned_data["tracking_no"], form.cleaned_data["secret"])
            if found is not None:
                _remember(request, found)
                return redirect("apply:status")
            log.info("apply: wrong number or secret from %s", ratelimit.client_address(request))
            form.add_error(None, WRONG)
        return render(request, "disclosure/public_status.html", {"form": form}, status=400)
    found = _remembered(request)
    context = _status_context(found) if found is not None else {}
    return render(request, "disclosure/public_status.html", {"form": LookupForm(), **context})


@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    """End the view of the request looked up (on a shared computer)."""
    request.session.pop(STATUS, None)
    return redirect("apply:status")


def _gone(request: HttpRequest) -> HttpResponse:
    return _refusal(
        request,
        404,
        "文件无法下载",
        f"没有找到该文件，或查询已超过 {STATUS_MINUTES} 分钟。请重新输入申请编号和查询码查询。",
    )


def _download(stream: Any, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        stream, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _concluded(request: HttpRequest) -> Request | None:
    found = _remembered(request)
    return found if found is not None and found.outcome else None


@require_GET
def letter_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A letter on the request looked up in this session, once it has been answered."""
    found = _concluded(request)
    letter = (
        Letter.objects.filter(pk=pk, request=found, kind__in=PUBLIC_LETTERS).first()
        if found is not None
        else None
    )
    if letter is None:
        return _gone(request)
    try:
        stream, kind = open_request_file(letter.stored_name)
    except FileNotFoundError:
        log.warning("letter %s: stored file %r is missing", letter.pk, letter.stored_name)
        return _gone(request)
    return _download(stream, f"{letter.title}.{kind.ext}", kind.content_type)


@require_GET
def reply_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A reply attachment of the request looked up in this session, once it has been answered."""
    found = _concluded(request)
    attachment = (
        Attachment.objects.filter(pk=pk, request=found, role=AttachmentRole.REPLY).first()
        if found is not None
        else None
    )
    if attachment is None:
        return _gone(request)
    try:
        stream, kind = open_request_file(attachment.stored_name)
    except FileNotFoundError:
        log.warning("attachment %s: stored file is missing", attachment.pk)
        return _gone(request)
    return _download(stream, attachment.name, kind.content_type)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", application, name="form"),
    path("done/", receipt, name="done"),
    path("status/", status, name="status"),
    path("status/forget/", forget, name="forget"),
    path("status/letters/<int:pk>", letter_file, name="letter"),
    path("status/files/<int:pk>", reply_file, name="file"),
]
