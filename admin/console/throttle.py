"""Throttling rules for the console (SEC-03, SEC-05, SEC-14); storage.throttles applies
them atomically, counting each attempt before it is checked.

Passwords, per account name, known or not: after 5 failures in an hour each further try
waits 1, 2, 4, 8, 16 seconds after the last failure; from 10 failures the name is locked
for 15 minutes after each failure. That evaluates at most about 14 passwords an hour, far
under the 100 ASVS allows, and names with no account behave the same, so the responses
cannot tell them apart.

Authenticator codes, per account (not per session, so a fresh password login buys no new
tries): 5 wrong codes within 15 minutes pause the account's second factor for 15 minutes.
That is at most 20 guesses an hour, about 1 in 25,000 of guessing a code in a day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

WINDOW = dt.timedelta(hours=1)
BACKOFF_FROM = 5
LOCK_FROM = 10
LOCK = dt.timedelta(minutes=15)
MFA_TRIES = 5
MFA_SPAN = dt.timedelta(minutes=15)
MFA_LOCK = dt.timedelta(minutes=15)
MFA_WINDOW = MFA_SPAN + MFA_LOCK


def account_key(username: str) -> str:
    """What failures are counted under: the normalised name typed, hashed."""
    return hashlib.sha256(("login|" + username.strip().lower()).encode()).hexdigest()


def mfa_key(user_id: str) -> str:
    return "mfa|" + user_id


def report_key(user_id: str) -> str:
    return "report|" + user_id


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


def mfa_locked_until(failures: Sequence[dt.datetime], now: dt.datetime) -> dt.datetime | None:
    """Paused until 15 minutes after any 5th wrong code within 15 minutes, if still ahead."""
    until = None
    for first, fifth in zip(failures, failures[MFA_TRIES - 1 :], strict=False):
        if fifth - first <= MFA_SPAN:
            until = fifth + MFA_LOCK
    return until if until is not None and until > now else None
