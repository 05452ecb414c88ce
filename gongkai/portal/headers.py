"""Response headers of the public pages: they run no script and load only this site."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase

#: Inline styles are allowed for the annual report's table styles (reports/_annual_style.html);
#: stored rich text can carry none (the sanitiser drops <style> and style attributes).
POLICY = (
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'"
)

View = Callable[..., HttpResponseBase]


def public_page(view: View) -> View:
    """Add the Content-Security-Policy (no script, nothing from elsewhere) to a public view."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    return wrapped
