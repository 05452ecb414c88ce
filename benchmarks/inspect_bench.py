"""The inspection's speed on a generated 20,000-page site, against LinkChecker and wget2.

    .venv/bin/python benchmarks/inspect_bench.py [--sizes 2000,10000,20000] [--seed 11]
        [--linkchecker-seconds 120] [--no-linkchecker] [--no-wget2] [--workdir DIR]
        [--workers 1,2]

For each size a site is generated with gongkai.inspect.testsite (defects on, as a real site
has them; kept in --workdir between runs) and served by nginx from Debian's packages, started
here from a temporary nginx.conf on a loopback port (not the system service; access log on,
the same for every crawler, so every tool's requests are counted the same way). Then:

- gongkai: `run_isolated` with every check on, robots.txt respected, external links not
  requested (no internet here), max_pages above the site's size; once in one process and once
  with N fetcher processes for each N in --workers; wall time from start to the result, peak
  RSS summed over the inspecting process and its fetchers (sampled from /proc while it runs).
- wget2 (Debian): `wget2 -r -l 0 --spider` — recursive fetch-and-follow, nothing written.
- LinkChecker (`pip install linkchecker` into a separate venv under --workdir, default
  settings: 10 threads, and at most 10 requests a second to one host, about a third of that on
  average, which is its politeness default and what bounds it here), time-boxed: at a few
  URLs/s it would take hours on 20,000 pages, so it runs for --linkchecker-seconds and its rate
  is what nginx served in that time.

pages/s counts distinct HTML pages served with status 200 (from nginx's log) per second of wall
time; requests/s counts everything (pages, images, attachments, 404s). The table at the end can be
pasted into docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from work_bench import machine  # noqa: E402

from gongkai.inspect.config import InspectConfig  # noqa: E402
from gongkai.inspect.testsite import generate, write_manifest  # noqa: E402

TODAY = dt.date(2026, 3, 2)
NGINX_CONF = """
worker_processes auto;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    charset utf-8;
    log_format bench '$status $request_method $uri';
    access_log {log} bench buffer=256k flush=1s;
    sendfile on;
    etag off;  # equal-sized pages written in one second share an ETag; wget2 skips "known" ones
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
    }}
}}
"""


@dataclass
class Run:
    tool: str
    size: int
    seconds: float
    pages: int  # HTML pages served 200
    requests: int
    peak_rss_mb: float | None = None
    note: str = ""

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise SystemExit("nginx is not installed: apt-get install -y nginx")
    return found


@contextlib.contextmanager
def nginx(root: Path, workdir: Path, log: Path) -> Iterator[str]:
    prefix = workdir / "nginx"
    shutil.rmtree(prefix, ignore_errors=True)
    prefix.mkdir(parents=True)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, log=log, port=port, root=root))
    log.unlink(missing_ok=True)
    proc = subprocess.Popen([nginx_binary(), "-c", str(conf), "-p", str(prefix)])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(base + "/robots.txt", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise SystemExit(f"nginx did not start: {(prefix / 'error.log').read_text()[-500:]}")
        yield base
    finally:
        proc.send_signal(signal.SIGQUIT)  # graceful: flushes the access log
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def count_log(log: Path, skip: int = 0) -> tuple[int, int]:
    """(distinct HTML pages served 200, all requests) in nginx's log, after `skip` lines."""
    pages: set[str] = set()
    requests = 0
    with log.open(encoding="utf-8", errors="replace") as lines:
        for n, line in enumerate(lines):
            if n < skip:
                continue
            requests += 1
            status, _method, uri = [*line.split(" ", 2), "", ""][:3]
            uri = uri.strip()
            if status == "200" and (uri.endswith((".html", ".htm", "/"))):
                pages.add(uri)  # once, however often (wget2's spider asks HEAD, then GET)
    return len(pages), requests


def log_lines(log: Path) -> int:
    with log.open("rb") as f:
        return sum(1 for _ in f)


