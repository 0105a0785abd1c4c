"""The console in Debian's Chromium (Playwright, never a downloaded browser): log in, create
an invite and see its QR poster, open a report for a seeded dataset, export CSV, log out.
With `--update-screenshots` it rewrites docs/console-*.png (desktop and phone) for the
README; otherwise the screenshots go to a temporary folder, so a test run leaves the tree
as it found it."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import socket
import threading
import time
from pathlib import Path

import pyotp
import pytest

from tests.console.conftest import CLOSED, PASSWORD, START, seed_org
from tests.webchat.live import launch

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server(threading.Thread):
    """The real app under uvicorn on 127.0.0.1, with a clock that starts mid-quarter."""

    def __init__(self, data_dir: Path, port: int) -> None:
        super().__init__(daemon=True)
        self.data_dir, self.port = data_dir, port
        self.ready = threading.Event()
        self.org = None
        self.server = None
        began = time.monotonic()
        self.clock = lambda: START + dt.timedelta(seconds=time.monotonic() - began)

    def run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        import uvicorn

        from admin.app import create_app
        from youthvoice.bootstrap import bootstrap
        from youthvoice.settings import Settings

        settings = Settings(
            _env_file=None,
            data_dir=self.data_dir,
            demo_data=False,
            org_name="Riverside Youth Service",
            telegram_bot_username="riverside_voice_bot",
            public_url=f"http://127.0.0.1:{self.port}",
        )
        services = await bootstrap(settings, clock=self.clock)
        try:
            self.org = await seed_org(services)
            config = uvicorn.Config(
                create_app(services),
                host="127.0.0.1",
                port=self.port,
                log_config=None,
                access_log=False,
                lifespan="off",
            )
            self.server = uvicorn.Server(config)
            self.ready.set()
            await self.server.serve()
        finally:
            await services.close()


@pytest.fixture
def server(tmp_path):
    srv = Server(tmp_path, _free_port())
    srv.start()
    assert srv.ready.wait(60)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", srv.port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield srv
    srv.server.should_exit = True
    srv.join(10)


def _login(page, base, username, secret=None, clock=None):
    page.goto(f"{base}/admin/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    if secret:
        page.wait_for_url(f"{base}/admin/mfa")
        page.fill("input[name=code]", pyotp.TOTP(secret).at(clock()))
        page.click("main button[type=submit]")
    page.wait_for_url(re.compile(re.escape(base) + r"/admin(/dashboard)?$"))  # readers: dashboard


def test_console_in_chromium(server, tmp_path, request):
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{server.port}"
    shots = DOCS if request.config.getoption("--update-screenshots") else tmp_path
    with sync_playwright() as p:
        browser = launch(p)
        desktop = browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        page = desktop.new_page()
        page.goto(f"{base}/admin/login")
        page.screenshot(path=str(shots / "console-login.png"))

        # A worker creates an invite and opens its poster.
        _login(page, base, "worker1")
        cookies = {c["name"]: c for c in desktop.cookies()}
        assert cookies["__Host-session"]["secure"] and cookies["__Host-session"]["httpOnly"]
        page.click("text=Invites")
        page.fill("input[name=label]", "Drop-in noticeboard")
        page.click("text=Create invite")
        page.wait_for_url(f"{base}/admin/invites/*")
        assert page.locator("img.qr").count() == 2
        assert "t.me/riverside_voice_bot?start=" in page.content()
        page.screenshot(path=str(shots / "console-invite.png"), full_page=True)
        page.click("text=Open poster")
        page.wait_for_url(re.compile(r".*/poster\?size=a4&lang=en$"))
        assert page.locator(".poster img").count() == 2
        page.screenshot(path=str(shots / "console-poster.png"), full_page=True)
        page.goto(f"{base}/admin")
        page.click("text=Log out")
        page.wait_for_url(f"{base}/admin/login")

        # A manager (password + authenticator code) opens a report and exports it.
        _login(page, base, "manager1", server.org.secrets["manager"], server.clock)
        page.click("nav >> text=Reports")
        page.select_option("select[name=report]", "period")
        page.select_option("select[name=period]", CLOSED)
        page.select_option("select[name=scope]", "org")
        page.click("form.picker >> text=Show")
        page.wait_for_url(f"{base}/admin/reports/period/{CLOSED}/org")
        assert page.locator("svg.chart").count() == 6 and page.locator("table.grid").count() == 6
        page.screenshot(path=str(shots / "console-report.png"), full_page=True)
        with page.expect_download() as download:
            page.click("text=Download CSV")
        saved = tmp_path / "export.csv"
        download.value.save_as(saved)
        body = saved.read_text()
        assert body.startswith("period,scope,question,answer label,measure,value,status,reason")
        assert "young people" in body
        page.goto(f"{base}/admin/reports/compare/{CLOSED}")
        page.screenshot(path=str(shots / "console-compare.png"), full_page=True)
        page.goto(f"{base}/admin/reports/trends/org")
        page.click("text=Log out")
        page.wait_for_url(f"{base}/admin/login")
        assert page.goto(f"{base}/admin/reports").url.endswith("/admin/login")

        # The same report on a phone.
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
        )
        mobile = phone.new_page()
        _login(
            mobile,
            base,
            "manager1",
            server.org.secrets["manager"],
            lambda: server.clock() + dt.timedelta(seconds=30),
        )
        mobile.goto(f"{base}/admin/reports/period/{CLOSED}/org")
        mobile.screenshot(path=str(shots / "console-report-phone.png"))
        browser.close()


# Every console page each role can open (GET), with real ids filled in by `_pages`.
PAGES = {
    "worker": [
        "/admin",
        "/admin/invites",
        "/admin/invites/{invite}",
        "/admin/guidance",
        "/admin/my-results",
        "/admin/account/password",
    ],
    "manager": [
        "/admin/dashboard",
        "/admin/reports",
        f"/admin/reports/period/{CLOSED}/org",
        f"/admin/reports/compare/{CLOSED}",
        "/admin/reports/trends/org",
        f"/admin/reports/themes/{CLOSED}/org",
        f"/admin/reports/safety/{CLOSED}",
        f"/admin/report/board?period={CLOSED}&scope=org",
        "/admin/invites",
    ],
    "reviewer": [f"/admin/reports/themes/{CLOSED}/org"],
    "dsl": ["/admin/queue", "/admin/wording"],
    "admin": [
        "/admin",
        "/admin/users",
        "/admin/users/{worker}/edit",
        "/admin/teams",
        "/admin/teams/{team}/edit",
        "/admin/settings",
        "/admin/audit",
        "/admin/alerts",
    ],
}
PHONE_WIDTH = 360


def _widest(page) -> float:
    return page.evaluate(
        """() => Math.max(document.documentElement.scrollWidth, ...[...document
              .querySelectorAll('body *')].map(e => e.getBoundingClientRect().right))"""
    )


def test_every_page_fits_a_phone_and_passes_axe(server, tmp_path):
    """Issue 14: on every console page, as each role, axe-core finds 0 violations at
    1280 x 900 and at 360 px; at 360 px nothing is wider than the screen (the document's
    scrollWidth and every element's right edge), and the navigation is a Menu that opens
    without JavaScript (a <details>)."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from tests.browser.test_chat_a11y import RULES

    base = f"http://127.0.0.1:{server.port}"
    org = server.org
    checked = 0
    ids = {"{worker}": org.users["worker"], "{team}": org.team_a}
    with sync_playwright() as p:
        browser = launch(p)
        desktop = browser.new_context(viewport={"width": 1280, "height": 900})
        page = desktop.new_page()
        _login(page, base, "worker1")
        page.goto(f"{base}/admin/invites")
        page.fill("input[name=label]", "Drop-in noticeboard")
        page.click("text=Create invite")
        page.wait_for_url(f"{base}/admin/invites/*")
        invite = page.url.rsplit("/", 1)[1]
        ids["{invite}"] = invite
        desktop.close()
        for role, paths in PAGES.items():
            desktop = browser.new_context(viewport={"width": 1280, "height": 900})
            page = desktop.new_page()
            secret = server.org.secrets[role] if role != "worker" else None
            _login(page, base, role + "1", secret, server.clock)
            state = tmp_path / f"{role}.json"
            desktop.storage_state(path=str(state))
            phone = browser.new_context(
                viewport={"width": PHONE_WIDTH, "height": 740}, storage_state=str(state)
            )
            mobile = phone.new_page()
            for path in paths:
                url = base + re.sub(r"\{\w+\}", lambda m: ids[m.group(0)], path)
                for view, wide in ((page, False), (mobile, True)):
                    response = view.goto(url)
                    assert response is not None and response.status == 200, (role, path)
                    results = Axe().run(view, options=RULES)
                    where = f"{role} {path} {'phone' if wide else 'desktop'}: "
                    assert results.violations_count == 0, where + results.generate_report()
                widest = _widest(mobile)
                assert widest <= PHONE_WIDTH, f"{role} {path}: {widest}px on a 360 px phone"
                assert mobile.locator(".nav-wide").is_hidden()
                assert page.locator("details.menu").is_hidden()
                checked += 1
            mobile.goto(base + paths[0].replace("{invite}", invite))
            links = mobile.locator("details.menu nav a")
            assert links.first.is_hidden()
            mobile.locator("details.menu summary").click()
            assert links.first.is_visible() and links.count() >= 1
            phone.close()
            desktop.close()
        browser.close()
    assert checked == sum(len(paths) for paths in PAGES.values())
