"""`step(flow, state, input, kit) -> Result`: the whole conversation as a pure function.

The same inputs always give the same outputs: no clock, no randomness, no I/O. Global
commands (help, stop, back, skip, privacy, language) work in every state; typed text is
checked for a disclosure before anything else and scrubbed before it is kept; nothing
leaves the draft until the young person presses Send on the review step.

Two tiers of worry: a clear disclosure pauses the check-in (SG-04); possibly worrying
words get one calm question ("Are you safe right now?"). A person is one tap away from
"Get help now" in every state: the young person leaves a way to reach them (SG-07).
"""

from __future__ import annotations

from dataclasses import replace

from flows.events import Button, Discard, Event, RequestHelp, SafetyShown, Say, Submit
from flows.inputs import Choose, Command, Input, Start, Text, to_token
from flows.kit import CLEAR, Kit
from flows.model import Flow
from flows.nodes.base import PREFER_NOT, SKIP, Accepted, Rejected, View
from flows.nodes.end import EndNode
from flows.nodes.review import CHANGE_NODE, RECEIPT
from flows.nodes.text import TEXT_MAX, TextNode
from flows.reach import reachable
from flows.safety.detector import WORKER_ALLEGATION
from flows.state import (
    AFTER,
    ASK,
    CHECK,
    CONCERN,
    CONTACT,
    LANGUAGE,
    SAFETY,
    Result,
    State,
)

SAFETY_NODE = "_safety"
LANG_NODE = "_lang"
CHECK_NODE = "_check"
REACH_NODE = "_reach"  # "talk to a person" / "leave a way to reach you", from any state
AFTER_NODE = "_after"
PAUSE_OPTIONS = ("help", "person", "continue", "stop")
CHECK_OPTIONS = ("ok", "help", "person")
REACH_OPTIONS = {"person": CONTACT, "concern": CONCERN}
AFTER_OPTIONS = ("continue", "stop")
# Commands that only inform: the notice, then the place the person was at (CC-10, CC-23).
INFORMATION = ("privacy", "concern")
MAX_CONTACT = 500


def step(flow: Flow, state: State | None, inp: Input, kit: Kit) -> Result:
    if isinstance(inp, Start):
        return _start(flow, inp, kit)
    if state is None:
        return _no_state(flow, inp, kit)
    if isinstance(inp, Command):
        return _command(flow, state, inp.name, kit)
    if isinstance(inp, Choose):
        return _choose(flow, state, inp, kit)
    return _text(flow, state, inp.text, kit)


def _no_state(flow: Flow, inp: Input, kit: Kit) -> Result:
    """No check-in open (sent, stopped, expired, never started): help, the notices, and a
    person still one tap away, in the language the button was shown in."""
    lang = flow.languages[0]
    reach = _reach(inp)
    if reach is not None:
        mode, shown_in = reach
        lang = shown_in if shown_in in flow.languages else lang
        asking = State(flow.id, lang, flow.nodes[0].id, mode=mode, reach_only=True)
        return Result(asking, tuple(_prompt(flow, asking, kit)))
    if isinstance(inp, Command) and inp.name == "concern":
        return Result(None, (_concern_notice(kit, lang),))
    if isinstance(inp, Command) and inp.name == "news":
        return Result(None, (news_reply(kit, lang),))
    if isinstance(inp, Command) and inp.name in INFORMATION:
        # Privacy and how to complain are answered with or without a conversation.
        return Result(None, (_say(kit, lang, inp.name, kind="privacy"),))
    return no_conversation(kit, lang, help_only=isinstance(inp, Command) and inp.name == "help")


def no_conversation(kit: Kit, lang: str, help_only: bool = False) -> Result:
    """Nothing open for this person (never started, sent, stopped or expired)."""
    events: list[Event] = [] if help_only else [Say(kit.t("no_conversation", lang))]
    reason = "help" if help_only else "unknown"
    return Result(None, (*events, *_safety_with_person(kit, lang, reason)))