def site(workdir: Path, size: int, seed: int) -> Path:
    root = workdir / f"site-{size}-{seed}"
    done = workdir / f"site-{size}-{seed}.json"
    if not done.exists():
        shutil.rmtree(root, ignore_errors=True)
        clock = time.monotonic()
        manifest = generate(root, seed=seed, pages=size, today=TODAY)
        write_manifest(manifest, done)
        print(
            f"generated {manifest.pages} pages, {manifest.attachments} attachments "
            f"({manifest.family}) in {time.monotonic() - clock:.1f} s",
            file=sys.stderr,
        )
    return root


class RssSampler:
    """Peak summed VmRSS of this process's child whose command line contains `marker` and of
    all its descendants (the parallel crawl's fetcher processes)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.2):
            table: dict[int, tuple[int, int, str]] = {}  # pid → (parent, rss kB, command)
            for proc in Path("/proc").iterdir():
                if not proc.name.isdigit():
                    continue
                try:
                    status = (proc / "status").read_text()
                    command = (proc / "cmdline").read_bytes().decode(errors="replace")
                except OSError:
                    continue
                fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
                rss = int(fields.get("VmRSS", "0 kB").split()[0])
                table[int(proc.name)] = (int(fields.get("PPid", "0")), rss, command)
            roots = [
                pid for pid, (ppid, _rss, cmd) in table.items() if ppid == me and self.marker in cmd
            ]
            tree = set(roots)
            grew = True
            while grew:
                grew = False
                for pid, (ppid, _rss, _cmd) in table.items():
                    if ppid in tree and pid not in tree:
                        tree.add(pid)
                        grew = True
            self.peak_kb = max(self.peak_kb, sum(table[pid][1] for pid in tree))


def run_gongkai(base: str, size: int, log: Path, workers: int) -> tuple[Run, dict[str, Any]]:
    from gongkai.inspect.isolated import run_isolated

    config = InspectConfig(
        start_urls=[base + "/"],
        max_pages=int(size * 1.5) + 100,
        max_depth=10_000,
        allow_private=True,
        check_external=False,
        today=TODAY,
        domain_exempt=["127.0.0.1"],
        workers=workers,
    )
    skip = log_lines(log) if log.exists() else 0
    with RssSampler("gongkai.inspect.worker") as sampler:
        clock = time.monotonic()
        result = run_isolated(config, timeout=3600)
        seconds = time.monotonic() - clock
    time.sleep(1.2)  # nginx flushes its log buffer every second
    pages, requests = count_log(log, skip)
    stats = result.get("stats", {})
    own = stats.get("peak_rss_mb")
    peak = max(float(own or 0), sampler.peak_kb / 1024)
    note = (
        f"{result['pages_crawled']} pages crawled, {len(result['findings'])} findings, "
        f"crawl phase {stats.get('pages_per_second', '?')} pages/s"
    )
    tool = "gongkai (all checks)" if workers == 1 else f"gongkai, {workers} fetchers (all checks)"
    return Run(tool, size, seconds, pages, requests, peak, note), result


def run_wget2(base: str, size: int, log: Path, workdir: Path) -> Run | None:
    binary = shutil.which("wget2")
    if not binary:
        print("wget2 is not installed (apt-get install -y wget2): skipped", file=sys.stderr)
        return None
    skip = log_lines(log) if log.exists() else 0
    out = workdir / "wget2.log"
    clock = time.monotonic()
    subprocess.run(
        [binary, "-r", "-l", "0", "--spider", "-o", str(out), base + "/"],
        cwd=workdir,
        check=False,
    )
    seconds = time.monotonic() - clock
    time.sleep(1.2)
    pages, requests = count_log(log, skip)
    return Run("wget2 -r --spider", size, seconds, pages, requests)


def linkchecker_binary(workdir: Path) -> str | None:
    venv = workdir / "linkchecker-venv"
    binary = venv / "bin" / "linkchecker"
    if binary.exists():
        return str(binary)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "linkchecker"], check=False)
    return str(binary) if done.returncode == 0 and binary.exists() else None


def run_linkchecker(base: str, size: int, log: Path, workdir: Path, limit: float) -> Run | None:
    binary = linkchecker_binary(workdir)
    if binary is None:
        print("linkchecker could not be installed: skipped", file=sys.stderr)
        return None
    skip = log_lines(log) if log.exists() else 0
    clock = time.monotonic()
    proc = subprocess.Popen(
        [binary, base + "/"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=workdir,
        start_new_session=True,
    )
    note = "finished"
    try:
        proc.wait(limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        note = f"stopped after {limit:g} s"
    seconds = time.monotonic() - clock
    time.sleep(1.2)
    pages, requests = count_log(log, skip)
    return Run("LinkChecker (defaults)", size, seconds, pages, requests, note=note)


def table(runs: list[Run]) -> str:
    lines = [
        "| crawler | site pages | wall s | HTML pages | pages/s | requests/s "
        "| peak RSS MB | note |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        rss = f"{r.peak_rss_mb:.0f}" if r.peak_rss_mb else "—"
        lines.append(
            f"| {r.tool} | {r.size:,} | {r.seconds:.1f} | {r.pages:,} | "
            f"{r.pages_per_second:,.0f} | {r.requests_per_second:,.0f} | {rss} | {r.note} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,10000,20000")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "gongkai-inspect-bench"
    )
    parser.add_argument("--linkchecker-seconds", type=float, default=120)
    parser.add_argument("--no-linkchecker", action="store_true")
    parser.add_argument("--no-wget2", action="store_true")
    parser.add_argument(
        "--workers", default="1,2", help="crawler modes to measure: 1 = one process, N = N fetchers"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir: Path = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    largest = max(sizes)
    runs: list[Run] = []
    results: dict[int, dict[str, Any]] = {}
    for size in sizes:
        root = site(workdir, size, args.seed)
        log = workdir / f"access-{size}.log"
        with nginx(root, workdir, log) as base:
            for workers in [int(w) for w in args.workers.split(",")]:
                run, result = run_gongkai(base, size, log, workers)
                runs.append(run)
                results[size] = result
                print(table([run]).splitlines()[-1], file=sys.stderr)
            if size == largest:
                if not args.no_wget2 and (w := run_wget2(base, size, log, workdir)):
                    runs.append(w)
                if not args.no_linkchecker and (
                    lc := run_linkchecker(base, size, log, workdir, args.linkchecker_seconds)
                ):
                    runs.append(lc)
    print(f"\nMachine: {machine()}; nginx {nginx_version()}; site seed {args.seed}.\n")
    print(table(runs))
    print()
    for mode in dict.fromkeys(r.tool for r in runs if r.tool.startswith("gongkai")):
        ours = {r.size: r for r in runs if r.tool == mode}
        big = ours[largest]
        for r in runs:
            if r.size == largest and not r.tool.startswith("gongkai") and r.pages_per_second:
                ratio = big.pages_per_second / r.pages_per_second
                print(f"- {mode} / {r.tool}: {ratio:.2f}× pages/s")
        small = min(ours)
        if small != largest:
            ratio = big.pages_per_second / ours[small].pages_per_second
            print(
                f"- {mode}: throughput at {largest:,} pages / at {small:,} pages: {ratio:.2f} "
                "(≥ 1 means it does not fall as the site grows)"
            )
    (workdir / "last-run.json").write_text(
        json.dumps([r.__dict__ for r in runs], ensure_ascii=False, indent=1)
    )


def nginx_version() -> str:
    done = subprocess.run([nginx_binary(), "-v"], capture_output=True, text=True, check=False)
    return (done.stderr or done.stdout).strip().split("/")[-1]


if __name__ == "__main__":
    main()
