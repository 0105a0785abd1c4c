"""'You said, we did': a manager writes a response for a closed period; a second person
approves it, and only then do young people see it (after Send, /news, the /news page).

Figures are cited as placeholders (`{favourable:trust}`) and filled at approval from
the cells the gateway shows for that period (SDC-01); see `reports.news` for the rules.
Both steps are audited by the guard (news.write, news.approve) with ids only, never text.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.console.context import Actor, Console
from admin.console.favourable import favourable
from admin.console.guard import NotFound, audit_params
from reports import news as rules
from reports.gateway import Period, Scope
from reports.theme_report import REVIEWER
from storage import catalog
from storage import news as store
from youthvoice.shown_values import news_languages


def _languages(console: Console) -> tuple[str, ...]:
    return news_languages(console.services.settings, console.services.conversations.kit)


def _topics(console: Console) -> list[tuple[str, str]]:
    dims = [(f"dimension:{d.id}", d.label) for d in console.dimensions]
    themes = [(f"theme:{t}", label) for t, label in console.theme_labels.items()]
    return [("", "The whole check-in"), *dims, *themes]


def _line(console: Console) -> rules.Line:
    kit = console.services.conversations.kit
    return lambda lang, said, did: kit.t("news_line", lang, said=said, did=did)


async def _figures(console: Console, period: Period, wanted: set[str]) -> dict[str, str | None]:
    """Each cited dimension's favourable share for the whole organisation, as the
    gateway shows it; None where it is hidden."""
    if not wanted:
        return {}
    reports = await console.reports.period_report(period, Scope.org())
    shown = {r.item: favourable(r.answered, r.distribution) for r in reports}
    return {d: (shown[d].text or None) if d in shown else None for d in wanted}


async def page(
    console: Console, request: Request, actor: Actor, error: str = "", form: object = None
) -> Response:
    async with console.services.db.read() as conn:
        waiting = await store.waiting(conn)
        published = await store.published(conn)
    context = {
        "periods": [str(p) for p in console.reports.periods()],
        "topics": _topics(console),
        "topic_names": dict(_topics(console)),
        "languages": _languages(console),
        "dimensions": [d.id for d in console.dimensions],
        "waiting": waiting,
        "published": published,
        "error": error,
        "form": form or {},
        "max_part": rules.MAX_PART,
        # Each response as young people will read it, so the approver judges the real line.
        "line": lambda lang, parts: _line(console)(lang, parts["said"], parts["did"]),
    }
    return console.render(request, "news.html", context, actor=actor, status=400 if error else 200)


async def write(console: Console, request: Request, actor: Actor) -> Response:
    data = await request.form()
    form = {name: str(value).strip() for name, value in data.items() if name != "csrf"}
    period = console.reports.parse_period(form.get("period", ""))
    if period is None or period not in console.reports.periods():
        return await page(console, request, actor, "Choose a closed period.", form)
    topic = form.get("topic", "")
    if topic not in dict(_topics(console)):
        return await page(console, request, actor, "Choose a topic from the list.", form)
    languages = _languages(console)
    wording = {
        lang: {part: form.get(f"{part}_{lang}", "") for part in rules.PARTS} for lang in languages
    }
    dimensions = [d.id for d in console.dimensions]
    found = rules.problems(wording, languages, dimensions, _line(console))
    if not found:
        found = await _unshareable(console, period, wording)
    if found:
        return await page(console, request, actor, " ".join(found), form)
    async with console.services.db.write() as conn:
        news_id = await store.add(
            conn,
            period=str(period),
            topic=topic or None,
            wording=wording,
            written_by=actor.user.id,
            now=console.now(),
        )
    audit_params(request, {"news": news_id, "period": str(period), "topic": topic or None})
    return RedirectResponse("/admin/news", status_code=303)


async def _unshareable(console: Console, period: Period, wording: rules.Wording) -> list[str]:
    """A quote from young people, or a figure the gateway does not show."""
    out = []
    shown = await _quotes_staff_can_read(console)
    if any(rules.repeats(" ".join(parts.values()), shown) for parts in wording.values()):
        out.append(
            f"It repeats {rules.QUOTE_RUN} or more words in a row from what young "
            "people wrote. Say it in your own words: never quote them."
        )
    figures = await _figures(console, period, rules.figures_cited(wording))
    out += [
        f"The report for {period} does not show {{favourable:{d}}} (too few young people)."
        for d, value in sorted(figures.items())
        if value is None
    ]
    return out


async def _quotes_staff_can_read(console: Console) -> list[str]:
    """Every quote a reviewer of every team is shown, in every closed period: all that a
    manager could have read to copy. Checking these alone keeps the check from answering
    whether words no page shows were ever written (an insider probing it learns nothing)."""
    async with console.services.db.read() as conn:
        teams = frozenset(team for team, _ in await catalog.teams(conn))
    out = []
    for period in console.reports.periods():
        report = await console.reports.themes(period, Scope.org(), REVIEWER, None, teams)
        out += [quote.text for found in report.quotes.values() for quote in found]
    return out


async def approve(console: Console, request: Request, actor: Actor) -> Response:
    news_id = request.path_params["news_id"]
    async with console.services.db.read() as conn:
        item = await store.get(conn, news_id)
    if item is None or item.published_at is not None:
        raise NotFound
    audit_params(request, {"news": news_id, "period": item.period})
    if item.written_by == actor.user.id:
        return await page(
            console, request, actor, "A second person must approve this: not its author."
        )
    period = console.reports.parse_period(item.period)
    if period is None:
        raise NotFound
    figures = await _figures(console, period, rules.figures_cited(item.wording))
    try:
        shown = rules.fill(item.wording, figures)
    except KeyError as hidden:
        message = f"The report for {period} no longer shows {{{hidden.args[0]}}}."
        return await page(console, request, actor, message)
    async with console.services.db.write() as conn:
        done = await store.approve(conn, news_id, actor.user.id, shown, console.now())
    if not done:
        raise NotFound
    await console.services.refresh_news()
    return RedirectResponse("/admin/news", status_code=303)
