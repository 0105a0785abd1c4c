"""Operational metrics for Prometheus (REL-18), one registry per `Services`, never the
library's global one, so two services in one process (tests, a benchmark) never mix.

Counters are read at scrape time from the totals the parts already keep (the Telegram
channel's `Counts`, the database's busy errors); the queue gauges are read from the
database at scrape time, so they cover every process, not only this one. No metric has
a label but `kind` (an update's kind from the ingest whitelist), and no value is an id,
a time finer than the hour, or anything a young person wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Gauge, ProcessCollector, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.telegram.counts import Counts
from storage import help_requests, outbox
from storage.db import Database


class _Totals(Collector):
    """The running totals, as counters."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.telegram = Counts()  # all zero until a Telegram channel is built

    def collect(self) -> Iterator[Metric]:
        t = self.telegram
        updates = CounterMetricFamily(
            "youthvoice_telegram_updates",
            "Telegram updates handled, by kind (re-deliveries of handled ones included)",
            labels=["kind"],
        )
        for kind, count in sorted(t.updates.items()):
            updates.add_metric([kind], count)
        yield updates
        for name, doc, value in (
            ("telegram_duplicate_updates", "Updates delivered again and skipped", t.duplicates),
            ("telegram_update_failures", "Failed attempts at an update (retried)", t.failures),
            ("telegram_updates_given_up", "Updates apologised for after every retry", t.given_up),
            ("telegram_rate_limited", "Bot API answers 429 (too many requests)", t.rate_limited),
            ("telegram_send_retries", "Bot API calls made again after a failure", t.send_retries),
            ("telegram_dead_letters", "Messages dropped past OUTBOX_MAX_AGE_HOURS", t.dead_letters),
            ("sqlite_busy", "Write transactions SQLite refused as busy", self.db.busy_errors),
        ):
            yield CounterMetricFamily(f"youthvoice_{name}", doc, value=value)


class Metrics:
    def __init__(self, db: Database, clock: Callable[[], dt.datetime]) -> None:
        self._db = db
        self._clock = clock
        self.registry = CollectorRegistry()
        self._totals = _Totals(db)
        self.registry.register(self._totals)
        ProcessCollector(registry=self.registry)  # memory and CPU: headroom at a glance
        self._outbox_depth = self._gauge(
            "outbox_messages", "Messages waiting in the outbox (every process)"
        )
        self._outbox_age = self._gauge(
            "outbox_oldest_age_seconds",
            "Age of the oldest waiting message, from the hour it was written; 0 when none",
        )
        self._help_age = self._gauge(
            "help_queue_oldest_age_seconds",
            "Age of the oldest open help request, from the hour it came in; 0 when none",
        )

    def _gauge(self, name: str, doc: str) -> Gauge:
        return Gauge(f"youthvoice_{name}", doc, registry=self.registry)

    def watch(self, telegram: Counts) -> None:
        """Report the Telegram channel's totals."""
        self._totals.telegram = telegram

    async def scrape(self) -> bytes:
        """The exposition text, with the queue gauges read from the database now."""
        now = self._clock()
        async with self._db.read() as conn:
            depth, oldest = await outbox.backlog(conn)
            waiting = await help_requests.oldest_open(conn)
        self._outbox_depth.set(depth)
        self._outbox_age.set(_age(now, oldest))
        self._help_age.set(_age(now, waiting))
        return generate_latest(self.registry)


def _age(now: dt.datetime, since: dt.datetime | None) -> float:
    return max(0.0, (now - since).total_seconds()) if since is not None else 0.0
