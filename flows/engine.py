"""`step(flow, state, input, kit) -> Result`: the whole conversation as a pure function.

The same inputs always give the same outputs: no clock, no randomness, no I/O. Global
commands (help, stop, back, skip, privacy, language) work in every state; typed text is
checked for a disclosure before anything else and scrubbed before it is kept; nothing
leaves the draft until the young person presses Send on the review step.
"""

from __future__ import annotations

from dataclasses import replace

from flows.events import Button, Discard, Event, RequestHelp, SafetyShown, Say, Submit
from flows.inputs import Choose, Command, Input, Start, Text, to_token
from flows.kit import Kit
from flows.model import Flow
from flows.nodes.base import PREFER_NOT, SKIP, Accepted, Rejected, View
from flows.nodes.end import EndNode
from flows.nodes.review import RECEIPT
from flows.nodes.text import TEXT_MAX, TextNode
from flows.state import ASK, CONTACT, LANGUAGE, SAFETY, Result, State

SAFETY_NODE = "_safety"
LANG_NODE = "_lang"
PAUSE_OPTIONS = ("help", "person", "continue", "stop")
# Commands that only inform: the notice, then the place the person was at (CC-10, CC-23).
INFORMATION = ("privacy", "concern")
MAX_CONTACT = 500


def step(flow: Flow, state: State | None, inp: Input, kit: Kit) -> Result:
    if isinstance(inp, Start):
        return _start(flow, inp, kit)
    if state is None:
        lang = flow.languages[0]
        if isinstance(inp, Command) and inp.name in INFORMATION:
            # Privacy and how to complain are answered with or without a conversation.
            return Result(None, (_say(kit, lang, inp.name, kind="privacy"),))
        return no_conversation(kit, lang, help_only=isinstance(inp, Command) and inp.name == "help")
    if isinstance(inp, Command):
        return _command(flow, state, inp.name, kit)
    if isinstance(inp, Choose):
        return _choose(flow, state, inp, kit)
    return _text(flow, state, inp.text, kit)


def no_conversation(kit: Kit, lang: str, help_only: bool = False) -> Result:
    """Nothing open for this person (never started, sent, stopped or expired)."""
    events: list[Event] = [] if help_only else [Say(kit.t("no_conversation", lang))]
    return Result(None, (*events, *_safety(kit, lang, "help" if help_only else "unknown")))


def _start(flow: Flow, inp: Start, kit: Kit) -> Result:
    lang = inp.lang if inp.lang in flow.languages else flow.languages[0]
    state = State(flow=flow.id, lang=lang, node=flow.nodes[0].id, context=inp.context)
    return Result(state, (*_prompt(flow, state, kit), *_safety(kit, lang, "start")))


def _command(flow: Flow, state: State, name: str, kit: Kit) -> Result:
    lang = state.lang
    if name == "help":
        return Result(state, (*_safety(kit, lang, "help"), *_prompt(flow, state, kit)))
    if name == "stop":
        return _stop(state, kit)
    if name in INFORMATION:
        return Result(state, (_say(kit, lang, name, kind="privacy"), *_prompt(flow, state, kit)))
    if name == "language":
        asking = replace(state, mode=LANGUAGE)
        return Result(asking, tuple(_prompt(flow, asking, kit)))
    if name == "back":
        return _back(flow, state, kit)
    if name == "skip" and state.mode == ASK and flow.node(state.node).is_question:
        return _accepted(flow, state, Accepted(SKIP), kit)
    if name == "send" and state.mode == ASK and flow.node(state.node).kind == "review":
        return _accepted(flow, state, Accepted(None), kit)
    return Result(state, (_say(kit, lang, "use_buttons"), *_prompt(flow, state, kit)))


def _back(flow: Flow, state: State, kit: Kit) -> Result:
    if state.mode != ASK:
        back = replace(state, mode=ASK)
        return Result(back, tuple(_prompt(flow, back, kit)))
    if not state.history:
        return Result(state, (_say(kit, state.lang, "at_first"), *_prompt(flow, state, kit)))
    back = replace(state, node=state.history[-1], history=state.history[:-1])
    return Result(back, tuple(_prompt(flow, back, kit)))


def _choose(flow: Flow, state: State, inp: Choose, kit: Kit) -> Result:
    if state.mode == SAFETY and inp.node == SAFETY_NODE and inp.value in PAUSE_OPTIONS:
        return _pause_choice(flow, state, inp.value, kit)
    if state.mode == LANGUAGE and inp.node == LANG_NODE and inp.value in flow.languages:
        chosen = replace(state, lang=inp.value, mode=ASK)
        return Result(chosen, tuple(_prompt(flow, chosen, kit)))
    if state.mode != ASK or inp.node != state.node:
        return Result(state, (_say(kit, state.lang, "moved_on"), *_prompt(flow, state, kit)))
    outcome = flow.node(state.node).accept(inp, View(flow, kit, state))
    if isinstance(outcome, Accepted):
        return _accepted(flow, state, outcome, kit)
    return _rejected(flow, state, outcome, kit)


