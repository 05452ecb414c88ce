"""A job through a real broker: queued over Redis (or RabbitMQ), run by a real Celery worker.

Marked `broker`: .ci/run selects these when the brokers answer on loopback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from gongkai.config.celery import app as celery_app
from gongkai.jobs.models import Job, JobKind, JobStatus
from gongkai.jobs.runner import start_job
from gongkai.jobs.tasks import run_job_task

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

BROKERS = {
    "redis": "redis://127.0.0.1:6379/15",
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
}


@pytest.fixture(params=sorted(BROKERS))
def broker_app(request: pytest.FixtureRequest) -> Iterator[Celery]:
    """A Celery app with the project's settings but a real broker and no eager mode."""
    app = Celery("gongkai", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=BROKERS[request.param], broker_transport_options={}, task_always_eager=False
    )
    try:
        with app:
            app.control.purge()  # nothing left over from an interrupted run
            yield app
    finally:
        # start_worker made the test app the current and default one; give the suite its own back.
        celery_app.set_default()
        celery_app.set_current()


def _finished_runs() -> tuple[threading.Event, list[Any], Callable[..., None]]:
    done = threading.Event()
    ran: list[Any] = []

    def on_postrun(sender: Any = None, args: Any = None, retval: Any = None, **kw: Any) -> None:
        if sender is not None and sender.name == run_job_task.name:
            ran.append((args, retval))
            done.set()

    return done, ran, on_postrun


def test_a_job_sent_through_the_broker_is_run_by_a_worker(broker_app: Celery) -> None:
    done, ran, on_postrun = _finished_runs()
    task_postrun.connect(on_postrun, weak=False)
    try:
        with start_worker(
            broker_app,
            pool="solo",
            perform_ping_check=False,
            loglevel="WARNING",
            # The polling loop notices the stop flag within two seconds; the event loop may
            # sleep longer than start_worker waits for it.
            use_eventloop=False,
        ):
            job = start_job(JobKind.SELF_TEST, params={"steps": 3, "delay": 0.05})
            # Waiting on the signal, not polling: the worker thread has the database meanwhile.
            assert done.wait(30), f"no worker ran the job via {broker_app.conf.broker_url}"
    finally:
        task_postrun.disconnect(on_postrun)
    assert ran == [([job.pk], True)]
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    assert job.result["steps"] == 3
