"""`Console`: what every console view needs, built once by `routes()` from the services."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from admin.console.passwords import PasswordPolicy, Passwords
from admin.console.permissions import ROLE_NAMES
from admin.console.sessions import SessionPolicy
from reports.gateway import CellKeys, Gateway, GatewaySettings
from reports.service import Dimension, ReportService
from storage import accounts
from storage.accounts import SessionRow, User
from youthvoice.bootstrap import Services

K_SETTING = "k_threshold"


@dataclass(frozen=True)
class Actor:
    """The logged-in person making this request."""

    user: User
    session: SessionRow

    @property
    def role(self) -> str:
        return self.user.role

    def in_scope(self, team_id: str) -> bool:
        return team_id in self.user.teams


@dataclass
class Console:
    services: Services
    templates: Jinja2Templates
    passwords: Passwords
    policy: PasswordPolicy
    sessions: SessionPolicy
    report_limit: int
    dimensions: tuple[Dimension, ...]
    scale_labels: tuple[str, ...]
    theme_labels: dict[str, str]
    theme_descriptions: dict[str, str] = field(default_factory=dict)
    reports: ReportService = field(init=False)
    k: int = field(init=False)

    def __post_init__(self) -> None:
        self.k = self.services.settings.k_threshold
        # Quote order must not be predictable from outside (SDC-11).
        self._rng = random.SystemRandom()
        # Cell keys' secret offsets come from the data key (SDC-14): stable across
        # restarts, so a cell keeps its noise, and unknown to anyone without the key.
        settings = self.services.settings
        self._noise = (
            CellKeys(hmac.digest(settings.data_key_bytes(), b"cell keys", hashlib.sha256))
            if settings.cell_key_noise
            else None
        )
        self.reports = ReportService(
            self.services.db,
            self.gateway,
            today=self.today,
            dimensions=self.dimensions,
            theme_ids=tuple(self.theme_labels),
            worker_results=self.services.settings.worker_results,
        )

    def now(self) -> dt.datetime:
        return self.services.clock()

    def today(self) -> dt.date:
        return self.now().astimezone(ZoneInfo(self.services.settings.timezone)).date()

    def gateway(self) -> Gateway:
        s = self.services.settings
        settings = GatewaySettings(
            k=self.k, period_kind=s.report_period, worker_results=s.worker_results
        )
        return Gateway(settings, today=self.today, rng=self._rng, noise=self._noise)

    async def refresh_k(self) -> None:
        """An admin may make k stricter than the deployment's K_THRESHOLD, never looser."""
        async with self.services.db.read() as conn:
            stored = await accounts.setting(conn, K_SETTING)
        floor = self.services.settings.k_threshold
        self.k = max(floor, int(stored)) if stored and stored.isdigit() else floor

    async def audit(
        self,
        request: Request,
        actor: Actor | None,
        action: str,
        outcome: str,
        params: Mapping[str, str | int | bool | None] | None = None,
        *,
        user: User | None = None,
    ) -> None:
        who = actor.user if actor is not None else user
        async with self.services.db.write() as conn:
            await accounts.audit(
                conn,
                at=self.now(),
                actor_id=who.id if who else None,
                actor_role=who.role if who else None,
                action=action,
                outcome=outcome,
                params=params or {},
                request_id=getattr(request.state, "request_id", "-"),
            )

    def render(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any],
        *,
        actor: Actor | None = None,
        status: int = 200,
    ) -> Response:
        settings = self.services.settings
        base = {
            "actor": actor,
            "csrf": actor.session.csrf_token if actor else "",
            "role_names": ROLE_NAMES,
            "org_name": settings.org_name,
            "request_id": getattr(request.state, "request_id", ""),
            "demo_no_mfa": actor is not None and actor.user.demo and settings.demo_data,
        }
        return self.templates.TemplateResponse(
            request, f"console/{name}", {**base, **context}, status_code=status
        )
