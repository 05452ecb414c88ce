"""Who sees which plans and tasks: pages, the source file and the API."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.plans.actions import Meta, Source, import_plan
from gongkai.plans.models import Plan
from gongkai.plans.rows import rows_from_plan
from gongkai.units.models import GroupMode, UnitGroup
from tests.conftest import Cast, client_for
from tests.test_plans_import import FILE, T1, T2, T2_EDITED, T3, T4, T5, version_1, version_2


@pytest.fixture
def plan(cast: Cast) -> Plan:
    """Version 1 then version 2, imported by the office: T1 司法局, T2 财政局, T3 removed,
    T4 both (through 各成员单位), T5 司法局."""
    group = UnitGroup.objects.create(name="各成员单位", mode=GroupMode.EXPLICIT)
    group.members.set([cast.justice, cast.finance])
    first = import_plan(
        cast.office,
        rows_from_plan(version_1()),
        Source(FILE, "清单.docx"),
        Meta(issuer="区司法局"),
        name="政务公开工作任务清单",
        year=2023,
    )
    import_plan(
        cast.office,
        rows_from_plan(version_2()),
        Source(FILE + b" v2", "清单（修订）.docx"),
        Meta(),
        plan=first.plan,
    )
    first.plan.refresh_from_db()
    return first.plan


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def test_everyone_signed_in_sees_the_plan_list(cast: Cast, plan: Plan) -> None:
    for user in (cast.office, cast.evaluator, cast.justice_liaison, cast.finance_liaison):
        page = html(client_for(user), "/plans/")
        assert "政务公开工作任务清单" in page and "第2版" in page


def test_the_nav_links_to_the_plan_list(cast: Cast) -> None:
    assert 'href="/plans/"' in html(client_for(cast.justice_liaison), "/")


def test_a_liaison_sees_only_the_tasks_of_their_unit(cast: Cast, plan: Plan) -> None:
    justice = html(client_for(cast.justice_liaison), f"/plans/{plan.pk}/")
    assert T1 in justice and T4 in justice and T5 in justice
    assert T2[:10] not in justice  # 财政局's task
    assert "仅显示分配给本单位的任务" in justice

    finance = html(client_for(cast.finance_liaison), f"/plans/{plan.pk}/")
    assert T2[:10] in finance and T4 in finance
    assert T1 not in finance and T5 not in finance


def test_the_office_and_evaluators_see_every_task(cast: Cast, plan: Plan) -> None:
    for user in (cast.office, cast.evaluator):
        page = html(client_for(user), f"/plans/{plan.pk}/")
        assert all(t[:10] in page for t in (T1, T2, T4, T5))
        assert T3 in page  # among the removed ones


def test_the_version_page_lists_only_the_liaisons_own_changes(cast: Cast, plan: Plan) -> None:
    office = html(client_for(cast.office), f"/plans/{plan.pk}/versions/2/")
    assert T5 in office and T3 in office and "<del>行政</del>" in office
    justice = html(client_for(cast.justice_liaison), f"/plans/{plan.pk}/versions/2/")
    assert T5 in justice and T3 in justice  # T3 was 司法局's, now removed
    assert "<del>行政</del>" not in justice  # T2 is 财政局's
    assert client_for(cast.office).get(f"/plans/{plan.pk}/versions/9/").status_code == 404


def test_the_source_file_is_served_to_the_office_and_evaluators_only(
    cast: Cast, plan: Plan
) -> None:
    for user in (cast.office, cast.evaluator):
        response = client_for(user).get(f"/plans/{plan.pk}/versions/1/source/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == FILE  # type: ignore[attr-defined]  # a FileResponse
        assert "attachment" in response["Content-Disposition"]
        assert "%E6%B8%85%E5%8D%95.docx" in response["Content-Disposition"]  # 清单.docx
    for user in (cast.justice_liaison, cast.justice_leader):
        assert client_for(user).get(f"/plans/{plan.pk}/versions/1/source/").status_code == 403
    assert html(client_for(cast.justice_liaison), f"/plans/{plan.pk}/").count("/source/") == 0


def test_a_missing_plan_is_404_for_everyone(cast: Cast) -> None:
    for user in (cast.office, cast.justice_liaison):
        assert client_for(user).get("/plans/999/").status_code == 404


# -- API --------------------------------------------------------------------------------------


def test_the_api_lists_plans_with_versions_and_counts(cast: Cast, plan: Plan) -> None:
    client = client_for(cast.justice_liaison)
    (listed,) = client.get("/api/plans").json()
    assert listed == {
        "id": plan.pk,
        "name": "政务公开工作任务清单",
        "year": 2023,
        "issuer": "区司法局",
        "current_version": 2,
        "task_count": 4,
    }
    detail = client.get(f"/api/plans/{plan.pk}").json()
    assert [v["number"] for v in detail["versions"]] == [1, 2]
    assert detail["versions"][1]["counts"] == {
        "added": 1,
        "changed": 1,
        "removed": 1,
        "unchanged": 2,
    }
    assert client.get("/api/plans/999").status_code == 404


def test_the_api_gives_a_liaison_only_their_units_tasks(cast: Cast, plan: Plan) -> None:
    def requirements(user: object, query: str = "") -> list[str]:
        response = client_for(user).get(f"/api/plans/{plan.pk}/tasks{query}")
        assert response.status_code == 200
        return [t["requirement"] for t in response.json()]

    assert requirements(cast.justice_liaison) == [T1, T4, T5]
    assert requirements(cast.justice_liaison, "?include_removed=true") == [T1, T3, T4, T5]
    assert requirements(cast.finance_liaison) == [T2_EDITED, T4]
    assert len(requirements(cast.office)) == 4 and len(requirements(cast.evaluator)) == 4


def test_the_api_task_carries_units_rules_and_versions(cast: Cast, plan: Plan) -> None:
    tasks = client_for(cast.office).get(f"/api/plans/{plan.pk}/tasks").json()
    t2 = tasks[1]
    assert t2["responsible_units"] == ["财政局"]
    assert [(u["name"], u["role"], u["phrase"]) for u in t2["units"]] == [
        ("区财政局", "responsible", "财政局")
    ]
    assert t2["time_rules"] == [
        {"kind": "recurring", "amount": None, "unit": "quarter", "date": None, "text": "每季度"}
    ]
    assert (t2["first_version"], t2["last_version"], t2["status"]) == (1, 2, "active")
    t4 = tasks[2]
    assert sorted(u["name"] for u in t4["units"]) == ["区司法局", "区财政局"]
    assert all(u["from_group_id"] is not None for u in t4["units"])


def test_the_api_needs_a_login(anon: Client, db: None) -> None:
    assert anon.get("/api/plans").status_code == 401
