"""`gongkai demo` loads demo requests in every state, through the actions, once."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count

from gongkai.audit.models import AuditEvent
from gongkai.demo.requests import load_demo_requests
from gongkai.disclosure.duplicates import similar_requests
from gongkai.disclosure.models import Appeal, Outcome, Request, RequestState

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 11, 21, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def test_the_demo_loads_requests_in_every_state_once() -> None:
    out = StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("demo", stdout=out)
        assert load_demo_requests() == {"requests": 0}  # loaded already: nothing more
    made = Request.objects.count()
    assert f"{made} 件政府信息公开申请" in out.getvalue()

    states = dict(Request.objects.values_list("state").annotate(n=Count("id")))
    assert set(states) == set(RequestState.values) - {RequestState.AWAITING_FEE}
    closed = Request.objects.filter(state=RequestState.CLOSED)
    assert {Outcome.GRANTED, Outcome.PARTIAL, Outcome.NOT_HELD, Outcome.NO_CORRECTION} <= set(
        closed.values_list("outcome", flat=True)
    )
    years = {r.arrived_on.year for r in Request.objects.all()}
    assert years == {2025, 2026}
    assert Request.objects.overdue(TODAY.date()).count() == 1
    assert Appeal.objects.filter(request__state=RequestState.CLOSED).count() == 1
    # Written through the actions: every request has its audit trail and its clock.
    assert AuditEvent.objects.filter(comment="登记申请").count() == made
    assert not Request.objects.filter(state=RequestState.IN_PROGRESS, deadline=None).exists()
    again = Request.objects.get(description__startswith="2025年本区老旧小区改造项目资金")
    assert [c.request.state for c in similar_requests(again)] == [RequestState.CLOSED]
