"""The 负面清单: the office keeps it (every change audited, the adjusted date moving only on a
real change), everyone signed in reads it, and the portal publishes the entries in use grouped
by their legal basis."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.contrib.contenttypes.models import ContentType

from gongkai.audit.models import AuditEvent
from gongkai.withheld.actions import EntryInput, create_entry
from gongkai.withheld.models import Basis, EntryStatus, NegativeEntry
from tests.conftest import Cast, client_for, csrf_post
from tests.test_withheld_story import at, text_of


def form(**over: Any) -> dict[str, Any]:
    data = {
        "title": "内部人事管理信息",
        "basis": Basis.INTERNAL_AFFAIRS,
        "basis_text": "",
        "description": "干部考核、内部人员调配等人事管理信息",
        "examples": "年度考核结果",
        "unit": "",
        "effective_on": "2026-01-01",
        "status": EntryStatus.ACTIVE,
    }
    return {**data, **over}


def entry(cast: Cast, title: str, basis: str, **over: Any) -> NegativeEntry:
    fields: dict[str, Any] = {
        "title": title,
        "basis": basis,
        "description": f"{title}的范围",
        "effective_on": dt.date(2026, 1, 1),
        **over,
    }
    return create_entry(cast.office, EntryInput(**fields))


def audit_of(e: NegativeEntry) -> list[AuditEvent]:
    kind = ContentType.objects.get_for_model(NegativeEntry)
    return list(AuditEvent.objects.filter(content_type=kind, object_id=str(e.pk)).order_by("pk"))


def test_the_office_adds_an_entry_and_the_addition_is_audited(cast: Cast) -> None:
    with time_machine.travel(at("2026-02-03"), tick=False):
        response = csrf_post(client_for(cast.office), "/withheld/entries/new/", form())
    assert response.status_code == 302
    added = NegativeEntry.objects.get()
    assert (added.title, added.unit, added.adjusted_on) == (
        "内部人事管理信息",
        None,
        dt.date(2026, 2, 3),
    )
    [event] = audit_of(added)
    assert event.action == "create" and event.changes["basis"] == [None, "art16.internal"]


def test_another_law_as_basis_needs_its_name_and_article(cast: Cast) -> None:
    office = client_for(cast.office)
    refused = csrf_post(office, "/withheld/entries/new/", form(basis=Basis.OTHER_LAW))
    assert refused.status_code == 400
    assert "请填写具体的法律、法规名称和条款" in text_of(refused)
    assert not NegativeEntry.objects.exists()
    basis = "《中华人民共和国档案法》第二十七条"
    done = csrf_post(office, "/withheld/entries/new/", form(basis="other", basis_text=basis))
    assert done.status_code == 302 and NegativeEntry.objects.get().basis_text == basis


def test_liaisons_leaders_and_evaluators_read_the_list_but_cannot_change_it(cast: Cast) -> None:
    kept = entry(cast, "执法案卷", Basis.ENFORCEMENT_FILE, unit=cast.justice)
    for user in (cast.justice_liaison, cast.finance_liaison, cast.justice_leader, cast.evaluator):
        client = client_for(user)
        index = client.get("/withheld/")
        assert index.status_code == 200 and "执法案卷" in text_of(index)
        assert f"/withheld/entries/{kept.pk}/edit/" not in index.content.decode()
        assert client.get("/withheld/entries/new/").status_code == 403
        assert csrf_post(client, "/withheld/entries/new/", form()).status_code == 403
        assert client.get(f"/withheld/entries/{kept.pk}/edit/").status_code == 403
        posted = csrf_post(client, f"/withheld/entries/{kept.pk}/edit/", form(title="改名"))
        assert posted.status_code == 403
    assert list(NegativeEntry.objects.values_list("title", flat=True)) == ["执法案卷"]
    assert len(audit_of(kept)) == 1
    assert client_for(cast.office).get("/withheld/entries/999999/edit/").status_code == 404


def test_a_change_moves_the_adjusted_date_and_saving_unchanged_does_not(cast: Cast) -> None:
    with time_machine.travel(at("2026-01-05"), tick=False):
        e = entry(cast, "内部人事管理信息", Basis.INTERNAL_AFFAIRS, examples="年度考核结果")
    office = client_for(cast.office)
    url = f"/withheld/entries/{e.pk}/edit/"
    same = form(description=e.description, examples="年度考核结果")
    with time_machine.travel(at("2026-03-10"), tick=False):
        assert csrf_post(office, url, same).status_code == 302
    e.refresh_from_db()
    assert e.adjusted_on == dt.date(2026, 1, 5) and len(audit_of(e)) == 1

    with time_machine.travel(at("2026-04-20"), tick=False):
        page = office.get(url)
        assert page.status_code == 200 and "年度考核结果" in page.content.decode()
        assert csrf_post(office, url, {**same, "status": EntryStatus.RETIRED}).status_code == 302
    e.refresh_from_db()
    assert e.status == EntryStatus.RETIRED and e.adjusted_on == dt.date(2026, 4, 20)
    retired = audit_of(e)[-1]
    assert retired.comment == "停用负面清单事项"
    assert retired.changes["status"] == ["active", "retired"]


def test_the_portal_shows_the_entries_in_use_grouped_by_basis(cast: Cast, anon: Any) -> None:
    with time_machine.travel(at("2026-01-05"), tick=False):
        entry(cast, "个人隐私信息", Basis.THIRD_PARTY, examples="身份证号码、住址")
        entry(cast, "国家秘密事项", Basis.STATE_SECRET)
        entry(cast, "律师执业处罚案卷", Basis.ENFORCEMENT_FILE, unit=cast.justice)
    with time_machine.travel(at("2026-02-06"), tick=False):
        entry(cast, "已废止的类别", Basis.PROCESS_INFO, status=EntryStatus.RETIRED)

    response = anon.get("/portal/fmqd/")
    text = text_of(response)
    assert response.status_code == 200
    assert "script-src 'none'" in response["Content-Security-Policy"]
    assert "<script" not in response.content.decode()
    assert "现行清单共 3 项，最近调整日期： 2026年2月6日" in text
    headings = [
        Basis.STATE_SECRET.label,
        Basis.THIRD_PARTY.label,
        Basis.ENFORCEMENT_FILE.label,
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "身份证号码、住址" in text and "区司法局" in text
    assert "已废止的类别" not in text and Basis.PROCESS_INFO.label not in text
    assert csrf_post(anon, "/portal/fmqd/").status_code == 405


def test_the_demo_list_loads_once_through_the_actions_and_is_on_the_portal(
    db: None, anon: Any
) -> None:
    from gongkai.demo.load import load_demo as load_directory
    from gongkai.withheld.demo import load_demo

    with time_machine.travel(at("2026-06-15"), tick=False):
        load_directory()
        load_demo(dt.date(2026, 6, 15))
        load_demo(dt.date(2026, 6, 15))
    entries = NegativeEntry.objects.all()
    assert entries.count() == 6 and len({e.basis for e in entries}) == 6
    assert {e.unit.name for e in entries if e.unit} == {"张店区司法局", "张店区财政局"}
    assert all(len(audit_of(e)) == 1 for e in entries)
    text = text_of(anon.get("/portal/fmqd/"))
    assert "现行清单共 6 项" in text and "《中华人民共和国税收征收管理法》第八条" in text


def test_the_edit_form_shows_the_effective_date_as_the_browser_reads_it(cast: Cast) -> None:
    """An <input type=date> takes only ISO dates: zh-hans would write 2026/01/01, which the
    browser shows as an empty field, and saving the form would then lose the date."""
    kept = entry(cast, "内部人事管理信息", Basis.INTERNAL_AFFAIRS)
    html = client_for(cast.office).get(f"/withheld/entries/{kept.pk}/edit/").content.decode()
    assert 'type="date"' in html
    assert 'value="2026-01-01"' in html
