"""TOTP second factor (SEC-05): required for manager, reviewer, dsl and admin.

A code is accepted for the current 30-second step or one either side (clock drift), and
each step only once per account: a replayed code is refused even within its window.
"""

from __future__ import annotations

import datetime as dt
import hmac

import pyotp
import segno

MFA_ROLES = frozenset({"manager", "reviewer", "dsl", "admin"})
DRIFT_STEPS = 1


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
