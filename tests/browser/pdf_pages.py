"""A PDF printed by Chromium, page by page: its size, its text, and each page as a PNG.

pypdfium2 reads the PDF; the PNG is written here with zlib (no imaging library), from the
rendered page's RGB rows.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

import pypdfium2 as pdfium

A4_POINTS = (595.28, 841.89)  # 210 x 297 mm at 72 points an inch


def is_a4(size: tuple[float, float]) -> bool:
    """Within 1.5 points (half a millimetre): Chromium rounds page sizes to whole pixels."""
    return all(abs(got - want) <= 1.5 for got, want in zip(size, A4_POINTS, strict=True))


@dataclass(frozen=True)
class PdfPage:
    size: tuple[float, float]
    text: str
    png: bytes


def pages(pdf: bytes, scale: float = 1.5) -> list[PdfPage]:
    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for page in doc:
            text = page.get_textpage().get_text_range()
            bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB(x) byte order
            out.append(PdfPage(tuple(page.get_size()), text, _png(bitmap)))  # type: ignore[arg-type]
        return out
    finally:
        doc.close()


def _png(bitmap: pdfium.PdfBitmap) -> bytes:
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    channels = bitmap.n_channels
    raw = bytes(bitmap.buffer)
    rows = b"".join(
        b"\0" + bytes(_rgb(raw[y * stride : y * stride + width * channels], channels))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 6))
        + chunk(b"IEND", b"")
    )


def _rgb(row: bytes, channels: int) -> bytes:
    """Drop the fourth (unused) byte of each pixel, if there is one."""
    if channels == 3:
        return row
    out = bytearray(len(row) // channels * 3)
    for c in range(3):
        out[c::3] = row[c::channels]
    return bytes(out)
