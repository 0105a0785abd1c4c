"""The Telegram channel as the composition root sees it: built from the services,
started and stopped with the server, and (in webhook mode) a route to mount.

    channel = build_channel(services)
    app = create_app(services, extra_routes=channel.routes())
    await channel.start()   # getMe, setMyCommands per language, then setWebhook or long polling
    ...
    await channel.stop()    # finish what is in hand, deliver for up to 10 s, leave the
                            # rest in the outbox for the next start, close
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import re

from starlette.routing import BaseRoute

from bot.delivery.pacing import Pacing
from bot.delivery.sender import Retry
from bot.safelog import describe
from bot.telegram.client import ALLOWED_UPDATES, TelegramBot, command_menu, make_bot
from bot.telegram.handler import CHANNEL, TelegramHandler
from bot.telegram.outbox import TelegramOutbox
from bot.telegram.polling import PATIENCE, Poller
from bot.telegram.sender import Sender
from bot.telegram.webhook import PATH, WebhookReceiver
from youthvoice.bootstrap import Services
from youthvoice.settings import SettingsError

log = logging.getLogger(__name__)
SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as a secret_token


def quiet_library_logs() -> None:
    """PTB logs every request's parameters (chat ids, texts) and the updates it reads at
    DEBUG, so its loggers never go below WARNING, whatever LOG_LEVEL says (SEC-18)."""
    logger = logging.getLogger("telegram")
    if logger.level < logging.WARNING:
        logger.setLevel(logging.WARNING)


class TelegramChannel:
    def __init__(
        self,
        bot: TelegramBot,
        handler: TelegramHandler,
        *,
        poller: Poller | None = None,
        receiver: WebhookReceiver | None = None,
        webhook_url: str = "",
        secret: str = "",
    ) -> None:
        self.bot = bot
        self.handler = handler
        self.poller = poller
        self.receiver = receiver
        self._webhook_url = webhook_url
        self._secret = secret
        self._task: asyncio.Task[None] | None = None
        self._stopped = False

    def routes(self) -> list[BaseRoute]:
        return self.receiver.routes() if self.receiver is not None else []

    async def start(self) -> None:
        quiet_library_logs()
        await self.bot.initialize()  # getMe: a wrong token fails here, not later
        await self._set_commands()
        # SQLite serves one process, so it is the only deliverer (issue 13).
        await self.handler.outbox.start(single=self.handler.service.db.is_sqlite)
        if self.receiver is not None:
            # Never drop_pending_updates: a pending update may be a disclosure (REL-06).
            await self.bot.set_webhook(
                self._webhook_url,
                secret_token=self._secret,
                allowed_updates=list(ALLOWED_UPDATES),
            )
        elif self.poller is not None:
            await self.bot.delete_webhook()  # polling is refused while a webhook is set
            self._task = asyncio.create_task(self.poller.run(), name="telegram-polling")
            self._task.add_done_callback(_report_crash)

    async def _set_commands(self) -> None:
        """The menu in every language we speak: the first language's is the default, shown
        to any app language without its own; each other one is set for its language_code."""
        kit = self.handler.service.kit
        first, *others = self.handler.languages
        await self.bot.set_my_commands(command_menu(kit, first))
        for lang in others:
            await self.bot.set_my_commands(command_menu(kit, lang), language_code=lang)

    async def stop(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 (a drain budget)
        """Finish the updates in hand and deliver for up to `timeout` seconds; what is left
        stays in the outbox. Calling it again is a no-op."""
        if self._stopped:
            return
        self._stopped = True
        if self.receiver is not None:
            await self.receiver.close(timeout)
        if self.poller is not None and self._task is not None:
            self.poller.stop()
            with contextlib.suppress(Exception):
                await self._task
        await self.handler.outbox.stop(timeout)
        await self.bot.shutdown()


def build_channel(
    services: Services,
    *,
    pacing: Pacing | None = None,
    retry: Retry | None = None,
    poll_timeout: float = 25,
    patience: float = PATIENCE,
    bot: TelegramBot | None = None,
) -> TelegramChannel:
    """The channel the settings describe. `retry` paces both resending and re-polling
    after a failure; an update that keeps failing is given up (with an apology) only
    after `patience` seconds, so a short database outage shows none; `bot` lets a
    benchmark fake the network."""
    settings = services.settings
    if settings.telegram_bot_token is None:
        raise SettingsError("TELEGRAM_BOT_TOKEN is not set")
    bot = bot or make_bot(settings.telegram_bot_token.get_secret_value(), settings.telegram_api_url)
    conversations = services.conversations

    async def forget(chat_id: int) -> None:
        await conversations.forget(CHANNEL, str(chat_id))

    pacing = pacing or Pacing(
        chat_rate=settings.telegram_chat_rate,
        chat_burst=settings.telegram_chat_burst,
        global_rate=settings.telegram_global_rate,
    )
    retry = retry or Retry()
    max_age = dt.timedelta(hours=settings.outbox_max_age_hours)
    sender = Sender(bot, pacing=pacing, retry=retry, max_age=max_age, now=services.clock)
    outbox = TelegramOutbox(
        services.db,
        services.sealer,
        lambda chat_id: conversations.key(CHANNEL, str(chat_id)),
        sender,
        forget=forget,
        max_age=max_age,
        now=services.clock,
    )
    sender.marks = outbox
    services.metrics.watch(sender.counts)
    handler = TelegramHandler(conversations, outbox)
    if settings.telegram_mode == "polling":
        poller = Poller(bot, handler, timeout=poll_timeout, pause=retry.delay, patience=patience)
        return TelegramChannel(bot, handler, poller=poller)
    secret = settings.telegram_webhook_secret
    if secret is None or not SECRET.fullmatch(secret.get_secret_value()):
        raise SettingsError(
            "TELEGRAM_WEBHOOK_SECRET is required in webhook mode: 1-256 of A-Z a-z 0-9 _ -"
        )
    url = settings.public_url.rstrip("/") + PATH
    if not url.startswith("https://"):
        raise SettingsError("webhook mode needs an https:// PUBLIC_URL (SEC-16)")
    return TelegramChannel(
        bot,
        handler,
        receiver=WebhookReceiver(handler, secret.get_secret_value(), patience=patience),
        webhook_url=url,
        secret=secret.get_secret_value(),
    )


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (exc := task.exception()) is not None:
        log.critical("telegram: polling stopped: %s", describe(exc))
