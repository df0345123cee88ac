"""Reading ``/metrics`` the way Prometheus does, to assert on values rather than on text."""

from prometheus_client.parser import text_string_to_metric_families


def value(text: str, name: str, /, **labels: str) -> float | None:
    """The value of the sample ``name`` with exactly ``labels``; None when there is none."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return None


def kind(text: str, name: str) -> str | None:
    """The TYPE of the family ``name`` (a counter's without its ``_total``)."""
    return next((f.type for f in text_string_to_metric_families(text) if f.name == name), None)
