"""The Telegram adapter proper: one whitelisted update in, engine input to the
conversation service, the engine's messages out to the sender. No conversation logic
lives here: what to say is always the engine's or the copy's.

Replies are written to the outbox in the same transaction as the update's effects (and
its de-duplication mark, `tg:<update_id>`, REL-01), and handed to the sender once that
commits. An exception propagates to the caller (polling or webhook), which retries the
update: nothing of it was kept.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.conversation import ConversationService
from bot.telegram import ingest
from bot.telegram.counts import Counts
from bot.telegram.ingest import Incoming
from bot.telegram.outbox import TelegramOutbox
from bot.telegram.render import Leave, render, render_all
from bot.telegram.sender import Sender
from flows.engine import news_reply
from flows.events import Say
from flows.inputs import STALE, Input, Start, from_text, from_token

log = logging.getLogger(__name__)
CHANNEL = "telegram"
# A button whose data is not a token we issued: the engine answers any choice for a node
# that is not the current one with "that question has moved on" and the question again.
LEFT_MEMORY = 1024  # group chats recently left, so a burst from one group gets one reply


class NotSaved(RuntimeError):
    """The conversation service could not commit this update's effects."""


class TelegramHandler:
    def __init__(self, service: ConversationService, outbox: TelegramOutbox) -> None:
        self.service = service
        self.outbox = outbox
        self._left: dict[int, None] = {}

    @property
    def sender(self) -> Sender:
        return self.outbox.sender

    @property
    def counts(self) -> Counts:
        return self.outbox.sender.counts

    @property
    def languages(self) -> list[str]:
        return self.service.kit.copy.languages

    def parse(self, raw: dict[str, Any]) -> Incoming | None:
        """The whitelisted update (bot.telegram.ingest), in the languages we speak."""
        helplines = [self.service.kit.safety_block(lang) for lang in self.languages]
        return ingest.parse(raw, self.languages, helplines)

    async def process(self, inc: Incoming) -> None:
        try:
            await self._process(inc)
        except Exception:
            self.counts.failures += 1
            raise
        self.counts.updates[inc.kind] += 1

    async def _process(self, inc: Incoming) -> None:
        if inc.callback_id is not None:
            self.sender.answer_callback(inc.callback_id)
        if inc.chat_id is None or inc.kind == ingest.IGNORED:
            return
        if inc.kind in (ingest.TEXT, ingest.BUTTON):
            await self._converse(inc, inc.chat_id)
        elif inc.kind == ingest.MEDIA:
            await self._notice(inc, inc.chat_id, "only_text")
        elif inc.kind == ingest.IMAGE:
            await self._notice(inc, inc.chat_id, "only_text", "report_remove")
        elif inc.kind == ingest.FORWARDED:
            await self._notice(inc, inc.chat_id, "forwarded")
        elif inc.kind == ingest.GROUP:
            await self._leave(inc, inc.chat_id)
        elif inc.kind == ingest.BLOCKED:
            self.sender.discard(inc.chat_id)
            await self.outbox.gone(inc.chat_id)

    async def apologise(self, inc: Incoming) -> None:
        """The update could not be handled after every retry (REL-05): say sorry, with help.
        Kept in the outbox if the database takes it; sent from memory if not."""
        log.error("telegram: gave up on an update of kind %s", inc.kind)
        self.counts.given_up += 1
        if inc.chat_id is not None and inc.kind in (ingest.TEXT, ingest.BUTTON):
            lang = await self._lang(inc)
            sorry = render_all(self.service.notice("sorry_error", lang))
            try:
                await self.outbox.tell(inc.chat_id, sorry, urgent=True)
            except Exception as exc:
                log.warning("telegram: the apology is not stored: %s", type(exc).__name__)
                self.sender.send(inc.chat_id, sorry)

    async def _converse(self, inc: Incoming, chat_id: int) -> None:
        code = self._delete_code(inc)
        if code == "":
            await self._notice(inc, chat_id, "delete_how")
            return
        if await self._news_without_checkin(inc, chat_id):
            return
        plan = self.outbox.plan(chat_id)
        if inc.kind == ingest.BUTTON and inc.message_id is not None and inc.screen is not None:
            plan.tapped(inc.message_id, inc.screen)
        if code is not None:
            # A receipt needs no conversation (AN-19); a re-delivered update finds the
            # code gone and says so, which is true.
            reply = await self.service.delete(code, await self._lang(inc), plan.outbound())
        else:
            # Paced per chat by the conversation's own HMAC key (bot.pacing), never the id.
            reply = await self.service.handle(
                CHANNEL,
                str(chat_id),
                self._input(inc),
                update_key=f"tg:{inc.update_id}",
                client=self.service.key(CHANNEL, str(chat_id)),
                outbound=plan.outbound(),
            )
        if reply.duplicate:
            self.counts.duplicates += 1
            return
        if reply.failed:
            # Nothing was saved: let the caller retry the update (a webhook answers 500 so
            # Telegram delivers it again, REL-03) and apologise only once it gives up (REL-05).
            raise NotSaved(inc.kind)
        plan.hand_over(reply.queued)

    async def _news_without_checkin(self, inc: Incoming, chat_id: int) -> bool:
        """/news with no check-in open: the engine would answer in the first language, as it
        knows no other; answer in the device's instead (read, never stored, AN-04). With a
        check-in open the engine answers in its language and asks the question again."""
        text = (inc.text or "").strip().split(" ", 1)[0] if inc.kind == ingest.TEXT else ""
        if text.split("@", 1)[0].lower() != "/news":
            return False
        if await self.service.current(CHANNEL, str(chat_id)) is not None:
            return False
        lang = inc.lang if inc.lang in self.languages else self.languages[0]
        await self.outbox.tell(chat_id, render(news_reply(self.service.kit, lang)))
        return True

    def _delete_code(self, inc: Incoming) -> str | None:
        """The code after "/delete" ("" for a bare /delete); None for anything else."""
        if inc.kind != ingest.TEXT:
            return None
        command, _, rest = (inc.text or "").strip().partition(" ")
        return rest.strip() if command.split("@", 1)[0].lower() == "/delete" else None

    def _input(self, inc: Incoming) -> Input:
        """The engine input for a tap or typed words."""
        text = inc.text or ""
        if inc.kind == ingest.BUTTON:
            return from_token(text) or STALE
        command, _, rest = text.strip().partition(" ")
        name = command.split("@", 1)[0].lower()
        if name == "/start":
            # A deep link t.me/<bot>?start=<code> arrives as "/start <code>".
            code = rest.strip()
            return Start((("invite", code),) if code else (), inc.lang)
        return from_text(text)

    async def _notice(self, inc: Incoming, chat_id: int, *keys: str) -> None:
        lang = await self._lang(inc)
        notice = [Say(self.service.kit.t(k, lang)) for k in keys]
        # Each its own message: Report Remove is signposting, not a footnote (SG-10).
        await self.outbox.tell(chat_id, [m for say in notice for m in render(say)])

    async def _leave(self, inc: Incoming, chat_id: int) -> None:
        if chat_id in self._left:
            return
        self._left[chat_id] = None
        if len(self._left) > LEFT_MEMORY:
            del self._left[next(iter(self._left))]
        groups = render(Say(self.service.kit.t("groups", await self._lang(inc))))
        await self.outbox.tell(chat_id, [*groups, Leave()])

    async def _lang(self, inc: Incoming) -> str:
        """The language for a notice outside the engine: the one the conversation is in,
        when there is a draft; else the device's, when we speak it (read, never stored,
        AN-04); else the first."""
        if inc.chat_id is not None:
            try:
                state = await self.service.current(CHANNEL, str(inc.chat_id))
            except Exception as exc:  # the notice (often an apology) matters more than its language
                log.warning("telegram: could not read a draft's language: %s", type(exc).__name__)
                state = None
            if state is not None and state.lang in self.languages:
                return state.lang
        return inc.lang or self.languages[0]
