"""A form posted again after its step has passed (a reload's resubmit, a double tap, the
Back button then a press) changes nothing and shows the current question (issue 16)."""

from __future__ import annotations

from tests.webchat.conftest import Browser, drafts, submissions
from youthvoice.bootstrap import Services


async def test_a_resubmitted_answer_is_not_given_again(browser: Browser) -> None:
    await browser.open()
    await browser.press("Start")
    q1 = browser.page
    assert q1 is not None
    await browser.press("Mostly")
    page = await browser.press("Skip")
    assert page.h1.startswith("When you talk")
    browser.page = q1  # the earlier page, as Back or a reload would post it
    page = await browser.press("Totally")
    assert page.h1.startswith("When you talk")  # the current question, unchanged
    page = await browser.press("Back")
    page = await browser.press("Back")
    assert page.h1.startswith("Think about the person")  # two steps taken, not three


async def test_send_posted_twice_sends_once(browser: Browser, services: Services) -> None:
    await browser.open()
    await browser.press("Start")
    for _ in range(9):
        page = await browser.press("Skip")
    review = browser.page
    assert review is not None and "Send" in review.buttons
    await browser.press("Send")
    assert await submissions(services) == 1
    page = await browser.post(t=review.token("Send"), step=review.step)
    assert await submissions(services) == 1 and await drafts(services) == 0
    assert page.status == 403  # the cookie went with Send: nothing is left to answer


async def test_a_form_with_no_step_answers_nothing(browser: Browser) -> None:
    await browser.open()
    q1 = await browser.press("Start")
    page = await browser.post(t=q1.token("Mostly"), step="")
    assert page.h1.startswith("Think about the person")
    page = await browser.press("Mostly")  # the page's own form still works
    assert page.h1.startswith("Do they get what your life is like")
