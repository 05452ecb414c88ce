"""Website inspection as the national checklist (国办秘函〔2019〕19号) does it: a crawler, checks
that read what it fetched, and a score. A pure package: it imports nothing from Django, so the
CLI, the Celery worker and the benchmarks run the same code.

- `gongkai.inspect.page`      one fetched page, parsed once (links, text, metadata block, lists)
- `gongkai.inspect.checks`    the checks, each a small module with a stable `type` (CHECKS)
- `gongkai.inspect.crawl`     the Scrapy crawler and `inspect_site(config)`
- `gongkai.inspect.scoring`   the rubric (versioned data) and the score
- `gongkai.inspect.result`    the result and its JSON (the `gongkai inspect` contract)
"""
