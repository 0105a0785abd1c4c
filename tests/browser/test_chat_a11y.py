"""WCAG 2.2 AA on every web chat page, in English and Welsh, on a phone-sized screen.

axe-core (bundled in the axe-playwright-python wheel, injected from disk: nothing is
fetched) runs the WCAG 2.0/2.1/2.2 A and AA rules plus best practice on each page a
young person can reach. Keyboard use, visible focus and tap-target size are checked
directly, since axe cannot judge them fully.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.webchat.live import MANY_STARTS, PHONE, LiveServer, Phone, phone, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
LABELS = {
    "en": {
        "start": "Start",
        "skip": "Skip",
        "help": "Get help now",
        "language": "Cymraeg / English",
        "words": "Your words",
        "send_words": "Next",
        "person": "Talk to a person",
        "reach": "How we can reach you",
        "send_reach": "Send to our safeguarding lead",
        "carry_on": "Carry on with feedback",
        "send": "Send",
        "stop": "Stop and delete",
        "stop_yes": "Yes, stop and delete",
        "receipt": "Send and get a code to delete it later",
        "stay": "English",
    },
    "cy": {
        "start": "Dechrau",
        "skip": "Neidio",
        "help": "Cael help nawr",
        "language": "English / Cymraeg",
        "words": "Dy eiriau",
        "send_words": "Nesaf",
        "person": "Siarad â pherson",
        "reach": "Sut gallwn ni gysylltu â ti",
        "send_reach": "Anfon at ein harweinydd diogelu",
        "carry_on": "Parhau gyda'r adborth",
        "send": "Anfon",
        "stop": "Stopio a dileu",
        "stop_yes": "Ie, stopio a dileu",
        "receipt": "Anfon, a chael cod i ddileu dy atebion wedyn",
        "stay": "Cymraeg",
    },
}
DISCLOSURE = {"en": "my stepdad hits me", "cy": "my stepdad hits me"}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve(tmp_path_factory.mktemp("a11y") / "var", **MANY_STARTS) as server:
        yield server


@pytest.fixture
def person(chromium: Browser, live: LiveServer) -> Iterator[Phone]:
    young = phone(chromium, live.base)
    yield young
    young.context.close()
    assert young.outside == []


class Audit:
    """Runs axe on each page visited and keeps every violation, named by page."""

    def __init__(self, page: Page, lang: str) -> None:
        self.page = page
        self.lang = lang
        self.axe = Axe()
        self.seen: list[str] = []
        self.problems: list[str] = []

    def check(self, name: str) -> None:
        assert self.page.locator("html").get_attribute("lang") == self.lang, name
        results = self.axe.run(self.page, options=RULES)
        self.seen.append(name)
        if results.violations_count:
            self.problems.append(f"{name} [{self.lang}]:\n{results.generate_report()}")
        self.problems += [f"{name}: {small}" for small in small_targets(self.page)]


def small_targets(page: Page) -> list[str]:
    """Buttons and links (other than inline links in running text) under 44 x 44 px."""
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('button, a')]
            .filter(e => !e.closest('p, li:not(.helplines li)'))
            .map(e => { const r = e.getBoundingClientRect();
                        return [e.textContent.trim(), r.width, r.height]; })"""
    )
    return [f"{text!r} is {w:.0f}x{h:.0f}px" for text, w, h in boxes if min(w, h) < 44]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_chat_page_passes_axe(person: Phone, live: LiveServer, lang: str) -> None:
    words = LABELS[lang]
    page = person.page
    audit = Audit(page, lang)

    def press(name: str) -> None:
        person.submit(page.get_by_role("button", name=name, exact=True).first)

    page.goto(f"{live.chat_link}?lang={lang}")
    audit.check("intro")
    press(words["start"])
    audit.check("scale question")
    person.submit(page.locator(".row-always").get_by_role("button", name=words["help"]))
    audit.check("help")
    press(words["language"])
    audit.check("language menu")
    press(words["stay"])
    for _ in range(6):
        press(words["skip"])
    audit.check("words question")
    box = page.get_by_label(words["words"])
    box.evaluate("box => box.removeAttribute('maxlength')")
    box.fill("x" * 600)
    press(words["send_words"])
    audit.check("too long: the words kept in the box")
    page.get_by_label(words["words"]).fill(DISCLOSURE[lang])
    press(words["send_words"])
    audit.check("safety pause")
    press(words["person"])
    audit.check("contact question")
    press(words["send_reach"])
    audit.check("no way to reach them: asked again")
    page.get_by_label(words["reach"]).fill("ask for me at the drop-in on Tuesday")
    press(words["send_reach"])
    audit.check("contact saved: carry on or stop here")
    press(words["carry_on"])
    for _ in range(3):
        press(words["skip"])
    audit.check("review")
    press(words["send"])
    audit.check("sent")
    page.goto(f"{live.chat_link}?lang={lang}")
    page.evaluate("document.querySelector('input[name=csrf]').value = 'forged'")
    press(words["start"])
    audit.check("page ran out (403)")
    page.goto(f"{live.chat_link}?lang={lang}")
    person.submit(page.locator(".row-always").get_by_role("button", name=words["stop"]))
    audit.check("stop: are you sure?")
    press(words["stop_yes"])
    audit.check("stopped")
    page.goto(f"{live.chat_link}?lang={lang}")
    press(words["start"])
    for _ in range(9):
        press(words["skip"])
    press(words["receipt"])
    audit.check("sent, with a code to remove the answers")
    page.goto(f"{live.base}/c/not-a-real-link?lang={lang}")
    audit.check("link not working (404)")
    page.goto(f"{live.base}/helplines?lang={lang}")
    audit.check("helplines")
    page.goto(f"{live.base}/person?lang={lang}")
    audit.check("talk to a person, no conversation open")
    page.goto(f"{live.base}/privacy?lang={lang}")
    audit.check("privacy notice")
    page.goto(f"{live.base}/delete?lang={lang}")
    audit.check("remove answers with a code")
    assert len(audit.seen) == 21
    assert audit.problems == [], "\n\n".join(audit.problems)


