"""The work pages over HTTP (gongkai/work/views/mywork.py): a liaison's list, a checkpoint, a
progress report, the office's review (with two reviewers at once), the review queue and the
office's assignment edits. The clock stands at 2026-11-21 10:00 in Shanghai: the first three
quarters are past, the fourth and the year end are ahead."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.accounts.models import Role, User
from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.plans.models import Plan, Task
from gongkai.units.models import Unit
from gongkai.work import actions
from gongkai.work.models import (
    Assignment,
    Checkpoint,
    Evidence,
    EvidenceKind,
    Origin,
    Progress,
    Report,
    Review,
)
from tests.conftest import Cast, client_for, csrf_post
from tests.work_factories import TaskSpec, make_plan, quarterly, year_end

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 21, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
D = dt.date.fromisoformat

POLICY = "做好行政规范性文件的集中、规范公开工作。"
READING = "重要政策文件印发后做好政策解读。"
BUDGET = "及时公开财政预决算信息。"
PAGE = "https://www.zhangdian.gov.cn/art/2026/3/31/art_2243_1.html"


@pytest.fixture
def now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Work:
    """司法局: POLICY each quarter (主动公开) and READING by the year end (解读回应);
    财政局: BUDGET each quarter."""

    plan: Plan
    cast: Cast

    def cp(self, requirement: str, unit: Unit, key: str) -> Checkpoint:
        return Checkpoint.objects.get(task__requirement=requirement, unit=unit, key=key)

    def justice(self, key: str = "q2026-1", requirement: str = POLICY) -> Checkpoint:
        return self.cp(requirement, self.cast.justice, key)

    def finance(self, key: str = "q2026-1") -> Checkpoint:
        return self.cp(BUDGET, self.cast.finance, key)


def build_work(cast: Cast) -> Work:
    plan = make_plan(
        [
            TaskSpec(
                POLICY, units=[cast.justice], path=("主动公开", "政策文件"), rules=[quarterly()]
            ),
            TaskSpec(READING, units=[cast.justice], path=("解读回应",), rules=[year_end()]),
            TaskSpec(BUDGET, units=[cast.finance], path=("主动公开",), rules=[quarterly()]),
        ]
    )
    return Work(plan, cast)


@pytest.fixture
def work(cast: Cast, now: None) -> Work:
    return build_work(cast)


def rows(html: str) -> list[tuple[int, bool]]:
    """(checkpoint id, shown as overdue) for each row of the list, top to bottom."""
    found = re.findall(
        r'<tr( class="is-overdue")?>\s*<td>[\d-]+</td>\s*<td><a href="/work/checkpoints/(\d+)/"',
        html,
    )
    return [(int(pk), bool(overdue)) for overdue, pk in found]


def ids(html: str) -> list[int]:
    return [pk for pk, _ in rows(html)]


def get(client: Client, url: str, data: dict[str, Any] | None = None, status: int = 200) -> str:
    response = client.get(url, data or {})
    assert response.status_code == status, response.content.decode()[:2000]
    return str(response.content.decode())


def report(
    user: User, checkpoint: Checkpoint, status: str = Progress.DONE, text: str = "已公开"
) -> Report:
    return actions.submit_report(user, checkpoint, actions.ReportInput(status=status, text=text))


def accepted(cast: Cast, checkpoint: Checkpoint, liaison: User | None = None) -> Checkpoint:
    r = report(liaison or cast.justice_liaison, checkpoint)
    actions.review_report(cast.office, r, accept=True)
    checkpoint.refresh_from_db()
    return checkpoint


def second_office_user(cast: Cast) -> User:
    user = User.objects.create_user(username="office2", password="pw-office2", role=Role.OFFICE)
    user.units.set([cast.gov])
    return user


# -- the list ---------------------------------------------------------------------------------


def test_a_liaison_sees_its_units_open_checkpoints_by_due_date_overdue_first(work: Work) -> None:
    cast = work.cast
    done = accepted(cast, work.justice("q2026-1"))

    html = get(client_for(cast.justice_liaison), "/work/")

    assert "我的任务" in html
    expected = [
        work.justice("q2026-2").pk,
        work.justice("q2026-3").pk,
        work.justice("q2026-4").pk,
        work.justice("d2026-12-31", READING).pk,
    ]
    assert ids(html) == expected  # the accepted one is no longer owed; 财政局's are not shown
    assert [overdue for _, overdue in rows(html)] == [True, True, False, False]
    assert done.pk not in ids(html)
    assert BUDGET not in html
    assert "共 4 个节点" in html


def test_the_list_filters_by_category_status_and_state(work: Work) -> None:
    cast = work.cast
    client = client_for(cast.justice_liaison)
    q1, q2, q3, q4 = (work.justice(f"q2026-{q}") for q in range(1, 5))
    reading = work.justice("d2026-12-31", READING)
    accepted(cast, q1)
    report(cast.justice_liaison, q4, Progress.IN_PROGRESS, "正在整理")
    report(cast.justice_liaison, q3, Progress.DONE)  # finished, awaiting review: not late

    assert ids(get(client, "/work/", {"category": "解读回应"})) == [reading.pk]
    assert ids(get(client, "/work/", {"category": "主动公开"})) == [q2.pk, q3.pk, q4.pk]
    assert ids(get(client, "/work/", {"status": Progress.IN_PROGRESS})) == [q4.pk]
    assert ids(get(client, "/work/", {"state": "overdue"})) == [q2.pk]
    assert ids(get(client, "/work/", {"state": "finished"})) == [q1.pk, q3.pk]
    assert ids(get(client, "/work/", {"state": "all"})) == [q1.pk, q2.pk, q3.pk, q4.pk, reading.pk]
    assert ids(get(client, "/work/", {"review": Review.PENDING})) == [q3.pk]
    assert ids(get(client, "/work/", {"quarter": "4", "year": "2026"})) == [q4.pk, reading.pk]
    # Another unit's id in the filter shows nothing rather than that unit's work.
    assert ids(get(client, "/work/", {"unit": str(cast.finance.pk)})) == []


def test_a_filter_that_does_not_parse_is_ignored_and_said_so(work: Work) -> None:
    html = get(client_for(work.cast.justice_liaison), "/work/", {"quarter": "9", "due_to": "x"})
    assert "筛选条件“quarter”的值无效，已忽略" in html
    assert "日期“x”格式应为 YYYY-MM-DD，已忽略" in html
    assert len(ids(html)) == 5


def test_the_office_sees_every_units_checkpoints_and_can_pick_a_unit(work: Work) -> None:
    client = client_for(work.cast.office)
    html = get(client, "/work/")
    assert "任务落实" in html and len(ids(html)) == 9
    assert "区财政局" in html and "区司法局" in html
    only = get(client, "/work/", {"unit": str(work.cast.finance.pk)})
    assert ids(only) == [work.finance(f"q2026-{q}").pk for q in range(1, 5)]


def plan_of(cast: Cast, n: int) -> Plan:
    return make_plan(
        [
            TaskSpec(f"第{i}项任务：按时公开相关信息。", units=[cast.justice], rules=[year_end()])
            for i in range(n)
        ],
        name=f"清单{n}",
    )


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["justice_liaison", "office"])
def test_the_list_runs_the_same_number_of_queries_for_5_and_50_checkpoints(
    cast: Cast, now: None, who: str, django_assert_max_num_queries: Any
) -> None:
    client = client_for(getattr(cast, who))
    five = plan_of(cast, 5)
    small = count_queries(client, f"/work/?plan={five.pk}")
    fifty = plan_of(cast, 50)
    with django_assert_max_num_queries(small):
        html = client.get(f"/work/?plan={fifty.pk}").content.decode()
    assert len(ids(html)) == 50


# -- a checkpoint -----------------------------------------------------------------------------


def test_the_checkpoint_page_shows_the_task_and_the_report_form(work: Work) -> None:
    c = work.justice("q2026-4")
    html = get(client_for(work.cast.justice_liaison), f"/work/checkpoints/{c.pk}/")
    assert POLICY in html and "2026-12-31" in html and "第四季度" in html
    assert f'action="/work/checkpoints/{c.pk}/report/"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "尚未报送" in html


def test_a_due_date_moved_off_a_holiday_is_explained(cast: Cast, now: None) -> None:
    rule = {"kind": "by_date", "text": "10月1日前", "date": "2026-10-01"}
    make_plan([TaskSpec(POLICY, units=[cast.justice], rules=[rule])])
    c = Checkpoint.objects.get()
    assert c.due == D("2026-09-30")
    html = get(client_for(cast.justice_liaison), f"/work/checkpoints/{c.pk}/")
    assert "规定日期 2026-10-01 为休息日" in html


def test_a_standing_duty_says_what_it_is(cast: Cast, now: None) -> None:
    clock = {"kind": "within", "text": "3个工作日内", "amount": 3, "unit": "workday"}
    make_plan([TaskSpec(READING, units=[cast.justice], rules=[clock])])
    c = Checkpoint.objects.order_by("due").last()
    assert c is not None and c.standing
    html = get(client_for(cast.justice_liaison), f"/work/checkpoints/{c.pk}/")
    assert "常态化职责" in html and "3个工作日内" in html and "第四季度自查" in html


# -- reporting --------------------------------------------------------------------------------


def post_report(client: Client, c: Checkpoint, **data: Any) -> Any:
    return csrf_post(client, f"/work/checkpoints/{c.pk}/report/", data)


def test_a_progress_note_needs_no_review(work: Work) -> None:
    c = work.justice("q2026-4")
    client = client_for(work.cast.justice_liaison)
    response = post_report(client, c, status=Progress.IN_PROGRESS, text="已起草，待审定")
    assert response.status_code == 302 and response["Location"] == f"/work/checkpoints/{c.pk}/"

    r = Report.objects.get()
    assert (r.status, r.review, r.author, r.text) == (
        Progress.IN_PROGRESS,
        Review.NONE,
        work.cast.justice_liaison,
        "已起草，待审定",
    )
    c.refresh_from_db()
    assert (c.status, c.review, c.finished_on, c.latest_report) == (
        Progress.IN_PROGRESS,
        Review.NONE,
        None,
        r,
    )
    html = get(client, f"/work/checkpoints/{c.pk}/")
    assert "进展已报送" in html and "已起草，待审定" in html
    assert "等待公开办审核" not in html
    assert f'action="/work/checkpoints/{c.pk}/report/"' in html  # may report again
    assert AuditEvent.objects.for_object(r).filter(action=AuditAction.CREATE).exists()
    assert AuditEvent.objects.for_object(c).filter(action=AuditAction.CHANGE).exists()
    assert not Report.objects.filter(review=Review.PENDING).exists()
    assert "没有待审核的报送" in get(client_for(work.cast.office), "/work/reviews/")


def test_done_goes_to_the_offices_review(work: Work) -> None:
    c = work.justice("q2026-2")  # overdue
    client = client_for(work.cast.justice_liaison)
    response = post_report(client, c, status=Progress.DONE, text="已在专栏公开")
    assert response.status_code == 302

    c.refresh_from_db()
    assert (c.status, c.review, c.finished_on) == (Progress.DONE, Review.PENDING, TODAY)
    html = get(client, f"/work/checkpoints/{c.pk}/")
    assert "等待公开办审核" in html
    assert f'action="/work/checkpoints/{c.pk}/report/"' not in html  # no second report now
    assert c.pk not in ids(get(client, "/work/", {"state": "overdue"}))
    assert c.pk in ids(get(client, "/work/"))  # still owed until accepted

    again = post_report(client, c, status=Progress.DONE, text="再报一次")
    assert again.status_code == 400
    assert "正在审核" in again.content.decode()
    assert Report.objects.count() == 1


def test_not_applicable_needs_a_reason(work: Work) -> None:
    c = work.justice("q2026-4")
    client = client_for(work.cast.justice_liaison)
    response = post_report(client, c, status=Progress.NOT_APPLICABLE, na_reason="  ")
    assert response.status_code == 400
    assert "选择“不适用”时须说明理由" in response.content.decode()
    assert not Report.objects.exists()

    ok = post_report(client, c, status=Progress.NOT_APPLICABLE, na_reason="本单位未制发规范性文件")
    assert ok.status_code == 302
    r = Report.objects.get()
    assert r.na_reason == "本单位未制发规范性文件" and r.review == Review.PENDING


def test_done_without_any_word_or_evidence_is_refused(work: Work) -> None:
    response = post_report(
        client_for(work.cast.justice_liaison), work.justice("q2026-4"), status=Progress.DONE
    )
    assert response.status_code == 400
    assert "报送“已完成”时请填写进展情况或提供佐证材料" in response.content.decode()
    assert not Report.objects.exists()


def test_an_invalid_url_is_refused_and_nothing_is_written(work: Work) -> None:
    c = work.justice("q2026-4")
    client = client_for(work.cast.justice_liaison)
    events = AuditEvent.objects.count()
    response = post_report(
        client,
        c,
        status=Progress.DONE,
        text="已公开",
        urls=f"{PAGE}\nwww.zhangdian.gov.cn/没有协议",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "链接格式不正确：www.zhangdian.gov.cn/没有协议（须以 http:// 或 https:// 开头）" in html
    assert "已公开" in html  # the form keeps what was typed
    assert not Report.objects.exists() and not Evidence.objects.exists()
    c.refresh_from_db()
    assert (c.status, c.review) == (Progress.NOT_STARTED, Review.NONE)
    assert AuditEvent.objects.count() == events


def test_a_url_is_kept_as_evidence_awaiting_its_check(work: Work) -> None:
    c = work.justice("q2026-4")
    client = client_for(work.cast.justice_liaison)
    response = post_report(
        client, c, status=Progress.DONE, text="已公开", urls=f"{PAGE}\n\n {PAGE} \n"
    )
    assert response.status_code == 302
    (e,) = Evidence.objects.all()  # blank lines and repeats dropped
    assert (e.kind, e.url, e.report.checkpoint) == (EvidenceKind.URL, PAGE, c)
    assert PAGE in get(client, f"/work/checkpoints/{c.pk}/")


def test_a_cancelled_checkpoint_takes_no_report(work: Work) -> None:
    c = work.justice("q2026-4")
    actions.remove_assignment(work.cast.office, c.assignment, "职责调整")
    response = post_report(
        client_for(work.cast.justice_liaison), c, status=Progress.DONE, text="已公开"
    )
    assert response.status_code in (400, 403)
    assert not Report.objects.exists()


# -- review -----------------------------------------------------------------------------------


def review(client: Client, r: Report, decision: str, comment: str = "", **extra: Any) -> Any:
    return csrf_post(
        client, f"/work/reports/{r.pk}/review/", {"decision": decision, "comment": comment, **extra}
    )


def test_the_office_accepts_a_report(work: Work) -> None:
    c = work.justice("q2026-2")
    r = report(work.cast.justice_liaison, c)
    office = client_for(work.cast.office)
    assert f'action="/work/reports/{r.pk}/review/"' in get(office, f"/work/checkpoints/{c.pk}/")

    response = review(office, r, "accept")
    assert response.status_code == 302 and response["Location"] == f"/work/checkpoints/{c.pk}/"
    r.refresh_from_db()
    c.refresh_from_db()
    assert (r.review, r.reviewer, r.reviewed_at) == (Review.ACCEPTED, work.cast.office, NOW)
    assert (c.review, c.finished_on) == (Review.ACCEPTED, TODAY)
    event = AuditEvent.objects.for_object(r).filter(action=AuditAction.CHANGE).get()
    assert event.actor == work.cast.office and event.comment == "审核通过"
    assert AuditEvent.objects.for_object(c).filter(comment="审核通过").exists()
    liaison = client_for(work.cast.justice_liaison)
    assert c.pk not in ids(get(liaison, "/work/"))
    assert f'action="/work/checkpoints/{c.pk}/report/"' not in get(
        liaison, f"/work/checkpoints/{c.pk}/"
    )


def test_a_return_needs_a_comment_and_reopens_the_checkpoint(work: Work) -> None:
    cast = work.cast
    c = work.justice("q2026-2")
    r = report(cast.justice_liaison, c)
    office = client_for(cast.office)

    refused = review(office, r, "return", "   ")
    assert refused.status_code == 400
    assert "退回时请填写意见" in refused.content.decode()
    r.refresh_from_db()
    assert r.review == Review.PENDING

    assert review(office, r, "return", "请补充发布页面的链接").status_code == 302
    r.refresh_from_db()
    c.refresh_from_db()
    assert (r.review, r.review_comment) == (Review.RETURNED, "请补充发布页面的链接")
    assert (c.review, c.finished_on) == (Review.RETURNED, None)
    assert AuditEvent.objects.for_object(r).filter(comment="退回：请补充发布页面的链接").exists()

    liaison = client_for(cast.justice_liaison)
    assert c.pk in ids(get(liaison, "/work/", {"state": "overdue"}))  # late again
    html = get(liaison, f"/work/checkpoints/{c.pk}/")
    assert "上次报送被退回" in html and "请补充发布页面的链接" in html
    again = post_report(liaison, c, status=Progress.DONE, text="已补充", urls=PAGE)
    assert again.status_code == 302
    c.refresh_from_db()
    assert (c.review, c.finished_on) == (Review.PENDING, TODAY)
    assert c.latest_report is not None and c.latest_report.text == "已补充"


def test_two_reviewers_at_once_the_first_wins_and_the_second_keeps_their_comment(
    work: Work,
) -> None:
    cast = work.cast
    c = work.justice("q2026-2")
    r = report(cast.justice_liaison, c)
    first, second = client_for(cast.office), client_for(second_office_user(cast))
    for client in (first, second):  # both open the page while it still awaits review
        assert f'action="/work/reports/{r.pk}/review/"' in get(client, f"/work/checkpoints/{c.pk}/")

    assert review(first, r, "accept").status_code == 302
    conflict = review(second, r, "return", "请补充政策解读材料")

    assert conflict.status_code == 409
    html = conflict.content.decode()
    assert "该报送已由 office 于 2026-11-21 10:00" in html and "您的审核未保存" in html
    assert "请补充政策解读材料" in html  # the second reviewer's words are not lost
    r.refresh_from_db()
    c.refresh_from_db()
    assert (r.review, r.reviewer, r.review_comment) == (Review.ACCEPTED, cast.office, "")
    assert c.review == Review.ACCEPTED
    assert AuditEvent.objects.for_object(r).filter(action=AuditAction.CHANGE).count() == 1


def test_the_review_queue_lists_reports_awaiting_review(work: Work) -> None:
    cast = work.cast
    mine = report(cast.justice_liaison, work.justice("q2026-2"), text="司法局已完成")
    theirs = report(cast.finance_liaison, work.finance("q2026-3"), text="财政局已完成")
    report(cast.justice_liaison, work.justice("q2026-4"), Progress.IN_PROGRESS, "推进中的说明")
    office = client_for(cast.office)

    html = get(office, "/work/reviews/")
    assert html.index("司法局已完成") < html.index("财政局已完成")  # first come, first served
    assert "推进中的说明" not in html
    response = review(office, mine, "accept", next="queue")
    assert response.status_code == 302 and response["Location"] == "/work/reviews/"
    html = get(office, "/work/reviews/")
    assert "司法局已完成" not in html and f"/work/reports/{theirs.pk}/review/" in html


def test_the_review_queue_runs_the_same_number_of_queries_for_3_and_20_reports(
    cast: Cast, now: None, django_assert_max_num_queries: Any
) -> None:
    office = client_for(cast.office)

    def pending(n: int, name: str) -> None:
        make_plan(
            [
                TaskSpec(f"{name}第{i}项", units=[cast.justice], rules=[year_end()])
                for i in range(n)
            ],
            name=name,
        )
        for c in Checkpoint.objects.filter(plan__name=name):
            actions.submit_report(
                cast.justice_liaison,
                c,
                actions.ReportInput(status=Progress.DONE, text="已完成", urls=[PAGE]),
            )

    pending(3, "甲")
    small = count_queries(office, "/work/reviews/")
    pending(17, "乙")
    with django_assert_max_num_queries(small):
        html = office.get("/work/reviews/").content.decode()
    assert html.count('name="decision" value="accept"') == 20


# -- assignments ------------------------------------------------------------------------------


def assignments_url(task: Task) -> str:
    return f"/work/tasks/{task.pk}/assignments/"


def test_the_office_adds_a_unit_to_a_task_audited(work: Work) -> None:
    cast = work.cast
    task = Task.objects.get(requirement=READING)
    office = client_for(cast.office)
    assert "区司法局" in get(office, assignments_url(task))

    response = csrf_post(
        office,
        f"/work/tasks/{task.pk}/assignments/add/",
        {"unit": cast.finance.pk, "lead": "on", "note": "财政局牵头解读预算"},
    )
    assert response.status_code == 302 and response["Location"] == assignments_url(task)
    a = Assignment.objects.get(task=task, unit=cast.finance)
    assert (a.active, a.is_lead, a.origin, a.note) == (
        True,
        True,
        Origin.OFFICE,
        "财政局牵头解读预算",
    )
    assert list(a.checkpoints.values_list("key", flat=True)) == ["d2026-12-31"]
    event = AuditEvent.objects.for_object(a).get()
    assert (event.action, event.actor, event.comment) == (
        AuditAction.CREATE,
        cast.office,
        "财政局牵头解读预算",
    )
    html = get(office, assignments_url(task))
    assert "已将该任务分配给「区财政局」" in html and "公开办调整" in html

    twice = csrf_post(office, f"/work/tasks/{task.pk}/assignments/add/", {"unit": cast.finance.pk})
    assert twice.status_code == 302
    assert "「区财政局」已承担该任务" in get(office, assignments_url(task))


def test_removing_an_assignment_needs_a_reason_and_is_audited(work: Work) -> None:
    cast = work.cast
    a = Assignment.objects.get(task__requirement=POLICY, unit=cast.justice)
    office = client_for(cast.office)
    url = f"/work/assignments/{a.pk}/remove/"

    assert csrf_post(office, url, {"reason": ""}).status_code == 302
    assert "请填写撤销分工的理由" in get(office, assignments_url(a.task))
    a.refresh_from_db()
    assert a.active and not AuditEvent.objects.for_object(a).exists()

    assert csrf_post(office, url, {"reason": "职能已划转"}).status_code == 302
    a.refresh_from_db()
    assert (a.active, a.origin, a.note) == (False, Origin.OFFICE, "职能已划转")
    assert not a.checkpoints.filter(cancelled=False).exists()
    event = AuditEvent.objects.for_object(a).get()
    assert event.action == AuditAction.CHANGE and event.comment == "撤销分工：职能已划转"
    assert event.changes["active"] == [True, False]


def test_moving_an_assignment_hands_its_checkpoints_to_the_other_unit(work: Work) -> None:
    cast = work.cast
    a = Assignment.objects.get(task__requirement=POLICY, unit=cast.justice)
    r = report(cast.justice_liaison, work.justice("q2026-2"))
    office = client_for(cast.office)

    response = csrf_post(
        office, f"/work/assignments/{a.pk}/move/", {"unit": cast.gov.pk, "reason": "职能调整"}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.unit, a.origin, a.note) == (cast.gov, Origin.OFFICE, "职能调整")
    assert set(a.checkpoints.values_list("unit", flat=True)) == {cast.gov.pk}
    r.refresh_from_db()
    assert r.checkpoint.unit == cast.gov  # the reports so far go with it
    event = AuditEvent.objects.for_object(a).get()
    assert event.comment == "分工由「区司法局」调整为「区人民政府办公室」：职能调整"
    assert "已调整为「区人民政府办公室」" in get(office, assignments_url(a.task))

    # 司法局 no longer sees it; moving onto a unit that already has the task is refused.
    assert r.checkpoint_id not in ids(get(client_for(cast.justice_liaison), "/work/"))
    other = Assignment.objects.get(task__requirement=BUDGET)
    csrf_post(office, f"/work/assignments/{other.pk}/move/", {"unit": cast.finance.pk})
    assert "该分工已属于「区财政局」" in get(office, assignments_url(other.task))


def test_a_liaison_sees_only_its_own_assignment_of_a_task(work: Work) -> None:
    cast = work.cast
    task = Task.objects.get(requirement=READING)
    actions.add_assignment(cast.office, task, cast.finance)
    html = get(client_for(cast.finance_liaison), assignments_url(task))
    assert "区财政局" in html
    assert f"/work/checkpoints/{work.justice('d2026-12-31', READING).pk}/" not in html
    assert "增加承办单位" not in html


def test_the_list_filters_by_a_category_path_at_any_depth(cast: Cast) -> None:
    from tests.work_factories import TaskSpec, make_plan, year_end

    plan = make_plan(
        [
            TaskSpec(
                "公开规范性文件", [cast.justice], path=("主动公开", "政策文件"), rules=[year_end()]
            ),
            TaskSpec(
                "公开预决算", [cast.justice], path=("主动公开", "财政信息"), rules=[year_end()]
            ),
            TaskSpec("办理申请", [cast.justice], path=("依申请公开",), rules=[year_end()]),
        ]
    )
    client = client_for(cast.justice_liaison)

    def shown(query: str) -> set[str]:
        page = client.get(f"/work/?plan={plan.pk}&state=all&{query}").content.decode()
        return {t for t in ("公开规范性文件", "公开预决算", "办理申请") if t in page}

    assert shown("path=主动公开") == {"公开规范性文件", "公开预决算"}
    assert shown("path=主动公开 / 财政信息") == {"公开预决算"}
    assert shown("path=依申请公开") == {"办理申请"}
    assert shown("") == {"公开规范性文件", "公开预决算", "办理申请"}
    page = client.get(f"/work/?plan={plan.pk}").content.decode()
    assert '<option value="主动公开 / 政策文件">' in page  # every level is a choice
