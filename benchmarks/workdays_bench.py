"""How fast the working-day arithmetic is. Prints medians; run with the project's venv:

    .venv/bin/python benchmarks/workdays_bench.py

Every open request's deadline is recomputed when the calendar changes, so add_workdays must
stay cheap: the figure that matters is deadlines per second.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from gongkai.workdays import national_calendar


def median_seconds(fn: object, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]  # any zero-argument callable
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    start = time.perf_counter()
    cal = national_calendar()
    build = time.perf_counter() - start
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(0, 900)]

    def deadlines() -> None:
        for d in days:
            cal.add_workdays(d, 20)

    def spans() -> None:
        for d in days:
            cal.workdays_between(d, d + dt.timedelta(days=40))

    t_add = median_seconds(deadlines)
    t_between = median_seconds(spans)
    print(f"national_calendar() first build: {build * 1000:.1f} ms")
    print(f"add_workdays(d, 20): {len(days) / t_add:,.0f} deadlines/s (median of 7 runs)")
    print(f"workdays_between(d, d+40): {len(days) / t_between:,.0f} spans/s (median of 7 runs)")


if __name__ == "__main__":
    main()
