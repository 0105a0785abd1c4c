"""The public /news page (issue 15) in Chromium: the organisation's published "You said,
we did", in English and Welsh, with 0 axe-core violations (WCAG 2.2 AA), nothing loaded
from another site and no cookie set (CC-16: no tracking); and the console page where a
manager writes one, with 0 violations too.

With `--update-screenshots` it rewrites docs/news-en.png and docs/news-cy.png for the
README; otherwise they go to a temporary folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.browser.dashboard_live import Server, login, running
from tests.browser.test_chat_a11y import RULES, small_targets
from tests.webchat.live import LiveServer, Phone, phone, serve
from youthvoice.demo import DEMO_NEWS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DOCS = Path(__file__).resolve().parents[2] / "docs"
HEADINGS = {"en": "You said, we did", "cy": "Dywedoch chi, gwnaethon ni"}
LINES = {
    "en": "Young people said {said}; we {did}.",
    "cy": "Dywedodd pobl ifanc {said}; rydyn ni {did}.",
}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve(tmp_path_factory.mktemp("news") / "var") as server:  # demo data: one published
        yield server


@pytest.fixture
def person(chromium: Browser, live: LiveServer) -> Iterator[Phone]:
    young = phone(chromium, live.base)
    yield young
    young.context.close()
    assert young.outside == [], "nothing is loaded from another site"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_news_page_in_each_language(
    person: Phone, live: LiveServer, lang: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    page = person.page
    response = page.goto(f"{live.base}/news" + ("" if lang == "en" else "?lang=cy"))
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").inner_text() == HEADINGS[lang]
    assert LINES[lang].format(**DEMO_NEWS[lang]) in page.locator("main").inner_text()
    results = Axe().run(page, options=RULES)
    assert results.violations_count == 0, results.generate_report()
    assert small_targets(page) == []
    assert person.context.cookies() == [], "no cookie: nobody is tracked"
    other = "cy" if lang == "en" else "en"
    assert page.locator(f"main a[hreflang={other}]").count() == 1
    shots = DOCS if request.config.getoption("--update-screenshots") else tmp_path
    page.screenshot(path=str(shots / f"news-{lang}.png"), full_page=True)


def test_the_audit_would_catch_a_problem(person: Phone, live: LiveServer) -> None:
    """The check can fail: an image with no text alternative is a violation."""
    page = person.page
    page.goto(f"{live.base}/news")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert Axe().run(page, options=RULES).violations_count > 0


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(Path(tmp_path_factory.mktemp("news-console"))) as server:
        yield server


def test_console_news_page_is_accessible(chromium: Browser, console: Server) -> None:
    """The manager's "You said, we did" page: empty, with a refusal, and with one waiting
    for a second person, each with 0 axe-core violations."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    base = login(page, console)
    page.goto(f"{base}/admin/news")
    checked = [Axe().run(page, options=RULES)]
    page.fill("textarea[name=said_en]", "they wanted “more time”")
    page.fill("textarea[name=did_en]", "added an hour on Thursdays")
    page.click("form[action='/admin/news'] button[type=submit]")
    assert "no quotation marks" in page.locator("[role=alert]").inner_text()
    checked.append(Axe().run(page, options=RULES))
    page.fill("textarea[name=said_en]", "they wanted more time, and {favourable:heard} felt heard")
    page.click("form[action='/admin/news'] button[type=submit]")
    page.wait_for_url(f"{base}/admin/news")
    assert "You wrote this, so someone else must approve it." in page.inner_text("main")
    checked.append(Axe().run(page, options=RULES))
    context.close()
    for results in checked:
        assert results.violations_count == 0, results.generate_report()
