"""The review step: what will be sent, with Send, Back and Stop. Nothing is kept before Send.

Send comes first, on its own row; "Send and get a code to delete it later" (AN-19) comes
second: the optional receipt is off unless chosen, and declining it is the easier,
more prominent choice (CC-14, CC-22).

Example::

    - id: review
      kind: review
      text: {en: "Here is what you'll send."}

It lists each question as answered, skipped or "prefer not to say" without repeating the
answers themselves, because someone else may read the young person's screen (AN-12).
Each question has a "Change" button: it asks that question again, and answering it (or
skipping it) comes straight back here.
"""

from __future__ import annotations

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


class ReviewNode(NodeBase):
    kind: Literal["review"]

    def summary(self, view: View) -> list[str]:
        lines = []
        for node in view.flow.nodes:
            if not isinstance(node, QuestionNode):
                continue
            value = view.state.answer(node.id)
            if value is None or value == SKIP:
                status = view.t("status_skipped")
            elif value == PREFER_NOT:
                status = view.t("status_prefer_not")
            elif node.kind == "text":
                status = view.t("status_written")
            else:
                status = view.t("status_answered")
            lines.append(f"• {pick(node.short, view.lang)}: {status}")
        return lines

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
