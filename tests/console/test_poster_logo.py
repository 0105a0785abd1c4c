"""The poster logo (issue 15): an admin uploads it; it is checked and redrawn with Pillow,
and only the redrawn PNG is kept and shown, never the uploaded bytes."""

from __future__ import annotations

import base64
import io
import re
import struct
import zlib

import pytest
from PIL import Image

from admin.console.branding import LogoError, reencode
from storage import branding
from tests.console.conftest import as_user


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (1600, 900), (18, 53, 91))
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image (a decompression bomb's first step)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_an_upload_is_redrawn_smaller_without_its_metadata() -> None:
    upload = _jpeg_with_exif()
    png = reencode(upload)
    assert png != upload and b"secret description" not in png
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (711, 400)
        assert not image.info.get("exif") and image.getpixel((5, 5))[:3] == (18, 53, 91)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "Choose an image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "not a PNG"),
        (b"%PDF-1.4 not a picture", "not a PNG"),
        (_png_claiming(60000, 60000), "at most 5000 pixels"),
        (b"\x89PNG" + b"\x00" * (2 * 1024 * 1024), "2 MB or smaller"),
    ],
)
def test_anything_but_a_modest_raster_image_is_refused(data: bytes, why: str) -> None:
    with pytest.raises(LogoError, match=why):
        reencode(data)


async def test_an_admin_uploads_a_logo_and_the_poster_shows_the_redrawn_copy(client, services, org):
    csrf = await as_user(client, services, org.users["admin"])
    upload = _jpeg_with_exif()
    sent = await client.post(
        "/admin/settings/logo",
        data={"csrf": csrf},
        files={"logo": ("logo.jpg", upload, "image/jpeg")},
    )
    assert sent.status_code == 303
    async with services.db.read() as conn:
        kept = await branding.logo(conn)
    assert kept is not None and kept.startswith(b"\x89PNG") and kept != upload
    refused = await client.post(
        "/admin/settings/logo",
        data={"csrf": csrf},
        files={"logo": ("x.svg", b"<svg/>", "image/svg+xml")},
    )
    assert refused.status_code == 400 and "not a PNG" in refused.text

    csrf = await as_user(client, services, org.users["worker"])
    made = await client.post(
        "/admin/invites",
        data={"csrf": csrf, "team": org.team_a, "flow": "relationship-checkin", "label": "Hall"},
    )
    invite_id = made.headers["location"].split("/")[-1].split("?")[0]
    poster = (await client.get(f"/admin/invites/{invite_id}/poster")).text
    shown = re.search(r'class="poster-logo" src="data:image/png;base64,([^"]+)"', poster)
    assert shown and base64.b64decode(shown.group(1)) == kept
