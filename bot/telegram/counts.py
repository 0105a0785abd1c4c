"""What the Telegram channel counts for the operator's metrics (REL-18): totals, and
updates by kind at most. Never a chat id, an update id or a text, so nothing here can
say who wrote or what they said."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Counts:
    updates: Counter[str] = field(default_factory=Counter)  # handled, by ingest kind
    duplicates: int = 0  # delivered again after they were handled (REL-01), skipped
    failures: int = 0  # attempts at an update that failed, to be tried again (REL-05)
    given_up: int = 0  # updates apologised for after every retry (REL-05)
    rate_limited: int = 0  # 429 answers (REL-07)
    send_retries: int = 0  # calls made again after a 429, a 5xx, a time-out or a network error
    dead_letters: int = 0  # messages dropped past OUTBOX_MAX_AGE_HOURS
