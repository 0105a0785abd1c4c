"""Web chat routes: the conversation, helplines, the privacy notice, receipt deletion and
"Talk to a person" with no conversation open."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from starlette.routing import BaseRoute, Route

from admin.webchat.chat import Chat
from admin.webchat.pages import Pages
from admin.webchat.person import PersonPage
from admin.webchat.receipts import DeletePage, TimedTokens
from youthvoice.bootstrap import Services

LOCAL = frozenset({"localhost", "127.0.0.1", "::1"})


def routes(services: Services) -> list[BaseRoute]:
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
    return [
        Route("/c/{code}", chat.open, methods=["GET"]),
        Route("/c/{code}", chat.answer, methods=["POST"]),
        Route("/helplines", pages.helplines, methods=["GET"]),
        Route("/privacy", pages.privacy, methods=["GET"]),
        Route("/delete", delete.show, methods=["GET"]),
        Route("/delete", delete.submit, methods=["POST"]),
        Route("/person", person.show, methods=["GET"]),
        Route("/person", person.submit, methods=["POST"]),
    ]
