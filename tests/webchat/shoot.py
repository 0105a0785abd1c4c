"""Take the README's phone screenshots of the web chat (docs/chat-*.png).

    .venv/bin/python -m tests.webchat.shoot

It runs the real product with demo data on localhost and drives Debian's Chromium at a
360 x 740 phone viewport (twice the pixels, for sharp images). Emoji need a colour emoji
font (Debian: fonts-noto-color-emoji) or they show as boxes.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.webchat.live import CHROMIUM, CHROMIUM_ARGS, PHONE, ROOT, Phone, serve

DOCS = ROOT / "docs"


def _press(person: Phone, name: str) -> None:
    person.submit(person.page.get_by_role("button", name=name, exact=True).first)


def _shot(page: Page, name: str, *, whole: bool = False) -> Path:
    path = DOCS / f"chat-{name}.png"
    page.mouse.move(0, 0)  # no hover highlight left on the button just pressed
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=whole)
    return path


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp) / "var") as live:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            made = []
            for lang, steps in (("en", True), ("cy", False)):
                context = browser.new_context(
                    viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
                )
                person = Phone(context, context.new_page(), [])
                page = person.page
                page.goto(f"{live.chat_link}?lang={lang}")
                if not steps:
                    _press(person, "Dechrau")
                    made.append(_shot(page, "welsh"))
                    context.close()
                    continue
                made.append(_shot(page, "1-start"))
                _press(person, "Start")
                made.append(_shot(page, "2-question"))
                for _ in range(6):
                    _press(person, "Mostly")
                made.append(_shot(page, "3-words"))
                page.get_by_label("Your words").fill("im scared to go home, my stepdad hits me")
                _press(person, "Next")
                made.append(_shot(page, "4-safety-pause"))
                _press(person, "Carry on with feedback")
                for _ in range(3):
                    _press(person, "Skip")
                _press(person, "Send")
                made.append(_shot(page, "5-sent", whole=True))
                page.goto(live.chat_link)
                _press(person, "Start")
                for _ in range(9):
                    _press(person, "Skip")
                made.append(_shot(page, "6-review"))
                _press(person, "Send and get a code to delete it later")
                made.append(_shot(page, "7-receipt"))
                context.close()
            browser.close()
    for path in made:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
