"""How a reply's messages become screens on a chat channel: runs of messages that are not
safety messages are joined into one when only the last has buttons, so a notice and the
question after it arrive together, and a safety message always stands alone."""

from __future__ import annotations

from flows.events import Say


def screens(messages: list[Say]) -> list[Say]:
    groups: list[list[Say]] = []
    for say in messages:
        last = groups[-1] if groups else None
        if last and "safety" not in (say.kind, last[-1].kind) and not last[-1].buttons:
            last.append(say)
        else:
            groups.append([say])
    return [
        Say("\n\n".join(t for s in g if (t := s.text.strip())), g[-1].kind, g[-1].buttons)
        for g in groups
    ]
