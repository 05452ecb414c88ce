"""Walk every URL the project serves and prove the access rules hold for each.

- Every page needs a login (except the login page and the API's own schema/docs).
- For every URL that names a record, a liaison of 财政局 asking for a record of 司法局 gets
  404 — the same answer as for a record that does not exist — on GET and on POST, while
  司法局's own liaison is not refused with 404.
A new URL with a record in it fails `test_every_record_url_is_covered` until it is added to
RECORDS below: the walk cannot silently miss it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests import (
    access_decisions,
    access_gazette,
    access_institutions,
    access_newmedia,
    access_opinion,
    access_proposals,
    access_withheld,
)
from tests.conftest import Cast, client_for, csrf_post

SKIP_PREFIXES = ("admin/",)  # the admin is guarded by permissions, tested in test_accounts
PUBLIC = {
    "login/",
    "api/openapi.json",
    "api/docs",
    # The public request form and status lookup (gongkai/disclosure/views/public.py).
    "apply/",
    "apply/done/",
    "apply/status/",
    "apply/status/forget/",
    "apply/status/letters/<int:pk>",
    "apply/status/files/<int:pk>",
    # The public portal (gongkai/portal/views/).
    "portal/",
    "portal/zwgk/",
    "portal/zwgk/guide/",
    "portal/zwgk/system/",
    "portal/zwgk/documents/",
    "portal/zwgk/reports/",
    "portal/zwgk/reports/<int:pk>/",
    "portal/zwgk/cleanups/",
    "portal/zwgk/cleanups/<int:pk>/",
    "portal/documents/<int:pk>/",
    "portal/documents/<int:pk>/files/<int:file_pk>",
    "portal/search/",
    # 互动交流's public pages (gongkai/interact/views/public.py).
    "portal/hdjl/",
    "portal/hdjl/<int:pk>/",
    "portal/hdjl/ask/",
    "portal/hdjl/ask/done/",
    "portal/hdjl/status/",
    "portal/hdjl/stats/",
    # 意见征集's public pages (gongkai/consult/views/public.py).
    "portal/yjzj/",
    "portal/yjzj/<int:pk>/",
    "portal/yjzj/<int:pk>/comment/",
    "portal/yjzj/files/<int:pk>",
}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


def all_routes() -> list[str]:
    routes = [r.lstrip("^").rstrip("$") for r in _walk(get_resolver().url_patterns)]
    return sorted({r for r in routes if not r.startswith(SKIP_PREFIXES)})


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\{(\w+)\}")


def record_routes() -> list[str]:
    return [r for r in all_routes() if PARAM.search(r)]


def _job_of_justice(cast: Cast) -> int:
    from gongkai.jobs.models import Job, JobKind

    return Job.objects.create(
        kind=JobKind.SELF_TEST, created_by=cast.justice_liaison, unit=cast.justice
    ).pk


def _token_of_justice(cast: Cast) -> int:
    from gongkai.accounts.models import ApiToken

    return ApiToken.issue(cast.justice_liaison, "t")[0].pk


def _justice_work(cast: Cast) -> Any:
    from tests.work_factories import TaskSpec, checkpoints_of, make_plan

    plan = make_plan([TaskSpec("司法局的任务", [cast.justice], rules=[])])
    return checkpoints_of(plan, cast.justice)[0]


def _checkpoint_of_justice(cast: Cast) -> int:
    return int(_justice_work(cast).pk)


def _task_of_justice(cast: Cast) -> int:
    return int(_justice_work(cast).task_id)


def _assignment_of_justice(cast: Cast) -> int:
    return int(_justice_work(cast).assignment_id)


def _report_of_justice(cast: Cast) -> int:
    from gongkai.work.actions import ReportInput, submit_report

    checkpoint = _justice_work(cast)
    report = submit_report(cast.justice_liaison, checkpoint, ReportInput("done", text="已完成"))
    return int(report.pk)


def _evidence_of_justice(cast: Cast, kind: str) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.work.actions import ReportInput, submit_report

    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32  # recognised by its signature
    report = submit_report(
        cast.justice_liaison,
        _justice_work(cast),
        ReportInput(
            "in_progress",
            urls=["http://10.0.0.1/notice.html"],  # refused at once, no network
            files=[SimpleUploadedFile("报告.png", png)],
        ),
    )
    return int(report.evidence.get(kind=kind).pk)


def _reminder_of_justice(cast: Cast) -> int:
    import datetime as dt

    from gongkai.work.models import Channel, Reminder

    reminder = Reminder.objects.create(
        unit=cast.justice, day=dt.date(2026, 11, 20), channel=Channel.EMAIL
    )
    return int(reminder.pk)


def _ledger_job_of_justice(cast: Cast) -> int:
    from gongkai.jobs.models import Job, JobKind

    return Job.objects.create(kind=JobKind.LEDGER_EXPORT, created_by=cast.justice_liaison).pk


def _request_of_justice(cast: Cast) -> int:
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.disclosure.actions import RequestInput, register_request

    data = RequestInput(
        "person",
        "张三",
        "某文件",
        "in_person",
        dt.date(2025, 9, 26),
        cast.justice,
        contact_phone="1",
    )
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    request, _ = register_request(cast.office, data, [SimpleUploadedFile("申请.png", png)])
    return int(request.pk)


def _request_attachment_of_justice(cast: Cast) -> int:
    from gongkai.disclosure.models import Attachment

    return int(Attachment.objects.get(request_id=_request_of_justice(cast)).pk)


def _request_review_of_justice(cast: Cast) -> int:
    from gongkai.disclosure.actions import submit_reply
    from gongkai.disclosure.models import Request

    request = Request.objects.get(pk=_request_of_justice(cast))
    return int(submit_reply(cast.justice_liaison, request, outcome="granted", draft="予以公开").pk)


def _request_letter_of_justice(cast: Cast) -> int:
    import datetime as dt

    from gongkai.disclosure.letters import issue_letter
    from gongkai.disclosure.models import Request

    request = Request.objects.get(pk=_request_of_justice(cast))
    return int(issue_letter(cast.justice_liaison, request, "correction", dt.date(2025, 9, 28)).pk)


def _appeal_of_justice(cast: Cast) -> int:
    import datetime as dt

    from gongkai.disclosure.actions import AppealInput, record_appeal

    appeal = record_appeal(
        cast.office, AppealInput("reconsideration", dt.date(2025, 11, 20), cast.justice)
    )
    return int(appeal.pk)


def _disclosure_steps() -> list[str]:
    from gongkai.disclosure.steps import STEPS

    return [f"disclosure/<int:pk>/{slug}/" for slug in STEPS]


def _annual_report_of_justice(cast: Cast) -> int:
    from gongkai.reports.models import AnnualReport

    return int(AnnualReport.objects.create(year=2025, unit=cast.justice).pk)


def _document_of_justice(cast: Cast) -> int:
    from gongkai.publishing.actions import create_document

    doc = create_document(
        cast.justice_liaison,
        unit=cast.justice,
        kind="notice",
        title="司法局的通知",
        body_html="<p>通知</p>",
    )
    return int(doc.pk)


def _document_attachment_of_justice(cast: Cast) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.publishing.actions import add_attachment
    from gongkai.publishing.models import Document

    doc = Document.objects.get(pk=_document_of_justice(cast))
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    return int(add_attachment(cast.justice_liaison, doc, SimpleUploadedFile("附件.png", png)).pk)


def _publishing_acts() -> list[str]:
    acts = ("edit", "submit", "review", "redact", "override", "publish", "withdraw", "validity")
    return [f"publishing/<int:pk>/{act}/" for act in (*acts, "attachments")]


def _consultation_of_justice(cast: Cast) -> int:
    import datetime as dt

    from django.utils import timezone

    from gongkai.consult.actions import DraftInput, create_draft, publish

    today = timezone.localdate()
    data = DraftInput(
        unit=cast.justice,
        title="司法局的征求意见稿",
        draft="正文",
        explanation="起草说明",
        opens_on=today,
        closes_on=today + dt.timedelta(days=29),
    )
    return int(publish(cast.office, create_draft(cast.justice_liaison, data)).pk)


def _consult_comment_of_justice(cast: Cast) -> int:
    from gongkai.consult.actions import CommentInput, submit_comment
    from gongkai.consult.models import Consultation

    consultation = Consultation.objects.get(pk=_consultation_of_justice(cast))
    return int(submit_comment(consultation, CommentInput("意见", "13900000000")).pk)


def _consult_attachment_of_justice(cast: Cast) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.consult.actions import DraftInput, add_attachment, create_draft

    draft = create_draft(cast.justice_liaison, DraftInput(unit=cast.justice, title="草稿"))
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    return int(add_attachment(cast.justice_liaison, draft, SimpleUploadedFile("图.png", png)).pk)


def _consult_acts() -> list[str]:
    acts = ("edit", "attachments", "publish", "extend", "decision", "close", "comments", "report")
    return [f"consult/<int:pk>/{act}/" for act in (*acts, "report/publish")]


def _question_of_justice(cast: Cast) -> int:
    from gongkai.interact.actions import AskInput, ask, route

    question, _ = ask(AskInput(contact="13800000000", title="咨询", body="内容"))
    return int(route(cast.office, question, cast.justice).pk)


def _interact_acts() -> list[str]:
    from gongkai.interact.views.staff import ACTS

    return [f"interact/<int:pk>/{act}/" for act in ACTS]


#: route → function giving the id of a record that belongs to 司法局 (or its liaison).


def _inspection_site_of_justice(cast: Cast) -> int:
    from gongkai.inspection.models import InspectedSite

    site = InspectedSite.objects.create(
        name="司法局网站", base_url="http://sfj.example.gov.cn/", unit=cast.justice
    )
    return int(site.pk)


def _inspection_of_justice(cast: Cast) -> int:
    from django.utils import timezone

    from gongkai.inspection.models import Inspection

    site = _inspection_site_of_justice(cast)
    return int(
        Inspection.objects.create(site_id=site, status="finished", finished=timezone.now()).pk
    )


def _owner_rule_of_justice(cast: Cast) -> int:
    from gongkai.inspection.models import OwnerRule

    site = _inspection_site_of_justice(cast)
    return int(
        OwnerRule.objects.create(site_id=site, kind="prefix", pattern="/a/", unit=cast.justice).pk
    )


def _ticket_of_justice(cast: Cast) -> int:
    import datetime as dt

    from gongkai.inspection.models import Ticket

    ticket = Ticket.objects.create(
        site_id=_inspection_site_of_justice(cast),
        key="0" * 32,
        type="broken_link",
        severity="minor",
        url="http://sfj.example.gov.cn/gone.html",
        detail="断链",
        unit=cast.justice,
        opened_on=dt.date(2026, 11, 20),
    )
    return int(ticket.pk)


RECORDS: dict[str, Callable[[Cast], int]] = {
    "inspection/sites/<int:pk>/": _inspection_site_of_justice,
    "inspection/sites/<int:pk>/edit/": _inspection_site_of_justice,
    "inspection/sites/<int:pk>/run/": _inspection_site_of_justice,
    "inspection/sites/<int:pk>/cancel/": _inspection_site_of_justice,
    "inspection/sites/<int:pk>/rules/": _inspection_site_of_justice,
    "inspection/rules/<int:pk>/delete/": _owner_rule_of_justice,
    "inspection/runs/<int:pk>/": _inspection_of_justice,
    "inspection/tickets/<int:pk>/": _ticket_of_justice,
    "inspection/tickets/<int:pk>/dismiss/": _ticket_of_justice,
    "inspection/tickets/<int:pk>/restore/": _ticket_of_justice,
    "units/<int:pk>/": lambda c: c.justice.pk,
    "units/<int:pk>/edit/": lambda c: c.justice.pk,
    "jobs/<int:pk>/": _job_of_justice,
    "jobs/<int:pk>/progress/": _job_of_justice,
    "account/tokens/<int:pk>/revoke/": _token_of_justice,
    "api/units/<int:unit_id>": lambda c: c.justice.pk,
    "api/jobs/<int:job_id>": _job_of_justice,
    "work/checkpoints/<int:pk>/": _checkpoint_of_justice,
    "work/checkpoints/<int:pk>/report/": _checkpoint_of_justice,
    "work/reports/<int:pk>/review/": _report_of_justice,
    "work/tasks/<int:pk>/assignments/": _task_of_justice,
    "work/tasks/<int:pk>/assignments/add/": _task_of_justice,
    "work/assignments/<int:pk>/remove/": _assignment_of_justice,
    "work/assignments/<int:pk>/move/": _assignment_of_justice,
    "work/evidence/<int:pk>/": lambda c: _evidence_of_justice(c, "file"),
    "work/evidence/<int:pk>/recheck/": lambda c: _evidence_of_justice(c, "url"),
    "work/reminders/<int:pk>/retry/": _reminder_of_justice,
    "work/ledger/jobs/<int:pk>/download/": _ledger_job_of_justice,
    "work/reminders/units/<int:unit_id>/": lambda c: c.justice.pk,
    "work/reminders/units/<int:unit_id>/test/": lambda c: c.justice.pk,
    "api/work/checkpoints/<int:checkpoint_id>": _checkpoint_of_justice,
    "api/work/checkpoints/<int:checkpoint_id>/reports": _checkpoint_of_justice,
    "api/work/reports/<int:report_id>/review": _report_of_justice,
    "disclosure/<int:pk>/": _request_of_justice,
    **{route: _request_of_justice for route in _disclosure_steps()},
    "disclosure/files/<int:pk>": _request_attachment_of_justice,
    "disclosure/reviews/<int:pk>/decide/": _request_review_of_justice,
    "disclosure/appeals/<int:pk>/edit/": _appeal_of_justice,
    "disclosure/<int:pk>/letters/": _request_of_justice,
    "disclosure/<int:pk>/letters/<str:kind>/issue": _request_of_justice,
    "disclosure/letters/<int:pk>/download": _request_letter_of_justice,
    "api/disclosure/requests/<int:request_id>": _request_of_justice,
    "api/disclosure/requests/<int:request_id>/events": _request_of_justice,
    "api/disclosure/reviews/<int:review_id>/decision": _request_review_of_justice,
    "reports/<int:pk>/": _annual_report_of_justice,
    "reports/<int:pk>/sections/": _annual_report_of_justice,
    "reports/<int:pk>/table2/": _annual_report_of_justice,
    "reports/<int:pk>/transition/": _annual_report_of_justice,
    "reports/<int:pk>/report.docx": _annual_report_of_justice,
    "reports/<int:pk>/report.json": _annual_report_of_justice,
    "reports/<int:pk>/cell/": _annual_report_of_justice,
    "publishing/<int:pk>/": _document_of_justice,
    **{route: _document_of_justice for route in _publishing_acts()},
    "publishing/files/<int:pk>": _document_attachment_of_justice,
    "publishing/files/<int:pk>/remove/": _document_attachment_of_justice,
    "interact/<int:pk>/": _question_of_justice,
    **{route: _question_of_justice for route in _interact_acts()},
    "consult/<int:pk>/": _consultation_of_justice,
    **{route: _consultation_of_justice for route in _consult_acts()},
    "consult/comments/<int:pk>/moderate/": _consult_comment_of_justice,
    "consult/comments/<int:pk>/outcome/": _consult_comment_of_justice,
    "consult/attachments/<int:pk>": _consult_attachment_of_justice,
    "consult/attachments/<int:pk>/remove/": _consult_attachment_of_justice,
}

#: Record URLs whose records belong to no unit (the office's own data); checked for login only.
#: Calendar adjustments are the office's (a liaison's POST is refused with 403, see
#: test_calendar_adjustments.py).
UNSCOPED: set[str] = {
    "calendar/adjustments/<int:pk>/remove/",
    # Plans are the whole organisation's (gongkai/plans/access.py): every signed-in user may
    # open one; the tasks on it are scoped by unit (test_plans_pages.py). Import drafts and
    # fixing units are the office's (403 for others, test_plans_import.py).
    "plans/<int:pk>/",
    "plans/<int:pk>/assign/",
    "plans/<int:pk>/versions/<int:number>/",
    "plans/<int:pk>/versions/<int:number>/source/",
    "plans/drafts/<int:pk>/",
    "plans/drafts/<int:pk>/status/",
    "plans/drafts/<int:pk>/rows/",
    "plans/drafts/<int:pk>/picks/",
    "plans/drafts/<int:pk>/reset/",
    "plans/drafts/<int:pk>/confirm/",
    "plans/drafts/<int:pk>/discard/",
    "api/plans/<int:plan_id>",
    "api/plans/<int:plan_id>/tasks",
    # Quarterly checks are the office's: a draft is a 404 for liaisons and leaders, a published
    # one shows them their own units' rows and the ranking; scoring is 403 for all but the
    # office (test_work_quarter.py).
    "work/quarters/<int:pk>/",
    "work/quarters/<int:pk>/score/",
    "work/quarters/<int:pk>/prescore/",
    "work/quarters/<int:pk>/publish/",
    "work/quarters/<int:pk>/print/",
    "work/quarters/<int:pk>/export.xlsx",
    "api/work/quarters/<int:check_id>",
    # Letter templates are the office's (saving and resetting are 403 for others,
    # test_disclosure_letters.py); every signed-in user may read them.
    "disclosure/templates/<str:kind>/<str:outcome>/",
    "disclosure/templates/<str:kind>/<str:outcome>/preview",
    "disclosure/templates/<str:kind>/<str:outcome>/reset",
    # The applicant's downloads are checked against the status lookup kept in the session,
    # not against a user's units (test_disclosure_public.py: a stranger and another request's
    # lookup get 404).
    "apply/status/letters/<int:pk>",
    "apply/status/files/<int:pk>",
    # The yearly cleanup and the catalogue are the organisation's: every signed-in user may read
    # a cleanup, only the office changes either (403 for others, test_publishing_views.py).
    "publishing/cleanup/<int:pk>/",
    "publishing/cleanup/<int:pk>/items/",
    "publishing/cleanup/<int:pk>/publish/",
    "publishing/catalogue/<int:pk>/edit/",
    "publishing/catalogue/<int:pk>/move/",
    "publishing/catalogue/<int:pk>/active/",
    "publishing/catalogue/<int:pk>/delete/",
    # Published documents, annual reports and cleanup lists are everyone's; anything else is a
    # 404 (test_portal.py).
    "portal/zwgk/reports/<int:pk>/",
    "portal/zwgk/cleanups/<int:pk>/",
    "portal/documents/<int:pk>/",
    "portal/documents/<int:pk>/files/<int:file_pk>",
    # A published question is everyone's; any other is a 404 (test_interact_public.py).
    "portal/hdjl/<int:pk>/",
    # Public consultation pages: a published consultation is everyone's, a draft is a 404
    # (test_consult_public.py).
    "portal/yjzj/<int:pk>/",
    "portal/yjzj/<int:pk>/comment/",
    "portal/yjzj/files/<int:pk>",
}


# Each register of issue 8 lists its own routes (tests/access_<app>.py).
for _module in (
    access_opinion,
    access_proposals,
    access_newmedia,
    access_decisions,
    access_withheld,
    access_institutions,
    access_gazette,
):
    PUBLIC |= _module.PUBLIC
    RECORDS.update(_module.RECORDS)
    UNSCOPED |= _module.UNSCOPED


def _url(route: str, value: int) -> str:
    return "/" + PARAM.sub(str(value), route)


def test_every_record_url_is_covered() -> None:
    uncovered = [r for r in record_routes() if r not in RECORDS and r not in UNSCOPED]
    assert uncovered == [], "add these routes to RECORDS or UNSCOPED in this file"
    assert set(RECORDS) <= set(record_routes()), "RECORDS names routes that no longer exist"


@pytest.mark.parametrize("route", [r for r in all_routes() if r not in PUBLIC])
def test_every_page_needs_a_login(db: None, route: str, anon: Client) -> None:
    response = anon.get(_url(route, 1))
    if route.startswith("api/"):
        assert response.status_code in (401, 404, 405), response.status_code
    else:
        assert response.status_code in (302, 405), response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("route", sorted(RECORDS))
def test_a_liaison_gets_404_for_another_units_record(cast: Cast, route: str) -> None:
    pk = RECORDS[route](cast)
    url = _url(route, pk)
    outsider = client_for(cast.finance_liaison)
    get = outsider.get(url)
    post = csrf_post(outsider, url, {})
    assert get.status_code in (404, 405), f"GET {url}: {get.status_code}"
    assert post.status_code in (404, 405), f"POST {url}: {post.status_code}"
    assert 404 in (get.status_code, post.status_code)
    missing = outsider.get(_url(route, 999_999))
    assert missing.status_code == get.status_code  # "not yours" looks exactly like "not there"

    owner = client_for(cast.justice_liaison)
    assert owner.get(url).status_code != 404 or csrf_post(owner, url, {}).status_code != 404
