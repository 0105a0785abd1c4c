"""The conversation service: load the draft, run one engine step, commit its effects, and
hand back the messages to show — the same for every channel.

The raw channel id (a Telegram chat id, a web cookie) is used only to compute an HMAC key
and is never stored. Replies are returned only after their effects are committed; a
channel that passes an `Outbound` also gets them written to the outbox in the same
transaction, sealed, so they survive a crash between the commit and the send (issue 13).

Deletion receipts (AN-19) live here too: the engine only says the young person asked for
one; the service makes the random code, shows it once and keeps only its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.keyedlocks import KeyedLocks
from flows import engine
from flows.engine import LANG_NODE, SAFETY_NODE
from flows.events import RequestHelp, SafetyShown, Say, Submit
from flows.inputs import Command, Input, Start
from flows.kit import Kit
from flows.model import Flow
from flows.state import CONTACT, LANGUAGE, SAFETY, Result, State
from reports.gateway.periods import PeriodKind, containing, is_closed
from storage import outbox, receipts
from storage.catalog import InviteInfo
from storage.committer import GroupCommitter
from storage.conversations import (
    Done,
    Effects,
    Job,
    NewSubmission,
    Outcome,
    Outgoing,
    load_draft,
    random_key,
)
from storage.db import Database

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
PARTICIPATION_MONTHS = 13
Tagger = Callable[[str, str], tuple[tuple[str, str], ...]]
# Receipt codes: no 0/O or 1/I/L look-alikes, so a code read off a screen is typed right.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 10


def new_receipt_code() -> str:
    """A random receipt code shown as XXXXX-XXXXX (about 49 bits from the OS's CSPRNG)."""
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return f"{chars[:5]}-{chars[5:]}"


def receipt_hash(code: str) -> str | None:
    """SHA-256 of a code as typed (any case, spaces or dashes), or None if it cannot be one."""
    chars = "".join(ch for ch in code.upper() if ch not in " -")
    if len(chars) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in chars):
        return None
    return hashlib.sha256(chars.encode()).hexdigest()


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
    state: State | None = None  # the draft after this step, when there is one
    queued: tuple[outbox.Stored, ...] = ()  # the messages as written to the outbox


def screen(state: State | None) -> str | None:
    """The node whose message is the conversation's current screen: a question, or the
    engine's pause and language menus; None while waiting for a contact or with no draft.
    A channel may change that message in place; any other message is left as it is."""
    if state is None or state.mode == CONTACT:
        return None
    return {SAFETY: SAFETY_NODE, LANGUAGE: LANG_NODE}.get(state.mode, state.node)


@dataclass(frozen=True)
class Outbound:
    """Where a channel wants a step's replies kept until delivered: `rows` turns the
    messages (and the screen shown before the step, see `screen`) into sealed outbox rows;
    `owner` and `lease` say which process delivers them."""

    rows: Callable[[list[Say], str | None], Sequence[outbox.Envelope]]
    owner: str
    lease: dt.datetime


