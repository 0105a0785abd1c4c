"""How a reply's messages become screens on a chat channel: runs of messages that are not
safety messages are joined into one when only the last has buttons, so a notice and the
question after it arrive together. A safety message stands alone, unless `join_help`:
then the helplines (the safety block, not the pause after a disclosure) join the screen
before them when at most one of the two has buttons, so the intro and its helplines, or
"Sent" and its helplines, are one message. The channel must then never edit such a
message away (Telegram: bot.telegram.ingest)."""

from __future__ import annotations

from flows.events import Say


def screens(messages: list[Say], join_help: bool = False) -> list[Say]:
    groups: list[list[Say]] = []
    for say in messages:
        last = groups[-1] if groups else None
        if last and "safety" not in (say.kind, last[-1].kind) and not last[-1].buttons:
            last.append(say)
        elif last and join_help and _helplines(say) and _joins(last, say):
            last.append(say)
        else:
            groups.append([say])
    return [_one(g) for g in groups]


def _helplines(say: Say) -> bool:
    """The plain safety block: a safety message that is no step of its own."""
    return say.kind == "safety" and say.node is None


def _joins(group: list[Say], say: Say) -> bool:
    return all(s.kind != "safety" for s in group) and not (group[-1].buttons and say.buttons)


def _one(group: list[Say]) -> Say:
    """One message: the texts in order, under the buttons of whichever part had them."""
    buttons = next((s.buttons for s in reversed(group) if s.buttons), ())
    kind = "safety" if any(s.kind == "safety" for s in group) else group[-1].kind
    return Say("\n\n".join(t for s in group if (t := s.text.strip())), kind, buttons)
