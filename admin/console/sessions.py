"""Server-side sessions (SEC-06, SEC-07, SEC-08).

The cookie holds 256 random bits; the database holds only their SHA-256, so a stolen
database copy cannot be replayed. A fresh id is issued at login and again when the second
factor completes. Sessions end after 30 minutes idle or 12 hours in all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from starlette.responses import Response

from storage.accounts import SessionRow

COOKIE = "__Host-session"
LOGIN_CSRF_COOKIE = "__Host-login-csrf"
TOUCH_EVERY = dt.timedelta(seconds=60)  # fewer writes: idle time is tracked to the minute


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SessionPolicy:
    idle: dt.timedelta = dt.timedelta(minutes=30)
    absolute: dt.timedelta = dt.timedelta(hours=12)

    def expired(self, row: SessionRow, now: dt.datetime) -> bool:
        return now - row.last_seen_at >= self.idle or now - row.created_at >= self.absolute

    def needs_touch(self, row: SessionRow, now: dt.datetime) -> bool:
        return now - row.last_seen_at >= TOUCH_EVERY


def set_cookie(response: Response, name: str, value: str) -> None:
    """`__Host-` cookies: Secure, Path=/, no Domain; HttpOnly and SameSite=Strict too.
    No Max-Age, so the browser forgets it when closed; the server enforces the timeouts."""
    response.set_cookie(name, value, path="/", secure=True, httponly=True, samesite="strict")


def clear_cookie(response: Response, name: str) -> None:
    response.delete_cookie(name, path="/", secure=True, httponly=True, samesite="strict")
