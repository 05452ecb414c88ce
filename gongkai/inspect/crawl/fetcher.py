"""A fetcher process of the parallel crawl: a Scrapy crawler that requests what the
coordinator sends and sends back what came of it, with pages already parsed.

Runs in a spawned process (a fresh interpreter: no reactor inherited), started by
parallel.py with one end of a pipe. Messages, each a pickled tuple:

  coordinator → fetcher   ("tasks", [(task id, task), ...])    ("stop",)
  fetcher → coordinator   a list of outcomes, each one of
      ("s", id, LinkStatus)                                   no body to look at
      ("p", id, LinkStatus, Page, keys, truncated, links, ran)
                                                              a parsed page, its links as
                                                              tuples of Link's fields, their
                                                              normalised URLs (keys), and
                                                              what the local checks' on_page
                                                              came to (type → findings, or an
                                                              error message; None: nothing)
      ("a", id, LinkStatus, media type, body, truncated, read, read_errors)
                                                              an attachment, with what the
                                                              checks' read_attachment made of
                                                              it (the body is then b"" unless
                                                              a check still needs it)
      ("x", id)                                               robots.txt forbade it
    and at the end ("bye", peak RSS in MB), or ("error", message) when the crawl failed.

The checks marked `local` (a pure function of the page) run here on each parsed page, and
the checks' read_attachment on each attachment, so the coordinator, which runs everything
else in one thread, is not the bottleneck. Their types are given by the coordinator.

The SSRF guard is this process's own: the same resolver and middleware as the
single-process crawl, with the policy from the config.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import importlib
import logging
import os
import queue
import threading
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any

from gongkai.inspect.checks import Attachment, Check, by_type
from gongkai.inspect.config import InspectConfig
from gongkai.inspect.crawl.frontier import Ran, Task, failure, normalized
from gongkai.inspect.crawl.guard import Guard
from gongkai.inspect.crawl.spider import FetchContext, run_scrapy
from gongkai.inspect.page import Link, parse_page
from gongkai.inspect.site import LinkStatus, QuietProbe, Site

log = logging.getLogger("gongkai.inspect.crawl")

LINK_FIELDS = tuple(f.name for f in dataclasses.fields(Link))
SEND_BATCH = 64  # outcomes per message at most
SEND_WAIT = 0.01  # seconds a message waits for more outcomes after its first
LOST = "请求未完成（抓取进程未返回结果）"


class PipeSink:
    """Outcomes go to the coordinator through a sender thread, so the reactor never waits
    on the pipe."""

    def __init__(
        self,
        out: queue.SimpleQueue[Any],
        site: Site | None = None,
        local: list[Check] | None = None,
        readers: list[Check] | None = None,
        keep_body: bool = True,
    ) -> None:
        self.out = out
        self.outstanding: dict[int, Task] = {}  # task id → task, until its outcome is sent
        self.raw: dict[str, str | None] = {}
        self.site = site
        self.local = local or []  # checks whose on_page runs here
        self.readers = readers or []  # checks whose read_attachment runs here
        self.keep_body = keep_body  # some check's on_attachment reads the body itself

    def _done(self, meta: dict[str, Any]) -> int:
        task_id: int = meta["t"]
        self.outstanding.pop(task_id, None)
        return task_id

    def status(self, meta: dict[str, Any], status: LinkStatus) -> None:
        self.out.put(("s", self._done(meta), status))

    def page(
        self, meta: dict[str, Any], status: LinkStatus, media: str, body: bytes, truncated: bool
    ) -> list[Task]:
        page = parse_page(
            meta["o"],
            status.final_url,
            status.status or 200,
            media,
            body,
            depth=meta["d"],
            is_home=bool(meta.get("home")),
            truncated=truncated,
        )
        status.title = page.headline or page.title
        ran: dict[str, Ran] | None = None
        if self.local and self.site is not None:
            ran = {}
            for check in self.local:
                try:
                    found = list(check.on_page(page, self.site))
                except Exception as exc:  # recorded by the coordinator, as in one process
                    ran[check.type] = failure(check, exc)
                    continue
                if found:
                    ran[check.type] = found
        raw = self.raw
        links = page.links
        keys = [normalized(raw, link.url) for link in links]
        # Links travel as tuples (a third of the pickling cost of Link objects).
        page.links = []
        rows = [tuple([getattr(link, name) for name in LINK_FIELDS]) for link in links]
        self.out.put(("p", self._done(meta), status, page, keys, truncated, rows, ran or None))
        return []

    def attachment(
        self, meta: dict[str, Any], status: LinkStatus, media: str, body: bytes, truncated: bool
    ) -> None:
        read: dict[str, Any] = {}
        errors: dict[str, str] = {}
        if self.readers:
            # source_urls are the coordinator's to fill in; read_attachment does not use them.
            attachment = Attachment(status.url, media, body, truncated, [])
            for check in self.readers:
                try:
                    read[check.type] = check.read_attachment(attachment)
                except Exception as exc:
                    errors[check.type] = failure(check, exc)
            if not self.keep_body:
                body = b""
        self.out.put(("a", self._done(meta), status, media, body, truncated, read, errors))

    def skipped(self, meta: dict[str, Any]) -> None:
        self.out.put(("x", self._done(meta)))


def _sender(conn: Connection, out: queue.SimpleQueue[Any]) -> None:
    """Sends outcomes in batches: what is queued, and whatever else comes within
    SEND_WAIT seconds of the first, up to SEND_BATCH (one message per outcome would cost
    both processes a wake-up, a pipe write and a read each)."""
    while True:
        item = out.get()
        if item is None:
            return
        batch = [item]
        stop = False
        deadline = time.monotonic() + SEND_WAIT
        while len(batch) < SEND_BATCH:
            wait = deadline - time.monotonic()
            try:
                more = out.get(timeout=wait) if wait > 0 else out.get_nowait()
            except queue.Empty:
                break
            if more is None:
                stop = True
                break
            batch.append(more)
        try:
            conn.send(batch)
        except (OSError, ValueError):  # the coordinator is gone
            return
        if stop:
            return


def main(
    conn: Connection,
    config_json: dict[str, Any],
    hosts: list[str],
    per_host: int,
    log_level: str,
    init: str | None = None,
    checks: dict[str, Any] | None = None,
) -> None:
    """The process's target. `init` ("module:function") is called first when given (tests
    use it to stand in for DNS). `checks`: {"local": types whose on_page runs here,
    "readers": types whose read_attachment runs here, "keep_body": whether attachments'
    bodies are still sent on, "today": the inspection's day (ISO)}."""
    with contextlib.suppress(OSError):
        os.dup2(2, 1)  # stdout may be the caller's protocol stream: keep stray prints off it
    if init:
        module, _, name = init.partition(":")
        getattr(importlib.import_module(module), name)()
    out: queue.SimpleQueue[Any] = queue.SimpleQueue()
    sender = threading.Thread(target=_sender, args=(conn, out), name="fetcher-send", daemon=True)
    sender.start()
    try:
        _crawl(
            conn,
            out,
            InspectConfig.from_json(config_json),
            set(hosts),
            per_host,
            log_level,
            checks or {},
        )
    except BaseException as exc:
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        out.put(("error", text[:500]))
        out.put(None)
        sender.join(10)
        raise
    out.put(("bye", _peak_rss_mb()))
    out.put(None)
    sender.join(30)


def _crawl(
    conn: Connection,
    out: queue.SimpleQueue[Any],
    config: InspectConfig,
    hosts: set[str],
    per_host: int,
    log_level: str,
    plan: dict[str, Any],
) -> None:
    sink = _sink(out, config, hosts, plan)
    stopping = threading.Event()
    suspect: set[int] = set()

    def keep_alive() -> bool:
        if stopping.is_set():
            return False
        # Idle with tasks outstanding twice in a row (the engine re-checks every few seconds):
        # their requests are gone without an outcome. Report them rather than hang.
        lost = suspect & set(sink.outstanding)
        for task_id in lost:
            url, _kind, _depth, _home = sink.outstanding.pop(task_id)
            out.put(("s", task_id, LinkStatus(url, None, LOST)))
        suspect.clear()
        suspect.update(sink.outstanding)
        return True

    def on_open(spider: Any) -> None:
        from twisted.internet import reactor

        def add(batch: list[tuple[int, Task]]) -> None:
            suspect.clear()
            for task_id, task in batch:
                sink.outstanding[task_id] = task
                spider.schedule(spider.task_request(task, task_id))

        def stop() -> None:
            if not stopping.is_set():
                stopping.set()
                spider.crawler.stop()

        def read() -> None:
            while True:
                try:
                    message = conn.recv()
                except (EOFError, OSError):  # the coordinator is gone
                    reactor.callFromThread(stop)
                    return
                if message[0] == "tasks":
                    reactor.callFromThread(add, message[1])
                else:
                    reactor.callFromThread(stop)
                    return

        threading.Thread(target=read, name="fetcher-read", daemon=True).start()

    context = FetchContext(
        config=config,
        guard=Guard(allow_private=config.allow_private),
        hosts=hosts,
        sink=sink,
        keep_alive=keep_alive,
        on_open=on_open,
    )
    run_scrapy(context, log_level=log_level, per_host=per_host)


def _sink(
    out: queue.SimpleQueue[Any], config: InspectConfig, hosts: set[str], plan: dict[str, Any]
) -> PipeSink:
    """The sink, with this process's own instances of the checks that run here."""
    classes = by_type()
    local = [classes[t](config.options(t)) for t in plan.get("local", [])]
    mine = {check.type: check for check in local}
    readers = [mine.get(t) or classes[t](config.options(t)) for t in plan.get("readers", [])]
    today = dt.date.fromisoformat(plan["today"]) if plan.get("today") else None
    site = None
    if today is not None:
        # What a local check may read of the Site: the config and the day. No probe.
        site = Site(config=config, today=today, home_url="", hosts=hosts, probe=QuietProbe())
    return PipeSink(
        out,
        site,
        local if site is not None else [],
        readers,
        keep_body=bool(plan.get("keep_body", True)),
    )


def _peak_rss_mb() -> float:
    try:
        import resource

        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    except (ImportError, OSError):
        return 0.0
