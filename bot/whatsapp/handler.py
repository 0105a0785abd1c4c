"""The WhatsApp adapter proper: one whitelisted message in, engine input to the
conversation service (exactly as Telegram calls it), the engine's messages out through
the outbox. No conversation logic lives here.

A message's effects, its replies and its de-duplication mark (`wa:` + an HMAC of the
message id, which itself encodes the sender's number, so it is never stored as it is)
commit in one transaction. An exception propagates to the webhook, which answers 500 so
Meta delivers the message again: nothing of it was kept.
"""

from __future__ import annotations

import logging
import re

from bot.conversation import ConversationService
from bot.whatsapp import ingest
from bot.whatsapp.ingest import Failure, Incoming
from bot.whatsapp.outbox import WhatsAppOutbox
from bot.whatsapp.render import render, render_all
from flows.events import Say
from flows.inputs import STALE, Input, Start, from_text, from_token

log = logging.getLogger(__name__)
CHANNEL = "whatsapp"
START_WORDS = ("start", "/start")  # "START <code>", as the wa.me link prefills it
# An invite code's shape (storage.catalog: 16 URL-safe characters). Only "start" and
# such a code begins a check-in, so an answer that begins with "start" stays an answer.
INVITE_CODE = re.compile(r"[A-Za-z0-9_-]{12,64}")
ANSWERED_GROUPS = 1024  # groups recently answered, so a busy group gets one reply


class NotSaved(RuntimeError):
    """The conversation service could not commit this message's effects."""


class WhatsAppHandler:
    def __init__(self, service: ConversationService, outbox: WhatsAppOutbox) -> None:
        self.service = service
        self.outbox = outbox
        self._groups: dict[str, None] = {}

    @property
    def languages(self) -> list[str]:
        return self.service.kit.copy.languages

    def update_key(self, inc: Incoming) -> str:
        """The message's mark: 35 characters, day-precise like Telegram's (REL-01)."""
        return "wa:" + self.service.key("whatsapp-message", inc.message_id)[:32]

    async def process(self, inc: Incoming) -> None:
        if inc.kind in (ingest.TEXT, ingest.REPLY):
            await self._converse(inc)
        elif inc.kind == ingest.MEDIA:
            await self._notice(inc, "only_text")
        elif inc.kind == ingest.IMAGE:
            await self._notice(inc, "only_text", "report_remove")
        elif inc.kind == ingest.FORWARDED:
            await self._notice(inc, "forwarded")
        elif inc.kind == ingest.GROUP:
            await self._group(inc)

    async def failed(self, failure: Failure) -> None:
        await self.outbox.failed(failure.wa_id, failure.codes)

    async def apologise(self, inc: Incoming) -> None:
        """The message could not be handled after every retry (REL-05): say sorry, with help."""
        log.error("whatsapp: gave up on a message of kind %s", inc.kind)
        if inc.kind in (ingest.TEXT, ingest.REPLY):
            lang = await self._lang(inc)
            sorry = render_all(self.service.notice("sorry_error", lang), lang)
            await self.outbox.tell(inc.wa_id, sorry, urgent=True)

    def lang_of(self, messages: list[Say]) -> str:
        """The language a reply is in, read off its own command buttons (Help, Back, Stop):
        the engine has already chosen it. The first language when there are none."""
        kit = self.service.kit
        for say in messages:
            for button in (b for row in say.buttons for b in row):
                name = button.token[2:] if button.token.startswith("c:") else ""
                texts = kit.copy.strings.get(name, {})
                for lang in self.languages:
                    if lang in texts and kit.t(name, lang) == button.label:
                        return lang
        return self.languages[0]

    async def _converse(self, inc: Incoming) -> None:
        code = self._delete_code(inc)
        if code == "":
            await self._notice(inc, "delete_how")
            return
        plan = self.outbox.plan(inc.wa_id, self.lang_of)
        if code is not None:
            reply = await self.service.delete(code, await self._lang(inc), plan.outbound())
        else:
            reply = await self.service.handle(
                CHANNEL,
                inc.wa_id,
                self._input(inc),
                update_key=self.update_key(inc),
                client=self.service.key(CHANNEL, inc.wa_id),
                outbound=plan.outbound(),
            )
        if reply.duplicate:
            return
        if reply.failed:
            raise NotSaved(inc.kind)
        plan.hand_over(reply.queued)

    def _delete_code(self, inc: Incoming) -> str | None:
        if inc.kind != ingest.TEXT:
            return None
        command, _, rest = (inc.text or "").strip().partition(" ")
        return rest.strip() if command.lower() == "/delete" else None

    def _input(self, inc: Incoming) -> Input:
        text = inc.text or ""
        if inc.kind == ingest.REPLY:
            return from_token(text) or STALE
        word, _, rest = text.strip().partition(" ")
        if word.lower() in START_WORDS and (
            not rest.strip() or INVITE_CODE.fullmatch(rest.strip())
        ):
            code = rest.strip()
            return Start((("invite", code),) if code else ())
        return from_text(text)

    async def _notice(self, inc: Incoming, *keys: str) -> None:
        lang = await self._lang(inc)
        notice = [Say(self.service.kit.t(k, lang)) for k in keys]
        # Each its own message: Report Remove is signposting, not a footnote (SG-10).
        bodies = [b for say in notice for b in render(say, lang)]
        await self.outbox.tell(inc.wa_id, bodies, once=self.update_key(inc))

    async def _group(self, inc: Incoming) -> None:
        """Say once that we only talk one to one (SG-11); then the group is ignored."""
        if inc.wa_id in self._groups:
            return
        self._groups[inc.wa_id] = None
        if len(self._groups) > ANSWERED_GROUPS:
            del self._groups[next(iter(self._groups))]
        lang = self.languages[0]
        await self.outbox.tell(
            "g:" + inc.wa_id, render(Say(self.service.kit.t("groups", lang)), lang)
        )

    async def _lang(self, inc: Incoming) -> str:
        """The draft's language for a notice outside the engine, else the first."""
        try:
            state = await self.service.current(CHANNEL, inc.wa_id)
        except Exception as exc:  # the notice (often an apology) matters more than its language
            log.warning("whatsapp: could not read a draft's language: %s", type(exc).__name__)
            state = None
        if state is not None and state.lang in self.languages:
            return state.lang
        return self.languages[0]
