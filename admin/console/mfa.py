"""TOTP second factor (SEC-05): required for manager, reviewer, dsl and admin.

A code is accepted for the current 30-second step or one either side (clock drift), and
each step only once per account: a replayed code is refused even within its window.

Secrets are stored sealed with DATA_KEY (SEC-21); one stored before sealing existed is
sealed in place the first time it is used. Ten single-use recovery codes are made at
enrolment, shown once and stored only as SHA-256 (60 random bits each, so unsalted
hashing is enough: there is no dictionary to try).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import pyotp
import segno

from storage import accounts
from storage.db import Database
from storage.sealing import Sealer

MFA_ROLES = frozenset({"manager", "reviewer", "dsl", "admin"})
DRIFT_STEPS = 1
RECOVERY_CODES = 10
# No 0/O or 1/I/L look-alikes: a code copied from paper is typed right.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECOVERY_LENGTH = 12  # about 59 bits
FERNET_PREFIX = "gAAAAA"  # a Fernet token's version byte; base32 secrets never contain "g"


def seal(sealer: Sealer, secret: str) -> str:
    return sealer.seal(secret).decode("ascii")


def unseal(sealer: Sealer, stored: str) -> tuple[str, bool]:
    """The plain secret, and whether it was stored unsealed (and so needs sealing now)."""
    if stored.startswith(FERNET_PREFIX):
        return sealer.unseal(stored.encode("ascii")), False
    return stored, True


async def seal_stored(db: Database, sealer: Sealer) -> int:
    """Seal, in place, every secret stored before sealing existed; how many there were."""
    async with db.write() as conn:
        plain = [(u, s) for u, s in await accounts.totp_secrets(conn) if unseal(sealer, s)[1]]
        for user_id, secret in plain:
            await accounts.reseal_totp(conn, user_id, secret, seal(sealer, secret))
    return len(plain)


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODES):
        chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append(f"{chars[:4]}-{chars[4:8]}-{chars[8:]}")
    return codes


def recovery_hash(code: str) -> str | None:
    """SHA-256 of a recovery code as typed (any case, spaces or dashes); None if it cannot
    be one."""
    chars = "".join(ch for ch in code.upper() if ch not in " -")
    if len(chars) != RECOVERY_LENGTH or any(ch not in RECOVERY_ALPHABET for ch in chars):
        return None
    return hashlib.sha256(chars.encode()).hexdigest()


def new_secret() -> str:
    return pyotp.random_base32()


def matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The time step the code belongs to, or None if it matches none near `now`."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        moment = now + dt.timedelta(seconds=offset * totp.interval)
        if hmac.compare_digest(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def provisioning_qr(secret: str, username: str, issuer: str) -> str:
    """A data: URI of an SVG QR code for authenticator apps (CSP allows img-src data:)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)
    return segno.make(uri, error="m").svg_data_uri(scale=4)
