"""Who may see and change the work, over HTTP and the API (gongkai/work/access.py).

- A liaison sees and reports on its own unit's checkpoints only; another unit's checkpoint,
  report or file is a 404, the same as a missing one, on GET and POST alike.
- An evaluator reads everything and changes nothing (403).
- A leader reads its unit's work but does not report (403).
- Reviewing, the review queue and assignment edits are the office's (403 for the others).
- Anonymous: pages redirect to the login, the API answers 401.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.accounts.models import User
from gongkai.work import actions
from gongkai.work.models import Assignment, Checkpoint, Evidence, EvidenceKind, Progress, Report
from tests.conftest import Cast, client_for, csrf_post
from tests.test_work_pages import (
    NOW,
    POLICY,
    Work,
    build_work,
    ids,
    report,
)

PDF = (Path(__file__).parent / "fixtures" / "tasklist" / "000.pdf").read_bytes()


@pytest.fixture
def work(cast: Cast) -> Iterator[Work]:
    with time_machine.travel(NOW, tick=False):
        yield build_work(cast)


def status(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> int:
    if method == "get":
        return int(client.get(url).status_code)
    if url.startswith("/api/") and "/review" in url:
        return int(csrf_post(client, url, data or {}, content_type="application/json").status_code)
    return int(csrf_post(client, url, data or {}).status_code)


def report_with_file(liaison: User, c: Checkpoint) -> Report:
    upload = SimpleUploadedFile("佐证.pdf", PDF, content_type="application/pdf")
    return actions.submit_report(
        liaison, c, actions.ReportInput(status=Progress.DONE, text="已公开", files=[upload])
    )


def writes(work: Work, c: Checkpoint, r: Report) -> list[tuple[str, dict[str, Any]]]:
    """Every write on `c` (and its report `r`), page and API."""
    a = c.assignment
    return [
        (f"/work/checkpoints/{c.pk}/report/", {"status": Progress.IN_PROGRESS, "text": "试图报送"}),
        (f"/work/reports/{r.pk}/review/", {"decision": "accept"}),
        (f"/work/tasks/{c.task_id}/assignments/add/", {"unit": work.cast.gov.pk}),
        (f"/work/assignments/{a.pk}/remove/", {"reason": "试图撤销"}),
        (f"/work/assignments/{a.pk}/move/", {"unit": work.cast.gov.pk}),
        (f"/api/work/checkpoints/{c.pk}/reports", {"status": Progress.IN_PROGRESS}),
        (f"/api/work/reports/{r.pk}/review", {"accept": True}),
    ]


def nothing_changed(work: Work, reports: int) -> None:
    assert Report.objects.count() == reports
    assert not Report.objects.exclude(reviewer=None).exists()
    assert set(Assignment.objects.values_list("active", "origin")) == {(True, "plan")}
    assert not Assignment.objects.filter(unit=work.cast.gov).exists()


# -- a liaison --------------------------------------------------------------------------------


def test_a_liaison_sees_only_its_units_checkpoints(work: Work) -> None:
    client = client_for(work.cast.finance_liaison)
    mine, theirs = work.finance("q2026-4"), work.justice("q2026-4")
    assert set(ids(client.get("/work/", {"state": "all"}).content.decode())) == {
        work.finance(f"q2026-{q}").pk for q in range(1, 5)
    }
    assert client.get(f"/work/checkpoints/{mine.pk}/").status_code == 200
    assert client.get(f"/work/checkpoints/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/work/checkpoints/{mine.pk}").status_code == 200
    assert client.get(f"/api/work/checkpoints/{theirs.pk}").status_code == 404
    assert client.get("/api/work/checkpoints/999999").status_code == 404
    api = client.get("/api/work/checkpoints", {"state": "all", "limit": "500"}).json()
    assert {c["unit_id"] for c in api["items"]} == {work.cast.finance.pk} and api["count"] == 4
    assert client.get(f"/work/tasks/{theirs.task_id}/assignments/").status_code == 404


def test_a_liaison_cannot_touch_another_units_checkpoint_report_or_file(work: Work) -> None:
    cast = work.cast
    theirs = work.justice("q2026-2")
    r = report_with_file(cast.justice_liaison, theirs)
    evidence = r.evidence.get(kind=EvidenceKind.FILE)
    client = client_for(cast.finance_liaison)

    assert status(client, "get", f"/work/evidence/{evidence.pk}/") == 404
    for url, data in writes(work, theirs, r):
        assert status(client, "post", url, data) in (403, 404), url
    # The checkpoint and the report are hidden: 404, not 403, on GET and POST.
    assert status(client, "post", f"/work/checkpoints/{theirs.pk}/report/", {}) == 404
    assert status(client, "post", f"/api/work/checkpoints/{theirs.pk}/reports", {}) == 404
    assert (
        status(client, "post", f"/api/work/checkpoints/{theirs.pk}/reports", {"status": "done"})
        == 404
    )
    assert status(client, "post", f"/api/work/reports/{r.pk}/review", {"accept": True}) == 404
    assert status(client, "post", f"/work/reports/{r.pk}/review/", {"decision": "accept"}) == 404
    nothing_changed(work, reports=1)


def test_a_liaison_reports_on_its_own_checkpoint_and_opens_its_own_file(work: Work) -> None:
    cast = work.cast
    c = work.justice("q2026-2")
    r = report_with_file(cast.justice_liaison, c)
    evidence = r.evidence.get()
    client = client_for(cast.justice_liaison)
    response = client.get(f"/work/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]  # FileResponse


def test_a_liaison_cannot_review_or_edit_assignments(work: Work) -> None:
    cast = work.cast
    c = work.justice("q2026-2")
    r = report(cast.justice_liaison, c)
    client = client_for(cast.justice_liaison)
    a = c.assignment

    assert status(client, "get", "/work/reviews/") == 403
    assert status(client, "post", f"/work/reports/{r.pk}/review/", {"decision": "accept"}) == 403
    assert status(client, "post", f"/api/work/reports/{r.pk}/review", {"accept": True}) == 403
    add = f"/work/tasks/{c.task_id}/assignments/add/"
    assert status(client, "post", add, {"unit": cast.gov.pk}) == 403
    assert status(client, "post", f"/work/assignments/{a.pk}/remove/", {"reason": "x"}) == 403
    assert status(client, "post", f"/work/assignments/{a.pk}/move/", {"unit": cast.gov.pk}) == 403
    html = client.get(f"/work/checkpoints/{c.pk}/").content.decode()
    assert f"/work/reports/{r.pk}/review/" not in html  # no review form for the unit
    nothing_changed(work, reports=1)


# -- an evaluator -----------------------------------------------------------------------------


def test_an_evaluator_reads_everything(work: Work) -> None:
    client = client_for(work.cast.evaluator)
    assert len(ids(client.get("/work/").content.decode())) == 9
    for c in (work.justice("q2026-2"), work.finance("q2026-2")):
        html = client.get(f"/work/checkpoints/{c.pk}/").content.decode()
        assert f"/work/checkpoints/{c.pk}/report/" not in html  # no report form
        assert client.get(f"/api/work/checkpoints/{c.pk}").status_code == 200
    assert client.get("/api/work/checkpoints").json()["count"] == 9
    r = report_with_file(work.cast.justice_liaison, work.justice("q2026-2"))
    assert client.get(f"/work/evidence/{r.evidence.get().pk}/").status_code == 200
    task = Checkpoint.objects.filter(task__requirement=POLICY).first()
    assert task is not None
    assert client.get(f"/work/tasks/{task.task_id}/assignments/").status_code == 200


def test_an_evaluator_changes_nothing(work: Work) -> None:
    c = work.justice("q2026-2")
    r = report(work.cast.justice_liaison, c)
    client = client_for(work.cast.evaluator)
    for url, data in writes(work, c, r):
        assert status(client, "post", url, data) == 403, url
    assert status(client, "get", "/work/reviews/") == 403
    nothing_changed(work, reports=1)


# -- a leader ---------------------------------------------------------------------------------


def test_a_leader_reads_its_units_work_but_does_not_report(work: Work) -> None:
    client = client_for(work.cast.justice_leader)
    mine, theirs = work.justice("q2026-4"), work.finance("q2026-4")
    assert len(ids(client.get("/work/").content.decode())) == 5
    html = client.get(f"/work/checkpoints/{mine.pk}/").content.decode()
    assert POLICY in html and f"/work/checkpoints/{mine.pk}/report/" not in html
    assert client.get(f"/work/checkpoints/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/work/checkpoints/{theirs.pk}").status_code == 404

    page = status(client, "post", f"/work/checkpoints/{mine.pk}/report/", {"status": "done"})
    api = status(client, "post", f"/api/work/checkpoints/{mine.pk}/reports", {"status": "done"})
    assert (page, api) == (403, 403)
    assert not Report.objects.exists()


# -- the office reports on a unit's behalf ----------------------------------------------------


def test_the_office_may_report_on_a_units_behalf(work: Work) -> None:
    c = work.finance("q2026-4")
    response = csrf_post(
        client_for(work.cast.office),
        f"/work/checkpoints/{c.pk}/report/",
        {"status": Progress.IN_PROGRESS, "text": "代报"},
    )
    assert response.status_code == 302
    assert Report.objects.get().author == work.cast.office


# -- anonymous --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/work/",
        "/work/reviews/",
        "/work/checkpoints/{c}/",
        "/work/tasks/{t}/assignments/",
    ],
)
def test_anonymous_pages_redirect_to_the_login(work: Work, anon: Client, url: str) -> None:
    c = work.justice("q2026-2")
    response = anon.get(url.format(c=c.pk, t=c.task_id))
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_anonymous_writes_are_refused(work: Work, anon: Client) -> None:
    c = work.justice("q2026-2")
    r = report(work.cast.justice_liaison, c)
    for url, data in writes(work, c, r):
        code = status(anon, "post", url, data)
        if url.startswith("/api/"):
            assert code == 401, url
        else:
            assert code == 302, url
    assert anon.get("/api/work/checkpoints").status_code == 401
    assert anon.get(f"/api/work/checkpoints/{c.pk}").status_code == 401
    nothing_changed(work, reports=1)
    assert not Evidence.objects.exists()