def _start(flow: Flow, inp: Start, kit: Kit) -> Result:
    lang = inp.lang if inp.lang in flow.languages else flow.languages[0]
    state = State(
        flow=flow.id, lang=lang, node=flow.nodes[0].id, context=inp.context, version=flow.version
    )
    return Result(state, (*_prompt(flow, state, kit), *_safety(kit, lang, "start")))


def _command(flow: Flow, state: State, name: str, kit: Kit) -> Result:
    lang = state.lang
    if name == "help":
        return _help(flow, state, kit)
    if name == "stop":
        return _stop(state, kit)
    if name == "concern":
        return Result(state, (_concern_notice(kit, lang), *_prompt(flow, state, kit)))
    if name == "news":
        return Result(state, (news_reply(kit, lang), *_prompt(flow, state, kit)))
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


def _help(flow: Flow, state: State, kit: Kit) -> Result:
    """Get help now: the helplines with "Talk to a person" under them, in every state."""
    help_now = _safety_with_person(kit, state.lang, "help")
    return Result(state, (*help_now, *_prompt(flow, state, kit)))


def _concern_notice(kit: Kit, lang: str) -> Say:
    """How to complain, and a button to leave a way to reach them (CC-23, CC-25)."""
    notice = _say(kit, lang, "concern", kind="privacy")
    return replace(notice, buttons=(_reach_row(kit, lang, "concern"),))


def _reach(inp: Input) -> tuple[str, str] | None:
    """A "Talk to a person" (or concern) button: the mode it opens and the language it was
    shown in, or None for any other input."""
    if not isinstance(inp, Choose) or inp.node != REACH_NODE:
        return None
    kind, _, lang = inp.value.partition(".")
    return (REACH_OPTIONS[kind], lang) if kind in REACH_OPTIONS else None


def _reach_row(kit: Kit, lang: str, kind: str = "person") -> tuple[Button, ...]:
    # The language rides on the button: with no check-in open it is all the engine has.
    token = to_token(Choose(REACH_NODE, f"{kind}.{lang}"))
    return (Button(kit.t(f"reach_{kind}", lang), token),)


def _back(flow: Flow, state: State, kit: Kit) -> Result:
    if state.reach_only:
        # Cancel: there is no check-in to go back to.
        return Result(None, (Discard(), Say(kit.safety_block(state.lang), kind="safety")))
    if state.mode != ASK:
        back = replace(state, mode=ASK, pending="")
        return Result(back, tuple(_prompt(flow, back, kit)))
    if not state.history:
        return Result(state, (_say(kit, state.lang, "at_first"), *_prompt(flow, state, kit)))
    back = replace(state, node=state.history[-1], history=state.history[:-1], returning="")
    return Result(back, tuple(_prompt(flow, back, kit)))


def _choose(flow: Flow, state: State, inp: Choose, kit: Kit) -> Result:
    if state.mode == SAFETY and inp.node == SAFETY_NODE and inp.value in PAUSE_OPTIONS:
        return _pause_choice(flow, state, inp.value, kit)
    if state.mode == CHECK and inp.node == CHECK_NODE and inp.value in CHECK_OPTIONS:
        return _check_choice(flow, state, inp.value, kit)
    if state.mode == AFTER and inp.node == AFTER_NODE and inp.value in AFTER_OPTIONS:
        return _after_choice(flow, state, inp.value, kit)
    reach = _reach(inp)
    if reach is not None:
        asking = replace(state, mode=reach[0], pending="")
        return Result(asking, tuple(_prompt(flow, asking, kit)))
    if state.mode == LANGUAGE and inp.node == LANG_NODE and inp.value in flow.languages:
        mode = CONTACT if state.reach_only else ASK
        chosen = replace(state, lang=inp.value, mode=mode, pending="")
        return Result(chosen, tuple(_prompt(flow, chosen, kit)))
    if state.mode == ASK and inp.node == CHANGE_NODE and flow.node(state.node).kind == "review":
        return _change(flow, state, inp.value, kit)
    if state.mode != ASK or inp.node != state.node:
        return Result(state, (_say(kit, state.lang, "moved_on"), *_prompt(flow, state, kit)))
    outcome = flow.node(state.node).accept(inp, View(flow, kit, state))
    if isinstance(outcome, Accepted):
        return _accepted(flow, state, outcome, kit)
    return _rejected(flow, state, outcome, kit)


