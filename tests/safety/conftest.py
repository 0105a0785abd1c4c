"""Figures the safety tests report (SG-02 wants the false-positive rate shown, not hidden).

Tests append lines to `report`; they are printed in pytest's terminal summary, so the
figures appear in every run (CI included) without needing ``-s``.
"""

from __future__ import annotations

import pytest

from flows.safety.detector import DisclosureDetector

_LINES = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def detector() -> DisclosureDetector:
    return DisclosureDetector.load()


@pytest.fixture
def report(request: pytest.FixtureRequest) -> list[str]:
    return request.config.stash.setdefault(_LINES, [])


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    lines = config.stash.get(_LINES, [])
    if lines:
        terminalreporter.section("disclosure detector (SG-02)")
        for line in lines:
            terminalreporter.write_line(line)
