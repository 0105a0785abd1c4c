"""Shared fixtures: the real engine kit, settings on a temporary SQLite file, and the
optional PostgreSQL server for the storage contract suite."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from flows.kit import Kit
from flows.loader import load_copy, load_flows, load_helplines
from flows.model import Flow
from flows.safety.detector import DisclosureDetector
from flows.scrub.scrubber import Scrubber
from storage import catalog
from youthvoice.bootstrap import Services, bootstrap
from youthvoice.settings import Settings
from youthvoice.shown_values import young_people_values

ROOT = Path(__file__).resolve().parents[1]
STAFF = ("Priya Sharma", "Dave Okafor")
# What young people see of the deployment's settings, per language, as the product builds it.
NAMES = young_people_values(
    Settings(
        _env_file=None,
        org_name="Test Youth Service",
        org_name_cy="Gwasanaeth Ieuenctid Prawf",
        concern_contact="feedback@example.org",
        privacy_url="http://x/privacy",
    ),
    ("en", "cy"),
)


@pytest.fixture(autouse=True)
def _root_logging_restored():
    """A test that runs the CLI in-process points the root logger at that test's captured
    stderr; put it back, so later tests do not log into a closed stream."""
    root = logging.getLogger()
    saved = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in saved[0]:
            handler.close()
    root.handlers[:], root.level = saved


_FIGURES = pytest.StashKey[dict[str, list[str]]]()


def figures(config: pytest.Config, heading: str) -> list[str]:
    """Lines to print under `heading` in pytest's terminal summary: figures a requirement
    wants shown in every run, CI included, without `-s` (SG-02, AN-17)."""
    return config.stash.setdefault(_FIGURES, {}).setdefault(heading, [])


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    for heading, lines in config.stash.get(_FIGURES, {}).items():
        if lines:
            terminalreporter.section(heading)
            for line in lines:
                terminalreporter.write_line(line)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite golden conversation files"
    )
    parser.addoption(
        "--update-screenshots", action="store_true", help="rewrite the README's screenshots"
    )


@pytest.fixture(scope="session", autouse=True)
def _private_config_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A local trial keeps its generated secrets in the user's config folder; tests (and
    the processes they start) get one of their own, never the real one."""
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config-home"))


@pytest.fixture(scope="session")
def flows() -> dict[str, Flow]:
    return load_flows()


@pytest.fixture(scope="session")
def kit() -> Kit:
    detector = DisclosureDetector.load()
    scrubber = Scrubber.load(staff_names=STAFF, place_names=("Hillside",))
    return Kit(
        copy=load_copy(),
        helplines=load_helplines("GB"),
        detect=detector.detect,
        scrub=lambda text: scrubber.scrub(text).text,
        names=NAMES,
        region="GB-WLS",  # a service in Wales, so goldens show Meic and Welsh lines too
    )


@pytest.fixture
def checkin(flows: dict[str, Flow]) -> Flow:
    return flows["relationship-checkin"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None, data_dir=tmp_path, demo_data=False, org_name="Test Youth Service"
    )


CLOCK_START = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)  # in 2026-Q4, open until 1 January


class Clock:
    """A clock a test moves by hand, injected through the composition root."""

    def __init__(self) -> None:
        self.now = CLOCK_START

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def svc(tmp_path: Path, clock: Clock) -> AsyncIterator[Services]:
    """The whole product on a temporary SQLite file, with a clock the test controls."""
    settings = Settings(_env_file=None, data_dir=tmp_path, demo_data=False)
    services = await bootstrap(settings, clock=clock)
    try:
        yield services
    finally:
        await services.close()


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    built = await bootstrap(settings)
    try:
        yield built
    finally:
        await built.close()


@pytest.fixture
async def invite_code(services: Services) -> str:
    """An invite to the check-in for a team, as the channel tests start with."""
    async with services.db.write() as conn:
        team = await catalog.add_team(conn, "North")
        invite = await catalog.add_invite(
            conn, team_id=team, flow_id="relationship-checkin", label="poster", now=services.clock()
        )
    return invite.code


def postgres_url() -> str | None:
    return os.environ.get("YV_TEST_POSTGRES_URL") or None
