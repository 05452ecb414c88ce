"""Staff pages, under /gazette/: the issues, one issue with its contents and every act on it,
the issue form and the reader information. Every change goes through gongkai.gazette.actions;
a refused act is shown on the page it came from with status 400 and nothing changed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.audit.models import AuditEvent
from gongkai.gazette import actions
from gongkai.gazette.access import get_issue_for_user, get_item_for_user, is_office, require_editor
from gongkai.gazette.forms import InfoForm, IssueForm, IssuePdfForm, ItemForm, WithdrawForm
from gongkai.gazette.models import SECTION_SUGGESTIONS, GazetteInfo, Issue, IssueState, Item
from gongkai.gazette.views.files import pdf_response

PAGE_SIZE = 50


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    issues = Issue.objects.annotate(
        item_count=Count("items"),
        pdf_items=Count("items", filter=~Q(items__pdf_name="")),
    ).order_by("-year", "-number")
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "is_office": is_office(request.user),
        "info": GazetteInfo.current(),
        "published": Issue.objects.published().count(),
    }
    return render(request, "gazette/index.html", context)


def _trail(issue: Issue) -> QuerySet[AuditEvent]:
    ct = ContentType.objects.get_for_model
    item_ids = [str(pk) for pk in issue.items.values_list("pk", flat=True)]
    parts = Q(content_type=ct(Issue), object_id=str(issue.pk))
    # Removed items are in the trail too: their ids are gone from the table, their comment
    # names the issue.
    parts |= Q(content_type=ct(Item), object_id__in=item_ids)
    parts |= Q(content_type=ct(Item), comment=f"{issue.label}目录")
    return AuditEvent.objects.filter(parts).order_by("-at", "-pk")


def _detail(
    request: HttpRequest,
    issue: Issue,
    *,
    bound: dict[str, forms.Form] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    office = is_office(request.user)
    draft = issue.state == IssueState.DRAFT
    context: dict[str, Any] = {
        "issue": issue,
        "items": issue.items.select_related("document").order_by("position", "pk"),
        "is_office": office,
        "draft": draft,
        "problem": problem,
        "sections": SECTION_SUGGESTIONS,
        "item_form": (bound.get("item") or ItemForm()) if office and draft else None,
        "pdf_form": (bound.get("pdf") or IssuePdfForm()) if office and draft else None,
        "withdraw_form": (bound.get("withdraw") or WithdrawForm())
        if office and not draft
        else None,
        "publish_problems": actions.publish_problems(issue, timezone.localdate()) if draft else [],
        "trail": _trail(issue)[:200],
    }
    # A refused form the page no longer offers (the issue was published meanwhile): its
    # messages go to the top of the page.
    shown = {id(v) for v in context.values() if isinstance(v, forms.Form)}
    hidden = [_errors(f) for f in bound.values() if id(f) not in shown]
    context["problem"] = "；".join(p for p in (problem, *hidden) if p)
    return render(request, "gazette/issue.html", context, status=status)


def _errors(form: forms.Form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


@require_GET
@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_issue_for_user(request.user, pk))


def _form_page(
    request: HttpRequest, form: IssueForm, issue: Issue | None, status: int = 200
) -> HttpResponse:
    return render(request, "gazette/issue_form.html", {"form": form, "issue": issue}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def issue_new(request: HttpRequest) -> HttpResponse:
    require_editor(request.user)
    if request.method != "POST":
        return _form_page(request, IssueForm.blank(), None)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            issue = actions.create_issue(request.user, form.to_input())
        except actions.GazetteRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{issue.label}已创建，请添加目录")
            return redirect("gazette:issue", pk=issue.pk)
    return _form_page(request, form, None, 400)


@require_http_methods(["GET", "POST"])
@login_required
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, write=True)
    if request.method != "POST":
        return _form_page(request, IssueForm.of(issue), issue)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            actions.edit_issue(request.user, issue, form.to_input())
        except actions.GazetteRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存")
            return redirect("gazette:issue", pk=issue.pk)
    return _form_page(request, form, issue, 400)


@require_POST
@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, write=True)
    form = ItemForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            item = actions.add_item(
                request.user, issue, form.to_input(), form.cleaned_data.get("file")
            )
        except actions.GazetteRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已添加目录条目「{item.title}」")
            return redirect("gazette:issue", pk=issue.pk)
    return _detail(request, issue, bound={"item": form}, status=400)


@require_POST
@login_required
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    try:
        issue = actions.remove_item(request.user, item)
    except actions.GazetteRejected as exc:
        return _detail(request, item.issue, problem=str(exc), status=400)
    messages.success(request, f"已删除目录条目「{item.title}」")
    return redirect("gazette:issue", pk=issue.pk)


@require_POST
@login_required
def issue_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, write=True)
    form = IssuePdfForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.set_issue_pdf(request.user, issue, form.cleaned_data["file"])
        except actions.GazetteRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "整期 PDF 已上传")
            return redirect("gazette:issue", pk=issue.pk)
    return _detail(request, issue, bound={"pdf": form}, status=400)


@require_POST
@login_required
def issue_pdf_remove(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, write=True)
    try:
        actions.remove_issue_pdf(request.user, issue)
    except actions.GazetteRejected as exc:
        return _detail(request, issue, problem=str(exc), status=400)
    messages.success(request, "整期 PDF 已删除")
    return redirect("gazette:issue", pk=issue.pk)


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, write=True)
    try:
        actions.publish_issue(request.user, issue)
    except actions.GazetteRejected as exc:
        return _detail(request, issue, problem=str(exc), status=400)
    messages.success(request, f"{issue.label}已发布，公众可在门户网站查阅")
    return redirect("gazette:issue", pk=issue.pk)


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, write=True)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            actions.withdraw_issue(request.user, issue, form.cleaned_data["reason"])
        except actions.GazetteRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{issue.label}已撤回发布，门户网站不再显示")
            return redirect("gazette:issue", pk=issue.pk)
    return _detail(request, issue, bound={"withdraw": form}, status=400)


@require_GET
@login_required
def issue_file(request: HttpRequest, pk: int) -> FileResponse:
    response = pdf_response(get_issue_for_user(request.user, pk))
    patch_cache_control(response, private=True)
    return response


@require_GET
@login_required
def item_file(request: HttpRequest, pk: int) -> FileResponse:
    response = pdf_response(get_item_for_user(request.user, pk))
    patch_cache_control(response, private=True)
    return response


@require_http_methods(["GET", "POST"])
@login_required
def info(request: HttpRequest) -> HttpResponse:
    current = GazetteInfo.current()
    office = is_office(request.user)
    if request.method != "POST":
        form = InfoForm.of(current)
        return render(
            request, "gazette/info.html", {"form": form, "info": current, "is_office": office}
        )
    require_editor(request.user)
    form = InfoForm(request.POST)
    if form.is_valid():
        try:
            actions.save_info(request.user, form.to_input())
        except actions.GazetteRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "政府公报查阅信息已保存，门户网站同步显示")
            return redirect("gazette:info")
    context = {"form": form, "info": current, "is_office": office}
    return render(request, "gazette/info.html", context, status=400)
