"""The web review shows each answer as given, beside its own Change (issue 16), and only
while the check-in is open: after Send nothing of it can be shown again (AN-12)."""

from __future__ import annotations

from tests.webchat.conftest import Browser
from tests.webchat.page import Page

REVIEW = "This is what you'll send"


def row(page: Page, short: str) -> str:
    """The answer shown under a question's short name on the review."""
    return page.texts[page.texts.index(short) + 1]


async def _to_review(browser: Browser) -> Page:
    await browser.open()
    await browser.press("Start")
    for label in ("Mostly", "Skip", "Prefer not to say", "Totally", "Totally", "A little"):
        await browser.press(label)
    await browser.write("Ottilie never listens")  # the worker's name (AN-14)
    await browser.press("Skip")
    return await browser.press("Skip")


async def test_the_review_shows_each_answer_beside_its_change(browser: Browser) -> None:
    page = await _to_review(browser)
    assert REVIEW in page.text
    assert row(page, "Being honest") == "Mostly"
    assert row(page, "Getting your life") == "Skipped"
    assert row(page, "Being listened to") == "Prefer not to say"
    assert row(page, "Treated as you") == "A little"
    assert row(page, "What helps") == "[NAME] never listens"
    assert browser.response is not None and "Ottilie" not in browser.response.text
    assert "answered" not in page.text  # the chat's status lines give way to the rows
    # Each Change names its question for a screen reader, and only its own question.
    assert page.token("Change: Being honest") == "a:_change:trust"
    assert page.token("Change: What helps") == "a:_change:helps"
    assert page.buttons["Send"] == "a:review:send"


async def test_change_goes_to_that_question_and_comes_back(browser: Browser) -> None:
    await _to_review(browser)
    page = await browser.press("Change: Getting your life")
    assert page.h1.startswith("Do they get what your life is like")
    page = await browser.press("Sometimes")
    assert REVIEW in page.text and row(page, "Getting your life") == "Sometimes"
    page = await browser.press("Change: What helps")
    page = await browser.write("more time to talk")
    assert REVIEW in page.text and row(page, "What helps") == "more time to talk"


async def test_after_send_back_or_a_resubmit_shows_no_answers(browser: Browser) -> None:
    """The review page is never stored (no-store); after Send, re-posting the old review
    form or reloading the link shows nothing of the answers (AN-12)."""
    review = await _to_review(browser)
    assert browser.response is not None
    assert browser.response.headers["cache-control"] == "no-store"
    page = await browser.press("Send")
    assert "Sent — thank you" in page.text
    again = await browser.post(t=review.token("Change: Being honest"), step=review.step)
    reload = await browser.open()
    for shown in (again, reload):
        assert "Mostly" not in shown.text and "never listens" not in shown.text
        assert "Being honest" not in shown.text and REVIEW not in shown.text
