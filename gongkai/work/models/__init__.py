"""Assignments, checkpoints, reports and evidence; reminders; the quarterly check."""

from __future__ import annotations

from gongkai.work.models.assignment import (
    FINISHED,
    Assignment,
    Checkpoint,
    CheckpointKind,
    CheckpointQuerySet,
    Evidence,
    EvidenceKind,
    LinkState,
    Origin,
    Progress,
    Report,
    Review,
)
from gongkai.work.models.notify import (
    Channel,
    DeliveryState,
    NotifySettings,
    Reminder,
    WebhookFormat,
)
from gongkai.work.models.quarter import CheckState, QuarterCheck, Result, Rubric, Score

__all__ = [
    "FINISHED",
    "Assignment",
    "Channel",
    "CheckState",
    "Checkpoint",
    "CheckpointKind",
    "CheckpointQuerySet",
    "DeliveryState",
    "Evidence",
    "EvidenceKind",
    "LinkState",
    "NotifySettings",
    "Origin",
    "Progress",
    "QuarterCheck",
    "Reminder",
    "Report",
    "Result",
    "Review",
    "Rubric",
    "Score",
    "WebhookFormat",
]
