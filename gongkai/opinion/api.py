"""政务舆情 over JSON (mounted at /api/opinion): the events with filters, one event with its
clocks and responses, registering an event and recording a response.

It is for 舆情监测 services that find events around the clock and push them in at once, since
the 5-hour clock of a serious event runs from detection, not from when a clerk next looks.
Writes go through gongkai.opinion.actions with the pages' access rules and the pages' forms, so
a refusal here is the refusal the page gives. Times are ISO 8601 with an offset: a time without
one is refused rather than guessed, because a monitoring service may run in any zone.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pydantic
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.forms import Form
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongkai.opinion import actions
from gongkai.opinion.access import events_for_user, get_event_for_user, may_register
from gongkai.opinion.display import next_clock, stage_status
from gongkai.opinion.forms import EventForm, ResponseForm
from gongkai.opinion.models import Event, EventState, Level, Stage
from gongkai.units.models import Unit

router = Router()

MAX_PAGE = 500
#: Past this, no page has rows; a bigger number would overflow the database's integer.
MAX_OFFSET = 10**9
AWARE_EXAMPLE = "2026-03-05T10:30:00+08:00"


class StageOut(Schema):
    kind: str
    label: str
    hours: int
    half_at: dt.datetime
    deadline: dt.datetime
    met_at: dt.datetime | None
    late: bool
    status: str
    half_alert_sent_at: dt.datetime | None
    due_alert_sent_at: dt.datetime | None


class ResponseOut(Schema):
    id: int
    kind: str
    at: dt.datetime
    channel: str
    url: str
    note: str
    recorded_by: str
    recorded_at: dt.datetime


class EventOut(Schema):
    id: int
    unit_id: int
    unit: str
    title: str
    level: str
    state: str
    source: str
    url: str
    detected_at: dt.datetime
    created_at: dt.datetime
    closed_at: dt.datetime | None
    next_deadline: dt.datetime | None
    overdue: bool


class EventDetailOut(EventOut):
    summary: str
    links: list[str]
    created_by: str
    close_note: str
    stages: list[StageOut]
    responses: list[ResponseOut]


class EventPage(Schema):
    count: int
    offset: int
    items: list[EventOut]


class EventIn(Schema):
    unit_id: int
    title: str
    level: str
    # Text, checked here and by the page's form, so a bad time is a 400 in Chinese.
    detected_at: str
    source: str
    url: str = ""
    summary: str = ""
    links: list[str] = []


class ResponseIn(Schema):
    kind: str
    at: str
    channel: str
    url: str = ""
    note: str = ""


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment is not None else None


def _half_alert_sent(stage: Stage) -> dt.datetime | None:
    # The deadline alert stamps half_alerted_at too, with its own time, when the half-time one
    # never went out (it would come after the deadline's); that stamp is no alert sent.
    if stage.half_alerted_at is None or stage.half_alerted_at == stage.due_alerted_at:
        return None
    return _local(stage.half_alerted_at)


def _stage(stage: Stage, now: dt.datetime) -> dict[str, Any]:
    return {
        "kind": stage.kind,
        "label": stage.label,
        "hours": stage.hours,
        "half_at": _local(stage.half_at),
        "deadline": _local(stage.deadline),
        "met_at": _local(stage.met_at),
        "late": stage.is_late(now),
        "status": stage_status(stage, now)[0],
        "half_alert_sent_at": _half_alert_sent(stage),
        "due_alert_sent_at": _local(stage.due_alerted_at),
    }


def _row(event: Event, stages: list[Stage], now: dt.datetime) -> dict[str, Any]:
    clock = next_clock(stages, now) if event.is_open else None
    return {
        "id": event.pk,
        "unit_id": event.unit_id,
        "unit": event.unit.name,
        "title": event.title,
        "level": event.level,
        "state": event.state,
        "source": event.source,
        "url": event.url,
        "detected_at": _local(event.detected_at),
        "created_at": _local(event.created_at),
        "closed_at": _local(event.closed_at),
        "next_deadline": _local(clock.stage.deadline) if clock else None,
        "overdue": bool(clock and clock.overdue),
    }


def _detail(event: Event) -> dict[str, Any]:
    now = timezone.now()
    stages = list(event.stages.required())
    responses = event.responses.select_related("recorded_by")
    return _row(event, stages, now) | {
        "summary": event.summary,
        "links": event.link_list(),
        "created_by": event.created_by.get_username() if event.created_by else "",
        "close_note": event.close_note,
        "stages": [_stage(s, now) for s in stages],
        "responses": [
            {
                "id": r.pk,
                "kind": r.kind,
                "at": _local(r.at),
                "channel": r.channel,
                "url": r.url,
                "note": r.note,
                "recorded_by": r.recorded_by.get_username() if r.recorded_by else "",
                "recorded_at": _local(r.recorded_at),
            }
            for r in responses
        ],
    }


def _event(user: Any, event_id: int, *, write: bool = False) -> Event:
    """The event through the pages' access helper, its refusals as the API's (in Chinese)."""
    try:
        return get_event_for_user(user, event_id, write=write)
    except Http404:
        raise HttpError(404, "没有找到该舆情") from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "没有权限") from None


def _aware(value: str, label: str) -> dt.datetime:
    try:
        moment = parse_datetime(value.strip())
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise HttpError(400, f"{label}应为带时区的 ISO 8601 时间，例如 {AWARE_EXAMPLE}（北京时间）")
    return moment


def _since(value: str) -> dt.datetime:
    """A time with an offset, or a date (from its start in the office's zone)."""
    day = parse_date(value.strip()) if len(value.strip()) == 10 else None
    if day is not None:
        return timezone.make_aware(dt.datetime.combine(day, dt.time()))
    return _aware(value, "since")


def _form_errors(form: Form) -> HttpError:
    parts = [
        str(e) if name == "__all__" else f"{form.fields[name].label}：{e}"
        for name, errors in form.errors.items()
        for e in errors
    ]
    return HttpError(400, "；".join(parts))


def _rejected(exc: Exception) -> HttpError:
    if isinstance(exc, PermissionDenied):
        return HttpError(403, str(exc) or "没有权限")
    return HttpError(400, str(exc))


def _response_input(request: HttpRequest) -> ResponseIn:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, "请求体应为 JSON 对象") from None
    if not isinstance(data, dict):
        raise HttpError(400, "请求体应为 JSON 对象")
    try:
        return ResponseIn.model_validate(data)
    except pydantic.ValidationError as exc:
        fields = dict.fromkeys(".".join(map(str, e["loc"])) or "请求体" for e in exc.errors())
        raise HttpError(400, "请求数据格式有误：" + "、".join(fields)) from None


