"""Letters: the office's templates, and the letters issued on a request.

- /disclosure/templates/                               every template (edited or default)
- /disclosure/templates/<kind>/<outcome or ->/         view; the office edits (POST)
- /disclosure/templates/<kind>/<outcome or ->/preview  a sample .docx (GET: as saved; POST: the
                                                        text in the form, not saved; the office)
- /disclosure/templates/<kind>/<outcome or ->/reset    back to the default (POST, the office)
- /disclosure/<pk>/letters/                            a request's letters and the issue forms
- /disclosure/<pk>/letters/<kind>/issue                issue one (POST: the office or a liaison
                                                        of the request's unit)
- /disclosure/letters/<pk>/download                    the stored .docx (those who see the request)
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.audit.models import AuditEvent
from gongkai.disclosure import fees, letters
from gongkai.disclosure.access import (
    can_work,
    get_letter_for_user,
    get_request_for_user,
    require_office,
)
from gongkai.disclosure.files import open_request_file
from gongkai.disclosure.letter_defaults import default_text
from gongkai.disclosure.models import (
    ApplicantType,
    LetterKind,
    LetterTemplate,
    Outcome,
    Request,
    RequestChannel,
)
from gongkai.disclosure.tracking import prefix
from gongkai.web.widgets import DateInput
from gongkai.work.evidence import DOCX

log = logging.getLogger(__name__)

NO_OUTCOME = "-"


# -- forms -------------------------------------------------------------------------------------


class TemplateForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(
        label="正文", widget=forms.Textarea(attrs={"rows": 14}), help_text="每行为一个自然段。"
    )
    basis = forms.CharField(
        label="法律依据", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def _checked(self, name: str) -> str:
        text = str(self.cleaned_data.get(name, ""))
        problem = letters.placeholder_problem(text)
        if problem:
            raise forms.ValidationError(problem)
        return text

    def clean_title(self) -> str:
        return self._checked("title")

    def clean_body(self) -> str:
        return self._checked("body")

    def clean_basis(self) -> str:
        return self._checked("basis")


class IssueForm(forms.Form):
    """The letter's date, and values that override what the register holds."""

    issued_on = forms.DateField(
        label="文书日期",
        required=False,
        widget=DateInput(),
        help_text="留空为今天。",
    )
    reasons = forms.CharField(
        label="理由",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="留空则使用申请中记录的理由和依据。",
    )
    correct_by = forms.DateField(label="补正期限", required=False, widget=DateInput())
    third_party = forms.CharField(label="第三方", required=False, max_length=200)

    def day(self) -> dt.date:
        day = self.cleaned_data.get("issued_on")
        return day if isinstance(day, dt.date) else timezone.localdate()

    def extra(self) -> dict[str, str]:
        data = self.cleaned_data
        day = data.get("correct_by")
        return {
            "理由": str(data.get("reasons") or ""),
            "补正期限": letters.chinese_date(day) if isinstance(day, dt.date) else "",
            "第三方": str(data.get("third_party") or ""),
        }


# -- helpers -----------------------------------------------------------------------------------


def _key(kind: str, outcome: str) -> tuple[str, str]:
    """The template's kind and outcome from the URL; 404 for a pair that has no template."""
    outcome = "" if outcome == NO_OUTCOME else outcome
    try:
        default_text(kind, outcome)
    except ValueError:
        raise Http404("没有这种文书模板") from None
    return kind, outcome


def _label(template: LetterTemplate) -> str:
    kind = LetterKind(template.kind).label
    return f"{kind}（{Outcome(template.outcome).label}）" if template.outcome else kind


def _url_outcome(outcome: str) -> str:
    return outcome or NO_OUTCOME


