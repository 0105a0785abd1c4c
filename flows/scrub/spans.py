"""Found pieces of identifying text, and how clashes between finders are settled."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Lower tier wins a clash: an email beats the @handle inside it, an NHS number beats the
# phone-shaped digits it also matches, and the organisation's own deny-lists of staff and
# places beat a name guessed from the general first-name list ("St Mary's" is a place).
TIERS = {
    "EMAIL": 0,
    "URL": 1,
    "HANDLE": 2,
    "NHS": 3,
    "NINO": 4,
    "PHONE": 5,
    "POSTCODE": 6,
    "DATE": 7,
}
LISTED = 8
GUESSED = 9


@dataclass(frozen=True, slots=True)
class Redaction:
    """Characters ``start:end`` of the text are a `kind` (``NAME``, ``PHONE``...)."""

    start: int
    end: int
    kind: str
    tier: int


def settle(found: Iterable[Redaction]) -> list[Redaction]:
    """Non-overlapping redactions in text order: by tier, then the longest, first."""
    kept: list[Redaction] = []
    for candidate in sorted(found, key=lambda r: (r.tier, r.start - r.end, r.start)):
        if all(candidate.end <= other.start or candidate.start >= other.end for other in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda r: r.start)
