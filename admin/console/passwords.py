"""Password rules and storage (SEC-01, SEC-02).

No composition rules: at least 12 characters, at most 128 (longer is refused, never
truncated), not on the locally shipped list of common passwords, not containing the
username or the organisation's name, and a zxcvbn score of at least 3 ("safely
unguessable"), which refuses repeats, sequences and keyboard runs such as
`aaaaaaaaaaaa`, `123456789012` or `qwertyuiopas` whatever their length. Hashes are
argon2id with argon2-cffi's RFC 9106 low-memory profile (t=3, m=64 MiB, p=4), above the
OWASP minimum, and are upgraded on login when the parameters change.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn: 3 is "safely unguessable: moderate protection from offline attack"


class PasswordPolicy:
    """Decides whether a new password may be used."""

    def __init__(self, common: frozenset[str]) -> None:
        self.common = common

    @classmethod
    def load(cls, path: Path | None = None) -> PasswordPolicy:
        source = path or Path(str(resources.files("admin") / "common_passwords.txt"))
        lines = source.read_text(encoding="utf-8").splitlines()
        return cls(frozenset(p.strip() for p in lines if p.strip() and not p.startswith("#")))

    def problem(self, password: str, username: str = "", org_name: str = "") -> str | None:
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
        org = _squashed(org_name)
        if len(org) >= 4 and org in _squashed(password):
            return "Don't include the organisation's name in your password."
        inputs = [username, org_name, *org_name.split()]
        score = zxcvbn(password, [i for i in inputs if i], max_length=MAX_LENGTH)["score"]
        if score < MIN_SCORE:
            return (
                "That password would be too easy to guess (repeats, sequences and keyboard "
                "runs are). A few unrelated words work well."
            )
        return None


def _squashed(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


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
