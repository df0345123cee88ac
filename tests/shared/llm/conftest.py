"""Fixtures for the LLM tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import shared.llm  # noqa: F401  (first: keeps litellm from fetching prices when tests import it)
from devstack.fake_openai import FakeOpenAI


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAI]:
    """A fake OpenAI-compatible provider on a free local port, stopped after the test."""
    server = FakeOpenAI().start()
    yield server
    server.stop()
