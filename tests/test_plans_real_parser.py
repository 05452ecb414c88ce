"""The whole chain with the real parser: a Word task list with merged cells, uploaded through
the web, parsed in the job, previewed with units resolved against the demo directory, confirmed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.accounts.models import User
from gongkai.demo.load import load_demo
from gongkai.plans.models import Plan, PlanDraft, Task, TaskUnit
from gongkai.units.models import Unit
from scripts.build_fixtures import build
from tests.conftest import client_for, csrf_post


def test_a_real_word_task_list_goes_from_upload_to_plan(
    db: None, tmp_path: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    load_demo()
    office = User.objects.get(username="office")
    client = client_for(office)
    document = build("000", "docx", tmp_path)
    upload = SimpleUploadedFile("省统计局清单.docx", document.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(client, "/plans/import/", {"file": upload})
    assert response.status_code == 302
    draft = PlanDraft.objects.latest("pk")
    preview = client.get(f"/plans/drafts/{draft.pk}/").content.decode()
    assert "做好行政规范性文件的集中、规范公开工作" in preview
    assert "执法监督局" in preview

    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(
            client,
            f"/plans/drafts/{draft.pk}/confirm/",
            {"name": "省统计局政务公开常态化工作任务清单", "year": 2023, "allow_unresolved": "on"},
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Plan.objects.get()
    assert plan.tasks.count() == 43  # the hand-labelled count for seed 000
    first = Task.objects.filter(plan=plan).order_by("order").first()
    assert first is not None
    assert first.path == ["主动公开", "基础信息公开", "政策文件"]
    enforcement = Unit.objects.get(name="执法监督局")
    assert TaskUnit.objects.filter(task=first, unit=enforcement).exists()
