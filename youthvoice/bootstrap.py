"""The composition root: the one place that builds the engine kit, database, services
and channels from settings. Nothing is built at import time anywhere else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial

from bot.conversation import ConversationService
from bot.pacing import Allowance, ClientPacer
from flows.kit import Kit
from flows.loader import load_copy, load_flows, load_helplines
from flows.model import Flow
from flows.safety.detector import DisclosureDetector
from flows.scrub.scrubber import Scrubber
from storage import catalog, migrate, question_sets
from storage import news as news_store
from storage.committer import GroupCommitter
from storage.conversations import Job, apply_batch
from storage.db import Database, private_folder
from storage.housekeeping import Keep
from storage.pace import PaceLimits
from storage.sealing import Sealer
from themes.framework import QUESTIONS, ThemeTagger
from youthvoice.dsl_alerts import AlertChannels, DslAlerts
from youthvoice.metrics import Metrics
from youthvoice.settings import Settings
from youthvoice.shown_values import young_people_values


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Services:
    settings: Settings
    db: Database
    committer: GroupCommitter[Job]
    flows: dict[str, Flow]
    conversations: ConversationService
    detector: DisclosureDetector
    clock: Callable[[], dt.datetime]
    sealer: Sealer
    pacer: ClientPacer
    alerts: DslAlerts
    metrics: Metrics

    @property
    def keep(self) -> Keep:
        """How long housekeeping keeps each kind of record, from settings."""
        s = self.settings
        return Keep(
            answers_months=s.retention_months,
            period_months=3 if s.report_period == "quarter" else 1,
            help_request_days=s.help_request_retention_days,
            audit_months=s.audit_retention_months,
        )

    async def refresh_scrubber(self) -> None:
        """Workers are added in the console; their names join the scrubber's deny-list."""
        self.conversations.kit = await build_kit(self.settings, self.db, self.detector)

    async def refresh_news(self) -> None:
        """A "You said, we did" was approved: conversations show it from the next Send.
        (Other processes pick it up at their next housekeeping round, which rebuilds the kit.)"""
        kit = self.conversations.kit
        self.conversations.kit = replace(kit, news=await latest_news(self.db))

    async def refresh_questions(self) -> None:
        """A question-set version was published: new check-ins get it; those under way
        finish on theirs. (Other processes pick it up at their next housekeeping round.)"""
        for flow in await published_flows(self.db, self.settings.flow_options):
            self.conversations.use(flow)

    async def close(self) -> None:
        await self.committer.close()
        await self.db.dispose()


async def build_kit(settings: Settings, db: Database, detector: DisclosureDetector) -> Kit:
    async with db.read() as conn:
        staff = [*await catalog.staff_names(conn), *settings.staff()]
    scrubber = Scrubber.load(
        staff_names=staff, place_names=settings.places(), region=settings.country
    )
    copy = load_copy()
    helplines = load_helplines(settings.country)
    helplines.check_region(settings.region)
    return Kit(
        copy=copy,
        helplines=helplines,
        region=settings.region,
        detect=detector.detect,
        scrub=lambda text: scrubber.scrub(text).text,
        names=young_people_values(settings, copy.languages),
        news=await latest_news(db),
    )


async def latest_news(db: Database) -> dict[str, tuple[str, str]]:
    """The latest published "You said, we did", per language, as young people read it."""
    async with db.read() as conn:
        latest = await news_store.published(conn, limit=1)
    shown = latest[0].shown if latest else None
    return {lang: (parts["said"], parts["did"]) for lang, parts in (shown or {}).items()}


async def published_flows(db: Database, options: Iterable[str]) -> list[Flow]:
    """Every question-set version published in the console, oldest first, as asked here."""
    async with db.read() as conn:
        versions = await question_sets.published(conn)
    return [v.flow.with_options(options) for v in versions]


async def bootstrap(
    settings: Settings, *, clock: Callable[[], dt.datetime] = utc_now, migrate_db: bool = True
) -> Services:
    pepper = settings.pepper_bytes()
    sealer = Sealer(settings.data_key_bytes())
    private_folder(settings.data_dir)
    if migrate_db:
        await migrate.upgrade(settings.db_url, data_key=settings.data_key_bytes())
    db = Database(settings.db_url, wipe_after=settings.wal_wipe_seconds)
    await db.self_test()
    limits = PaceLimits(
        invite_hour=settings.pace_invite_per_hour,
        invite_day=settings.pace_invite_per_day,
        org_hour=settings.pace_org_per_hour,
        org_day=settings.pace_org_per_day,
    )
    committer = GroupCommitter(db, partial(apply_batch, limits=limits))
    pacer = build_pacer(settings)
    flows = load_flows(options=settings.flow_options)
    detector = DisclosureDetector.load()
    tagger = ThemeTagger.load()
    service = ConversationService(
        db=db,
        committer=committer,
        flows=flows,
        kit=await build_kit(settings, db, detector),
        pepper=pepper,
        clock=clock,
        sealer=sealer,
        timezone=settings.timezone,
        report_period=settings.report_period,
        ttl=dt.timedelta(hours=settings.conversation_ttl_hours),
        # Themes are tagged on scrubbed text only, on this machine (CC-17). Words for a
        # question the tagger has no rule for (the co-design "question for next time")
        # take their polarity from the words, and are counted like any other theme.
        tag=lambda text, question: tuple(
            (t.theme, t.polarity)
            for t in tagger.tag(text, question if question in QUESTIONS else None)
        ),
        pacer=pacer,
        receipt_tries_per_hour=settings.receipt_tries_per_hour,
    )
    for flow in await published_flows(db, settings.flow_options):
        service.use(flow)
    alerts = DslAlerts(
        db,
        clock,
        AlertChannels.from_settings(settings),
        dt.timedelta(seconds=settings.dsl_alert_window_seconds),
        dt.timedelta(hours=settings.dsl_alert_overdue_hours),
    )
    return Services(
        settings,
        db,
        committer,
        flows,
        service,
        detector,
        clock,
        sealer,
        pacer,
        alerts,
        Metrics(db, clock),
    )


def build_pacer(settings: Settings) -> ClientPacer:
    """Per-client allowances (in memory only, see `bot.pacing`): starts and Sends share
    one setting, as a check-in is one of each; "Get help now" (counted) and "talk to a
    person" (queued) share another, each with a bucket of its own."""
    checkins = Allowance(
        settings.pace_client_checkins_burst, settings.pace_client_checkins_per_hour
    )
    help_requests = Allowance(settings.pace_client_help_burst, settings.pace_client_help_per_hour)
    return ClientPacer(
        {"start": checkins, "send": checkins, "help": help_requests, "person": help_requests}
    )
