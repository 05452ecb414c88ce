"""The list of annual reports, one report with its checks, editing and the workflow, and the
downloads. Access rules: gongkai/reports/access.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.reports import actions
from gongkai.reports.access import get_report_for_user, reports_for_user, require_office
from gongkai.reports.as_docx import render_docx
from gongkai.reports.as_html import CellUrl, context
from gongkai.reports.as_json import render_json
from gongkai.reports.build import current
from gongkai.reports.forms import CreateForm, ReturnForm, SectionsForm, Table2Form
from gongkai.reports.models import AnnualReport

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_cell_url(report: AnnualReport) -> CellUrl:
    base = reverse("reports:cell", args=[report.pk])

    def url(table: str, key: str, col: int) -> str:
        return f"{base}?{urlencode({'table': table, 'row': key, 'col': col})}"

    return url


@require_http_methods(["GET", "POST"])
@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    form = CreateForm(request.POST or None)
    if request.method == "POST":
        require_office(request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = actions.create_report(
                    request.user,
                    data["year"],
                    data["unit"],
                    include_children=data["include_children"],
                )
            except actions.ReportRejected as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"已新建{report}")
                return redirect("reports:detail", pk=report.pk)
    reports = reports_for_user(request.user).order_by("-year", "unit__name", "pk")
    return render(request, "reports/list.html", {"reports": reports, "form": form})


@require_GET
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    built = current(report)
    editable = getattr(request.user, "is_office", False) and report.state in actions.EDITABLE
    page: dict[str, Any] = {
        "report": report,
        "built": built,
        "failed": [c for c in built["checks"] if not c["ok"] and not c["warning"]],
        "editable": editable,
        "office": getattr(request.user, "is_office", False),
        "return_form": ReturnForm(),
        **context(built, report_cell_url(report)),
    }
    if editable:
        texts = {s["number"]: s["text"] for s in built["sections"]}
        page["sections_form"] = SectionsForm(initial=texts)
        page["table2_form"] = Table2Form(initial=Table2Form.initial_from(built["table2"]))
    return render(request, "reports/detail.html", page)


@require_POST
@login_required
def report_sections(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    form = SectionsForm(request.POST)
    if form.is_valid():
        try:
            actions.save_sections(request.user, report, form.cleaned_data)
        except actions.ReportRejected as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "正文已保存")
    return redirect("reports:detail", pk=report.pk)


@require_POST
@login_required
def report_table2(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    form = Table2Form(request.POST)
    if not form.is_valid():
        problems = "；".join(
            f"{form.fields[name].label}：{'，'.join(map(str, errors))}"
            for name, errors in form.errors.items()
        )
        messages.error(request, f"表二未保存：{problems}")
    else:
        try:
            actions.save_table2(request.user, report, form.figures())
        except actions.ReportRejected as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "表二已保存")
    return redirect("reports:detail", pk=report.pk)


DONE = {"submit": "已报送审核", "approve": "已审定", "publish": "已发布", "return": "已退回"}


@require_POST
@login_required
def report_transition(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    action = request.POST.get("action", "")
    try:
        if action == "return":
            actions.return_report(request.user, report, request.POST.get("comment", ""))
        elif action in actions.TRANSITIONS:
            actions.TRANSITIONS[action](request.user, report)
        else:
            raise actions.ReportRejected("未知的操作")
    except actions.ReportRejected as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"报告{DONE[action]}")
    return redirect("reports:detail", pk=report.pk)


def _filename(report: AnnualReport, suffix: str) -> str:
    who = report.unit.name if report.unit else "全部单位"
    return f"{report.year}年政府信息公开工作年度报告（{who}）.{suffix}"


@require_GET
@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    response = HttpResponse(render_docx(current(report)), content_type=DOCX)
    response["Content-Disposition"] = _attachment(_filename(report, "docx"))
    return response


@require_GET
@login_required
def report_json(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    response = HttpResponse(
        render_json(current(report)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = _attachment(_filename(report, "json"))
    return response


def _attachment(name: str) -> str:
    ascii_name = "annual-report." + name.rsplit(".", 1)[1]
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


urlpatterns: list[URLPattern | URLResolver] = [
    path("", report_list, name="list"),
    path("<int:pk>/", report_detail, name="detail"),
    path("<int:pk>/sections/", report_sections, name="sections"),
    path("<int:pk>/table2/", report_table2, name="table2"),
    path("<int:pk>/transition/", report_transition, name="transition"),
    path("<int:pk>/report.docx", report_docx, name="docx"),
    path("<int:pk>/report.json", report_json, name="json"),
]
