"""The scrubber tests append their recall table to `report` (AN-17 wants it printed in CI)."""

from __future__ import annotations

import pytest

from tests.conftest import figures


@pytest.fixture
def report(request: pytest.FixtureRequest) -> list[str]:
    return figures(request.config, "PII scrubber (AN-17)")
