"""Serving the product: one ASGI app (web chat, console, Telegram and WhatsApp webhooks),
each messaging channel when its token is set, and the housekeeping that deletes what must
not be kept."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import Any

import uvicorn

from admin.app import create_app
from admin.console.mfa import seal_stored
from storage import accounts
from storage.housekeeping import purge
from storage.startup_lock import startup_lock
from youthvoice.bootstrap import Services
from youthvoice.demo import DemoInfo, seed_if_empty

log = logging.getLogger(__name__)
HOUSEKEEPING_EVERY = 15 * 60  # seconds; drafts expire after hours, so this is ample


async def housekeeping(services: Services) -> None:
    """Delete expired drafts, old marks and whatever is past its retention (AN-03,
    CC-13), pick up new staff names for the scrubber and question sets published in the
    console (perhaps by another process), and check the database's integrity once a day
    (REL-13)."""
    checked_on = None
    while True:
        now = services.clock()
        if checked_on != now.date():
            checked_on = now.date()
            if not await services.db.verify():
                log.critical("DATABASE DAMAGED, writes stopped: %s", services.db.writes_stopped)
        try:
            month = services.conversations.period(now)
            counts = await purge(services.db, now, month, services.keep)
            log.info("housekeeping: %s", ", ".join(f"{k} {v}" for k, v in counts.items()))
            await services.refresh_scrubber()
            await services.refresh_questions()
        except Exception as exc:  # noqa: BLE001 - one failed round must not end the deleting
            log.error("housekeeping failed, trying again later: %s", type(exc).__name__)
        await asyncio.sleep(HOUSEKEEPING_EVERY)


class Product(uvicorn.Server):
    """uvicorn, stopping the channels and closing the database *inside* its shutdown: after
    serve() returns uvicorn re-raises the signal, which would skip a stop placed after it
    and lose replies to updates already committed (REL-17)."""

    def __init__(self, config: uvicorn.Config, services: Services, channels: list[Any]) -> None:
        super().__init__(config)
        self.services = services
        self.channels = channels
        self.chores: asyncio.Task[None] | None = None
        self.alerts: asyncio.Task[None] | None = None

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets)
        self.chores = asyncio.create_task(housekeeping(self.services), name="housekeeping")
        # Its own task: a slow mail server never delays deleting what must not be kept.
        self.alerts = asyncio.create_task(self.services.alerts.loop(), name="dsl-alerts")
        for channel in self.channels:
            await channel.start()

    async def shutdown(self, sockets: Any = None) -> None:
        for channel in self.channels:
            await channel.stop()
        for task in (self.chores, self.alerts):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await super().shutdown(sockets)
        await self.services.close()


async def serve(services: Services) -> None:
    settings = services.settings
    # Authenticator secrets from before sealing are sealed now, not only at their next use.
    await seal_stored(services.db, services.sealer)
    demo = None
    if settings.demo_data:
        async with startup_lock(settings.db_url):  # several processes may start together
            demo = await seed_if_empty(services)
    channel = None
    if settings.telegram_bot_token is not None:
        from bot.telegram.channel import build_channel

        # Opt in to PTB 23's timedelta periods now, so RetryAfter does not warn.
        os.environ.setdefault("PTB_TIMEDELTA", "true")
        channel = build_channel(services)
    whatsapp = None
    if settings.whatsapp_token is not None:
        from bot.whatsapp.channel import build_channel as build_whatsapp

        whatsapp = build_whatsapp(services)
    channels: list[Any] = [c for c in (channel, whatsapp) if c is not None]
    app = create_app(
        services,
        extra_routes=[r for c in channels for r in c.routes()] or None,
        demo_chat=f"/c/{demo.invite_code}" if demo is not None else None,
    )
    # No access log: it would record young people's IP addresses next to their paths.
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        server_header=False,
    )
    async with services.db.read() as conn:
        has_accounts = await accounts.count_users(conn) > 0
    _banner(services, demo, has_accounts, telegram=channel is not None)
    if whatsapp is not None:
        print(f"  WhatsApp: on (webhook {settings.public_url.rstrip('/')}/whatsapp/webhook)")
    await Product(config, services, channels).serve()


def _banner(services: Services, demo: DemoInfo | None, has_accounts: bool, telegram: bool) -> None:
    settings = services.settings
    base = settings.public_url.rstrip("/")
    lines = [f"Youth Voice is running on {base}", f"  admin console: {base}/admin"]
    if not has_accounts:
        lines.append("  no console accounts yet: youthvoice admin create-user NAME --role admin")
    if demo is not None:
        lines.append(f"  try the web chat: {base}/c/{demo.invite_code}")
        if demo.login is not None:  # the first run only: later, `youthvoice demo logins`
            lines.append(f"  demo console logins: {', '.join(demo.login.usernames)}")
            lines.append(f"  demo password (the same for each): {demo.login.password}")
            lines.append("    (demo accounts only: no second factor while DEMO_DATA=true)")
        elif demo.accounts:
            lines.append("  demo console logins: run `youthvoice demo logins` to see them")
        lines.append("  demo data is on: set DEMO_DATA=false for real use")
    if not services.alerts.channels.enabled:
        lines.append(
            "  safeguarding alerts: off. Set DSL_ALERT_SMTP_HOST and DSL_ALERT_TO,"
            " or DSL_ALERT_WEBHOOK_URL, so the rota hears of help requests."
        )
    if not telegram:
        lines.append(
            "  Telegram: off. To turn it on, get a token from @BotFather"
            " and set TELEGRAM_BOT_TOKEN."
        )
    else:
        lines.append(f"  Telegram: on ({settings.telegram_mode})")
        if demo is not None and settings.telegram_bot_username:
            link = f"https://t.me/{settings.telegram_bot_username}?start={demo.invite_code}"
            lines.append(f"  try it on Telegram: {link}")
    # flush: the addresses show at once even when output is piped
    print("\n".join(lines), flush=True)
