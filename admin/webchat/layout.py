"""Lay the engine's messages out as one web screen. Wording is never changed here.

The engine gives every question a row of Back, Help and Stop. The page shows "Get help
now" and "Stop and delete" in the same place on every screen instead (WCAG 3.2.6
consistent help), so those two are taken out of the engine's navigation row and only
Back stays there. Everything else is shown as the engine sent it, with one difference in
weight: the way forward (Start, Send) is the primary button, and the optional receipt is
a quieter, secondary choice below it (CC-22: the privacy-reducing choice is not easier).

The safety block's text gives way to buttons that carry every helpline's words (issue 16
item 5), under the block's own heading and above its "nobody reads this live".
The review is laid out differently too: given the answers, its status lines
become one row per question with the answer and that question's own Change button.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from flows.engine import REACH_NODE
from flows.events import Button, Say
from flows.kit import Kit
from flows.nodes.review import Answer
from flows.text import pick

MOVED_TO_PAGE = frozenset({"c:help", "c:stop"})
EQUAL_CHOICES = (":skip", ":pns")
PRIMARY = (":next", ":send")  # a message's Start or Carry on; the review's Send
SECONDARY = (":receipt",)  # "Send and get a code": a choice, never the easy one
CHANGE = "a:_change:"  # the review's "Change: <question>", quieter than Send


@dataclass(frozen=True)
class Choice:
    """One button: `emoji` is shown but hidden from screen readers, which read `label`."""

    label: str
    token: str
    emoji: str = ""
    look: str = ""  # "primary", "secondary" or "" for an ordinary answer
    means: str = ""  # "skip" or "pns": the equal choices, whose meaning can be shown


def _look(token: str) -> str:
    if not token.startswith("a:"):
        return ""
    if token.endswith(PRIMARY):
        return "primary"
    return "secondary" if token.endswith(SECONDARY) or token.startswith(CHANGE) else ""


@dataclass(frozen=True)
class Row:
    choices: tuple[Choice, ...]
    style: str  # "answers", "equal" (skip and prefer not to say) or "nav"


@dataclass(frozen=True)
class Shown:
    """One review row: the question's short name, the answer as seen, its Change token."""

    short: str
    answer: str
    token: str


@dataclass(frozen=True)
class Bubble:
    kind: str
    lead: str  # the progress line above a question, else ""
    text: str
    rows: tuple[Row, ...]
    accepts_text: bool
    is_question: bool
    asks_contact: bool = False  # "How can we reach you?": not labelled as feedback words
    answers: tuple[Shown, ...] = ()  # the review's rows, on the web only
    safety: bool = False  # the safety block goes here, as buttons (its text is taken out)
    explains: bool = False  # Skip and "Prefer not to say" each say what they do


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    note: str = ""  # a helpline's hours and language, under its name
    look: str = ""  # "emergency" (999) or "web" (another site)


@dataclass(frozen=True)
class Safety:
    heading: str
    links: tuple[Link, ...]
    closing: str  # nobody reads this chat live


def split_emoji(label: str) -> Choice:
    first, sep, rest = label.partition(" ")
    if sep and rest and not any(ch.isalnum() for ch in first):
        return Choice(rest, "", first)
    return Choice(label, "")


def _choice(button: Button) -> Choice:
    shown = split_emoji(button.label)
    means = button.token.rsplit(":", 1)[-1] if button.token.endswith(EQUAL_CHOICES) else ""
    return Choice(shown.label, button.token, shown.emoji, _look(button.token), means)


def _row(buttons: tuple[Button, ...]) -> Row | None:
    if all(b.token.startswith("c:") for b in buttons):
        kept = tuple(_choice(b) for b in buttons if b.token not in MOVED_TO_PAGE)
        return Row(kept, "nav") if kept else None
    style = "equal" if all(b.token.endswith(EQUAL_CHOICES) for b in buttons) else "answers"
    return Row(tuple(_choice(b) for b in buttons), style)


def bubble(say: Say, answers: tuple[Shown, ...] = (), blocks: Collection[str] = ()) -> Bubble:
    lead, text, buttons = "", say.text, say.buttons
    block = next((b for b in blocks if b in text), "")
    text = text.replace(block, "").strip() if block else text
    if say.kind == "question" and "\n" in text:
        lead, text = text.split("\n", 1)
    if say.kind == "review" and answers:
        # The rows replace the status lines (the last line per question) and Change buttons.
        text = "\n".join(text.split("\n")[: -len(answers)])
        buttons = tuple(r for r in buttons if not all(b.token.startswith(CHANGE) for b in r))
    rows = tuple(row for row in (_row(r) for r in buttons) if row is not None)
    return Bubble(
        say.kind,
        lead,
        text,
        rows,
        say.accepts_text,
        say.kind == "question",
        asks_contact=say.node == REACH_NODE,
        answers=answers if say.kind == "review" else (),
        safety=bool(block),
    )


def review_rows(answers: list[Answer], t: Callable[..., str]) -> tuple[Shown, ...]:
    said = {"skipped": t("answer_skipped"), "pns": t("answer_pns")}
    return tuple(
        Shown(a.short, said.get(a.status, a.shown), f"{CHANGE}{a.question}") for a in answers
    )


def screen(
    messages: list[Say],
    answers: tuple[Shown, ...] = (),
    blocks: Collection[str] = (),
    explain: str | None = None,
) -> list[Bubble]:
    """`blocks`: the safety block's text in each language, shown once as buttons instead.
    `explain`: the question (the first) whose Skip and "Prefer not to say" say in a few
    words what each does, where they are first met rather than on the first screen
    (issue 16 item 5)."""
    out: list[Bubble] = []
    for message in messages:
        shown = bubble(message, answers, blocks)
        placed = any(b.safety for b in out)
        shown = replace(shown, safety=False) if placed and shown.safety else shown
        out.append(replace(shown, explains=message.node == explain) if explain else shown)
    return out


def shows_safety(messages: list[Say]) -> bool:
    return any(m.kind == "safety" for m in messages)


def safety(kit: Kit, lang: str) -> Safety:
    """The safety block laid out with its lines as buttons. The heading, the 999 line and
    the closing words are the block's own approved wording (SG-14), cut where `{lines}`
    goes; each button carries its line's whole sentence, so the list is not shown twice."""
    number = kit.helplines.emergency_number
    head, _, closing = kit.t("safety_block", lang, emergency=number, lines="\0").partition("\0")
    heading, _, emergency = head.strip().partition("\n")
    links = [Link(emergency.strip().lstrip("•").strip(), _tel(number), look="emergency")]
    for line in kit.helplines.chosen(kit.region, lang):
        name, notes = pick(line.name, lang), kit.helpline_notes(line, lang)
        if line.phone:
            how = kit.t("line_call", lang, name=name, phone=line.phone)
            links.append(Link(how, _tel(line.phone), notes))
        if line.sms and line.sms_word:
            how = kit.t("line_text_word", lang, name=name, sms=line.sms, word=line.sms_word)
            links.append(Link(how, f"{_sms(line.sms)}?&body={line.sms_word}", notes))
        elif line.sms:
            links.append(
                Link(kit.t("line_text", lang, name=name, sms=line.sms), _sms(line.sms), notes)
            )
        if line.online_chat and line.url:
            links.append(Link(kit.helpline_online(line, lang), line.url, notes, look="web"))
    return Safety(heading.strip(), tuple(links), closing.strip())


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


def _tel(number: str) -> str:
    return f"tel:{_digits(number)}"


def _sms(number: str) -> str:
    return f"sms:{_digits(number)}"
