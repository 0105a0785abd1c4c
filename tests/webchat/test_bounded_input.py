"""Bounded input before any work (SEC-24), written as the review's attack: one 1 MB
web-chat message, no sign-in needed, froze the whole server for about 10 s. Now any body
over its route's limit is refused with 413 before it is parsed, scrubbed or checked, and
the young person keeps their place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from admin.limits import CONSOLE, FORM
from storage.schema import Conversation, SafetyCount
from tests.webchat.conftest import Browser, count
from tests.webchat.page import read

MIB = 1024 * 1024


def _untouchable(_text: str) -> None:
    raise AssertionError("an oversize body reached a text filter")


@pytest.fixture
def guarded(services):
    """The conversation kit with filters that fail the test if anything reaches them;
    returns the real kit, to put back."""
    kit = services.conversations.kit
    services.conversations.kit = replace(kit, detect=_untouchable, scrub=_untouchable)
    yield kit
    services.conversations.kit = kit


async def _to_text_question(browser: Browser):
    await browser.open()
    await browser.press("Start")
    for label in ("Mostly", "Totally", "Sometimes", "Prefer not to say", "A little", "Totally"):
        page = await browser.press(label)
    assert page.has_textarea
    return page


async def test_a_one_mib_answer_is_refused_unread_and_the_place_kept(browser, services, guarded):
    page = await _to_text_question(browser)
    question = page.h1
    before = (await count(services, Conversation), await count(services, SafetyCount))
    refused = await browser.post(text="I am scared " * (MIB // 12), send="words")
    assert browser.response.status_code == 413
    assert refused.h1 == question and refused.has_textarea  # the same question again
    assert "a bit long for me" in refused.text
    assert (await count(services, Conversation), await count(services, SafetyCount)) == before
    # The place is really kept: a short answer to the same question moves on.
    services.conversations.kit = guarded
    after = await browser.write("ok")
    assert browser.response.status_code == 200 and after.h1 != question


async def test_a_streamed_body_without_a_length_is_counted_and_refused(browser, invite, guarded):
    """Chunked, with no Content-Length to refuse on: the bytes are counted as they come."""
    page = await _to_text_question(browser)

    async def chunks() -> AsyncIterator[bytes]:
        yield f"csrf={page.csrf}&lang=en&send=words&text=".encode()
        for _ in range(64):
            yield b"a" * 16 * 1024

    response = await browser.client.post(
        f"/c/{invite.code}",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert read(response.status_code, response.text).h1 == page.h1


async def test_a_long_answer_within_the_body_limit_is_refused_before_the_filters(browser, guarded):
    """Over max_length but under the body limit: the engine refuses it before detection
    or scrubbing, and asks the same question again."""
    page = await _to_text_question(browser)
    again = await browser.write("x" * 900)
    assert browser.response.status_code == 200
    assert again.h1 == page.h1 and "a bit long for me" in again.text


@pytest.mark.parametrize(
    ("path", "limit"),
    [("/delete", FORM), ("/helplines", FORM), ("/admin/login", CONSOLE), ("/admin/users", CONSOLE)],
)
async def test_every_other_route_has_a_limit(client: httpx.AsyncClient, path: str, limit: int):
    over = await client.post(path, content=b"a=" + b"b" * limit)
    assert over.status_code == 413
    under = await client.post(path, content=b"a=b", headers={"content-type": "text/plain"})
    assert under.status_code != 413


async def test_no_chat_yet_gets_a_kind_page(client: httpx.AsyncClient, invite):
    response = await client.post(f"/c/{invite.code}", content=b"t=" + b"x" * MIB)
    assert response.status_code == 413
    page = read(response.status_code, response.text)
    assert "too much for me" in page.text and "tel:999" in page.calls
    again = await client.post(f"/c/{invite.code}?lang=cy", content=b"t=" + b"x" * MIB)
    assert again.status_code == 413 and read(413, again.text).lang == "cy"
