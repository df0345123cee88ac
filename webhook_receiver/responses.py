"""JSON error bodies: a machine-readable code and a message that says what is wrong."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify


def json_error(status: int, error: str, message: str, **details: Any) -> tuple[Response, int]:
    return jsonify({"error": error, "message": message, **details}), status
