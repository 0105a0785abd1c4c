"""No 500 anywhere (SEC-19): Hypothesis sends every route (console, web chat, health)
made-up path parameters, form fields and query strings, as every role and as nobody, with
a valid CSRF token most of the time so the views themselves are reached. The review's
case: GET /admin/reports/period/9998-Q4/org gave 500; out-of-range periods are 404."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from admin.app import create_app
from admin.console.routes import TABLE
from storage import catalog
from tests.console.conftest import CLOSED, ROLES, Clock, seed_org, session_for
from youthvoice.bootstrap import Services, bootstrap
from youthvoice.settings import Settings

TEMPLATES = Path(__file__).resolve().parents[2] / "admin" / "templates"
FIELDS = sorted(
    {m for f in TEMPLATES.rglob("*.html") for m in re.findall(r'name="([a-z_]+)"', f.read_text())}
    - {"viewport", "robots", "referrer"}
)
OTHER_ROUTES = [
    ("/admin/login", "GET"),
    ("/admin/login", "POST"),
    ("/c/{code}", "GET"),
    ("/c/{code}", "POST"),
    ("/helplines", "GET"),
    ("/privacy", "GET"),
    ("/delete", "GET"),
    ("/delete", "POST"),
    ("/healthz", "GET"),
]
ROUTES = sorted({(p, m[0]) for p, m, _, _ in TABLE} | set(OTHER_ROUTES))
PERIODS = [CLOSED, "2026-Q2", "9998-Q4", "9999-Q4", "0000-Q1", "0001-Q1", "2026-Q0", "2026-Q5"]
PERIODS += ["2026-00", "2026-13", "2026-03", "10000-Q1", "1999-Q4", "2026-Q1x", "٢٠٢٦-Q1"]
WORDS = ["org", "worker", "0", "-1", "1e309", "None", "../etc", "%00", "a" * 300, "\u202e", "😀"]


class World:
    """One app over one database for all examples (built once: Hypothesis reruns the body)."""

    def __init__(self, folder: Path) -> None:
        self.runner = asyncio.Runner()
        self.clock = Clock()
        self.services: Services = self.runner.run(self._build(folder))
        self.app = create_app(self.services)
        self.known: list[str] = []

    async def _build(self, folder: Path) -> Services:
        built = await bootstrap(
            Settings(
                _env_file=None,
                data_dir=folder,
                demo_data=False,
                public_url="https://yv.example",
                report_views_per_hour=600,
            ),
            clock=self.clock,
        )
        self.org = await seed_org(built)
        async with built.db.write() as conn:
            invite = await catalog.add_invite(
                conn,
                team_id=self.org.team_a,
                flow_id="relationship-checkin",
                label="p",
                now=self.clock(),
            )
        self.invite = invite
        return built

    def values(self) -> dict[str, list[str]]:
        """Values that mean something here, by parameter name ("" for any other)."""
        org = self.org
        pools = {
            "period": PERIODS,
            "scope": ["org", "worker", org.team_a, org.team_b, org.team_c],
            "code": [self.invite.code],
            "invite_id": [self.invite.id],
            "user_id": list(org.users.values()),
            "item_id": ["help-req-0001"],
            "link": ["web", "cy", "telegram"],
            "kind": ["svg", "png"],
        }
        return {**pools, "": [v for pool in pools.values() for v in pool] + WORDS}

    def close(self) -> None:
        self.runner.run(self.services.close())
        self.runner.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    built = World(tmp_path_factory.mktemp("fuzz"))
    try:
        yield built
    finally:
        built.close()


def _text() -> st.SearchStrategy[str]:
    return st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


def _value(pool: list[str]) -> st.SearchStrategy[str]:
    # Mostly values that mean something here (ids, periods, codes), so views are reached.
    return st.one_of(*[st.sampled_from(pool)] * 3, _text())


@st.composite
def requests(draw, route: tuple[str, str], pools: dict[str, list[str]]):
    path, method = route
    value = _value(pools[""])
    for name in re.findall(r"\{(\w+)\}", path):
        part = draw(
            _value(pools.get(name, pools[""])).filter(
                lambda v: v and "/" not in v and v not in (".", "..")
            )
        )
        path = path.replace("{" + name + "}", quote(part, safe=""))
    form = draw(st.dictionaries(st.sampled_from(FIELDS), value, max_size=6))
    query = draw(st.dictionaries(st.sampled_from(["lang", "before", "kind"]), value, max_size=2))
    role = draw(st.sampled_from([*ROLES, None]))
    keep_csrf = draw(st.integers(0, 3)) > 0  # a valid token three times in four
    return path, method, form, query, role, keep_csrf


@pytest.mark.parametrize("route", ROUTES, ids=" ".join)
def test_no_route_answers_500(world: World, route: tuple[str, str]) -> None:
    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(requests(route, world.values()))
    def one(request) -> None:
        status = world.runner.run(_send(world, *request))
        assert status < 500, request

    one()


async def _send(
    world: World, path: str, method: str, form: dict, query: dict, role: str | None, keep: bool
) -> int:
    headers = {}
    if role is not None:
        cookie, csrf = await session_for(world.services, world.org.users[role])
        headers["cookie"] = f"__Host-session={cookie}"
        if keep:
            form = {**form, "csrf": csrf}
    transport = httpx.ASGITransport(app=world.app)
    async with httpx.AsyncClient(transport=transport, base_url="https://t") as client:
        if method == "GET":
            response = await client.get(path, params=query, headers=headers)
        else:
            response = await client.post(path, params=query, data=form, headers=headers)
    return response.status_code


@pytest.mark.parametrize("period", ["9998-Q4", "9999-Q4", "0001-Q1", "1999-Q4", "2099-Q1"])
def test_out_of_range_periods_are_not_found(world: World, period: str) -> None:
    async def view() -> list[int]:
        cookie, _ = await session_for(world.services, world.org.users["manager"])
        transport = httpx.ASGITransport(app=world.app)
        async with httpx.AsyncClient(transport=transport, base_url="https://t") as client:
            headers = {"cookie": f"__Host-session={cookie}"}
            return [
                (await client.get(path, headers=headers)).status_code
                for path in (
                    f"/admin/reports/period/{period}/org",
                    f"/admin/reports/compare/{period}",
                    f"/admin/reports/themes/{period}/org",
                    f"/admin/reports/safety/{period}",
                )
            ]

    assert world.runner.run(view()) == [404, 404, 404, 404]
