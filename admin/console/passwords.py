"""Password rules and storage (SEC-01, SEC-02).

Length only, no composition rules: at least 12 characters, at most 128 (longer is refused,
never truncated), and not on the locally shipped list of common passwords. Hashes are
argon2id with argon2-cffi's RFC 9106 low-memory profile (t=3, m=64 MiB, p=4), above the
OWASP minimum, and are upgraded on login when the parameters change.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 128


class PasswordPolicy:
    """Decides whether a new password may be used."""

    def __init__(self, common: frozenset[str]) -> None:
        self.common = common

    @classmethod
    def load(cls, path: Path | None = None) -> PasswordPolicy:
        source = path or Path(str(resources.files("admin") / "common_passwords.txt"))
        lines = source.read_text(encoding="utf-8").splitlines()
        return cls(frozenset(p.strip() for p in lines if p.strip() and not p.startswith("#")))

    def problem(self, password: str, username: str = "") -> str | None:
        """Why this password is refused, in words a person can act on; None if it is fine."""
        if len(password) < MIN_LENGTH:
            return f"Use at least {MIN_LENGTH} characters. A few unrelated words work well."
        if len(password) > MAX_LENGTH:
            return f"Use at most {MAX_LENGTH} characters."
        lowered = password.lower()
        if lowered in self.common or lowered.rstrip("0123456789!") in self.common:
            return "That password is on a list of commonly used passwords. Choose another."
        if username and username.lower() in lowered:
            return "Don't include your username in your password."
        return None


class Passwords:
    """argon2id hashing; `dummy` is verified against for unknown accounts, so a login for
    an account that does not exist takes as long as one that does (SEC-03)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        self.dummy = self.hasher.hash("not a real account's password")

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        try:
            return self.hasher.verify(stored or self.dummy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        return self.hasher.check_needs_rehash(stored)
