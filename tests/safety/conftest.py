"""The safety tests append their figures to `report` (SG-02 wants the false-positive rate
shown, not hidden), printed in pytest's terminal summary."""

from __future__ import annotations

import pytest

from flows.safety.detector import DisclosureDetector
from tests.conftest import figures


@pytest.fixture(scope="session")
def detector() -> DisclosureDetector:
    return DisclosureDetector.load()


@pytest.fixture
def report(request: pytest.FixtureRequest) -> list[str]:
    return figures(request.config, "disclosure detector (SG-02)")
