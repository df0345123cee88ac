"""How suggestions are generated: which model, its fallbacks, and the retry budget."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LLMConfig:
    """Everything ``suggest`` needs to know about the model; built from settings by the caller."""

    model: str = "local/heuristic"
    # Tried in order, within the same attempt, when the model before them fails.
    fallbacks: tuple[str, ...] = ()
    timeout_seconds: float = 30.0
    # Attempts of the whole model chain on transient errors, including the first.
    max_attempts: int = 3
    max_tokens: int = 1500
    temperature: float = 0.3
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    api_base: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never printed or logged
    enable_opportunities: bool = False
    # Per call sleep of the local heuristic model, to benchmark I/O-bound behaviour.
    simulated_latency_ms: int = 0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be positive")

    @property
    def models(self) -> tuple[str, ...]:
        """The model chain: the configured model first, then its fallbacks."""
        return (self.model, *self.fallbacks)
