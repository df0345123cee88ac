"""HubSpot-shaped error bodies, raised as ApiError anywhere and rendered by the app."""

from __future__ import annotations

import uuid
from typing import Any

NOT_FOUND_MESSAGE = "Object not found.  objectId are usually numeric."


class ApiError(Exception):
    """An error answer: HTTP status plus the fields of HubSpot's error JSON."""

    def __init__(self, http_status: int, message: str, category: str | None, **extra: Any) -> None:
        super().__init__(message)
        self.status = http_status
        self.message = message
        self.category = category
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.category, **self.extra)


def error_body(message: str, category: str | None = None, **extra: Any) -> dict[str, Any]:
    """HubSpot's error JSON; rate-limit errors carry errorType instead of category."""
    body: dict[str, Any] = {"status": "error", "message": message}
    body["correlationId"] = str(uuid.uuid4())
    if category is not None:
        body["category"] = category
    return {**body, **extra}


def validation_error(message: str, errors: list[dict[str, Any]] | None = None) -> ApiError:
    extra = {"errors": errors} if errors else {}
    return ApiError(400, message, "VALIDATION_ERROR", **extra)


def not_found() -> ApiError:
    return ApiError(404, NOT_FOUND_MESSAGE, "OBJECT_NOT_FOUND")


def property_error(message: str, code: str, property_name: str) -> dict[str, Any]:
    """One entry of a VALIDATION_ERROR's `errors` list, as HubSpot reports bad properties."""
    return {"message": message, "code": code, "context": {"propertyName": [property_name]}}
