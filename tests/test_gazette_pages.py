"""政府公报: who may do what, what the portal hides, the limits on uploads and search, the
reader information, and the gazette as evidence on task-tracking checkpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.gazette.linked import lines
from gongkai.gazette.models import GazetteInfo, Issue, IssueState
from gongkai.work.models import Checkpoint
from tests.conftest import Cast, client_for, csrf_post
from tests.test_gazette_story import (
    add_pdf_item,
    at,
    new_issue,
    pdf_bytes,
    published_document,
    text_of,
    upload,
)
from tests.work_factories import TaskSpec, make_plan, year_end

pytestmark = pytest.mark.django_db


def published_issue(cast: Cast, number: int = 1, words: str = "gazette words") -> Issue:
    office = client_for(cast.office)
    with at("2026-03-10 09:00"):
        issue = new_issue(office, number)
        assert (
            add_pdf_item(office, issue, f"第{number}期的通知", pdf_bytes(words)).status_code == 302
        )
        assert csrf_post(office, f"/gazette/{issue.pk}/publish/").status_code == 302
    issue.refresh_from_db()
    return issue


def test_a_liaison_reads_the_gazette_but_cannot_change_it(cast: Cast) -> None:
    office = client_for(cast.office)
    with at("2026-03-10 09:00"):
        issue = new_issue(office)
    liaison = client_for(cast.justice_liaison)
    assert liaison.get("/gazette/").status_code == 200
    assert liaison.get(f"/gazette/{issue.pk}/").status_code == 200
    assert "添加目录条目" not in text_of(liaison.get(f"/gazette/{issue.pk}/"))
    assert liaison.get("/gazette/new/").status_code == 403
    assert liaison.get(f"/gazette/{issue.pk}/edit/").status_code == 403
    refused = [
        csrf_post(liaison, "/gazette/new/", {"year": "2026", "number": "9"}),
        add_pdf_item(liaison, issue, "联络员的条目", pdf_bytes("x")),
        csrf_post(liaison, f"/gazette/{issue.pk}/publish/"),
        csrf_post(liaison, f"/gazette/{issue.pk}/pdf/", {"file": upload("a.pdf", pdf_bytes("y"))}),
        csrf_post(liaison, "/gazette/info/", {"address": "某地"}),
    ]
    assert [r.status_code for r in refused] == [403] * 5
    issue.refresh_from_db()
    assert issue.state == IssueState.DRAFT and issue.items.count() == 0
    assert not Issue.objects.filter(number=9).exists() and not GazetteInfo.objects.exists()


def test_staff_pages_need_a_login(anon: Client) -> None:
    for url in ("/gazette/", "/gazette/new/", "/gazette/info/", "/gazette/1/"):
        response = anon.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_drafts_and_withdrawn_issues_are_404_on_the_portal(cast: Cast, anon: Client) -> None:
    issue = published_issue(cast)
    item = issue.items.get()
    office = client_for(cast.office)
    whole = {"file": upload("全.pdf", pdf_bytes("z"))}
    with at("2026-03-10 09:00"):
        # A published issue takes no new file either.
        assert csrf_post(office, f"/gazette/{issue.pk}/pdf/", whole).status_code == 400
        no_reason = csrf_post(office, f"/gazette/{issue.pk}/withdraw/", {"reason": ""})
        assert no_reason.status_code == 400 and "请填写撤回发布的理由" in text_of(no_reason)
        withdrawn = csrf_post(office, f"/gazette/{issue.pk}/withdraw/", {"reason": "目录有误"})
        assert withdrawn.status_code == 302
    for url in (
        "/portal/gb/2026/",
        "/portal/gb/2026/1/",
        "/portal/gb/2026/1/pdf",
        f"/portal/gb/files/{item.pk}",
    ):
        assert anon.get(url).status_code == 404, url
    assert "暂无已发布的政府公报" in text_of(anon.get("/portal/gb/"))
    assert "第1期的通知" not in text_of(anon.get("/portal/gb/search/?q=通知"))
    assert "撤回发布：目录有误" in text_of(office.get(f"/gazette/{issue.pk}/"))


def test_a_published_issue_is_changed_only_after_it_is_withdrawn(cast: Cast) -> None:
    issue = published_issue(cast)
    office = client_for(cast.office)
    refused = add_pdf_item(office, issue, "补登的通知", pdf_bytes("late"))
    assert refused.status_code == 400 and "须先撤回发布" in text_of(refused)
    removed = csrf_post(office, f"/gazette/items/{issue.items.get().pk}/remove/")
    assert removed.status_code == 400 and issue.items.count() == 1


def test_publishing_needs_contents_and_a_date_not_in_the_future(cast: Cast) -> None:
    office = client_for(cast.office)
    with at("2026-03-01 09:00"):
        issue = new_issue(office)
        page = text_of(office.get(f"/gazette/{issue.pk}/"))
        assert "本期还没有目录条目" in page and "出版日期 2026-03-10 晚于今天" in page
        refused = csrf_post(office, f"/gazette/{issue.pk}/publish/")
        assert refused.status_code == 400 and "不能发布" in text_of(refused)
    issue.refresh_from_db()
    assert issue.state == IssueState.DRAFT


def test_an_issue_number_is_unique_within_its_year(cast: Cast) -> None:
    office = client_for(cast.office)
    with at("2026-03-10 09:00"):
        new_issue(office, 3, total_number="215")
        again = csrf_post(
            office, "/gazette/new/", {"year": "2026", "number": "3", "published_on": "2026-03-11"}
        )
        assert again.status_code == 400 and "2026年第3期已经存在" in text_of(again)
        total = csrf_post(
            office,
            "/gazette/new/",
            {"year": "2026", "number": "4", "total_number": "215", "published_on": "2026-03-20"},
        )
        assert total.status_code == 400 and "总第215期已经存在" in text_of(total)
        new_issue(office, 3, year="2025", published_on="2025-03-10")
    assert Issue.objects.filter(number=3).count() == 2


def test_an_item_is_a_document_or_a_pdf_never_neither(cast: Cast) -> None:
    office = client_for(cast.office)
    with at("2026-03-10 09:00"):
        issue = new_issue(office)
        url = f"/gazette/{issue.pk}/items/"
        neither = csrf_post(office, url, {"section": "市政府文件", "title": "空条目"})
        assert neither.status_code == 400 and "或上传一个 PDF 文件" in text_of(neither)
        unknown = csrf_post(office, url, {"section": "市政府文件", "index_number": "NONE-1"})
        assert unknown.status_code == 400 and "没有找到索引号为「NONE-1」" in text_of(unknown)
        untitled = add_pdf_item(office, issue, "", pdf_bytes("no title"))
        assert untitled.status_code == 400 and "须填写标题" in text_of(untitled)
        published_document(cast.justice, "某办法", "SFJ/2026-00001", "")
        both = csrf_post(
            office,
            url,
            {
                "section": "市政府文件",
                "index_number": "SFJ/2026-00001",
                "file": upload("a.pdf", pdf_bytes("both")),
            },
        )
        assert both.status_code == 400 and "只能二选一" in text_of(both)
    assert issue.items.count() == 0


def test_an_oversized_pdf_is_refused_and_not_kept(cast: Cast, settings: object) -> None:
    settings.UPLOAD_MAX_BYTES = 1024  # type: ignore[attr-defined]  # pytest-django's settings fixture
    office = client_for(cast.office)
    with at("2026-03-10 09:00"):
        issue = new_issue(office)
        big = add_pdf_item(office, issue, "大文件", pdf_bytes(*["page"] * 30) + b" " * 2048)
    assert big.status_code == 400 and "超过大小上限" in text_of(big)
    root = settings.MEDIA_ROOT / "gazette"  # type: ignore[attr-defined]  # as above
    assert list(root.rglob("*.*")) == []  # neither the partial upload nor a stored file
    assert issue.items.count() == 0


def test_the_full_pdf_of_an_issue_is_downloadable_and_searchable(cast: Cast, anon: Client) -> None:
    office = client_for(cast.office)
    with at("2026-03-10 09:00"):
        issue = new_issue(office)
        assert add_pdf_item(office, issue, "目录一", pdf_bytes("first")).status_code == 302
        added = csrf_post(
            office,
            f"/gazette/{issue.pk}/pdf/",
            {"file": upload("2026-3.pdf", pdf_bytes("Quarry permits list"))},
        )
        assert added.status_code == 302
        assert csrf_post(office, f"/gazette/{issue.pk}/publish/").status_code == 302
    whole = anon.get("/portal/gb/2026/3/pdf")
    assert whole.status_code == 200 and "2026-3.pdf" in whole["Content-Disposition"]
    found = anon.get("/portal/gb/search/", {"q": "quarry"})
    assert "整期 PDF 中含有「quarry」的期次" in text_of(found)
    assert 'href="/portal/gb/2026/3/"' in found.content.decode()


def test_gazette_search_is_capped_in_length_and_rate_limited(
    cast: Cast, anon: Client, settings: object
) -> None:
    settings.SEARCH_RATE_LIMIT = 2  # type: ignore[attr-defined]  # pytest-django's settings fixture
    published_issue(cast)
    long = anon.get("/portal/gb/search/", {"q": "长" * 101})
    assert long.status_code == 400 and "检索词过长" in text_of(long)
    with at("2026-03-10 09:00:05"):
        assert anon.get("/portal/gb/search/", {"q": "通知"}).status_code == 200
        # The portal's search and the gazette's share one budget per address.
        assert anon.get("/portal/search/", {"q": "通知"}).status_code == 200
        refused = anon.get("/portal/gb/search/", {"q": "通知"})
        assert refused.status_code == 429 and int(refused["Retry-After"]) == 55
        assert "检索次数已达上限" in text_of(refused) and "第1期的通知" not in text_of(refused)
    with at("2026-03-10 09:01:00"):
        assert anon.get("/portal/gb/search/", {"q": "通知"}).status_code == 200


def test_search_results_are_paginated(cast: Cast, anon: Client) -> None:
    office = client_for(cast.office)
    with at("2026-03-10 09:00"):
        issue = new_issue(office)
        for n in range(22):
            add_pdf_item(office, issue, f"公告第{n + 1:02d}号", pdf_bytes(f"item {n}"))
        csrf_post(office, f"/gazette/{issue.pk}/publish/")
    first = anon.get("/portal/gb/search/", {"q": "公告"})
    assert "共 22 条" in text_of(first) and "第 1 / 2 页" in text_of(first)
    second = text_of(anon.get("/portal/gb/search/", {"q": "公告", "page": "2"}))
    assert "公告第21号" in second and "公告第01号" not in second


def test_the_reader_information_is_edited_by_the_office_and_shown_on_the_portal(
    cast: Cast, anon: Client
) -> None:
    published_issue(cast)
    office = client_for(cast.office)
    saved = csrf_post(
        office,
        "/gazette/info/",
        {
            "address": "泰安市东岳大街 6 号市政务服务中心一楼",
            "phone": "0538-6991234",
            "hours": "工作日 9:00—17:00",
            "how_to_obtain": "到赠阅点免费领取。",
        },
    )
    assert saved.status_code == 302
    for url in ("/portal/gb/", "/portal/gb/2026/", "/portal/gb/2026/1/"):
        page = text_of(anon.get(url))
        assert "泰安市东岳大街 6 号市政务服务中心一楼" in page and "0538-6991234" in page, url
    assert GazetteInfo.objects.count() == 1
    # The default 指南 tells readers where the printed gazette is, for the office to fill in.
    guide = text_of(anon.get("/portal/zwgk/guide/"))
    assert "查阅和获取政府公报" in guide and "纸质公报的赠阅点设在【公报赠阅点地址】" in guide


def test_checkpoints_of_gazette_tasks_show_the_gazette_figures(cast: Cast) -> None:
    published_issue(cast, 1)
    published_issue(cast, 2)
    plan = make_plan(
        [
            TaskSpec(
                "进一步增强政府公报规范性，加快推进政府公报数字化工作，实现创刊以来刊登内容全部入库管理。",
                [cast.justice],
                rules=[year_end()],
            ),
            TaskSpec("強化政府公報服務公眾的功能", [cast.finance], rules=[year_end()]),
            TaskSpec("主動公開統計公報、普查公報", [cast.justice], rules=[year_end()]),
        ]
    )
    office = client_for(cast.office)
    shown: list[str] = []
    for checkpoint in Checkpoint.objects.filter(plan=plan).order_by("pk"):
        response = office.get(reverse("work:checkpoint", args=[checkpoint.pk]))
        assert response.status_code == 200
        shown.append(text_of(response))
    simplified, traditional, statistics = shown
    for page in (simplified, traditional):
        assert "平台登记的佐证" in page
        assert "2026 年已发布政府公报 2 期，目录条目 2 条" in page
        assert "最近一期：2026年第2期，出版日期 2026-03-10" in page
        assert "政府公报查阅信息缺少：赠阅点地址、联系电话、开放时间、获取方式" in page
    assert "已发布政府公报" not in statistics


def test_a_year_without_issues_is_a_problem_line() -> None:
    assert [(line.text, line.problem) for line in lines(1, 2031)] == [
        ("2031 年尚未发布政府公报", True)
    ]


def test_removing_an_item_of_a_draft_deletes_its_file_and_is_audited(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    office = client_for(cast.office)
    with at("2026-03-10 09:00"):
        issue = new_issue(office)
        assert add_pdf_item(office, issue, "错登的通知", pdf_bytes("wrong")).status_code == 302
        item = issue.items.get()
        stored = Path(django_settings.MEDIA_ROOT) / "gazette" / item.pdf_name
        assert stored.is_file()
        with django_capture_on_commit_callbacks(execute=True):
            removed = csrf_post(office, f"/gazette/items/{item.pk}/remove/")
    assert removed.status_code == 302 and issue.items.count() == 0
    assert not stored.exists()
    deleted = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert deleted.object_repr == "2026年第3期：错登的通知"
    assert "错登的通知" in text_of(office.get(f"/gazette/{issue.pk}/"))  # still in the trail


def test_numbers_too_large_for_the_database_are_404(anon: Client, db: None) -> None:
    for url in (
        "/portal/gb/99999999999/",
        "/portal/gb/2026/99999999999/",
        "/portal/gb/files/99999999999",
    ):
        assert anon.get(url).status_code == 404, url
