"""Evidence links checked against pages served on loopback: ok, dead, changed, refused; the
weekly re-check; re-checking one link from the checkpoint page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.work import linkcheck
from gongkai.work.actions import ReportInput, submit_report
from gongkai.work.linkcheck import check_link, check_links, recheck_due_links
from gongkai.work.models import Checkpoint, Evidence, EvidenceKind, LinkState, Progress, Report
from tests.conftest import Cast, client_for, csrf_post
from tests.test_net_fetch import PageServer
from tests.work_factories import TaskSpec, checkpoints_of, make_plan, year_end

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def server(settings: Any) -> Iterator[PageServer]:
    settings.FETCH_ALLOW_PRIVATE = True  # the "published pages" are on this loopback server
    s = PageServer()
    yield s
    s.close()


def notice(title: str, visits: int = 1) -> str:
    return (
        f"<html><head><title>{title}</title><script>var t={visits * 7};</script></head>"
        f"<body><h1>{title}</h1><p>正文</p><span>访问次数：{visits}</span></body></html>"
    )


@pytest.fixture
def checkpoint(cast: Cast) -> Checkpoint:
    plan = make_plan([TaskSpec("公开行政执法统计年报", [cast.justice], rules=[year_end()])])
    return checkpoints_of(plan, cast.justice)[0]


def link(checkpoint: Checkpoint, url: str) -> Evidence:
    report = Report.objects.create(checkpoint=checkpoint, status=Progress.IN_PROGRESS)
    return Evidence.objects.create(
        report=report, kind=EvidenceKind.URL, url=url, link_state=LinkState.PENDING
    )


def events(evidence: Evidence) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Evidence), object_id=str(evidence.pk)
        ).order_by("pk")
    )


def test_good_page_is_ok_and_becomes_the_reference(
    server: PageServer, checkpoint: Checkpoint
) -> None:
    final = server.page("/2026/notice.html", notice("关于公开执法统计年报的通知"))
    server.redirect("/short", "/2026/notice.html")
    evidence = link(checkpoint, server.base + "/short")
    with time_machine.travel(MONDAY, tick=False):
        check_links([evidence.pk])
    evidence.refresh_from_db()
    assert evidence.link_state == LinkState.OK
    assert evidence.http_status == 200
    assert evidence.final_url == final
    assert evidence.title == evidence.first_title == "关于公开执法统计年报的通知"
    assert evidence.content_hash == evidence.first_hash and len(evidence.first_hash) == 64
    assert evidence.check_error == ""
    assert evidence.fetched_at == MONDAY
    assert evidence.next_check_at == MONDAY + dt.timedelta(days=7)
    (event,) = events(evidence)
    assert event.actor is None
    assert event.changes == {"link_state": [LinkState.PENDING, LinkState.OK]}
    assert event.unit_id == checkpoint.unit_id


def test_missing_page_is_dead(server: PageServer, checkpoint: Checkpoint) -> None:
    evidence = link(checkpoint, server.base + "/gone.html")
    check_links([evidence.pk])
    evidence.refresh_from_db()
    assert evidence.link_state == LinkState.DEAD
    assert evidence.http_status == 404
    assert evidence.check_error == "网页返回 HTTP 404"
    assert evidence.first_hash == ""  # no good fetch yet
    assert evidence.flagged


def test_unreachable_site_is_dead_without_raising(
    server: PageServer, checkpoint: Checkpoint
) -> None:
    port = server.httpd.server_address[1]
    server.close()
    bad = [
        link(checkpoint, f"http://127.0.0.1:{port}/"),
        link(checkpoint, "http://[::1/broken"),
        link(checkpoint, "http://127.0.0.1:99999/"),
    ]
    check_links([e.pk for e in bad] + [999_999])  # a deleted row is skipped quietly
    for evidence in bad:
        evidence.refresh_from_db()
        assert evidence.link_state == LinkState.DEAD
        assert evidence.http_status is None
        assert evidence.check_error
        assert evidence.next_check_at is not None


def test_new_title_is_changed_but_a_new_counter_is_not(
    server: PageServer, checkpoint: Checkpoint
) -> None:
    url = server.page("/n.html", notice("关于公开执法统计年报的通知", visits=1))
    evidence = link(checkpoint, url)
    check_link(evidence.pk)
    server.page("/n.html", notice("  关于公开执法统计年报的通知 ", visits=982))
    check_link(evidence.pk)
    evidence.refresh_from_db()
    assert evidence.link_state == LinkState.OK
    assert evidence.content_hash != evidence.first_hash  # recorded, not flagged
    server.page("/n.html", notice("页面不存在"))
    check_link(evidence.pk)
    evidence.refresh_from_db()
    assert evidence.link_state == LinkState.CHANGED
    assert (evidence.first_title, evidence.title) == ("关于公开执法统计年报的通知", "页面不存在")
    assert evidence.flagged
    # Only changes of state are audited: pending → ok → changed.
    assert [e.changes["link_state"] for e in events(evidence)] == [
        [LinkState.PENDING, LinkState.OK],
        [LinkState.OK, LinkState.CHANGED],
    ]


def test_scripts_do_not_move_the_content_hash(server: PageServer, checkpoint: Checkpoint) -> None:
    url = server.page("/p.html", "<title>通知</title><script>var nonce=1</script><p>正文</p>")
    evidence = link(checkpoint, url)
    check_link(evidence.pk)
    server.page("/p.html", "<title>通知</title><script>var nonce=2</script><p>正文</p>")
    check_link(evidence.pk)
    evidence.refresh_from_db()
    assert evidence.content_hash == evidence.first_hash


def test_private_address_is_refused_when_not_allowed(
    server: PageServer, checkpoint: Checkpoint, settings: Any
) -> None:
    url = server.page("/intranet.html", notice("内网页面"))
    settings.FETCH_ALLOW_PRIVATE = False
    evidence = link(checkpoint, url)
    check_link(evidence.pk)
    evidence.refresh_from_db()
    assert evidence.link_state == LinkState.REFUSED
    assert "不允许访问内网或本机地址" in evidence.check_error
    assert server.requests == []


def test_a_dead_link_that_comes_back_is_ok_again(
    server: PageServer, checkpoint: Checkpoint
) -> None:
    evidence = link(checkpoint, server.base + "/later.html")
    check_link(evidence.pk)
    server.page("/later.html", notice("迟到的通知"))
    check_link(evidence.pk)
    evidence.refresh_from_db()
    assert (evidence.link_state, evidence.first_title, evidence.check_error) == (
        LinkState.OK,
        "迟到的通知",
        "",
    )


# -- the weekly re-check ---------------------------------------------------------------------


def test_links_are_checked_again_weekly_while_the_checkpoint_stands(
    server: PageServer, cast: Cast
) -> None:
    plan = make_plan(
        [
            TaskSpec("公开行政执法统计年报", [cast.justice], rules=[year_end()]),
            TaskSpec("公开政府采购信息", [cast.finance], rules=[year_end()]),
        ]
    )
    standing = checkpoints_of(plan, cast.justice)[0]
    cancelled = checkpoints_of(plan, cast.finance)[0]
    url = server.page("/a.html", notice("通知"))
    kept, dropped = link(standing, url), link(cancelled, url)
    with time_machine.travel(MONDAY, tick=False):
        check_links([kept.pk, dropped.pk])
    Checkpoint.objects.filter(pk=cancelled.pk).update(cancelled=True)
    server.requests.clear()

    with time_machine.travel(MONDAY + dt.timedelta(days=6, hours=23), tick=False):
        assert recheck_due_links() == 0
    assert server.requests == []

    week = MONDAY + dt.timedelta(days=7)
    with time_machine.travel(week, tick=False):
        assert recheck_due_links() == 1
        assert recheck_due_links() == 0  # nothing is due twice
    assert len(server.requests) == 1
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert kept.fetched_at == week
    assert kept.next_check_at == week + dt.timedelta(days=7)
    assert dropped.fetched_at == MONDAY


def test_links_never_checked_are_picked_up_an_hour_later(
    server: PageServer, checkpoint: Checkpoint
) -> None:
    url = server.page("/lost.html", notice("通知"))
    with time_machine.travel(MONDAY, tick=False):
        evidence = link(checkpoint, url)  # its queued check was lost
        assert recheck_due_links() == 0
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        assert recheck_due_links() == 1
    evidence.refresh_from_db()
    assert evidence.link_state == LinkState.OK


def test_recheck_works_through_batches(
    server: PageServer, checkpoint: Checkpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(linkcheck, "BATCH", 2)
    url = server.page("/b.html", notice("通知"))
    with time_machine.travel(MONDAY, tick=False):
        rows = [link(checkpoint, url) for _ in range(5)]
        Evidence.objects.update(next_check_at=MONDAY)
        assert recheck_due_links() == 5
    assert all(Evidence.objects.get(pk=e.pk).link_state == LinkState.OK for e in rows)


def test_a_link_claimed_by_another_worker_is_left_alone(
    server: PageServer, checkpoint: Checkpoint
) -> None:
    url = server.page("/c.html", notice("通知"))
    with time_machine.travel(MONDAY, tick=False):
        evidence = link(checkpoint, url)
        Evidence.objects.filter(pk=evidence.pk).update(next_check_at=MONDAY)
        assert linkcheck._claim(evidence.pk, MONDAY, MONDAY)  # the other worker
        assert recheck_due_links() == 0
    assert server.requests == []


def test_submitted_links_are_checked_after_commit(
    server: PageServer, checkpoint: Checkpoint, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    url = server.page("/report.html", notice("执法统计年报"))
    with django_capture_on_commit_callbacks(execute=True):
        report = submit_report(
            cast.justice_liaison,
            checkpoint,
            ReportInput(status=Progress.IN_PROGRESS, text="已公开", urls=[url]),
        )
    evidence = report.evidence.get()
    assert (evidence.link_state, evidence.title) == (LinkState.OK, "执法统计年报")


# -- re-checking one link now -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["office", "justice_liaison"])
def test_office_or_the_units_liaison_can_recheck_a_link(
    server: PageServer, checkpoint: Checkpoint, cast: Cast, who: str
) -> None:
    evidence = link(checkpoint, server.base + "/r.html")
    client = client_for(getattr(cast, who))
    response = csrf_post(client, reverse("work:evidence_recheck", args=[evidence.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("work:checkpoint", args=[checkpoint.pk])
    evidence.refresh_from_db()
    assert evidence.link_state == LinkState.DEAD
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("who", "status"), [("finance_liaison", 404), ("evaluator", 403), ("justice_leader", 403)]
)
def test_others_cannot_recheck_a_link(
    server: PageServer, checkpoint: Checkpoint, cast: Cast, who: str, status: int
) -> None:
    evidence = link(checkpoint, server.page("/r.html", notice("通知")))
    client = client_for(getattr(cast, who))
    response = csrf_post(client, reverse("work:evidence_recheck", args=[evidence.pk]))
    assert response.status_code == status
    assert server.requests == []
    evidence.refresh_from_db()
    assert evidence.link_state == LinkState.PENDING


def test_recheck_needs_a_post(server: PageServer, checkpoint: Checkpoint, cast: Cast) -> None:
    evidence = link(checkpoint, server.page("/r.html", notice("通知")))
    url = reverse("work:evidence_recheck", args=[evidence.pk])
    assert client_for(cast.office).get(url).status_code == 405
