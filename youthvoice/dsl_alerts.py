"""Tell the safeguarding rota that a request is waiting (SG-08), never what it says.

Every `CHECK_EVERY` seconds the server looks for requests not yet told about. The first
round that sees one starts the collapsing window; the first round after the window claims
every waiting request in one write transaction (so several processes never send twice)
and sends one fixed notice that names no young person, team, language or count: an email
over SMTP (blocking smtplib, run in a thread so the event loop never waits on a mail
server) and/or a POST of a fixed JSON body to a webhook. If every channel fails, the claim
is released and the next round retries.

A request is seen within one check (30 s) and told about at most the window later (240 s
by default, at most 270), so the rota hears within 5 minutes. A request still open after
the queue's target (DSL_ALERT_OVERDUE_HOURS) reminds the rota the same way, at most once
per target period (CC-25).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import smtplib
import ssl
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from storage import help_requests
from storage.db import Database
from youthvoice.settings import Settings

log = logging.getLogger(__name__)

CHECK_EVERY = 30  # seconds
TIMEOUT = 30  # seconds for one SMTP or webhook exchange


# The only words that ever leave: fixed, about no young person, team, language or count.
@dataclass(frozen=True)
class Notice:
    subject: str
    body: str
    webhook: dict[str, str]


NEW = Notice(
    "Youth Voice: a new request is waiting",
    "A new request is waiting in the safeguarding queue. Sign in to view it: {url}\n",
    {"text": "Youth Voice: a new request is waiting. Sign in to view it."},
)
OVERDUE = Notice(
    "Youth Voice: a request has waited past its target",
    "A request in the safeguarding queue has waited past its target. Sign in to view it: {url}\n",
    {"text": "Youth Voice: a request has waited past its target. Sign in to view it."},
)


@dataclass(frozen=True)
class AlertChannels:
    smtp_host: str
    smtp_port: int
    smtp_tls: str  # "starttls", "tls" or "none"
    smtp_username: str
    smtp_password: str
    sender: str
    rota: tuple[str, ...]
    webhook_url: str
    queue_url: str

    @classmethod
    def from_settings(cls, settings: Settings) -> AlertChannels:
        password = settings.dsl_alert_smtp_password
        return cls(
            smtp_host=settings.dsl_alert_smtp_host,
            smtp_port=settings.dsl_alert_smtp_port,
            smtp_tls=settings.dsl_alert_smtp_tls,
            smtp_username=settings.dsl_alert_smtp_username,
            smtp_password=password.get_secret_value() if password is not None else "",
            sender=settings.dsl_alert_from,
            rota=tuple(settings.dsl_rota()),
            webhook_url=settings.dsl_alert_webhook_url,
            queue_url=f"{settings.public_url.rstrip('/')}/admin/queue",
        )

    @property
    def email(self) -> bool:
        return bool(self.smtp_host and self.rota and self.sender)

    @property
    def enabled(self) -> bool:
        return self.email or bool(self.webhook_url)


def send_email(channels: AlertChannels, notice: Notice) -> None:
    """One content-free message to the whole rota (blocking: call it from a thread)."""
    message = EmailMessage()
    message["Subject"] = notice.subject
    message["From"] = channels.sender
    message["To"] = ", ".join(channels.rota)
    message.set_content(notice.body.format(url=channels.queue_url))
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if channels.smtp_tls == "tls":
        smtp = smtplib.SMTP_SSL(
            channels.smtp_host, channels.smtp_port, timeout=TIMEOUT, context=context
        )
    else:
        smtp = smtplib.SMTP(channels.smtp_host, channels.smtp_port, timeout=TIMEOUT)
    with smtp:
        if channels.smtp_tls == "starttls":
            smtp.starttls(context=context)
        if channels.smtp_username:
            smtp.login(channels.smtp_username, channels.smtp_password)
        smtp.send_message(message)


def post_webhook(url: str, notice: Notice) -> None:
    """POST the fixed JSON body (blocking: call it from a thread); raises on a non-2xx."""
    request = urllib.request.Request(  # noqa: S310 - an operator-set URL, http(s) only
        url,
        data=json.dumps(notice.webhook).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    if not url.startswith(("https://", "http://")):
        raise ValueError("DSL_ALERT_WEBHOOK_URL must be http(s)")
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise OSError(f"webhook answered {response.status}")


@dataclass
class DslAlerts:
    db: Database
    clock: Callable[[], dt.datetime]
    channels: AlertChannels
    window: dt.timedelta
    overdue: dt.timedelta

    async def run_once(self) -> bool:
        """Send one notice if requests are waiting and the window allows; True if sent."""
        if not self.channels.enabled:
            return False
        async with self.db.write() as conn:
            claim = await help_requests.claim_notice(conn, self.clock(), self.window)
        if claim is None:
            return False
        if await self._send(NEW):
            log.info("safeguarding rota told of new requests")
            return True
        async with self.db.write() as conn:
            await help_requests.release(conn, claim)
        return False

    async def remind_once(self) -> bool:
        """Remind the rota if a request has waited past the target (CC-25); True if sent."""
        if not self.channels.enabled:
            return False
        async with self.db.write() as conn:
            reminder = await help_requests.claim_reminder(conn, self.clock(), self.overdue)
        if reminder is None:
            return False
        if await self._send(OVERDUE):
            log.info("safeguarding rota reminded of a request past its target")
            return True
        async with self.db.write() as conn:
            await help_requests.release_reminder(conn, reminder)
        return False

    async def _send(self, notice: Notice) -> bool:
        sent = False
        if self.channels.email:
            sent |= await _attempt("email", send_email, self.channels, notice)
        if self.channels.webhook_url:
            sent |= await _attempt("webhook", post_webhook, self.channels.webhook_url, notice)
        return sent

    async def loop(self) -> None:
        if not self.channels.enabled:
            log.warning("no DSL alert channel is set: nobody is told of new help requests")
            return
        while True:
            try:
                await self.run_once()
                await self.remind_once()
            except Exception as exc:  # noqa: BLE001 - one failed round must not end the alerts
                log.error("DSL alert round failed, trying again: %s", type(exc).__name__)
            await asyncio.sleep(CHECK_EVERY)


async def _attempt(name: str, send: Callable[..., None], *args: object) -> bool:
    try:
        await asyncio.to_thread(send, *args)
    except Exception as exc:  # noqa: BLE001 - report the failure, try the other channel
        log.error("DSL alert by %s failed: %s", name, type(exc).__name__)
        return False
    return True
