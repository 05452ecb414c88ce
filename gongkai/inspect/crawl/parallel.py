"""The parallel crawl: this process coordinates, N fetcher processes crawl.

The single-process crawl is bound by one core (Scrapy and Twisted about half of it, parsing
pages about a third). Here the coordinator keeps what must be one: the frontier (dedupe,
scope, depth, trap guards, max_pages), the Site, and the checks' on_page / on_attachment
(and, afterwards, on_finish and the score, in run.py) — except the on_page of checks marked
`local` and the checks' read_attachment, which the fetchers run (fetcher_checks); their
outcomes come back with the page or attachment and are taken in check order, so the
findings are those of the single-process crawl. Fetcher processes (fetcher.py, spawned:
no reactor is inherited) each run a Scrapy crawler with their own SSRF guard, fetch the tasks
they are sent (following redirects, HEAD then GET, size caps, robots.txt, as the single crawl
does), parse pages and send back the outcome.

Tasks go out shallowest first (as Scrapy's priority queue orders them), at most WINDOW per
fetcher at a time; the per-host concurrency is shared out between the fetchers. A fetcher
that dies, or reports an error, fails the inspection with an InspectError.
"""

from __future__ import annotations

import contextlib
import heapq
import logging
import math
import multiprocessing
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from gongkai.inspect.checks import Check
from gongkai.inspect.crawl import fetcher
from gongkai.inspect.crawl.frontier import CrawlState, Frontier, Task
from gongkai.inspect.errors import InspectError
from gongkai.inspect.page import Link

log = logging.getLogger("gongkai.inspect.crawl")

WINDOW = 128  # tasks in flight per fetcher
REFILL = 32  # a fetcher gets more tasks once it has room for this many (fewer, larger messages)
STOP_SECONDS = 15.0

#: "module:function" each fetcher calls before it starts (tests stand in for DNS with it).
CHILD_INIT: str | None = None


@dataclass
class _Fetcher:
    process: Any  # multiprocessing.Process (spawn context)
    conn: Connection
    inflight: dict[int, Task] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    done: bool = False


def crawl_parallel(state: CrawlState, workers: int, *, log_level: str) -> dict[str, Any]:
    """Crawl with `workers` fetcher processes; fills `state` as the single crawl does.
    Returns extra stats (the fetchers' peak RSS)."""
    config = state.config
    context = multiprocessing.get_context("spawn")
    per_host = max(1, math.ceil(max(1, config.concurrency_per_host) / workers))
    plan = fetcher_checks(state)
    fetchers: list[_Fetcher] = []
    try:
        for number in range(workers):
            ours, theirs = context.Pipe(duplex=True)
            process = context.Process(
                target=fetcher.main,
                args=(
                    theirs,
                    config.to_json(),
                    sorted(state.site.hosts),
                    per_host,
                    log_level,
                    CHILD_INIT,
                    plan,
                ),
                name=f"gongkai-inspect-fetcher-{number}",
                daemon=True,
            )
            process.start()
            theirs.close()
            fetchers.append(_Fetcher(process, ours))
        _coordinate(state, fetchers, frozenset(plan["local"]))
    finally:
        _shut_down(fetchers)
    peaks = [f.peak_rss_mb for f in fetchers]
    return {"fetcher_peak_rss_mb": peaks}


def fetcher_checks(state: CrawlState) -> dict[str, Any]:
    """What of the checks the fetchers run (fetcher.main's `checks`): on_page of the checks
    marked local, read_attachment of the checks that have one; and whether attachments'
    bodies must still come back (a check reads them in on_attachment without that)."""
    local: list[str] = []
    readers: list[str] = []
    keep_body = False
    for check in state.checks:
        cls = type(check)
        if cls.local:
            local.append(cls.type)
        has_reader = cls.read_attachment is not Check.read_attachment
        if has_reader:
            readers.append(cls.type)
        elif cls.on_attachment is not Check.on_attachment:
            keep_body = True
    return {
        "local": local,
        "readers": readers,
        "keep_body": keep_body,
        "today": state.site.today.isoformat(),
    }


