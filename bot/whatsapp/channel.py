"""The WhatsApp channel as the composition root sees it: built from the services, a route
to mount on the one ASGI app, started and stopped with the server.

    channel = build_channel(services)
    app = create_app(services, extra_routes=channel.routes())
    await channel.start()   # the outbox starts delivering; Meta calls the webhook
    ...
    await channel.stop()    # finish what is in hand, deliver for up to 10 s, leave the
                            # rest in the outbox for the next start, close
"""

from __future__ import annotations

import datetime as dt

from starlette.routing import BaseRoute

from bot.delivery.pacing import Pacing
from bot.delivery.sender import Retry
from bot.telegram.polling import PATIENCE
from bot.whatsapp.client import GraphClient
from bot.whatsapp.handler import CHANNEL, WhatsAppHandler
from bot.whatsapp.outbox import WhatsAppOutbox
from bot.whatsapp.sender import Sender
from bot.whatsapp.webhook import WebhookReceiver
from youthvoice.bootstrap import Services
from youthvoice.settings import SettingsError

REQUIRED = ("whatsapp_token", "whatsapp_app_secret", "whatsapp_verify_token")


class WhatsAppChannel:
    def __init__(
        self, client: GraphClient, handler: WhatsAppHandler, receiver: WebhookReceiver
    ) -> None:
        self.client = client
        self.handler = handler
        self.receiver = receiver
        self._stopped = False

    def routes(self) -> list[BaseRoute]:
        return self.receiver.routes()

    async def start(self) -> None:
        # SQLite serves one process, so it is the only deliverer (issue 13).
        await self.handler.outbox.start(single=self.handler.service.db.is_sqlite)

    async def stop(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 (a drain budget)
        if self._stopped:
            return
        self._stopped = True
        await self.receiver.close(timeout)
        await self.handler.outbox.stop(timeout)
        await self.client.close()


def build_channel(
    services: Services,
    *,
    pacing: Pacing | None = None,
    retry: Retry | None = None,
    patience: float = PATIENCE,
) -> WhatsAppChannel:
    settings = services.settings
    token, secret, verify = (getattr(settings, n) for n in REQUIRED)
    missing = [n.upper() for n in REQUIRED if getattr(settings, n) is None]
    if not settings.whatsapp_phone_number_id:
        missing.append("WHATSAPP_PHONE_NUMBER_ID")
    if missing or token is None or secret is None or verify is None:
        raise SettingsError("WhatsApp needs " + ", ".join(missing))
    client = GraphClient(
        token.get_secret_value(),
        settings.whatsapp_phone_number_id,
        settings.whatsapp_api_url,
    )
    conversations = services.conversations

    async def forget(to: str) -> None:
        await conversations.forget(CHANNEL, to)

    max_age = dt.timedelta(hours=settings.outbox_max_age_hours)
    pacing = pacing or Pacing(
        chat_rate=settings.whatsapp_chat_rate,
        chat_burst=settings.whatsapp_chat_burst,
        global_rate=settings.whatsapp_global_rate,
    )
    sender = Sender(
        client, pacing=pacing, retry=retry or Retry(), max_age=max_age, now=services.clock
    )
    outbox = WhatsAppOutbox(
        services.db,
        services.sealer,
        lambda to: conversations.key(CHANNEL, to),
        sender,
        forget=forget,
        max_age=max_age,
        now=services.clock,
    )
    sender.marks = outbox
    handler = WhatsAppHandler(conversations, outbox)
    receiver = WebhookReceiver(
        handler,
        secret.get_secret_value(),
        verify.get_secret_value(),
        patience=patience,
    )
    return WhatsAppChannel(client, handler, receiver)
