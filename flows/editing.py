"""Changing a question set in the console (issue 15): every change gives a new `Flow`,
validated by the same model as the YAML files, or a `FlowError` saying what is wrong.

Reports compare like with like across versions by a question's id, so ids never change
here; the six core dimensions of the framework cannot be removed (a new framework would
be a new question set, which this editor does not make).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flows.loader import FlowError, flow_from_data
from flows.model import Flow
from flows.readability import fk_grade, longest_sentence

CORE = ("trust", "relatability", "heard", "power", "agency", "aliveness")
MAX_GRADE = 6.0  # CC-09: English wording young people read, Flesch-Kincaid grade
MAX_SENTENCE = 25  # words in one chat sentence, any language


@dataclass(frozen=True)
class Edit:
    """One question as the editor form sends it back."""

    text: Mapping[str, str]
    short: Mapping[str, str]
    position: float
    remove: bool = False


@dataclass(frozen=True)
class NewQuestion:
    id: str
    kind: str  # "scale" (on the set's first scale) or "text"
    text: Mapping[str, str]
    short: Mapping[str, str]


def next_version(current: Flow, after: int) -> Flow:
    """A copy of `current` numbered after every version there is (`after`)."""
    return current.model_copy(update={"version": max(after, current.version) + 1})


def questions(flow: Flow) -> list[Any]:
    return [n for n in flow.nodes if n.is_question]


def revise(flow: Flow, edits: Mapping[str, Edit], new: NewQuestion | None = None) -> Flow:
    """`flow` with each question's wording, place and removal as edited, and `new` added
    before the review; the result is validated as a whole."""
    core_gone = [q for q, e in edits.items() if e.remove and q in CORE]
    if core_gone:
        raise FlowError(
            f"'{core_gone[0]}' is one of the six core dimensions and cannot be removed: "
            "reports compare it across versions. A new framework is not something this "
            "editor makes."
        )
    data = flow.model_dump(mode="json", exclude_defaults=True)
    nodes: list[dict[str, Any]] = data["nodes"]
    first = next(i for i, n in enumerate(flow.nodes) if n.is_question)
    last = max(i for i, n in enumerate(flow.nodes) if n.is_question)
    head, middle, tail = nodes[:first], nodes[first : last + 1], nodes[last + 1 :]

    def place(pair: tuple[int, dict[str, Any]]) -> tuple[float, int]:
        index, node = pair
        edit = edits.get(node["id"])
        return (edit.position if edit else float(index + 1), index)

    kept = []
    for _, node in sorted(enumerate(middle), key=place):
        edit = edits.get(node["id"])
        if edit is not None and edit.remove:
            continue
        if edit is not None:
            node["text"] = {**node["text"], **_filled(edit.text)}
            node["short"] = {**node["short"], **_filled(edit.short)}
        kept.append(node)
    if new is not None:
        kept.append(_new_node(flow, new))
    data["nodes"] = [*head, *kept, *tail]
    return flow_from_data(data)


def _filled(text: Mapping[str, str]) -> dict[str, str]:
    return {lang: value.strip() for lang, value in text.items()}


def _new_node(flow: Flow, new: NewQuestion) -> dict[str, Any]:
    if new.kind not in ("scale", "text"):
        raise FlowError("A new question is a five-point scale or words to type.")
    node: dict[str, Any] = {
        "id": new.id,
        "kind": new.kind,
        "text": _filled(new.text),
        "short": _filled(new.short),
    }
    if new.kind == "scale":
        node["scale"] = next(iter(flow.scales))
    return node


@dataclass(frozen=True)
class Reading:
    """Reading-age feedback for one text (CC-09), shown beside it in the editor."""

    text: str
    hard: bool


def reading(text: str, lang: str) -> Reading:
    longest = longest_sentence(text)
    long_sentence = longest > MAX_SENTENCE
    if lang == "en":
        grade = fk_grade(text)
        if grade is None:
            return Reading("No words to score.", False)
        hard = grade > MAX_GRADE or long_sentence
        return Reading(
            f"Reading grade {grade:.1f} (aim for {MAX_GRADE:.0f} or below); longest sentence "
            f"{longest} words.",
            hard,
        )
    # No validated formula for Welsh: sentence length is the rough proxy.
    return Reading(
        f"Longest sentence {longest} words (aim for {MAX_SENTENCE} or fewer).", long_sentence
    )
