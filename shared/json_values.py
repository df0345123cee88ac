"""What a JSON value from outside may hold before it is forwarded or stored.

Python's json module accepts values that something further on cannot handle: lone UTF-16
surrogates ("\\ud800"), which no UTF-8 encoder writes; NaN and Infinity, which are not JSON
and which Postgres' jsonb refuses; integers too long to print again (Python's limit is 4,300
digits) or beyond the 64 bits every id here fits in; nesting deep enough to exhaust a
recursive encoder; and NUL, which Postgres text cannot hold. ``problem_in`` names the first
such thing, so it is refused at the door with a message, not found later as a 500.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32
MAX_INTEGER = 2**63 - 1
BEYOND_64_BITS = "a number is beyond the 64-bit range"


def problem_in(value: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """Why ``value`` (as json.loads made it) cannot go further, or None when it can."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= max_depth:
                return f"a value is nested more than {max_depth} levels deep"
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif (problem := _scalar_problem(item)) is not None:
            return problem
    return None


class _Refused(ValueError):
    pass


def checked(value: Any, max_depth: int = MAX_DEPTH) -> Any:
    """``value`` itself, or ValueError naming why it cannot go further (for validators)."""
    problem = problem_in(value, max_depth)
    if problem is not None:
        raise ValueError(problem)
    return value


def loads(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Parse untrusted JSON; raises ValueError with a message fit to show the sender."""
    try:
        value = json.loads(data, parse_int=_bounded_int)
    except _Refused as exc:
        raise ValueError(str(exc)) from None
    except RecursionError:
        raise ValueError(f"a value is nested more than {max_depth} levels deep") from None
    except ValueError as exc:  # bad JSON or bad UTF-8
        raise ValueError(f"the body is not valid JSON: {exc}") from None
    return checked(value, max_depth)


def _bounded_int(digits: str) -> int:
    # Called with the digits before they become an int, so a 5,000-digit number is refused
    # here instead of failing inside int() (or far later, when it is written out again).
    value = int(digits) if len(digits) <= 20 else MAX_INTEGER + 1
    if abs(value) > MAX_INTEGER:
        raise _Refused(BEYOND_64_BITS)
    return value


def _scalar_problem(item: Any) -> str | None:
    if isinstance(item, str):
        return _text_problem(item)
    if isinstance(item, bool) or item is None:
        return None
    if isinstance(item, int) and abs(item) > MAX_INTEGER:
        return BEYOND_64_BITS
    if isinstance(item, float) and not math.isfinite(item):
        return "a number is NaN or infinite, which JSON does not allow"
    return None


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "text must not contain NUL (U+0000) characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "text holds a lone UTF-16 surrogate (such as \\ud800), which is not Unicode text"
    return None
