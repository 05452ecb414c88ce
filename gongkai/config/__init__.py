"""Project configuration: settings, URLs, WSGI and the Celery app."""

from __future__ import annotations

from gongkai.config.celery import app as celery_app

__all__ = ["celery_app"]
