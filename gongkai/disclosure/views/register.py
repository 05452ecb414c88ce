"""The staff side of the request register: the list, registering, one request with its clock and
the acts allowed now, the office's review queue and the files (appeals: views/appeals.py, whose
URLs are listed here too).

Every change goes through gongkai.disclosure.actions via the forms in forms.py; a refused act is
shown on the page it came from with status 400 and nothing changed.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts.models import Role
from gongkai.audit.models import AuditEvent
from gongkai.clocks import CHANNEL_LABELS, DELIVERY_LABELS, ClockStatus, Consulted
from gongkai.disclosure import actions, clock
from gongkai.disclosure.access import (
    can_work,
    get_attachment_for_user,
    get_request_for_user,
    get_review_for_user,
    requests_for_user,
    require_office,
    sees_all,
)
from gongkai.disclosure.files import open_request_file
from gongkai.disclosure.filters import TABS, RequestFilter
from gongkai.disclosure.forms import RegisterForm, ReviewDecisionForm
from gongkai.disclosure.models import (
    OPEN_STATES,
    ApplicantType,
    Attachment,
    EventKind,
    LetterKind,
    Outcome,
    ReplyReview,
    Request,
    RequestEvent,
    RequestState,
    ReviewDecision,
    Transfer,
)
from gongkai.disclosure.steps import STEPS, StepForm
from gongkai.disclosure.views import appeals
from gongkai.holidays.calendar import office_calendar
from gongkai.units.access import units_for_user
from gongkai.units.models import Unit
from gongkai.work.views.mywork import CappedPaginator
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

log = logging.getLogger(__name__)

PAGE_SIZE = 50
WORKING = (RequestState.IN_PROGRESS, RequestState.EXTENDED)
LIST_COLUMNS = (
    "pk",
    "tracking_no",
    "applicant_name",
    "applicant_type",
    "state",
    "deadline",
    "review_due",
    "clock_status",
    "on_time",
    "received_on",
    "unit_id",
    "unit__name",
)


def _days_left(calendar: WorkdayCalendar, today: Any, deadline: Any) -> int | None:
    if deadline is None:
        return None
    try:
        return calendar.workdays_between(today, deadline)
    except CalendarUnavailable:
        return None


# -- the list ---------------------------------------------------------------------------------


@require_GET
@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    f = RequestFilter.from_query(request.GET)
    today = timezone.localdate()
    calendar = office_calendar()
    qs = f.apply(requests_for_user(request.user), today, calendar)
    qs = f.ordered(qs.select_related("unit").only(*LIST_COLUMNS))
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(r, _days_left(calendar, today, r.deadline)) for r in page]
    units = list(units_for_user(request.user).order_by("name").values("pk", "name"))
    tabs = {k: v for k, v in TABS.items() if k != "review" or sees_all(request.user)}
    context = {
        "page": page,
        "rows": rows,
        "f": f,
        "today": today,
        "tabs": [(k, v, f.query(tab=k, soon=None, overdue=None)) for k, v in tabs.items()],
        "units": units if len(units) > 1 else [],
        "states": RequestState.choices,
        "applicant_types": ApplicantType.choices,
        "query": f.query(),
        "can_register": _may_register(request.user),
        "no_clock": requests_for_user(request.user).without_clock().count(),
    }
    return render(request, "disclosure/list.html", context)


# -- registering ------------------------------------------------------------------------------


def _may_register(user: Any) -> bool:
    return bool(getattr(user, "is_office", False) or getattr(user, "role", None) == Role.LIAISON)


def _register_units(user: Any) -> QuerySet[Unit]:
    units = Unit.objects.active().order_by("name")
    return units if user.is_office else units.filter(pk__in=user.unit_ids())


@require_http_methods(["GET", "POST"])
@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    if not _may_register(request.user):
        raise PermissionDenied("只有公开办和单位联络员可以登记申请")
    units = _register_units(request.user)
    if request.method != "POST":
        form = RegisterForm(units=units, initial={"arrived_on": timezone.localdate()})
        return render(request, "disclosure/register_form.html", {"form": form})
    form = RegisterForm(request.POST, request.FILES, units=units)
    if form.is_valid():
        try:
            made, secret = actions.register_request(
                request.user, form.to_input(), form.cleaned_data["attachments"]
            )
        except actions.RequestRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"申请已登记，申请编号 {made.tracking_no}，查询码 {secret}"
                "（密码只显示这一次，请告知申请人或写入受理回执）",
            )
            return redirect("disclosure:detail", pk=made.pk)
    return render(request, "disclosure/register_form.html", {"form": form}, status=400)


# -- one request ------------------------------------------------------------------------------


def available_steps(user: Any, r: Request) -> list[str]:
    """The acts this user may do on the request in its current state (the page's forms)."""
    if not can_work(user, r):
        return []
    office = bool(getattr(user, "is_office", False))
    kinds = set(r.events.values_list("kind", flat=True))
    steps: list[str] = []
    if r.state == RequestState.RECEIVED:
        steps += ["confirm", "void"]
    if r.state == RequestState.IN_PROGRESS and kinds <= {EventKind.RECEIVED}:
        steps.append("on-the-spot")
    if r.state == RequestState.IN_PROGRESS and EventKind.CORRECTION_REQUESTED not in kinds:
        steps.append("correction")
    if r.state == RequestState.AWAITING_CORRECTION:
        steps += ["corrected", "correction-lapsed"]
    if r.state in WORKING:
        steps += ["submit", "consult", "fee-notice"]
    if r.state == RequestState.CONSULTING:
        steps.append("consult-end")
    if office and r.state in actions.EXTENDABLE and EventKind.EXTENDED not in kinds:
        steps.append("extend")
    if r.state == RequestState.AWAITING_FEE:
        steps += ["fee-paid", "fee-lapsed"]
    if r.state == RequestState.REVIEW and actions.approved_review(r) is not None:
        steps.append("answer")
    if r.state == RequestState.ANSWERED:
        steps.append("deliver")
    if r.state == RequestState.DELIVERED:
        steps.append("close")
    if r.state in OPEN_STATES:
        if office:
            steps.append("transfer")
        elif r.transfers.filter(to_unit_id=r.unit_id).exists():
            steps.append("return")
    return steps


def _letters(r: Request) -> dict[str, Any]:
    """The letters issued, and the issue buttons once the letters pages exist."""
    letters = []
    for letter in r.letters.all():
        try:
            url = reverse("disclosure:letter_download", args=[letter.pk])
        except NoReverseMatch:
            url = ""
        letters.append({"letter": letter, "url": url})
    issue = []
    for kind in LetterKind:
        try:
            issue.append((kind.label, reverse("disclosure:letter_issue", args=[r.pk, kind.value])))
        except NoReverseMatch:
            break
    try:
        page = reverse("disclosure:request_letters", args=[r.pk])
    except NoReverseMatch:
        page = ""
    return {"letters": letters, "letter_issue": issue, "letters_page": page}


def _similar(r: Request) -> list[Any] | None:
    """Requests that look like this one, once gongkai.disclosure.duplicates exists."""
    try:
        duplicates = importlib.import_module("gongkai.disclosure.duplicates")
    except ImportError:
        return None
    return list(duplicates.similar_requests(r))


def _trail(r: Request) -> QuerySet[AuditEvent]:
    def ids(qs: QuerySet[Any]) -> list[str]:
        return [str(pk) for pk in qs.values_list("pk", flat=True)]

    ct = ContentType.objects.get_for_model
    parts = Q(content_type=ct(Request), object_id=str(r.pk))
    for model, related in (
        (RequestEvent, r.events.all()),
        (ReplyReview, r.reviews.all()),
        (Transfer, r.transfers.all()),
        (Attachment, r.attachments.all()),
    ):
        parts |= Q(content_type=ct(model), object_id__in=ids(related))
    return AuditEvent.objects.filter(parts).order_by("-at", "-pk")


CLOCK_LABELS = {
    ClockStatus.RUNNING: "计时中",
    ClockStatus.PAUSED: "期限暂停（征求意见中）",
    ClockStatus.AWAITING_CORRECTION: "停止计时（待补正）",
    ClockStatus.ANSWERED: "已答复，待送达",
    ClockStatus.DELIVERED: "已送达",
    ClockStatus.CLOSED: "已办结",
}

#: How the fields of an event's `data` read on the page.
EVENT_FIELDS = {
    "channel": "渠道",
    "correct_by": "补正期限",
    "party": "征求对象",
    "name": "名称",
    "letter_received": "对方收到日期",
    "approver": "批准人",
    "notified": "告知申请人日期",
    "workdays": "延长工作日",
    "method": "送达方式",
}
EVENT_VALUES: dict[str, str] = {
    **{c.value: label for c, label in CHANNEL_LABELS.items()},
    **{d.value: label for d, label in DELIVERY_LABELS.items()},
    Consulted.THIRD_PARTY.value: "第三方",
    Consulted.ORGAN.value: "其他机关",
}


def _event_details(event: RequestEvent) -> str:
    data = event.data or {}
    parts = [
        f"{label}：{EVENT_VALUES.get(str(data[key]), str(data[key]))}"
        for key, label in EVENT_FIELDS.items()
        if data.get(key) not in (None, "")
    ]
    if data.get("on_the_spot"):
        parts.append("当场答复")
    return "；".join(parts)


def _clock(r: Request, today: Any) -> dict[str, Any]:
    calendar = office_calendar()
    try:
        state = clock.state_of(r, calendar, today)
    except CalendarUnavailable as exc:
        return {
            "clock": None,
            "clock_label": "",
            "clock_error": f"工作日历缺少所需年份，无法计算期限：{exc}",
        }
    label = CLOCK_LABELS.get(state.state, "") if state else ""
    return {"clock": state, "clock_label": label, "clock_error": ""}


def _with_labels(reviews: Any) -> list[ReplyReview]:
    """Reviews with `outcome_label`: the outcome as the annual report names it."""
    rows = list(reviews)
    for v in rows:
        v.outcome_label = Outcome(v.outcome).label if v.outcome in Outcome.values else v.outcome
    return rows


def _detail(
    request: HttpRequest,
    r: Request,
    *,
    bound: StepForm | None = None,
    bound_slug: str = "",
    review_form: ReviewDecisionForm | None = None,
    review_target: ReplyReview | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    steps = []
    for slug in available_steps(user, r):
        form = bound if slug == bound_slug and bound is not None else STEPS[slug](prefix=slug)
        steps.append(
            {"slug": slug, "form": form, "url": reverse(f"disclosure:step-{slug}", args=[r.pk])}
        )
    if bound is not None and bound_slug not in [s["slug"] for s in steps]:
        url = reverse(f"disclosure:step-{bound_slug}", args=[r.pk])
        steps.insert(0, {"slug": bound_slug, "form": bound, "url": url})
    reviews = _with_labels(
        r.reviews.select_related("submitted_by", "decided_by").order_by("-submitted_at", "-id")
    )
    pending = next((v for v in reviews if v.decision == ReviewDecision.PENDING), None)
    office = bool(getattr(user, "is_office", False))
    context: dict[str, Any] = {
        "r": r,
        "today": today,
        **_clock(r, today),
        "events": [(e, _event_details(e)) for e in r.events.select_related("actor")],
        "attachments": r.attachments.all(),
        "reviews": reviews,
        "pending": pending,
        "review_target": review_target or pending,
        "review_form": review_form or (ReviewDecisionForm() if office and pending else None),
        "transfers": r.transfers.select_related("from_unit", "to_unit", "by"),
        "appeals": r.appeals.all(),
        "steps": steps,
        "similar": _similar(r),
        "trail": _trail(r),
        "can_work": can_work(user, r),
        **_letters(r),
    }
    return render(request, "disclosure/detail.html", context, status=status)


@require_GET
@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_request_for_user(request.user, pk))


@require_POST
@login_required
def request_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    r = get_request_for_user(request.user, pk, write=True)
    form = STEPS[step](request.POST, prefix=step)
    if form.office_only:
        require_office(request.user)
    if not form.is_valid():
        return _detail(request, r, bound=form, bound_slug=step, status=400)
    try:
        done = form.run(request.user, r)
    except actions.RequestRejected as exc:
        form.add_error(None, str(exc))
        r = get_request_for_user(request.user, pk)
        return _detail(request, r, bound=form, bound_slug=step, status=400)
    messages.success(request, done)
    return redirect("disclosure:detail", pk=pk)


@require_GET
@login_required
def request_file(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment, always as a download, and never type-sniffed by the browser."""
    attachment = get_attachment_for_user(request.user, pk)
    try:
        stream, kind = open_request_file(attachment.stored_name)
    except FileNotFoundError:
        log.warning(
            "attachment %s: stored file %r is missing", attachment.pk, attachment.stored_name
        )
        raise Http404("文件已不存在") from None
    # FileResponse writes filename*=utf-8''… (RFC 5987) for a Chinese name.
    response = FileResponse(
        stream, as_attachment=True, filename=attachment.name, content_type=kind.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True)
    return response


# -- the office's review ----------------------------------------------------------------------


@require_GET
@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    reviews = (
        ReplyReview.objects.filter(decision=ReviewDecision.PENDING)
        .select_related("request", "request__unit", "submitted_by")
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )
    page = CappedPaginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": _with_labels(page),
        "today": timezone.localdate(),
        "review_days": clock.review_workdays(),
    }
    return render(request, "disclosure/review_list.html", context)


@require_POST
@login_required
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk)
    require_office(request.user)
    form = ReviewDecisionForm(request.POST)
    r = get_request_for_user(request.user, review.request_id)
    if not form.is_valid():
        return _detail(request, r, review_form=form, review_target=review, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        actions.decide_review(
            request.user, review, approve=approve, comment=form.cleaned_data["comment"]
        )
    except actions.ReviewConflict as exc:
        # Someone decided first; theirs stands, and this reviewer keeps the comment typed.
        messages.error(request, str(exc))
        r = get_request_for_user(request.user, review.request_id)
        return _detail(request, r, review_form=form, review_target=review, status=409)
    except actions.RequestRejected as exc:
        form.add_error(None, str(exc))
        return _detail(request, r, review_form=form, review_target=review, status=400)
    messages.success(
        request, "审核通过，单位可以答复" if approve else "已退回，单位将根据审核意见修改"
    )
    if request.POST.get("next") == "queue":
        return redirect("disclosure:reviews")
    return redirect("disclosure:detail", pk=r.pk)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", request_list, name="list"),
    path("new/", request_new, name="new"),
    path("<int:pk>/", request_detail, name="detail"),
    *[
        path(f"<int:pk>/{slug}/", request_step, {"step": slug}, name=f"step-{slug}")
        for slug in STEPS
    ],
    path("files/<int:pk>", request_file, name="file"),
    path("reviews/", review_list, name="reviews"),
    path("reviews/<int:pk>/decide/", review_decide, name="review_decide"),
    *appeals.urlpatterns,
]
