"""Assignments and checkpoints kept in step with the plan (gongkai/work/sync.py).

Most tests import lists through the real import action (plans.actions.import_plan, which runs
the sync through plans.hooks), with the parsed list given directly; the last one imports seed
002 through the real parser and the demo unit directory.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from gongkai.audit.models import AuditEvent
from gongkai.demo.load import load_demo
from gongkai.holidays.actions import add_adjustment, remove_adjustment
from gongkai.holidays.models import AdjustmentKind
from gongkai.plans.actions import Meta, Source, import_plan
from gongkai.plans.models import Plan, Task, TaskStatus, TaskUnit, UnitRole
from gongkai.plans.rows import rows_from_plan
from gongkai.tasklist.model import ParsedPlan, ParsedTask, RuleKind, RuleUnit, TimeRule
from gongkai.units.models import GroupMode, Unit, UnitGroup
from gongkai.work import actions
from gongkai.work.models import Assignment, Checkpoint, Origin, Progress, Review
from gongkai.work.sync import sync_plan
from tests.conftest import Cast
from tests.work_factories import TaskSpec, make_plan, year_end

D = dt.date.fromisoformat
SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SYNC_COMMENT = "按任务清单生成分工与节点"
QUARTERLY = [TimeRule(RuleKind.RECURRING, "每季度", amount=1, unit=RuleUnit.QUARTER)]
YEAR_END = [TimeRule(RuleKind.BY_DATE, "年底前", date="2026-12-31")]
CLOCK = [TimeRule(RuleKind.WITHIN, "3个工作日内", amount=3, unit=RuleUnit.WORKDAY)]

T1 = "做好行政规范性文件的集中、规范公开工作。"
T2 = "及时公开财政预决算信息。"
T3 = "规范公开机构职能信息，确保信息准确。"

Capture = Callable[..., Any]


@pytest.fixture
def members(cast: Cast) -> UnitGroup:
    """各成员单位: 司法局 and 财政局."""
    group = UnitGroup.objects.create(name="各成员单位", mode=GroupMode.EXPLICIT)
    group.members.set([cast.justice, cast.finance])
    return group


def task(
    requirement: str,
    responsible: Sequence[str],
    lead: Sequence[str] = (),
    rules: Sequence[TimeRule] = QUARTERLY,
    path: Sequence[str] = ("主动公开", "基础信息公开"),
) -> ParsedTask:
    return ParsedTask(
        list(path),
        requirement,
        lead_units=list(lead),
        responsible_units=list(responsible),
        deadline=" ".join(r.text for r in rules) or None,
        time_rules=list(rules),
    )


def import_list(cast: Cast, *tasks: ParsedTask, plan: Plan | None = None) -> Plan:
    """Import a list as the office, through the real import action (and so the sync)."""
    parsed = ParsedPlan(source="upload", title="政务公开工作任务清单", tasks=list(tasks))
    result = import_plan(
        cast.office,
        rows_from_plan(parsed),
        Source(("清单" + str(len(tasks))).encode(), "清单.docx"),
        Meta(title=parsed.title),
        plan=plan,
        name="政务公开工作任务清单",
        year=2026,
    )
    return result.plan


def assignment(requirement: str, unit: Unit) -> Assignment:
    return Assignment.objects.get(task__requirement=requirement, unit=unit)


def live_keys(a: Assignment) -> list[str]:
    return list(a.checkpoints.filter(cancelled=False).order_by("due").values_list("key", flat=True))


def sync_events(plan: Plan) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.for_object(plan).filter(comment__startswith=SYNC_COMMENT).order_by("pk")
    )


def accept_first(cast: Cast, liaison: Any, a: Assignment) -> Checkpoint:
    """The unit reports its first checkpoint done and the office accepts it."""
    checkpoint = a.checkpoints.order_by("due").first()
    assert checkpoint is not None
    report = actions.submit_report(
        liaison, checkpoint, actions.ReportInput(status=Progress.DONE, text="已在专栏公开")
    )
    actions.review_report(cast.office, report, accept=True)
    checkpoint.refresh_from_db()
    assert checkpoint.review == Review.ACCEPTED
    return checkpoint


# -- the first import -------------------------------------------------------------------------


def test_each_unit_named_gets_one_assignment_and_the_lead_is_marked(
    cast: Cast, members: UnitGroup
) -> None:
    plan = import_list(cast, task(T1, ["区司法局", "各成员单位"], lead=["区政府办"]))

    found = {
        (a.unit.name, a.is_lead, a.origin, a.active)
        for a in Assignment.objects.filter(task__plan=plan).select_related("unit")
    }
    assert found == {
        ("区人民政府办公室", True, Origin.PLAN, True),
        ("区司法局", False, Origin.PLAN, True),  # named and in the group: once
        ("区财政局", False, Origin.PLAN, True),  # through the group 各成员单位
    }
    assert TaskUnit.objects.filter(unit=cast.finance, from_group=members).exists()
    for a in Assignment.objects.all():
        assert live_keys(a) == ["q2026-1", "q2026-2", "q2026-3", "q2026-4"]
    c = Checkpoint.objects.filter(unit=cast.finance).first()
    assert c is not None
    assert (c.plan_id, c.task.requirement, c.category) == (plan.pk, T1, "主动公开")

    (event,) = sync_events(plan)
    assert event.actor == cast.office
    assert "新增分工3项" in event.comment and "新增节点12项" in event.comment


def test_a_unit_that_leads_and_is_responsible_gets_one_lead_assignment(cast: Cast) -> None:
    plan = make_plan([TaskSpec(T1, units=[cast.justice, cast.finance], lead=[cast.justice])])
    found = {(a.unit_id, a.is_lead) for a in Assignment.objects.filter(task__plan=plan)}
    assert found == {(cast.justice.pk, True), (cast.finance.pk, False)}


def test_a_standing_duty_becomes_quarterly_self_checks_with_its_words(cast: Cast) -> None:
    import_list(cast, task(T1, ["区司法局"], rules=CLOCK))
    rows = list(Checkpoint.objects.order_by("due").values_list("kind", "standing", "rule_text"))
    assert rows == [("selfcheck", True, "3个工作日内")] * 4


# -- running again ----------------------------------------------------------------------------


def test_running_the_sync_again_changes_nothing(cast: Cast, members: UnitGroup) -> None:
    plan = import_list(
        cast,
        task(T1, ["区司法局", "各成员单位"], lead=["区政府办"]),
        task(T2, ["区财政局"], rules=YEAR_END),
        task(T3, ["各成员单位"], rules=CLOCK),
    )
    rows_before = list(Checkpoint.objects.order_by("pk").values())
    assignments_before = list(Assignment.objects.order_by("pk").values())
    events_before = AuditEvent.objects.count()

    result = sync_plan(plan)

    assert not result and result.summary() == "无变化"
    assert vars(result) == {
        "assignments_added": 0,
        "assignments_removed": 0,
        "checkpoints_added": 0,
        "checkpoints_changed": 0,
        "checkpoints_cancelled": 0,
    }
    assert list(Checkpoint.objects.order_by("pk").values()) == rows_before
    assert list(Assignment.objects.order_by("pk").values()) == assignments_before
    assert AuditEvent.objects.count() == events_before


def test_reimporting_the_same_list_writes_no_assignment_or_checkpoint(
    cast: Cast, members: UnitGroup
) -> None:
    tasks = (task(T1, ["区司法局"], lead=["区政府办"]), task(T2, ["各成员单位"], rules=YEAR_END))
    plan = import_list(cast, *tasks)
    rows_before = list(Checkpoint.objects.order_by("pk").values())
    import_list(cast, *tasks, plan=plan)
    assert list(Checkpoint.objects.order_by("pk").values()) == rows_before
    assert len(sync_events(plan)) == 1  # the first import's only


# -- a revised list ---------------------------------------------------------------------------


def test_a_unit_dropped_from_the_list_loses_its_open_checkpoints_but_keeps_accepted_ones(
    cast: Cast,
) -> None:
    plan = import_list(cast, task(T1, ["区司法局", "区财政局"]))
    finance = assignment(T1, cast.finance)
    accepted = accept_first(cast, cast.finance_liaison, finance)

    import_list(cast, task(T1, ["区司法局"]), plan=plan)

    finance.refresh_from_db()
    assert not finance.active and finance.origin == Origin.PLAN
    assert finance.note == "清单修订后不再列出该单位"
    states = dict(finance.checkpoints.values_list("key", "cancelled"))
    assert states == {"q2026-1": False, "q2026-2": True, "q2026-3": True, "q2026-4": True}
    accepted.refresh_from_db()
    assert accepted.review == Review.ACCEPTED and accepted.latest_report is not None
    assert live_keys(assignment(T1, cast.justice)) == ["q2026-1", "q2026-2", "q2026-3", "q2026-4"]
    last = sync_events(plan)[-1]
    assert "撤销分工1项" in last.comment and "取消节点3项" in last.comment

    # Named again in a later version: the same assignment and checkpoints come back.
    import_list(cast, task(T1, ["区司法局", "区财政局"]), plan=plan)
    finance.refresh_from_db()
    assert finance.active and finance.note == ""
    assert live_keys(finance) == ["q2026-1", "q2026-2", "q2026-3", "q2026-4"]
    assert Checkpoint.objects.filter(unit=cast.finance).count() == 4


def test_a_changed_time_rule_cancels_the_old_slots_and_adds_the_new(cast: Cast) -> None:
    plan = import_list(cast, task(T1, ["区司法局"]))
    import_list(cast, task(T1, ["区司法局"], rules=YEAR_END), plan=plan)
    a = assignment(T1, cast.justice)
    assert live_keys(a) == ["d2026-12-31"]
    assert a.checkpoints.filter(cancelled=True).count() == 4


def test_a_task_removed_from_the_list_cancels_its_checkpoints(cast: Cast) -> None:
    plan = import_list(cast, task(T1, ["区司法局"]), task(T3, ["区司法局", "区财政局"]))
    t3 = Task.objects.get(requirement=T3)
    office_added = actions.add_assignment(cast.office, t3, cast.gov, note="区政府办协助")
    accepted = accept_first(cast, cast.justice_liaison, assignment(T3, cast.justice))

    import_list(cast, task(T1, ["区司法局"]), plan=plan)

    t3.refresh_from_db()
    assert t3.status == TaskStatus.REMOVED
    for a in Assignment.objects.filter(task=t3, origin=Origin.PLAN):
        assert not a.active and a.note == "任务已从清单中删除"
    office_added.refresh_from_db()
    # The office's decision is kept for when a revision brings the task back; the task has
    # no checkpoints meanwhile.
    assert office_added.active
    assert not Checkpoint.objects.filter(assignment=office_added, cancelled=False).exists()
    live = Checkpoint.objects.filter(task=t3, cancelled=False)
    assert list(live) == [accepted]  # the accepted one is kept for the record
    assert live_keys(assignment(T1, cast.justice)) == ["q2026-1", "q2026-2", "q2026-3", "q2026-4"]


def test_the_offices_own_assignment_changes_survive_a_reimport(cast: Cast) -> None:
    tasks = (
        task(T1, ["区司法局"]),
        task(T2, ["区财政局"], rules=YEAR_END),
        task(T3, ["区司法局", "区财政局"]),
    )
    plan = import_list(cast, *tasks)
    t1 = Task.objects.get(requirement=T1)
    added = actions.add_assignment(cast.office, t1, cast.finance, note="财政局配合")
    removed = actions.remove_assignment(cast.office, assignment(T3, cast.finance), "不涉及")
    moved = actions.move_assignment(cast.office, assignment(T2, cast.finance), cast.justice)

    import_list(cast, *tasks, plan=plan)

    added.refresh_from_db()
    assert added.active and added.origin == Origin.OFFICE
    assert live_keys(added) == ["q2026-1", "q2026-2", "q2026-3", "q2026-4"]
    removed.refresh_from_db()
    assert not removed.active and removed.note == "不涉及"
    assert not removed.checkpoints.filter(cancelled=False).exists()
    moved.refresh_from_db()
    assert moved.active and moved.unit == cast.justice
    assert live_keys(moved) == ["d2026-12-31"]
    # The list still names 财政局 for T2, but the office gave that task to 司法局.
    assert not Assignment.objects.filter(task=moved.task, unit=cast.finance, active=True).exists()
    assert not Checkpoint.objects.filter(task=moved.task, unit=cast.finance).exists()


# -- the calendar -----------------------------------------------------------------------------


def test_a_local_holiday_on_a_due_date_moves_it_to_the_working_day_before(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    plan = make_plan([TaskSpec(T1, units=[cast.justice, cast.finance], rules=[year_end()])])
    assert set(Checkpoint.objects.values_list("due", flat=True)) == {D("2026-12-31")}
    actions.remove_assignment(cast.office, Assignment.objects.get(unit=cast.finance), "不涉及")
    cancelled = Checkpoint.objects.filter(unit=cast.finance).get()
    assert cancelled.cancelled

    with django_capture_on_commit_callbacks(execute=True):
        adjustment = add_adjustment(
            cast.office, D("2026-12-31"), AdjustmentKind.HOLIDAY, "区政府通知放假"
        )

    moved = Checkpoint.objects.get(plan=plan, unit=cast.justice)
    assert (moved.nominal, moved.due) == (D("2026-12-31"), D("2026-12-30"))
    cancelled.refresh_from_db()
    assert cancelled.due == D("2026-12-31")  # cancelled checkpoints are left alone
    event = AuditEvent.objects.filter(comment__startswith="工作日历调整").get()
    assert "1个任务节点" in event.comment

    # Taking the holiday back restores the date, and a plain re-sync agrees with the recompute.
    with django_capture_on_commit_callbacks(execute=True):
        remove_adjustment(cast.office, adjustment, "通知撤回")
    moved.refresh_from_db()
    assert moved.due == D("2026-12-31")
    assert AuditEvent.objects.filter(comment__startswith="工作日历调整").count() == 2
    assert not sync_plan(plan).checkpoints_changed


def test_a_due_date_moved_later_is_reminded_again(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    make_plan([TaskSpec(T1, units=[cast.justice], rules=[year_end()])])
    with django_capture_on_commit_callbacks(execute=True):
        adjustment = add_adjustment(
            cast.office, D("2026-12-31"), AdjustmentKind.HOLIDAY, "区政府通知放假"
        )
    # The unit was told on the 30th that the checkpoint is due that day…
    Checkpoint.objects.update(reminded_soon_on=D("2026-12-25"), reminded_today_on=D("2026-12-30"))
    # …then the holiday is withdrawn: the new date deserves its own reminders.
    with django_capture_on_commit_callbacks(execute=True):
        remove_adjustment(cast.office, adjustment, "通知撤回")
    moved = Checkpoint.objects.get()
    assert moved.due == D("2026-12-31")
    assert (moved.reminded_soon_on, moved.reminded_today_on) == (None, None)

    # Moving earlier keeps what was sent: the unit already knows.
    Checkpoint.objects.update(reminded_soon_on=D("2026-12-28"))
    with django_capture_on_commit_callbacks(execute=True):
        add_adjustment(cast.office, D("2026-12-31"), AdjustmentKind.HOLIDAY, "再次放假")
    assert Checkpoint.objects.get().reminded_soon_on == D("2026-12-28")


def test_a_calendar_change_far_from_any_checkpoint_changes_nothing(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    make_plan([TaskSpec(T1, units=[cast.justice], rules=[year_end()])])
    with django_capture_on_commit_callbacks(execute=True):
        add_adjustment(cast.office, D("2026-03-10"), AdjustmentKind.HOLIDAY, "区政府通知放假")
    assert Checkpoint.objects.get().due == D("2026-12-31")
    assert not AuditEvent.objects.filter(comment__startswith="工作日历调整").exists()


# -- seed 002 through the real parser ---------------------------------------------------------


def test_importing_seed_002_gives_every_unit_its_assignments_and_checkpoints(
    db: None, django_capture_on_commit_callbacks: Capture
) -> None:
    load_demo()
    seed = next(SEEDS.glob("002_*.txt"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import",
            str(seed),
            "--plan",
            "张店区2023年政务公开常态化工作任务清单",
            "--year",
            "2023",
            "--allow-unresolved",
            stdout=io.StringIO(),
        )
    plan = Plan.objects.get()
    tasks = list(Task.objects.filter(plan=plan, status=TaskStatus.ACTIVE).prefetch_related("units"))
    assert len(tasks) == 67  # the hand-labelled count for seed 002

    wanted: dict[tuple[int, int], bool] = {}
    for t in tasks:
        for tu in t.units.all():
            key = (t.pk, tu.unit_id)
            wanted[key] = wanted.get(key, False) or tu.role == UnitRole.LEAD
    found = {
        (a.task_id, a.unit_id): a.is_lead
        for a in Assignment.objects.filter(task__plan=plan, active=True)
    }
    assert found == wanted
    assert len(found) > 400  # 各成员单位 and 各镇（街道） expand to every unit of 张店区
    assert TaskUnit.objects.filter(task__plan=plan, from_group__isnull=False).exists()
    assert sum(found.values()) >= 5  # 区司法局牵头… and the like

    with_units = {t.pk for t in tasks if t.units.all()}
    assert with_units == {task_id for task_id, _ in found}
    assert len(with_units) >= 60
    live = Checkpoint.objects.filter(plan=plan, cancelled=False)
    counts: dict[int, int] = {}
    for assignment_id in live.values_list("assignment_id", flat=True):
        counts[assignment_id] = counts.get(assignment_id, 0) + 1
    active_ids = set(
        Assignment.objects.filter(task__plan=plan, active=True).values_list("pk", flat=True)
    )
    assert set(counts) == active_ids and min(counts.values()) >= 1
    assert {c.due.year for c in live.only("due")} == {2023}
    kinds = set(live.values_list("kind", flat=True))
    assert {"selfcheck", "recurring"} <= kinds
    standing = live.filter(standing=True).values_list("rule_text", flat=True)
    assert "3个工作日内" in set(standing)
    # 至少2周内更新一次 is checked monthly.
    biweekly = live.filter(rule_text="至少2周内更新一次")
    assert biweekly.exists() and set(biweekly.values_list("key", flat=True)) == {
        f"m2023-{m:02d}" for m in range(1, 13)
    }
    justice = Unit.objects.get(name="张店区司法局")
    assert Assignment.objects.filter(
        task__requirement__startswith="做好行政规范性文件的集中、规范公开工作",
        unit=justice,
        is_lead=True,
    ).exists()
    (event,) = sync_events(plan)
    assert event.actor is None and "新增分工" in event.comment
