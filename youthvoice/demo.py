"""A clearly labelled demo organisation for a first look (DEMO_DATA=true, empty database).

Four teams ("DEMO ..."), twelve workers, invite links, and synthetic submissions over the
six quarters before this one, with scores that move and comments that do not repeat
within a quarter. The three larger teams reach the minimum number of young people
(K_THRESHOLD, 10 by default) in most quarters; the smallest never does in any period.
The open quarter holds only a few check-ins, as early in a real quarter. Scores come from
a seeded generator, so the demo looks the same on every machine; keys are random like
real ones (AN-09).

Console accounts for each role are created too (not with ENV=prod), marked as demo
accounts: with DEMO_DATA=true only these may sign in without a second factor. Their one
random password is printed on the first run only and kept in DATA_DIR/demo-login
(readable by this user only) for `youthvoice demo logins`.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy.ext.asyncio import AsyncConnection

from reports.gateway import closed_periods
from storage import catalog, demo_data, news
from storage.demo_data import DemoComment, DemoSubmission
from youthvoice.bootstrap import Services
from youthvoice.settings import Settings

DEMO_PREFIX = "DEMO"
FLOW = "relationship-checkin"
QUARTERS = 6  # closed quarters of history, so trends and sparklines have six points
SEED = 2026
POSTER = f"{DEMO_PREFIX} poster: Northside"
LOGIN_FILE = "demo-login"
ROLES = ("manager", "reviewer", "dsl", "admin", "worker")

# name, workers, submissions a month, typical score. The last team is the small one.
# Valley's five a month sits near k: it passes in most quarters, not all.
TEAMS = (
    ("Northside Youth Team", ("Jordan Ellis", "Priya Nair", "Sam Okoro", "Megan Hughes"), 8, 3.9),
    ("Riverside Outreach", ("Tom Baptiste", "Aisha Rahman", "Lewis Carter"), 6, 3.4),
    ("Valley Leaving Care", ("Ffion Morgan", "Dan Whitfield", "Grace Adeyemi"), 4, 3.1),
    ("Harbour Drop-in", ("Owen Price", "Nia Evans"), 0, 3.8),
)
COMMENT_RATE = 0.55  # chance that a submission answers each free-text question
SMALL_TEAM_TOTAL = 4  # below the hard floor of 5, so below any k a deployment can set
OPEN_TOTAL = 3  # check-ins so far in the open quarter, for the whole organisation
# Power-sharing scores lowest and being treated as a person highest, as in the literature.
ITEMS = {
    "trust": 0.2,
    "relatability": 0.0,
    "heard": 0.1,
    "power": -0.6,
    "agency": -0.2,
    "aliveness": 0.3,
}
# Movement over the six closed quarters (oldest first), added to every team's mood: power-
# sharing climbs steadily, being listened to jumps in the last quarter (a listening
# practice the demo service adopted), relatability dips and recovers. The jump is large
# enough for the dashboard to name it as a change beyond noise.
TRENDS = {
    "power": (-0.3, -0.2, 0.0, 0.1, 0.3, 0.4),
    "heard": (-0.4, -0.4, -0.3, -0.4, -0.6, 1.4),
    "relatability": (0.2, 0.0, -0.4, -0.5, -0.1, 0.1),
}
# Light changes of wording so that no comment text repeats within a quarter: a reviewer's
# quotes are then distinct, while each theme still gathers enough young people to show.
WORDINGS = ("{}", "{} tbh", "honestly {}", "{} to be fair", "{} ngl", "tbh {}", "{}!!", "{} lol")


@dataclass(frozen=True)
class DemoLogin:
    usernames: tuple[str, ...]
    password: str


@dataclass(frozen=True)
class DemoInfo:
    """`login` is set only on the run that made the accounts, so the password is printed
    once; `accounts` says whether there are demo logins to look up later."""

    invite_code: str
    login: DemoLogin | None = None
    accounts: bool = False


async def seed_if_empty(services: Services) -> DemoInfo | None:
    """Seed the demo into an empty database. If the demo is already there, say how to
    reach it again; if the database holds a real organisation, None."""
    async with services.db.read() as conn:
        teams = await catalog.teams(conn)
        invites = await catalog.invites(conn)
    if teams:
        poster = next((i for i in invites if i.label == POSTER), None)
        has_login = read_login(services.settings) is not None
        return DemoInfo(poster.code, None, has_login) if poster else None
    now = services.clock()
    rng = random.Random(SEED)  # noqa: S311 - synthetic scores, not secrets: same demo everywhere
    async with services.db.write() as conn:
        team_ids, workers, code = await _organisation(conn, now)
        plan = _submissions(rng, team_ids, workers, _months(services, now))
        _add_comments(rng, plan)
        await demo_data.insert_submissions(conn, plan)
        await demo_data.insert_safety_counts(conn, _safety_counts(rng, plan))
        await demo_data.insert_help_request(
            conn,
            services.sealer.seal(
                "DEMO (not a real young person): ring the youth centre and ask for me on Tuesday"
            ),
            now - dt.timedelta(hours=20),
            team_ids[0],
        )
        await _news(conn, services, now)
    await services.refresh_scrubber()
    login = await _accounts(services, team_ids, workers[team_ids[0]][0], now)
    return DemoInfo(code, login, login is not None)


# One published "You said, we did" (issue 15), so /news and the end of a check-in show one.
DEMO_NEWS = {
    "en": {
        "said": "sessions kept being moved at short notice",
        "did": "now agree any change with you at least two days ahead",
    },
    "cy": {
        "said": "bod sesiynau'n cael eu symud ar fyr rybudd o hyd",
        "did": "nawr yn cytuno ar unrhyw newid gyda ti o leiaf ddau ddiwrnod ymlaen llaw",
    },
}


async def _news(conn: AsyncConnection, services: Services, now: dt.datetime) -> None:
    """Written and approved by two labelled demo people, as the console requires."""
    settings = services.settings
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    (period,) = closed_periods(today, settings.report_period, 1)
    item = await news.add(
        conn,
        period=str(period),
        topic="theme:reliability",
        wording=DEMO_NEWS,
        written_by=f"{DEMO_PREFIX} manager",
        now=now,
    )
    await news.approve(conn, item, f"{DEMO_PREFIX} reviewer", DEMO_NEWS, now)


async def _organisation(
    conn: AsyncConnection, now: dt.datetime
) -> tuple[list[str], dict[str, list[str]], str]:
    """Teams, workers and invite links; returns the team ids, their workers, the poster code."""
    team_ids: list[str] = []
    workers: dict[str, list[str]] = {}
    code = ""
    for name, people, _, _ in TEAMS:
        team = await catalog.add_team(conn, f"{DEMO_PREFIX} {name}")
        team_ids.append(team)
        workers[team] = [await catalog.add_worker(conn, team, person) for person in people]
        label = f"{DEMO_PREFIX} poster: {name.split()[0]}"
        invite = await catalog.add_invite(conn, team_id=team, flow_id=FLOW, label=label, now=now)
        code = invite.code if label == POSTER else code
    first = team_ids[0]
    await catalog.add_invite(
        conn,
        team_id=first,
        worker_id=workers[first][0],
        flow_id=FLOW,
        label=f"{DEMO_PREFIX} link: Jordan's group",
        now=now,
    )
    old = await catalog.add_invite(
        conn,
        team_id=first,
        flow_id=FLOW,
        label=f"{DEMO_PREFIX} old poster (revoked)",
        now=now - dt.timedelta(days=120),
    )
    await catalog.revoke_invite(conn, old.id, now - dt.timedelta(days=30))
    return team_ids, workers, code


def _months(services: Services, now: dt.datetime) -> list[list[str]]:
    """The months of the six closed quarters before this one (oldest first), then this
    quarter's months up to now (open, so reports do not show it yet)."""
    current = services.conversations.period(now)
    year, month = (int(part) for part in current.split("-"))
    this_quarter = year * 12 + (month - 1) // 3 * 3  # months since year 0 at quarter start

    def name(index: int) -> str:
        y, m = divmod(index, 12)
        return f"{y:04d}-{m + 1:02d}"

    start = this_quarter - 3 * QUARTERS
    closed = [[name(start + 3 * q + m) for m in range(3)] for q in range(QUARTERS)]
    opened = [name(i) for i in range(this_quarter, year * 12 + month)]
    return [*closed, opened]


