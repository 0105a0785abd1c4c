"""Per-client pacing (issue 10, issue 12 finding 4): token buckets in memory only, applied
by the conversation service to starts, Sends, "Get help now" and "talk to a person", for
any channel that names a client. Help is never refused."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.pacing import Allowance, ClientPacer
from flows.inputs import Choose, Command, Start, Text
from storage import catalog
from storage.schema import Conversation, HelpRequest, SafetyCount, Submission
from tests.conftest import CLOCK_START
from youthvoice.bootstrap import Services

SCALES = ("trust", "relatability", "heard", "power", "agency", "aliveness")


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_gives_its_burst_then_refills_at_its_rate() -> None:
    ticks = Ticks()
    pacer = ClientPacer({"start": Allowance(burst=3, per_hour=60)}, clock=ticks)
    me, other = pacer.client("192.0.2.1"), pacer.client("192.0.2.2")
    assert [pacer.take("start", me) for _ in range(4)] == [True, True, True, False]
    assert pacer.take("start", other), "another client has its own bucket"
    ticks.now += 59
    assert not pacer.take("start", me)
    ticks.now += 1  # one a minute
    assert pacer.take("start", me) and not pacer.take("start", me)
    assert pacer.take("start", None), "a channel without a client (the terminal) is not paced"
    assert pacer.take("unknown-kind", me)


def test_clients_are_forgotten_once_their_bucket_is_full_again() -> None:
    """Nothing about a client outlives its need: a full bucket is dropped from memory."""
    ticks = Ticks()
    pacer = ClientPacer({"start": Allowance(burst=2, per_hour=3600)}, clock=ticks)
    for n in range(50):
        pacer.take("start", pacer.client(f"198.51.100.{n}"))
    assert pacer.known() == 50
    ticks.now += 1
    assert pacer.known() == 0


def test_a_client_name_means_nothing_outside_its_process() -> None:
    """The HMAC key is made at random per process and never stored: two pacers (two
    processes, or one after a restart) name the same address differently."""
    allowances = {"start": Allowance(1, 1)}
    first, second = ClientPacer(allowances), ClientPacer(allowances)
    assert first.client("192.0.2.1") == first.client("192.0.2.1")
    assert first.client("192.0.2.1") != second.client("192.0.2.1")
    assert "192.0.2.1" not in first.client("192.0.2.1")


async def _invite(svc: Services) -> str:
    async with svc.db.write() as conn:
        team = await catalog.add_team(conn, "Harbour")
        info = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="x", now=CLOCK_START
        )
    return info.code


async def _count(svc: Services, table: type) -> int:
    t = table.__table__  # type: ignore[attr-defined]
    async with svc.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(t))).scalar_one())


async def _to_send(svc: Services, who: str, code: str, client: str) -> None:
    service = svc.conversations
    await service.handle("web", who, Start((("invite", code),)), client=client)
    await service.handle("web", who, Choose("intro", "next"), client=client)
    for item in SCALES:
        await service.handle("web", who, Choose(item, "4"), client=client)
    for _ in range(3):
        await service.handle("web", who, Command("skip"), client=client)


def _pace(svc: Services, ticks: Ticks, **allowances: Allowance) -> None:
    svc.conversations.pacer = ClientPacer(allowances, clock=ticks)


async def test_a_start_beyond_the_allowance_gets_the_kind_message_and_keeps_nothing(
    svc: Services,
) -> None:
    _pace(svc, Ticks(), start=Allowance(2, 60))
    code, service = await _invite(svc), svc.conversations
    for who in ("a", "b"):
        assert (await service.handle("web", who, Start((("invite", code),)), client="c1")).open
    third = await service.handle("web", "c", Start((("invite", code),)), client="c1")
    assert not third.open
    assert third.messages[0].text.startswith("Lots of check-ins are coming from here just now")
    assert third.messages[-1].kind == "safety", "the helplines are always shown"
    assert await _count(svc, Conversation) == 2
    assert (await service.handle("web", "d", Start((("invite", code),)), client="c2")).open


async def test_a_send_beyond_the_allowance_waits_and_can_be_sent_later(svc: Services) -> None:
    ticks = Ticks()
    _pace(svc, ticks, send=Allowance(1, 60))
    code, service = await _invite(svc), svc.conversations
    for who in ("a", "b"):
        await _to_send(svc, who, code, "c1")
    first = await service.handle("web", "a", Choose("review", "send"), client="c1")
    assert first.messages[0].text.startswith("Sent.")
    paced = await service.handle("web", "b", Choose("review", "send"), client="c1")
    assert paced.open and paced.messages[0].text.startswith("Lots of check-ins")
    assert any(m.node == "review" for m in paced.messages), "Send is offered again"
    assert await _count(svc, Submission) == 1 and await _count(svc, Conversation) == 1
    ticks.now += 60
    later = await service.handle("web", "b", Choose("review", "send"), client="c1")
    assert later.messages[0].text.startswith("Sent.")
    assert await _count(svc, Submission) == 2


async def test_help_is_never_refused_but_a_flood_is_not_counted_or_queued(svc: Services) -> None:
    """20 presses of "Get help now" and 20 requests to talk to a person from one client:
    the helplines every time; 3 of each counted or queued; then a kind message instead
    of "passed on" for a person."""
    _pace(svc, Ticks(), help=Allowance(3, 6), person=Allowance(3, 6))
    code, service = await _invite(svc), svc.conversations
    await service.handle("web", "a", Start((("invite", code),)), client="c1")
    await service.handle("web", "a", Choose("intro", "next"), client="c1")
    for _ in range(20):
        shown = await service.handle("web", "a", Command("help"), client="c1")
        assert any(m.kind == "safety" and "999" in m.text for m in shown.messages)
    paced_texts = []
    for n in range(20):
        await service.handle("web", "a", Text("my mums boyfriend hits me"), client="c1")
        await service.handle("web", "a", Choose("_safety", "person"), client="c1")
        reply = await service.handle("web", "a", Text(f"text me on 0770090{n:04d}"), client="c1")
        assert any(m.kind == "safety" and "999" in m.text for m in reply.messages)
        paced_texts.append(reply.messages[0].text)
    assert await _count(svc, HelpRequest) == 3
    assert paced_texts[2].startswith("Got it.")
    assert paced_texts[3].startswith("Lots of requests to talk to a person")
    async with svc.db.read() as conn:
        s = SafetyCount.__table__.c
        helped = (await conn.execute(select(s.count).where(s.reason == "help"))).scalar_one()
    assert helped == 3


async def test_codes_that_open_nothing_cost_a_start_so_codes_cannot_be_guessed_fast(
    svc: Services,
) -> None:
    """Issue 15: a Telegram /start (or first web press) with an unknown code costs a start;
    once a client has none left, a real code and a made-up one get the same answer, so
    the answer says nothing about which codes exist. The short code opens the same way."""
    _pace(svc, Ticks(), start=Allowance(3, 60))
    code, service = await _invite(svc), svc.conversations
    async with svc.db.read() as conn:
        invite = await catalog.invite_by_code(conn, code)
    assert invite is not None
    assert (await service.handle("telegram", "t0", Start((("invite", invite.short_code),)))).open
    for n, guess in enumerate(("ZZZZ0000", "ZZZZ0001", "ZZZZ0002")):
        missed = await service.handle("telegram", f"g{n}", Start((("invite", guess),)), client="c1")
        assert not missed.open and "paced" not in _keys(svc, missed.messages)
    for made in (code, invite.short_code, "ZZZZ0003"):
        answer = await service.handle("telegram", "t9", Start((("invite", made),)), client="c1")
        assert not answer.open and _keys(svc, answer.messages) == {"paced"}
    fresh = await service.handle(
        "telegram", "t9", Start((("invite", invite.short_code),)), client="c2"
    )
    assert fresh.open, "another client is not held up"


def _keys(svc: Services, messages: list) -> set[str]:
    """Which copy.yml notices (bad invite, paced) a reply is made of."""
    kit = svc.conversations.kit
    known = {key: kit.t(key, "en") for key in ("bad_invite", "paced")}
    return {key for key, text in known.items() for m in messages if m.text == text}
