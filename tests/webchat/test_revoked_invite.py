"""A revoked invite ends any open chat on its next step (the review: a chat started before
its invite was revoked could still be sent). The unfinished answers are deleted, the
young person is told kindly, and help still works."""

from __future__ import annotations

from storage import catalog
from storage.schema import Conversation, Submission
from tests.webchat.conftest import count
from youthvoice.bootstrap import Services

CLOSED = "the people who run this check-in have closed its link"


async def _revoke(services: Services, invite_id: str) -> None:
    async with services.db.write() as conn:
        assert await catalog.revoke_invite(conn, invite_id, services.clock())


async def test_a_revoked_invite_ends_an_open_chat_kindly(browser, services, invite):
    await browser.open()
    await browser.press("Start")
    page = await browser.press("Mostly")
    assert await count(services, Conversation) == 1
    old_form = page
    await _revoke(services, invite.id)
    ended = await browser.press("Totally")
    assert CLOSED in ended.text and "tel:999" in ended.calls  # with the helplines
    assert not ended.buttons.get("Send") and not ended.has_textarea
    assert await count(services, Conversation) == 0
    assert await count(services, Submission) == 0
    cleared = browser.response.headers.get("set-cookie", "")
    assert "__Host-yvchat=" in cleared and "Max-Age=0" in cleared
    # Help from the page still open on the screen is never refused (SG-01).
    browser.page = old_form
    helped = await browser.press("Get help now")
    assert browser.response.status_code == 200 and "tel:999" in helped.calls


async def test_every_channel_ends_on_the_next_step(services, invite):
    """The conversation service does it, so Telegram and the terminal behave the same."""
    from flows.inputs import Choose, Start

    service = services.conversations
    await service.handle("telegram", "42", Start((("invite", invite.code),), "cy"))
    await service.handle("telegram", "42", Choose("intro", "next"))
    await _revoke(services, invite.id)
    reply = await service.handle("telegram", "42", Choose("trust", "4"))
    assert not reply.open and reply.state is None
    assert reply.messages[0].text == service.kit.t("invite_closed", "cy")
    assert reply.messages[-1].kind == "safety"
    assert await service.current("telegram", "42") is None
