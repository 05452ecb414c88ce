"""Inspection tickets in the daily digests: the unit hears of a new ticket once and of an
overdue one once more; the office hears of every unit's overdue tickets once; a reopened ticket
is a new episode, told afresh."""

from __future__ import annotations

from django.core import mail

from gongkai.inspection.models import InspectedSite, Ticket, TicketStatus
from gongkai.units.models import Unit
from gongkai.work.models import NotifySettings, Reminder
from gongkai.work.reminders import build_digests, run_reminders
from tests.conftest import Cast, client_for
from tests.test_inspection_evidence import LEAK, _record
from tests.test_inspection_story import HOME, crawler, result  # noqa: F401  # the fixture
from tests.test_interact import D, at


def _keys(unit: Unit, day: str) -> dict[str, list[int]]:
    reminder = Reminder.objects.filter(unit=unit, day=D(day)).first()
    if reminder is None:
        return {}
    return {
        k: [i["id"] for i in v] for k, v in reminder.payload.items() if k.startswith("inspection")
    }


def _site(cast: Cast) -> InspectedSite:
    return InspectedSite.objects.create(
        name="区司法局网站", base_url=HOME, unit=cast.justice, max_pages=100
    )


def _settings(*units: Unit) -> None:
    for unit in units:
        NotifySettings.objects.create(unit=unit, emails=f"u{unit.pk}@example.cn", days_before=1)


def test_a_unit_hears_of_a_new_ticket_then_once_when_it_is_overdue(cast: Cast) -> None:
    _settings(cast.justice, cast.gov)
    site = _site(cast)
    with at("2026-03-02", 10):
        _record(site, result([LEAK]))
    ticket = Ticket.objects.get()
    assert ticket.due_on == D("2026-03-09")

    with at("2026-03-03", 9):
        build_digests(D("2026-03-03"))
    assert _keys(cast.justice, "2026-03-03") == {"inspection_tickets_new": [ticket.pk]}
    assert _keys(cast.gov, "2026-03-03") == {}  # not overdue: nothing for the office yet
    with at("2026-03-04", 9):
        build_digests(D("2026-03-04"))
    assert _keys(cast.justice, "2026-03-04") == {}  # told once

    with at("2026-03-10", 9):
        build_digests(D("2026-03-10"))
    assert _keys(cast.justice, "2026-03-10") == {"inspection_tickets_overdue": [ticket.pk]}
    assert _keys(cast.gov, "2026-03-10") == {"inspection_tickets_office_overdue": [ticket.pk]}
    with at("2026-03-11", 9):
        assert build_digests(D("2026-03-11")) == 0


def test_the_digest_mail_names_the_site_the_problem_and_the_due_date(cast: Cast) -> None:
    _settings(cast.justice)
    site = _site(cast)
    with at("2026-03-02", 10):
        _record(site, result([LEAK]))
    with at("2026-03-03", 9):
        run_reminders()
    [message] = [m for m in mail.outbox if "u" + str(cast.justice.pk) + "@" in m.to[0]]
    assert "新派整改工单1件" in message.subject
    assert "区司法局网站：" in message.body
    assert "整改期限 2026-03-09" in message.body
    assert f"/inspection/tickets/{Ticket.objects.get().pk}/" in message.body


def test_a_reopened_ticket_is_told_again(cast: Cast) -> None:
    _settings(cast.justice)
    site = _site(cast)
    with at("2026-03-02", 10):
        _record(site, result([LEAK]))
    with at("2026-03-03", 9):
        build_digests(D("2026-03-03"))
    with at("2026-03-04", 10):
        _record(site, result([]))  # fixed: the page was read and the leak is gone
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.FIXED
    with at("2026-03-05", 10):
        _record(site, result([LEAK]))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REOPENED
    assert ticket.notified_on is None
    with at("2026-03-06", 9):
        build_digests(D("2026-03-06"))
    assert _keys(cast.justice, "2026-03-06") == {"inspection_tickets_new": [ticket.pk]}


def test_dismissed_tickets_are_not_told(cast: Cast) -> None:
    _settings(cast.justice)
    site = _site(cast)
    with at("2026-03-02", 10):
        _record(site, result([LEAK]))
    Ticket.objects.update(status=TicketStatus.DISMISSED)
    with at("2026-03-10", 9):
        build_digests(D("2026-03-10"))
    assert _keys(cast.justice, "2026-03-10") == {}


def test_the_reminders_page_says_what_each_digest_holds(cast: Cast) -> None:
    _settings(cast.justice)
    site = _site(cast)
    with at("2026-03-02", 10):
        _record(site, result([LEAK]))
    with at("2026-03-03", 9):
        build_digests(D("2026-03-03"))
        html = client_for(cast.office).get("/work/reminders/").content.decode()
    assert "<td>新派整改工单1件</td>" in html
