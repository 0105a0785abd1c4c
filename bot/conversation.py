"""The conversation service: load the draft, run one engine step, commit its effects, and
hand back the messages to show — the same for every channel.

The raw channel id (a Telegram chat id, a web cookie) is used only to compute an HMAC key
and is never stored. Replies are returned only after their effects are committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.keyedlocks import KeyedLocks
from flows import engine
from flows.events import RequestHelp, SafetyShown, Say, Submit
from flows.inputs import Command, Input, Start
from flows.kit import Kit
from flows.model import Flow
from flows.state import Result, State
from storage import catalog
from storage.committer import GroupCommitter
from storage.conversations import (
    ConversationWrite,
    NewSubmission,
    Outcome,
    load_draft,
    random_key,
)
from storage.db import Database

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
PARTICIPATION_MONTHS = 13
Tagger = Callable[[str, str], tuple[tuple[str, str], ...]]


class ConversationBusy(RuntimeError):
    """Another process kept changing this conversation; the caller should apologise."""


@dataclass(frozen=True)
class Reply:
    """What to show. `failed`: nothing was saved (e.g. disk full); the messages apologise and
    show the safety block, and a webhook should answer 500 so Telegram delivers it again."""

    messages: list[Say]
    open: bool
    duplicate: bool = False
    failed: bool = False


@dataclass
class ConversationService:
    db: Database
    committer: GroupCommitter
    flows: dict[str, Flow]
    kit: Kit
    pepper: bytes
    clock: Callable[[], dt.datetime]
    timezone: str = "Europe/London"
    ttl: dt.timedelta = dt.timedelta(hours=24)
    tag: Tagger | None = None
    new_bytes: Callable[[], bytes] = random_key
    _locks: KeyedLocks = field(default_factory=KeyedLocks)

    def key(self, channel: str, external_id: str) -> str:
        return self._hmac(f"conversation|{channel}:{external_id}")

    async def handle(
        self, channel: str, external_id: str, inp: Input, *, update_key: str | None = None
    ) -> Reply:
        key = self.key(channel, external_id)
        try:
            async with self._locks.hold(key):
                for _ in range(MAX_ATTEMPTS):
                    reply = await self._attempt(key, channel, external_id, inp, update_key)
                    if reply is not None:
                        return reply
            raise ConversationBusy("the draft kept changing under us")
        except (SQLAlchemyError, ConversationBusy) as exc:
            # Say sorry and show help; nothing half-done was committed (REL-05, REL-12).
            log.error("could not save a conversation step: %s", type(exc).__name__)
            lang = "en"
            return Reply(
                [
                    Say(self.kit.t("sorry_error", lang)),
                    Say(self.kit.safety_block(lang), kind="safety"),
                ],
                open=True,
                failed=True,
            )

    async def forget(self, channel: str, external_id: str) -> None:
        """Delete any draft now (blocked bot, removed from chat), whatever its version."""
        key = self.key(channel, external_id)
        async with self._locks.hold(key):
            for _ in range(MAX_ATTEMPTS):
                now = self.clock()
                async with self.db.read() as conn:
                    draft = await load_draft(conn, key, now)
                if draft.version is None:
                    return
                unit = ConversationWrite(key, draft.version, None, now, now)
                if await self.committer.run(unit) is Outcome.DONE:
                    return
        raise ConversationBusy(key)

    async def _attempt(
        self, key: str, channel: str, external_id: str, inp: Input, update_key: str | None
    ) -> Reply | None:
        now = self.clock()
        async with self.db.read() as conn:
            draft = await load_draft(conn, key, now)
            state = State.from_dict(draft.state) if draft.state is not None else None
            result = await self._run(conn, state, inp, now)
        unit = self._write(key, draft.version, result, now, update_key, channel, external_id)
        outcome = await self.committer.run(unit)
        if outcome is Outcome.CONFLICT:
            return None
        if outcome is Outcome.DUPLICATE:
            return Reply([], open=draft.state is not None, duplicate=True)
        messages = [e for e in result.events if isinstance(e, Say)]
        if outcome is Outcome.ALREADY_SENT:
            lang = state.lang if state else "en"
            messages = [
                Say(self.kit.t("already_sent", lang)),
                Say(self.kit.safety_block(lang), kind="safety"),
            ]
        return Reply(messages, open=result.state is not None)

    async def _run(
        self, conn: AsyncConnection, state: State | None, inp: Input, now: dt.datetime
    ) -> Result:
        if not isinstance(inp, Start):
            return self._step(state, inp)
        code = dict(inp.context).get("invite")
        if code is None:
            # A bare /start carries on where we were, or explains how to begin.
            return self._step(state, Command("start"))
        invite = await catalog.invite_by_code(conn, code)
        if invite is None or not invite.usable(now) or invite.flow_id not in self.flows:
            lang = inp.lang or (state.lang if state else "en")
            bad = Say(self.kit.t("bad_invite", lang))
            return Result(state, (bad, Say(self.kit.safety_block(lang), kind="safety")))
        context = (
            ("invite", invite.id),
            ("team", invite.team_id),
            ("worker", invite.worker_id or ""),
        )
        flow = self.flows[invite.flow_id]
        return engine.step(flow, state, Start(context=context, lang=inp.lang), self.kit)

    def _step(self, state: State | None, inp: Input) -> Result:
        if state is None or state.flow not in self.flows:
            return engine.step(next(iter(self.flows.values())), None, inp, self.kit)
        return engine.step(self.flows[state.flow], state, inp, self.kit)

    def _write(
        self,
        key: str,
        version: int | None,
        result: Result,
        now: dt.datetime,
        update_key: str | None,
        channel: str,
        external_id: str,
    ) -> ConversationWrite:
        period = self.period(now)
        submission, help_request, safety = None, None, []
        for event in result.events:
            if isinstance(event, Submit):
                submission = self._submission(event, period, now, channel, external_id)
            elif isinstance(event, RequestHelp):
                help_request = (secrets.token_urlsafe(12), event.contact)
            elif isinstance(event, SafetyShown):
                safety.append((period, event.reason, event.category or ""))
        return ConversationWrite(
            key=key,
            read_version=version,
            state=result.state.to_dict() if result.state is not None else None,
            expires_at=now + self.ttl,
            now=now,
            update_key=update_key,
            submission=submission,
            help_request=help_request,
            safety=tuple(safety),
        )

    def _submission(
        self, event: Submit, period: str, now: dt.datetime, channel: str, external_id: str
    ) -> NewSubmission:
        context = dict(event.context)
        flow = self.flows[event.flow]
        answers = tuple(_answer(flow, item, value) for item, value in event.scores)
        comments = tuple(
            (self.new_bytes(), question, text, self.tag(text, question) if self.tag else ())
            for question, text in event.comments
        )
        invite = context.get("invite", "")
        return NewSubmission(
            id=self.new_bytes(),
            period=period,
            team_id=context["team"],
            worker_id=context.get("worker") or None,
            flow_id=event.flow,
            flow_version=event.flow_version,
            participation=self._hmac(f"participation|{invite}|{channel}:{external_id}"),
            purge_after=self.period(now + dt.timedelta(days=31 * PARTICIPATION_MONTHS)),
            answers=answers,
            comments=comments,
        )

    def period(self, now: dt.datetime) -> str:
        """The month bucket in the deployment's time zone: never a finer time (AN-08)."""
        return now.astimezone(ZoneInfo(self.timezone)).strftime("%Y-%m")

    def _hmac(self, message: str) -> str:
        return hmac.new(self.pepper, message.encode(), hashlib.sha256).hexdigest()


def _answer(flow: Flow, item: str, value: str) -> tuple[str, int | None, str]:
    if value in ("skip", "pns"):
        return (item, None, value)
    node = flow.node(item)
    options = getattr(node, "options", None)
    if options is not None:
        return (item, [o.value for o in options].index(value) + 1, "answered")
    return (item, int(value), "answered")
