"""A message with a single "carry on" button; the intro uses it with a "not now" option.

Example::

    - id: intro
      kind: message
      text: {en: "Hi. This is a short check-in..."}
      continue_label: start
      offer_stop: true
"""

from __future__ import annotations

from typing import Literal

from flows.events import Button, Say
from flows.inputs import Choose, Command, Text, to_token
from flows.nodes.base import Accepted, NodeBase, Rejected, View, answer_button

NEXT = "next"


class MessageNode(NodeBase):
    kind: Literal["message"]
    continue_label: str = "carry_on"
    offer_stop: bool = False

    def prompt(self, view: View) -> list[Say]:
        row = [answer_button(view, self.id, NEXT, view.t(self.continue_label))]
        if self.offer_stop:
            row.append(Button(view.t("not_now"), to_token(Command("stop"))))
        return [Say(self.question_text(view), kind="intro", buttons=(tuple(row),), node=self.id)]

    def accept(self, inp: Choose | Text, view: View) -> Accepted | Rejected:
        if isinstance(inp, Choose) and inp.value == NEXT:
            return Accepted(None)
        return Rejected("use_buttons")
