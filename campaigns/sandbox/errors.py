"""Stripe-shaped API errors."""

from __future__ import annotations

from typing import Any


class StripeError(Exception):
    """An error the API answers with ``{"error": {...}}`` and an HTTP status."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 400,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.type = type
        self.code = code
        self.param = param
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        """The JSON body Stripe would send."""
        error: dict[str, Any] = {"type": self.type, "code": self.code, "message": self.message}
        error["param"] = self.param
        if self.code:
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        error.update(self.extra)
        return {"error": error}


def missing(kind: str, object_id: str, param: str = "id") -> StripeError:
    """The 404 for an id the sandbox has never issued."""
    return StripeError(
        f"No such {kind}: '{object_id}'", status=404, code="resource_missing", param=param
    )


def invalid(message: str, param: str | None = None, code: str | None = None) -> StripeError:
    """A 400 for a request that is well formed but not acceptable."""
    return StripeError(message, code=code, param=param)
