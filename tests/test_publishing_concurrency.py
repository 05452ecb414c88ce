"""Racing publications never share a 索引号, and two reviewers deciding the same stage at once
leave one decision and one ReviewConflict: on PostgreSQL with threads on the test database (CI's
PostgreSQL run sets DATABASE_URL), on SQLite with processes sharing one database file (the
embedded default)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from gongkai.accounts.models import Role, User
from gongkai.publishing import actions
from gongkai.publishing.models import DocKind, DocState, Document, IndexCounter, ReviewStep
from gongkai.units.models import Unit, UnitKind

WORKERS = 4
ROUNDS = 5
DAY = dt.date(2026, 3, 10)  # the 发布日期: the numbers are of 2026 whatever the day the suite runs

# Run by `gongkai shell -c` in a fresh process: make the unit, the office and the documents.
_SETUP = f"""
import datetime as dt
from gongkai.accounts.models import Role, User
from gongkai.publishing import actions
from gongkai.publishing.models import DocKind, DocState, Document
from gongkai.units.models import Unit
unit = Unit.objects.create(name="区司法局", kind="department", code="SFJ")
office = User.objects.create_user(username="office", role=Role.OFFICE)
for n in range({WORKERS * ROUNDS}):
    Document.objects.create(
        unit=unit, kind=DocKind.NORMATIVE, title=f"文件{{n}}", body_html="<p>正文</p>",
        body_text="正文", doc_number=f"区司发〔2026〕{{n}}号", written_on=dt.date(2026, 3, 2),
        state=DocState.APPROVED,
    )
racing = actions.create_document(
    office, unit=unit, kind=DocKind.NOTICE, title="停电通知", body_html="<p>正文</p>"
)
actions.submit(office, racing)
print("racing", racing.pk)
"""

_PUBLISH = """
import datetime as dt
from gongkai.accounts.models import User
from gongkai.publishing import actions
from gongkai.publishing.models import Document
office = User.objects.get(username="office")
for pk in {pks}:
    done = actions.publish(office, Document.objects.get(pk=pk), published_on=dt.date(2026, 3, 10))
    print("number", done.index_number)
"""

_REVIEW = """
from gongkai.accounts.models import User
from gongkai.publishing import actions
from gongkai.publishing.models import Document
office = User.objects.get(username="office")
try:
    actions.review(office, Document.objects.get(pk={pk}), approve=True, stage="initial")
    print("outcome decided")
except actions.ReviewConflict:
    print("outcome conflict")
"""


def _processes(tmp_path: Path) -> tuple[list[str], list[str], int]:
    """(index numbers, review outcomes, review steps) from processes on one SQLite file."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "GONGKAI_DATA_DIR": str(tmp_path / "data"),
    }
    run = [sys.executable, "-m", "gongkai"]

    def shell(code: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*run, "shell", "-c", code], env=env, stdout=subprocess.PIPE, text=True
        )

    def lines(procs: list[subprocess.Popen[str]], key: str) -> list[str]:
        out = []
        for p in procs:
            stdout, _ = p.communicate(timeout=300)
            assert p.returncode == 0
            out += [line.split(" ", 1)[1] for line in stdout.splitlines() if line.startswith(key)]
        return out

    subprocess.run([*run, "migrate", "-v0"], env=env, check=True, timeout=300)
    [racing] = lines([shell(_SETUP)], "racing")
    first = int(racing) - WORKERS * ROUNDS  # the documents made before it, in order
    batches = [[first + w * ROUNDS + r for r in range(ROUNDS)] for w in range(WORKERS)]
    numbers = lines([shell(_PUBLISH.format(pks=b)) for b in batches], "number")
    outcomes = lines([shell(_REVIEW.format(pk=racing)) for _ in range(2)], "outcome")
    steps = int(
        lines(
            [
                shell(
                    "from gongkai.publishing.models import ReviewStep\n"
                    f"print('steps', ReviewStep.objects.filter(document_id={racing}).count())"
                )
            ],
            "steps",
        )[0]
    )
    return numbers, outcomes, steps


def _threads(work: list[Callable[[], str]]) -> list[str]:
    out: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(work))

    def run(job: Callable[[], str]) -> None:
        try:
            start.wait()
            result = job()
            with lock:
                out.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def _in_threads() -> tuple[list[str], list[str], int]:
    unit = Unit.objects.create(name="区司法局", kind=UnitKind.DEPARTMENT, code="SFJ")
    office = User.objects.create_user(username="office", role=Role.OFFICE)
    pks = [
        Document.objects.create(
            unit=unit,
            kind=DocKind.NORMATIVE,
            title=f"文件{n}",
            body_html="<p>正文</p>",
            body_text="正文",
            doc_number=f"区司发〔2026〕{n}号",
            written_on=dt.date(2026, 3, 2),
            state=DocState.APPROVED,
        ).pk
        for n in range(WORKERS * ROUNDS)
    ]

    def publisher(batch: list[int]) -> Callable[[], str]:
        def job() -> str:
            return " ".join(
                str(
                    actions.publish(
                        office, Document.objects.get(pk=pk), published_on=DAY
                    ).index_number
                )
                for pk in batch
            )

        return job

    batches = [pks[w * ROUNDS : (w + 1) * ROUNDS] for w in range(WORKERS)]
    numbers = " ".join(_threads([publisher(b) for b in batches])).split()

    racing = actions.create_document(
        office, unit=unit, kind=DocKind.NOTICE, title="停电通知", body_html="<p>正文</p>"
    )
    actions.submit(office, racing)

    def reviewer() -> str:
        try:
            actions.review(
                office, Document.objects.get(pk=racing.pk), approve=True, stage="initial"
            )
        except actions.ReviewConflict:
            return "conflict"
        return "decided"

    outcomes = _threads([reviewer, reviewer])
    return numbers, outcomes, ReviewStep.objects.filter(document=racing).count()


@pytest.mark.django_db(transaction=True)
def test_racing_publications_and_reviews(tmp_path: Path) -> None:
    if connection.vendor == "postgresql":
        numbers, outcomes, steps = _in_threads()
        assert IndexCounter.objects.get(prefix="SFJ/2026-{serial}").last == WORKERS * ROUNDS
    else:
        numbers, outcomes, steps = _processes(tmp_path)
    assert len(numbers) == WORKERS * ROUNDS
    assert sorted(numbers) == [f"SFJ/2026-{n:05d}" for n in range(1, WORKERS * ROUNDS + 1)]
    assert sorted(outcomes) == ["conflict", "decided"]
    assert steps == 1
