"""What every node kind shares, and the small vocabulary nodes use to talk to the engine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from flows.events import Button, Say
from flows.inputs import Choose, Command, Text, to_token
from flows.text import LocalText, pick

if TYPE_CHECKING:
    from flows.kit import Kit
    from flows.model import Flow
    from flows.state import State

SKIP = "skip"
PREFER_NOT = "pns"


@dataclass(frozen=True)
class View:
    """The read-only world a node sees while asking or checking an answer."""

    flow: Flow
    kit: Kit
    state: State

    @property
    def lang(self) -> str:
        return self.state.lang

    def t(self, key: str, **values: str) -> str:
        return self.kit.t(key, self.lang, **values)


@dataclass(frozen=True)
class Accepted:
    """The input answers the node; `value` is stored as the draft answer (None: nothing to keep)."""

    value: str | None


@dataclass(frozen=True)
class Rejected:
    """The input does not fit; `reason` is a copy key explaining why, kindly."""

    reason: str
    values: tuple[tuple[str, str], ...] = ()


class NodeBase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,23}$")
    text: LocalText
    # Asked only where the organisation turns this option on (e.g. "co_design"): a new
    # question must have a purpose in its DPIA first (CC-15), so it is off by default.
    only_with: str | None = Field(default=None, pattern=r"^[a-z_]{1,24}$")
    is_question: ClassVar[bool] = False

    def question_text(self, view: View) -> str:
        return pick(self.text, view.lang).format_map(view.kit.names_in(view.lang))

    def prompt(self, view: View) -> list[Say]:
        raise NotImplementedError

    def accept(self, inp: Choose | Text, view: View) -> Accepted | Rejected:
        raise NotImplementedError


class QuestionNode(NodeBase):
    """A node that asks something: it can be skipped, and the review step lists it."""

    short: LocalText
    is_question: ClassVar[bool] = True

    def numbered_text(self, view: View) -> str:
        """The question under its place in the set ("Question 2 of 9")."""
        questions = [n.id for n in view.flow.nodes if n.is_question]
        n, total = str(questions.index(self.id) + 1), str(len(questions))
        return f"{view.t('progress', n=n, total=total)}\n{self.question_text(view)}"

    def label_of(self, value: str, view: View) -> str:
        """An answer as the young person saw it; words are stored as shown (scrubbed)."""
        return value

    def ask_with_buttons(self, view: View, options: Iterable[tuple[str, str]]) -> list[Say]:
        """The question with a button per (value, label), then skip and navigation rows."""
        rows = [(answer_button(view, self.id, value, label),) for value, label in options]
        buttons = (*rows, skip_row(view, self.id), nav_row(view))
        return [Say(self.numbered_text(view), kind="question", buttons=buttons, node=self.id)]


def answer_button(view: View, node: str, value: str, label: str) -> Button:
    return Button(label, to_token(Choose(node, value)))


def skip_row(view: View, node: str) -> tuple[Button, ...]:
    """Skip and "prefer not to say" side by side, same size, one tap away (CC-21)."""
    return (
        answer_button(view, node, SKIP, view.t("skip")),
        answer_button(view, node, PREFER_NOT, view.t("prefer_not")),
    )


def nav_row(view: View) -> tuple[Button, ...]:
    """Back, help and stop on every question: help is always one tap away (SG-01)."""
    return (
        Button(view.t("back"), to_token(Command("back"))),
        Button(view.t("help"), to_token(Command("help"))),
        Button(view.t("stop"), to_token(Command("stop"))),
    )
