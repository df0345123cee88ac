"""JSON error bodies: a machine-readable code and a message that says what is wrong."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify


def json_error(status: int, error: str, message: str, **details: Any) -> tuple[Response, int]:
    return jsonify({"error": error, "message": message, **details}), status


class ApiError(Exception):
    """Raised anywhere in a request to answer with a JSON error (see the app's handler)."""

    def __init__(self, status: int, error: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.details = status, error, message, details

    def response(self) -> tuple[Response, int]:
        return json_error(self.status, self.error, self.message, **self.details)
