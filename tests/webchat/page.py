"""Read a web chat page the way a person (or a screen reader) meets it: its language,
the text of each message, the buttons with what they send, the links, the hidden token."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Page:
    status: int
    lang: str = ""
    dir: str = ""
    csrf: str = ""
    step: str = ""  # the form's step token: a post must carry it to count
    title: str = ""
    texts: list[str] = field(default_factory=list)
    buttons: dict[str, str] = field(default_factory=dict)  # label -> value sent
    fields: dict[str, str] = field(default_factory=dict)  # label -> the button's field name
    links: dict[str, str] = field(default_factory=dict)  # label -> href
    sources: list[str] = field(default_factory=list)  # every src= and <link href=>
    has_textarea: bool = False
    h1: str = ""
    labels: list[str] = field(default_factory=list)  # form field labels

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def calls(self) -> set[str]:
        """Tap-to-call and tap-to-text links: the helplines as buttons (SG-01)."""
        return {href for href in self.links.values() if href.startswith(("tel:", "sms:"))}

    def token(self, label: str) -> str:
        return self.buttons[label]


class _Reader(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.buffer: list[str] = []
        self.hidden = 0  # inside aria-hidden: not part of the accessible name

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("aria-hidden") == "true":
            self.hidden += 1
        if tag == "html":
            self.page.lang, self.page.dir = a.get("lang", ""), a.get("dir", "")
        if tag == "input" and a.get("name") == "csrf":
            self.page.csrf = a.get("value", "")
        if tag == "input" and a.get("name") == "step":
            self.page.step = a.get("value", "")
        if tag == "textarea":
            self.page.has_textarea = True
        if "src" in a:
            self.page.sources.append(a["src"])
        if tag == "link" and "href" in a:
            self.page.sources.append(a["href"])
        if tag in ("button", "a", "p", "h1", "h2", "li", "title", "label"):
            self.stack.append((tag, a))
            self.buffer = []

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.hidden:
            self.hidden -= 1
        if not self.stack or self.stack[-1][0] != tag:
            return
        _, a = self.stack.pop()
        text = " ".join("".join(self.buffer).split()) if tag != "p" else "".join(self.buffer)
        if tag == "button":
            text = a.get("aria-label") or text  # the name a screen reader hears
            self.page.buttons[text] = a.get("value", "")
            self.page.fields[text] = a.get("name", "")
        elif tag == "a":
            self.page.links[text] = a.get("href", "")
        elif tag == "title":
            self.page.title = text
        elif tag == "label":
            self.page.labels.append(text)
        else:
            if tag == "h1":
                self.page.h1 = text
            self.page.texts.append(text.strip())
        self.buffer = []


def read(status: int, html: str) -> Page:
    page = Page(status)
    _Reader(page).feed(html)
    return page
