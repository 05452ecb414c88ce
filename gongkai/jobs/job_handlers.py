"""Handlers of the jobs app itself: the self-test that shows the machinery working."""

from __future__ import annotations

import os
import socket
import time
from typing import Any

from gongkai.jobs.models import Job, JobKind
from gongkai.jobs.runner import Progress, register

#: Bounds on the self-test's parameters, so nobody can park a worker with it.
MAX_STEPS = 50
MAX_DELAY_SECONDS = 2.0


def _bounded_int(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


def _bounded_float(value: Any, default: float, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    if number != number:  # NaN
        return default
    return max(low, min(high, number))


@register(JobKind.SELF_TEST)
def self_test(job: Job, progress: Progress) -> dict[str, Any]:
    """Step the progress bar: params {"steps": n, "delay": seconds, "fail": bool}.

    "fail" makes the last step raise, so the failure path can be seen end to end too.
    """
    steps = _bounded_int(job.params.get("steps"), 5, 1, MAX_STEPS)
    delay = _bounded_float(job.params.get("delay"), 0.5, 0.0, MAX_DELAY_SECONDS)
    for step in range(1, steps + 1):
        time.sleep(delay)
        if step == steps and job.params.get("fail"):
            raise RuntimeError(f"自检按要求在第 {step} 步失败")
        progress(step * 100 // steps, f"自检第 {step}/{steps} 步")
    return {
        "steps": steps,
        "delay": delay,
        "host": socket.gethostname(),
        "pid": os.getpid(),
    }
