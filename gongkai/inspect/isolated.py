"""Run one inspection in a child process (`python -m gongkai.inspect.worker`).

Scrapy's Twisted reactor cannot be restarted in a process, so a caller that inspects more
than once per process (a Celery worker, the tests) runs each inspection in a fresh child:
the config goes in as JSON on stdin, progress lines and the result come back on stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from typing import Any

from gongkai.inspect.config import InspectConfig
from gongkai.inspect.crawl import ProgressFn
from gongkai.inspect.errors import InspectError, InspectRefused

__all__ = ["InspectError", "InspectRefused", "run_isolated"]


def run_isolated(
    config: InspectConfig,
    *,
    progress: ProgressFn | None = None,
    timeout: float | None = None,
) -> dict[str, Any]:
    """The inspection's InspectionResult.to_json(), plus "stats".

    Raises InspectRefused for a start URL that is malformed or refused by the SSRF policy,
    InspectError when the child fails, times out or the site cannot be reached.
    """
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [sys.executable, "-m", "gongkai.inspect.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        timer: threading.Timer | None = None
        timed_out = threading.Event()
        if timeout is not None:

            def kill() -> None:
                timed_out.set()
                child.kill()

            timer = threading.Timer(timeout, kill)
            timer.daemon = True
            timer.start()
        outcome: dict[str, Any] | None = None
        try:
            assert child.stdin is not None and child.stdout is not None
            child.stdin.write(json.dumps(config.to_json(), ensure_ascii=False).encode())
            child.stdin.close()
            for raw in child.stdout:
                try:
                    message = json.loads(raw)
                except ValueError:
                    continue
                if not isinstance(message, dict):
                    continue
                if "progress" in message and progress is not None:
                    done, total, text = message["progress"]
                    progress(int(done), int(total), str(text))
                elif "result" in message or "error" in message:
                    outcome = message
            child.wait()
        finally:
            if timer is not None:
                timer.cancel()
            if child.poll() is None:
                child.kill()
                child.wait()
        if timed_out.is_set():
            raise InspectError(f"检查超时（超过 {timeout:g} 秒），已终止")
        if outcome is not None and "error" in outcome:
            kind = InspectRefused if outcome.get("refused") else InspectError
            raise kind(str(outcome["error"]))
        if outcome is None or "result" not in outcome:
            errors.seek(0)
            tail = errors.read()[-2000:].decode("utf-8", "replace").strip().splitlines()
            last = tail[-1] if tail else f"退出码 {child.returncode}"
            raise InspectError(f"检查进程异常退出：{last[:300]}")
    result: dict[str, Any] = dict(outcome["result"])
    result["stats"] = outcome.get("stats") or {}
    return result
