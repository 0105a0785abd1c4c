"""The Wording page: which strings young people see still wait for a reviewer (SG-14).

Read-only: approvals are recorded in flows/data/approvals.yml, in review, so every
change to what young people read is in the project's history with who approved it.
"""

from __future__ import annotations

from itertools import groupby

from starlette.requests import Request
from starlette.responses import Response

from admin.console.context import Actor, Console
from flows.approvals import awaiting, guarded, load_approvals, strings

REVIEWERS = {
    "safeguarding_lead": "the safeguarding lead (safety wording and questions)",
    "welsh_reviewer": "a Welsh-speaking reviewer (everything in Welsh)",
}


async def wording(console: Console, request: Request, actor: Actor) -> Response:
    kit = console.services.conversations.kit
    texts = strings(kit.copy, console.services.flows)
    pending = awaiting(texts, guarded(kit.copy, texts), load_approvals())
    by_role = sorted(pending, key=lambda p: p.role)
    groups = [
        (REVIEWERS.get(role, role), list(items))
        for role, items in groupby(by_role, key=lambda p: p.role)
    ]
    return console.render(request, "wording.html", {"groups": groups}, actor=actor)
