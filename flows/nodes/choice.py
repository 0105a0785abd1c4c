"""A single choice from a short list of labelled options, plus "skip" and "prefer not to say".

Example::

    - id: how_often
      kind: choice
      short: {en: "How often"}
      text: {en: "How often do you see them?"}
      options:
        - {value: weekly, label: {en: "Every week"}}
        - {value: monthly, label: {en: "About once a month"}}
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from flows.events import Say
from flows.inputs import Choose, Text
from flows.nodes.base import PREFER_NOT, SKIP, Accepted, QuestionNode, Rejected, View
from flows.text import LocalText, pick


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: str = Field(pattern=r"^[a-z0-9_]{1,16}$")
    label: LocalText


class ChoiceNode(QuestionNode):
    kind: Literal["choice"]
    options: list[Option] = Field(min_length=2, max_length=8)

    def prompt(self, view: View) -> list[Say]:
        return self.ask_with_buttons(
            view, ((o.value, pick(o.label, view.lang)) for o in self.options)
        )

    def label_of(self, value: str, view: View) -> str:
        labels = {o.value: o.label for o in self.options}
        return pick(labels[value], view.lang) if value in labels else value

    def accept(self, inp: Choose | Text, view: View) -> Accepted | Rejected:
        values = {o.value for o in self.options} | {SKIP, PREFER_NOT}
        if isinstance(inp, Choose):
            return Accepted(inp.value) if inp.value in values else Rejected("use_buttons")
        typed = inp.text.strip().lower()
        for o in self.options:
            if typed == pick(o.label, view.lang).lower():
                return Accepted(o.value)
        return Rejected("use_buttons")
