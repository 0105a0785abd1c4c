"""What the Telegram channel counts for the operator's metrics (REL-18): totals, and
updates by kind at most. Never a chat id, an update id or a text, so nothing here can
say who wrote or what they said."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.delivery.sender import SendCounts


@dataclass
class Counts(SendCounts):  # with rate_limited, send_retries and dead_letters
    updates: Counter[str] = field(default_factory=Counter)  # handled, by ingest kind
    duplicates: int = 0  # delivered again after they were handled (REL-01), skipped
    failures: int = 0  # attempts at an update that failed, to be tried again (REL-05)
    given_up: int = 0  # updates apologised for after every retry (REL-05)
