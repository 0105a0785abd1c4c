"""The review step: what will be sent, with Send, Back and Stop. Nothing is kept before Send.

Send comes first, on its own row; "Send and get a code to delete it later" (AN-19) comes
second: the optional receipt is off unless chosen, and declining it is the easier,
more prominent choice (CC-14, CC-22).

Example::

    - id: review
      kind: review
      text: {en: "Here is what you'll send."}

In a chat (Telegram, WhatsApp, the terminal) it lists each question as answered, skipped
or "prefer not to say" without repeating the answers: a chat transcript stays on the phone
after the check-in, and the bot never repeats answers back into it (AN-12(a)).

The web chat shows the answers themselves (`answers`), each beside its own Change: a web
page holds them only while the check-in is open, is sent with `Cache-Control: no-store`,
and after Send, Stop or expiry the draft is gone, so Back or a reload shows none of them.

Change asks that question again, and answering it (or skipping it) comes straight back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flows.events import Button, Say
from flows.inputs import Choose, Text
from flows.nodes.base import (
    PREFER_NOT,
    SKIP,
    Accepted,
    NodeBase,
    QuestionNode,
    Rejected,
    View,
    answer_button,
    nav_row,
)
from flows.text import pick

SEND = "send"
RECEIPT = "receipt"
CHANGE_NODE = "_change"  # a:_change:<question id>: ask that question again, then return


@dataclass(frozen=True)
class Answer:
    """One question on the review. `status`: "answered", "written", "skipped" or "pns";
    `shown`: the answer as it was seen (a choice's label, or the words after scrubbing),
    empty when skipped or not said."""

    question: str
    short: str
    status: str
    shown: str = ""


class ReviewNode(NodeBase):
    kind: Literal["review"]

    def answers(self, view: View) -> list[Answer]:
        out = []
        for node in view.flow.nodes:
            if not isinstance(node, QuestionNode):
                continue
            short, value = pick(node.short, view.lang), view.state.answer(node.id)
            if value is None or value == SKIP:
                out.append(Answer(node.id, short, "skipped"))
            elif value == PREFER_NOT:
                out.append(Answer(node.id, short, "pns"))
            else:
                status = "written" if node.kind == "text" else "answered"
                out.append(Answer(node.id, short, status, node.label_of(value, view)))
        return out

    def summary(self, view: View) -> list[str]:
        """Status only, never the answers (AN-12(a)): for chats, whose transcript stays."""
        keys = {"skipped": "status_skipped", "pns": "status_prefer_not"}
        keys |= {"written": "status_written", "answered": "status_answered"}
        return [f"• {a.short}: {view.t(keys[a.status])}" for a in self.answers(view)]

    def prompt(self, view: View) -> list[Say]:
        text = "\n".join([self.question_text(view), *self.summary(view)])
        send: tuple[Button, ...] = (answer_button(view, self.id, SEND, view.t("send")),)
        receipt = (answer_button(view, self.id, RECEIPT, view.t("send_receipt")),)
        change = tuple(
            (
                answer_button(
                    view, CHANGE_NODE, node.id, view.t("change", what=pick(node.short, view.lang))
                ),
            )
            for node in view.flow.nodes
            if isinstance(node, QuestionNode)
        )
        rows = (send, receipt, *change, nav_row(view))
        return [Say(text, kind="review", buttons=rows, node=self.id)]

    def accept(self, inp: Choose | Text, view: View) -> Accepted | Rejected:
        if isinstance(inp, Choose) and inp.value == SEND:
            return Accepted(None)
        if isinstance(inp, Choose) and inp.value == RECEIPT:
            # Kept in the draft only until the Submit it shapes; then the draft goes.
            return Accepted(RECEIPT)
        return Rejected("use_buttons")
