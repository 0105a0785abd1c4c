"""The ONS cell key method (SDC-14): the same small noise on a cell, every time it is shown.

As in Census 2021: every submission gets a random record key, 0..255, when it is stored.
A cell's key is the sum of its records' keys mod 256, plus a secret offset for that cell
(below), and the cell's published count is its true count moved by the p-table entry for
(true count, cell key). The noise is a lookup, not a fresh draw: asking for the same cell
again, on another page, in an export or next year, gives the same value, so it cannot be
averaged away.

Why the secret offset: a cell with no records has key 0 whoever looks, so its noise
would be public, and an insider who pads every answer but one could tell an empty cell
(always the same) from a cell holding one real young person. The offset, from a key the
deployment keeps, makes an empty cell's key as unknown as a full one's.

The p-table (`PTABLE`): for a true count n of 2 or more the published count is n-2, n-1,
n, n+1 or n+2, each for about a fifth of the cell keys (51, 51, 52, 51, 51 of 256). For
n = 0 and 1 the moves that would go below zero publish 0 instead. Why so flat: an insider
who pads a group with answers they know and subtracts them is left with one noisy count
per answer; with this table their best guess of one real young person's answer on a
five-point question is right 40% of the time (chance is 20%), and with the ONS-style
table that mostly leaves counts alone (half at 0) it would be 52%. The cost is that a
team's count can be off by up to 2 per answer; an empty answer shows 0.6 too many on
average (the README gives the figures). Counts shown as counts are never published
between 1 and k-1: a count the gateway shows (true count at least k) is published as at
least k.
"""

from __future__ import annotations

import hashlib
import hmac

SLOTS = (51, 51, 52, 51, 51)
"""How many of the 256 cell keys move a count by -2, -1, 0, +1, +2."""
OFFSETS = (-2, -1, 0, 1, 2)
MAX_MOVE = 2


def _moves() -> tuple[int, ...]:
    out: list[int] = []
    for move, slots in zip(OFFSETS, SLOTS, strict=True):
        out.extend([move] * slots)
    assert len(out) == 256
    return tuple(out)


PTABLE = _moves()
"""Cell key -> move; the same column for every count, cut at zero (see the module doc)."""


def perturb(n: int, key: int) -> int:
    """The published count for true count n in a cell with this key (0..255)."""
    return max(0, n + PTABLE[key % 256])


def preimage(published: int) -> tuple[int, int]:
    """The true counts that could have been published as `published`: what a reader knows."""
    return max(0, published - MAX_MOVE), published + MAX_MOVE


class CellKeys:
    """Cell keys for one deployment: `secret` (derived from the data key) gives each cell
    its offset; `key()` adds the records' key sum to it."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def key(self, cell: str, record_keys: int) -> int:
        offset = hmac.new(self._secret, cell.encode(), hashlib.sha256).digest()[0]
        return (record_keys + offset) % 256

    def publish(self, cell: str, n: int, record_keys: int) -> int:
        return perturb(n, self.key(cell, record_keys))