def _coordinate(state: CrawlState, fetchers: list[_Fetcher], remote: frozenset[str]) -> None:
    frontier = Frontier(state, remote)
    queue: list[tuple[int, int, Task]] = []  # (depth, order, task): shallowest first
    order = 0
    next_id = 0

    def push(tasks: list[Task]) -> None:
        nonlocal order
        for task in tasks:
            heapq.heappush(queue, (task[2], order, task))
            order += 1

    push(frontier.start())
    while True:
        # Hand out work: the least busy fetcher first, up to WINDOW each, in batches of at
        # least REFILL (unless the fetcher is idle).
        if queue:
            for worker in sorted(fetchers, key=lambda f: len(f.inflight)):
                room = WINDOW - len(worker.inflight)
                if room <= 0 or not queue or (room < REFILL and worker.inflight):
                    continue
                batch: list[tuple[int, Task]] = []
                while queue and len(batch) < room:
                    task = heapq.heappop(queue)[2]
                    batch.append((next_id, task))
                    worker.inflight[next_id] = task
                    next_id += 1
                _send(worker, ("tasks", batch))
        if not queue and not any(f.inflight for f in fetchers):
            return
        ready = wait([f.conn for f in fetchers] + [f.process.sentinel for f in fetchers])
        for worker in fetchers:
            if worker.conn in ready:
                try:
                    messages = worker.conn.recv()
                except (EOFError, OSError):
                    raise _died(worker) from None
                for message in messages:
                    push(_outcome(frontier, worker, message))
            elif worker.process.sentinel in ready and not worker.conn.poll():
                raise _died(worker)


def _outcome(frontier: Frontier, worker: _Fetcher, message: tuple[Any, ...]) -> list[Task]:
    kind = message[0]
    if kind == "error":
        raise InspectError(f"抓取进程出错：{message[1]}")
    if kind == "bye":
        worker.peak_rss_mb = float(message[1])
        worker.done = True
        return []
    task = worker.inflight.pop(message[1], None)
    if task is None:  # already reported as lost
        return []
    home = task[3]
    if kind == "s":
        frontier.record(message[2], home)
    elif kind == "p":
        _kind, _id, status, page, keys, truncated, rows, ran = message
        page.links = [Link(*row) for row in rows]
        if frontier.claim(status.final_url):
            return frontier.page(page, status, home, truncated, keys, ran)
        status.title = ""  # reached again through another redirect chain: not parsed again
        frontier.record(status, home)
    elif kind == "a":
        _kind, _id, status, media, body, truncated, read, errors = message
        frontier.attachment(status, media, body, truncated, read, errors)
    elif kind == "x":
        frontier.robots_skipped()
    return []


def _send(worker: _Fetcher, message: tuple[Any, ...]) -> None:
    try:
        worker.conn.send(message)
    except (OSError, ValueError):
        raise _died(worker) from None


def _died(worker: _Fetcher) -> InspectError:
    worker.process.join(1)
    code = worker.process.exitcode
    how = f"退出码 {code}" if code is not None and code >= 0 else f"信号 {-(code or 0)}"
    return InspectError(f"抓取进程 {worker.process.name} 意外退出（{how}），检查未完成")


def _shut_down(fetchers: list[_Fetcher]) -> None:
    """Ask every fetcher to stop, collect its last report, and make sure it is gone."""
    for worker in fetchers:
        if worker.process.is_alive():
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(("stop",))
    for worker in fetchers:
        try:
            while not worker.done and worker.conn.poll(STOP_SECONDS):
                for message in worker.conn.recv():
                    if message[0] == "bye":
                        worker.peak_rss_mb = float(message[1])
                        worker.done = True
        except (EOFError, OSError):
            pass
        worker.process.join(STOP_SECONDS)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(5)
        worker.conn.close()
