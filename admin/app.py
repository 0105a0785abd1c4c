"""The one ASGI app: web chat for young people, the console for staff, and (in webhook
mode) the Telegram webhook, so any number of identical processes can serve all three."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from admin import metrics
from admin.console import routes as console
from admin.console.branding import MAX_BYTES as LOGO_MAX_BYTES
from admin.headers import SecurityHeaders
from admin.limits import CONSOLE, WEBHOOK, WHATSAPP_WEBHOOK, BodyLimit, Limit
from admin.start import start_page
from admin.webchat import routes as webchat
from youthvoice.bootstrap import Services


async def healthz(_request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def create_app(
    services: Services,
    extra_routes: list[BaseRoute] | None = None,
    demo_chat: str | None = None,
) -> Starlette:
    chat = webchat.build(services)
    routes: list[BaseRoute] = [
        Route("/", start_page(services.settings.org_name, demo_chat)),
        Route("/healthz", healthz),
        Mount("/static", StaticFiles(packages=[("admin", "static")]), name="static"),
        *chat.routes,
        *console.routes(services),
        *metrics.routes(services),
        *(extra_routes or []),
    ]
    limits = [
        *chat.limits,
        Limit("/admin", CONSOLE),
        Limit("/telegram/", WEBHOOK),
        Limit("/whatsapp/", WHATSAPP_WEBHOOK),
    ]
    limits.append(Limit("/admin/settings/logo", LOGO_MAX_BYTES + CONSOLE))
    https = urlsplit(services.settings.public_url).scheme == "https"
    middleware = [
        # Headers outermost, so a refusal for size gets them too.
        Middleware(SecurityHeaders, hsts=https),
        Middleware(BodyLimit, limits=limits),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.services = services
    return app
