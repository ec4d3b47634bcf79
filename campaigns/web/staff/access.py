"""Who may open which staff page: login for all of them, and a role for most."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_login import current_user

from ...models import Role, Staff

F = TypeVar("F", bound=Callable[..., Any])


def signed_in() -> Staff | None:
    user = current_user._get_current_object()  # the proxy hides the type from mypy
    return user if isinstance(user, Staff) else None


def me() -> Staff:
    """The signed-in account; staff views only run after ``require_login``."""
    staff = signed_in()
    if staff is None:  # pragma: no cover - require_login runs first
        abort(401)
    return staff


def requires(role: Role) -> Callable[[F], F]:
    """Let only accounts with at least ``role`` in; the role is kept on the view for tests."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not me().role.allows(role):
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_role = role  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate


PUBLIC_ENDPOINTS = {"staff.login"}


def require_login() -> Any:
    """Every page under /staff/ needs a signed-in account, except the login page itself."""
    if request.endpoint in PUBLIC_ENDPOINTS or signed_in() is not None:
        return None
    return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path on this site, never another host."""
    default = url_for("staff.overview")
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or not parts.path.startswith("/staff"):
        return default
    return target
