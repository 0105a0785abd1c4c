"""/metrics for Prometheus (REL-18): only when METRICS_TOKEN is set (otherwise the route
does not exist, so it answers 404 like any unknown path), and only to a request carrying
that token as a bearer token, compared in constant time."""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from youthvoice.bootstrap import Services

PATH = "/metrics"


def routes(services: Services) -> list[BaseRoute]:
    token = services.settings.metrics_token
    if token is None:
        return []
    expected = token.get_secret_value().encode()

    async def metrics(request: Request) -> Response:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("latin-1"), expected
        ):
            return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
        try:
            body = await services.metrics.scrape()
        except SQLAlchemyError:  # the database is away: a failed scrape, not a crash
            return Response(status_code=503)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return [Route(PATH, metrics, methods=["GET"])]
