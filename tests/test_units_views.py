"""The unit pages over HTTP: who sees and changes what, import through a job, export, resolve."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.audit.models import AuditAction, AuditEvent, Channel
from gongkai.jobs.models import Job, JobKind, JobStatus
from gongkai.units.models import GroupMode, Unit, UnitGroup, UnitKind
from gongkai.units.sheets import read_table
from tests.conftest import Cast, client_for, csrf_post

HEADER = ["名称", "简称", "别名", "类型", "上级单位", "单位代码", "在用"]


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "名录.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def edit_form(unit: Unit, **changes: Any) -> dict[str, Any]:
    form = {
        "name": unit.name,
        "short_name": unit.short_name,
        "aliases": "、".join(unit.aliases),
        "kind": unit.kind,
        "parent": unit.parent_id or "",
        "code": unit.code,
        "active": "on" if unit.active else "",
        "comment": "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v != "" or k != "active"}


def pending_files() -> list[Path]:
    return sorted((Path(settings.MEDIA_ROOT) / "pending").glob("units-*"))


# -- who sees what ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_login(anon: Client, cast: Cast) -> None:
    for url in ("/units/", f"/units/{cast.justice.pk}/", "/units/export/", "/units/resolve/"):
        response = anon.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/")


def test_a_liaison_lists_only_their_own_unit(cast: Cast) -> None:
    page = client_for(cast.justice_liaison).get("/units/").content.decode()
    assert "区司法局" in page
    assert "区财政局" not in page and "区人民政府办公室</a>" not in page
    assert "单位组" not in page


def test_the_office_lists_every_unit_and_each_group_with_its_members(cast: Cast) -> None:
    group = UnitGroup.objects.create(name="各成员单位", mode=GroupMode.EXPLICIT)
    group.members.set([cast.justice, cast.finance])
    UnitGroup.objects.create(name="各部门", mode=GroupMode.RULE, rule_kind=UnitKind.DEPARTMENT)
    Unit.objects.create(name="区审计局", kind=UnitKind.DEPARTMENT, active=False)
    page = client_for(cast.office).get("/units/").content.decode()
    for name in ("区人民政府办公室", "区司法局", "区财政局", "区审计局", "各成员单位", "各部门"):
        assert name in page
    groups_part = page.split("<h2>单位组</h2>")[1]
    assert groups_part.count("区司法局") == 2  # in both groups
    assert "区审计局" not in groups_part  # retired units are no group's members


def test_the_search_box_finds_units_by_short_name_or_alias(cast: Cast) -> None:
    Unit.objects.filter(pk=cast.finance.pk).update(aliases=["区财政"])
    office = client_for(cast.office)
    page = office.get("/units/", {"q": "司法"}).content.decode()
    assert "区司法局" in page and "区财政局" not in page
    page = office.get("/units/", {"q": "区财政"}).content.decode()
    assert "区财政局" in page and "区司法局" not in page
    assert "没有找到" in office.get("/units/", {"q": "审计"}).content.decode()


def test_a_liaison_opens_their_unit_with_its_people_and_audit_trail(cast: Cast) -> None:
    response = client_for(cast.justice_liaison).get(f"/units/{cast.justice.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "justice_leader" in page and "变更记录" in page
    assert "/edit/" not in page


def test_a_liaison_cannot_open_another_units_detail(cast: Cast) -> None:
    assert client_for(cast.justice_liaison).get(f"/units/{cast.finance.pk}/").status_code == 404
    assert client_for(cast.justice_liaison).get("/units/999999/").status_code == 404


def test_the_detail_page_lists_the_groups_the_unit_belongs_to(cast: Cast) -> None:
    UnitGroup.objects.create(name="各部门", mode=GroupMode.RULE, rule_kind=UnitKind.DEPARTMENT)
    UnitGroup.objects.create(name="各县（市、区）", mode=GroupMode.RULE, rule_kind=UnitKind.COUNTY)
    page = client_for(cast.evaluator).get(f"/units/{cast.justice.pk}/").content.decode()
    assert "各部门" in page and "各县（市、区）" not in page


# -- editing ----------------------------------------------------------------------------------


def test_a_liaison_cannot_edit_their_own_unit(cast: Cast) -> None:
    client = client_for(cast.justice_liaison)
    assert client.get(f"/units/{cast.justice.pk}/edit/").status_code == 403
    form = edit_form(cast.justice, short_name="改")
    assert csrf_post(client, f"/units/{cast.justice.pk}/edit/", form).status_code == 403
    cast.justice.refresh_from_db()
    assert cast.justice.short_name == "司法局"


def test_a_liaison_cannot_edit_another_unit(cast: Cast) -> None:
    client = client_for(cast.justice_liaison)
    assert client.get(f"/units/{cast.finance.pk}/edit/").status_code == 404
    response = csrf_post(client, f"/units/{cast.finance.pk}/edit/", edit_form(cast.finance))
    assert response.status_code == 404


def test_an_evaluator_may_look_but_not_edit(cast: Cast) -> None:
    assert client_for(cast.evaluator).get(f"/units/{cast.justice.pk}/edit/").status_code == 403
    assert client_for(cast.evaluator).get("/units/new/").status_code == 403


def test_the_office_edits_a_unit_and_the_change_is_audited_from_the_web(cast: Cast) -> None:
    client = client_for(cast.office)
    assert client.get(f"/units/{cast.justice.pk}/edit/").status_code == 200
    form = edit_form(
        cast.justice, short_name="司法", aliases="区司法行政局、法治办", comment="按编办批复"
    )
    response = csrf_post(client, f"/units/{cast.justice.pk}/edit/", form)
    assert response.status_code == 302
    assert response["Location"] == f"/units/{cast.justice.pk}/"
    cast.justice.refresh_from_db()
    assert cast.justice.short_name == "司法"
    assert cast.justice.aliases == ["区司法行政局", "法治办"]
    (event,) = AuditEvent.objects.for_object(cast.justice)
    assert (event.action, event.channel, event.actor) == (
        AuditAction.CHANGE,
        Channel.WEB,
        cast.office,
    )
    assert event.changes == {
        "short_name": ["司法局", "司法"],
        "aliases": [[], ["区司法行政局", "法治办"]],
    }
    assert event.comment == "按编办批复"
    page = client.get(f"/units/{cast.justice.pk}/").content.decode()
    assert "按编办批复" in page


def test_an_edit_that_would_duplicate_a_name_is_shown_as_an_error(cast: Cast) -> None:
    client = client_for(cast.office)
    response = csrf_post(
        client, f"/units/{cast.justice.pk}/edit/", edit_form(cast.justice, name="区财政局")
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    cast.justice.refresh_from_db()
    assert cast.justice.name == "区司法局"
    assert not AuditEvent.objects.for_object(cast.justice).exists()


def test_a_unit_cannot_be_moved_under_its_own_child(cast: Cast) -> None:
    client = client_for(cast.office)
    response = csrf_post(
        client, f"/units/{cast.gov.pk}/edit/", edit_form(cast.gov, parent=cast.justice.pk)
    )
    assert response.status_code == 200
    assert "上级单位不能是本单位或其下级单位" in response.content.decode()
    cast.gov.refresh_from_db()
    assert cast.gov.parent is None


def test_the_office_creates_a_unit(cast: Cast) -> None:
    form = {"name": "区审计局", "kind": UnitKind.DEPARTMENT, "parent": cast.gov.pk, "active": "on"}
    response = csrf_post(client_for(cast.office), "/units/new/", form)
    unit = Unit.objects.get(name="区审计局")
    assert response["Location"] == f"/units/{unit.pk}/"
    assert unit.parent == cast.gov
    assert AuditEvent.objects.for_object(unit).get().action == AuditAction.CREATE


# -- export -----------------------------------------------------------------------------------


def exported_names(response: Any, fmt: str) -> list[str]:
    rows = read_table(response.content, f"x.{fmt}")
    return sorted(row[0] for row in rows[1:])


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_office_and_evaluators_export_the_whole_directory(cast: Cast, fmt: str) -> None:
    for user in (cast.office, cast.evaluator):
        response = client_for(user).get("/units/export/", {"format": fmt})
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert f".{fmt}" in response["Content-Disposition"]
        assert exported_names(response, fmt) == ["区人民政府办公室", "区司法局", "区财政局"]


def test_a_liaisons_export_holds_only_their_unit(cast: Cast) -> None:
    response = client_for(cast.justice_liaison).get("/units/export/", {"format": "csv"})
    assert exported_names(response, "csv") == ["区司法局"]


def test_a_liaison_cannot_export_another_unit(cast: Cast) -> None:
    client = client_for(cast.justice_liaison)
    assert client.get("/units/export/", {"unit": cast.finance.pk}).status_code == 404
    assert client.get("/units/export/", {"unit": "x"}).status_code == 404
    own = client.get("/units/export/", {"unit": str(cast.justice.pk), "format": "csv"})
    assert exported_names(own, "csv") == ["区司法局"]


def test_an_unknown_export_format_is_a_bad_request(cast: Cast) -> None:
    assert client_for(cast.office).get("/units/export/", {"format": "pdf"}).status_code == 400


# -- import -----------------------------------------------------------------------------------


def test_only_the_office_may_open_the_import_page(cast: Cast) -> None:
    for user in (cast.justice_liaison, cast.evaluator):
        client = client_for(user)
        assert client.get("/units/import/").status_code == 403
        data = {"file": upload(xlsx([HEADER]))}
        assert csrf_post(client, "/units/import/", data).status_code == 403
        assert csrf_post(client, "/units/import/confirm/", {"token": "x"}).status_code == 403


def test_the_preview_shows_actions_changes_and_errors_and_offers_no_confirm_on_error(
    cast: Cast,
) -> None:
    data = xlsx(
        [
            HEADER,
            ["区财政局", "财政", "", "部门", "区人民政府办公室", "", "是"],
            ["区审计局", "", "", "委员会", "", "", "是"],
        ]
    )
    response = csrf_post(client_for(cast.office), "/units/import/", {"file": upload(data)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "更新" in page and "财政局 → 财政" in page
    assert "类型「委员会」无法识别" in page
    assert "未导入任何数据" in page
    assert "确认导入" not in page
    assert pending_files() == []
    assert Unit.objects.get(pk=cast.finance.pk).short_name == "财政局"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"just text", "名录.xlsx", "不是有效的 Excel"),
        (b"x", "名录.docx", "仅支持 .xlsx 和 .csv"),
        (b"", "名录.csv", "上传的文件是空的"),
    ],
)
def test_an_upload_is_checked_by_its_content(
    cast: Cast, data: bytes, name: str, message: str
) -> None:
    response = csrf_post(client_for(cast.office), "/units/import/", {"file": upload(data, name)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert pending_files() == []


def test_an_upload_over_the_size_limit_is_refused(cast: Cast, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    data = b"\xef\xbb\xbf" + "名称\r\n".encode() + b"a" * (1024 * 1024)
    response = csrf_post(client_for(cast.office), "/units/import/", {"file": upload(data, "u.csv")})
    assert "文件超过 1 MB" in response.content.decode()
    assert pending_files() == []


def test_confirming_a_preview_imports_through_a_job_and_lands_on_its_page(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = client_for(cast.office)
    data = xlsx(
        [
            HEADER,
            ["区司法局法律援助中心", "", "", "事业单位", "区审计局", "", "是"],
            ["区审计局", "审计局", "", "部门", "区人民政府办公室", "", "是"],
        ]
    )
    page = csrf_post(client, "/units/import/", {"file": upload(data)}).content.decode()
    assert "新建 2 个" in page and "确认导入" in page
    (stored,) = pending_files()
    token = stored.name
    assert f'value="{token}"' in page
    assert not Unit.objects.filter(name="区审计局").exists()  # the preview writes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(client, "/units/import/confirm/", {"token": token})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.status, job.created_by) == (
        JobKind.UNITS_IMPORT,
        JobStatus.SUCCEEDED,
        cast.office,
    )
    assert job.result == {"created": 2, "updated": 0, "unchanged": 0, "filename": "名录.xlsx"}
    centre = Unit.objects.get(name="区司法局法律援助中心")
    assert centre.parent is not None and centre.parent.name == "区审计局"
    event = AuditEvent.objects.for_object(centre).get()
    assert event.actor == cast.office and f"后台任务 #{job.pk}" in event.comment
    assert pending_files() == []

    # The same token cannot start a second import.
    again = csrf_post(client, "/units/import/confirm/", {"token": token})
    assert again["Location"] == "/units/import/"
    assert Job.objects.count() == 1


def test_a_token_not_previewed_in_this_session_starts_nothing(cast: Cast) -> None:
    other = client_for(cast.office)
    csrf_post(
        other,
        "/units/import/",
        {"file": upload(xlsx([HEADER, ["区审计局", "", "", "部门", "", "", "是"]]))},
    )
    (stored,) = pending_files()
    response = csrf_post(client_for(cast.office), "/units/import/confirm/", {"token": stored.name})
    assert response["Location"] == "/units/import/"
    assert not Job.objects.exists()


def test_a_job_whose_file_no_longer_fits_the_directory_fails_and_writes_nothing(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = client_for(cast.office)
    data = xlsx([HEADER, ["区审计局", "", "", "部门", "区财政局", "", "是"]])
    page = csrf_post(client, "/units/import/", {"file": upload(data)}).content.decode()
    assert "确认导入" in page
    (stored,) = pending_files()
    # Between preview and confirmation, the parent the file names is renamed.
    Unit.objects.filter(pk=cast.finance.pk).update(name="区财政局（旧）")
    before = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        csrf_post(client, "/units/import/confirm/", {"token": stored.name})
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "未写入任何数据" in job.error and "上级单位「区财政局」" in job.error
    assert not Unit.objects.filter(name="区审计局").exists()
    assert AuditEvent.objects.count() == before
    assert pending_files() == []


# -- resolve ----------------------------------------------------------------------------------


def test_the_office_checks_how_a_task_lists_units_cell_resolves(cast: Cast) -> None:
    group = UnitGroup.objects.create(name="各成员单位", mode=GroupMode.EXPLICIT)
    group.members.set([cast.justice, cast.finance])
    cell = "市司法局牵头，各成员单位负责；区财政司"
    page = client_for(cast.office).get("/units/resolve/", {"q": cell}).content.decode()
    assert "<html" in page
    assert "简称或别名" in page and f'href="/units/{cast.justice.pk}/"' in page
    assert "单位组「各成员单位」" in page
    assert "未能确定" in page and "区财政局（75）" in page


def test_the_resolve_tool_answers_htmx_with_just_the_table(cast: Cast) -> None:
    response = client_for(cast.evaluator).get(
        "/units/resolve/", {"q": "司法局"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page and "简称或别名" in page


def test_a_liaison_may_not_use_the_resolve_tool(cast: Cast) -> None:
    assert client_for(cast.justice_liaison).get("/units/resolve/", {"q": "x"}).status_code == 403