def _change(flow: Flow, state: State, question: str, kit: Kit) -> Result:
    """ "Change" on the review: that question again; answering it returns to the review."""
    if not any(n.id == question and n.is_question for n in flow.nodes):
        return Result(state, (_say(kit, state.lang, "moved_on"), *_prompt(flow, state, kit)))
    history = (*state.history, state.node)
    asking = replace(state, node=question, history=history, returning=state.node)
    return Result(asking, tuple(_prompt(flow, asking, kit)))


def _text(flow: Flow, state: State, text: str, kit: Kit) -> Result:
    if state.mode in (CONTACT, CONCERN):
        return _contact(flow, state, text, kit)
    limit = text_limit(flow, state)
    if len(text) > limit:
        # Refused before detection or scrubbing, whose cost grows with the text (SEC-24).
        return _rejected(flow, state, Rejected("too_long", (("max", str(limit)),)), kit)
    found = kit.detect(text)
    if found is not None and found.tier == CLEAR:
        paused = replace(state, mode=SAFETY, pending="")
        shown = SafetyShown("disclosure", found.category)
        pause = _prompt(flow, paused, kit)
        if found.category == WORKER_ALLEGATION:
            # Worries about staff go to the safeguarding lead, never the worker (SG-09).
            route = kit.t("worker_route", state.lang)
            pause[0] = replace(pause[0], text=f"{route}\n\n{pause[0].text}")
        return Result(paused, (shown, *pause))
    if found is not None and state.mode == ASK:
        # Only while answering: typed at the pause or another menu, it changes nothing.
        return _check(flow, state, text, found.category, kit)
    return _answer_text(flow, state, text, kit)


def _check(flow: Flow, state: State, text: str, category: str, kit: Kit) -> Result:
    """Possibly worrying words: one calm question, not a pause. Only words typed for a
    text question are held (scrubbed) in case the answer is "I'm OK"."""
    pending = kit.scrub(text) if flow.node(state.node).kind == "text" else ""
    checking = replace(state, mode=CHECK, pending=pending)
    return Result(checking, (SafetyShown("possible", category), *_prompt(flow, checking, kit)))


def _check_choice(flow: Flow, state: State, choice: str, kit: Kit) -> Result:
    if choice == "person":
        asking = replace(state, mode=CONTACT, pending="")
        return Result(asking, tuple(_prompt(flow, asking, kit)))
    if choice == "help":
        return _help(flow, replace(state, mode=ASK, pending=""), kit)
    carry_on = replace(state, mode=ASK, pending="")
    if not state.pending:
        return Result(carry_on, tuple(_prompt(flow, carry_on, kit)))
    outcome = flow.node(state.node).accept(Text(state.pending), View(flow, kit, carry_on))
    if isinstance(outcome, Accepted):
        # Kept as feedback, but never as a reviewer's quote.
        marked = replace(carry_on, unquotable=tuple(sorted({*state.unquotable, state.node})))
        return _accepted(flow, marked, outcome, kit)
    return _rejected(flow, carry_on, outcome, kit)


def _contact(flow: Flow, state: State, text: str, kit: Kit) -> Result:
    """How to reach them: kindly asked again until it holds a way to reach them."""
    lang = state.lang
    if not reachable(text):
        return Result(state, (_say(kit, lang, "contact_refused"), *_prompt(flow, state, kit)))
    kind = "concern" if state.mode == CONCERN else "person"
    request = RequestHelp(
        text.strip()[:MAX_CONTACT], kind=kind, lang=lang, team=dict(state.context).get("team")
    )
    saved = _say(kit, lang, f"{kind}_saved", kind="safety")
    if state.reach_only:
        return Result(None, (request, saved, Discard()))
    after = replace(state, mode=AFTER)
    return Result(after, (request, saved, *_prompt(flow, after, kit)))


