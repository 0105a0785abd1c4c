"""SG-08: a new help request tells the safeguarding rota within 5 minutes, through a
channel that carries nothing about the young person; requests close together share one
notice. A real SMTP server (aiosmtpd) and a real HTTP server listen on loopback."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from flows.inputs import Choose, Command, Start, Text
from storage import catalog, help_requests
from tests.conftest import Clock
from youthvoice.bootstrap import Services, bootstrap
from youthvoice.dsl_alerts import CHECK_EVERY, NEW, OVERDUE
from youthvoice.settings import Settings

CONTACT = "ring 07700 900{n:03d} ask for canary-wren"
TEAM = "Canary Harbour Team"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(envelope.content)
        return "250 OK"


def _login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"rota", b"s3cret")
    return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=_login,
        auth_require_tls=False,  # loopback only, in a test; production uses TLS
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class _Hook(BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers["Content-Length"])
        type(self).bodies.append(self.rfile.read(length))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[list[bytes], str]]:
    _Hook.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield _Hook.bodies, f"http://127.0.0.1:{server.server_port}/hook"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
async def alerting(
    tmp_path: Path, clock: Clock, smtp: tuple[Inbox, int], webhook: tuple[list[bytes], str]
) -> AsyncIterator[Services]:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        demo_data=False,
        dsl_alert_smtp_host="127.0.0.1",
        dsl_alert_smtp_port=smtp[1],
        dsl_alert_smtp_tls="none",
        dsl_alert_smtp_username="rota",
        dsl_alert_smtp_password="s3cret",
        dsl_alert_from="youthvoice@example.org",
        dsl_alert_to="dsl-one@example.org, dsl-two@example.org",
        dsl_alert_webhook_url=webhook[1],
    )
    services = await bootstrap(settings, clock=clock)
    try:
        yield services
    finally:
        await services.close()


async def _request(services: Services, code: str, n: int) -> None:
    """A young person asks for a person from Get help now, through the real service."""
    service, who = services.conversations, f"young-person-{n}"
    await service.handle("web", who, Start((("invite", code),)))
    await service.handle("web", who, Choose("_reach", "person"))
    await service.handle("web", who, Text(CONTACT.format(n=n)))
    await service.handle("web", who, Command("stop"))


async def _invite(services: Services) -> str:
    async with services.db.write() as conn:
        team = await catalog.add_team(conn, TEAM)
        info = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="x", now=services.clock()
        )
    return info.code


async def test_fifty_requests_in_the_window_make_one_content_free_notice(
    alerting: Services,
    clock: Clock,
    smtp: tuple[Inbox, int],
    webhook: tuple[list[bytes], str],
) -> None:
    inbox, hooks = smtp[0], webhook[0]
    code = await _invite(alerting)
    first = clock.now
    # 50 requests over 3 minutes, with the server's round running every 30 s meanwhile.
    for n in range(50):
        await _request(alerting, code, n)
        clock.now = first + dt.timedelta(seconds=3.6 * (n + 1))
        if n % 8 == 7:
            await alerting.alerts.run_once()
    told_at = None
    while told_at is None:
        if await alerting.alerts.run_once():
            told_at = clock.now
        clock.now += dt.timedelta(seconds=CHECK_EVERY)
    assert told_at - first <= dt.timedelta(minutes=5), "SG-08: within 5 minutes"
    assert len(inbox.messages) == 1 and len(hooks) == 1
    mail = inbox.messages[0].decode()
    assert "Sign in to view it" in mail and "/admin/queue" in mail
    assert "dsl-one@example.org, dsl-two@example.org" in mail
    for leak in ("canary-wren", "07700", "Canary", "Harbour", "50", "English", "person"):
        assert leak not in mail, leak
    assert json.loads(hooks[0]) == NEW.webhook
    # Nothing new: no more notices, however many rounds run.
    for _ in range(20):
        clock.now += dt.timedelta(seconds=CHECK_EVERY)
        assert not await alerting.alerts.run_once()
    # A later request gets its own notice, within 5 minutes.
    await _request(alerting, code, 99)
    later = clock.now
    while not await alerting.alerts.run_once():
        clock.now += dt.timedelta(seconds=CHECK_EVERY)
    assert clock.now - later <= dt.timedelta(minutes=5)
    assert len(inbox.messages) == 2 and len(hooks) == 2


def _mail_settings(tmp_path: Path, port: int) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path,
        demo_data=False,
        dsl_alert_smtp_host="127.0.0.1",
        dsl_alert_smtp_port=port,
        dsl_alert_smtp_tls="none",
        dsl_alert_smtp_username="rota",
        dsl_alert_smtp_password="s3cret",
        dsl_alert_from="youthvoice@example.org",
        dsl_alert_to="dsl-one@example.org",
    )


async def test_a_failed_notice_is_tried_again(
    tmp_path: Path, clock: Clock, smtp: tuple[Inbox, int]
) -> None:
    """The mail server is down: nothing is marked told; once it answers, the notice goes."""
    services = await bootstrap(_mail_settings(tmp_path, _free_port()), clock=clock)
    try:
        await _request(services, await _invite(services), 1)
        for _ in range(12):
            assert not await services.alerts.run_once()
            clock.now += dt.timedelta(seconds=CHECK_EVERY)
    finally:
        await services.close()
    assert smtp[0].messages == []
    services = await bootstrap(_mail_settings(tmp_path, smtp[1]), clock=clock)
    try:
        assert await services.alerts.run_once()
        assert len(smtp[0].messages) == 1
        clock.now += dt.timedelta(minutes=10)
        assert not await services.alerts.run_once(), "told once, not again"
    finally:
        await services.close()


async def test_a_request_past_its_target_reminds_the_rota_once_per_target(
    alerting: Services,
    clock: Clock,
    smtp: tuple[Inbox, int],
    webhook: tuple[list[bytes], str],
) -> None:
    """CC-25: the queue's age is watched; a request open past 24 hours (the default
    target) reminds the rota, content-free, then not again until another 24 hours pass."""
    inbox, hooks = smtp[0], webhook[0]
    await _request(alerting, await _invite(alerting), 7)
    assert not await alerting.alerts.remind_once(), "not yet past its target"
    clock.now += dt.timedelta(hours=25)
    assert await alerting.alerts.remind_once()
    assert not await alerting.alerts.remind_once(), "reminded once, not on every round"
    clock.now += dt.timedelta(hours=23)
    assert not await alerting.alerts.remind_once()
    clock.now += dt.timedelta(hours=2)
    assert await alerting.alerts.remind_once()
    reminders = [m.decode() for m in inbox.messages if b"past its target" in m]
    assert len(reminders) == 2 and all("canary-wren" not in m for m in reminders)
    assert [json.loads(h) for h in hooks] == [OVERDUE.webhook, OVERDUE.webhook]
    async with alerting.db.write() as conn:
        (item,) = await help_requests.open_requests(conn, limit=10)
        await help_requests.mark_handled(conn, item.id, "someone", clock.now, b"sealed")
    clock.now += dt.timedelta(days=3)
    assert not await alerting.alerts.remind_once(), "nothing open: no reminder"
