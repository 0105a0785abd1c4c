"""A five-point scale of words with emoji, plus equal "skip" and "prefer not to say".

Example::

    - id: trust
      kind: scale
      scale: how_much
      short: {en: "Being honest"}
      text: {en: "Can you be honest with them?"}

Typing the number or the words of a point works too, for channels without buttons.
"""

from __future__ import annotations

from typing import Literal

from flows.events import Say
from flows.inputs import Choose, Text
from flows.nodes.base import PREFER_NOT, SKIP, Accepted, QuestionNode, Rejected, View
from flows.text import pick


class ScaleNode(QuestionNode):
    kind: Literal["scale"]
    scale: str

    def prompt(self, view: View) -> list[Say]:
        points = view.flow.scales[self.scale]
        return self.ask_with_buttons(
            view, ((str(p.value), f"{p.emoji} {pick(p.label, view.lang)}") for p in points)
        )

    def label_of(self, value: str, view: View) -> str:
        points = {str(p.value): p.label for p in view.flow.scales[self.scale]}
        return pick(points[value], view.lang) if value in points else value

    def accept(self, inp: Choose | Text, view: View) -> Accepted | Rejected:
        points = view.flow.scales[self.scale]
        if isinstance(inp, Choose):
            valid = {str(p.value) for p in points} | {SKIP, PREFER_NOT}
            return Accepted(inp.value) if inp.value in valid else Rejected("use_buttons")
        typed = inp.text.strip().lower()
        for p in points:
            if typed in {str(p.value), pick(p.label, view.lang).lower()}:
                return Accepted(str(p.value))
        if typed in {view.t("skip").lower(), "skip"}:
            return Accepted(SKIP)
        return Rejected("use_buttons")
