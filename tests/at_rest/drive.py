"""One check-in driven on each channel the way a young person would, for the tests of
what stays at rest: the terminal, the web chat over real HTTP on 127.0.0.1, and Telegram
through the fake Bot API. Each answers every scale with 4, types `words` into the free-text
questions (skipping the rest), and sends, with a deletion receipt when asked; each can
then `/delete` that receipt."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import httpx

from bot import terminal
from bot.conversation import ConversationService
from bot.telegram.channel import TelegramChannel
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.telegram.conftest import deliver, message, tap, tokens
from tests.webchat.conftest import Browser
from tests.webchat.page import Page, read

RECEIPT = re.compile(r"\b[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}\b")
TEXT_QUESTIONS = 3
COOKIE = "__Host-yvchat"


def receipt_in(texts: Sequence[str]) -> str:
    (code,) = {c for text in texts for c in RECEIPT.findall(text)}
    return code


# --- terminal


async def terminal_check_in(
    service: ConversationService,
    invite: str,
    words: Sequence[str],
    person: str,
    *,
    receipt: bool = False,
    send: bool = True,
) -> list[str]:
    """What the terminal showed. Buttons are numbered: 1 starts, 4 is "Mostly", 1 skips a
    text question and 1 sends (2 sends with a receipt). `send=False` leaves a draft."""
    lines = ["1", *["4"] * 6, *words, *["1"] * (TEXT_QUESTIONS - len(words))]
    if send:
        lines.append("2" if receipt else "1")
    answers = iter(lines)
    shown: list[str] = []
    await terminal.chat(
        service, invite, None, lambda: next(answers, None), shown.append, person=person
    )
    return shown


async def terminal_delete(service: ConversationService, code: str, person: str) -> list[str]:
    reply = await terminal.answer(service, person, f"/delete {code}", [])
    return [m.text for m in reply.messages]


# --- web chat over real HTTP


class WebChat(Browser):
    """The chat as a browser without JavaScript uses it, over plain HTTP on 127.0.0.1.
    The conversation cookie is Secure (a browser keeps it on http://localhost too, httpx
    does not), so it is carried by hand, set and cleared as the server says."""

    def __init__(self, client: httpx.AsyncClient, code: str) -> None:
        super().__init__(client, code)
        self.cookie: str | None = None
        self.cookies_seen: set[str] = set()  # every value the server set, for a scan
        client.event_hooks["request"].append(self._send_cookie)
        client.event_hooks["response"].append(self._keep_cookie)

    async def _send_cookie(self, request: httpx.Request) -> None:
        if self.cookie:
            request.headers["cookie"] = f"{COOKIE}={self.cookie}"

    async def _keep_cookie(self, response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            if name == COOKIE:
                value = rest.split(";", 1)[0].strip('"')
                self.cookie = value if value and "max-age=0" not in header.lower() else None
                self.cookies_seen.update([self.cookie] if self.cookie else [])

    async def check_in(self, words: Sequence[str], *, receipt: bool = False) -> Page:
        await self.open()
        await self.press("Start")
        for _ in range(6):
            await self.press("Mostly")
        for text in words:
            await self.write(text)
        for _ in range(TEXT_QUESTIONS - len(words)):
            await self.press("Skip")
        return await self.press("Send and get a code to delete it later" if receipt else "Send")

    async def delete(self, code: str) -> Page:
        form = read(200, (await self.client.get("/delete")).text)
        response = await self.client.post(
            "/delete", data={"csrf": form.csrf, "lang": "en", "code": code}
        )
        return read(response.status_code, response.text)


# --- Telegram through the fake Bot API


async def telegram_check_in(
    api: FakeTelegramAPI,
    channel: TelegramChannel,
    user: dict[str, Any],
    invite: str,
    words: Sequence[str],
    *,
    receipt: bool = False,
    send: bool = True,
) -> list[Call]:
    """Every reply the bot sent; `send=False` stops at the review, leaving a draft."""
    chat_id = user["id"]
    chat = {"id": chat_id, "type": "private", "first_name": user.get("first_name", "")}
    said = await deliver(api, channel, message(chat_id, f"/start {invite}", user, chat=chat))
    replies = list(said)
    typed = list(words)
    for _ in range(30):
        # A question, not the "Talk to a person" button under a safety block.
        asking = [c for c in said if any(not t.startswith("a:_reach") for t in tokens(c))]
        if not asking:
            return replies
        choices = tokens(asking[-1])
        if "a:review:send" in choices:
            if not send:
                return replies
            update = tap(chat_id, "a:review:receipt" if receipt else "a:review:send", user)
        elif choices[0].endswith(":next"):
            update = tap(chat_id, choices[0], user)
        elif any(t.endswith(":4") for t in choices):
            update = tap(chat_id, next(t for t in choices if t.endswith(":4")), user)
        elif typed:
            update = message(chat_id, typed.pop(0), user, chat=chat)
        else:
            update = tap(chat_id, next(t for t in choices if t.endswith(":skip")), user)
        said = await deliver(api, channel, update)
        replies.extend(said)
    raise AssertionError("the check-in did not end")


async def telegram_delete(
    api: FakeTelegramAPI, channel: TelegramChannel, user: dict[str, Any], code: str
) -> list[str]:
    said = await deliver(api, channel, message(user["id"], f"/delete {code}", user))
    return [c.params["text"] for c in said]
