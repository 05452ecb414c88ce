"""Questions in the daily digests beyond the story: a transferred question is told to its new
unit afresh, a question of the office's own unit is listed once in the office's digest, units
without reminder settings hear nothing, and the demo loads questions in every state."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db.models import Count

from gongkai.interact import actions
from gongkai.interact.actions import AskInput
from gongkai.interact.demo import load_demo
from gongkai.interact.models import Question, QuestionState
from gongkai.units.models import Unit
from gongkai.work.models import NotifySettings, Reminder
from gongkai.work.reminders import build_digests
from tests.conftest import Cast
from tests.test_interact import D, at

pytestmark = pytest.mark.django_db


def asked(cast: Cast, unit: Unit | None = None) -> Question:
    question, _ = actions.ask(AskInput(contact="13800001111", title="咨询", body="内容"))
    if unit is not None:
        question = actions.route(cast.office, question, unit)
    return question


def digest_keys(unit: Unit, day: str) -> dict[str, list[str]]:
    reminder = Reminder.objects.filter(unit=unit, day=D(day)).first()
    if reminder is None:
        return {}
    return {k: [i["tracking_no"] for i in v] for k, v in reminder.payload.items()}


def test_a_transferred_question_is_told_to_its_new_unit(cast: Cast) -> None:
    for unit in (cast.justice, cast.finance):
        NotifySettings.objects.create(unit=unit, emails="x@example.cn", days_before=1)
    with at("2026-03-02"):
        question = asked(cast, cast.justice)  # due 2026-03-09
    with at("2026-03-10", 9):
        build_digests(D("2026-03-10"))
    assert digest_keys(cast.justice, "2026-03-10") == {"questions_overdue": [question.tracking_no]}
    with at("2026-03-10", 11):
        actions.transfer(cast.office, question, cast.finance, reason="属财政局职责")
    with at("2026-03-11", 9):
        build_digests(D("2026-03-11"))
    assert digest_keys(cast.finance, "2026-03-11") == {"questions_overdue": [question.tracking_no]}
    assert digest_keys(cast.justice, "2026-03-11") == {}


def test_the_offices_own_question_is_listed_once(cast: Cast) -> None:
    NotifySettings.objects.create(unit=cast.gov, emails="office@example.cn", days_before=1)
    with at("2026-03-02"):
        own = asked(cast, cast.gov)
        other = asked(cast, cast.justice)
        unrouted = asked(cast)
    with at("2026-03-10", 9):
        build_digests(D("2026-03-10"))
    keys = digest_keys(cast.gov, "2026-03-10")
    assert keys == {
        "questions_overdue": [own.tracking_no],
        "questions_office_overdue": sorted([other.tracking_no, unrouted.tracking_no]),
    }
    for q in (own, other, unrouted):
        q.refresh_from_db()
        assert q.overdue_alerted_on == D("2026-03-10")
    with at("2026-03-11", 9):
        assert build_digests(D("2026-03-11")) == 0  # each told once


def test_units_without_reminder_settings_hear_nothing(cast: Cast) -> None:
    with at("2026-03-02"):
        asked(cast, cast.justice)
    with at("2026-03-10", 9):
        assert build_digests(D("2026-03-10")) == 0
    assert Reminder.objects.count() == 0 and mail.outbox == []


def test_the_demo_loads_questions_in_every_state_once() -> None:
    now = dt.datetime(2026, 11, 20, 17, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(now, tick=False):
        call_command("demo", verbosity=0)
        load_demo(now.date())
        made = Question.objects.count()
        load_demo(now.date())
    assert Question.objects.count() == made >= 12
    states = dict(Question.objects.values_list("state").annotate(n=Count("id")))
    assert set(states) == set(QuestionState.values)
    assert Question.objects.filter(alarm60_sent_at__isnull=False).count() == 1
    assert Question.objects.overdue(now.date()).exists()
    assert Question.objects.exclude(unit=None).values("unit").distinct().count() == 3
