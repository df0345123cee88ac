"""Redis answers as text. The clients here answer bytes (no ``decode_responses``), while
redis-py types every answer as bytes or str, so this one function makes either a str."""

from __future__ import annotations


def as_text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