def test_the_check_in_works_by_keyboard_with_visible_focus(person: Phone, live: LiveServer) -> None:
    """Quick exit comes first; Tab reaches the answers in reading order; focus is always
    visible; after an answer, focus moves to the next question for screen readers."""
    page = person.page
    page.goto(live.chat_link)
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Quick exit")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("More about privacy")  # under the intro
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Start")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("id", "q")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_contain_text("Not at all")
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_contain_text("Mostly")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Do they get what your life")


def test_the_audit_catches_a_planted_problem(person: Phone, live: LiveServer) -> None:
    """The checks above can fail: an unlabelled tiny button and low-contrast text are found."""
    page = person.page
    page.goto(f"{live.base}/helplines")
    # Styles set through the DOM: the page's CSP refuses inline style attributes.
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            const button = main.appendChild(document.createElement('button'));
            button.style.width = '20px';
            button.style.height = '20px';
            const faint = main.appendChild(document.createElement('p'));
            faint.textContent = 'faint words';
            faint.style.color = '#cccccc';
        }"""
    )
    audit = Audit(page, "en")
    audit.check("planted")
    found = "\n".join(audit.problems)
    assert "button-name" in found and "color-contrast" in found and "20x20px" in found


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_help_and_stop_show_without_scrolling_on_every_scale_question(
    person: Phone, live: LiveServer, lang: str
) -> None:
    """On a 360 x 740 phone the "Get help now" / "Stop and delete" pair is on screen
    with each scale question, not below the fold."""
    page = person.page
    words = LABELS[lang]
    page.goto(f"{live.chat_link}?lang={lang}")
    person.submit(page.get_by_role("button", name=words["start"], exact=True))
    bottoms = []
    for _ in range(6):
        box = page.locator(".row-always").bounding_box()
        assert box is not None
        bottoms.append(box["y"] + box["height"])
        person.submit(page.get_by_role("button", name=words["skip"], exact=True))
    assert max(bottoms) <= PHONE["height"], bottoms
