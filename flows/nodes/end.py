"""The closing message after Send. Reaching it submits the draft and ends the conversation.

Example::

    - id: end
      kind: end
      text: {en: "Sent. Thank you for your time."}
"""

from __future__ import annotations

from typing import Literal

from flows.events import Say
from flows.inputs import Choose, Text
from flows.nodes.base import Accepted, NodeBase, Rejected, View


class EndNode(NodeBase):
    kind: Literal["end"]

    def prompt(self, view: View) -> list[Say]:
        return [Say(self.question_text(view), kind="info", node=self.id)]

    def accept(self, inp: Choose | Text, view: View) -> Accepted | Rejected:
        return Rejected("use_buttons")