@router.get(
    "/events",
    response=EventPage,
    summary="政务舆情（联络员、领导只看本单位的）；筛选：state、unit、level、since（发现时间起）",
    description=(
        "state：open（处置中）或 closed（已办结）；unit：单位 id；level：serious 或 other；"
        f"since：带时区的时间（如 {AWARE_EXAMPLE}）或日期，只列此后发现的。按发现时间倒序。"
    ),
)
def list_events(
    request: HttpRequest,
    state: str = "",
    unit: int | None = None,
    level: str = "",
    since: str = "",
    offset: int = 0,
    limit: int = 100,
) -> dict[str, Any]:
    qs = events_for_user(request.user)
    errors = []
    if state:
        if state in EventState.values:
            qs = qs.filter(state=state)
        else:
            errors.append(f"未知的状态“{state[:40]}”，可用：{'、'.join(EventState.values)}")
    if level:
        if level in Level.values:
            qs = qs.filter(level=level)
        else:
            errors.append(f"未知的舆情级别“{level[:40]}”，可用：{'、'.join(Level.values)}")
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if since:
        try:
            qs = qs.filter(detected_at__gte=_since(since))
        except HttpError as exc:
            errors.append(str(exc))
    if errors:
        raise HttpError(400, "；".join(errors))
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, min(offset, MAX_OFFSET))
    qs = qs.select_related("unit").order_by("-detected_at", "-pk")
    page = qs.prefetch_related(Prefetch("stages", queryset=Stage.objects.required()))
    now = timezone.now()
    rows = [_row(e, list(e.stages.all()), now) for e in page[offset : offset + limit]]
    return {"count": qs.count(), "offset": offset, "items": rows}


@router.get(
    "/events/{int:event_id}",
    response=EventDetailOut,
    summary="一件舆情：各环节的时限、半程时间、完成时间、是否逾期、已发提醒，及已登记的回应",
)
def get_event(request: HttpRequest, event_id: int) -> dict[str, Any]:
    return _detail(_event(request.user, event_id))


@router.post(
    "/events",
    response={201: EventDetailOut},
    summary="登记舆情并开始计时（联络员只能登记本单位的，公开办可登记任何单位的）",
    description=(
        f"detected_at 为带时区的 ISO 8601 时间（如 {AWARE_EXAMPLE}），不能晚于当前时间，"
        "也不能早于去年1月1日；level 为 serious（特别重大、重大突发事件：5小时内发布权威信息、"
        "24小时内举行新闻发布会）或 other（48小时内予以回应）；links 为相关网址的列表。"
    ),
)
def register(request: HttpRequest, payload: EventIn) -> Status[dict[str, Any]]:
    if not may_register(request.user):
        raise HttpError(403, "只有公开办和单位联络员可以登记舆情")
    _aware(payload.detected_at, "发现时间")
    data = payload.dict()
    data["unit"] = data.pop("unit_id")
    data["links"] = "\n".join(str(line) for line in payload.links)
    # Any active unit: whether this user may register for it is the action's rule (a 403 that
    # says so), not a choice missing from a list.
    form = EventForm(data, units=Unit.objects.active())
    if not form.is_valid():
        raise _form_errors(form)
    try:
        event = actions.register_event(request.user, form.to_input())
    except (actions.OpinionRejected, PermissionDenied) as exc:
        raise _rejected(exc) from exc
    return Status(201, _detail(_event(request.user, event.pk)))


@router.post(
    "/events/{int:event_id}/responses",
    response={201: EventDetailOut},
    summary="登记一次回应（责任单位联络员或公开办）；返回舆情及各环节的完成情况",
    description=(
        "kind 为 authoritative（发布权威信息）、press（举行新闻发布会）或 response（回应）；"
        f"at 为带时区的 ISO 8601 时间（如 {AWARE_EXAMPLE}），不能早于发现时间、不能晚于当前时间。"
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ResponseIn.model_json_schema()}},
        }
    },
)
def respond(request: HttpRequest, event_id: int) -> Status[dict[str, Any]]:
    # The body is read after the access check: another unit's event is a 404 whatever was sent.
    event = _event(request.user, event_id, write=True)
    payload = _response_input(request)
    _aware(payload.at, "回应时间")
    form = ResponseForm(payload.dict())
    if not form.is_valid():
        raise _form_errors(form)
    try:
        actions.record_response(request.user, event, form.to_input())
    except (actions.OpinionRejected, PermissionDenied) as exc:
        raise _rejected(exc) from exc
    return Status(201, _detail(_event(request.user, event.pk)))
