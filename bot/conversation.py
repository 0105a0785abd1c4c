"""The conversation service: load the draft, run one engine step, commit its effects, and
hand back the messages to show — the same for every channel.

The raw channel id (a Telegram chat id, a web cookie) is used only to compute an HMAC key
and is never stored. Replies are returned only after their effects are committed; a
channel that passes an `Outbound` also gets them written to the outbox in the same
transaction, sealed, so they survive a crash between the commit and the send (issue 13).

Pacing (issue 10) is applied here for every channel: a channel passes a `client` (an
in-memory name for a web address, or the Telegram chat's HMAC key); starts and Sends
beyond that client's allowance get a kind message instead, and a flood of "Get help now"
or "talk to a person" stops being counted or queued (see `bot.pacing`). The helplines
are always shown.

Deletion receipts (AN-19) live here too: the engine only says the young person asked for
one; the service makes the random code, shows it once and keeps only its SHA-256.
"""

from __future__ import annotations

import asyncio
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
from bot.pacing import ClientPacer
from flows import engine
from flows.engine import LANG_NODE, SAFETY_NODE
from flows.events import RequestHelp, SafetyShown, Say, Submit
from flows.inputs import STALE, Command, Input, Start, Text
from flows.kit import Kit
from flows.model import Flow, longest_answer
from flows.state import CONTACT, LANGUAGE, SAFETY, Result, State
from reports.gateway.periods import PeriodKind, containing, is_closed, months
from storage import outbox, receipts, throttles
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
from storage.help_requests import NewHelpRequest
from storage.sealing import Sealer

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
Tagger = Callable[[str, str], tuple[tuple[str, str], ...]]
# Receipt codes: no 0/O or 1/I/L look-alikes, so a code read off a screen is typed right.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 10
RECEIPT_THROTTLE = "receipt|all"
OFF_LOOP_FROM = 100  # characters of typed text from which filtering runs in a thread


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
    # The deletion code shown in `messages`, for a channel that lays it out its own way.
    receipt: str | None = None


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
    sealer: Sealer
    timezone: str = "Europe/London"
    ttl: dt.timedelta = dt.timedelta(hours=24)
    tag: Tagger | None = None
    report_period: PeriodKind = "quarter"
    new_bytes: Callable[[], bytes] = random_key
    new_code: Callable[[], str] = new_receipt_code
    pacer: ClientPacer | None = None
    receipt_tries_per_hour: int = 120
    # Every version of each set seen by this process, so a check-in under way finishes on
    # the version it began with when a newer one is published (issue 15).
    versions: dict[tuple[str, int], Flow] = field(default_factory=dict)
    _locks: KeyedLocks = field(default_factory=KeyedLocks)

    def __post_init__(self) -> None:
        self.versions.update({(f.id, f.version): f for f in self.flows.values()})

    @property
    def _longest(self) -> int:
        return longest_answer(self.versions.values())

    def use(self, flow: Flow) -> None:
        """Make `flow` the version new check-ins of its set get, if it is newer. `flows` is
        changed in place: the console and web chat share the same mapping."""
        self.versions[(flow.id, flow.version)] = flow
        live = self.flows.get(flow.id)
        if live is None or live.version < flow.version:
            self.flows[flow.id] = flow

    def flow_of(self, flow_id: str, version: int) -> Flow | None:
        """The version a check-in began on, or the live one if this process never had it."""
        return self.versions.get((flow_id, version)) or self.flows.get(flow_id)

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
        client: str | None = None,
        outbound: Outbound | None = None,
    ) -> Reply:
        """One step. `client` names who to pace (see `bot.pacing`); None is never paced."""
        key = self.key(channel, external_id)
        try:
            async with self._locks.hold(key):
                for _ in range(MAX_ATTEMPTS):
                    try:
                        return await self._once(
                            key, channel, external_id, inp, update_key, client, outbound
                        )
                    except IntegrityError:
                        continue  # another process created this draft first: read it again
            raise ConversationBusy("the draft kept changing under us")
        except (SQLAlchemyError, ConversationBusy) as exc:
            # Say sorry and show help; nothing half-done was committed (REL-05, REL-12).
            log.error("could not save a conversation step: %s", type(exc).__name__)
            lang = inp.lang if isinstance(inp, Start) and inp.lang else await self._lang(key)
            return Reply(self.notice("sorry_error", lang), open=True, failed=True)

    async def request_help(self, text: str, lang: str) -> Reply:
        """ "Talk to a person" with no conversation at all (the web chat after Send or Stop,
        or its helplines page): the engine's contact step on a draft that is never kept.
        `open` stays True while the reply is refused, so the page asks again."""
        flow = next(iter(self.flows.values()))
        lang = lang if lang in flow.languages else flow.languages[0]
        asking = State(flow.id, lang, flow.nodes[0].id, mode=CONTACT, reach_only=True)
        result = engine.step(flow, asking, Text(text), self.kit)
        messages = [e for e in result.events if isinstance(e, Say)]
        if result.state is not None:
            return Reply(messages, open=True, state=result.state)
        now = self.clock()
        effects, _ = self._effects(result, now, "web", "")
        try:
            await self.committer.run(
                Job(random_key().hex(), now, now, lambda _d, _i: (effects, None))
            )
        except SQLAlchemyError as exc:
            log.error("could not save a help request: %s", type(exc).__name__)
            return Reply(self.notice("sorry_error", lang), open=True, failed=True)
        return Reply(messages, open=False)

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
            # Every look-up is counted first, atomically, against one hourly budget for
            # the whole deployment (no per-person key exists to count by, AN-01), so a
            # burst of guesses checks no more codes than the budget; a code that works
            # gives its mark back.
            now = self.clock()
            taken = await throttles.take(
                self.db,
                RECEIPT_THROTTLE,
                now,
                dt.timedelta(hours=1),
                lambda marks: len(marks) < self.receipt_tries_per_hour,
            )
            if taken is None:
                return Reply(self.notice("delete_busy", lang), open=False)
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
            if key != "delete_unknown":
                await throttles.release(self.db, taken.mark)
        except SQLAlchemyError as exc:
            log.error("could not act on a deletion receipt: %s", type(exc).__name__)
            return Reply(self.notice("sorry_error", lang), open=False, failed=True)
        if key == "deleted":
            self.db.wipe_soon()  # the deleted words leave the WAL too (AN-11)
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
        self.db.wipe_soon()

    async def _kit_for(self, inp: Input) -> Kit:
        """The kit for this step. Detecting and scrubbing take about 15-30 ms on a long
        answer (the engine refuses anything longer first), so for typed text they run in a
        thread before the step, and the step, inside the write transaction, reuses them."""
        kit = self.kit
        if not isinstance(inp, Text) or not OFF_LOOP_FROM <= len(inp.text) <= self._longest:
            return kit  # short, or so long that the engine refuses it unread
        said = inp.text
        found, scrubbed = await asyncio.to_thread(lambda: (kit.detect(said), kit.scrub(said)))
        return replace(
            kit,
            detect=lambda text: found if text == said else kit.detect(text),
            scrub=lambda text: scrubbed if text == said else kit.scrub(text),
        )

    async def _once(
        self,
        key: str,
        channel: str,
        external_id: str,
        inp: Input,
        update_key: str | None,
        client: str | None,
        outbound: Outbound | None,
    ) -> Reply:
        now = self.clock()
        code = dict(inp.context).get("invite") if isinstance(inp, Start) else None
        kit = await self._kit_for(inp)

        def step(
            draft: dict[str, object] | None, invite: InviteInfo | None
        ) -> tuple[Effects, tuple[Result, str, str | None, str | None]]:
            state = State.from_dict(draft) if draft is not None else None
            if state is not None and not isinstance(inp, Start) and _revoked(invite):
                # Staff closed the link this chat began from: it ends here, kindly.
                closed = Result(None, tuple(self.notice("invite_closed", state.lang)))
                return Effects(state=None), (closed, state.lang, None, screen(state))
            result = self._run(state, inp, code, invite, now, kit)
            opened = None if code is None else self.usable(invite, now) is not None
            result = self._paced(state, result, client, opened)
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
        if result.state is None:
            # Sent, stopped or ended: the draft's versions must leave the WAL too (AN-11).
            self.db.wipe_soon()
        shown = done.payload[2] if done.outcome is not Outcome.ALREADY_SENT else None
        return Reply(
            self._messages(done),
            open=result.state is not None,
            state=result.state,
            queued=done.queued,
            receipt=shown,
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
        kit: Kit,
    ) -> Result:
        if not isinstance(inp, Start):
            return self._step(state, inp, kit)
        if code is None:
            # A bare /start carries on where we were, or explains how to begin.
            return self._step(state, Command("start"), kit)
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
        return engine.step(self.flows[invite.flow_id], state, begin, kit)

    def _paced(
        self, before: State | None, result: Result, client: str | None, opened: bool | None
    ) -> Result:
        """The step's result, paced for this client (issue 10). A start or Send beyond the
        allowance changes nothing and says so kindly (the draft waits; Send can be pressed
        again later). Help is never refused: beyond the allowance "Get help now" still shows
        the helplines but is not counted, and "talk to a person" is not queued, with the
        helplines and a kind message instead of "passed on".

        `opened` is whether an invite code given with this step opened anything (None: no
        code). A code that opens nothing costs a start, and with no starts left every code
        gets the same "paced" answer, so codes cannot be guessed quickly (issue 15)."""
        if self.pacer is None or client is None:
            return result
        lang = result.state.lang if result.state else before.lang if before else "en"
        again = self._prompt_again(before) if before is not None else []
        if opened is not None and self.pacer.spent("start", client):
            return Result(before, (*self.notice("paced", lang), *again))
        if opened is False:
            self.pacer.take("start", client)
            return result
        began = before is None and result.state is not None
        sent = any(isinstance(e, Submit) for e in result.events)
        if (began or sent) and not self.pacer.take("start" if began else "send", client):
            return Result(before, (*self.notice("paced", lang), *again))
        events = result.events
        if any(_is_help(e) for e in events) and not self.pacer.take("help", client):
            events = tuple(e for e in events if not _is_help(e))
        if any(isinstance(e, RequestHelp) for e in events) and not self.pacer.take(
            "person", client
        ):
            saved = {self.kit.t("person_saved", lang), self.kit.t("concern_saved", lang)}
            kept = [
                e
                for e in events
                if not isinstance(e, RequestHelp) and not (isinstance(e, Say) and e.text in saved)
            ]
            events = (*self.notice("help_paced", lang), *kept)
        return Result(result.state, tuple(events))

    def _prompt_again(self, state: State) -> list[Say]:
        """The current question (or Send screen) again, as a reload shows it."""
        result = self._step(state, STALE, self.kit)
        return [e for e in result.events if isinstance(e, Say) and e.node is not None]

    def _step(self, state: State | None, inp: Input, kit: Kit) -> Result:
        flow = self.flow_of(state.flow, state.version) if state is not None else None
        if state is None or flow is None:
            return engine.step(next(iter(self.flows.values())), None, inp, kit)
        return engine.step(flow, state, inp, kit)

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
                # Sealed before it reaches the database: a copied file does not show it.
                help_request = NewHelpRequest(
                    id=secrets.token_urlsafe(12),
                    created_at=now,
                    kind=event.kind,
                    lang=event.lang,
                    team_id=event.team,
                    sealed_contact=self.sealer.seal(event.contact),
                )
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
        flow = self.flow_of(event.flow, event.flow_version) or self.flows[event.flow]
        answers = tuple(_answer(flow, item, value) for item, value in event.scores)
        comments = tuple(
            (self.new_bytes(), question, text, self.tag(text, question) if self.tag else ())
            for question, text in event.comments
        )
        unquotable = tuple(c[0] for c in comments if c[1] in event.unquotable)
        invite = context.get("invite", "")
        return NewSubmission(
            id=self.new_bytes(),
            period=period,
            team_id=context["team"],
            worker_id=context.get("worker") or None,
            flow_id=event.flow,
            flow_version=event.flow_version,
            participation=self._hmac(f"participation|{invite}|{channel}:{external_id}"),
            purge_after=self._last_month_of_period(now),
            answers=answers,
            comments=comments,
            invite_id=invite or None,
            unquotable=unquotable,
        )

    def _last_month_of_period(self, now: dt.datetime) -> str:
        """The last month of the reporting period `now` is in: a participation mark stops a
        second send in that period only, and is deleted once it closes (AN-05)."""
        local = now.astimezone(ZoneInfo(self.timezone)).date()
        return months(containing(local, self.report_period))[-1]

    def period(self, now: dt.datetime) -> str:
        """The month bucket in the deployment's time zone: never a finer time (AN-08)."""
        return now.astimezone(ZoneInfo(self.timezone)).strftime("%Y-%m")

    def _hmac(self, message: str) -> str:
        return hmac.new(self.pepper, message.encode(), hashlib.sha256).hexdigest()


def _is_help(event: object) -> bool:
    """ "Get help now" as counted in the safety report (CC-20)."""
    return isinstance(event, SafetyShown) and event.reason == "help"


def _revoked(invite: InviteInfo | None) -> bool:
    return invite is not None and invite.revoked_at is not None


def _answer(flow: Flow, item: str, value: str) -> tuple[str, int | None, str]:
    if value in ("skip", "pns"):
        return (item, None, value)
    node = flow.node(item)
    options = getattr(node, "options", None)
    if options is not None:
        return (item, [o.value for o in options].index(value) + 1, "answered")
    return (item, int(value), "answered")
