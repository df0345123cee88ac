from shared.redis_text import as_text


def test_bytes_and_str_answers_both_read_as_str():
    assert as_text(b"caf\xc3\xa9") == "café"
    assert as_text("café") == "café"
