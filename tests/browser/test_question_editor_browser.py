"""The question-set editor round trip in Chromium (issue 15): an admin rewords a question
in a new version and tries it in the web chat's preview (0 axe-core violations on the
editor page before and after saving, and on the preview); a reviewer, not its author,
approves and publishes it; then a young person's web check-in is asked the new wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_chat_a11y import RULES
from tests.browser.test_console_browser import Server, _free_port, _login
from tests.webchat.live import phone

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NEW = "Think about the person who helps you. Can you tell them how things really are?"


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(Path(tmp_path_factory.mktemp("questions")), _free_port())
    srv.start()
    assert srv.ready.wait(60), "the console did not start"
    yield srv
    srv.server.should_exit = True
    srv.join(10)


def _log_out(page: Page, base: str) -> None:
    page.click("text=Log out")
    page.wait_for_url(f"{base}/admin/login")


def test_edit_approve_publish_then_a_check_in_asks_the_new_wording(
    chromium: Browser, console: Server
) -> None:
    base = f"http://127.0.0.1:{console.port}"
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    secrets = console.org.secrets

    # A worker's invite, made before anything changes: the web chat link to use later.
    _login(page, base, "worker1")
    page.click("text=Invites")
    page.fill("input[name=label]", "Drop-in noticeboard")
    page.click("text=Create invite")
    page.wait_for_url(f"{base}/admin/invites/*")
    link = page.locator("a.url", has_text="/c/").first.get_attribute("href")
    assert link
    _log_out(page, base)

    # The admin writes version 2.
    _login(page, base, "admin1", secrets["admin"], console.clock)
    page.click("nav >> text=Questions")
    page.click("text=Create a new version from this one")
    page.wait_for_url(re.compile(re.escape(base) + r"/admin/questions/[\w-]+$"))
    checked = [Axe().run(page, options=RULES)]
    assert "Reading grade" in page.inner_text("main")
    page.fill("textarea[name='trust.text.en']", NEW)
    page.click("text=Save this version")
    page.wait_for_url(re.compile(r".*#saved$"))
    expect(page.locator("ol.preview li", has_text=NEW)).to_have_count(1)
    assert "You wrote this version, so someone else must approve it." in page.inner_text("main")
    checked.append(Axe().run(page, options=RULES))

    # The preview: the draft in the web chat's own screens, before anyone approves it.
    page.click("text=Try this version in the web chat")
    page.wait_for_url(re.compile(r".*/preview$"))
    expect(page.locator("main")).to_contain_text("nothing you do here is kept")
    start = page.get_by_role("button", name="Start", exact=True).first
    with page.expect_response(lambda r: r.request.method == "POST"):
        start.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW)
    checked.append(Axe().run(page, options=RULES))
    page.goto(f"{base}/admin")
    for results in checked:
        assert results.violations_count == 0, results.generate_report()
    _log_out(page, base)

    # A reviewer approves it: it is published.
    _login(page, base, "reviewer1", secrets["reviewer"], console.clock)
    page.goto(f"{base}/admin/questions")
    page.click("text=version 2")
    page.click("text=Approve and publish")
    page.wait_for_url(f"{base}/admin/questions")
    expect(page.locator("main")).to_contain_text("Relationship check-in: version 2")
    context.close()

    # A young person opens the web chat: the new wording is asked.
    young = phone(chromium, base)
    young.page.goto(link)
    young.submit(young.page.get_by_role("button", name="Start", exact=True).first)
    expect(young.page.get_by_role("heading", level=1)).to_have_text(NEW)
    young.context.close()
    assert young.outside == [], "nothing is loaded from another site"
