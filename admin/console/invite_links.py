"""The addresses one invite is shared by, and its QR codes (issue 15).

Every invite opens from its long link (in QR codes) and from its short code (typed from
a poster); the web chat opens in Welsh with `?lang=cy`. QR codes are made here by segno,
as SVG (for screens and print) or PNG, never fetched from anywhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import segno

from storage.catalog import InviteInfo, shown_short

# Which link a QR download encodes: the web chat, the web chat in Welsh, Telegram, WhatsApp.
QR_LINKS = ("web", "cy", "telegram", "whatsapp")
QR_KINDS = {"svg": "image/svg+xml", "png": "image/png"}


@dataclass(frozen=True)
class Links:
    web: str
    cy: str
    short: str  # the web chat by short code, as typed: no scheme
    short_href: str
    telegram: str | None
    telegram_short: str | None  # the Telegram link by short code, as typed
    whatsapp: str | None = None

    def get(self, name: str) -> str | None:
        return {
            "web": self.web,
            "cy": self.cy,
            "telegram": self.telegram,
            "whatsapp": self.whatsapp,
        }.get(name)


def links(
    public_url: str, bot_username: str | None, invite: InviteInfo, whatsapp_number: str = ""
) -> Links:
    """The web chat always (it works for under-16s, CC-06); Telegram and WhatsApp when
    configured. WhatsApp's opens a chat with "START <short code>" typed in, which the
    person sends themselves (the bot never writes first, CC-11) and could also type."""
    base = public_url.rstrip("/")
    web = f"{base}/c/{quote(invite.code, safe='')}"
    short = shown_short(invite.short_code)
    host = urlsplit(base)
    typed = f"{host.netloc}{host.path}/c/{short}"
    telegram = telegram_short = None
    if bot_username:
        telegram = f"https://t.me/{bot_username}?start={quote(invite.code, safe='')}"
        telegram_short = f"t.me/{bot_username}?start={invite.short_code}"
    number = "".join(ch for ch in whatsapp_number if ch.isdigit())
    whatsapp = None
    if number:
        whatsapp = f"https://wa.me/{number}?text={quote('START ' + invite.code, safe='')}"
    return Links(
        web, f"{web}?lang=cy", typed, f"{base}/c/{short}", telegram, telegram_short, whatsapp
    )


def qr_svg_uri(url: str, scale: int = 6) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=scale, border=2)


def qr_file(url: str, kind: str) -> bytes:
    """A QR code to download: SVG that scales to any size, or a PNG big enough to print
    at 10 cm and 300 dpi (about 1,200 pixels across)."""
    code = segno.make(url, error="m")
    out = io.BytesIO()
    if kind == "svg":
        code.save(out, kind="svg", scale=10, border=4, xmldecl=True, title="QR code: " + url)
    else:
        scale = max(1, 1200 // code.symbol_size(border=4)[0])
        code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
