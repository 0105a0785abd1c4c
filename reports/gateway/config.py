"""The gateway's settings, checked once when it is built (SDC-02, SDC-07, SDC-10, SDC-11)."""

from __future__ import annotations

from dataclasses import dataclass

from reports.gateway.periods import KINDS, PeriodKind

K_FLOOR = 5
"""Nobody can configure k below this, whatever the deployment settings say (SDC-02)."""


class GatewayConfigError(ValueError):
    """A setting that would make the gateway unsafe; raised at start-up, never at report time."""


@dataclass(frozen=True)
class GatewaySettings:
    """Per-deployment disclosure settings; the composition root builds this from `Settings`.

    k: minimum number of distinct young people behind any shown figure.
    period_kind: reports are monthly or quarterly, never both (so a quarter can never be
        differenced against its own months).
    worker_results: a single worker's own (banded) results; off unless a deployment opts in.
    quote_min_chars / quote_max_changed_ratio: a quote must be at least this long and the
        scrubber must have changed at most this share of it (AN-18).
    """

    k: int = 10
    period_kind: PeriodKind = "quarter"
    worker_results: bool = False
    quote_min_chars: int = 40
    quote_max_changed_ratio: float = 0.2
    max_quotes: int = 3

    def __post_init__(self) -> None:
        check(self)


def check(settings: GatewaySettings) -> None:
    """Refuse settings that would weaken disclosure control, saying what to change."""
    k = settings.k
    if isinstance(k, bool) or not isinstance(k, int):
        raise GatewayConfigError(f"k must be a whole number, got {k!r}")
    if k < K_FLOOR:
        raise GatewayConfigError(
            f"k = {k} is below the hard floor of {K_FLOOR}: figures based on fewer than "
            f"{K_FLOOR} young people can identify them (SDC-02)"
        )
    if settings.period_kind not in KINDS:
        raise GatewayConfigError(
            f"period_kind must be month or quarter, got {settings.period_kind!r}"
        )
    if settings.quote_min_chars < 1 or settings.max_quotes < 0:
        raise GatewayConfigError("quote_min_chars must be positive and max_quotes not negative")
    if not 0 <= settings.quote_max_changed_ratio <= 1:
        raise GatewayConfigError("quote_max_changed_ratio must be between 0 and 1")
