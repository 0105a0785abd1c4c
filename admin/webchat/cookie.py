"""The conversation cookie and the form token bound to it.

A web conversation is keyed by a random value that lives only in the young person's
browser, for one conversation: the conversation service stores only an HMAC of it, like
a Telegram chat id (AN-05). The cookie is `__Host-` prefixed, Secure, HttpOnly and
SameSite=Strict, with no Max-Age, so it is never sent cross-site and dies with the
browser session; it is cleared as soon as the conversation ends (Send or Stop).

Every form carries a token that is an HMAC of the cookie value under a key derived from
the pepper (SEC-09): a page from another site can neither read the cookie nor compute
the token, so a forged post is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.responses import Response

NAME = "__Host-yvchat"
# Browsers cap a cookie at 4 KB; anything far longer than our values is not ours.
MAX_LENGTH = 128


def new_value() -> str:
    return secrets.token_urlsafe(32)


def read(cookies: dict[str, str]) -> str | None:
    value = cookies.get(NAME)
    if not value or len(value) > MAX_LENGTH:
        return None
    return value


def set_on(response: Response, value: str) -> None:
    response.set_cookie(NAME, value, path="/", secure=True, httponly=True, samesite="strict")


def clear_on(response: Response) -> None:
    response.delete_cookie(NAME, path="/", secure=True, httponly=True, samesite="strict")


class FormTokens:
    """Sign and check the hidden form token for one conversation cookie."""

    def __init__(self, pepper: bytes) -> None:
        # A key of its own, so a form token can never be confused with a pseudonym.
        self._key = hmac.new(pepper, b"webchat form token key", hashlib.sha256).digest()

    def token(self, value: str) -> str:
        return hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()

    def valid(self, value: str | None, token: str | None) -> bool:
        if not value or not token:
            return False
        # As bytes: compare_digest refuses a str with non-ASCII characters (a forged field).
        return hmac.compare_digest(self.token(value).encode(), token.encode())


class StepTokens:
    """Name the step a form was shown at, so a form posted twice (a reload, a double tap,
    Back then resubmit) is seen as spent and shows the current question instead of
    answering again. An HMAC of the draft under its own key: the page source never
    carries anything from which the answers could be guessed (AN-12)."""

    FIRST = "first"  # the computed first screen, before anything is stored

    def __init__(self, pepper: bytes) -> None:
        self._key = hmac.new(pepper, b"webchat step token key", hashlib.sha256).digest()

    def token(self, value: str, draft: str | None) -> str:
        if draft is None:
            return self.FIRST
        return hmac.new(self._key, f"{value}\n{draft}".encode(), hashlib.sha256).hexdigest()[:32]

    def current(self, value: str, draft: str | None, posted: str | None) -> bool:
        if not posted:
            return False
        return hmac.compare_digest(self.token(value, draft).encode(), posted.encode())
