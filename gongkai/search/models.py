"""The one search table: an entry per searchable record of any register."""

from __future__ import annotations

from django.db import models


class SearchEntry(models.Model):
    """What a register published, as plain text, with the filters the portal offers.

    `source` and `doc_kind` are the registers' own names (their TextChoices values): this app
    indexes whatever it is given and knows no register. `title_words` and `body_words` are the
    segmented text the full-text index is built from (segment.segment); SQLite keeps the index
    in the FTS5 table `search_fts`, PostgreSQL in the generated column `search_vector`, both
    created by migration 0002 for their database only. The indexes the queries walk
    (search_entry_newest, and on SQLite search_entry_by_id) differ between the databases too
    and are made by migration 0003.
    """

    source = models.CharField("来源", max_length=32)
    object_id = models.CharField("记录编号", max_length=64)
    title = models.CharField("标题", max_length=500)
    body = models.TextField("正文", blank=True)
    url = models.CharField("地址", max_length=500)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    doc_kind = models.CharField("类别", max_length=32, blank=True)
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    validity = models.CharField("有效性", max_length=16, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    title_words = models.TextField(editable=False)
    body_words = models.TextField(editable=False)

    class Meta:
        verbose_name = "检索条目"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="search_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id} {self.title}"
