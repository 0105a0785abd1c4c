"""The printable poster and QR downloads for an invite (issue 15).

The poster comes in A4 or A5 and in English, Welsh or both (Welsh first, as Welsh public
bodies print it). Its wording is data (`poster.yml`); the print styles are in
console.css. The web chat's QR is 9 cm across on either size.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from admin.console import branding
from admin.console.context import Actor, Console
from admin.console.guard import NotFound
from admin.console.invite_links import QR_KINDS, qr_file, qr_svg_uri
from admin.console.invite_views import links, scoped_invite
from admin.webchat.wording import Wording

SIZES = ("a4", "a5")
LANGS = {"en": ("en",), "cy": ("cy",), "both": ("cy", "en")}


def poster_wording() -> Wording:
    return Wording.load(("en", "cy"), Path(str(resources.files("admin.console") / "poster.yml")))


async def poster(console: Console, request: Request, actor: Actor) -> Response:
    invite = await scoped_invite(console, actor, request.path_params["invite_id"])
    if not invite.usable(console.now()):
        raise NotFound
    size = request.query_params.get("size", "a4")
    lang = request.query_params.get("lang", "en")
    if size not in SIZES or lang not in LANGS:
        raise NotFound
    urls = links(console, invite)
    langs = LANGS[lang]
    # One language: its own web link; both: the English link, whose page offers Welsh.
    web = urls.cy if langs == ("cy",) else urls.web
    wording = poster_wording()
    context = {
        "invite": invite,
        "links": urls,
        "size": size,
        "lang": lang,
        "langs": langs,
        "page_lang": langs[0],
        "t": wording.t,
        "qr_web": qr_svg_uri(web, 8),
        "qr_telegram": qr_svg_uri(urls.telegram, 4) if urls.telegram else None,
        "logo": await branding.logo_uri(console.services.db),
    }
    return console.render(request, "poster.html", context, actor=actor)


async def qr_download(console: Console, request: Request, actor: Actor) -> Response:
    """GET .../qr/<web|cy|telegram>.<svg|png>: a file to save, for print or a newsletter."""
    invite = await scoped_invite(console, actor, request.path_params["invite_id"])
    name, kind = request.path_params["link"], request.path_params["kind"]
    url = links(console, invite).get(name)
    if url is None or kind not in QR_KINDS or not invite.usable(console.now()):
        raise NotFound
    filename = f"youthvoice-invite-{invite.short_code.lower()}-{name}.{kind}"
    return Response(
        qr_file(url, kind),
        media_type=QR_KINDS[kind],
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
