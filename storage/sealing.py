"""Seal secrets the database must hold but a copied database file must not reveal.

TOTP secrets, help-request contacts and queued replies are stored as Fernet tokens
(AES-128-CBC with HMAC-SHA256) under DATA_KEY, which lives outside the database and its
backups (SEC-21). One small class so every caller seals the same way.
"""

from __future__ import annotations

import base64
import time

from cryptography.fernet import Fernet, InvalidToken

# A Fernet token carries its creation time in the clear; only the hour is kept, so a sealed
# help request does not reveal when a young person asked to the second (AN-08, SG-07).
TOKEN_TIME_STEP = 3600


class SealError(ValueError):
    """A sealed value could not be opened: wrong key, or the bytes were altered."""


class Sealer:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("a sealing key is 32 bytes")
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, text: str) -> bytes:
        return self.seal_bytes(text.encode("utf-8"))

    def unseal(self, token: bytes) -> str:
        return self.unseal_bytes(token).decode("utf-8")

    def seal_bytes(self, data: bytes) -> bytes:
        hour = int(time.time()) // TOKEN_TIME_STEP * TOKEN_TIME_STEP
        return self._fernet.encrypt_at_time(data, hour)

    def unseal_bytes(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as exc:
            raise SealError("sealed value cannot be opened with this DATA_KEY") from exc