@dataclass
class ConversationService:
    db: Database
    committer: GroupCommitter[Job]
    flows: dict[str, Flow]
    kit: Kit
    pepper: bytes
    clock: Callable[[], dt.datetime]
    timezone: str = "Europe/London"
    ttl: dt.timedelta = dt.timedelta(hours=24)
    tag: Tagger | None = None
    report_period: PeriodKind = "quarter"
    new_bytes: Callable[[], bytes] = random_key
    new_code: Callable[[], str] = new_receipt_code
    _locks: KeyedLocks = field(default_factory=KeyedLocks)

    def key(self, channel: str, external_id: str) -> str:
        return self._hmac(f"conversation|{channel}:{external_id}")

    async def current(self, channel: str, external_id: str) -> State | None:
        """The draft as it stands, without changing it (a page showing the current step)."""
        async with self.db.read() as conn:
            draft = await load_draft(conn, self.key(channel, external_id), self.clock())
        return State.from_dict(draft) if draft is not None else None

    async def handle(
        self,
        channel: str,
        external_id: str,
        inp: Input,
        *,
        update_key: str | None = None,
        outbound: Outbound | None = None,
    ) -> Reply:
        key = self.key(channel, external_id)
        try:
            async with self._locks.hold(key):
                for _ in range(MAX_ATTEMPTS):
                    try:
                        return await self._once(
                            key, channel, external_id, inp, update_key, outbound
                        )
                    except IntegrityError:
                        continue  # another process created this draft first: read it again
            raise ConversationBusy("the draft kept changing under us")
        except (SQLAlchemyError, ConversationBusy) as exc:
            # Say sorry and show help; nothing half-done was committed (REL-05, REL-12).
            log.error("could not save a conversation step: %s", type(exc).__name__)
            lang = inp.lang if isinstance(inp, Start) and inp.lang else await self._lang(key)
            return Reply(self.notice("sorry_error", lang), open=True, failed=True)

    def notice(self, key: str, lang: str) -> list[Say]:
        """A short message from copy.yml followed by the safety block: help stays one tap
        away when something went wrong or a link does not work."""
        return [Say(self.kit.t(key, lang)), Say(self.kit.safety_block(lang), kind="safety")]

    def usable(self, invite: InviteInfo | None, now: dt.datetime) -> InviteInfo | None:
        """The invite if it can open a conversation now: known, open, and for a question
        set this deployment has."""
        if invite is None or not invite.usable(now) or invite.flow_id not in self.flows:
            return None
        return invite

    async def delete(self, code: str, lang: str = "en", outbound: Outbound | None = None) -> Reply:
        """`/delete CODE` (AN-19): remove the submission behind a receipt while its reporting
        period is open. Never shows the answers back: someone else may hold the phone."""
        code_hash = receipt_hash(code)
        try:
            async with self.db.write() as conn:
                found = await receipts.find(conn, code_hash) if code_hash else None
                if found is None:
                    key = "delete_unknown"
                elif self._closed(found.period):
                    key = "delete_closed"
                else:
                    await receipts.delete_submission(conn, found.submission_id)
                    key = "deleted"
                messages = self.notice(key, lang)
                queued = await self._queue(conn, messages, outbound)
        except SQLAlchemyError as exc:
            log.error("could not act on a deletion receipt: %s", type(exc).__name__)
            return Reply(self.notice("sorry_error", lang), open=False, failed=True)
        return Reply(messages, open=False, queued=queued)

    async def _queue(
        self, conn: AsyncConnection, messages: list[Say], outbound: Outbound | None
    ) -> tuple[outbox.Stored, ...]:
        if outbound is None:
            return ()
        rows = outbound.rows(messages, None)
        return tuple(await outbox.put(conn, rows, self.clock(), outbound.owner, outbound.lease))

    def _closed(self, month: str) -> bool:
        """Whether the reporting period holding this month bucket has closed, so it may
        already be in a report and the answers are part of its totals."""
        year, number = (int(part) for part in month.split("-"))
        period = containing(dt.date(year, number, 1), self.report_period)
        return is_closed(period, self.clock().astimezone(ZoneInfo(self.timezone)).date())

    async def _lang(self, key: str) -> str:
        """The conversation's language for an apology, if the draft can still be read."""
        try:
            async with self.db.read() as conn:
                draft = await load_draft(conn, key, self.clock())
        except SQLAlchemyError:
            return "en"
        return State.from_dict(draft).lang if draft is not None else "en"

    async def forget(self, channel: str, external_id: str) -> None:
        """Delete any draft now (blocked bot, removed from chat)."""
        key = self.key(channel, external_id)
        now = self.clock()
        async with self._locks.hold(key):
            await self.committer.run(Job(key, now, now, lambda _d, _i: (Effects(state=None), None)))

    async def _once(
        self,
        key: str,
        channel: str,
        external_id: str,
        inp: Input,
        update_key: str | None,
        outbound: Outbound | None,
    ) -> Reply:
        now = self.clock()
        code = dict(inp.context).get("invite") if isinstance(inp, Start) else None

        def step(
            draft: dict[str, object] | None, invite: InviteInfo | None
        ) -> tuple[Effects, tuple[Result, str, str | None, str | None]]:
            state = State.from_dict(draft) if draft is not None else None
            result = self._run(state, inp, code, invite, now)
            lang = state.lang if state is not None else "en"
            effects, receipt = self._effects(result, now, channel, external_id)
            return effects, (result, lang, receipt, screen(state))

        outgoing = None
        if outbound is not None:
            rows = outbound.rows
            outgoing = Outgoing(
                lambda done: rows(self._messages(done), done.payload[3]),
                outbound.owner,
                outbound.lease,
            )
        job = Job(key, now, now + self.ttl, step, update_key, invite_code=code, outgoing=outgoing)
        done = await self.committer.run(job)
        if done.outcome is Outcome.DUPLICATE:
            return Reply([], open=True, duplicate=True)
        result = done.payload[0]
        return Reply(
            self._messages(done),
            open=result.state is not None,
            state=result.state,
            queued=done.queued,
        )

    def _messages(self, done: Done) -> list[Say]:
        """What to show for a committed step."""
        result, lang, receipt, _ = done.payload
        messages = [e for e in result.events if isinstance(e, Say)]
        if done.outcome is Outcome.ALREADY_SENT:
            return self.notice("already_sent", lang)
        if receipt is not None:
            # Shown once, after the closing message and before the helplines.
            last = max(i for i, m in enumerate(messages) if m.kind != "safety")
            messages.insert(last + 1, Say(self.kit.t("receipt", lang, code=receipt)))
        return messages

    def _run(
        self,
        state: State | None,
        inp: Input,
        code: str | None,
        invite: InviteInfo | None,
        now: dt.datetime,
    ) -> Result:
        if not isinstance(inp, Start):
            return self._step(state, inp)
        if code is None:
            # A bare /start carries on where we were, or explains how to begin.
            return self._step(state, Command("start"))
        invite = self.usable(invite, now)
        if invite is None:
            lang = inp.lang or (state.lang if state else "en")
            return Result(state, tuple(self.notice("bad_invite", lang)))
        context = (
            ("invite", invite.id),
            ("team", invite.team_id),
            ("worker", invite.worker_id or ""),
        )
        begin = Start(context=context, lang=inp.lang)
        return engine.step(self.flows[invite.flow_id], state, begin, self.kit)

    def _step(self, state: State | None, inp: Input) -> Result:
        if state is None or state.flow not in self.flows:
            return engine.step(next(iter(self.flows.values())), None, inp, self.kit)
        return engine.step(self.flows[state.flow], state, inp, self.kit)

    def _effects(
        self, result: Result, now: dt.datetime, channel: str, external_id: str
    ) -> tuple[Effects, str | None]:
        """The effects to commit, and the receipt code to show if one was chosen."""
        period = self.period(now)
        submission, help_request, safety, receipt = None, None, [], None
        for event in result.events:
            if isinstance(event, Submit):
                receipt = self.new_code() if event.receipt else None
                submission = self._submission(event, period, now, channel, external_id)
                if receipt is not None:
                    submission = replace(submission, receipt=receipt_hash(receipt))
            elif isinstance(event, RequestHelp):
                help_request = (secrets.token_urlsafe(12), event.contact)
            elif isinstance(event, SafetyShown):
                safety.append((period, event.reason, event.category or ""))
        effects = Effects(
            state=result.state.to_dict() if result.state is not None else None,
            submission=submission,
            help_request=help_request,
            safety=tuple(safety),
        )
        return effects, receipt

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
