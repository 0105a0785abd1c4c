"""What a young person on a 360 x 740 phone trips over (issue 16), with and without
JavaScript, in Debian's Chromium against the real product: Quick exit always in view,
each step landing at the top with focus on its question, long answers kept, the weight of
the buttons, Stop asking first, the phone's Back button, and a double tap answering once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Request, Route, expect

from tests.test_welsh_output import english_in
from tests.webchat.live import MANY_STARTS, LiveServer, Phone, phone, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

Q1 = "Think about the person who supports you"
Q2 = "Do they get what your life is like"
Q3 = "When you talk"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve(tmp_path_factory.mktemp("phone") / "var", **MANY_STARTS) as server:
        yield server


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def person(request: pytest.FixtureRequest, chromium: Browser, live: LiveServer) -> Iterator[Phone]:
    young = phone(chromium, live.base, javascript=request.param)
    yield young
    young.context.close()
    assert young.outside == [], "the page asked another site for something"


def press(person: Phone, name: str) -> None:
    person.submit(person.page.get_by_role("button", name=name, exact=True).first)


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def landed(page: Page, where: str) -> None:
    """At the top, Quick exit on screen, focus on the question; Quick exit still on
    screen after scrolling to the very bottom (issue 16 item 1)."""
    quick_exit = page.get_by_role("link", name="Quick exit")
    assert page.evaluate("window.scrollY") == 0, where
    expect(quick_exit).to_be_in_viewport(ratio=1)
    if page.locator("[data-focus]").count():
        expect(page.locator("[data-focus]")).to_be_focused()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(quick_exit).to_be_in_viewport(ratio=1)
    page.evaluate("window.scrollTo(0, 0)")


def test_quick_exit_is_in_view_on_every_page(person: Phone, live: LiveServer) -> None:
    page = person.page
    page.goto(live.chat_link)
    landed(page, "intro")
    press(person, "Start")
    landed(page, "first question")
    for _ in range(6):
        press(person, "Skip")
    landed(page, "words question")
    page.get_by_label("Your words").fill("im scared to go home, my stepdad hits me")
    press(person, "Next")
    expect(page.locator("main")).to_contain_text("What you wrote sounds serious")
    landed(page, "safety pause")
    press(person, "Carry on with feedback")
    for _ in range(3):
        press(person, "Skip")
    expect(page.locator("main")).to_contain_text("This is what you'll send")
    landed(page, "review")
    page.locator(".row-always").get_by_role("button", name="Stop and delete").click()
    if not person.javascript:
        page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop and delete your answers?")
    landed(page, "stop: are you sure?")
    page.get_by_role("link", name="No, go back").click()
    expect(page.locator("main")).to_contain_text("This is what you'll send")
    press(person, "Send")
    expect(page.get_by_role("heading", level=1)).to_have_text("✓ Sent — thank you")
    landed(page, "sent")


def test_a_long_answer_is_kept_in_the_box(person: Phone, live: LiveServer) -> None:
    """The box takes at most the engine's limit; a longer answer that still arrives comes
    back in the box with a kind word, not thrown away (issue 16 item 2)."""
    page = person.page
    page.goto(live.chat_link)
    press(person, "Start")
    for _ in range(6):
        press(person, "Skip")
    box = page.get_by_label("Your words")
    expect(box).to_have_attribute("maxlength", "500")
    box.fill("they listen")
    hint = page.locator("#words-limit")
    if person.javascript:
        expect(hint).to_have_text("489 characters left")
    else:
        expect(hint).to_have_text("Up to 500 characters.")
    long = "they listen to me and " * 27 + "that helps"  # 604 characters
    box.evaluate("box => box.removeAttribute('maxlength')")  # as an old browser might
    box.fill(long)
    press(person, "Next")
    main = page.locator("main")
    expect(main).to_contain_text("That's a bit long for me")
    expect(main).to_contain_text("Your words are still in the box")
    expect(page.get_by_label("Your words")).to_have_value(long)
    assert heading(page).startswith("What do they do that helps")


def test_the_way_forward_is_the_primary_button(person: Phone, live: LiveServer) -> None:
    """Start and Send are primary; the receipt is a secondary choice (CC-22)."""
    page = person.page
    page.goto(live.chat_link)
    expect(page.get_by_role("button", name="Start", exact=True)).to_have_class("tap primary")
    expect(page.get_by_role("button", name="Not now", exact=True)).to_have_class("tap")
    press(person, "Start")
    for _ in range(9):
        press(person, "Skip")
    expect(page.get_by_role("button", name="Send", exact=True)).to_have_class("tap primary")
    receipt = page.get_by_role("button", name="Send and get a code to delete it later")
    expect(receipt).to_have_class("tap secondary")
    colours = page.evaluate(
        """() => [...document.querySelectorAll('.msg-review .row .tap')]
            .map(b => getComputedStyle(b).backgroundColor)"""
    )
    assert colours[0] != colours[1], "Send and the receipt look the same"


def test_a_double_tap_answers_once(person: Phone, live: LiveServer) -> None:
    """Two quick taps on an answer give one answer: with JavaScript the second tap is not
    even sent; without, the second post is spent and shows the current question."""
    page = person.page
    page.goto(live.chat_link)
    press(person, "Start")
    posts: list[Request] = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.get_by_role("button", name="Mostly").dblclick()
    expect(page.get_by_role("heading", level=1)).to_contain_text(Q2)
    if person.javascript:
        assert len(posts) == 1
    press(person, "Back")
    expect(page.get_by_role("heading", level=1)).to_contain_text(Q1)


def test_a_pressed_button_stays_pressed_and_a_second_tap_is_ignored(
    chromium: Browser, live: LiveServer
) -> None:
    """While a step is on its way (0.6 s on slow 3G) the pressed button shows it and the
    form ignores more taps; here the step is held until the checks are done."""
    young = phone(chromium, live.base)
    page = young.page
    page.goto(live.chat_link)
    young.submit(page.get_by_role("button", name="Start"))
    held: list[Route] = []
    page.route(f"{live.base}/c/**", lambda route: held.append(route))
    mostly = page.get_by_role("button", name="Mostly")
    mostly.click()
    expect(mostly).to_have_attribute("data-pressed", "")
    expect(page.locator("form[aria-busy=true]")).to_have_count(1)
    page.get_by_role("button", name="Totally").click()
    assert len(held) == 1
    with page.expect_response(lambda r: r.request.method == "POST"):
        held[0].fallback()  # on to the phone's own guard, then the server
    expect(page.get_by_role("heading", level=1)).to_contain_text(Q2)
    young.context.close()


def test_stop_asks_first(person: Phone, live: LiveServer) -> None:
    page = person.page
    drafts = live.count("conversations")
    page.goto(live.chat_link)
    press(person, "Start")
    press(person, "Mostly")
    person.submit(page.locator(".row-always").get_by_role("button", name="Stop and delete"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop and delete your answers?")
    page.get_by_role("link", name="No, go back").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(Q2)
    assert live.count("conversations") == drafts + 1
    person.submit(page.locator(".row-always").get_by_role("button", name="Stop and delete"))
    press(person, "Yes, stop and delete")
    expect(page.locator("main")).to_contain_text("Stopped. Nothing you answered has been kept.")
    assert live.count("conversations") == drafts


def test_the_phones_back_button_goes_to_the_previous_question(
    chromium: Browser, live: LiveServer
) -> None:
    """With JavaScript, Back is the previous question, not a blank page (issue 16 item 8)."""
    young = phone(chromium, live.base)
    page = young.page
    page.goto(live.chat_link)
    young.submit(page.get_by_role("button", name="Start"))
    young.submit(page.get_by_role("button", name="Mostly"))
    young.submit(page.get_by_role("button", name="Skip", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(Q3)
    for previous in (Q2, Q1):
        with page.expect_response(lambda r: r.request.method == "POST"):
            page.go_back()
        expect(page.get_by_role("heading", level=1)).to_contain_text(previous)
    assert page.url == live.chat_link
    young.context.close()


def test_without_javascript_a_reload_does_not_answer_again(
    chromium: Browser, live: LiveServer
) -> None:
    """A reload re-posts the last form; it is spent, so the current question shows and
    nothing is answered twice (issue 16 item 8)."""
    young = phone(chromium, live.base, javascript=False)
    page = young.page
    page.goto(live.chat_link)
    young.submit(page.get_by_role("button", name="Start"))
    young.submit(page.get_by_role("button", name="Mostly"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(Q2)
    posts: list[Request] = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    page.reload()
    assert len(posts) == 1, "the reload re-posted the form"  # so the check below can fail
    expect(page.get_by_role("heading", level=1)).to_contain_text(Q2)
    expect(page.locator("main")).to_contain_text("That button is from an earlier question")
    young.submit(page.get_by_role("button", name="Back"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(Q1)
    young.context.close()


def test_welsh_pages_show_welsh_figures_and_words(person: Phone, live: LiveServer) -> None:
    """Every figure and setting a young person reads is in Welsh: the retention period is
    "dwy flynedd", not "2 years" (issue 16 item 7, CC-09), through to the Sent page."""
    page = person.page
    main = page.locator("main")
    page.goto(f"{live.chat_link}?lang=cy")
    expect(main).to_contain_text("dwy flynedd")
    seen = {"intro": main.inner_text()}
    press(person, "Dechrau")
    for _ in range(6):
        press(person, "Neidio")
    seen["words question"] = main.inner_text()
    for _ in range(3):
        press(person, "Neidio")
    seen["review"] = main.inner_text()
    press(person, "Anfon")
    expect(page.get_by_role("heading", level=1)).to_have_text("✓ Wedi anfon — diolch")
    seen["sent"] = main.inner_text()
    assert {where: english_in(text) for where, text in seen.items() if english_in(text)} == {}


def test_the_receipt_is_worded_for_the_web(person: Phone, live: LiveServer) -> None:
    """The code in a large box with a copy button (JavaScript) and a link to the removal
    page; no "/delete CODE here", no advice to clear the history (issue 16 item 6, AN-19)."""
    if person.javascript:
        person.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = person.page
    page.goto(live.chat_link)
    press(person, "Start")
    for _ in range(9):
        press(person, "Skip")
    press(person, "Send and get a code to delete it later")
    box = page.locator(".code-box")
    code = box.inner_text()
    assert re.fullmatch(r"[2-9A-Z]{5}-[2-9A-Z]{5}", code), code
    assert float(box.evaluate("b => parseFloat(getComputedStyle(b).fontSize)")) >= 24
    main = page.locator("main")
    expect(main).not_to_contain_text("/delete")
    expect(main).not_to_contain_text("history")
    copy = page.locator("button[data-copy]")
    expect(copy).to_have_text("Copy code", use_inner_text=False)
    if person.javascript:
        copy.click()
        expect(copy).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == code
    else:
        expect(copy).to_be_hidden()
    page.get_by_role("link", name="Remove my answers with this code").click()
    page.get_by_label("Your code").fill(code)
    page.get_by_role("button", name="Remove my answers").click()
    expect(page.locator("main")).to_contain_text("Done. The answers sent with that code")


def test_the_intro_links_privacy_and_the_first_question_explains_skip(
    person: Phone, live: LiveServer
) -> None:
    """The intro links to the full privacy notice; what Skip and "Prefer not to say" each
    mean is said in a few words under them on the first question, where they are first
    met, which keeps the first screen short (issue 16 item 5)."""
    page = person.page
    main = page.locator("main")
    page.goto(live.chat_link)
    expect(page.get_by_role("link", name="More about privacy")).to_have_attribute(
        "href", "/privacy"
    )
    expect(main).not_to_contain_text("rather not answer")
    press(person, "Start")
    skip = page.get_by_role("button", name="Skip", exact=True)
    expect(skip).to_have_accessible_description("move on")
    expect(page.get_by_role("button", name="Prefer not to say", exact=True)).to_contain_text(
        "you'd rather not answer"
    )
    press(person, "Mostly")
    expect(main).not_to_contain_text("rather not answer")


def test_the_review_shows_the_answers_and_change_works(person: Phone, live: LiveServer) -> None:
    """Each answer beside its own Change, the words as scrubbed, nothing wider than the
    phone; Change asks that question again and answering it comes straight back to the
    review (issue 16 items 3 and 4, AN-14)."""
    page = person.page
    page.goto(live.chat_link)
    press(person, "Start")
    press(person, "Mostly")
    for _ in range(5):
        press(person, "Skip")
    long_word = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    page.get_by_label("Your words").fill(f"ring me on 07700 900981 {long_word}")
    press(person, "Next")
    for _ in range(2):
        press(person, "Skip")
    rows = page.locator(".answer")
    expect(rows.filter(has_text="Being honest")).to_contain_text("Mostly")
    expect(rows.filter(has_text="Getting your life")).to_contain_text("Skipped")
    expect(rows.filter(has_text="What helps")).to_contain_text("ring me on [PHONE]")
    expect(page.locator("main")).not_to_contain_text("07700")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    change = page.get_by_role("button", name="Change: Getting your life")
    expect(change).to_have_text("Change")  # the question's name is for screen readers
    person.submit(change)
    expect(page.get_by_role("heading", level=1)).to_contain_text(Q2)
    press(person, "Totally")
    expect(rows.filter(has_text="Getting your life")).to_contain_text("Totally")
    expect(page.get_by_role("button", name="Send", exact=True)).to_have_class("tap primary")


def test_the_helplines_show_once_as_buttons(person: Phone, live: LiveServer) -> None:
    """Issue 16 item 5: on the first screen and on help, each line once, as a button that
    says how, when and in which language; 999 first; "nobody reads this live" kept (SG-01)."""
    page = person.page
    page.goto(live.chat_link)
    for where in ("first screen", "help"):
        box = page.locator(".msg-safety")
        expect(box.get_by_role("heading", name="If you need help now:")).to_be_visible()
        expect(box.get_by_role("link").first).to_have_attribute("href", "tel:999")
        childline = box.get_by_role("link", name="Childline: call 0800 1111. Free, any time.")
        expect(childline).to_have_attribute("href", "tel:08001111")
        expect(box).to_contain_text("Nobody reads this chat as you type")
        shown = page.locator("main").inner_text()
        for number in ("999", "0800 1111", "85258", "116 123"):
            assert shown.count(number) == 1, (where, number)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, where
        if where == "first screen":
            press(person, "Start")
            person.submit(page.locator(".row-always").get_by_role("button", name="Get help now"))