def _submissions(
    rng: random.Random,
    team_ids: list[str],
    workers: dict[str, list[str]],
    quarters: list[list[str]],
) -> list[DemoSubmission]:
    plan = []
    closed, opened = quarters[:-1], quarters[-1]
    for (_, _, per_month, typical), team in zip(TEAMS, team_ids, strict=True):
        people = workers[team]
        leaning = {w: rng.uniform(-0.3, 0.3) for w in people}
        for index, months in enumerate(closed if per_month else []):
            for period in months:
                for _ in range(max(0, per_month + rng.randint(-1, 1))):
                    # Most links are a worker's own; some are team posters.
                    worker = rng.choice(people) if rng.random() < 0.85 else None
                    mood = typical + (leaning[worker] if worker else 0)
                    plan.append(_one(rng, period, team, worker, mood, index))
        if per_month == 0:
            for period in rng.sample([m for q in closed for m in q], SMALL_TEAM_TOTAL):
                plan.append(_one(rng, period, team, rng.choice(people), typical, QUARTERS - 1))
    for _ in range(OPEN_TOTAL):
        team = rng.choice(team_ids[:-1])
        plan.append(_one(rng, rng.choice(opened), team, None, TEAMS[0][3], QUARTERS - 1))
    return plan


def _one(
    rng: random.Random, period: str, team: str, worker: str | None, mood: float, quarter: int
) -> DemoSubmission:
    answers: list[tuple[str, int | None, str]] = []
    for item, base in ITEMS.items():
        shift = base + TRENDS.get(item, (0.0,) * QUARTERS)[quarter]
        roll = rng.random()
        if roll < 0.06:
            answers.append((item, None, "skip"))
        elif roll < 0.09:
            answers.append((item, None, "pns"))
        else:
            value = round(rng.gauss(mood + shift, 0.9))
            answers.append((item, min(5, max(1, value)), "answered"))
    return DemoSubmission(period, team, worker, FLOW, 1, tuple(answers))


