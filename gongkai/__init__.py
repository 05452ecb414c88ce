"""Gongkai (公开): a platform for a government office's 政务公开 work."""

from __future__ import annotations

__version__ = "0.1.0"
