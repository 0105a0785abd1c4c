"""Login throttling per account name, known or not (SEC-03).

After 5 failures in an hour each further try waits 1, 2, 4, 8, 16 seconds after the last
failure; from 10 failures the account name is locked for 15 minutes after each failure.
That evaluates at most about 14 passwords an hour, far under the 100 ASVS allows. The
same rules apply to names that have no account, so the responses cannot tell them apart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

WINDOW = dt.timedelta(hours=1)
BACKOFF_FROM = 5
LOCK_FROM = 10
LOCK = dt.timedelta(minutes=15)


def account_key(username: str) -> str:
    """What failures are counted under: the normalised name typed, hashed."""
    return hashlib.sha256(("login|" + username.strip().lower()).encode()).hexdigest()


def locked_until(failures: Sequence[dt.datetime], now: dt.datetime) -> dt.datetime | None:
    """When the next try may be evaluated, if not now. failures: this hour's, oldest first."""
    recent = [f for f in failures if now - f < WINDOW]
    if len(recent) < BACKOFF_FROM:
        return None
    last = recent[-1]
    if len(recent) >= LOCK_FROM:
        until = last + LOCK
    else:
        until = last + dt.timedelta(seconds=2 ** (len(recent) - BACKOFF_FROM))
    return until if until > now else None