def _after_choice(flow: Flow, state: State, choice: str, kit: Kit) -> Result:
    if choice == "stop":
        stopped = _say(kit, state.lang, "stopped_after_request")
        return Result(None, (Discard(), stopped, *_safety_with_person(kit, state.lang, "stop")))
    carry_on = replace(state, mode=ASK)
    return Result(carry_on, tuple(_prompt(flow, carry_on, kit)))


def _answer_text(flow: Flow, state: State, text: str, kit: Kit) -> Result:
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
        return _help(flow, state, kit)
    if choice == "person":
        contact = replace(state, mode=CONTACT)
        return Result(contact, tuple(_prompt(flow, contact, kit)))
    carry_on = replace(state, mode=ASK)
    return Result(carry_on, tuple(_prompt(flow, carry_on, kit)))


def _accepted(flow: Flow, state: State, outcome: Accepted, kit: Kit) -> Result:
    current = state.node
    if outcome.value is not None:
        state = state.with_answer(current, outcome.value)
    nxt = state.returning or flow.next_id(current)
    if isinstance(flow.node(nxt), EndNode):
        return _submit(flow, state, nxt, kit)
    moved = replace(state, node=nxt, history=(*state.history, current), returning="")
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
    kept = {node for node, _ in comments}
    submit = Submit(
        flow.id,
        flow.version,
        state.context,
        tuple(scores),
        tuple(comments),
        receipt=receipt,
        unquotable=tuple(n for n in state.unquotable if n in kept),
    )
    end = flow.node(end_id).prompt(View(flow, kit, state))
    line = kit.news_line(state.lang)
    news = (Say(line),) if line else ()
    return Result(
        None, (submit, Discard(), *end, *news, *_safety_with_person(kit, state.lang, "sent"))
    )


def _stop(state: State, kit: Kit) -> Result:
    stopped = _say(kit, state.lang, "stopped")
    return Result(None, (Discard(), stopped, *_safety_with_person(kit, state.lang, "stop")))


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
    if state.mode == CHECK:
        rows = tuple(
            (Button(kit.t(f"check_{o}", lang), to_token(Choose(CHECK_NODE, o))),)
            for o in CHECK_OPTIONS
        )
        return [Say(kit.t("check", lang), kind="safety", buttons=rows, node=CHECK_NODE)]
    if state.mode in (CONTACT, CONCERN):
        back = (Button(kit.t("contact_cancel", lang), to_token(Command("back"))),)
        key = "contact_prompt" if state.mode == CONTACT else "concern_prompt"
        return [
            Say(
                kit.t(key, lang), kind="safety", buttons=(back,), accepts_text=True, node=REACH_NODE
            )
        ]
    if state.mode == AFTER:
        rows = tuple(
            (Button(kit.t(f"after_{o}", lang), to_token(Choose(AFTER_NODE, o))),)
            for o in AFTER_OPTIONS
        )
        return [Say(kit.t("after_request", lang), buttons=rows, node=AFTER_NODE)]
    if state.mode == LANGUAGE:
        rows = tuple(
            (Button(kit.copy.language_names[code], to_token(Choose(LANG_NODE, code))),)
            for code in flow.languages
        )
        return [Say(kit.t("language_prompt", lang), buttons=rows, node=LANG_NODE)]
    return flow.node(state.node).prompt(View(flow, kit, state))


def _safety(kit: Kit, lang: str, reason: str) -> tuple[Event, ...]:
    return (Say(kit.safety_block(lang), kind="safety"), SafetyShown(reason))


def _safety_with_person(kit: Kit, lang: str, reason: str) -> tuple[Event, ...]:
    """The helplines with "Talk to a person" under them: after help, Send, Stop, or with
    no check-in open, a person stays one tap away."""
    block = Say(kit.safety_block(lang), kind="safety", buttons=(_reach_row(kit, lang),))
    return (block, SafetyShown(reason))


def news_reply(kit: Kit, lang: str) -> Say:
    """/news: the latest published "You said, we did", only when asked (CC-11)."""
    return Say(kit.news_line(lang) or kit.t("no_news", lang))


def _say(kit: Kit, lang: str, key: str, kind: str = "info") -> Say:
    return Say(kit.t(key, lang), kind=kind)
