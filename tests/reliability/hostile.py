"""Hypothesis strategies for what a hostile client sends: JSON values with huge numbers,
deep nesting and bad Unicode, and header values of any shape. JSON comes as raw text,
because json.dumps cannot even write some of it (a lone surrogate, NaN as a bare word)."""

from __future__ import annotations

import json

from hypothesis import strategies as st

# Escapes a JSON parser may accept that no UTF-8 text can hold, or Postgres cannot store.
BAD_ESCAPES = ("\\ud800", "\\udfff", "a\\ud83d", "\\ude00b", "\\u0000", "x\\u0000y")
NOT_JSON_NUMBERS = ("NaN", "Infinity", "-Infinity")


def _digits(count: int, negative: bool) -> str:
    return ("-" if negative else "") + "1" + "0" * (count - 1)


def scalar_texts() -> st.SearchStrategy[str]:
    """One JSON scalar as text: ordinary, huge, not quite JSON, or not Unicode."""
    return st.one_of(
        st.integers(-(2**70), 2**70).map(str),
        st.builds(_digits, st.integers(19, 6_000), st.booleans()),  # past 64 bits, 4,300 digits
        st.sampled_from(NOT_JSON_NUMBERS),
        st.sampled_from(("1e999", "-1e999", "1.5e308", "-0", "0.1")),
        st.sampled_from(("true", "false", "null")),
        st.text(max_size=30).map(json.dumps),  # any Unicode, control characters included
        st.sampled_from(BAD_ESCAPES).map(lambda escape: f'"{escape}"'),
    )


def _nest(depth: int, as_object: bool, leaf: str) -> str:
    if as_object:
        return '{"k":' * depth + leaf + "}" * depth
    return "[" * depth + leaf + "]" * depth


def value_texts() -> st.SearchStrategy[str]:
    """A JSON value as text: a scalar, nested up to 1,200 deep, or a small array or object
    of scalars (object keys may be bad Unicode too)."""
    scalars = scalar_texts()
    keys = st.one_of(
        st.text(max_size=10).map(json.dumps), st.sampled_from(BAD_ESCAPES).map(lambda e: f'"{e}"')
    )
    return st.one_of(
        scalars,
        st.builds(_nest, st.integers(1, 1_200), st.booleans(), scalars),
        st.lists(scalars, max_size=5).map(lambda items: "[" + ",".join(items) + "]"),
        st.lists(st.tuples(keys, scalars), max_size=5).map(
            lambda pairs: "{" + ",".join(f"{k}:{v}" for k, v in pairs) + "}"
        ),
    )


# Header values travel as latin-1; anything in it may arrive.
header_texts = st.one_of(
    st.text(st.characters(max_codepoint=0xFF, exclude_characters="\r\n"), max_size=60),
    st.integers(0, 6_000).map(lambda n: "9" * n),
    st.integers(-(10**20), 10**20).map(str),
)
