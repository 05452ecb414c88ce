"""Staff pages, under /consult/: the list, drafting and editing, one consultation with every
act allowed on it, attachments, publishing, extending the window, the decision link and closing
(comments and the feedback report: views/feedback.py).

Every change goes through gongkai.consult.actions; a refused act is shown on the page it came
from with status 400 and nothing changed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.consult import actions
from gongkai.consult.access import (
    consultations_for_user,
    get_attachment_for_user,
    get_consultation_for_user,
    is_office,
    may_draft,
    require_office,
)
from gongkai.consult.forms import (
    AttachmentForm,
    ConsultationForm,
    DecisionForm,
    ExtendForm,
    PublishForm,
)
from gongkai.consult.models import Consultation, ConsultState, Moderation
from gongkai.consult.views.common import render_detail
from gongkai.publishing.models import DocState, Document
from gongkai.units.models import Unit, UnitQuerySet
from gongkai.work.evidence import open_evidence_file

log = logging.getLogger(__name__)

PAGE_SIZE = 50

#: The list's tabs: key → (label, filter for today).
TABS = {
    "all": "全部",
    "draft": "草稿",
    "open": "征求意见中",
    "feedback": "待发布反馈",
    "done": "已反馈、已办结",
}


def _tab(qs: Any, tab: str, today: Any) -> Any:
    if tab == "draft":
        return qs.filter(state=ConsultState.DRAFT)
    if tab == "open":
        return qs.filter(state=ConsultState.OPEN, closes_on__gte=today)
    if tab == "feedback":
        return qs.window_over(today)
    if tab == "done":
        return qs.filter(state__in=(ConsultState.CONCLUDED, ConsultState.CLOSED))
    return qs


@require_GET
@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    tab = request.GET.get("tab", "all")
    tab = tab if tab in TABS else "all"
    qs = _tab(consultations_for_user(request.user), tab, today)
    qs = qs.select_related("unit").annotate(
        pending=Count("comments", filter=Q(comments__moderation=Moderation.PENDING)),
        received=Count("comments"),
    )
    page = Paginator(qs.order_by("-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(c, c.phase_label(today), c.days_left(today)) for c in page],
        "tabs": list(TABS.items()),
        "tab": tab,
        "today": today,
        "can_draft": may_draft(request.user),
    }
    return render(request, "consult/list.html", context)


# -- drafting ---------------------------------------------------------------------------------


def _units(user: Any) -> UnitQuerySet:
    units = Unit.objects.active().order_by("name")
    return units if is_office(user) else units.filter(pk__in=user.unit_ids())


def _form_page(
    request: HttpRequest, form: ConsultationForm, c: Consultation | None, status: int = 200
) -> HttpResponse:
    rich_fields = [form["draft"], form["explanation"], form["interpretation"]]
    context = {"form": form, "c": c, "rich_fields": rich_fields}
    return render(request, "consult/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def consultation_new(request: HttpRequest) -> HttpResponse:
    if not may_draft(request.user):
        raise PermissionDenied("只有公开办和单位联络员可以起草征求意见稿")
    units = _units(request.user)
    if request.method != "POST":
        initial = {"accepts_online": True, "unit": units.first()}
        return _form_page(request, ConsultationForm(units=units, initial=initial), None)
    form = ConsultationForm(request.POST, units=units)
    if form.is_valid():
        try:
            made = actions.create_draft(request.user, form.to_input())
        except actions.ConsultRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "征求意见稿已保存为草稿")
            return redirect("consult:detail", pk=made.pk)
    return _form_page(request, form, None, 400)


@require_http_methods(["GET", "POST"])
@login_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk, write=True)
    units = _units(request.user) | Unit.objects.filter(pk=c.unit_id)
    if request.method != "POST":
        return _form_page(
            request, ConsultationForm(units=units, initial=ConsultationForm.initial_of(c)), c
        )
    form = ConsultationForm(request.POST, units=units)
    if form.is_valid():
        try:
            actions.edit_draft(request.user, c, form.to_input())
        except actions.ConsultRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "征求意见稿已保存")
            return redirect("consult:detail", pk=c.pk)
    return _form_page(request, form, c, 400)


@require_GET
@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, get_consultation_for_user(request.user, pk))


# -- attachments ------------------------------------------------------------------------------


@require_POST
@login_required
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_detail(request, c, bound={"attachment": form}, status=400)
    try:
        actions.add_attachment(request.user, c, form.cleaned_data["file"])
    except actions.ConsultRejected as exc:
        form.add_error(None, str(exc))
        return render_detail(request, c, bound={"attachment": form}, status=400)
    messages.success(request, "附件已上传")
    return redirect("consult:detail", pk=c.pk)


@require_POST
@login_required
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_attachment_for_user(request.user, pk, write=True)
    c = attachment.consultation
    try:
        actions.remove_attachment(request.user, attachment)
    except actions.ConsultRejected as exc:
        return render_detail(request, c, problem=str(exc), status=400)
    messages.success(request, "附件已删除")
    return redirect("consult:detail", pk=c.pk)


def download(stored_name: str, filename: str) -> FileResponse:
    """A stored attachment, always as a download and never type-sniffed by the browser."""
    try:
        stream, kind = open_evidence_file(stored_name, actions.AREA)
    except FileNotFoundError:
        log.warning("consult attachment %r is missing", stored_name)
        raise Http404("文件已不存在") from None
    response = FileResponse(
        stream, as_attachment=True, filename=filename, content_type=kind.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_attachment_for_user(request.user, pk)
    response = download(attachment.stored_name, attachment.filename)
    patch_cache_control(response, private=True)
    return response


# -- the office's acts ------------------------------------------------------------------------


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk)
    require_office(request.user)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            actions.publish(request.user, c, privacy_override=form.cleaned_data["privacy_override"])
        except actions.ConsultRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "征求意见稿已发布，公众可在门户网站查看")
            return redirect("consult:detail", pk=c.pk)
    return render_detail(request, c, bound={"publish": form}, status=400)


@require_POST
@login_required
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk)
    require_office(request.user)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            actions.extend_window(
                request.user, c, form.cleaned_data["closes_on"], form.cleaned_data["reason"]
            )
        except actions.ConsultRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "征求意见期已延长")
            return redirect("consult:detail", pk=c.pk)
    return render_detail(request, c, bound={"extend": form}, status=400)


@require_POST
@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk, write=True)
    form = DecisionForm(request.POST)
    if form.is_valid():
        number = form.cleaned_data["index_number"].strip()
        document = None
        if number:
            document = Document.objects.filter(
                index_number=number, state=DocState.PUBLISHED
            ).first()
            if document is None:
                form.add_error("index_number", f"没有找到索引号为「{number}」的已发布政府信息")
        if not form.errors:
            try:
                actions.link_decision(request.user, c, document)
            except actions.ConsultRejected as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "已关联决策文件" if document else "已取消关联决策文件")
                return redirect("consult:detail", pk=c.pk)
    return render_detail(request, c, bound={"decision": form}, status=400)


@require_POST
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk)
    require_office(request.user)
    try:
        actions.close(request.user, c)
    except actions.ConsultRejected as exc:
        return render_detail(request, c, problem=str(exc), status=400)
    messages.success(request, "意见征集已办结")
    return redirect("consult:detail", pk=c.pk)
