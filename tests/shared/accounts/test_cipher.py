"""Stored tokens are encrypted with the newest key and opened with any listed one."""

import pytest

from shared.accounts.cipher import TokenCipher, TokenKeyError

OLD, NEW = TokenCipher.new_key(), TokenCipher.new_key()


def test_a_token_is_stored_unreadable_and_opens_again():
    cipher = TokenCipher([NEW])

    stored = cipher.encrypt("pat-na1-secret-token")

    assert "pat-na1-secret-token" not in stored
    assert cipher.decrypt(stored) == "pat-na1-secret-token"


def test_rotation_puts_a_new_key_in_front_and_re_encrypts_with_it():
    stored_with_old = TokenCipher([OLD]).encrypt("refresh-1")
    rotating = TokenCipher([NEW, OLD])

    rotated = rotating.rotate(stored_with_old)

    assert rotating.decrypt(stored_with_old) == "refresh-1"  # old tokens still open
    assert TokenCipher([NEW]).decrypt(rotated) == "refresh-1"  # the old key can go now
    with pytest.raises(TokenKeyError, match="no key"):
        TokenCipher([NEW]).decrypt(stored_with_old)


@pytest.mark.parametrize("keys", [[], ["not-a-fernet-key"]])
def test_keys_that_cannot_encrypt_are_refused_with_what_to_do(keys):
    with pytest.raises(TokenKeyError, match="HUBSPOT_TOKEN_KEYS"):
        TokenCipher(keys)
