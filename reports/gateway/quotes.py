"""Representative quotes (SDC-11, AN-18): reviewers only, few, shuffled, and bare.

A quote is offered only if its group had at least k young people, it is long enough not
to be a give-away phrase, and the scrubber changed little of it (heavily redacted text
means it was full of names and places). Up to `max_quotes` are drawn in random order, so
position says nothing about when or where a comment was written, and a comment is never
shown to the worker it is about.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from reports.gateway.config import GatewaySettings
from reports.gateway.inputs import QuoteCandidate
from reports.gateway.results import Quote

REVIEWER = "reviewer"


def pick_quotes(
    settings: GatewaySettings,
    rng: random.Random,
    role: str,
    candidates: Sequence[QuoteCandidate],
    viewer_worker_id: str | None,
) -> list[Quote]:
    if role != REVIEWER:
        return []
    usable = [
        c.text.strip()
        for c in candidates
        if c.cell_respondents >= settings.k
        and len(c.text.strip()) >= settings.quote_min_chars
        and 0 <= c.changed_ratio <= settings.quote_max_changed_ratio
        and (c.worker_id is None or c.worker_id != viewer_worker_id)
    ]
    chosen = rng.sample(usable, min(settings.max_quotes, len(usable)))
    return [Quote(text) for text in chosen]
