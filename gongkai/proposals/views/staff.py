"""Staff pages, under /proposals/: the register by year, registering and editing (the office),
one proposal with its reply form and the public draft, the letter file, and the year's figures
with "生成总体情况".

Every change goes through gongkai.proposals.actions; a refused act is shown on the page it
came from with status 400 and nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.proposals import actions
from gongkai.proposals.access import (
    can_reply,
    get_proposal_for_user,
    is_office,
    proposals_for_user,
    require_office,
)
from gongkai.proposals.forms import RegistrationForm, ReplyForm, YearForm
from gongkai.proposals.models import Proposal, PublicForm
from gongkai.proposals.summary import year_figures
from gongkai.publishing.access import documents_for_user
from gongkai.publishing.models import Document
from gongkai.units.models import Unit, UnitQuerySet
from gongkai.work.evidence import open_evidence_file

PAGE_SIZE = 50
TABS = {"all": "全部", "open": "办理中", "overdue": "逾期未办复", "replied": "已办复"}


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET)
    return int(form.cleaned_data["year"]) if form.is_valid() else timezone.localdate().year


@require_GET
@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _year(request)
    tab = request.GET.get("tab", "all")
    tab = tab if tab in TABS else "all"
    qs = proposals_for_user(request.user).of_year(year).select_related("unit", "document")
    if tab == "open":
        qs = qs.open()
    elif tab == "overdue":
        qs = qs.overdue(today)
    elif tab == "replied":
        qs = qs.filter(replied_on__isnull=False)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(p, p.state_label(today)) for p in page],
        "year": year,
        "tabs": list(TABS.items()),
        "tab": tab,
        "can_register": is_office(request.user),
    }
    return render(request, "proposals/list.html", context)


def _units() -> UnitQuerySet:
    return Unit.objects.active().order_by("name")


def _form_page(
    request: HttpRequest, form: RegistrationForm, p: Proposal | None, status: int = 200
) -> HttpResponse:
    return render(request, "proposals/form.html", {"form": form, "p": p}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def proposal_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user, "只有公开办可以登记建议提案")
    if request.method != "POST":
        return _form_page(request, RegistrationForm(units=_units()), None)
    form = RegistrationForm(request.POST, units=_units())
    if not form.is_valid():
        return _form_page(request, form, None, status=400)
    try:
        p = actions.register(request.user, form.registration())
    except actions.ProposalRejected as exc:
        form.add_error(None, str(exc))
        return _form_page(request, form, None, status=400)
    messages.success(request, f"已登记{p.label}，交办{p.unit.name}")
    return redirect(p.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_proposal_for_user(request.user, pk)
    require_office(request.user, "只有公开办可以修改建议提案的登记信息")
    if request.method != "POST":
        initial = {
            "year": p.year,
            "level": p.level,
            "kind": p.kind,
            "number": p.number,
            "title": p.title,
            "deputies": p.deputies,
            "unit": p.unit,
            "co_units": list(p.co_units.all()),
            "received_on": p.received_on,
            "due_on": p.due_on,
        }
        return _form_page(request, RegistrationForm(units=_units(), initial=initial), p)
    form = RegistrationForm(request.POST, units=_units())
    if not form.is_valid():
        return _form_page(request, form, p, status=400)
    try:
        actions.update_registration(request.user, p, form.registration())
    except actions.ProposalRejected as exc:
        form.add_error(None, str(exc))
        return _form_page(request, form, p, status=400)
    messages.success(request, "登记信息已保存")
    return redirect(p.get_absolute_url())


def _reply_initial(p: Proposal) -> dict[str, Any]:
    return {
        "replied_on": p.replied_on or timezone.localdate(),
        "result": p.result,
        "reply_text": p.reply_text,
        "disclose": "1" if p.disclose else "0",
        "withhold_reason": p.withhold_reason,
        "public_form": p.public_form or PublicForm.FULL,
        "summary": p.summary,
    }


def _may_open(user: Any, doc: Document | None) -> bool:
    """Whether the user may open the document's staff page: the drafting unit's own people,
    the office and evaluators — not a co-handling unit or another unit reading the summary."""
    return doc is not None and documents_for_user(user).filter(pk=doc.pk).exists()


def _detail(
    request: HttpRequest,
    p: Proposal,
    form: ReplyForm | None = None,
    *,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    editable = can_reply(request.user, p)
    if form is None and editable:
        form = ReplyForm(initial=_reply_initial(p))
    context = {
        "p": p,
        "state_label": p.state_label(timezone.localdate()),
        "co_units": list(p.co_units.order_by("name")),
        "form": form if editable else None,
        "can_publish": editable and p.is_replied and p.disclose,
        "can_edit": is_office(request.user),
        "open_draft": _may_open(request.user, p.document),
        "problem": problem,
    }
    return render(request, "proposals/detail.html", context, status=status)


@require_GET
@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_proposal_for_user(request.user, pk))


@require_POST
@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_proposal_for_user(request.user, pk, write=True)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, p, form, status=400)
    letter = form.cleaned_data.get("letter")
    try:
        actions.record_reply(request.user, p, form.reply(), letter)
    except actions.ProposalRejected as exc:
        form.add_error(None, str(exc))
        return _detail(request, p, form, status=400)
    messages.success(request, "办复情况已保存")
    return redirect(p.get_absolute_url())


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_proposal_for_user(request.user, pk, write=True)
    try:
        doc = actions.publish_reply(request.user, p)
    except actions.ProposalRejected as exc:
        p.refresh_from_db()
        return _detail(request, p, problem=str(exc), status=400)
    messages.success(request, "已生成公开复文草稿，请在信息发布中送审；审核发布后在门户网站公开")
    return redirect("publishing:detail", doc.pk)


@require_GET
@login_required
def letter(request: HttpRequest, pk: int) -> FileResponse:
    p = get_proposal_for_user(request.user, pk)
    if not p.has_letter:
        raise Http404("该建议提案没有复文文件")
    try:
        handle, kind = open_evidence_file(p.letter_stored, actions.AREA)
    except FileNotFoundError:
        raise Http404("复文文件已不存在") from None
    response = FileResponse(
        handle, as_attachment=True, filename=p.letter_name, content_type=kind.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _summary_page(
    request: HttpRequest, year: int, status: int = 200, problem: str = ""
) -> HttpResponse:
    user = request.user
    unit_ids = None if getattr(user, "sees_all_units", False) else user.unit_ids()  # type: ignore[union-attr]  # login_required: a User
    last = actions.latest_summary(year)
    context = {
        "year": year,
        "figures": year_figures(unit_ids, year, timezone.localdate()),
        "scope": "全部单位" if unit_ids is None else "本单位",
        "last": last,
        "open_last": last is not None and _may_open(user, last.document),
        "can_generate": is_office(user),
        "problem": problem,
    }
    return render(request, "proposals/summary.html", context, status=status)


@require_GET
@login_required
def summary(request: HttpRequest) -> HttpResponse:
    return _summary_page(request, _year(request))


@require_POST
@login_required
def summary_generate(request: HttpRequest) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied("只有公开办可以生成建议提案办理总体情况")
    form = YearForm(request.POST)
    if not form.is_valid():
        return _summary_page(request, timezone.localdate().year, 400, "请填写正确的年度")
    year = int(form.cleaned_data["year"])
    try:
        made = actions.generate_summary(request.user, year)
    except actions.ProposalRejected as exc:
        return _summary_page(request, year, 400, str(exc))
    messages.success(request, "已生成总体情况草稿，请送审；审核发布后在门户网站公开")
    return redirect("publishing:detail", made.document_id)
