"""Staff pages of 互动交流, under /interact/: the list with its tabs, one question with its clock,
history and the acts allowed now, and one POST view per act.

Every change goes through gongkai.interact.actions; a refused act is shown on the question's page
with status 400 (409 when another reviewer decided first) and nothing changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from gongkai.holidays.calendar import office_calendar
from gongkai.interact import actions, clock, privacy
from gongkai.interact.access import (
    can_work,
    get_question_for_user,
    is_office,
    questions_for_user,
    require_office,
    sees_all,
)
from gongkai.interact.filters import SOON_DAYS, TABS, QuestionFilter
from gongkai.interact.forms import (
    DraftForm,
    GiveBackForm,
    OverrideForm,
    RejectForm,
    ReviewForm,
    RouteForm,
    TransferForm,
)
from gongkai.interact.models import DRAFTABLE_STATES, Question, QuestionState
from gongkai.units.access import units_for_user
from gongkai.work.views.mywork import CappedPaginator
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

PAGE_SIZE = 50
LIST_COLUMNS = (
    "pk",
    "tracking_no",
    "title",
    "state",
    "simple",
    "due_on",
    "received_on",
    "replied_on",
    "alarm60_sent_at",
    "unit_id",
    "unit__name",
)


def _days_left(calendar: WorkdayCalendar, today: dt.date, due: dt.date | None) -> int | None:
    if due is None:
        return None
    try:
        return calendar.workdays_between(today, due)
    except CalendarUnavailable:
        return None


# -- the list ---------------------------------------------------------------------------------


def _default_tab(user: Any, today: dt.date) -> str:
    """The office sees what needs it first: overdue and alarmed questions, else new ones."""
    if is_office(user):
        if questions_for_user(user).needing_attention(today).exists():
            return "alerts"
        return "new"
    return "doing" if not sees_all(user) else "all"


@require_GET
@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    calendar = office_calendar()
    f = QuestionFilter.from_query(request.GET, _default_tab(request.user, today))
    mine = questions_for_user(request.user)
    qs = f.ordered(f.apply(mine, today, calendar).select_related("unit").only(*LIST_COLUMNS))
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(q, _days_left(calendar, today, q.due_on)) for q in page]
    tabs = {k: v for k, v in TABS.items() if k != "alerts" or sees_all(request.user)}
    units = list(units_for_user(request.user).order_by("name").values("pk", "name"))
    context = {
        "page": page,
        "rows": rows,
        "f": f,
        "today": today,
        "tabs": [(k, v, f.query(tab=k)) for k, v in tabs.items()],
        "units": units if len(units) > 1 else [],
        "query": f.query(),
        "attention": mine.needing_attention(today).count() if sees_all(request.user) else 0,
        "no_clock": mine.open().filter(due_on__isnull=True).count(),
        "soon_days": SOON_DAYS,
        "alarm_days": clock.alarm_days(),
    }
    return render(request, "interact/list.html", context)


# -- one question -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Act:
    """One act on the detail page: its form, who may post it, and how it runs."""

    label: str
    form: type[forms.Form]
    office_only: bool
    run: Callable[[Any, Question, dict[str, Any]], str]
    #: Whether this user may do it on this question now (the page's buttons).
    offered: Callable[[Any, Question], bool]


def _office_in(*states: str) -> Callable[[Any, Question], bool]:
    return lambda user, q: is_office(user) and q.state in states


def _worker_in(*states: str) -> Callable[[Any, Question], bool]:
    return lambda user, q: can_work(user, q) and q.state in states


def _run_route(user: Any, q: Question, data: dict[str, Any]) -> str:
    actions.route(user, q, data["unit"], simple=data["simple"], note=data["note"])
    return f"已分办至{data['unit'].name}"


def _run_transfer(user: Any, q: Question, data: dict[str, Any]) -> str:
    actions.transfer(user, q, data["unit"], reason=data["reason"], simple=data["simple"])
    return f"已转办至{data['unit'].name}"


def _run_give_back(user: Any, q: Question, data: dict[str, Any]) -> str:
    actions.give_back(user, q, reason=data["reason"])
    return "已退回公开办重新分办"


def _run_reject(user: Any, q: Question, data: dict[str, Any]) -> str:
    actions.reject(user, q, reason=data["reason"], note=data["note"])
    return "已标记为无效留言"


def _run_draft(user: Any, q: Question, data: dict[str, Any]) -> str:
    if data["intent"] == "submit":
        actions.submit(user, q, data["reply"])
        return "答复已报送公开办审核"
    actions.save_draft(user, q, data["reply"])
    return "答复草稿已保存"


def _run_review(user: Any, q: Question, data: dict[str, Any]) -> str:
    approve = data["decision"] == "approve"
    done = actions.review(
        user, q, approve=approve, round_seen=data["round"], comment=data["comment"]
    )
    if not approve:
        return "已退回，单位将根据审核意见修改"
    if done.state == QuestionState.PUBLISHED:
        return "审核通过，留言和答复已在网站公开"
    return "审核通过，已答复（留言人未同意公开，不在网站公开）"


def _run_mask(user: Any, q: Question, data: dict[str, Any]) -> str:
    actions.mask_personal_data(user, q)
    return "已遮蔽标题、留言和答复中的个人信息"


def _run_override(user: Any, q: Question, data: dict[str, Any]) -> str:
    actions.override_privacy(user, q, reason=data["reason"])
    return "已记录放行理由，可以审核通过并公开"


class _NoFields(forms.Form):
    pass


def _has_hits(user: Any, q: Question) -> bool:
    return is_office(user) and q.state == QuestionState.REVIEW and bool(privacy.scan(q))


ACTS: dict[str, Act] = {
    "route": Act("分办", RouteForm, True, _run_route, _office_in(QuestionState.RECEIVED)),
    "draft": Act("起草答复", DraftForm, False, _run_draft, _worker_in(*DRAFTABLE_STATES)),
    "transfer": Act("转办", TransferForm, True, _run_transfer, _office_in(*DRAFTABLE_STATES)),
    "give-back": Act(
        "退回重新分办",
        GiveBackForm,
        False,
        _run_give_back,
        lambda user, q: not is_office(user) and _worker_in(*DRAFTABLE_STATES)(user, q),
    ),
    "review": Act("审核答复", ReviewForm, True, _run_review, _office_in(QuestionState.REVIEW)),
    "mask": Act("一键遮蔽个人信息", _NoFields, True, _run_mask, _has_hits),
    "override": Act(
        "说明理由后放行",
        OverrideForm,
        True,
        _run_override,
        lambda user, q: _has_hits(user, q) and not q.privacy_override_reason,
    ),
    "reject": Act(
        "标记为无效留言",
        RejectForm,
        True,
        _run_reject,
        _office_in(QuestionState.RECEIVED, *DRAFTABLE_STATES),
    ),
}


def _initial(slug: str, q: Question) -> dict[str, Any]:
    if slug == "draft":
        return {"reply": q.reply, "intent": "save"}
    if slug == "review":
        return {"round": q.review_round}
    if slug == "transfer":
        return {"simple": q.simple}
    return {}


def _clock(q: Question, today: dt.date) -> dict[str, Any]:
    calendar = office_calendar()
    return {
        "days_left": _days_left(calendar, today, q.due_on) if q.is_open else None,
        "workdays_allowed": clock.workdays_allowed(q.simple),
        "alarm_on": clock.alarm_date(q.received_on),
        "alarm_days": clock.alarm_days(),
        "veto_on": clock.veto_date(q.received_on),
        "veto_passed": q.is_open and today > clock.veto_date(q.received_on),
    }


def _detail(
    request: HttpRequest,
    q: Question,
    *,
    bound: forms.Form | None = None,
    bound_slug: str = "",
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    offered = [slug for slug, act in ACTS.items() if act.offered(user, q)]
    if bound_slug and bound_slug not in offered:
        offered.insert(0, bound_slug)
    acts = []
    for slug in offered:
        act = ACTS[slug]
        form = bound if slug == bound_slug and bound is not None else None
        form = form or act.form(initial=_initial(slug, q), prefix=slug)
        acts.append({"slug": slug, "label": act.label, "form": form, "url": _act_url(slug, q)})
    found = privacy.scan(q) if q.state == QuestionState.REVIEW else []
    context: dict[str, Any] = {
        "q": q,
        "today": today,
        **_clock(q, today),
        "events": q.events.select_related("actor", "from_unit", "to_unit"),
        "acts": {a["slug"]: a for a in acts},
        "office": is_office(user),
        # The asker's name and contact: for the office and the unit that replies, not evaluators.
        "show_contact": is_office(user) or (q.unit_id is not None and q.unit_id in user.unit_ids()),
        "privacy_hits": found,
        "privacy_blocks": bool(found) and q.agree_publish and not q.privacy_override_reason,
        "public_url": reverse("hdjl:detail", args=[q.pk])
        if q.state == QuestionState.PUBLISHED
        else "",
    }
    return render(request, "interact/detail.html", context, status=status)


def _act_url(slug: str, q: Question) -> str:
    return reverse(f"interact:act-{slug}", args=[q.pk])


@require_GET
@login_required
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_question_for_user(request.user, pk))


@require_POST
@login_required
def question_act(request: HttpRequest, pk: int, act: str) -> HttpResponse:
    spec = ACTS[act]
    q = get_question_for_user(request.user, pk, write=not spec.office_only)
    if spec.office_only:
        require_office(request.user)
    form = spec.form(request.POST, prefix=act)
    if not form.is_valid():
        return _detail(request, q, bound=form, bound_slug=act, status=400)
    try:
        done = spec.run(request.user, q, form.cleaned_data)
    except actions.ReviewConflict as exc:
        messages.error(request, str(exc))
        q = get_question_for_user(request.user, pk)
        return _detail(request, q, bound=form, bound_slug=act, status=409)
    except actions.QuestionRejected as exc:
        form.add_error(None, str(exc))
        q = get_question_for_user(request.user, pk)
        return _detail(request, q, bound=form, bound_slug=act, status=400)
    messages.success(request, done)
    return redirect("interact:detail", pk=pk)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", question_list, name="list"),
    path("<int:pk>/", question_detail, name="detail"),
    *[path(f"<int:pk>/{slug}/", question_act, {"act": slug}, name=f"act-{slug}") for slug in ACTS],
]
