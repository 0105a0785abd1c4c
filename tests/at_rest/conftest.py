"""The whole product on SQLite and, when YV_TEST_POSTGRES_URL names a server, on
PostgreSQL, with a clock the test moves by hand: what is kept at rest must not depend on
which database keeps it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Clock, postgres_url
from tests.storage.conftest import BACKENDS, drop_postgres, fresh_postgres
from youthvoice.bootstrap import Services, bootstrap
from youthvoice.settings import Settings


@pytest.fixture
def extra_settings() -> dict[str, Any]:
    """Settings a module adds (e.g. the fake Bot API's address)."""
    return {}


@pytest.fixture(params=BACKENDS)
async def backend(
    request: pytest.FixtureRequest, tmp_path: Path, clock: Clock, extra_settings: dict[str, Any]
) -> AsyncIterator[Services]:
    url = ""
    if request.param == "postgres":
        base = postgres_url()
        if base is None:
            pytest.skip("set YV_TEST_POSTGRES_URL to run the PostgreSQL half")
        url, name = await fresh_postgres(base)
    settings = Settings(
        _env_file=None, data_dir=tmp_path, database_url=url, demo_data=False, **extra_settings
    )
    services = await bootstrap(settings, clock=clock)
    try:
        yield services
    finally:
        await services.close()
        if url:
            await drop_postgres(base, name)