def _text(flow: Flow, state: State, text: str, kit: Kit) -> Result:
    if state.mode == CONTACT:
        asking = replace(state, mode=ASK)
        saved = _say(kit, state.lang, "contact_saved", kind="safety")
        return Result(
            asking,
            (RequestHelp(text.strip()[:MAX_CONTACT]), saved, *_prompt(flow, asking, kit)),
        )
    limit = text_limit(flow, state)
    if len(text) > limit:
        # Refused before detection or scrubbing, whose cost grows with the text (SEC-24).
        return _rejected(flow, state, Rejected("too_long", (("max", str(limit)),)), kit)
    found = kit.detect(text)
    if found is not None:
        paused = replace(state, mode=SAFETY)
        shown = SafetyShown("disclosure", found.category)
        return Result(paused, (shown, *_prompt(flow, paused, kit)))
    node = flow.node(state.node)
    if state.mode == ASK and node.kind == "text":
        outcome = node.accept(Text(kit.scrub(text)), View(flow, kit, state))
    elif state.mode == ASK:
        outcome = node.accept(Text(text), View(flow, kit, state))
    else:
        return Result(state, (_say(kit, state.lang, "use_buttons"), *_prompt(flow, state, kit)))
    if isinstance(outcome, Accepted):
        return _accepted(flow, state, outcome, kit)
    if outcome.reason == "use_buttons":
        # Anything we cannot understand gets the safety block too (SG-01 d).
        return Result(
            state,
            (
                _say(kit, state.lang, "didnt_understand"),
                *_safety(kit, state.lang, "unknown"),
                *_prompt(flow, state, kit),
            ),
        )
    return _rejected(flow, state, outcome, kit)


def text_limit(flow: Flow, state: State) -> int:
    """The most text worth reading now: the current text question's max_length, or the
    longest any question of the flow takes (a text question's default if it has none)."""
    node = flow.node(state.node)
    if state.mode == ASK and isinstance(node, TextNode):
        return node.max_length
    return max((n.max_length for n in flow.nodes if isinstance(n, TextNode)), default=TEXT_MAX)


def _rejected(flow: Flow, state: State, outcome: Rejected, kit: Kit) -> Result:
    """Say kindly why the input does not fit, and ask again."""
    reason = kit.t(outcome.reason, state.lang, **dict(outcome.values))
    return Result(state, (Say(reason), *_prompt(flow, state, kit)))


def _pause_choice(flow: Flow, state: State, choice: str, kit: Kit) -> Result:
    if choice == "stop":
        return _stop(state, kit)
    if choice == "help":
        return Result(state, (*_safety(kit, state.lang, "help"), *_prompt(flow, state, kit)))
    if choice == "person":
        contact = replace(state, mode=CONTACT)
        return Result(contact, tuple(_prompt(flow, contact, kit)))
    carry_on = replace(state, mode=ASK)
    return Result(carry_on, tuple(_prompt(flow, carry_on, kit)))


def _accepted(flow: Flow, state: State, outcome: Accepted, kit: Kit) -> Result:
    current = state.node
    if outcome.value is not None:
        state = state.with_answer(current, outcome.value)
    nxt = flow.next_id(current)
    if isinstance(flow.node(nxt), EndNode):
        return _submit(flow, state, nxt, kit)
    moved = replace(state, node=nxt, history=(*state.history, current))
    return Result(moved, tuple(_prompt(flow, moved, kit)))


def _submit(flow: Flow, state: State, end_id: str, kit: Kit) -> Result:
    scores, comments = [], []
    for node in flow.nodes:
        value = state.answer(node.id)
        if node.kind in ("scale", "choice"):
            scores.append((node.id, value or SKIP))
        elif node.kind == "text" and value not in (None, SKIP, PREFER_NOT):
            comments.append((node.id, str(value)))
    receipt = any(n.kind == "review" and state.answer(n.id) == RECEIPT for n in flow.nodes)
    submit = Submit(
        flow.id, flow.version, state.context, tuple(scores), tuple(comments), receipt=receipt
    )
    end = flow.node(end_id).prompt(View(flow, kit, state))
    return Result(None, (submit, Discard(), *end, *_safety(kit, state.lang, "sent")))


def _stop(state: State, kit: Kit) -> Result:
    stopped = _say(kit, state.lang, "stopped")
    return Result(None, (Discard(), stopped, *_safety(kit, state.lang, "stop")))


def _prompt(flow: Flow, state: State, kit: Kit) -> list[Say]:
    """Ask whatever the current state is waiting for."""
    lang = state.lang
    if state.mode == SAFETY:
        rows = tuple(
            (Button(kit.t(f"pause_{o}", lang), to_token(Choose(SAFETY_NODE, o))),)
            for o in PAUSE_OPTIONS
        )
        text = f"{kit.t('pause', lang)}\n\n{kit.safety_block(lang)}"
        return [Say(text, kind="safety", buttons=rows, node=SAFETY_NODE)]
    if state.mode == CONTACT:
        back = (Button(kit.t("contact_cancel", lang), to_token(Command("back"))),)
        return [
            Say(
                kit.t("contact_prompt", lang),
                kind="safety",
                buttons=(back,),
                accepts_text=True,
                node=SAFETY_NODE,
            )
        ]
    if state.mode == LANGUAGE:
        rows = tuple(
            (Button(kit.copy.language_names[code], to_token(Choose(LANG_NODE, code))),)
            for code in flow.languages
        )
        return [Say(kit.t("language_prompt", lang), buttons=rows, node=LANG_NODE)]
    return flow.node(state.node).prompt(View(flow, kit, state))


def _safety(kit: Kit, lang: str, reason: str) -> tuple[Event, ...]:
    return (Say(kit.safety_block(lang), kind="safety"), SafetyShown(reason))


def _say(kit: Kit, lang: str, key: str, kind: str = "info") -> Say:
    return Say(kit.t(key, lang), kind=kind)