def _add_comments(rng: random.Random, plan: list[DemoSubmission]) -> None:
    """Give most submissions one or two theme-tagged comments from the written ones.

    There are only about forty written comments, so each is used by several submissions:
    without that, no theme would reach k young people in a period and every theme cell
    would be held back. A repeat within a quarter takes the next of a few light changes of
    wording (`WORDINGS`), so no two comments in a quarter read the same.
    """
    from themes.framework import ThemeTagger

    tagger = ThemeTagger.load()
    texts = resources.files("youthvoice").joinpath("demo_comments.yml").read_text("utf-8")
    written = yaml.safe_load(texts)
    used: set[tuple[str, str]] = set()  # (quarter, text)

    def fresh(quarter: str, text: str) -> str:
        wording = next(
            (w.format(text) for w in WORDINGS if (quarter, w.format(text)) not in used),
            text,
        )
        used.add((quarter, wording))
        return wording

    # Tagged once per written text: a change of wording does not change what it is about.
    themes = {
        (q, text): tuple((t.theme, t.polarity) for t in tagger.tag(text, q))
        for q, items in written.items()
        for text in items
    }
    for index, sub in enumerate(plan):
        quarter = _quarter(sub.period)
        chosen = [(q, rng.choice(written[q])) for q in written if rng.random() < COMMENT_RATE]
        comments = tuple(
            DemoComment(q, fresh(quarter, text), themes[q, text]) for q, text in chosen
        )
        plan[index] = replace(sub, comments=comments)


def _quarter(month: str) -> str:
    year, m = month.split("-")
    return f"{year}-Q{(int(m) - 1) // 3 + 1}"


def _safety_counts(
    rng: random.Random, plan: list[DemoSubmission]
) -> list[tuple[str, str, str, int]]:
    """Unlinked counters as the engine keeps them: starts, sends, stops, help, pauses."""
    sent: dict[str, int] = {}
    for sub in plan:
        sent[sub.period] = sent.get(sub.period, 0) + 1
    rows = []
    for period, n in sorted(sent.items()):
        rows += [
            (period, "start", "", n + rng.randint(2, 6)),
            (period, "sent", "", n),
            (period, "stop", "", rng.randint(1, 4)),
            (period, "help", "", rng.randint(0, 3)),
            (
                period,
                "disclosure",
                rng.choice(("help_request", "self_harm", "neglect")),
                rng.randint(0, 2),
            ),
        ]
    return rows


async def _accounts(
    services: Services, team_ids: list[str], worker_id: str, now: dt.datetime
) -> DemoLogin | None:
    """One console account per role, sharing a random password saved for later runs."""
    if services.settings.env == "prod":
        return None
    from admin.console.passwords import Passwords
    from storage import accounts

    password = secrets.token_urlsafe(12)
    hashed = Passwords().hash(password)
    names = tuple(f"demo-{role}" for role in ROLES)
    async with services.db.write() as conn:
        for role, username in zip(ROLES, names, strict=True):
            await accounts.add_user(
                conn,
                username=username,
                password_hash=hashed,
                role=role,
                team_ids=team_ids if role != "worker" else team_ids[:1],
                now=now,
                worker_id=worker_id if role == "worker" else None,
                demo=True,
            )
    path = _login_path(services.settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(f"{' '.join(names)}\n{password}\n", encoding="utf-8")
    return DemoLogin(names, password)


def read_login(settings: Settings) -> DemoLogin | None:
    path = _login_path(settings)
    if not path.exists():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    return DemoLogin(tuple(lines[0].split()), lines[1]) if len(lines) >= 2 else None


def _login_path(settings: Settings) -> Path:
    return settings.data_dir / LOGIN_FILE
