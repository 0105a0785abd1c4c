"""`/`: a small start page, so whoever opens the server's address finds the way in: the
web chat (the demo's, when there is one), the console and the helplines."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from admin.templating import templates


def start_page(org_name: str, demo_chat: str | None) -> Callable[[Request], Awaitable[Response]]:
    page = templates()

    async def start(request: Request) -> Response:
        context = {"org_name": org_name, "demo_chat": demo_chat}
        return page.TemplateResponse(request, "start.html", context)

    return start
