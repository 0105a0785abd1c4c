"""The organisation's logo on posters (issue 15): uploaded by an admin, checked and
re-encoded with Pillow, and only the re-encoded PNG is ever kept or shown.

Why re-encode: an uploaded file can carry more than a picture (scripts in an SVG, a
polyglot, EXIF with a location). Only raster formats are read; the size is checked from
the header before any pixel is decoded (a small file can claim a huge image); and the
pixels alone are copied into a fresh image, so no metadata survives.
"""

from __future__ import annotations

import base64
import io

from PIL import Image, UnidentifiedImageError
from PIL.Image import DecompressionBombError

from storage import branding
from storage.db import Database

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 5000  # pixels, read from the header before decoding
SHOWN = (800, 400)  # the largest logo kept: more than a poster prints
FORMATS = frozenset({"PNG", "JPEG", "GIF", "WEBP"})


class LogoError(ValueError):
    """Why an upload was refused, in words for the admin."""


def reencode(data: bytes) -> bytes:
    """The upload as a fresh PNG of at most `SHOWN`, or LogoError."""
    if not data:
        raise LogoError("Choose an image file.")
    if len(data) > MAX_BYTES:
        raise LogoError("The logo must be 2 MB or smaller.")
    try:
        with Image.open(io.BytesIO(data), formats=sorted(FORMATS)) as img:
            if max(img.size) > MAX_SIDE:
                raise LogoError(f"The logo must be at most {MAX_SIDE} pixels on each side.")
            img.seek(0)
            img.load()
            rgba = img.convert("RGBA")
    except DecompressionBombError:
        raise LogoError(f"The logo must be at most {MAX_SIDE} pixels on each side.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        if isinstance(error, LogoError):
            raise
        raise LogoError("That file is not a PNG, JPEG, GIF or WebP image.") from None
    rgba.thumbnail(SHOWN)
    clean = Image.frombytes("RGBA", rgba.size, rgba.tobytes())
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


async def logo_uri(db: Database) -> str | None:
    async with db.read() as conn:
        png = await branding.logo(conn)
    return None if png is None else "data:image/png;base64," + base64.b64encode(png).decode()
