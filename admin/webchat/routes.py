"""Web chat routes: the conversation, helplines, the privacy notice, receipt deletion and
"Talk to a person" with no conversation open."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from admin.limits import FORM, Limit, chat_limit
from admin.webchat.chat import Chat
from admin.webchat.news import NewsPage
from admin.webchat.pages import Pages
from admin.webchat.person import PersonPage
from admin.webchat.receipts import DeletePage, TimedTokens
from flows.model import longest_answer
from youthvoice.bootstrap import Services

LOCAL = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class WebChat:
    routes: list[BaseRoute]
    limits: list[Limit]  # body-size limits for these routes, with their kind 413 pages


def routes(services: Services) -> list[BaseRoute]:
    return build(services).routes


def build(services: Services) -> WebChat:
    url = urlsplit(services.settings.public_url)
    if url.scheme != "https" and url.hostname not in LOCAL:
        # Browsers keep a Secure cookie only over HTTPS or on this machine itself.
        logging.getLogger(__name__).warning(
            "web chat: PUBLIC_URL is not https, so browsers will refuse its cookie"
        )
    pages = Pages(services)
    chat = Chat(services, pages)
    tokens = TimedTokens(services.conversations.pepper, services.clock)
    delete = DeletePage(services.conversations, pages, tokens)
    person_tokens = TimedTokens(
        services.conversations.pepper, services.clock, purpose=b"webchat person form key"
    )
    person = PersonPage(services.conversations, pages, person_tokens)
    longest = longest_answer(services.flows.values())

    async def too_large(request: Request) -> Response:
        return pages.too_large(request, pages.lang(request.query_params.get("lang")))

    limits = [Limit("/c/", chat_limit(longest), chat.too_large), Limit("/delete", FORM, too_large)]
    limits.append(Limit("/person", FORM, too_large))
    table: list[BaseRoute] = [
        Route("/c/{code}", chat.open, methods=["GET"]),
        Route("/c/{code}", chat.answer, methods=["POST"]),
        Route("/helplines", pages.helplines, methods=["GET"]),
        Route("/privacy", pages.privacy, methods=["GET"]),
        Route("/news", NewsPage(pages).show, methods=["GET"]),
        Route("/delete", delete.show, methods=["GET"]),
        Route("/delete", delete.submit, methods=["POST"]),
        Route("/person", person.show, methods=["GET"]),
        Route("/person", person.submit, methods=["POST"]),
    ]
    return WebChat(table, limits)
