"""Rendering for the web chat: the conversation screen and the pages that need no
conversation (a link that does not work, a page that ran out, helplines, privacy,
removing answers with a receipt code).

Every page has the same frame: a Quick exit link at the top, the helplines and privacy
links at the bottom, `<html lang>` in the page's language and `dir="rtl"` for a
right-to-left one. Nothing on any page is loaded from another site (CC-16).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from admin.templating import templates
from admin.webchat import layout
from admin.webchat.privacy import load_notices
from admin.webchat.wording import Wording
from flows.events import Say
from flows.nodes.base import QuestionNode
from flows.nodes.review import Answer
from youthvoice.bootstrap import Services


@dataclass(frozen=True)
class Form:
    """Where a screen's buttons post, with the token that proves it came from this page."""

    action: str
    csrf: str
    lang: str
    step: str  # which step this form was shown at (cookie.StepTokens)
    # The conversation carried in the page (the console's preview of a draft, which stores
    # nothing); empty in the web chat, where it is kept on the server.
    state: str = ""


class Pages:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.templates = templates()
        self.languages = tuple(services.conversations.kit.copy.languages)
        self.wording = Wording.load(self.languages)
        self._too_large: dict[str, bytes] = {}
        kit = services.conversations.kit
        self._blocks = frozenset(kit.safety_block(lang) for lang in self.languages)
        self.rtl = frozenset(lang for flow in services.flows.values() for lang in flow.rtl)
        settings = services.settings
        shown = services.conversations.kit.names_in
        figures = {
            "k": str(settings.k_threshold),
            "ttl_hours": str(settings.conversation_ttl_hours),
        }
        self.notices = load_notices(
            self.languages, {lang: {**shown(lang), **figures} for lang in self.languages}
        )

    def lang(self, asked: object) -> str:
        """A supported language code, or the first one (English)."""
        return asked if isinstance(asked, str) and asked in self.languages else self.languages[0]

    def words(self, lang: str) -> Callable[..., str]:
        return lambda key, **values: self.wording.t(key, lang, **values)

    def render(
        self,
        request: Request,
        name: str,
        lang: str,
        *,
        status: int = 200,
        flow: str | None = None,
        **context: Any,
    ) -> Response:
        rtl = self.services.flows[flow].rtl if flow in self.services.flows else self.rtl
        settings = self.services.settings
        suffix = "" if lang == self.languages[0] else f"?lang={lang}"
        frame = {
            "lang": lang,
            "dir": "rtl" if lang in rtl else "ltr",
            "t": self.words(lang),
            "lines": lambda key: self.wording.lines(key, lang),
            "quick_exit_url": settings.quick_exit_url,
            "privacy_href": settings.privacy_url or f"/privacy{suffix}",
            "helplines_href": f"/helplines{suffix}",
            "person_href": f"/person{suffix}",
            "period": settings.report_period,  # when staff see totals, for the Sent page
        }
        return self.templates.TemplateResponse(
            request, f"chat/{name}.html", {**frame, **context}, status_code=status
        )

    def screen(
        self,
        request: Request,
        messages: list[Say],
        lang: str,
        *,
        flow: str | None,
        form: Form | None,
        status: int = 200,
        limit: int | None = None,
        kept: str = "",
        sent: bool = False,
        receipt: str | None = None,
        answers: list[Answer] | None = None,
    ) -> Response:
        """One step of a conversation; `form` is None once it has ended (Send or Stop).
        `limit` is the most the text box takes; `kept` is words refused as too long, put
        back in the box; `sent` gives the ended page its "Sent" heading; `receipt` is the
        deletion code the young person chose to get, shown once; `answers`, the review's
        answers, shown only on the review of an open check-in (AN-12, see flows/nodes/review)."""
        return self.render(
            request,
            "screen",
            lang,
            status=status,
            flow=flow,
            bubbles=layout.screen(
                messages,
                layout.review_rows(answers or [], self.words(lang)),
                self._blocks,
                self._first_question(flow),
            ),
            safety=self._safety(lang) if layout.shows_safety(messages) else None,
            form=form,
            limit=limit,
            kept=kept,
            sent=sent,
            receipt=receipt,
            delete_href="/delete" if lang == self.languages[0] else f"/delete?lang={lang}",
        )

    def _first_question(self, flow: str | None) -> str | None:
        found = self.services.flows.get(flow) if flow else None
        return (
            next((n.id for n in found.nodes if isinstance(n, QuestionNode)), None)
            if found
            else None
        )

    def confirm_stop(self, request: Request, lang: str, *, form: Form, back: str) -> Response:
        """ "Stop and delete" asks once before anything is thrown away; works without JS."""
        suffix = "" if lang == self.languages[0] else f"?lang={lang}"
        return self.render(request, "confirm_stop", lang, form=form, back=f"{back}{suffix}")

    def notice(
        self,
        request: Request,
        lang: str,
        texts: list[str],
        *,
        status: int,
        start_again: str | None = None,
    ) -> Response:
        """A kind page with the safety block: for a bad link, a page that ran out, an error."""
        return self.render(
            request,
            "notice",
            lang,
            status=status,
            texts=texts,
            safety=self._safety(lang),
            start_again=start_again,
        )

    def too_large(self, request: Request, lang: str) -> Response:
        """413 for a body too big to read, with no conversation to return to. The page is
        the same for everyone in a language, so it is rendered once: a flood of oversize
        posts costs as little as it can (SEC-24)."""
        body = self._too_large.get(lang)
        if body is None:
            note = self.wording.t("too_large", lang)
            body = bytes(self.notice(request, lang, [note], status=413).body)
            self._too_large[lang] = body
        return HTMLResponse(body, status_code=413)

    def bad_invite(self, request: Request, lang: str) -> Response:
        text = self.services.conversations.kit.t("bad_invite", lang)
        return self.notice(request, lang, [text], status=404)

    async def helplines(self, request: Request) -> Response:
        """GET /helplines: help that needs no conversation, cookie or token."""
        return self.helplines_page(request, self.lang(request.query_params.get("lang")))

    def helplines_page(self, request: Request, lang: str) -> Response:
        return self.notice(request, lang, [], status=200)

    async def privacy(self, request: Request) -> Response:
        """GET /privacy: the full notice (the default PRIVACY_URL)."""
        lang = self.lang(request.query_params.get("lang"))
        names = self.services.conversations.kit.copy.language_names
        others = [
            (
                code,
                names[code],
                "/privacy" if code == self.languages[0] else f"/privacy?lang={code}",
            )
            for code in self.languages
            if code != lang
        ]
        delete_href = "/delete" if lang == self.languages[0] else f"/delete?lang={lang}"
        return self.render(
            request,
            "privacy",
            lang,
            notice=self.notices[lang],
            others=others,
            delete_href=delete_href,
        )

    def _safety(self, lang: str) -> layout.Safety:
        return layout.safety(self.services.conversations.kit, lang)
