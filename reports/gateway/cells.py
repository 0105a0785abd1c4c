"""`Cell`: one figure exactly as the screen and the CSV export show it (SDC-12)."""

from __future__ import annotations

from dataclasses import dataclass

NOT_YET = "not yet available"
NOT_AVAILABLE = "not available"
NOT_IN_CATALOGUE = "not in the report catalogue"
PROTECTED = "hidden to protect another group"
TOO_ALIKE = "hidden: answers too alike to show safely"
WORKER_RESULTS_OFF = "worker results are turned off"
BANDED = "small group: shown as a band"
AUDITED = "hidden so that other figures cannot be used to work out a small group"


def fewer_than(k: int) -> str:
    return f"fewer than {k}"


@dataclass(frozen=True)
class Cell:
    """A shown figure, a band, or a hidden figure with the reason it is hidden.

    `text` is the only thing ever displayed or exported. `value` is the number a chart
    may draw (None for bands and hidden cells); it always equals what `text` says, so a
    chart cannot show more than the table beside it.
    """

    text: str
    value: int | float | None = None
    suppressed: bool = False
    reason: str | None = None

    @classmethod
    def number(cls, value: int | float, text: str) -> Cell:
        return cls(text=text, value=value)

    @classmethod
    def band(cls, label: str) -> Cell:
        return cls(text=label, reason=BANDED)

    @classmethod
    def hidden(cls, reason: str) -> Cell:
        return cls(text=reason, suppressed=True, reason=reason)
