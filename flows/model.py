"""A question set: versioned, validated data. Errors name the failing place.

The schema is deliberately small: a list of nodes run in order, named five-point scales,
and text in every language the set declares. Adding a set or a language is a data change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows.nodes.choice import ChoiceNode
from flows.nodes.end import EndNode
from flows.nodes.message import MessageNode
from flows.nodes.review import ReviewNode
from flows.nodes.scale import ScaleNode
from flows.nodes.text import TEXT_MAX, TextNode
from flows.text import LocalText

SPEC_VERSION = 1
MAX_NODES = 40

Node = Annotated[
    MessageNode | ScaleNode | ChoiceNode | TextNode | ReviewNode | EndNode,
    Field(discriminator="kind"),
]
NODE_KINDS = ("message", "scale", "choice", "text", "review", "end")


class ScalePoint(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: int = Field(ge=1, le=5)
    emoji: str = Field(min_length=1, max_length=8)
    label: LocalText


class Flow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    spec: Literal[1]
    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,31}$")
    version: int = Field(ge=1)
    title: LocalText
    languages: list[str] = Field(min_length=1)
    rtl: list[str] = []
    scales: dict[str, list[ScalePoint]] = {}
    nodes: list[Node] = Field(min_length=2, max_length=MAX_NODES)

    @model_validator(mode="after")
    def _check(self) -> Flow:
        self._check_scales()
        self._check_nodes()
        self._check_languages()
        return self

    def _check_scales(self) -> None:
        for name, points in self.scales.items():
            values = sorted(p.value for p in points)
            if values != [1, 2, 3, 4, 5]:
                raise ValueError(f"scale '{name}': needs exactly the points 1 to 5, got {values}")

    def _check_nodes(self) -> None:
        seen: set[str] = set()
        for node in self.nodes:
            if node.id in seen:
                raise ValueError(f"node '{node.id}': id used twice")
            seen.add(node.id)
            if isinstance(node, ScaleNode) and node.scale not in self.scales:
                raise ValueError(f"node '{node.id}': unknown scale '{node.scale}'")
        if not isinstance(self.nodes[-1], EndNode):
            raise ValueError(f"node '{self.nodes[-1].id}': the last node must be of kind 'end'")
        if sum(isinstance(n, EndNode) for n in self.nodes) != 1:
            raise ValueError("a question set has exactly one 'end' node")
        if not isinstance(self.nodes[-2], ReviewNode):
            raise ValueError(f"node '{self.nodes[-2].id}': the node before 'end' must be a review")

    def _check_languages(self) -> None:
        def need(place: str, text: dict[str, str]) -> None:
            missing = [lang for lang in self.languages if lang not in text]
            if missing:
                raise ValueError(f"{place}: missing language {', '.join(missing)}")

        need("title", self.title)
        for name, points in self.scales.items():
            for p in points:
                need(f"scale '{name}' point {p.value}", p.label)
        for node in self.nodes:
            need(f"node '{node.id}' text", node.text)
            short = getattr(node, "short", None)
            if short is not None:
                need(f"node '{node.id}' short", short)
            for option in getattr(node, "options", []):
                need(f"node '{node.id}' option '{option.value}'", option.label)

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def with_options(self, options: Iterable[str]) -> Flow:
        """This set as asked where `options` are on: nodes for other options left out."""
        on = set(options)
        kept = [n for n in self.nodes if n.only_with is None or n.only_with in on]
        return self if len(kept) == len(self.nodes) else self.model_copy(update={"nodes": kept})

    def next_id(self, node_id: str) -> str:
        ids = [n.id for n in self.nodes]
        return ids[min(ids.index(node_id) + 1, len(ids) - 1)]


def longest_answer(flows: Iterable[Flow]) -> int:
    """The most characters any free-text question of these sets takes."""
    return max(
        (n.max_length for f in flows for n in f.nodes if isinstance(n, TextNode)),
        default=TEXT_MAX,
    )
