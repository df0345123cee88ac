"""Tokens encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``).

``HUBSPOT_TOKEN_KEYS`` lists keys newest first: the first encrypts, every one decrypts. To
rotate, put a new key in front, run ``hubspot-ai rotate-token-keys`` (re-encrypts every
stored token with it), then drop the old key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

if TYPE_CHECKING:
    from shared.store.accounts import AccountFunctions


class TokenKeyError(ValueError):
    """The configured keys are not Fernet keys, or none of them opens a stored token."""


class TokenCipher:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise TokenKeyError("HUBSPOT_TOKEN_KEYS lists no key")
        try:
            self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except ValueError:
            raise TokenKeyError(
                "each HUBSPOT_TOKEN_KEYS entry must be a Fernet key (32 url-safe base64 bytes; "
                "make one with: hubspot-ai new-token-key)"
            ) from None

    def encrypt(self, token: str) -> str:
        return self._fernet.encrypt(token.encode()).decode()

    def decrypt(self, stored: str) -> str:
        try:
            return self._fernet.decrypt(stored.encode()).decode()
        except InvalidToken:
            raise TokenKeyError(
                "no key in HUBSPOT_TOKEN_KEYS opens a stored token (was a key dropped before "
                "the tokens were rotated?)"
            ) from None

    def rotate(self, stored: str) -> str:
        """The same token, encrypted with the newest key."""
        try:
            return self._fernet.rotate(stored.encode()).decode()
        except InvalidToken:
            raise TokenKeyError("no key in HUBSPOT_TOKEN_KEYS opens a stored token") from None

    @staticmethod
    def new_key() -> str:
        return Fernet.generate_key().decode()


def rotate_stored_tokens(store: AccountFunctions, cipher: TokenCipher) -> int:
    """Re-encrypt every stored token with the newest key; how many accounts were."""
    rotated = 0
    for portal_id, access_enc, refresh_enc in store.encrypted_tokens():
        new_access, new_refresh = cipher.rotate(access_enc), cipher.rotate(refresh_enc)
        rotated += store.reencrypt_account(portal_id, refresh_enc, new_access, new_refresh)
    return rotated