def _docx_response(data: io.BytesIO | Any, filename: str) -> FileResponse:
    # FileResponse writes filename*=utf-8''… (RFC 5987) for a Chinese name.
    response = FileResponse(
        data, as_attachment=True, filename=filename, content_type=DOCX.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _sample_request(user: Any) -> tuple[Request, dict[str, str]]:
    """A made-up request to preview a template with, and values for the rest of the placeholders."""
    today = timezone.localdate()
    unit = user.primary_unit() if hasattr(user, "primary_unit") else None
    sample = Request(
        tracking_no=f"{prefix()}-{today.year}-00001",
        applicant_type=ApplicantType.PERSON,
        applicant_name="张三",
        description="本区2024年度老旧小区改造项目的资金安排情况",
        channel=RequestChannel.ONLINE,
        arrived_on=today,
        received_on=today,
        reasons="（此处为申请中记录的理由和依据）",
        deadline=today + dt.timedelta(days=28),
    )
    k = 12
    extra = {
        "办理机关": unit.name if unit is not None else "××区××局",
        "补正期限": letters.chinese_date(today + dt.timedelta(days=14)),
        "延期天数": "20",
        "延期后期限": letters.chinese_date(today + dt.timedelta(days=56)),
        "第三方": "××有限公司",
        "收费金额": f"{fees.fee_per_request(k):.2f}",
        "收费依据": f"{fees.FEE_RULES}，按件计收，收费标准为：{fees.PER_REQUEST_STANDARD}。"
        f"按件计收：本申请是申请人本月提出的第{k}件申请，属于{fees.per_request_band(k)}档，"
        f"每件收费{fees.fee_per_request(k)}元。",
        "缴费期限": letters.chinese_date(today + dt.timedelta(days=28)),
    }
    return sample, extra


def _preview(request: HttpRequest, template: LetterTemplate) -> FileResponse:
    sample, extra = _sample_request(request.user)
    title, data = letters.render_template(
        template, sample, issued_on=timezone.localdate(), extra=extra
    )
    return _docx_response(io.BytesIO(data), f"{title}（预览）.docx")


def _trail(template: LetterTemplate) -> Any:
    if template.pk is None:
        return []
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(LetterTemplate), object_id=str(template.pk)
    ).order_by("-at", "-pk")


# -- templates ---------------------------------------------------------------------------------


