"""A fetcher process of the parallel crawl: a Scrapy crawler that requests what the
coordinator sends and sends back what came of it, with pages already parsed.

Runs in a spawned process (a fresh interpreter: no reactor inherited), started by
parallel.py with one end of a pipe. Messages, each a pickled tuple:

  coordinator → fetcher   ("tasks", [(task id, task), ...])    ("stop",)
  fetcher → coordinator   a list of outcomes, each one of
      ("s", id, LinkStatus)                                   no body to look at
      ("p", id, LinkStatus, Page, keys, truncated, links)     a parsed page, its links as
                                                              tuples of Link's fields, and
                                                              their normalised URLs (keys)
      ("a", id, LinkStatus, media type, body, truncated)      an attachment
      ("x", id)                                               robots.txt forbade it
    and at the end ("bye", peak RSS in MB), or ("error", message) when the crawl failed.

The SSRF guard is this process's own: the same resolver and middleware as the
single-process crawl, with the policy from the config.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import logging
import os
import queue
import threading
import traceback
from multiprocessing.connection import Connection
from typing import Any

from gongkai.inspect.config import InspectConfig
from gongkai.inspect.crawl.frontier import Task, normalized
from gongkai.inspect.crawl.guard import Guard
from gongkai.inspect.crawl.spider import FetchContext, run_scrapy
from gongkai.inspect.page import Link, parse_page
from gongkai.inspect.site import LinkStatus

log = logging.getLogger("gongkai.inspect.crawl")

LINK_FIELDS = tuple(f.name for f in dataclasses.fields(Link))
SEND_BATCH = 64  # outcomes per message at most
LOST = "请求未完成（抓取进程未返回结果）"


class PipeSink:
    """Outcomes go to the coordinator through a sender thread, so the reactor never waits
    on the pipe."""

    def __init__(self, out: queue.SimpleQueue[Any]) -> None:
        self.out = out
        self.outstanding: dict[int, Task] = {}  # task id → task, until its outcome is sent
        self.raw: dict[str, str | None] = {}

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
        raw = self.raw
        links = page.links
        keys = [normalized(raw, link.url) for link in links]
        # Links travel as tuples (a third of the pickling cost of Link objects).
        page.links = []
        rows = [tuple([getattr(link, name) for name in LINK_FIELDS]) for link in links]
        self.out.put(("p", self._done(meta), status, page, keys, truncated, rows))
        return []

    def attachment(
        self, meta: dict[str, Any], status: LinkStatus, media: str, body: bytes, truncated: bool
    ) -> None:
        self.out.put(("a", self._done(meta), status, media, body, truncated))

    def skipped(self, meta: dict[str, Any]) -> None:
        self.out.put(("x", self._done(meta)))


def _sender(conn: Connection, out: queue.SimpleQueue[Any]) -> None:
    while True:
        item = out.get()
        if item is None:
            return
        batch = [item]
        stop = False
        while len(batch) < SEND_BATCH:
            try:
                more = out.get_nowait()
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
) -> None:
    """The process's target. `init` ("module:function") is called first when given (tests
    use it to stand in for DNS)."""
    with contextlib.suppress(OSError):
        os.dup2(2, 1)  # stdout may be the caller's protocol stream: keep stray prints off it
    if init:
        module, _, name = init.partition(":")
        getattr(importlib.import_module(module), name)()
    out: queue.SimpleQueue[Any] = queue.SimpleQueue()
    sender = threading.Thread(target=_sender, args=(conn, out), name="fetcher-send", daemon=True)
    sender.start()
    try:
        _crawl(conn, out, InspectConfig.from_json(config_json), set(hosts), per_host, log_level)
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
) -> None:
    sink = PipeSink(out)
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


def _peak_rss_mb() -> float:
    try:
        import resource

        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    except (ImportError, OSError):
        return 0.0
