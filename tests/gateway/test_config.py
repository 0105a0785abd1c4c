"""Settings that would weaken disclosure control are refused at start-up (SDC-02, SDC-10)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from reports.gateway import K_FLOOR, Gateway, GatewayConfigError, GatewaySettings


@pytest.mark.parametrize("k", [4, 1, 0, -10])
def test_k_below_the_hard_floor_is_refused(k: int) -> None:
    """SDC-02: k = 4 (or less) raises a clear error naming the floor."""
    with pytest.raises(GatewayConfigError, match=f"below the hard floor of {K_FLOOR}"):
        GatewaySettings(k=k)


def test_the_gateway_refuses_settings_forced_below_the_floor() -> None:
    """SDC-02: even settings altered after checking cannot build a gateway with k < 5."""
    settings = GatewaySettings(k=10)
    object.__setattr__(settings, "k", 4)
    with pytest.raises(GatewayConfigError):
        Gateway(settings, today=dt.date.today, rng=random.Random(0))


@pytest.mark.parametrize("k", [True, 7.5, "10"])
def test_k_must_be_a_whole_number(k: object) -> None:
    """SDC-02: k is a count of young people."""
    with pytest.raises(GatewayConfigError):
        GatewaySettings(k=k)  # type: ignore[arg-type]


def test_the_floor_itself_and_the_default_are_allowed() -> None:
    """SDC-02: k = 5 is allowed; the default is 10."""
    assert GatewaySettings(k=K_FLOOR).k == 5
    assert GatewaySettings().k == 10


def test_worker_results_are_off_by_default() -> None:
    """SDC-10: a deployment must opt in to per-worker results."""
    assert GatewaySettings().worker_results is False


@pytest.mark.parametrize(
    "bad", [{"period_kind": "week"}, {"quote_max_changed_ratio": 1.5}, {"quote_min_chars": 0}]
)
def test_other_unsafe_settings_are_refused(bad: dict[str, object]) -> None:
    """SDC-07, AN-18: only months or quarters; ratios are ratios; quotes need a minimum length."""
    with pytest.raises(GatewayConfigError):
        GatewaySettings(**bad)  # type: ignore[arg-type]
