"""Figures the scrubber tests report (AN-17 wants the recall table printed in CI).

Tests append lines to `report`; they are printed in pytest's terminal summary, so the
table appears in every run without needing ``-s``.
"""

from __future__ import annotations

import pytest

_LINES = pytest.StashKey[list[str]]()


@pytest.fixture
def report(request: pytest.FixtureRequest) -> list[str]:
    return request.config.stash.setdefault(_LINES, [])


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    lines = config.stash.get(_LINES, [])
    if lines:
        terminalreporter.section("PII scrubber (AN-17)")
        for line in lines:
            terminalreporter.write_line(line)
