"""One real inspection end to end: a tiny site served on loopback, crawled by the real crawler in
its child process (gongkai.inspect.isolated) through the job, twice — a broken link becomes a
ticket, and once the page is fixed the re-check closes it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cast, client_for, csrf_post
from tests.test_inspection_story import site_form


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "site"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", root
    finally:
        server.shutdown()
        server.server_close()


HOME = """<!doctype html><html><head><meta charset="utf-8"><title>区人民政府</title></head><body>
<h1>区人民政府</h1><ul>
<li><a href="/news.html">政务动态</a></li>
<li><a href="{target}">区政府工作报告</a></li>
</ul></body></html>"""
NEWS = """<!doctype html><html><head><meta charset="utf-8"><title>政务动态</title></head><body>
<h1>政务动态</h1><p>区政府召开常务会议。</p><a href="/">首页</a></body></html>"""


def test_a_real_crawl_opens_and_closes_a_broken_link_ticket(
    cast: Cast, served: tuple[str, Path], django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.inspection.models import InspectedSite, Inspection, Ticket
    from gongkai.jobs.models import Job, JobStatus

    base, root = served
    (root / "index.html").write_text(HOME.format(target="/report.html"), "utf-8")
    (root / "news.html").write_text(NEWS, "utf-8")
    office = client_for(cast.office)
    form = site_form(cast.gov.pk, base_url=base, allow_private="on", max_pages=50)
    assert csrf_post(office, "/inspection/sites/new/", form).status_code == 302
    site = InspectedSite.objects.get()

    def run() -> Inspection:
        with django_capture_on_commit_callbacks(execute=True):
            csrf_post(office, f"/inspection/sites/{site.pk}/run/")
        job = Job.objects.latest("pk")
        assert job.status == JobStatus.SUCCEEDED, job.error
        return Inspection.objects.get(job=job)

    first = run()
    assert first.status == "finished" and first.pages_crawled >= 2
    broken = Ticket.objects.get(site=site, type="broken_link")
    assert broken.url == base + "report.html" and broken.status == "open"
    assert broken.unit_id == cast.gov.pk

    (root / "report.html").write_text(NEWS.replace("政务动态", "区政府工作报告"), "utf-8")
    second = run()
    assert second.status == "finished" and second.complete
    broken.refresh_from_db()
    assert broken.status == "fixed" and broken.fixed_in_id == second.pk
