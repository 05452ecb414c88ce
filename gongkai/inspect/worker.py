"""`python -m gongkai.inspect.worker`: one inspection in a process of its own.

The Twisted reactor Scrapy runs on can start only once per process, so a long-lived caller
(a Celery worker, the test suite) runs each inspection here, through
`gongkai.inspect.isolated.run_isolated`.

Protocol: the InspectConfig as JSON on stdin. On stdout, one JSON object a line:
  {"progress": [pages_done, max_pages, "message"]}          while crawling
  {"result": {...contract...}, "stats": {...}}               at the end, exit status 0
  {"error": "message in Chinese", "refused": true|false}     when it could not run, exit 2
Anything else the process prints (Scrapy's log, a library's warning) goes to stderr.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

EXIT_OK = 0
EXIT_FAILED = 2
EXIT_INTERNAL = 1


def _emit(stream: TextIO, payload: dict[str, Any]) -> None:
    stream.write(json.dumps(payload, ensure_ascii=False) + "\n")
    stream.flush()


def main() -> int:
    protocol = sys.stdout
    sys.stdout = sys.stderr  # keep stray prints off the protocol stream
    from gongkai.inspect.config import InspectConfig
    from gongkai.inspect.crawl import inspect_site
    from gongkai.inspect.errors import InspectError, InspectRefused

    try:
        config = InspectConfig.from_json(json.loads(sys.stdin.read()))
    except (ValueError, TypeError, KeyError) as exc:
        _emit(protocol, {"error": f"检查配置无效：{exc}", "refused": False})
        return EXIT_FAILED

    def progress(done: int, total: int, message: str) -> None:
        _emit(protocol, {"progress": [done, total, message]})

    try:
        result = inspect_site(config, progress=progress)
    except InspectRefused as exc:
        _emit(protocol, {"error": str(exc), "refused": True})
        return EXIT_FAILED
    except InspectError as exc:
        _emit(protocol, {"error": str(exc), "refused": False})
        return EXIT_FAILED
    except Exception as exc:  # a bug: still one message the caller can show
        _emit(protocol, {"error": f"检查时出现内部错误（{type(exc).__name__}）", "refused": False})
        raise
    _emit(protocol, {"result": result.to_json(), "stats": result.stats})
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
