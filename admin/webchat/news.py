"""GET /news: the organisation's published "You said, we did", in English or Welsh.

Public and plain: no cookie, no form, nothing loaded from another site (CC-16), and no
counter of who looked. Only responses a second person approved are here, each in the
page's language with the gateway's figures as they were approved.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from admin.webchat.pages import Pages
from storage import news

MONTHS = {
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ),
    "cy": (
        "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst",
        "Medi", "Hydref", "Tachwedd", "Rhagfyr",
    ),
}  # fmt: skip
# Welsh "i" (to) softens the month after it: "Ionawr i Fawrth".
AFTER_I = {"Mawrth": "Fawrth", "Mehefin": "Fehefin", "Medi": "Fedi", "Rhagfyr": "Ragfyr"}


def period_words(period: str, lang: str, pages: Pages) -> str:
    """ "2026-Q3" -> "July to September 2026"; "2026-07" -> "July 2026"."""
    year, _, part = period.partition("-")
    names = MONTHS.get(lang, MONTHS["en"])
    if part.startswith("Q"):
        first = names[(int(part[1:]) - 1) * 3]
        last = names[(int(part[1:]) - 1) * 3 + 2]
        last = AFTER_I.get(last, last) if lang == "cy" else last
        return pages.wording.t("news_quarter", lang, first=first, last=last, year=year)
    return f"{names[int(part) - 1]} {year}"


class NewsPage:
    def __init__(self, pages: Pages) -> None:
        self.pages = pages

    async def show(self, request: Request) -> Response:
        pages = self.pages
        lang = pages.lang(request.query_params.get("lang"))
        async with pages.services.db.read() as conn:
            published = await news.published(conn)
        words = pages.words(lang)
        items = [
            (period_words(item.period, lang, pages), words("news_item", **item.shown[lang]))
            for item in published
            if item.shown and lang in item.shown
        ]
        names = pages.services.conversations.kit.copy.language_names
        first = pages.languages[0]
        others = [
            (code, names[code], "/news" if code == first else f"/news?lang={code}")
            for code in pages.languages
            if code != lang
        ]
        org = pages.services.conversations.kit.names_in(lang)["org_name"]
        return pages.render(request, "news", lang, items=items, others=others, org_name=org)
