"""A conversation in progress: everything the engine needs between two steps.

It is plain data so that storage can keep it as JSON (keyed by an HMAC, never a raw id)
and any process can pick the conversation up. It holds drafts only: nothing in it is
kept once the conversation is sent, stopped or expires.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

ASK = "ask"
SAFETY = "safety"  # the pause after a clear disclosure (SG-04)
CHECK = "check"  # the calm "are you safe right now?" after possibly worrying words
CONTACT = "contact"  # asking how a person can reach them (SG-07)
CONCERN = "concern"  # the same, for a concern about the service (CC-25)
AFTER = "after"  # a request was made: carry on with feedback, or stop here
LANGUAGE = "language"
MODES = (ASK, SAFETY, CHECK, CONTACT, CONCERN, AFTER, LANGUAGE)


@dataclass(frozen=True)
class State:
    flow: str
    lang: str
    node: str
    context: tuple[tuple[str, str], ...] = ()
    answers: tuple[tuple[str, str], ...] = ()
    history: tuple[str, ...] = ()
    mode: str = ASK
    # Scrubbed words waiting for "I'm OK" at the calm question; nothing else is kept of them.
    pending: str = ""
    # Text answers confirmed at the calm question: kept as feedback, never as a quote.
    unquotable: tuple[str, ...] = ()
    # No check-in is open: this draft only asks how a person can reach them, then ends.
    reach_only: bool = False
    # A question reached by "Change" on the review: answering it returns to this review.
    returning: str = ""
    # The question set's version it began on (0: not known), so a set published meanwhile
    # does not change the questions of a check-in already under way (issue 15).
    version: int = 0

    def answer(self, node: str) -> str | None:
        return dict(self.answers).get(node)

    def with_answer(self, node: str, value: str) -> State:
        answers = dict(self.answers)
        answers[node] = value
        return replace(self, answers=tuple(sorted(answers.items())))

    def to_dict(self) -> dict[str, Any]:
        return {
            "flow": self.flow,
            "lang": self.lang,
            "node": self.node,
            "context": [list(p) for p in self.context],
            "answers": [list(p) for p in self.answers],
            "history": list(self.history),
            "mode": self.mode,
            "pending": self.pending,
            "unquotable": list(self.unquotable),
            "reach_only": self.reach_only,
            "returning": self.returning,
            "version": self.version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        mode = str(data.get("mode", ASK))
        return cls(
            flow=str(data["flow"]),
            lang=str(data["lang"]),
            node=str(data["node"]),
            context=tuple((str(k), str(v)) for k, v in data.get("context", [])),
            answers=tuple((str(k), str(v)) for k, v in data.get("answers", [])),
            history=tuple(str(n) for n in data.get("history", [])),
            mode=mode if mode in MODES else ASK,
            pending=str(data.get("pending", "")),
            unquotable=tuple(str(n) for n in data.get("unquotable", [])),
            reach_only=bool(data.get("reach_only", False)),
            returning=str(data.get("returning", "")),
            version=int(data.get("version", 0)),
        )


@dataclass(frozen=True)
class Result:
    """What `step` returns: the next state (None once the conversation is over) and events."""

    state: State | None
    events: tuple[Any, ...] = field(default=())
