"""The composition root: the one place that builds the engine kit, database, services
and channels from settings. Nothing is built at import time anywhere else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bot.conversation import ConversationService
from flows.kit import Kit
from flows.loader import load_copy, load_flows, load_helplines
from flows.model import Flow
from flows.safety.detector import DisclosureDetector
from flows.scrub.scrubber import Scrubber
from storage import catalog, migrate
from storage.committer import GroupCommitter
from storage.conversations import Job, apply_batch
from storage.db import Database, private_folder
from storage.sealing import Sealer
from themes.framework import ThemeTagger
from youthvoice.settings import Settings


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

    async def refresh_scrubber(self) -> None:
        """Workers are added in the console; their names join the scrubber's deny-list."""
        self.conversations.kit = await build_kit(self.settings, self.db, self.detector)

    async def close(self) -> None:
        await self.committer.close()
        await self.db.dispose()


async def build_kit(settings: Settings, db: Database, detector: DisclosureDetector) -> Kit:
    async with db.read() as conn:
        staff = [*await catalog.staff_names(conn), *settings.staff()]
    scrubber = Scrubber.load(
        staff_names=staff, place_names=settings.places(), region=settings.country
    )
    return Kit(
        copy=load_copy(),
        helplines=load_helplines(settings.country),
        detect=detector.detect,
        scrub=lambda text: scrubber.scrub(text).text,
        names={
            "org_name": settings.org_name,
            "concern_contact": settings.concern_contact,
            "retention": settings.retention_words,
            "privacy_url": settings.privacy_link,
        },
    )


async def bootstrap(
    settings: Settings, *, clock: Callable[[], dt.datetime] = utc_now, migrate_db: bool = True
) -> Services:
    pepper = settings.pepper_bytes()
    sealer = Sealer(settings.data_key_bytes())
    private_folder(settings.data_dir)
    if migrate_db:
        await migrate.upgrade(settings.db_url)
    db = Database(settings.db_url)
    await db.self_test()
    committer = GroupCommitter(db, apply_batch)
    flows = load_flows()
    detector = DisclosureDetector.load()
    tagger = ThemeTagger.load()
    service = ConversationService(
        db=db,
        committer=committer,
        flows=flows,
        kit=await build_kit(settings, db, detector),
        pepper=pepper,
        clock=clock,
        timezone=settings.timezone,
        report_period=settings.report_period,
        ttl=dt.timedelta(hours=settings.conversation_ttl_hours),
        # Themes are tagged on scrubbed text only, on this machine (CC-17).
        tag=lambda text, question: tuple((t.theme, t.polarity) for t in tagger.tag(text, question)),
        receipt_tries_per_hour=settings.receipt_tries_per_hour,
    )
    return Services(settings, db, committer, flows, service, detector, clock, sealer)