@require_GET
@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    rows = [
        {
            "template": t,
            "label": _label(t),
            "edited": t.pk is not None,
            "url": reverse("disclosure:letter_template", args=[t.kind, _url_outcome(t.outcome)]),
        }
        for t in letters.all_templates()
    ]
    return render(
        request,
        "disclosure/letter_templates.html",
        {"rows": rows, "can_edit": getattr(request.user, "is_office", False)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def template_edit(request: HttpRequest, kind: str, outcome: str) -> HttpResponse:
    kind, outcome = _key(kind, outcome)
    template = letters.template_for(kind, outcome)
    can_edit = bool(getattr(request.user, "is_office", False))
    if request.method == "POST":
        require_office(request.user)
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                letters.save_template(
                    request.user,
                    kind,
                    outcome,
                    form.cleaned_data["title"],
                    form.cleaned_data["body"],
                    form.cleaned_data["basis"],
                )
            except letters.LetterRejected as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已保存“{_label(template)}”模板")
                return redirect(
                    "disclosure:letter_template", kind=kind, outcome=_url_outcome(outcome)
                )
    else:
        form = TemplateForm(
            initial={"title": template.title, "body": template.body, "basis": template.basis}
        )
    context: dict[str, Any] = {
        "template": template,
        "label": _label(template),
        "default": default_text(kind, outcome),
        "edited": template.pk is not None,
        "form": form,
        "can_edit": can_edit,
        "placeholders": letters.PLACEHOLDERS,
        "kind": kind,
        "outcome": _url_outcome(outcome),
        "events": _trail(template),
    }
    status = 400 if request.method == "POST" else 200  # a POST that got here was refused
    return render(request, "disclosure/letter_template_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def template_preview(request: HttpRequest, kind: str, outcome: str) -> HttpResponse | FileResponse:
    """A sample letter: the saved template (GET), or the form's text before saving (POST)."""
    kind, outcome = _key(kind, outcome)
    template = letters.template_for(kind, outcome)
    if request.method == "POST":
        require_office(request.user)
        form = TemplateForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                "无法预览：" + "；".join(str(e) for errors in form.errors.values() for e in errors),
            )
            return redirect("disclosure:letter_template", kind=kind, outcome=_url_outcome(outcome))
        template = LetterTemplate(kind=kind, outcome=outcome, **form.cleaned_data)
    return _preview(request, template)


@require_POST
@login_required
def template_reset(request: HttpRequest, kind: str, outcome: str) -> HttpResponse:
    kind, outcome = _key(kind, outcome)
    template = letters.reset_template(request.user, kind, outcome)
    messages.success(request, f"“{_label(template)}”已恢复默认文本")
    return redirect("disclosure:letter_template", kind=kind, outcome=_url_outcome(outcome))


# -- letters of a request ------------------------------------------------------------------


def _issue_kinds(req: Request) -> list[tuple[str, str, str]]:
    """(kind, label, what the reply would be) for the issue forms."""
    out = []
    for kind in LetterKind:
        note = ""
        if kind == LetterKind.REPLY:
            note = Outcome(req.outcome).label if req.outcome else "尚未确定办理结果"
        out.append((kind.value, kind.label, note))
    return out


@require_GET
@login_required
def request_letters(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_request_for_user(request.user, pk)
    context: dict[str, Any] = {
        "req": req,
        "letters": req.letters.order_by("-created_at", "-id"),
        "kinds": _issue_kinds(req),
        "can_issue": can_work(request.user, req),
        "form": IssueForm(initial={"issued_on": timezone.localdate()}),
        "reply_ready": bool(req.outcome),
    }
    return render(request, "disclosure/letter_request.html", context)


def _back(request: HttpRequest, pk: int) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    try:
        return reverse("disclosure:detail", args=[pk])
    except NoReverseMatch:  # the register's pages are not wired in
        return reverse("disclosure:request_letters", args=[pk])


@require_POST
@login_required
def letter_issue(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    req = get_request_for_user(request.user, pk, write=True)
    if kind not in LetterKind.values:
        messages.error(request, "未生成文书：没有这种文书")
        return redirect(_back(request, pk))
    form = IssueForm(request.POST)
    if not form.is_valid():
        problems = "；".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"未生成文书：{problems}")
        return redirect(_back(request, pk))
    try:
        letter = letters.issue_letter(request.user, req, kind, form.day(), extra=form.extra())
    except letters.LetterRejected as exc:
        messages.error(request, f"未生成文书：{exc}")
        return redirect(_back(request, pk))
    messages.success(request, f"已生成《{letter.title}》，可在文书列表中下载")
    return redirect(_back(request, pk))


@require_GET
@login_required
def letter_download(request: HttpRequest, pk: int) -> FileResponse:
    letter = get_letter_for_user(request.user, pk)
    try:
        stream, _kind = open_request_file(letter.stored_name)
    except FileNotFoundError:
        log.warning("letter %s: stored file %r is missing", letter.pk, letter.stored_name)
        raise Http404("文书文件已不存在") from None
    return _docx_response(stream, f"{letter.title}（{letter.request.tracking_no}）.docx")


urlpatterns: list[URLPattern | URLResolver] = [
    path("templates/", template_list, name="letter_templates"),
    path("templates/<str:kind>/<str:outcome>/", template_edit, name="letter_template"),
    path(
        "templates/<str:kind>/<str:outcome>/preview",
        template_preview,
        name="letter_template_preview",
    ),
    path("templates/<str:kind>/<str:outcome>/reset", template_reset, name="letter_template_reset"),
    path("<int:pk>/letters/", request_letters, name="request_letters"),
    path("<int:pk>/letters/<str:kind>/issue", letter_issue, name="letter_issue"),
    path("letters/<int:pk>/download", letter_download, name="letter_download"),
]
