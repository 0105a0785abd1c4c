"""An optional free-text question, always preceded by the just-in-time notice (CC-08).

Example::

    - id: helps
      kind: text
      short: {en: "What helps"}
      text: {en: "What do they do that helps?"}
      max_length: 500

The engine checks every typed message for a disclosure and scrubs it *before* the node
sees it, so what this node stores is already free of names, numbers and addresses.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from flows.events import Say
from flows.inputs import Choose, Text
from flows.nodes.base import (
    PREFER_NOT,
    SKIP,
    Accepted,
    QuestionNode,
    Rejected,
    View,
    nav_row,
    skip_row,
)

TEXT_MAX = 500


class TextNode(QuestionNode):
    kind: Literal["text"]
    max_length: int = Field(default=TEXT_MAX, ge=20, le=2000)
    notice: str = "text_notice"

    def prompt(self, view: View) -> list[Say]:
        notice = Say(view.t(self.notice), kind="notice", node=self.id)
        question = Say(
            self.numbered_text(view),
            kind="question",
            buttons=(skip_row(view, self.id), nav_row(view)),
            accepts_text=True,
            node=self.id,
        )
        return [notice, question]

    def accept(self, inp: Choose | Text, view: View) -> Accepted | Rejected:
        if isinstance(inp, Choose):
            return (
                Accepted(inp.value) if inp.value in (SKIP, PREFER_NOT) else Rejected("use_buttons")
            )
        text = inp.text.strip()
        if not text:
            return Rejected("empty_text")
        if len(text) > self.max_length:
            return Rejected("too_long", (("max", str(self.max_length)),))
        return Accepted(text)
